#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# continuo-cli bench continuation with the bundled models on a folder of generated pieces: a short
# piece is skipped and counted, the baselines behave as their definitions say (the repeated seed is
# a loop, the same figures for the same --rng), the network's likelihood is finite, and a folder that
# is not the model's corpus gives a clear error for --split validation.
set -u
cli=$1
fail() { echo "FAIL: $*"; exit 1; }
rm -rf pieces && mkdir pieces
/usr/bin/python3 - <<'PY' || fail "could not write the fixture pieces"
import mido
def piece(path, tonic, bars):
    track = mido.MidiTrack()
    steps = [0, 2, 4, 5, 7, 9, 11, 12, 11, 9, 7, 5, 4, 2]
    for i in range(bars * 8):  # eighths at 120 bpm: 4 notes a second
        pitch = 60 + tonic + steps[i % len(steps)]
        track += [mido.Message("note_on", note=pitch, velocity=80, time=0),
                  mido.Message("note_off", note=pitch, velocity=0, time=240)]
    midi = mido.MidiFile(ticks_per_beat=480)
    midi.tracks.append(track)
    midi.save(path)
piece("pieces/a-c-major.mid", 0, 16)   # 32 s
piece("pieces/b-d-major.mid", 2, 16)
piece("pieces/c-f-major.mid", 5, 16)
piece("pieces/d-short.mid", 7, 2)      # 4 s: too short
PY
for model in default-notes default-performance; do
    for run in 1 2; do
        "$cli" bench continuation --model "$(dirname "$0")/../../resources/models/$model.ckpt" --corpus pieces \
            --at 2 --window 4 --variations 2 --rng 3 --json >bench-$model-$run.json 2>bench.err ||
            fail "bench $model exited $?: $(cat bench.err)"
    done
    /usr/bin/python3 - "$model" <<'PY' || fail "$model: wrong figures: $(cat bench-$model-1.json)"
import json, math, sys
model = sys.argv[1]
a = json.load(open(f"bench-{model}-1.json"))
b = json.load(open(f"bench-{model}-2.json"))
assert a["files_used"] == 3 and a["files_skipped"] == 1, (a["files_used"], a["skipped"])
assert a["skipped"][0].startswith("d-short.mid: shorter than"), a["skipped"]
assert [f["file"] for f in a["files"]] == ["a-c-major.mid", "b-d-major.mid", "c-f-major.mid"]
# The seed played again: 4 s of a 14-note pattern against the next 4 s of the same pattern.
repeat = a["repeat"]
assert repeat["loop"] == 1.0 and repeat["density"] == 0.0 and repeat["key"] == 0.0, repeat
assert repeat["pitch_content"] > 0.8 and repeat["rhythm"] == 1.0, repeat
# Another file is in another key: less pitch content, leaves the seed's scale.
assert a["other"]["pitch_content"] < repeat["pitch_content"] and a["other"]["key"] < 0, a["other"]
assert 0 < a["truth_loop"] <= 1, a["truth_loop"]
for name in ("pitch_content", "rhythm", "loop"):
    assert 0 <= a["model_figures"][name] <= 1, a["model_figures"]
assert math.isfinite(a["nats_per_note"]) and a["nats_per_note"] > 0, a["nats_per_note"]
# The corpus statistics of all continuations and of all truths: normalised histograms, and the
# truths (scales of C, D and F major) never sound G#.
stats = a["statistics"]
for side in ("continuations", "truth"):
    for feature, histogram in stats[side].items():
        assert abs(sum(histogram) - 1) < 1e-9, (side, feature, histogram)
assert stats["truth"]["pitch_class"][8] == 0, stats["truth"]["pitch_class"]
assert 0 <= stats["continuations_to_truth"]["pitch_class"] <= 6, stats["continuations_to_truth"]
assert a["seconds_per_continuation"] > 0
for run in (a, b):
    for f in run["files"]:
        del f["generation_s"]  # wall time
for key in ("model_figures", "repeat", "other", "truth_loop", "nats_per_note", "files"):
    assert a[key] == b[key], key  # the same --rng gives the same figures
# Every continuation is checked against the training files of the model (its .memo).
m = a["memorization"]
assert m["threshold"] == 16 and 0 <= m["continuations_over_threshold"] <= 6, m
assert m["longest_copy_distinct_notes"] >= 0, m
PY
done
# A humanized seed: the model reads another seed, the figures are still those of the file.
"$cli" bench continuation --model "$(dirname "$0")/../../resources/models/default-notes.ckpt" --corpus pieces \
    --at 2 --window 4 --variations 2 --rng 3 --humanize --json >human.json 2>bench.err ||
    fail "bench --humanize exited $?: $(cat bench.err)"
/usr/bin/python3 - <<'PY' || fail "wrong humanized run: $(cat human.json)"
import json
h, a = json.load(open("human.json")), json.load(open("bench-default-notes-1.json"))
assert h["humanized"] is True and a["humanized"] is False
assert h["repeat"] == a["repeat"] and h["files_used"] == 3, h["repeat"]
assert h["nats_per_note"] != a["nats_per_note"], "the humanized seed was not what the model read"
PY
# The validation files of a model trained on the folder (two of the four).
"$cli" train --corpus pieces --repr notes --preset tiny --seq 4 --batch 2 --steps-per-epoch 2 --epochs 1 \
    --validation 0.4 --device cpu --no-cache --out tiny.ckpt >/dev/null 2>train.err ||
    fail "train exited $?: $(cat train.err)"
"$cli" bench continuation --model tiny.ckpt --corpus pieces --split validation --no-cache --at 2 --window 4 \
    --json >valid.json 2>bench.err || fail "bench --split validation exited $?: $(cat bench.err)"
/usr/bin/python3 - <<'PY' || fail "wrong validation files: $(cat valid.json)"
import json
v = json.load(open("valid.json"))
assert v["files_used"] + v["files_skipped"] == 2 and v["files_used"] >= 1, v["skipped"]
PY
"$cli" bench continuation --corpus pieces --split validation --at 2 --window 4 >/dev/null 2>err.txt &&
    fail "--split validation on a foreign folder succeeded"
grep -q "validation files are unknown" err.txt || fail "unclear error: $(cat err.txt)"
echo "bench continuation: ok"
