#!/usr/bin/env bash
# The same bytes on every machine: two short runs of the bundled Netherlands
# (a scenario with weekly output; sampled parameters) must give the SHA-256
# recorded in tests/data/reference.sha256. The other tests compare runs on
# one machine (threads, ranks, slices, the vector and the scalar kernels);
# this one compares with the machine the record was made on, so a result
# that depends on the CPU, the C library or the compiler shows here.
#
# A change of the model (or of the bundled data or parameters) changes the
# bytes on purpose: then record them again, after checking the change is the
# one intended, with
#
#   PSIM_RECORD_REFERENCE=1 bash tests/cli/reference.sh
#
# and say so in the commit. Recorded on x86-64 with AVX-512 (Intel Xeon,
# GCC -O3, 29 November 2026); the scalar kernels (under valgrind, which has
# no AVX-512) and clang's sanitizer build give the same digests there, and
# the replay table of docs/validation.md, made on an AMD EPYC machine, comes
# out there to its last printed digit.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" reference
region="$src/municipalities/netherlands.xml"
record="$src/tests/data/reference.sha256"
params="$work/parameters.xml"
quick_parameters "$params"

run () { # run NAME [options]
  local name=$1; shift
  "$bin" run "$region" --parameters "$params" --out "$work/$name" -q "$@" > "$work/$name.stdout" 2> "$work/$name.stderr"
  local rc=$?
  check "run $name (exit $rc)" test "$rc" -eq 0
  [ "$rc" -eq 0 ] || sed 's/^/    /' "$work/$name.stderr" | head -10
}
run scenario --from 2024 --to 2027 --seed 7 -n 2 --weekly \
  --scenario "$src/municipalities/scenarios/lift-maximum-policy.xml"
run sampled --from 2000 --to 2002 --seed 9 -n 3 --sample-parameters

digests () {
  (cd "$work" && sha256sum scenario/annual.csv scenario/groups.csv scenario/weekly.csv scenario/summary.csv \
    sampled/annual.csv sampled/groups.csv sampled/summary.csv sampled/parameters.csv)
}

if [ "${PSIM_RECORD_REFERENCE:-0}" = 1 ]; then
  digests > "$record"
  echo "recorded $record:"
  cat "$record"
  exit 0
fi

digests > "$work/now.sha256"
while read -r want file; do
  got=$(awk -v f="$file" '$2 == f { print $1 }' "$work/now.sha256")
  if [ "$got" = "$want" ]; then
    ok "$file: the recorded bytes"
  else
    not_ok "$file: SHA-256 $got, recorded $want (a change of the model? see this file's head)"
  fi
done < "$record"
check "every output has a record" test "$(wc -l < "$record")" -eq "$(wc -l < "$work/now.sha256")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
