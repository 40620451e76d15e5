#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# continuo-cli generate with a tiny model trained on the fixtures, for both representations: the
# files read back with mido, one per variation, every note inside the constraints, the same --rng
# gives the same file, a random seed from a folder, and clear errors.
set -u
cli=$1
data=$2
fail() { echo "FAIL: $*"; exit 1; }
seed="$data/valid/two-tracks-format1.mid"
for repr in performance notes; do
    "$cli" train --corpus "$data/valid" --repr $repr --preset tiny --seq 4 --batch 2 --steps-per-epoch 2 \
        --epochs 1 --validation 0.3 --device cpu --no-cache --out gen-$repr.ckpt >/dev/null 2>train.err ||
        fail "train $repr exited $?: $(cat train.err)"
    rm -f out-$repr*.mid
    "$cli" generate --model gen-$repr.ckpt --seed-file "$seed" --length 60 --variations 3 --rng 5 \
        --key "D minor" --range C3-C6 --max-poly 2 --temperature 1.2 --top-p 0.98 --json \
        --out out-$repr.mid >gen-$repr.json 2>gen.err || fail "generate $repr exited $?: $(cat gen.err)"
    /usr/bin/python3 - "$repr" <<'PY' || fail "$repr: the generated files are wrong: $(cat gen-$repr.json)"
import json, sys, mido
repr = sys.argv[1]
summary = json.load(open(f"gen-{repr}.json"))
assert summary["representation"] == repr and len(summary["variations"]) == 3, summary
allowed = {2, 4, 5, 7, 9, 10, 0}  # D natural minor
for i, v in enumerate(summary["variations"], 1):
    assert v["file"] == f"out-{repr}-{i}.mid", v
    midi = mido.MidiFile(v["file"])
    names = [t.name for t in midi.tracks]
    assert "Seed" in names and "Continuation" in names, names
    texts = [m.text for t in midi.tracks for m in t if m.type == "text"]
    assert any("rng=5" in t and f"representation={repr}" in t for t in texts), texts
    track = midi.tracks[names.index("Continuation")]
    now, sounding, most, notes = 0, set(), 0, 0
    for m in track:
        now += m.time
        if m.type == "note_on" and m.velocity > 0:
            notes += 1
            assert 48 <= m.note <= 84 and m.note % 12 in allowed, (v["file"], m)
            sounding.add(m.note)
            most = max(most, len(sounding))
        elif m.type in ("note_off", "note_on"):
            sounding.discard(m.note)
    assert notes == 60 and notes == v["notes"], (notes, v)
    assert most <= 2, most
PY
done
# The same --rng gives the same notes.
"$cli" generate --model gen-notes.ckpt --seed-file "$seed" --length 60 --variations 3 --rng 5 --key "D minor" \
    --range C3-C6 --max-poly 2 --temperature 1.2 --top-p 0.98 --out again.mid >/dev/null 2>&1 || fail "again exited $?"
cmp -s again-2.mid out-notes-2.mid || fail "the same --rng gave a different file"

# A random seed from a folder (of the files just generated), and a length in bars.
rm -rf seeds && mkdir seeds && cp out-notes-1.mid seeds/
/usr/bin/python3 - <<'PY' || fail "could not write the seed fixture"
import mido
track = mido.MidiTrack()
for i in range(64):  # 8 bars of a two-octave scale in eighths
    pitch = 60 + [0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19, 21, 23][i % 14]
    track += [mido.Message("note_on", note=pitch, velocity=80, time=0),
              mido.Message("note_off", note=pitch, velocity=0, time=240)]
mido.MidiFile(ticks_per_beat=480, tracks=[track]).save("seeds/scale.mid")
PY
"$cli" generate --model gen-notes.ckpt --seed-random seeds --seed-bars 1 --bars 2 --out random.mid --json \
    >random.json 2>random.err || fail "random seed exited $?: $(cat random.err)"
grep -q '"file": "random.mid"' random.json || fail "random seed: $(cat random.json)"

# Clear errors.
"$cli" generate --model gen-notes.ckpt --seed-file "$seed" --key "H major" --out x.mid 2>err.txt && fail "a bad key passed"
grep -q 'is not a scale' err.txt || fail "bad key message: $(cat err.txt)"
"$cli" generate --model gen-notes.ckpt --seed-file "$seed" --range C0-B0 --out x.mid 2>err.txt && fail "an empty range passed"
grep -q 'constraints' err.txt || fail "impossible constraints message: $(cat err.txt)"
"$cli" generate --model gen-notes.ckpt --seed-file "$seed" --follow-seed 5 --out x.mid 2>err.txt &&
    fail "--follow-seed 5 passed"
grep -q 'Follow the seed must be from 0' err.txt || fail "follow-seed message: $(cat err.txt)"
for hold in register key rhythm; do
    "$cli" generate --model gen-notes.ckpt --seed-file "$seed" --hold-$hold 5 --out x.mid 2>err.txt &&
        fail "--hold-$hold 5 passed"
    grep -q "Hold the $hold must be from 0" err.txt || fail "hold-$hold message: $(cat err.txt)"
done
"$cli" generate --model gen-notes.ckpt --seed-file "$seed" --from 200 --to 201 --out x.mid 2>err.txt &&
    fail "a range without notes passed"
grep -q 'has no notes' err.txt || fail "empty range message: $(cat err.txt)"
# A damaged file whose clock runs for 32 days after its one note: refused at once, named.
"$cli" generate --model gen-notes.ckpt --seed-file "$data/valid/fuzz-end-of-track-gap.mid" --out x.mid 2>err.txt &&
    fail "a seed of 776 hours passed"
grep -q 'fuzz-end-of-track-gap.mid lasts 776.7 hours; a seed may last at most an hour' err.txt ||
    fail "long seed message: $(cat err.txt)"
[ ! -e x.mid ] || fail "a failed run wrote x.mid"
echo "cli generate: ok"
