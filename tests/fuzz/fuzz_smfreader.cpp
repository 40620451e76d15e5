// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: hostile bytes through readSmf and scoreFromSmf, then a write/re-read round trip.
#include "core/error.h"
#include "midi/smfreader.h"
#include "score/smfconvert.h"
#include "score/sustain.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

/// Writes `score`, reads the bytes back and aborts unless the notes come back identical. Our writer must
/// always produce a file our reader accepts, so any exception here, continuo::Error included, is
/// a finding, not an expected rejection.
void checkRoundTrip(const continuo::Score &score, const char *what)
{
    continuo::Score reread;
    try {
        const std::vector<std::uint8_t> bytes = continuo::scoreToSmfBytes(score);
        reread = continuo::scoreFromSmf(continuo::readSmf(bytes.data(), bytes.size(), "<round trip>"));
    } catch (const continuo::Error &e) {
        std::fprintf(stderr, "fuzz_smfreader: writing and re-reading the %s failed: %s\n", what, e.what());
        std::abort();
    }
    if (reread.notes != score.notes || reread.endTick != score.endTick) {
        std::fprintf(stderr, "fuzz_smfreader: the %s changed in a round trip (%zu notes, then %zu)\n", what,
                     score.notes.size(), reread.notes.size());
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    continuo::Score score;
    try {
        score = continuo::scoreFromSmf(continuo::readSmf(data, size, "<fuzz input>"));
    } catch (const continuo::Error &) {
        return 0; // rejecting bad input is the reader's job; any other exception escapes and crashes
    }

    continuo::Score sustained = score;
    continuo::applySustainPedal(sustained);

    checkRoundTrip(score, "score");
    checkRoundTrip(sustained, "score with the sustain pedal applied");
    return 0;
}
