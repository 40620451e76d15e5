# SPDX-License-Identifier: GPL-3.0-or-later
# Compares the notes and tempo events smfdump prints with those python3-mido finds, file by file.
"""Oracle test for the SMF reader and note pairing.

Usage: mido_oracle.py SMFDUMP FOLDER [FOLDER...]

Every .mid/.midi file under each folder (recursively) is read twice: by our engine, through the
smfdump tool (one process for many files), and independently by mido. From mido's messages the
notes are paired with the engine's documented rule: per (track, channel, pitch) first in first
out, note_on with velocity 0 is a note-off, a note-off with nothing sounding is ignored, and notes
still sounding at the end of their track close at the track's end tick (the first end_of_track,
or the last message if there is none). Format 2 tracks are laid end to end, as the engine does;
the piano corpus is all format 1, so that branch is not exercised there. Tempo events are compared
as (track, tick within the track, microseconds per quarter).

Missing folders are skipped with a message; if none exists the script exits 77, which ctest
reports as skipped. The last line is always "oracle: N passed, M failed" (file counts).
"""

import collections
import os
import subprocess
import sys

SKIP_RETURN_CODE = 77
MAX_DIFFERENCES_SHOWN = 5
BATCH_FILES = 200  # files per smfdump process, keeping the command line well under ARG_MAX


def findMidiFiles(folder):
    """All MIDI files under folder, sorted, as paths."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith((".mid", ".midi")):
                found.append(os.path.join(root, name))
    return found


class Dump:
    """What smfdump printed for one file."""

    def __init__(self):
        self.header = None
        self.notes = []
        self.tempos = []
        self.warnings = []
        self.error = None


def runSmfdump(smfdump, paths):
    """Runs smfdump over paths; returns {path: Dump}. A file that crashes smfdump gets an error."""
    dumps = {}
    remaining = list(paths)
    while remaining:
        batch, remaining = remaining[:BATCH_FILES], remaining[BATCH_FILES:]
        proc = subprocess.run([smfdump] + batch, stdout=subprocess.PIPE, check=False)
        current = None
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            kind, _, rest = line.partition(" ")
            if kind == "F":
                current = dumps.setdefault(rest, Dump())
            elif current is None:
                continue
            elif kind == "N":
                current.notes.append(tuple(int(x) for x in rest.split()))
            elif kind == "T":
                current.tempos.append(tuple(int(x) for x in rest.split()))
            elif kind == "H":
                current.header = rest
            elif kind == "W":
                current.warnings.append(rest)
            elif kind == "E":
                current.error = rest
        if proc.returncode != 0:
            # The last file started is the one that killed it; go on with the files after it.
            done = [p for p in batch if p in dumps]
            culprit = done[-1] if done else batch[0]
            dumps.setdefault(culprit, Dump()).error = (
                "smfdump exited with status %d on this file" % proc.returncode)
            remaining = batch[batch.index(culprit) + 1:] + remaining
    return dumps


def midoReference(mido, path):
    """Header string, notes and tempo events of one file, computed from mido's messages alone."""
    mf = mido.MidiFile(path)
    division = str(mf.ticks_per_beat) if mf.ticks_per_beat > 0 else "smpte"
    header = "%d %d %s" % (mf.type, len(mf.tracks), division)
    notes = []
    tempos = []
    offset = 0
    for trackIndex, track in enumerate(mf.tracks):
        sounding = collections.defaultdict(collections.deque)  # (channel, pitch) -> start ticks
        tick = 0
        endTick = None
        for msg in track:
            tick += msg.time
            kind = msg.type
            if kind == "note_on" and msg.velocity > 0:
                sounding[(msg.channel, msg.note)].append(tick)
            elif kind == "note_off" or kind == "note_on":
                starts = sounding.get((msg.channel, msg.note))
                if starts:
                    notes.append((trackIndex, msg.channel, msg.note,
                                  offset + starts.popleft(), offset + tick))
            elif kind == "set_tempo":
                tempos.append((trackIndex, tick, msg.tempo))
            elif kind == "end_of_track" and endTick is None:
                endTick = tick
        if endTick is None:
            endTick = tick  # the last message's tick (0 for an empty track)
        for (channel, pitch), starts in sounding.items():
            for start in starts:
                notes.append((trackIndex, channel, pitch, offset + start, offset + endTick))
        if mf.type == 2:
            offset += endTick
    return header, sorted(notes), sorted(tempos)


def describeDifference(label, ours, theirs):
    """Lines naming what only one side has, at most MAX_DIFFERENCES_SHOWN per side."""
    ourCount = collections.Counter(ours)
    theirCount = collections.Counter(theirs)
    onlyOurs = sorted((ourCount - theirCount).elements())
    onlyTheirs = sorted((theirCount - ourCount).elements())
    lines = ["  %s: ours %d, mido %d; %d only in ours, %d only in mido"
             % (label, len(ours), len(theirs), len(onlyOurs), len(onlyTheirs))]
    for item in onlyOurs[:MAX_DIFFERENCES_SHOWN]:
        lines.append("    only ours: %s" % (item,))
    for item in onlyTheirs[:MAX_DIFFERENCES_SHOWN]:
        lines.append("    only mido: %s" % (item,))
    return lines


def compareFile(mido, path, dump):
    """Returns (status, lines): status is 'pass', 'fail' or 'uncompared' (mido cannot read it)."""
    try:
        header, notes, tempos = midoReference(mido, path)
    except Exception as error:  # mido raises IOError, EOFError, ValueError, KeyError...
        if dump is None or dump.error is not None:
            return "pass", []  # both refuse it
        return "uncompared", ["  mido refuses it (%s: %s); ours reads it"
                              % (type(error).__name__, error)]
    if dump is None:
        return "fail", ["  smfdump printed nothing for it"]
    if dump.error is not None:
        return "fail", ["  ours refuses it, mido reads it: %s" % dump.error]
    lines = []
    if dump.header != header:
        lines.append("  header (format tracks division): ours %s, mido %s" % (dump.header, header))
    ourNotes = sorted(dump.notes)
    if ourNotes != notes:
        lines += describeDifference("notes (track channel pitch start end)", ourNotes, notes)
    ourTempos = sorted(dump.tempos)
    if ourTempos != tempos:
        lines += describeDifference("tempos (track tick usPerQuarter)", ourTempos, tempos)
    if lines:
        for warning in dump.warnings[:MAX_DIFFERENCES_SHOWN]:
            lines.append("  warning from our reader: %s" % warning)
        return "fail", lines
    return "pass", []


def main(argv):
    if len(argv) < 3:
        print("usage: mido_oracle.py SMFDUMP FOLDER [FOLDER...]", file=sys.stderr)
        return 2
    smfdump = argv[1]
    try:
        import mido
    except ImportError:
        print("mido is not installed (Debian: apt install python3-mido); skipping")
        print("oracle: 0 passed, 0 failed")
        return SKIP_RETURN_CODE

    folders = []
    for folder in argv[2:]:
        if os.path.isdir(folder):
            folders.append(folder)
        else:
            print("skipping %s: no such folder" % folder)
    if not folders:
        print("no corpus folder found; skipping")
        print("oracle: 0 passed, 0 failed")
        return SKIP_RETURN_CODE

    filesByFolder = [(folder, findMidiFiles(folder)) for folder in folders]
    dumps = runSmfdump(smfdump, [p for _, files in filesByFolder for p in files])

    totalPassed = totalFailed = 0
    for folder, files in filesByFolder:
        passed = failed = uncompared = 0
        for path in files:
            status, lines = compareFile(mido, path, dumps.get(path))
            if status == "pass":
                passed += 1
            elif status == "fail":
                failed += 1
                print("MISMATCH %s" % path)
            else:
                uncompared += 1
                print("NOT COMPARED %s" % path)
            for line in lines:
                print(line)
        print("%s: %d files, %d passed, %d failed, %d not compared (mido cannot read them)"
              % (folder, len(files), passed, failed, uncompared))
        totalPassed += passed
        totalFailed += failed

    if totalPassed + totalFailed == 0:
        print("no MIDI file found in the corpus folders")
    print("oracle: %d passed, %d failed" % (totalPassed, totalFailed))
    if totalFailed or totalPassed == 0:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
