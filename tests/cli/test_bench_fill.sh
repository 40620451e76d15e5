#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# continuo-cli bench fill with the bundled compound model on generated pieces: a short piece is
# skipped, --split validation reads a model's held-out files, the repeated bars before the gap are the real ones on a piece that repeats itself every
# two bars, the likelihoods and seams are finite, the same --rng gives the same figures, and a model
# that cannot fill is refused in one sentence.
set -u
cli=$1
models="$(dirname "$0")/../../resources/models"
fail() { echo "FAIL: $*"; exit 1; }
rm -rf pieces && mkdir pieces
/usr/bin/python3 - <<'PY' || fail "could not write the fixture pieces"
import mido
def piece(path, tonic, bars):
    track = mido.MidiTrack()
    steps = [0, 2, 4, 5, 7, 9, 11, 12, 11, 9, 7, 5, 4, 2, 0, -1]  # two bars of eighths
    for i in range(bars * 8):
        pitch = 60 + tonic + steps[i % len(steps)]
        track += [mido.Message("note_on", note=pitch, velocity=80, time=0),
                  mido.Message("note_off", note=pitch, velocity=0, time=240)]
    midi = mido.MidiFile(ticks_per_beat=480)
    midi.tracks.append(track)
    midi.save(path)
piece("pieces/a-c-major.mid", 0, 20)   # 40 s
piece("pieces/b-d-major.mid", 2, 20)
piece("pieces/d-e-major.mid", 4, 20)
piece("pieces/c-short.mid", 7, 8)      # 16 s: no window of ten bars after 10 s
PY
for run in 1 2; do
    "$cli" bench fill --model "$models/default-compound.ckpt" --corpus pieces --variations 2 --rng 3 --json \
        >fill-$run.json 2>fill.err || fail "bench fill exited $?: $(cat fill.err)"
done
/usr/bin/python3 - <<'PY' || fail "wrong figures: $(cat fill-1.json)"
import json, math
a = json.load(open("fill-1.json"))
b = json.load(open("fill-2.json"))
assert a["files_used"] == 3 and a["files_skipped"] == 1, (a["files_used"], a["skipped"])
assert a["skipped"][0].startswith("c-short.mid: shorter than 10 bars"), a["skipped"]
# The piece repeats every two bars: the bars before the gap are the gap's own notes.
repeat = a["repeat"]
assert repeat["pitch_content"] == 1.0 and repeat["density"] == 0.0 and repeat["rhythm"] == 1.0, repeat
for key in ("fill", "left_to_right", "repeat"):
    assert math.isfinite(a[key]["seam_nats_per_note"]) and a[key]["seam_nats_per_note"] > 0, a[key]
    assert 0 <= a[key]["pitch_content"] <= 1, a[key]
for key in ("fill_nats_per_note", "left_to_right_nats_per_note", "truth_seam_nats_per_note"):
    assert math.isfinite(a[key]) and a[key] > 0, (key, a[key])
assert a["seconds_per_fill"] > 0
for run in (a, b):
    for f in run["files"]:
        del f["fill_s"]  # wall time
    del run["seconds_per_fill"]
assert a == b, "the same --rng gave other figures"
PY
# --split validation: the held-out files (two of the four) of a model trained on the folder, and none of a foreign one.
"$cli" train --corpus pieces --repr compound --arch transformer --preset tiny --seq 8 --batch 2 \
    --steps-per-epoch 2 --epochs 1 --validation 0.4 --device cpu --no-cache --out tiny.ckpt >/dev/null 2>train.err ||
    fail "train exited $?: $(cat train.err)"
"$cli" bench fill --model tiny.ckpt --corpus pieces --split validation --no-cache --variations 1 --json \
    >valid.json 2>bench.err || fail "bench fill --split validation exited $?: $(cat bench.err)"
/usr/bin/python3 - <<'PY' || fail "wrong validation files: $(cat valid.json)"
import json
v = json.load(open("valid.json"))
assert v["split"] == "validation" and v["files_used"] + v["files_skipped"] == 2 and v["files_used"] >= 1, v
PY
"$cli" bench fill --model "$models/default-compound.ckpt" --corpus pieces --split validation >/dev/null 2>err.txt &&
    fail "--split validation on a foreign folder succeeded"
grep -q "validation files are unknown" err.txt || fail "unclear error: $(cat err.txt)"
"$cli" bench fill --model "$models/default-notes.ckpt" --corpus pieces >/dev/null 2>err.txt &&
    fail "a notes model was accepted"
grep -q "compound" err.txt && [ "$(wc -l <err.txt)" -eq 1 ] || fail "notes model: $(cat err.txt)"
echo "bench fill: ok"
