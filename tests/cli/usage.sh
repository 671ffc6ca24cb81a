#!/usr/bin/env bash
# Usage errors, the same way in every command: exit status 1, nothing on
# standard output, and on standard error two lines -- the command and what is
# wrong, then where to look:
#
#   permitsim run: --from 2014 is after --to 2012
#   Try 'permitsim run --help'.
#
# One wrong call per command, and an unknown option for each (GLib's own
# message, passed on in the same form).
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" usage
region="$src/municipalities/netherlands.xml"

usage_error () { # usage_error COMMAND WHAT-IS-WRONG ARGS...
  local cmd=$1 want=$2; shift 2
  "$bin" "$cmd" "$@" > "$work/out" 2> "$work/err"
  local rc=$?
  local first second
  first=$(sed -n 1p "$work/err")
  second=$(sed -n 2p "$work/err")
  if [ "$rc" -eq 1 ] && [ ! -s "$work/out" ] && [ "$(wc -l < "$work/err")" -eq 2 ] \
    && [ "$first" = "permitsim $cmd: $want" ] && [ "$second" = "Try 'permitsim $cmd --help'." ]; then
    ok "$cmd $*: '$want'"
  else
    not_ok "$cmd $*: exit $rc, expected 1 and 'permitsim $cmd: $want'"
    sed 's/^/    /' "$work/err" | head -5
  fi
}

usage_error validate "give at least one FILE to check"
usage_error run "no region file given"
usage_error run "--from 2014 is after --to 2012" "$region" --from 2014 --to 2012 --out "$work/never"
usage_error compare "give at least one --scenario FILE to compare with the baseline" "$region" --out "$work/never"
usage_error chart "no results directory given"
usage_error chart "give exactly one results directory" "$work/a" "$work/b"
usage_error chart "unknown language 'de' (use nl or en)" "$work" --lang de
usage_error merge "no directories given" --out "$work/never"
usage_error merge "--out DIR is required" "$work/a" "$work/b"
usage_error bench "give at most one region file" "$region" "$region"
usage_error bench "-n must be 1 or more" -n 0
usage_error bench "--from 2014 is after --to 2012" --from 2014 --to 2012
usage_error replay "replay takes no file arguments" "$region"
usage_error calibrate "--seed must be 0 or more" --seed -1
usage_error sensitivity "--method is morris or oat" --method sobol
# the longest burn-in is the engine's (its 16-bit week stamps), said before any run
usage_error sensitivity "run: period 2013-2014 with 564 burn-in years is too long to simulate: the burn-in and the period together can be at most 565 years (with exit.max-age at 65)" \
  --burn-in 564 --out "$work/never"
for cmd in validate run compare chart merge bench summary replay calibrate sensitivity; do
  usage_error "$cmd" "Unknown option --no-such-option" --no-such-option
done
check "usage errors write nothing" test ! -e "$work/never"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
