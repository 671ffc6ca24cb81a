#!/usr/bin/env bash
# Fuzzes permitsim's readers with libFuzzer, SECONDS (default 60) each:
#
#   loader   the XML loader (tests/fuzz/fuzz_loader.c): municipality, region,
#            scenario and parameter files; seeds from tests/data and the
#            bundled municipalities
#   results  the results directory that `chart` and `compare` read back
#            (tests/fuzz/fuzz_results.c): annual.csv, summary.csv,
#            manifest.json; seeds from the results fixtures in tests/data
#   merge    `permitsim merge` of two slices of one ensemble
#            (tests/fuzz/fuzz_merge.c); the slices are made here, by the
#            build's own permitsim on the small test region
#
#   bash scripts/fuzz.sh [SECONDS] [loader|results|merge]...   (default: all)
#
# Builds the harnesses (clang with ASan + UBSan) into build-fuzz and exits
# non-zero on a crash, leak, timeout or undefined behaviour. The input that
# failed is kept in build-fuzz/findings/: turn it into a test case.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(loader results merge)

CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPERMITSIM_FUZZ=ON \
  -DPERMITSIM_TESTS=OFF > build-fuzz.log 2>&1 || { cat build-fuzz.log; exit 1; }
targets=()
for h in "${harnesses[@]}"; do
  case $h in
    loader|results) targets+=(--target "fuzz_$h") ;;
    merge) targets+=(--target fuzz_merge --target permitsim) ;;
    *) echo "fuzz.sh: unknown harness '$h' (loader, results or merge)" >&2; exit 2 ;;
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
  elif [ "$h" = results ]; then
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
  elif [ "$h" = merge ]; then
    # two slices of one ensemble; an input's first byte picks the slice
    # (bit 0) and the file (the rest: annual.csv, groups.csv, summary.csv,
    # manifest.json)
    for r in 0 1; do
      build-fuzz/permitsim run tests/data/valid/region.xml -p municipalities/parameters.xml \
        --from 2020 --to 2021 -n 2 --replication-range "$r:$((r + 1))" -q --threads 1 \
        --out "$corpus/slices/$r" > /dev/null
      f=0
      for name in annual.csv groups.csv summary.csv manifest.json; do
        n=$((n + 1))
        { printf "\\$(printf '%03o' $((r + 2 * f)))"; cat "$corpus/slices/$r/$name"; } > "$corpus/$h/seed-$n-$name"
        f=$((f + 1))
      done
    done
    options=(-max_len=65536)
  fi
  echo "fuzz $h: $n seed files, $seconds s"
  PSIM_FUZZ_REGION=tests/data/valid/region.xml PSIM_FUZZ_RESULTS=tests/data/results/with-summary \
  PSIM_FUZZ_SLICES="$corpus/slices" \
    "build-fuzz/fuzz_$h" "$corpus/$h" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 "${options[@]}" \
      -artifact_prefix="build-fuzz/findings/$h-" -print_final_stats=1
done
