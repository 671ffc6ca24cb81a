#!/usr/bin/env bash
# permitsim run -n N as a user drives it: the same bytes on 1 and 2 threads,
# slices merged back into exactly the whole, merge refusing slices that do
# not fit together, summary.csv and parameters.csv as documented (type-7
# quantiles recomputed in Python; one Latin hypercube sample per stratum),
# and the progress line only on a terminal. A small region, three years and
# a handful of replications keep it quick.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" ensemble
region="$src/tests/data/valid/region.xml"
# The bundled parameters with a one-year burn-in (fixed, not sampled): the
# checks here are about ensembles, not the model, and stay quick.
params="$work/parameters.xml"
quick_parameters "$params"

ens () { # ens OUTDIR [options]: the ensemble of this test
  local out=$1; shift
  "$bin" run "$region" --parameters "$params" --from 2000 --to 2002 --seed 11 --out "$out" "$@" \
    > "$out.stdout" 2> "$out.stderr"
  local rc=$?
  [ "$rc" -eq 0 ] || { echo "    run $* failed (exit $rc):"; sed 's/^/    /' "$out.stderr" | head; }
  return "$rc"
}
tables="annual.csv groups.csv summary.csv parameters.csv"

# ---- threads do not change a byte
check "-n 5 on 1 thread" ens "$work/t1" -n 5 --threads 1 --sample-parameters
check "-n 5 on 2 threads" ens "$work/t2" -n 5 --threads 2 --sample-parameters
check "1 and 2 threads: identical $tables" same_files "$work/t1" "$work/t2" $tables
check "nothing on stderr when it is not a terminal" test ! -s "$work/t2.stderr"
check "stdout says the table is a mean" grep -q "mean of replications 0-4 of 5" "$work/t2.stdout"
check "stdout names summary.csv and parameters.csv" \
  grep -q "summary.csv, parameters.csv, manifest.json" "$work/t2.stdout"

# ---- summary.csv in bounded memory: a budget of one byte (annual.csv read
# again for every row of the summary) gives the same bytes
check "-n 5 with PERMITSIM_SUMMARY_MEMORY=1" env PERMITSIM_SUMMARY_MEMORY=1 bash -c \
  "$(declare -f ens); region='$region' params='$params' bin='$bin' ens '$work/t3' -n 5 --threads 2 --sample-parameters"
check "... the same $tables" same_files "$work/t1" "$work/t3" $tables

# ---- slices and merge
check "slice 0:3" ens "$work/s1" -n 5 --replication-range 0:3 --threads 2 --sample-parameters
check "slice 3:5" ens "$work/s2" -n 5 --replication-range 3:5 --threads 1 --sample-parameters
exit_code 0 "merge 3:5 and 0:3 (any order)" "$bin" merge "$work/s2" "$work/s1" --out "$work/merged"
check "merged slices equal the whole run: $tables" same_files "$work/t1" "$work/merged" $tables
PERMITSIM_SUMMARY_MEMORY=1 "$bin" merge "$work/s2" "$work/s1" --out "$work/merged-small" > /dev/null 2>&1
check "... and so does the merge with a budget of one byte" same_files "$work/t1" "$work/merged-small" $tables
check "slice 3:5 holds replications 3 and 4 only" \
  test "$(cut -d, -f2 "$work/s2/annual.csv" | sed 1d | sort -u | tr '\n' ' ')" = "3 4 "

if command -v python3 > /dev/null; then
  python3 - "$work" <<'EOF' && ok "merged manifest: whole range, merged_from, output hashes" || not_ok "merged manifest"
import hashlib, json, os, sys
w = sys.argv[1]
whole = json.load(open(os.path.join(w, "t1", "manifest.json")))
merged = json.load(open(os.path.join(w, "merged", "manifest.json")))
assert merged["replication_range"] == {"from": 0, "to": 5}, merged["replication_range"]
assert [s["replication_range"] for s in merged["merged_from"]] == [{"from": 0, "to": 3}, {"from": 3, "to": 5}]
assert merged["command_line"][:2] == ["permitsim", "merge"]
for k in ("seed", "replications", "years", "sample_parameters", "uncertainty", "parameters", "scenario"):
    assert merged[k] == whole[k], k
assert [o["file"] for o in merged["outputs"]] == [o["file"] for o in whole["outputs"]]
assert merged["outputs"] == whole["outputs"], "the same files, so the same hashes"
for o in merged["outputs"]:
    h = hashlib.sha256(open(os.path.join(w, "merged", o["file"]), "rb").read()).hexdigest()
    assert h == o["sha256"], o["file"]
assert whole["uncertainty"] == "stochastic and parametric (LHS over the ranges in parameters.xml)"
EOF
fi

# ---- merge refuses what does not fit
check "slice 2:5" ens "$work/s3" -n 5 --replication-range 2:5 --sample-parameters
check "slice 3:5 with another seed" ens "$work/s4" -n 5 --replication-range 3:5 --sample-parameters --seed 12
check "slice 3:6 of 6" ens "$work/s5" -n 6 --replication-range 3:6 --sample-parameters
check "slice 3:5 without sampling" ens "$work/s6" -n 5 --replication-range 3:5
exit_code 2 "merge with a replication missing" "$bin" merge "$work/s1" --out "$work/never"
check "  ... says which replications are missing" grep -q "no slice holds replications 3:5 of 0:5" "$work/last.err"
exit_code 2 "merge of overlapping slices" "$bin" merge "$work/s1" "$work/s3" --out "$work/never"
check "  ... says they overlap" grep -q "overlap" "$work/last.err"
exit_code 2 "merge of slices with different seeds" "$bin" merge "$work/s1" "$work/s4" --out "$work/never"
check "  ... names the seed" grep -q "seed is 11 there, 12 here" "$work/last.err"
exit_code 2 "merge of slices of different N" "$bin" merge "$work/s1" "$work/s5" --out "$work/never"
check "  ... names the replications" grep -q "replications is 5 there, 6 here" "$work/last.err"
exit_code 2 "merge of sampled and unsampled slices" "$bin" merge "$work/s1" "$work/s6" --out "$work/never"
exit_code 2 "merge of a directory that is no output" "$bin" merge "$work/s1" "$work" --out "$work/never"
exit_code 1 "merge without --out" "$bin" merge "$work/s1" "$work/s2"
# a value that is no number in a slice's annual.csv: named in that file, at its line
cp -r "$work/s2" "$work/s2-bad"
sed -i '3s/^\(\([^,]*,\)\{6\}\)[^,]*/\1x7/' "$work/s2-bad/annual.csv"
exit_code 2 "merge of a slice with a bad number" "$bin" merge "$work/s1" "$work/s2-bad" --out "$work/never"
check "  ... named in the slice's own file, at its line" \
  grep -q -F "$work/s2-bad/annual.csv:3: error: column unlicensed: not a number: 'x7'" "$work/last.err"
check "a refused merge writes nothing" test ! -e "$work/never"

# ---- option errors
exit_code 1 "--replication-range beyond N" "$bin" run "$region" --parameters "$params" -n 5 \
  --replication-range 3:6 --out "$work/never"
exit_code 1 "--replication-range reversed" "$bin" run "$region" --parameters "$params" -n 5 \
  --replication-range 3:1 --out "$work/never"
exit_code 1 "--replication-range not A:B" "$bin" run "$region" --parameters "$params" -n 5 \
  --replication-range 3 --out "$work/never"
exit_code 1 "-n 0" "$bin" run "$region" --parameters "$params" -n 0 --out "$work/never"
check "option errors write nothing" test ! -e "$work/never"

# ---- -n 1: summary.csv all the same, no parameters.csv, stochastic only
check "-n 1" ens "$work/one"
check "-n 1 writes summary.csv" test -s "$work/one/summary.csv"
check "-n 1 without sampling writes no parameters.csv" test ! -e "$work/one/parameters.csv"
check "-n 1: the manifest says stochastic only" grep -q '"uncertainty" : "stochastic only"' "$work/one/manifest.json"

if command -v python3 > /dev/null; then
  python3 - "$work" <<'EOF' && ok "summary.csv recomputed from annual.csv (type 7); LHS strata" || not_ok "summary.csv and parameters.csv"
import csv, json, math, os, sys
w = sys.argv[1]
def rows(*p):
    with open(os.path.join(w, *p), newline="") as f:
        return list(csv.reader(f))

def q7(xs, p):  # R's quantile type 7
    xs = sorted(xs)
    h = (len(xs) - 1) * p
    lo = math.floor(h)
    return xs[lo] if lo + 1 >= len(xs) else xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo])

for d in ("t1", "one"):
    annual, summary = rows(d, "annual.csv"), rows(d, "summary.csv")
    assert summary[0] == ["scenario", "year", "municipality", "metric", "mean", "median", "p05", "p95"]
    head = annual[0]
    metrics = head[4:]
    cells = {}
    for r in annual[1:]:
        cells.setdefault((r[0], r[2], r[3]), []).append(r)
    assert len(summary) - 1 == len(cells) * len(metrics), (len(summary), len(cells))
    # order: year ascending, municipalities as in annual.csv, metrics in column order
    keys = [(r[0], r[1], r[2]) for r in summary[1::len(metrics)]]
    assert keys == list(cells.keys()), keys[:4]
    for s in summary[1:]:
        c = metrics.index(s[3])
        vals = [float(r[4 + c]) for r in cells[(s[0], s[1], s[2])] if r[4 + c] != ""]
        if not vals:
            assert s[4:] == ["", "", "", ""], s
            continue
        want = [sum(vals) / len(vals), q7(vals, 0.5), q7(vals, 0.05), q7(vals, 0.95)]
        got = [float(x) for x in s[4:]]
        assert all(abs(a - b) < 6e-3 for a, b in zip(got, want)), (s, want)
        if d == "one":
            assert s[6] == s[7] == s[5], s

man = json.load(open(os.path.join(w, "t1", "manifest.json")))
ranges = {p["name"]: (p["min"], p["max"], p["value"]) for p in man["parameters"]}
par = rows("t1", "parameters.csv")
assert par[0][0] == "replication" and par[0][1:] == [p["name"] for p in man["parameters"]]
assert [r[0] for r in par[1:]] == ["0", "1", "2", "3", "4"]
n = len(par) - 1
sampled = 0
for j, name in enumerate(par[0][1:], start=1):
    lo, hi, value = ranges[name]
    xs = [float(r[j]) for r in par[1:]]
    if lo < hi:
        sampled += 1
        strata = sorted(min(n - 1, int((x - lo) / (hi - lo) * n)) for x in xs)
        assert strata == list(range(n)), (name, xs)
    else:
        assert all(x == value for x in xs), name
assert sampled > 0
EOF
fi

# ---- the progress line: on a terminal only, and not with --quiet
if command -v script > /dev/null; then
  script -qec "'$bin' run '$region' --parameters '$params' --from 2000 --to 2001 -n 3 --out '$work/tty'" \
    /dev/null > "$work/tty.log" 2>&1
  check "on a terminal a progress line shows replications done" grep -q "3/3 replications" "$work/tty.log"
  script -qec "'$bin' run '$region' --parameters '$params' --from 2000 --to 2001 -n 3 --quiet --out '$work/tty'" \
    /dev/null > "$work/quiet.log" 2>&1
  check "--quiet: no progress line" bash -c "! grep -q 'replications  ' '$work/quiet.log'"
  # past the memory bound, the readings of annual.csv for summary.csv show too
  PERMITSIM_SUMMARY_MEMORY=1 script -qec "'$bin' run '$region' --parameters '$params' --from 2000 --to 2001 -n 3 --out '$work/tty'" \
    /dev/null > "$work/readings.log" 2>&1
  check "past the memory bound, a progress line for the readings of annual.csv" \
    grep -q "/6 readings of annual.csv for summary.csv" "$work/readings.log"
  PERMITSIM_SUMMARY_MEMORY=1 script -qec "'$bin' run '$region' --parameters '$params' --from 2000 --to 2001 -n 3 --quiet --out '$work/tty'" \
    /dev/null > "$work/readings-quiet.log" 2>&1
  check "... and none with --quiet" bash -c "! grep -q 'readings of' '$work/readings-quiet.log'"
else
  echo "skipped: script(1) is not installed; the progress line on a terminal was not checked"
fi

echo "ensemble: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
