#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# continuo-cli render, ports and bench render: a WAV that sox (an independent reader) accepts with
# the expected format and length; clear one-line errors for a bad SoundFont and a bad folder;
# `ports` never fails; the bench prints real-time factors (the peer only when fluidsynth exists).
set -u
cli=$1
data=$2
fail() { echo "FAIL: $*"; exit 1; }
command -v sox >/dev/null || { echo "SKIP: sox is not installed (Debian: sox)"; exit 77; }
[ -e /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || [ -n "${CONTINUO_SOUNDFONT:-}" ] \
    || { echo "SKIP: no General MIDI SoundFont (Debian: fluid-soundfont-gm)"; exit 77; }

"$cli" render "$data/valid/c-major-format0.mid" --out out.wav --rate 48000 --bits 24 --tail 1 2>err.txt \
    || fail "render exited $?: $(cat err.txt)"
[ -e out.wav.tmp ] && fail "the temporary file was left behind"
[ "$(soxi -r out.wav)" = 48000 ] || fail "rate $(soxi -r out.wav)"
[ "$(soxi -b out.wav)" = 24 ] || fail "bits $(soxi -b out.wav)"
[ "$(soxi -c out.wav)" = 2 ] || fail "channels $(soxi -c out.wav)"
# 4 s of music and 1 s of tail.
[ "$(soxi -s out.wav)" = 240000 ] || fail "length $(soxi -s out.wav) samples, expected 240000"
peak=$(sox out.wav -n stat 2>&1 | awk '/Maximum amplitude/ {print $3}')
awk -v p="$peak" 'BEGIN { exit !(p > 0.01 && p < 0.999) }' || fail "peak amplitude $peak"
grep -q "wrote out.wav: 5.00 s at 48000 Hz, 24 bit" err.txt || fail "summary: $(cat err.txt)"

printf 'not a soundfont' >bad.sf2
"$cli" render "$data/valid/c-major-format0.mid" --out bad.wav --soundfont bad.sf2 >out.txt 2>err.txt
[ $? -eq 1 ] || fail "a bad SoundFont should exit 1"
grep -q "^error: bad.sf2: this is not a SoundFont" err.txt || fail "error text: $(cat err.txt)"
[ -e bad.wav ] && fail "a WAV was written with a bad SoundFont"

"$cli" render "$data/valid/c-major-format0.mid" --out no/such/dir/x.wav >out.txt 2>err.txt
[ $? -eq 1 ] || fail "an unwritable path should exit 1"
grep -q "^error: no/such/dir/x.wav: cannot write the file" err.txt || fail "error text: $(cat err.txt)"

"$cli" ports --json >ports.json 2>/dev/null || fail "ports exited $?"
/usr/bin/python3 -c '
import json, sys
d = json.load(open("ports.json"))
assert d["apis"], d
for api in d["apis"]:
    assert api["available"] or api["problem"], api
' || fail "ports JSON: $(cat ports.json)"

if command -v fluidsynth >/dev/null; then peer=""; else peer="--no-peer"; fi
"$cli" bench render "$data/valid/c-major-format0.mid" --repeat 1 $peer >bench.json 2>err.txt \
    || fail "bench render exited $?: $(cat err.txt)"
/usr/bin/python3 -c '
import json, sys
d = json.load(open("bench.json"))
assert d["bench"] == "render" and d["realtime_factor"] > 1, d
assert abs(d["audio_s"] - 6.0) < 0.05, d
if "peer" in d:
    assert d["peer_realtime_factor"] > 0 and d["speedup_vs_peer"] > 0, d
' || fail "bench JSON: $(cat bench.json)"
echo "render: 6 passed, 0 failed"
