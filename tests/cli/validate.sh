#!/usr/bin/env bash
# `permitsim validate`: exit codes (0 valid, 1 usage, 2 invalid), "ok" lines
# on stdout, every problem on stderr as path:line: error: ..., --help, and
# which region scenarios are checked against.
set -uo pipefail
bin=${PSIM_BINARY:?PSIM_BINARY is not set}
cd "${PSIM_SOURCE_DIR:-.}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
passes=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }

# run EXPECTED_EXIT ARGS...: runs the command, keeps stdout and stderr
run() {
  local want=$1
  shift
  "$bin" validate "$@" > "$tmp/out" 2> "$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "validate $* exited $got, expected $want"
    sed 's/^/  stdout: /' "$tmp/out" | head -20
    sed 's/^/  stderr: /' "$tmp/err" | head -20
  else
    pass
  fi
}
# expect_in FILE REGEX: a line of FILE matches
expect_in() {
  if grep -Eq -- "$2" "$tmp/$1"; then pass; else fail "no line of $1 matches '$2'"; sed "s/^/  $1: /" "$tmp/$1" | head -20; fi
}
expect_empty() {
  if [ -s "$tmp/$1" ]; then fail "$1 is not empty"; sed "s/^/  $1: /" "$tmp/$1" | head -20; else pass; fi
}

# a region of the test municipalities with the bundled parameter file
region="$tmp/data"
mkdir -p "$region"
cp tests/data/valid/region.xml tests/data/valid/municipality.xml tests/data/valid/municipality-small.xml "$region/"
if [ ! -f municipalities/parameters.xml ]; then
  fail "municipalities/parameters.xml (the bundled parameter file) is missing"
fi
cp municipalities/parameters.xml "$region/parameters.xml" 2>/dev/null

# --help: a real help text on stdout, exit 0
run 0 --help
expect_in out '^Usage:'
expect_in out -- '--region'
expect_in out '^Examples:'
expect_in out 'permitsim validate --region'

# usage errors: exit 1
run 1
expect_in err 'give at least one FILE'
run 1 --no-such-option tests/data/valid/municipality.xml
expect_empty out

# valid files: exit 0, one "ok" line each, nothing on stderr
run 0 tests/data/valid/municipality.xml tests/data/valid/municipality-small.xml
expect_in out '^tests/data/valid/municipality.xml: ok \(municipality "Teststad", 2 window areas, 1 street zone, 6 events\)$'
expect_in out '^tests/data/valid/municipality-small.xml: ok \(municipality "Dorp", 0 window areas, 0 street zones, 0 events\)$'
expect_empty err

# a region checks its municipalities and its parameter file
run 0 "$region/region.xml"
expect_in out "^$region/region.xml: ok \(region \"Testregio\", 2 municipalities, 2000-01-01 to 2020-12-31\)$"
expect_in out "^$region/municipality.xml: ok \(municipality \"Teststad\""
expect_in out "^$region/parameters.xml: ok \(parameters, [0-9]+ of them\)$"
expect_empty err

# a scenario: against --region, against a region among the files, against the bundled one
run 0 --region "$region/region.xml" tests/data/valid/scenario.xml
expect_in out '^tests/data/valid/scenario.xml: ok \(scenario "reopen-the-harbour", 4 changes, checked against region "Testregio"\)$'
run 0 tests/data/valid/scenario.xml "$region/region.xml"
expect_in out 'scenario.xml: ok .*checked against region "Testregio"'
# no bundled region in the data folder: schema and dates only, and a note saying so
PERMITSIM_DATADIR="$region" run 0 tests/data/valid/scenario.xml
expect_in out 'scenario.xml: ok .*not checked against a region'
expect_in err 'note: .*scenarios are checked without a region'
cp "$region/region.xml" "$region/netherlands.xml"
PERMITSIM_DATADIR="$region" run 0 tests/data/valid/scenario.xml
expect_in out 'checked against region "Testregio"'
# the same scenario does not fit a region without Teststad
run 2 --region municipalities/netherlands.xml tests/data/valid/scenario.xml
expect_in err '^tests/data/valid/scenario.xml:[0-9]+: error: .*Teststad'

# invalid files: exit 2, path:line: error: on stderr, nothing on stdout for them
run 2 tests/data/invalid/schema-negative-count.xml
expect_in err '^tests/data/invalid/schema-negative-count.xml:5: error: <window-area> attribute windows "-3" is too small'
expect_empty out
run 2 tests/data/invalid/syntax-not-well-formed.xml
expect_in err '^tests/data/invalid/syntax-not-well-formed.xml:5:[0-9]+: error: not well-formed XML'
run 2 tests/data/invalid/forbidden-xxe.xml
expect_in err '^tests/data/invalid/forbidden-xxe.xml:2:[0-9]+: error: .*DOCTYPE'
if grep -q 'root:' "$tmp/err"; then fail "a line of /etc/passwd was printed"; else pass; fi
run 2 tests/data/invalid/does-not-exist.xml
expect_in err '^tests/data/invalid/does-not-exist.xml: error: cannot read the file: no such file$'
run 2 tests/data/invalid/schema-wrong-namespace.xml
expect_in err 'expected xmlns="urn:permitsim:municipality:1"'
run 2 tests/data/invalid/semantic-region-outside-period.xml
expect_in err '^tests/data/invalid/parts/early-event.xml:6: error: the event of 1995-06-01 lies outside the period'
run 2 --region "$region/region.xml" tests/data/invalid/semantic-scenario-unknown-municipality.xml
expect_in err '^tests/data/invalid/semantic-scenario-unknown-municipality.xml:4: error: .*"Testdorp"'

# every problem of a file, not only the first
run 2 tests/data/invalid/schema-many-problems.xml
n=$(grep -c '^tests/data/invalid/schema-many-problems.xml:[0-9]*: error: ' "$tmp/err")
if [ "$n" -ge 6 ]; then pass; else fail "schema-many-problems.xml: $n problems reported, expected 6"; fi
run 2 tests/data/invalid/semantic-many-problems.xml
n=$(grep -c '^tests/data/invalid/semantic-many-problems.xml:[0-9]*: error: ' "$tmp/err")
if [ "$n" -ge 5 ]; then pass; else fail "semantic-many-problems.xml: $n problems reported, expected 5"; fi

# valid and invalid together: each file judged, exit 2
run 2 tests/data/valid/municipality.xml tests/data/invalid/semantic-mix-sum.xml
expect_in out '^tests/data/valid/municipality.xml: ok'
expect_in err '^tests/data/invalid/semantic-mix-sum.xml:6: error: the <origin> shares must add up to 1'

# the bundled data, if this tree has it
if [ -f municipalities/netherlands.xml ]; then
  run 0 municipalities/netherlands.xml
  expect_in out '^municipalities/netherlands.xml: ok \(region '
  expect_empty err
fi

echo "validate.sh: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
