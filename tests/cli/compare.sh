#!/usr/bin/env bash
# permitsim compare, as a user drives it: --help, usage errors, a bad scenario
# refused before any output exists, and a comparison on the small test region
# with a scenario built to change nothing (keep-the-age), one that changes
# a lot (reopen-the-harbour) and the two applied together (a+b): the
# scenario column, paired differences that are exactly 0 for the first and
# recomputable from annual.csv for the second, the manifest's hashes, a
# self-contained report whose harm check flags nothing for keep-the-age, the
# charts in DIR/charts/ (where `permitsim chart DIR` redraws them) with the
# report in DIR, the same bytes when run again over the previous output, and
# a failed commit that leaves the previous output as it was.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" compare
region="$src/tests/data/valid/region.xml"
nothing="$src/tests/data/compare/keep-the-age.xml"
something="$src/tests/data/valid/scenario.xml"
# The bundled parameters with a one-year burn-in: quick, and about pairing, not the model.
params="$work/parameters.xml"
quick_parameters "$params"

cmp_run () { # cmp_run OUTDIR [more options]
  local out=$1; shift
  "$bin" compare "$region" --parameters "$params" --from 2015 --to 2017 -n 4 --threads 2 \
    --lang en --format svg --out "$out" "$@"
}

# ---- help and usage errors
exit_code 0 "--help" "$bin" compare --help
check "--help: description, not stacked, examples, exit codes" bash -c \
  "grep -q 'on its own' '$work/last.out' && grep -q 'Examples:' '$work/last.out' && grep -q 'Exit status' '$work/last.out'"
check "the command list names compare" bash -c "'$bin' --help | grep -q '^  compare '"
exit_code 1 "no --scenario" cmp_run "$work/never"
exit_code 1 "an unknown language" cmp_run "$work/never" --scenario "$nothing" --lang de
exit_code 1 "the same alternative twice" cmp_run "$work/never" --scenario "$nothing" --scenario "$nothing"
printf '<?xml version="1.0"?>\n<scenario xmlns="urn:permitsim:scenario:1" name="broken">\n' > "$work/broken.xml"
exit_code 2 "a bad scenario" cmp_run "$work/never" --scenario "$nothing" --scenario "$work/broken.xml"
check "the bad scenario is named" grep -q "broken.xml" "$work/last.err"
check "no output directory, no staging left" bash -c "! ls -A '$work' | grep -q never"

# ---- a comparison: nothing, something, and both applied together
out="$work/out"
exit_code 0 "compare with three alternatives" \
  cmp_run "$out" --scenario "$nothing" --scenario "$something" --scenario "$nothing+$something"
cp "$work/last.out" "$work/first.out"
# with a memory bound of one byte (annual.csv read again for every group of
# summary.csv's and differences.csv's rows), the same tables
PERMITSIM_SUMMARY_MEMORY=1 cmp_run "$work/bounded" --scenario "$nothing" --scenario "$something" \
  --scenario "$nothing+$something" > /dev/null 2>&1
check "a memory bound of one byte gives the same annual, summary and differences" \
  same_files "$out" "$work/bounded" annual.csv summary.csv differences.csv
check "stdout says where the report is" grep -q "^Report: $out/report.html" "$work/first.out"
check "stdout says where the charts are" grep -q "^Charts: $out/charts/\$" "$work/first.out"
check "stdout: the harm check finds nothing for keep-the-age" \
  grep -q "keep-the-age: nothing worse than the baseline" "$work/first.out"
check "report.html in DIR, the charts in DIR/charts" test -s "$out/report.html" -a -s "$out/charts/violence.svg"
check "no chart beside the results" bash -c "! ls '$out' | grep -E -q '\.(svg|png|pdf)\$'"
check "no report in charts/" test ! -e "$out/charts/report.html"
check "report.html has no http(s) reference" bash -c "! grep -Eqi 'https?:' '$out/report.html'"

if command -v python3 > /dev/null; then
  python3 - "$out" <<'EOF' && ok "files read back (python3): pairs, zeros, differences, manifest, harm" \
    || not_ok "files read back"
import csv, hashlib, json, os, re, sys
out = sys.argv[1]
def rows(name):
    with open(os.path.join(out, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
def q7(xs, p):  # R's default quantile (type 7)
    xs = sorted(xs); h = (len(xs) - 1) * p; lo = int(h)
    return xs[lo] if lo + 1 >= len(xs) else xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo])
both = "keep-the-age+reopen-the-harbour"
names = ["baseline", "keep-the-age", "reopen-the-harbour", both]
annual = rows("annual.csv")
assert [n for n in names if any(r["scenario"] == n for r in annual)] == names
reps = {n: sorted({r["replication"] for r in annual if r["scenario"] == n}) for n in names}
assert all(v == ["0", "1", "2", "3"] for v in reps.values()), reps
key = lambda r: (r["replication"], r["year"], r["municipality"])
base = {key(r): r for r in annual if r["scenario"] == "baseline"}
same = [r for r in annual if r["scenario"] == "keep-the-age"]
assert same and all({**r, "scenario": "baseline"} == base[key(r)] for r in same), "keep-the-age differs"
assert {r["scenario"] for r in rows("summary.csv")} == set(names)

diff = rows("differences.csv")
assert list(diff[0].keys()) == ["scenario", "year", "municipality", "metric",
                                "diff_mean", "diff_median", "diff_p05", "diff_p95"]
assert {r["scenario"] for r in diff} == set(names[1:]), "one block per alternative"
stats = ("diff_mean", "diff_median", "diff_p05", "diff_p95")
zero = [r for r in diff if r["scenario"] == "keep-the-age"]
assert zero and all(r[s] == "" or float(r[s]) == 0.0 for r in zero for s in stats)
assert any(r[s] != "" for r in zero for s in stats)
moved = [r for r in diff if r["scenario"] == "reopen-the-harbour" and r["municipality"] == "ALL"
         and r["year"] == "2017" and r["metric"] == "licensed"]
d = [float(a["licensed"]) - float(base[key(a)]["licensed"]) for a in annual
     if a["scenario"] == "reopen-the-harbour" and a["year"] == "2017" and a["municipality"] == "ALL"]
assert len(moved) == 1 and len(d) == 4 and any(x != 0 for x in d), "reopen-the-harbour changes something"
want = (sum(d) / 4, q7(d, 0.5), q7(d, 0.05), q7(d, 0.95))
assert all(abs(float(moved[0][s]) - w) < 5e-4 for s, w in zip(stats, want)), (moved[0], want)

m = json.load(open(os.path.join(out, "manifest.json"), encoding="utf-8"))
assert m["baseline"] == "baseline" and m["seed"] == 1 and m["replications"] == 4
assert [s["name"] for s in m["scenarios"]] == names[1:]
assert m["scenarios"][2]["title"] == "Keep the age + Reopen the harbour"
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
assert all(f["sha256"] == sha(f["file"]) for s in m["scenarios"] for f in s["files"])
listed = [o["file"] for o in m["outputs"]]
assert listed == sorted(listed), "outputs in name order"
assert {"annual.csv", "differences.csv", "summary.csv", "report.html", "charts/violence.svg"} <= set(listed)
on_disk = sorted(os.path.relpath(os.path.join(d, f), out) for d, _, fs in os.walk(out) for f in fs)
assert set(listed) == set(on_disk) - {"manifest.json"}, (listed, on_disk)
assert all(o["sha256"] == sha(os.path.join(out, o["file"])) for o in m["outputs"])

html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
harm = html[html.index('<section id="harm">'):]
harm = harm[:harm.index("</section>")]
assert re.search(r'<h3>Keep the age</h3>\s*<p class="clear">', harm), "keep-the-age flagged"
EOF
else
  echo "skipped: python3 is not installed; the files were not read back"
fi

# ---- `permitsim chart DIR` redraws into the same places: with the options
# of the comparison, the same files byte for byte and no second copy
cp -r "$out" "$work/before-chart"
exit_code 0 "permitsim chart over the comparison" "$bin" chart "$out" --lang en --format svg
check "... the same files, byte for byte (the manifest's hashes hold)" diff -r -q "$out" "$work/before-chart"

# ---- with other options the files change, and the manifest's list of them
# with them: every file it lists has the SHA-256 it gives, and it says how
# the charts were drawn (charts_command_line)
listed_hashes_hold () { # every "file"/"sha256" pair of DIR/manifest.json, checked by sha256sum
  awk -F'"' '$2 == "file" { f = $4 } $2 == "sha256" && f != "" { print $4 "  " f; f = "" }' "$1/manifest.json" \
    > "$work/listed.sha256"
  [ -s "$work/listed.sha256" ] && (cd "$1" && sha256sum --quiet -c "$work/listed.sha256")
}
cp -r "$work/before-chart" "$work/redrawn"
exit_code 0 "permitsim chart with another language and year" "$bin" chart "$work/redrawn" --lang nl --format svg,png --year 2016
check "... the charts differ from the comparison's" bash -c "! cmp -s '$work/redrawn/charts/violence.svg' '$work/before-chart/charts/violence.svg'"
check "... every file the manifest lists has the SHA-256 it gives" listed_hashes_hold "$work/redrawn"
check "... the PNGs now written are listed" grep -q '"charts/violence.png"' "$work/redrawn/manifest.json"
check "... and the command that drew them" \
  bash -c "tr -d ' \n' < '$work/redrawn/manifest.json' | grep -q '\"charts_command_line\":\[\"permitsim\",\"chart\",.*\"--year\",\"2016\"\]'"
check "... and still the comparison's own command and scenarios" \
  bash -c "grep -q '\"comparison\"' '$work/redrawn/manifest.json' && tr -d ' \n' < '$work/redrawn/manifest.json' | grep -q '\"command_line\":\[\"permitsim\",\"compare\"'"
check "no staged files left behind" bash -c "! ls -A '$work/redrawn' '$work/redrawn/charts' | grep -q '^\.'"
before=$(cd "$work/redrawn" && sha256sum -- manifest.json report.html charts/* | sha256sum)
exit_code 1 "a redraw that fails (a year outside the results)" "$bin" chart "$work/redrawn" --year 1900
check "... leaves the manifest, the report and the charts as they were" \
  test "$before" = "$(cd "$work/redrawn" && sha256sum -- manifest.json report.html charts/* | sha256sum)"

# ---- again, over the previous output: the same bytes; a chart an earlier
# version left beside the results goes, a file of the user's in charts/ stays
cp -r "$out" "$work/saved"
echo "beside the results" > "$out/violence.svg"
echo "mine" > "$out/charts/notes.txt"
exit_code 0 "the same comparison over its previous output" \
  cmp_run "$out" --scenario "$nothing" --scenario "$something" --scenario "$nothing+$something"
for f in annual.csv differences.csv summary.csv manifest.json report.html charts/violence.svg; do
  check "same $f" cmp -s "$out/$f" "$work/saved/$f"
done
check "the old chart beside the results is removed" test ! -e "$out/violence.svg"
check "the user's file in charts/ is kept" grep -q mine "$out/charts/notes.txt"
check "no staging directory left" bash -c "! ls -A '$work' | grep -q '^\.'"

# ---- a commit that fails (a file where charts/ goes) changes nothing
rm -rf "$work/in-the-way"
mkdir "$work/in-the-way"
cp "$work/saved/manifest.json" "$work/saved/annual.csv" "$work/in-the-way/"
echo "not a directory" > "$work/in-the-way/charts"
before=$(cd "$work/in-the-way" && sha256sum -- * | sha256sum)
exit_code 3 "charts/ cannot be made" cmp_run "$work/in-the-way" --scenario "$nothing"
check "... the error names it" grep -q "in-the-way/charts" "$work/last.err"
after=$(cd "$work/in-the-way" && sha256sum -- * | sha256sum)
check "... and the previous output is as it was" test "$before" = "$after"
check "... no staging directory left" bash -c "! ls -A '$work' | grep -q '^\.'"

echo "compare: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
