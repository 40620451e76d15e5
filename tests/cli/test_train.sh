#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# continuo-cli train on the small fixtures: JSON per epoch, best and last checkpoints, the same
# seed gives the same run, the cache, resume, the baseline, and clear errors.
set -u
cli=$1
data=$2
fail() { echo "FAIL: $*"; exit 1; }
rm -rf cache few
# Evaluation reads every step of every file; the fuzz fixtures' long silences are millions of
# time shifts, so it reads three ordinary files here.
mkdir -p few && cp "$data/valid/c-major-format0.mid" "$data/valid/two-tracks-format1.mid" "$data/valid/riff-wrapped.rmi" few/
base="--corpus $data/valid --preset tiny --seq 4 --batch 2 --steps-per-epoch 3 --validation 0.3 --json --device cpu --cache cache"
args="$base --epochs 2"

"$cli" train $args --out run1.ckpt >run1.json 2>run1.err || fail "train exited $?: $(cat run1.err)"
[ "$(wc -l <run1.json)" -eq 2 ] || fail "expected 2 epoch lines, got: $(cat run1.json)"
[ -s run1.ckpt ] && [ -s run1.last.ckpt ] || fail "checkpoints missing"
/usr/bin/python3 -c '
import json, math, sys
epochs = [json.loads(l) for l in open("run1.json")]
assert [e["epoch"] for e in epochs] == [1, 2], epochs
for e in epochs:
    assert math.isfinite(e["valid_loss"]) and e["tokens_per_s"] > 0 and len(e["accuracy"]) == 1, e
' || fail "epoch JSON: $(cat run1.json)"
grep -q "usable (0 from the cache)" run1.err || fail "no scan summary: $(cat run1.err)"

"$cli" train $args --out run2.ckpt >run2.json 2>/dev/null || fail "second run exited $?"
/usr/bin/python3 -c '
import json
a = [json.loads(l) for l in open("run1.json")]
b = [json.loads(l) for l in open("run2.json")]
assert [e["train_loss"] for e in a] == [e["train_loss"] for e in b], (a, b)
' || fail "the same seed gave different runs"
"$cli" train $args --out run3.ckpt >/dev/null 2>run3.err || fail "third run exited $?"
grep -Eq "usable \([1-9][0-9]* from the cache\)" run3.err || fail "the cache was not used: $(cat run3.err)"

# Resume: one epoch, then on to the second from the last checkpoint, as if uninterrupted.
"$cli" train $base --epochs 1 --out part.ckpt >/dev/null 2>&1 || fail "one-epoch run exited $?"
"$cli" train --resume part.last.ckpt --epochs 2 --json --cache cache >resumed.json 2>resumed.err ||
    fail "resume exited $?: $(cat resumed.err)"
grep -q "resuming after epoch 1 of 2" resumed.err || fail "resume message: $(cat resumed.err)"
[ -s part.ckpt ] || fail "resume lost the best checkpoint"
/usr/bin/python3 -c '
import json
a = [json.loads(l) for l in open("run1.json")]
b = [json.loads(l) for l in open("resumed.json")]
assert [e["epoch"] for e in b] == [2], b
assert abs(a[1]["valid_loss"] - b[0]["valid_loss"]) < 1e-4, (a, b)
' || fail "the resumed run differs from the uninterrupted one: $(cat resumed.json)"
"$cli" train --resume part.ckpt --epochs 3 >/dev/null 2>resume-bad.err
[ $? -eq 1 ] && grep -q "no optimizer state" resume-bad.err || fail "resume from a best checkpoint: $(cat resume-bad.err)"

# The logistic-regression baseline trains and evaluates through the same commands.
"$cli" train --corpus $data/valid --preset baseline --window 4 --epochs 2 --seq 4 --batch 2 --steps-per-epoch 3 --validation 0.3 --cache cache --out base.ckpt >base.json 2>base.err || fail "baseline exited $?: $(cat base.err)"
"$cli" eval --model base.ckpt --corpus few --cache cache >/dev/null 2>&1 || fail "baseline eval exited $?"

"$cli" train --corpus "$data/malformed" --out bad.ckpt --preset tiny >/dev/null 2>bad.err
status=$?
[ "$status" -eq 1 ] || fail "exit status $status for a folder without usable files"
grep -q "needs at least 2 usable MIDI file(s)" bad.err || fail "error text: $(cat bad.err)"
[ ! -e bad.ckpt ] || fail "a checkpoint was written for a failed run"
"$cli" eval --model run1.ckpt --corpus few --json --no-cache >eval.json 2>eval.err || fail "eval exited $?: $(cat eval.err)"
/usr/bin/python3 -c '
import json, math
d = json.load(open("eval.json"))
assert d["representation"] == "performance" and d["files"] >= 2, d
assert math.isfinite(d["loss"]) and abs(d["perplexity"] - math.exp(d["loss"])) < 1e-6 * d["perplexity"], d
assert 0 <= d["accuracy"]["event"]["top1"] <= d["accuracy"]["event"]["top5"] <= 1, d
# The network alone leads; a trained model carries its piece memory, reported as what it adds.
assert d["piece_memory"] is True and d["steps"] > 0, d
m = d["with_piece_memory"]
assert math.isfinite(m["loss"]) and "event" in m["accuracy"], d
# Per note: the loss of every step over the notes they hold (performance: the note-on events).
assert 0 < d["notes"] < d["steps"] and abs(d["nats_per_note"] - d["loss"] * d["steps"] / d["notes"]) < 1e-6, d
assert abs(m["nats_per_note"] - m["loss"] * d["steps"] / d["notes"]) < 1e-6, d
' || fail "eval JSON: $(cat eval.json)"
# Its own validation files: those of its split of the corpus it was trained on.
"$cli" eval --model run1.ckpt --corpus "$data/valid" --split validation --json --no-cache >split.json 2>split.err ||
    fail "eval --split validation exited $?: $(cat split.err)"
/usr/bin/python3 -c '
import json
s, d = json.load(open("split.json")), json.load(open("eval.json"))
assert s["split"] == "validation" and s["files"] >= 1 and s["steps"] > 0, s
' || fail "eval --split validation JSON: $(cat split.json)"
"$cli" eval --model run1.ckpt --corpus "$data/lenient" --split validation >/dev/null 2>split-bad.err
grep -q "validation files are unknown" split-bad.err || fail "eval --split on another corpus: $(cat split-bad.err)"
# The baseline beside the model, on the same files: the same figures as each alone.
"$cli" eval --model run1.ckpt --baseline base.ckpt --corpus few --json --no-cache \
    >both.json 2>both.err || fail "eval --baseline exited $?: $(cat both.err)"
"$cli" eval --model base.ckpt --corpus few --json --no-cache >base-eval.json 2>/dev/null ||
    fail "baseline eval exited $?"
/usr/bin/python3 -c '
import json
both, model, base = (json.load(open(f)) for f in ("both.json", "eval.json", "base-eval.json"))
assert abs(both["loss"] - model["loss"]) < 1e-9, (both, model)
assert abs(both["baseline"]["loss"] - base["loss"]) < 1e-9, (both, base)
assert both["baseline"]["accuracy"] == base["accuracy"], (both, base)
' || fail "eval --baseline JSON: $(cat both.json)"
"$cli" eval --model run1.ckpt --baseline base.ckpt --corpus few --no-cache >both.txt 2>/dev/null
grep -q "better than the baseline" both.txt || fail "eval --baseline text: $(cat both.txt)"
"$cli" eval --model "$data/valid/c-major-format0.mid" --corpus "$data/valid" >/dev/null 2>eval-bad.err
[ $? -eq 1 ] && grep -q "not a Continuo model file" eval-bad.err || fail "eval of a MIDI file as a model: $(cat eval-bad.err)"

# Fine-tuning: from run1's model on the three files of few/, too few to hold a file out, so the
# end of each is validated on; the model it starts from is validated first.
"$cli" train --init run1.ckpt --corpus few --out tuned.ckpt --seq 4 --batch 2 --steps-per-epoch 3 --epochs 2 \
    --json --device cpu --cache cache >tuned.json 2>tuned.err || fail "train --init exited $?: $(cat tuned.err)"
grep -q "fine-tuning run1.ckpt" tuned.err && grep -q "validating on the end of" tuned.err &&
    grep -q "before fine-tuning: valid" tuned.err || fail "fine-tuning messages: $(cat tuned.err)"
[ "$(wc -l <tuned.json)" -eq 2 ] && [ -s tuned.ckpt ] && [ -s tuned.last.ckpt ] || fail "fine-tuning run: $(cat tuned.json)"
"$cli" train --init run1.ckpt --preset small --corpus few --out bad-tune.ckpt >/dev/null 2>tune-bad.err
[ $? -eq 1 ] && grep -q "leave out --preset" tune-bad.err || fail "--init with --preset: $(cat tune-bad.err)"
# The position in the beat: only a compound Transformer reads it.
"$cli" train --init run1.ckpt --beat-phase --corpus few --out bad-beat.ckpt >/dev/null 2>beat-bad.err
[ $? -eq 1 ] && [ "$(wc -l <beat-bad.err)" -le 3 ] && grep -q "Only a compound Transformer can read the position in the beat" beat-bad.err ||
    fail "--beat-phase on an LSTM: $(cat beat-bad.err)"
echo "train: 15 passed, 0 failed"
