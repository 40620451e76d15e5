// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli inspect`: what is in a MIDI file, as text or JSON.
#include "cli/commands.h"

#include "core/error.h"
#include "midi/smfreader.h"
#include "score/smfconvert.h"
#include "score/summary.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace continuo::cli {

namespace {

using nlohmann::json;

std::string divisionText(const Division &division)
{
    if (division.isSmpte)
        return "SMPTE "
             + std::string(division.framesPerSecond == 29 ? "29.97"
                                                          : std::to_string(division.framesPerSecond))
             + " fps x " + std::to_string(division.ticksPerFrame) + " ticks per frame";
    return std::to_string(division.ticksPerQuarter) + " ticks per quarter";
}

json summaryJson(const std::string &path, const FileSummary &s)
{
    json tempos = json::array();
    for (const TempoChange &t : s.tempoChanges)
        tempos.push_back({ { "tick", t.tick }, { "us_per_quarter", t.usPerQuarter }, { "bpm", t.bpm() } });
    json meters = json::array();
    for (const TimeSignature &ts : s.timeSignatures)
        meters.push_back(
            { { "tick", ts.tick }, { "numerator", ts.numerator }, { "denominator", ts.denominator } });
    json keys = json::array();
    for (const KeySignature &k : s.keySignatures)
        keys.push_back(
            { { "tick", k.tick }, { "sharps", k.sharps }, { "minor", k.isMinor }, { "name", k.name() } });
    json division = s.division.isSmpte ? json { { "smpte_fps", s.division.framesPerSecond },
                                                { "ticks_per_frame", s.division.ticksPerFrame } }
                                       : json { { "ticks_per_quarter", s.division.ticksPerQuarter } };
    json out = { { "file", path },
                 { "ok", true },
                 { "format", s.format },
                 { "tracks", s.trackCount },
                 { "division", division },
                 { "duration_s", s.durationSec },
                 { "tempo_changes", tempos },
                 { "time_signatures", meters },
                 { "key_signatures", keys },
                 { "notes", s.noteCount },
                 { "parts", s.partCount },
                 { "has_drums", s.hasDrums },
                 { "warnings", s.warnings } };
    out["pitch_range"] = s.noteCount ? json { { "lowest", s.lowestPitch },
                                              { "highest", s.highestPitch },
                                              { "lowest_name", pitchName(s.lowestPitch) },
                                              { "highest_name", pitchName(s.highestPitch) } }
                                     : json(nullptr);
    return out;
}

void printText(const std::string &path, const FileSummary &s)
{
    std::cout << path << "\n"
              << "  format " << s.format << ", " << s.trackCount << " track(s), " << divisionText(s.division)
              << "\n"
              << "  duration " << s.durationSec << " s, " << s.noteCount << " note(s) in " << s.partCount
              << " part(s)" << (s.hasDrums ? ", with drums" : "") << "\n";
    if (s.noteCount)
        std::cout << "  pitch range " << pitchName(s.lowestPitch) << " (" << s.lowestPitch << ") to "
                  << pitchName(s.highestPitch) << " (" << s.highestPitch << ")\n";
    std::cout << "  tempo: " << s.tempoChanges.size() << " change(s), starting at "
              << s.tempoChanges.front().bpm() << " bpm\n";
    std::cout << "  meter: ";
    if (s.timeSignatures.empty())
        std::cout << "none (4/4 assumed)";
    for (std::size_t i = 0; i < s.timeSignatures.size() && i < 8; ++i)
        std::cout << (i ? ", " : "") << s.timeSignatures[i].numerator << "/"
                  << s.timeSignatures[i].denominator << " at tick " << s.timeSignatures[i].tick;
    std::cout << "\n  key: ";
    if (s.keySignatures.empty())
        std::cout << "none";
    for (std::size_t i = 0; i < s.keySignatures.size() && i < 8; ++i)
        std::cout << (i ? ", " : "") << s.keySignatures[i].name() << " at tick " << s.keySignatures[i].tick;
    std::cout << "\n";
    for (const std::string &warning : s.warnings)
        std::cout << "  warning: " << warning << "\n";
}

int inspectFiles(const std::vector<std::string> &paths, bool asJson)
{
    int failures = 0;
    json results = json::array();
    for (const std::string &path : paths) {
        try {
            const SmfFile file = readSmfFile(path);
            const FileSummary summary = summarize(file, scoreFromSmf(file));
            if (asJson)
                results.push_back(summaryJson(path, summary));
            else
                printText(path, summary);
        } catch (const Error &error) {
            ++failures;
            if (asJson)
                results.push_back({ { "file", path }, { "ok", false }, { "error", error.what() } });
            else
                std::cerr << "error: " << error.what() << "\n";
        }
    }
    if (asJson)
        std::cout << (paths.size() == 1 ? results.front() : results).dump(2) << "\n";
    return failures ? 1 : 0;
}

} // namespace

void addInspectCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand("inspect", "Describe MIDI files: format, tracks, timing, notes, warnings");
    auto paths = std::make_shared<std::vector<std::string>>();
    auto asJson = std::make_shared<bool>(false);
    cmd->add_option("files", *paths, "MIDI files")->required();
    cmd->add_flag("--json", *asJson, "Print JSON");
    cmd->callback([paths, asJson, &exitCode] { exitCode = inspectFiles(*paths, *asJson); });
}

} // namespace continuo::cli
