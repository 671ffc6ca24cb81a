#!/usr/bin/env bash
# permitsim run, as a user drives it: --help and usage errors, the same seed
# giving the same bytes, a different seed different ones, the documented
# header, rows that pandas and R read (same field count everywhere), the
# manifest's hashes, and an output directory that a failing run never touches.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" run
region="$src/municipalities/netherlands.xml"

no_staging_left () { ! ls -A "$(dirname "$1")" | grep -q "^\.$(basename "$1")\.tmp-"; }

header="scenario,replication,year,municipality,workers,licensed,unlicensed,illegal,window,club,escort_agency,independent_licensed,home,street_zone,street,licensed_places,window_places,club_places,escort_agency_places,independent_licences,street_zone_places,window_rent,waiting,moved_in,moved_out,physical_12m,sexual_12m,financial_12m,social_12m,incidents,reports,reporting_rate,reported_12m,tested_12m,exploited,exploitation_detected,exploitation_exits,inspections,fines,evictions,outings"

# ---- help and usage errors
exit_code 0 "--help" "$bin" run --help
check "--help shows usage, options, examples and exit codes" \
  grep -q "permitsim run" "$work/last.out"
grep -q -- "--scenario" "$work/last.out" && grep -q "Examples:" "$work/last.out" \
  && grep -q "Exit status" "$work/last.out" && ok "--help text complete" || not_ok "--help text complete"
exit_code 1 "an unknown option" "$bin" run "$region" --no-such-option
exit_code 1 "no region file" "$bin" run
exit_code 1 "two region files" "$bin" run "$region" "$region"
exit_code 1 "--from after --to" "$bin" run "$region" --from 2014 --to 2012 --out "$work/never"
exit_code 1 "a negative seed" "$bin" run "$region" --seed -3 --out "$work/never"
check "usage errors create no output directory" test ! -e "$work/never"

# ---- the same seed twice: the same bytes (the second time under a decimal-comma
# locale when one is installed: numbers must not follow the locale)
run_short () { # run_short OUTDIR SEED [more options]
  local out=$1 seed=$2; shift 2
  "$bin" run "$region" --from 2012 --to 2014 --seed "$seed" --out "$out" "$@" \
    > "$out.stdout" 2> "$out.stderr"
}
run_short "$work/a" 7; rc=$?
check "a short run succeeds (exit $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/    /' "$work/a.stderr" | head -20
if locale -a 2> /dev/null | grep -qi '^nl_NL\.utf-\?8$'; then
  LC_ALL=nl_NL.UTF-8 run_short "$work/b" 7
  same="same seed, second run under LC_ALL=nl_NL.UTF-8"
else
  run_short "$work/b" 7
  same="same seed"
  echo "skipped: locale nl_NL.UTF-8 is not installed; the runs were not compared across locales"
fi
check "$same: identical annual.csv" cmp -s "$work/a/annual.csv" "$work/b/annual.csv"
check "$same: identical groups.csv" cmp -s "$work/a/groups.csv" "$work/b/groups.csv"
run_short "$work/c" 8
check "another seed: different annual.csv" bash -c "! cmp -s '$work/a/annual.csv' '$work/c/annual.csv'"
check "nothing on stderr when it is not a terminal" test ! -s "$work/a.stderr"
check "no staging directory left" no_staging_left "$work/a"

# ---- what the files hold
check "annual.csv header is the documented one" \
  test "$(head -n 1 "$work/a/annual.csv")" = "$header"
check "annual.csv has no carriage returns" bash -c "! grep -q $'\r' '$work/a/annual.csv'"
check "stdout: a table of sectors by year" \
  grep -Eq "^ *year +workers +licensed +unlicensed +illegal +% illegal" "$work/a.stdout"
check "stdout: one line per year" test "$(grep -Ec '^ *201[234] ' "$work/a.stdout")" -eq 3

if command -v python3 > /dev/null; then
  python3 - "$work/a" "$region" <<'EOF' && ok "CSV and manifest read back (python3 csv, json)" || not_ok "CSV and manifest read back"
import csv, hashlib, json, sys, os
out, region = sys.argv[1], sys.argv[2]
def rows(name):
    with open(os.path.join(out, name), newline="", encoding="utf-8") as f:
        return list(csv.reader(f))
for name in ("annual.csv", "groups.csv"):
    r = rows(name)
    assert len(r) > 1, name + ": no data rows"
    bad = [i + 1 for i, row in enumerate(r) if len(row) != len(r[0])]
    assert not bad, "%s: rows %s do not have %d fields" % (name, bad[:5], len(r[0]))
annual = rows("annual.csv")
head = annual[0]
years = sorted({int(row[2]) for row in annual[1:]})
assert years == [2012, 2013, 2014], years
assert {row[0] for row in annual[1:]} == {"baseline"}
assert {row[1] for row in annual[1:]} == {"0"}
alls = [row for row in annual[1:] if row[3] == "ALL"]
assert len(alls) == 3, "one ALL row per year"
w = head.index("workers")
for y in years:
    munis = [row for row in annual[1:] if row[2] == str(y) and row[3] != "ALL"]
    total = sum(int(row[w]) for row in munis)
    all_row = [row for row in alls if row[2] == str(y)][0]
    assert total == int(all_row[w]), "ALL is the sum of the municipalities"
    sectors = sum(int(all_row[head.index(c)]) for c in ("licensed", "unlicensed", "illegal"))
    assert sectors == int(all_row[w]), "sectors add up to workers"
for row in annual[1:]:
    for c in ("physical_12m", "reporting_rate", "tested_12m"):
        v = row[head.index(c)]
        assert v == "" or 0.0 <= float(v) <= 1.0, (c, v)
groups = rows("groups.csv")
assert groups[0][:5] == ["scenario", "replication", "year", "group_type", "group"]
assert groups[0][5:] == head[4:]
m = json.load(open(os.path.join(out, "manifest.json"), encoding="utf-8"))
assert m["seed"] == 7 and m["years"] == {"from": 2012, "to": 2014}, m["seed"]
assert m["scenario"] == "baseline"
reg = [i for i in m["inputs"] if i["role"] == "region"][0]
assert reg["sha256"] == hashlib.sha256(open(region, "rb").read()).hexdigest()
for i in m["inputs"]:
    assert i["sha256"] == hashlib.sha256(open(i["file"], "rb").read()).hexdigest(), i["file"]
assert any(i["role"] == "parameters" for i in m["inputs"])
assert any(i["role"] == "municipality" for i in m["inputs"])
for o in m["outputs"]:
    assert o["sha256"] == hashlib.sha256(open(os.path.join(out, o["file"]), "rb").read()).hexdigest()
assert m["parameters"] and all({"name", "value", "unit", "min", "max", "source"} <= p.keys()
                                for p in m["parameters"])
EOF
else
  echo "skipped: python3 is not installed; CSV field counts and manifest hashes not checked"
fi

# ---- a failing run leaves the previous output untouched
before=$(dir_digest "$work/a")
printf '<?xml version="1.0"?>\n<scenario xmlns="urn:permitsim:scenario:1" name="broken">\n' \
  > "$work/broken-scenario.xml"
exit_code 2 "an invalid scenario" "$bin" run "$region" --from 2012 --to 2014 --seed 9 \
  --scenario "$work/broken-scenario.xml" --out "$work/a"
check "the invalid scenario is reported with its path" grep -q "broken-scenario.xml" "$work/last.err"
check "after the invalid scenario, the previous output is byte-identical" \
  test "$(dir_digest "$work/a")" = "$before"
check "no staging directory left after the failure" no_staging_left "$work/a"

mkdir -p "$work/foreign" && echo "mine" > "$work/foreign/notes.txt"
exit_code 3 "a non-empty directory that is not a permitsim output" \
  "$bin" run "$region" --from 2012 --to 2012 --out "$work/foreign"
check "the foreign directory is untouched" test "$(ls -A "$work/foreign")" = "notes.txt"
check "the refusal names the directory" grep -q "$work/foreign" "$work/last.err"

# ---- --weekly, written over a previous output
cp -r "$work/a" "$work/w"
run_short "$work/w" 7 --weekly
check "--weekly over a previous output: annual.csv as without --weekly" \
  cmp -s "$work/w/annual.csv" "$work/a/annual.csv"
check "--weekly over a previous output: the manifest is replaced" \
  grep -q '"weekly" : true' "$work/w/manifest.json"
check "--weekly: weekly.csv header has week_start after year" \
  test "$(head -n 1 "$work/w/weekly.csv")" = "${header/year,municipality/year,week_start,municipality}"
check "--weekly: week_start is an ISO date" \
  bash -c "sed -n 2p '$work/w/weekly.csv' | grep -Eq '^[^,]*,0,201[234],201[234]-[01][0-9]-[0-3][0-9],'"
if command -v python3 > /dev/null; then
  python3 - "$work/w/weekly.csv" <<'EOF' && ok "weekly.csv: every row has the header's field count" || not_ok "weekly.csv field counts"
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
assert len(rows) > 52 and all(len(r) == len(rows[0]) for r in rows)
EOF
fi

# ---- bundled scenarios: applied in order, named in the scenario column
mapfile -t scenarios < <(ls "$src"/municipalities/scenarios/*.xml 2> /dev/null | head -n 2)
if [ "${#scenarios[@]}" -gt 0 ] && command -v python3 > /dev/null; then
  args=()
  for f in "${scenarios[@]}"; do args+=(--scenario "$f"); done
  "$bin" run "$region" --from 2012 --to 2012 "${args[@]}" --out "$work/s" > /dev/null 2> "$work/s.err"
  check "a run with ${#scenarios[@]} bundled scenario(s) succeeds" test -f "$work/s/annual.csv"
  python3 - "$work/s/annual.csv" "${scenarios[@]}" <<'EOF' && ok "the scenario column names the scenarios joined with +" || not_ok "scenario column"
import csv, sys, xml.etree.ElementTree as ET
want = "+".join(ET.parse(f).getroot().get("name") for f in sys.argv[2:])
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))[1:]
assert rows and {r[0] for r in rows} == {want}, ({r[0] for r in rows}, want)
EOF
else
  echo "skipped: no bundled scenario (or no python3); the scenario column was not checked"
fi

echo "run: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
