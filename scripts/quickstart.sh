#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the main
# job on the bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j"$(nproc)" >> build.log 2>&1 || { cat build.log; exit 1; }

# The main job: validate every bundled file, then summarise the bundled cities.
./build/permitsim validate municipalities/netherlands.xml municipalities/parameters.xml \
  municipalities/nl/*.xml municipalities/scenarios/*.xml
./build/permitsim summary municipalities/netherlands.xml
