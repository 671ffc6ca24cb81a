#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the main
# job on the bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j"$(nproc)" >> build.log 2>&1 || { cat build.log; exit 1; }

# Every bundled file is valid.
./build/permitsim validate municipalities/netherlands.xml municipalities/scenarios/*.xml

# The main job: the Netherlands today vs lifting the maximum policy vs
# decriminalisation (the New Zealand model), on common random numbers, with
# a report (results/netherlands/report.html) and charts
# (results/netherlands/charts/); it prints where both are.
./build/permitsim compare municipalities/netherlands.xml \
  --scenario municipalities/scenarios/lift-maximum-policy.xml \
  --scenario municipalities/scenarios/decriminalisation.xml \
  --out results/netherlands
