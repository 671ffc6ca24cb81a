#!/usr/bin/env bash
# Fuzzes permitsim's readers with libFuzzer, SECONDS (default 60) each:
#
#   loader   the XML loader (tests/fuzz/fuzz_loader.c): municipality, region,
#            scenario and parameter files; seeds from tests/data and the
#            bundled municipalities
#   results  the results directory that `chart` and `compare` read back
#            (tests/fuzz/fuzz_results.c): annual.csv, summary.csv,
#            manifest.json; seeds from the results fixtures in tests/data
#
#   bash scripts/fuzz.sh [SECONDS] [loader|results]...   (default: both)
#
# Builds the harnesses (clang with ASan + UBSan) into build-fuzz and exits
# non-zero on a crash, leak, timeout or undefined behaviour. The input that
# failed is kept in build-fuzz/findings/: turn it into a test case.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(loader results)

CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPERMITSIM_FUZZ=ON \
  -DPERMITSIM_TESTS=OFF > build-fuzz.log 2>&1 || { cat build-fuzz.log; exit 1; }
targets=()
for h in "${harnesses[@]}"; do
  case $h in
    loader|results) targets+=(--target "fuzz_$h") ;;
    *) echo "fuzz.sh: unknown harness '$h' (loader or results)" >&2; exit 2 ;;
  esac
done
cmake --build build-fuzz -j"$(nproc)" "${targets[@]}" >> build-fuzz.log 2>&1 \
  || { cat build-fuzz.log; exit 1; }

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
mkdir -p build-fuzz/findings
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

for h in "${harnesses[@]}"; do
  rm -rf "${corpus:?}/$h" && mkdir "$corpus/$h"
  n=0
  if [ "$h" = loader ]; then
    while IFS= read -r -d '' f; do
      n=$((n + 1))
      cp "$f" "$corpus/$h/seed-$n-$(basename "$f")"
    done < <(find tests/data municipalities -name '*.xml' -size -1024k -print0)
    options=(-max_len=65536 -dict=tests/fuzz/loader.dict)
  else
    # an input's first byte picks the file it stands for (0 annual.csv,
    # 1 summary.csv, 2 manifest.json; with the top bit set it is also drawn)
    while IFS= read -r -d '' f; do
      case $(basename "$f") in
        annual.csv) pick=0 ;; summary.csv) pick=1 ;; manifest.json) pick=2 ;; *) continue ;;
      esac
      for draw in 0 128; do
        n=$((n + 1))
        { printf "\\$(printf '%03o' $((pick + draw)))"; cat "$f"; } > "$corpus/$h/seed-$n-$(basename "$f")"
      done
    done < <(find tests/data/results -type f -size -64k -print0)
    options=(-max_len=65536)
  fi
  echo "fuzz $h: $n seed files, $seconds s"
  PSIM_FUZZ_REGION=tests/data/valid/region.xml PSIM_FUZZ_RESULTS=tests/data/results/with-summary \
    "build-fuzz/fuzz_$h" "$corpus/$h" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 "${options[@]}" \
      -artifact_prefix="build-fuzz/findings/$h-" -print_final_stats=1
done
