// SPDX-License-Identifier: GPL-3.0-or-later
// Prints the notes and tempo events our reader finds in MIDI files, for mido_oracle.py.

// Output, per file given on the command line (fields separated by one space):
//
//   F <path>                                        the file; everything below belongs to it
//   H <format> <tracks> <ticksPerQuarter | smpte>   header as read
//   N <track> <channel> <pitch> <startTick> <endTick>   one note (track = MTrk index)
//   T <track> <tick> <usPerQuarter>                 one tempo meta event, tick within its track
//   W <warning>                                     a warning from the reader
//   E <message>                                     reading failed; no other lines follow
//
// Note ticks come from scoreFromSmf, so for format 2 files they include the offset that lays the
// tracks end to end; tempo ticks are read raw from the tracks and never have it.

#include "core/error.h"
#include "midi/smffile.h"
#include "midi/smfreader.h"
#include "score/score.h"
#include "score/smfconvert.h"

#include <cstdio>
#include <exception>
#include <string>

namespace {

/// Keeps a message on one line so the reader of this output can split on newlines.
std::string oneLine(std::string text)
{
    for (char &c : text) {
        if (c == '\n' || c == '\r')
            c = ' ';
    }
    return text;
}

void dumpFile(const char *path)
{
    std::printf("F %s\n", path);
    try {
        const continuo::SmfFile file = continuo::readSmfFile(path);
        if (file.division.isSmpte) {
            std::printf("H %d %zu smpte\n", file.format, file.tracks.size());
        } else {
            std::printf("H %d %zu %d\n", file.format, file.tracks.size(), file.division.ticksPerQuarter);
        }
        for (const std::string &warning : file.warnings)
            std::printf("W %s\n", oneLine(warning).c_str());

        for (std::size_t t = 0; t < file.tracks.size(); ++t) {
            const continuo::SmfTrack &track = file.tracks[t];
            for (const continuo::MidiEvent &event : track.events) {
                if (!event.isMeta(continuo::meta::kTempo) || event.payloadSize != 3)
                    continue;
                // Tempo payload: 24-bit big-endian microseconds per quarter note.
                const std::string_view bytes = track.payload(event);
                const unsigned long usPerQuarter =
                    (static_cast<unsigned long>(static_cast<unsigned char>(bytes[0])) << 16)
                    | (static_cast<unsigned long>(static_cast<unsigned char>(bytes[1])) << 8)
                    | static_cast<unsigned long>(static_cast<unsigned char>(bytes[2]));
                std::printf("T %zu %lld %lu\n", t, static_cast<long long>(event.tick), usPerQuarter);
            }
        }

        const continuo::Score score = continuo::scoreFromSmf(file);
        for (const continuo::Note &note : score.notes) {
            const int track = score.parts[static_cast<std::size_t>(note.part)].sourceTrack;
            std::printf("N %d %d %d %lld %lld\n", track, note.channel, note.pitch,
                        static_cast<long long>(note.startTick), static_cast<long long>(note.endTick));
        }
    } catch (const std::exception &error) {
        std::printf("E %s\n", oneLine(error.what()).c_str());
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: smfdump FILE.mid...\n");
        return 2;
    }
    for (int i = 1; i < argc; ++i)
        dumpFile(argv[i]);
    return std::fflush(stdout) == 0 ? 0 : 1;
}
