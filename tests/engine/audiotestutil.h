// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers for the audio tests: the SoundFont to use and small scores. Nothing here needs a device;
// the JACK server and MIDI clients of the device tests are in jacktestutil.h.
#pragma once

#include "audio/soundfontlocator.h"
#include "score/smfconvert.h"

#include "testutil.h"

#include <filesystem>
#include <initializer_list>

namespace continuo::test {

/// The General MIDI SoundFont the tests render with, found as the app finds it; empty if none.
inline std::filesystem::path testSoundFont()
{
    const auto candidates = soundFontCandidates();
    return candidates.empty() ? std::filesystem::path() : candidates.front();
}

/// A one-track score at 480 ticks per quarter and 120 bpm (960 ticks a second).
inline Score scoreOf(std::initializer_list<Ev> events, std::int64_t endTick = -1)
{
    return scoreFromSmf(makeFile({ makeTrack(events, endTick) }, 480, 0));
}

} // namespace continuo::test
