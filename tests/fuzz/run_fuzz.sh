#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a libFuzzer target on a writable working corpus seeded afresh from read-only seed folders.
#
# Usage: run_fuzz.sh FUZZER WORK_DIR [SEED_DIR ...] -- [libFuzzer options ...]
#
# The corpus is WORK_DIR/corpus: the seeds are copied into its seeds/ subfolder on every run
# (libFuzzer reads corpus folders recursively), and inputs the fuzzer finds accumulate next to it.
# Crash, timeout and OOM reproducers go to WORK_DIR/artifacts/. Missing seed folders are skipped.
# The exit status is libFuzzer's: non-zero when it found a crash, so ctest reports a failure.
set -eu

if [ "$#" -lt 2 ]; then
    echo "usage: $0 FUZZER WORK_DIR [SEED_DIR ...] -- [libFuzzer options ...]" >&2
    exit 2
fi
fuzzer=$1
work=$2
shift 2

corpus="$work/corpus"
seeds="$corpus/seeds"
artifacts="$work/artifacts"

# Seed copies may be read-only (the shared corpus is); make them writable so they can be replaced.
if [ -d "$seeds" ]; then
    chmod -R u+w "$seeds"
    rm -rf "$seeds"
fi
mkdir -p "$seeds" "$artifacts"

index=0
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    if [ -d "$1" ]; then
        index=$((index + 1))
        cp -R "$1" "$seeds/$index-$(basename "$1")"
    fi
    shift
done
[ "$#" -gt 0 ] && shift # the "--"
chmod -R u+w "$seeds"

exec "$fuzzer" "-artifact_prefix=$artifacts/" "$@" "$corpus"
