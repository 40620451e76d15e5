#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# continuo-cli eval --generated on the small fixtures: train writes NAME.memo, index rebuilds the
# same file, statistics and the memorization check in JSON and text, and clear errors.
set -u
cli=$1
data=$2
fail() { echo "FAIL: $*"; exit 1; }
rm -rf one gen.ckpt gen.last.ckpt gen.memo rebuilt.memo
scale="$data/valid/c-major-format0.mid"

"$cli" train --corpus "$data/valid" --preset tiny --seq 4 --batch 2 --steps-per-epoch 2 --validation 0.3 \
    --epochs 1 --device cpu --no-cache --out gen.ckpt >/dev/null 2>train.err || fail "train exited $?: $(cat train.err)"
[ -s gen.memo ] || fail "train wrote no gen.memo: $(cat train.err)"
grep -q "memorization index of 6 training file(s)" train.err || fail "train did not report the index: $(cat train.err)"
"$cli" index --model gen.ckpt --corpus "$data/valid" --out rebuilt.memo 2>index.err || fail "index exited $?: $(cat index.err)"
cmp -s gen.memo rebuilt.memo || fail "index built another file than train"

# Against the model's index: valid JSON with every distance, a seed compared too.
"$cli" eval --generated "$scale" --seed "$data/valid/two-tracks-format1.mid" --model gen.ckpt --json >model.json \
    2>model.err || fail "eval --generated --model exited $?: $(cat model.err)"
/usr/bin/python3 -c '
import json
d = json.load(open("model.json"))
keys = {"pitch_class", "interval", "duration", "inter_onset", "polyphony", "density"}
assert set(d["distances"]["generated"]) == keys and set(d["distances"]["seed"]) == keys, d["distances"]
assert d["corpus"]["files"] == 6 and d["corpus"]["source"].endswith("gen.memo"), d["corpus"]
assert d["generated_notes"] == 8 and d["key"]["from"] == "seed", d
for name, h in d["histograms"]["generated"].items():
    assert abs(sum(h) - 1) < 1e-9, (name, h)
' || fail "eval JSON with a model: $(cat model.json)"

# A corpus of one file, the generation that file: every distance is 0 and the copy is found.
mkdir one && cp "$scale" one/scale.mid
"$cli" eval --generated "$scale" --corpus one --threshold 3 --json >one.json 2>one.err || fail "eval --corpus exited $?: $(cat one.err)"
/usr/bin/python3 -c '
import json
d = json.load(open("one.json"))
assert all(v == 0 for v in d["distances"]["generated"].values()), d["distances"]
m = d["memorization"]
assert m["file"] == "scale.mid" and m["bar"] == 1 and m["notes"] == 8 and m["transposition"] == 0, m
assert m["warning"] and m["distinct_notes"] > 3, m
assert d["key"]["name"] == "C major" and d["key"]["notes_outside"] == 0, d["key"]
' || fail "eval JSON of a copy: $(cat one.json)"
"$cli" eval --generated "$scale" --index gen.memo --threshold 3 >text.out 2>&1 || fail "eval text exited $?: $(cat text.out)"
grep -q "^Wasserstein-1 distance to the corpus" text.out && grep -q "^key: C major" text.out || fail "text output: $(cat text.out)"

# Errors: nothing to compare with, a damaged index, a model without its index and no corpus.
"$cli" eval --generated "$scale" >/dev/null 2>none.err
[ $? -eq 1 ] && grep -q "Say what to compare the generation with" none.err || fail "no source: $(cat none.err)"
head -c 100 gen.memo >cut.memo
"$cli" eval --generated "$scale" --index cut.memo >/dev/null 2>cut.err
[ $? -eq 1 ] && grep -q "cut.memo: the memorization index is damaged" cut.err || fail "damaged index: $(cat cut.err)"
cp gen.ckpt lonely.ckpt
"$cli" eval --generated "$scale" --model lonely.ckpt >/dev/null 2>lonely.err
[ $? -eq 1 ] && grep -q "no memorization index beside it" lonely.err || fail "model without index: $(cat lonely.err)"
echo "eval --generated: 8 passed, 0 failed"
