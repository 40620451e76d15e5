#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# continuo-cli inspect: good files are described (text and JSON); a bad file gives a one-line error
# naming it, the exit status is 1, and the files after it are still reported.
set -u
cli=$1
data=$2
fail() { echo "FAIL: $*"; exit 1; }

out=$("$cli" inspect "$data/valid/two-tracks-format1.mid") || fail "inspect of a valid file exited $?"
echo "$out" | grep -q "format 1, 3 track(s), 480 ticks per quarter" || fail "text summary: $out"
echo "$out" | grep -q "3/4 at tick 0" || fail "meter missing: $out"
echo "$out" | grep -q "D minor" || fail "key missing: $out"

json=$("$cli" inspect --json "$data/valid/c-major-format0.mid") || fail "inspect --json exited $?"
echo "$json" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["ok"] and d["notes"] == 8 and d["format"] == 0, d
assert d["pitch_range"]["lowest_name"] == "C4" and d["pitch_range"]["highest_name"] == "C5", d
assert abs(d["duration_s"] - 4.0) < 1e-9, d
' || fail "JSON summary: $json"

"$cli" inspect "$data/malformed/plain-text.mid" "$data/valid/c-major-format0.mid" >out.txt 2>err.txt
status=$?
[ "$status" -eq 1 ] || fail "exit status $status for a bad file, expected 1"
[ "$(wc -l <err.txt)" -eq 1 ] || fail "expected a one-line error, got: $(cat err.txt)"
grep -q "plain-text.mid: this is not a Standard MIDI File" err.txt || fail "error text: $(cat err.txt)"
grep -q "c-major-format0.mid" out.txt || fail "the good file after the bad one was not reported"
echo "inspect: 4 passed, 0 failed"
