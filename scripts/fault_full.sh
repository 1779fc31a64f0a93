#!/bin/sh
# Every fault point of every sweep (docs/store.md "Fault injection"): each case of
# the fault test programs run directly with HW_FAULT_FULL=1 - not through ctest,
# whose per-case timeout (300 s) a full sweep can outlast on a busy machine.
# Prints each sweep's summary line and its CPU time; fails if any case fails.
# Usage: sh scripts/fault_full.sh [CASE-REGEX]   (default: every case)
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build-fault -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHW_FAULT=ON -DHW_WERROR=ON >/dev/null
cmake --build build-fault -j2 --target hw_fault_all >/dev/null
export HW_FAULT_FULL=1
# What ctest gives each case (cmake/hw_tests.cmake): the serve sweeps start this build's daemon.
export HW_SOURCE_DIR="$PWD" HW_BUILD_DIR="$PWD/build-fault" HW_SHARED_DIR="$PWD/../shared"
[ -d /dev/shm ] && export TMPDIR=/dev/shm
pattern=${1:-.}
failed=0
for src in tests/fault/test_fault_*.c; do
  stem=$(basename "$src" .c)
  for case in $(sed -n 's/^HW_TEST(\([a-z0-9_]*\)).*/\1/p' "$src"); do
    echo "$stem.$case" | grep -Eq "$pattern" || continue
    out=$( { /usr/bin/env time -f "%U %S" "build-fault/tests/test_fault_$stem" "$case" 2>&1; } 2>&1) || failed=1
    printf '%s\n' "$out" | grep -Ev '^  N=|^-- ' | sed "s/^\([0-9.]* [0-9.]*\)$/  $stem.$case: \1 s of CPU (user, sys)/"
  done
done
exit $failed
