#!/usr/bin/env bash
# permitsim chart, as a user drives it: usage errors, every chart in every
# format written into DIR/charts and report.html into DIR (the layout of
# `permitsim compare`; OUTDIR/charts and OUTDIR with --out), SVG that
# xmllint parses, PDF that pdfinfo reads, a report.html with nothing from the
# network in either language, clear errors naming file and line for broken
# results, a failed call that leaves earlier charts alone (a redraw whose
# renames fail part-way too), and the charts of
# a real `permitsim run`. Where Chromium is installed, the report is rendered
# headless: the screenshot must be far from blank (a PNG of a blank page of
# the same size compresses to a few kilobytes) and the browser must log no
# console message (the report has no script, so any is a fault).
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" chart
fixtures="$src/tests/data/results"

stems="workers-by-sector violence reporting-testing exploitation places-waiting net-moves"

# ---- help and usage errors
exit_code 0 "--help" "$bin" chart --help
check "--help names the options and the exit codes" \
  bash -c "grep -q -- '--lang' '$work/last.out' && grep -q -- '--format' '$work/last.out' && grep -q 'Exit status' '$work/last.out'"
check "the command list names chart" bash -c "'$bin' --help | grep -q '^  chart '"
exit_code 1 "no directory" "$bin" chart
exit_code 1 "two directories" "$bin" chart "$fixtures/compare" "$fixtures/compare"
exit_code 1 "an unknown language" "$bin" chart "$fixtures/compare" --lang de --out "$work/never"
exit_code 1 "an unknown format" "$bin" chart "$fixtures/compare" --format svg,gif --out "$work/never"
exit_code 1 "a year outside the results" "$bin" chart "$fixtures/compare" --year 1999 --out "$work/never"
check "usage errors write nothing" test ! -e "$work/never"

# ---- the default: the charts in DIR/charts, the report in DIR, Dutch, all three formats
cp -r "$fixtures/compare" "$work/results"
exit_code 0 "charts of the fixture" "$bin" chart "$work/results"
out="$work/results/charts"
report="$work/results/report.html"
all_there=1
for s in $stems; do for f in svg png pdf; do
  [ -s "$out/$s.$f" ] || { all_there=0; echo "    missing $out/$s.$f"; }
done; done
check "every chart in every format, in DIR/charts" test "$all_there" -eq 1
check "report.html written into DIR" test -s "$report"
check "... and not into DIR/charts" test ! -e "$out/report.html"
check "only the charts in DIR/charts" test "$(ls -A "$out" | wc -l)" -eq 18
check "no staged files left behind" bash -c "! ls -A '$out' '$work/results' | grep -q '^\.'"
check "stdout says where both went" grep -q -F "charts written to $out/, the report to $report" "$work/last.out"
check "a manifest that lists no outputs is left byte for byte" cmp -s "$work/results/manifest.json" "$fixtures/compare/manifest.json"
check "the report is Dutch by default" grep -q '<html lang="nl">' "$report"
check "... with Dutch labels" grep -q 'Schadecheck (aanbeveling 4)' "$report"

svg_ok=1
for s in $stems; do
  xmllint --noout --nonet "$out/$s.svg" 2> "$work/xmllint.err" || { svg_ok=0; head -3 "$work/xmllint.err"; }
done
check "xmllint parses every SVG" test "$svg_ok" -eq 1

pdf_ok=1
for s in $stems; do
  head -c 4 "$out/$s.pdf" | grep -q '%PDF' || pdf_ok=0
  if command -v pdfinfo > /dev/null; then
    pdfinfo "$out/$s.pdf" 2> /dev/null | grep -q '^Pages: *1$' || pdf_ok=0
  fi
done
command -v pdfinfo > /dev/null || echo "(no pdfinfo: PDFs checked by their header only)"
check "every PDF starts with %PDF and pdfinfo reads one page" test "$pdf_ok" -eq 1

png_width () { # the width from the IHDR chunk (bytes 17-20, big-endian)
  od -An -t u1 -j 16 -N 4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'
}
png_ok=1
for s in $stems; do
  w=$(png_width "$out/$s.png")
  [ "$w" -ge 1200 ] || { png_ok=0; echo "    $s.png is $w px wide"; }
done
check "every PNG is at least 1200 px wide" test "$png_ok" -eq 1

# nothing from the network: no http(s) anywhere, every src and href a data: URI or an anchor
check "report.html has no http:// or https://" bash -c "! grep -q -E 'https?://' '$report'"
check "every src and href is data: or #" \
  bash -c "! grep -o -E '(src|href)=\"[^\"]*' '$report' | grep -v -E '(src|href)=\"(data:|#)'"
check "six charts embedded" test "$(grep -o 'src="data:image/svg+xml;base64,' "$report" | wc -l)" -eq 6

# ---- English, other formats, --out
exit_code 0 "--lang en --format png --out" "$bin" chart "$fixtures/compare" --lang en --format png --out "$work/en"
check "English report" grep -q 'Harm check (recommendation 4)' "$work/en/report.html"
check "... and no Dutch headings" bash -c "! grep -q 'Schadecheck' '$work/en/report.html'"
check "the harm check names the scenario built to do harm" \
  grep -q 'more sex workers experience sexual violence' "$work/en/report.html"
check "only PNG charts, in OUTDIR/charts" \
  test "$(ls "$work/en/charts" | grep -c '\.png$')" -eq 6 -a "$(ls "$work/en/charts" | grep -c '\.svg$\|\.pdf$')" -eq 0
check "... and OUTDIR holds only them and the report" test "$(ls -A "$work/en" | tr '\n' ' ')" = "charts report.html "
exit_code 0 "--year" "$bin" chart "$fixtures/compare" --lang en --format svg --year 2021 --out "$work/y2021"
check "the report speaks of the year asked for" grep -q 'in 2021\.' "$work/y2021/report.html"

# ---- broken results: exit 2, the file and line named
expect_error () { # expect_error FIXTURE TEXT
  exit_code 2 "$1 is refused" "$bin" chart "$fixtures/$1" --out "$work/never"
  check "... naming '$2'" grep -q -F -- "$2" "$work/last.err"
}
expect_error bad-number "bad-number/annual.csv:4: error: column 'workers': 'abc' is not a number"
expect_error bad-quote "bad-quote/annual.csv:3: error: unterminated quoted field"
expect_error missing-column "missing-column/annual.csv:1: error: missing column(s): waiting"
expect_error no-manifest "no-manifest/manifest.json: error: cannot open"
expect_error bad-manifest "bad-manifest/manifest.json:3:"
expect_error missing-annual "missing-annual/annual.csv: error: cannot open"
expect_error bad-summary "bad-summary/summary.csv:3: error:"
exit_code 2 "a directory that does not exist" "$bin" chart "$work/nowhere"
check "broken results write nothing" test ! -e "$work/never"

# ---- a failing call leaves the previous charts alone
before=$(cd "$work/results" && sha256sum -- report.html charts/* | sha256sum)
exit_code 1 "a bad year over existing charts" "$bin" chart "$work/results" --year 1900
after=$(cd "$work/results" && sha256sum -- report.html charts/* | sha256sum)
check "the earlier charts are untouched" test "$before" = "$after"

# ---- a redraw whose renames fail part-way puts back what it had renamed:
# the charts go into place before report.html, and a directory in the
# report's place refuses it (English charts: other bytes than the Dutch ones)
mv "$work/results/report.html" "$work/report.nl.html"
mkdir "$work/results/report.html" && touch "$work/results/report.html/in-the-way"
# one chart is a symbolic link of the user's: it must come back as that link
mv "$work/results/charts/violence.png" "$work/violence-elsewhere.png"
ln -s "$work/violence-elsewhere.png" "$work/results/charts/violence.png"
before=$(cd "$work/results" && sha256sum -- charts/* | sha256sum)
"$bin" chart "$work/results" --lang en > "$work/last.out" 2> "$work/last.err"; rc=$?
check "a rename that fails part-way is an error (exit $rc)" test "$rc" -ne 0
check "... naming the file it could not put in place" grep -q -F "$work/results/report.html: cannot rename into place" "$work/last.err"
after=$(cd "$work/results" && sha256sum -- charts/* | sha256sum)
check "... and the charts renamed before it are the earlier ones again" test "$before" = "$after"
check "... with nothing staged or kept left behind" bash -c "! ls -A '$work/results/charts' '$work/results' | grep -q '^\.'"
check "... and the user's symbolic link is a link again" \
  test "$(readlink "$work/results/charts/violence.png")" = "$work/violence-elsewhere.png"
rm -r "$work/results/report.html" && mv "$work/report.nl.html" "$work/results/report.html"
rm "$work/results/charts/violence.png" && mv "$work/violence-elsewhere.png" "$work/results/charts/violence.png"

# ---- the charts of a real run
region="$src/municipalities/netherlands.xml"
if "$bin" run "$region" --from 2012 --to 2013 --seed 3 --out "$work/run" > "$work/run.out" 2> "$work/run.err"; then
  exit_code 0 "charts of a permitsim run" "$bin" chart "$work/run" --lang en
  check "... all written" test "$(ls "$work/run/charts" | wc -l)" -eq 18 -a -s "$work/run/report.html"
else
  not_ok "permitsim run failed, so its charts could not be drawn"; sed 's/^/    /' "$work/run.err" | head -10
fi

# ---- in a browser
chromium=/usr/bin/chromium
if [ -x "$chromium" ]; then
  shoot () { # shoot URL PNG LOG
    "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" \
      --enable-logging=stderr --v=0 --screenshot="$2" --window-size=1200,900 "$1" > /dev/null 2> "$3"
  }
  shoot "file://$report" "$work/report.png" "$work/chromium.log"; rc=$?
  check "Chromium renders report.html (exit $rc)" test "$rc" -eq 0 -a -s "$work/report.png"
  shoot "about:blank" "$work/blank.png" "$work/blank.log"
  report_size=$(wc -c < "$work/report.png"); blank_size=$(wc -c < "$work/blank.png")
  check "the screenshot is 1200 px wide" test "$(png_width "$work/report.png")" -eq 1200
  check "the screenshot is not blank ($report_size bytes; a blank page: $blank_size)" \
    test "$report_size" -gt $((blank_size * 4))
  check "no console message while rendering" bash -c "! grep -E ':CONSOLE|Uncaught' '$work/chromium.log'"
else
  echo "(no $chromium: the browser check is skipped)"
fi

echo "chart: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
