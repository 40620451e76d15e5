#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# continuo-cli train on the small fixtures: JSON per epoch, best and last checkpoints, the same
# seed gives the same run, and a folder without usable files is a clear error.
set -u
cli=$1
data=$2
fail() { echo "FAIL: $*"; exit 1; }
args="--corpus $data/valid --preset tiny --epochs 2 --seq 4 --batch 2 --steps-per-epoch 3 --validation 0.3 --json --device cpu"

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
grep -q "usable" run1.err || fail "no scan summary: $(cat run1.err)"

"$cli" train $args --out run2.ckpt >run2.json 2>/dev/null || fail "second run exited $?"
/usr/bin/python3 -c '
import json
a = [json.loads(l) for l in open("run1.json")]
b = [json.loads(l) for l in open("run2.json")]
assert [e["train_loss"] for e in a] == [e["train_loss"] for e in b], (a, b)
' || fail "the same seed gave different runs"

"$cli" train --corpus "$data/malformed" --out bad.ckpt --preset tiny >/dev/null 2>bad.err
status=$?
[ "$status" -eq 1 ] || fail "exit status $status for a folder without usable files"
grep -q "needs at least 2 usable MIDI file(s)" bad.err || fail "error text: $(cat bad.err)"
[ ! -e bad.ckpt ] || fail "a checkpoint was written for a failed run"
"$cli" eval --model run1.ckpt --corpus "$data/valid" --seq 4 --json >eval.json 2>eval.err || fail "eval exited $?: $(cat eval.err)"
/usr/bin/python3 -c '
import json, math
d = json.load(open("eval.json"))
assert d["representation"] == "performance" and d["files"] >= 2, d
assert math.isfinite(d["loss"]) and abs(d["perplexity"] - math.exp(d["loss"])) < 1e-6 * d["perplexity"], d
assert 0 <= d["accuracy"]["event"]["top1"] <= d["accuracy"]["event"]["top5"] <= 1, d
' || fail "eval JSON: $(cat eval.json)"
"$cli" eval --model "$data/valid/c-major-format0.mid" --corpus "$data/valid" >/dev/null 2>eval-bad.err
[ $? -eq 1 ] && grep -q "not a Continuo model file" eval-bad.err || fail "eval of a MIDI file as a model: $(cat eval-bad.err)"
echo "train: 6 passed, 0 failed"
