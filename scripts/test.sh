#!/usr/bin/env bash
# The README's second command (and what CI runs): install what is missing,
# build, and run the whole test suite through ctest -- once in a normal build
# and once under AddressSanitizer + UndefinedBehaviorSanitizer -- then run
# the fuzzers (the XML loader, the results reader, merge) briefly on their
# corpora.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

bash scripts/setup-debian.sh

echo "== build and test (warnings are errors)"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPERMITSIM_WERROR=ON -DPERMITSIM_WITH_MPI=ON > /dev/null
cmake --build build-test -j"$jobs" > build-test.log 2>&1 || { cat build-test.log; exit 1; }
ctest --test-dir build-test --output-on-failure --no-tests=error -j"$jobs"

echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPERMITSIM_SANITIZE=ON -DPERMITSIM_WERROR=ON > /dev/null
cmake --build build-asan -j"$jobs" > build-asan.log 2>&1 || { cat build-asan.log; exit 1; }
ctest --test-dir build-asan --output-on-failure --no-tests=error -j"$jobs"

if [ -x scripts/fuzz.sh ]; then
  echo "== fuzz the XML loader, the results reader and merge briefly"
  bash scripts/fuzz.sh 20
fi
