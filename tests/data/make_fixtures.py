#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the small MIDI fixtures in tests/data byte by byte (no MIDI library), so each is exactly
what its name says. Run from anywhere; it rewrites valid/, lenient/, malformed/ and soundfonts/ (files named
fuzz-* are reproducers kept by hand and are left alone).

valid/      must parse without error
lenient/    must parse, with at least one warning
malformed/  must be rejected with an SmfError
soundfonts/ must be refused by the synth with an AudioError
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def header(fmt, ntrks, division):
    return b"MThd" + struct.pack(">IHHH", 6, fmt, ntrks, division)


def chunk(tag, body):
    return tag + struct.pack(">I", len(body)) + body


def track(events):
    """events: list of (delta, bytes); End of Track appended."""
    body = b"".join(vlq(d) + e for d, e in events) + b"\x00\xff\x2f\x00"
    return chunk(b"MTrk", body)


def meta(kind, payload):
    return bytes([0xFF, kind]) + vlq(len(payload)) + payload


def tempo(bpm):
    return meta(0x51, struct.pack(">I", round(60e6 / bpm))[1:])


SCALE = [60, 62, 64, 65, 67, 69, 71, 72]


def c_major_format0():
    ev = [(0, meta(0x03, b"C major scale")), (0, tempo(120)), (0, meta(0x58, bytes([4, 2, 24, 8]))),
          (0, meta(0x59, bytes([0, 0]))), (0, bytes([0xC0, 0]))]
    first = True
    for p in SCALE:  # running status: note-on, then note-on with velocity 0 as note-off
        ev.append((0, (bytes([0x90]) if first else b"") + bytes([p, 80])))
        ev.append((480, bytes([p, 0])))
        first = False
    return header(0, 1, 480) + track(ev)


def two_tracks_format1():
    conductor = track([(0, tempo(120)), (0, meta(0x58, bytes([3, 2, 24, 8]))), (0, meta(0x59, bytes([0xFF, 1]))),
                       (1440, tempo(60)), (0, meta(0x06, b"slower"))])
    piano = track([(0, meta(0x03, b"Piano")), (0, bytes([0xC0, 0])), (0, bytes([0xB0, 64, 127])),
                   (0, bytes([0x90, 62, 90])), (240, bytes([0x80, 62, 0])), (0, bytes([0x90, 65, 70])),
                   (240, bytes([0x80, 65, 0])), (0, bytes([0xB0, 64, 0])), (0, bytes([0x90, 69, 60])),
                   (960, bytes([0x80, 69, 0]))])
    drums = track([(0, meta(0x03, b"Drums")), (0, bytes([0x99, 36, 100])), (240, bytes([0x89, 36, 0])),
                   (0, bytes([0x99, 38, 100])), (240, bytes([0x89, 38, 0]))])
    return header(1, 3, 480) + conductor + piano + drums


def smpte_25fps():
    ev = [(0, bytes([0x90, 60, 100])), (1000, bytes([0x80, 60, 0]))]  # 1000 ticks at 25*40 = 1 s
    return header(0, 1, 0xE728) + track(ev)


def format2():
    seq = lambda p: track([(0, bytes([0x90, p, 100])), (96, bytes([0x80, p, 0]))])
    return header(2, 2, 96) + seq(60) + seq(64)


def sysex_and_text():
    ev = [(0, bytes([0xF0]) + vlq(5) + bytes([0x7E, 0x7F, 0x09, 0x01, 0xF7])), (0, meta(0x05, "là".encode())),
          (0, bytes([0x90, 60, 100])), (96, bytes([0x80, 60, 64])), (0, meta(0x7F, b"\x00\x00\x41"))]
    return header(0, 1, 96) + track(ev)


def riff(smf):
    data = b"RMID" + chunk(b"data", smf)
    return b"RIFF" + struct.pack("<I", len(data)) + data.replace(b"data" + struct.pack(">I", len(smf)),
                                                                   b"data" + struct.pack("<I", len(smf)))


def empty_zero_tracks():
    return header(1, 0, 480)


VALID = {
    "c-major-format0.mid": c_major_format0(),
    "two-tracks-format1.mid": two_tracks_format1(),
    "smpte-25fps.mid": smpte_25fps(),
    "format2-two-sequences.mid": format2(),
    "sysex-and-text.mid": sysex_and_text(),
    "riff-wrapped.rmi": riff(c_major_format0()),
    "zero-tracks.mid": empty_zero_tracks(),
}

scale = c_major_format0()
LENIENT = {
    "track-length-past-end.mid": scale[:18] + struct.pack(">I", 9999) + scale[22:],
    "missing-end-of-track.mid": header(0, 1, 96) + chunk(b"MTrk", bytes([0, 0x90, 60, 100, 96, 0x80, 60, 0])),
    "trailing-garbage.mid": scale + b"\x00\x01\x02",
    "declares-3-tracks-has-1.mid": header(1, 3, 480) + scale[14:],
    "stray-realtime-byte.mid": header(0, 1, 96) + track([(0, bytes([0xF8])), (0, bytes([0x90, 60, 100])),
                                                         (96, bytes([0x80, 60, 0]))]),
    "velocity-above-127.mid": header(0, 1, 96) + track([(0, bytes([0x90, 60, 0xCC])), (96, bytes([0x80, 60, 0]))]),
    "unknown-chunk.mid": header(0, 1, 480) + chunk(b"Junk", b"hello") + scale[14:],
    "note-never-released.mid": header(0, 1, 96) + track([(0, bytes([0x90, 60, 100])), (384, meta(0x01, b"end"))]),
    "short-time-signature.mid": header(0, 1, 96) + track([(0, meta(0x58, bytes([4]))), (0, bytes([0x90, 60, 100])),
                                                          (96, bytes([0x80, 60, 0]))]),
}

MALFORMED = {
    "empty.mid": b"",
    "plain-text.mid": b"this is not midi\n",
    "truncated-header.mid": b"MThd\x00\x00\x00\x06\x00",
    "header-length-4.mid": b"MThd" + struct.pack(">IHH", 4, 0, 1) + track([]),
    "header-length-past-end.mid": b"MThd" + struct.pack(">IHHH", 0xFFFFFFF0, 0, 1, 96),
    "format-3.mid": header(3, 1, 96) + track([]),
    "division-zero.mid": header(0, 1, 0) + track([]),
    "smpte-16fps.mid": header(0, 1, 0xF060) + track([]),
    "smpte-zero-ticks-per-frame.mid": header(0, 1, 0xE700) + track([]),
    "five-byte-vlq.mid": header(0, 1, 96) + chunk(b"MTrk", bytes([0x81, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 100])),
    "running-status-without-status.mid": header(0, 1, 96) + chunk(b"MTrk", bytes([0x00, 60, 100, 0, 0xFF, 0x2F, 0])),
    "damaged-chunk-id.mid": header(0, 1, 96) + b"\x01\x02\x03\x04" + scale[18:],
    "riff-without-data.rmi": b"RIFF" + struct.pack("<I", 12) + b"RMID" + b"DISP" + struct.pack("<I", 0),
    "riff-not-rmid.rmi": b"RIFF" + struct.pack("<I", 4) + b"WAVE",
    "huge-tick.mid": header(0, 1, 96) + chunk(b"MTrk", b"".join(bytes([0x00, 0x90, 60, 100]) if i == 0 else
                                                               bytes([0xFF, 0xFF, 0xFF, 0x7F, 60, 0]) for i in range(300))),
}

# SoundFonts the synth must refuse with a clear message: plain text, and a RIFF sfbk header whose
# INFO list claims 64 bytes but ends after 10 (a download cut short).
SOUNDFONTS = {
    "not-a-soundfont.sf2": b"this is not a soundfont\n",
    "damaged.sf2": b"RIFF" + struct.pack("<I", 4096) + b"sfbk" + b"LIST" + struct.pack("<I", 64) + b"INFO"
                   + b"ifil" + struct.pack("<I", 4) + struct.pack("<H", 2),
}


def write_all():
    for folder, files in (("valid", VALID), ("lenient", LENIENT), ("malformed", MALFORMED),
                          ("soundfonts", SOUNDFONTS)):
        path = os.path.join(HERE, folder)
        os.makedirs(path, exist_ok=True)
        for name in os.listdir(path):
            if not name.startswith("fuzz-"):
                os.remove(os.path.join(path, name))
        for name, data in files.items():
            with open(os.path.join(path, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    write_all()
