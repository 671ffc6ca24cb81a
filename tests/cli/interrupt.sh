#!/usr/bin/env bash
# Ctrl-C in the middle of a long run, as a user presses it: the program stops
# within a simulated week, exits with 130, says so in one line, and
# leaves no staging directory behind; a missing output directory is not
# created and an existing one keeps its bytes. SIGTERM the same, with 143.
# (Without the handler SIGINT also gives 130, from the shell: the staging
# directory left behind and the missing message are what tell them apart.)
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" interrupt
region="$src/municipalities/netherlands.xml"

# Far longer than the test waits: it must be cut short, not finish. One
# replication of 330 years takes about 10 s in an optimised build (minutes
# under the sanitizers): stopping within a week, not after the replication
# under way, is what the time to stop shows.
long_run=(run "$region" --from 1700 --to 2030 -n 50 -t 1 -q)
quick_stop=5
# Seconds to wait for the staging directory, and for the exit after the signal
# (a week of the run, then the clean-up: generous for sanitizer builds on a
# loaded machine, and less than one replication takes there).
appear_seconds=20
stop_seconds=30

staging_of () { ls -A "$(dirname "$1")" | grep "^\.$(basename "$1")\.tmp-"; }

# interrupt SIGNAL OUT: starts the long run into OUT, sends SIGNAL once its
# staging directory exists, and waits; sets status and stopped (seconds).
interrupt () {
  local sig=$1 out=$2
  # a background job of a script starts with SIGINT ignored; the user's
  # program in a terminal does not, so put it back to the default first
  ( trap - INT; exec "$bin" "${long_run[@]}" --out "$out" ) > "$out.stdout" 2> "$out.stderr" &
  local pid=$! tries=0
  until staging_of "$out" > /dev/null; do
    if [ "$tries" -ge $((appear_seconds * 10)) ] || ! kill -0 "$pid" 2> /dev/null; then
      not_ok "$sig: no staging directory appeared for $out"
      kill -KILL "$pid" 2> /dev/null; wait "$pid"; status=-1; stopped=-1
      return
    fi
    sleep 0.1; tries=$((tries + 1))
  done
  local t0=$SECONDS
  kill -s "$sig" "$pid"
  tries=0
  while kill -0 "$pid" 2> /dev/null && [ "$tries" -lt $((stop_seconds * 10)) ]; do
    sleep 0.1; tries=$((tries + 1))
  done
  if kill -0 "$pid" 2> /dev/null; then
    not_ok "$sig: still running ${stop_seconds}s after the signal"
    kill -KILL "$pid" 2> /dev/null
  fi
  wait "$pid"; status=$?
  stopped=$((SECONDS - t0))
}

# ---- SIGINT into a directory that does not exist yet
interrupt INT "$work/new"
check "SIGINT: exit status 130 (got $status, after ${stopped}s)" test "$status" -eq 130
check "SIGINT: stopped within ${quick_stop}s, not at the end of the replication" test "$stopped" -le "$quick_stop"
check "SIGINT: no staging directory left" bash -c "! ls -A '$work' | grep -q '^\.new\.tmp-'"
check "SIGINT: the output directory was not created" test ! -e "$work/new"
check "SIGINT: one line on stderr" test "$(wc -l < "$work/new.stderr")" -eq 1
check "SIGINT: it says it was interrupted and nothing was written" \
  grep -qF "interrupted: nothing was written; $work/new is as it was" "$work/new.stderr"
[ "$status" -eq 130 ] || sed 's/^/    /' "$work/new.stderr" | head -5

# ---- SIGINT over the output of an earlier run: kept byte for byte
"$bin" run "$region" --from 2029 --to 2030 -q --out "$work/old" > /dev/null 2> "$work/old.err"
check "an earlier short run succeeds" test -f "$work/old/manifest.json"
before=$(dir_digest "$work/old")
interrupt INT "$work/old"
check "SIGINT over an output: exit status 130 (got $status)" test "$status" -eq 130
check "SIGINT over an output: no staging directory left" \
  bash -c "! ls -A '$work' | grep -q '^\.old\.tmp-'"
check "SIGINT over an output: the earlier output is byte-identical" \
  test "$(dir_digest "$work/old")" = "$before"
check "SIGINT over an output: it says the directory is as it was" \
  grep -qF "$work/old is as it was" "$work/old.stderr"

# ---- SIGTERM (what a batch system sends at its time limit): the same, with
# 128 + 15; shorter replications, to keep the test short
long_run=(run "$region" --from 2026 --to 2030 -n 1000 -t 1 -q)
interrupt TERM "$work/term"
check "SIGTERM: exit status 143 (got $status, after ${stopped}s)" test "$status" -eq 143
check "SIGTERM: no staging directory left" bash -c "! ls -A '$work' | grep -q '^\.term\.tmp-'"
check "SIGTERM: the output directory was not created" test ! -e "$work/term"

echo "interrupt: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
