#!/usr/bin/env bash
# `permitsim bench` on a short period: what it reports is there and adds up.
# A measurement tool, so its figures are not compared with anything here
# (docs/performance.md records them); what is checked is that every figure
# is printed, that the phases of the week account for the replication's time
# (each phase timed once, none left out or counted twice), and that the
# choice's line gives the cost of one choice.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" bench
region="$src/municipalities/netherlands.xml"
params="$work/parameters.xml" # a one-year burn-in: quick, under the sanitizers too
quick_parameters "$params"

exit_code 0 "bench on 2012-2013" "$bin" bench "$region" -p "$params" --from 2012 --to 2013 -n 2 --no-hardware
out="$work/last.out"
check "ns per agent-week on one thread" grep -Eq '^one thread: [0-9]+ agent-weeks .* = [0-9.]+ ns per agent-week$' "$out"
check "bytes of state per worker" grep -Eq '^worker state: [0-9]+ bytes per worker' "$out"
check "replications per second on 1 and 2 threads" grep -Eq '^ensemble of 2: 1 thread [0-9.]+ replications/s .* 2 threads [0-9.]+ replications/s' "$out"
check "peak RSS" grep -Eq '^peak RSS: [0-9.]+ MiB$' "$out"
check "no hardware figures with --no-hardware" bash -c "! grep -q '^memory bandwidth' '$out'"

# the table: one line per phase of psim_engine_step, then the starting
# population; together the replication's CPU time but the loop's own and the
# timer's reads (under 1% of it; the shares are rounded to 0.1%)
sed -n '/^where the time goes/,/^worker state/p' "$out" | grep -E '^ +[0-9.]+% ' > "$work/rows"
head -n 11 "$work/rows" > "$work/phases"
check "eleven phases listed, then the starting population" \
  test "$(wc -l < "$work/rows")" -eq 12 -a "$(tail -n 1 "$work/rows" | grep -c 'the starting population')" -eq 1
check "each phase named once" test "$(sed -E 's/^ +[0-9.]+% +[0-9.]+ +//' "$work/phases" | sort -u | wc -l)" -eq 11
total=$(awk '{ s += $1 + 0 } END { printf "%.1f", s }' "$work/rows")
check "the rows account for 98-100.5% of the time (got $total%)" \
  awk -v t="$total" 'BEGIN { exit !(t >= 98 && t <= 100.5) }'
ns=$(sed -nE 's/^where the time goes \(.*: ([0-9.]+) ns per agent-week in all; .*/\1/p' "$out")
ns_rows=$(awk '{ s += $2 } END { printf "%.2f", s }' "$work/rows")
check "their ns per agent-week add up to the timed run's $ns (got $ns_rows)" \
  awk -v a="$ns" -v b="$ns_rows" 'BEGIN { exit !(a > 0 && b >= 0.98 * a && b <= 1.005 * a + 0.02) }'
check "the largest phase first" \
  awk '{ v = $1 + 0; if (NR > 1 && v > prev + 0.05) bad = 1; prev = v } END { exit bad }' "$work/phases"
check "the choice's cost per choice" grep -Eq '3 the choice of workplace \([0-9]+ ns a choice\)$' "$out"
check "choices counted" grep -Eq '^where the time goes .*; [1-9][0-9]* choices made\):$' "$out"
headline=$(sed -nE 's/^one thread: .* = ([0-9.]+) ns per agent-week$/\1/p' "$out")
check "the headline ($headline ns) and the timed run ($ns ns) measure the same work" \
  awk -v a="$headline" -v b="$ns" 'BEGIN { exit !(a > 0 && b > 0.5 * a && b < 2 * a) }'

# the floor: bandwidth, Philox, and how far above the larger of them the engine runs
exit_code 0 "bench with the hardware figures" "$bin" bench "$region" -p "$params" --from 2012 --to 2012 -n 1
out="$work/last.out"
check "the streaming-copy bandwidth" grep -Eq '^memory bandwidth .*: [0-9.]+ GB/s$' "$out"
check "the floor of the bytes touched" grep -Eq '^floor: [0-9]+ bytes touched per agent-week .* = [0-9.]+ ns per agent-week' "$out"
check "the cost of a Philox block" grep -Eq '^Philox4x32-10 .*: [0-9.]+ ns per block alone, [0-9.]+ ns per block in batches' "$out"
ratio=$(sed -nE 's/^so: ([0-9.]+) ns per agent-week is ([0-9.]+) times the larger floor \(([0-9.]+) ns\).*/\1 \2 \3/p' "$out")
check "the engine against the larger floor ($ratio)" \
  awk -v r="$ratio" 'BEGIN { split(r, v, " "); exit !(v[3] > 0 && v[2] >= 1 && (v[1] / v[3] - v[2]) ^ 2 < 0.01) }'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
