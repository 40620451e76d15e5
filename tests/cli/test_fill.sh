#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# continuo-cli fill with the bundled compound model: the notes outside the span, and the kept ones,
# come back unchanged (read back with mido); the new notes lie in the span, in a track of their own;
# the same --rng writes the same file; without --model the bundled fill model fills; bad requests
# are one sentence and a failure.
set -u
cli=$1
model="$(dirname "$0")/../../resources/models/default-compound.ckpt"
fail() { echo "FAIL: $*"; exit 1; }
/usr/bin/python3 - <<'PY' || fail "could not write the fixture piece"
import mido
midi = mido.MidiFile(ticks_per_beat=480)
right, left = mido.MidiTrack(), mido.MidiTrack()
right.append(mido.MetaMessage("track_name", name="Right"))
left.append(mido.MetaMessage("track_name", name="Left"))
scale = [60, 62, 64, 65, 67, 69, 71, 72]
for i in range(48):  # six bars of eighths
    right += [mido.Message("note_on", note=scale[i % 8], velocity=80, time=0),
              mido.Message("note_off", note=scale[i % 8], velocity=0, time=240)]
for i in range(12):  # a fifth every half bar
    left += [mido.Message("note_on", channel=1, note=48, velocity=70, time=0),
             mido.Message("note_on", channel=1, note=55, velocity=70, time=0),
             mido.Message("note_off", channel=1, note=48, velocity=0, time=960),
             mido.Message("note_off", channel=1, note=55, velocity=0, time=0)]
midi.tracks += [right, left]
midi.save("piece.mid")
PY
"$cli" fill piece.mid --model "$model" --from 3 --to 4 --variations 2 --rng 3 --out out.mid --json >fill.json 2>fill.err ||
    fail "fill exited $?: $(cat fill.err)"
"$cli" fill piece.mid --model "$model" --from 3 --to 4 --variations 2 --rng 3 --out again.mid >/dev/null 2>&1 ||
    fail "the second fill failed"
cmp -s out-1.mid again-1.mid && cmp -s out-2.mid again-2.mid || fail "the same --rng wrote other files"
"$cli" fill piece.mid --model "$model" --from 3 --to 4 --keep above:C4 --rng 3 --out melody.mid >/dev/null 2>fill.err ||
    fail "fill --keep exited $?: $(cat fill.err)"
/usr/bin/python3 - <<'PY' || fail "wrong fill: $(cat fill.json)"
import json, mido
summary = json.load(open("fill.json"))
assert summary["span"]["start_tick"] == 3840 and summary["span"]["end_tick"] == 7680, summary["span"]
assert summary["keep"] == "nothing" and len(summary["variations"]) == 2, summary
assert "candidates=2" in summary["settings"], summary["settings"]  # two drawn for each variation

def notes(track):
    out, now, sounding = [], 0, {}
    for message in track:
        now += message.time
        if message.type == "note_on" and message.velocity > 0:
            sounding[(message.channel, message.note)] = now
        elif message.type in ("note_off", "note_on"):
            start = sounding.pop((message.channel, message.note), None)
            if start is not None:
                out.append((start, now, message.note, message.channel))
    return sorted(out)

original = mido.MidiFile("piece.mid")
before = {t.name: notes(t) for t in original.tracks}
inside = lambda n: 3840 <= n[0] < 7680
for name, keep in (("out-1.mid", lambda n: False), ("melody.mid", lambda n: n[2] >= 60)):
    midi = mido.MidiFile(name)
    tracks = {t.name: notes(t) for t in midi.tracks if t.name}
    assert set(tracks) >= {"Right", "Left", "Fill"}, list(tracks)
    for track in ("Right", "Left"):
        expected = [n for n in before[track] if not inside(n) or keep(n)]
        assert tracks[track] == expected, (name, track, tracks[track][:8], expected[:8])
    assert tracks["Fill"], name + ": nothing was filled"
    for n in tracks["Fill"]:
        assert 3840 <= n[0] < 7680 and n[1] <= 7680, (name, n)
PY
# Without --model it fills with the bundled model taught to fill gaps.
"$cli" fill piece.mid --from 3 --to 4 --variations 1 --rng 3 --out plain.mid --json >plain.json 2>fill.err ||
    fail "fill without --model exited $?: $(cat fill.err)"
grep -q '"model": ".*fill-compound.ckpt"' plain.json || fail "fill without --model: $(head -3 plain.json)"
# Bad requests: one sentence each, and a failure.
"$cli" fill piece.mid --model "$model" --from 4 --to 3 --out bad.mid >/dev/null 2>err.txt && fail "an empty span was accepted"
grep -q "empty" err.txt && [ "$(wc -l <err.txt)" -eq 1 ] || fail "empty span: $(cat err.txt)"
"$cli" fill piece.mid --model "$model" --from 3 --to 4 --keep sideways --out bad.mid >/dev/null 2>err.txt &&
    fail "a bad --keep was accepted"
grep -q "not something to keep" err.txt || fail "bad keep: $(cat err.txt)"
"$cli" fill piece.mid --model "$model" --from 3 --to 4 --candidates 5 --out bad.mid >/dev/null 2>err.txt &&
    fail "--candidates 5 was accepted"
grep -q "fills drawn for each variation must be 1 to 4" err.txt && [ "$(wc -l <err.txt)" -eq 1 ] ||
    fail "bad --candidates: $(cat err.txt)"
"$cli" fill piece.mid --model "$model" --from 30 --to 31 --out bad.mid >/dev/null 2>err.txt && fail "a span past the end was accepted"
grep -q "after the end" err.txt || fail "span past the end: $(cat err.txt)"
[ ! -e bad.mid ] || fail "a failed fill wrote a file"
echo "fill: ok"
