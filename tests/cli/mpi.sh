#!/usr/bin/env bash
# `mpiexec -n 2 permitsim run ...` writes, from rank 0 alone, the same bytes
# as the threaded run with the same seed -- the whole ensemble and a slice --
# and a failure on rank 0 stops every rank instead of hanging. Registered by
# tests/CMakeLists.txt only in a build with -DPERMITSIM_WITH_MPI=ON.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" mpi
region="$src/tests/data/valid/region.xml"
# The bundled parameters with a one-year burn-in (fixed, not sampled): the
# checks here are about ensembles, not the model, and stay quick.
params="$work/parameters.xml"
quick_parameters "$params"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} # MPI libraries keep their state to exit

if ! command -v mpiexec > /dev/null; then
  echo "skipped: mpiexec is not installed (apt-get install mpich); MPI runs not checked"
  exit 0
fi

ens () { # ens OUTDIR threads|ranks [options]
  local out=$1 how=$2; shift 2
  local launch=("$bin")
  [ "$how" = ranks ] && launch=(timeout 300 mpiexec -n 2 "$bin")
  "${launch[@]}" run "$region" --parameters "$params" --from 2000 --to 2002 --seed 5 -n 6 \
    --sample-parameters --out "$out" "$@" > "$out.stdout" 2> "$out.stderr"
}
tables="annual.csv groups.csv summary.csv parameters.csv"

ens "$work/threads" threads --threads 2
check "the threaded run succeeds" test -s "$work/threads/annual.csv"

ens "$work/ranks" ranks
rc=$?
if [ "$rc" -ne 0 ] && grep -q "built without MPI" "$work/ranks.stderr"; then
  echo "skipped: $bin was built without MPI (-DPERMITSIM_WITH_MPI=ON); MPI runs not checked"
  exit 0
fi
check "mpiexec -n 2 permitsim run succeeds (exit $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/    /' "$work/ranks.stderr" | head -20
check "2 ranks and 2 threads: identical $tables" same_files "$work/threads" "$work/ranks" $tables
check "only rank 0 prints the table" test "$(grep -c '^ *2000 ' "$work/ranks.stdout")" -eq 1
if command -v python3 > /dev/null; then
  python3 - "$work/threads/manifest.json" "$work/ranks/manifest.json" <<'EOF' \
    && ok "manifests agree but for the command line" || not_ok "manifests agree but for the command line"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
a.pop("command_line"); b.pop("command_line")
assert a == b
EOF
fi

# a slice across ranks equals the same slice on threads
ens "$work/slice-threads" threads --threads 1 --replication-range 1:4
ens "$work/slice-ranks" ranks --replication-range 1:4
check "a slice (1:4) on 2 ranks equals it on threads" \
  same_files "$work/slice-threads" "$work/slice-ranks" $tables

# rank 0 cannot write: every rank stops, nothing is written
mkdir -p "$work/foreign" && echo "mine" > "$work/foreign/notes.txt"
ens "$work/foreign" ranks
rc=$?
check "a refused output directory fails under mpiexec too (exit $rc)" test "$rc" -ne 0
check "  ... without hanging (timeout not reached)" test "$rc" -ne 124
check "  ... and leaves the directory alone" test "$(ls -A "$work/foreign")" = "notes.txt"

echo "mpi: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
