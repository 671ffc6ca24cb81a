#!/usr/bin/env bash
# Fuzzes the XML loader for SECONDS (default 60) with libFuzzer: builds the
# harness (tests/fuzz/fuzz_loader.c, clang with ASan + UBSan) into build-fuzz,
# seeds a scratch corpus from tests/data and the bundled municipalities, and
# exits non-zero on a crash, leak, timeout or undefined behaviour. The input
# that failed is kept in build-fuzz/findings/: turn it into a test case.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPERMITSIM_FUZZ=ON \
  -DPERMITSIM_TESTS=OFF > build-fuzz.log 2>&1 || { cat build-fuzz.log; exit 1; }
cmake --build build-fuzz -j"$(nproc)" --target fuzz_loader >> build-fuzz.log 2>&1 \
  || { cat build-fuzz.log; exit 1; }

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$corpus/seed-$n-$(basename "$f")"
done < <(find tests/data municipalities -name '*.xml' -size -1024k -print0)
echo "fuzz: $n seed files, $seconds s"

mkdir -p build-fuzz/findings
PSIM_FUZZ_REGION=tests/data/valid/region.xml \
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  build-fuzz/fuzz_loader "$corpus" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -dict=tests/fuzz/loader.dict -artifact_prefix=build-fuzz/findings/ \
    -print_final_stats=1
