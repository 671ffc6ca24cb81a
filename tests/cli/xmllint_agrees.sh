#!/usr/bin/env bash
# A second opinion on the schemas: for every schema-level fixture and every
# bundled file, xmllint (libxml2's own validator) and permitsim agree. A file
# permitsim accepts must pass xmllint; a file xmllint rejects must be
# rejected by permitsim (which may reject more, for reasons a schema cannot
# express). Fixture names say what is expected: valid/* pass both,
# invalid/schema-* fail both, invalid/semantic-* pass xmllint and fail permitsim.
set -uo pipefail
bin=${PSIM_BINARY:?PSIM_BINARY is not set}
cd "${PSIM_SOURCE_DIR:-.}"
command -v xmllint > /dev/null || { echo "FAIL: xmllint is not installed (libxml2-utils)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
passes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# the test region with the bundled parameter file, as the "bundled" region
# for the fixture scenarios (PERMITSIM_DATADIR)
mkdir -p "$tmp/data"
cp tests/data/valid/region.xml "$tmp/data/netherlands.xml"
cp tests/data/valid/municipality.xml tests/data/valid/municipality-small.xml "$tmp/data/"
cp municipalities/parameters.xml "$tmp/data/parameters.xml" 2>/dev/null

files=(tests/data/valid/*.xml tests/data/invalid/schema-*.xml tests/data/invalid/semantic-*.xml)
for f in municipalities/*.xml municipalities/nl/*.xml municipalities/scenarios/*.xml; do
  [ -f "$f" ] && files+=("$f")
done

for f in "${files[@]}"; do
  root=$(xmllint --nonet --xpath 'local-name(/*)' "$f" 2>/dev/null)
  case "$root" in
    municipality|region|scenario|parameters) xmllint_ok=1
      xmllint --noout --nonet --schema "municipalities/schema/$root.xsd" "$f" > /dev/null 2> "$tmp/xmllint.err" || xmllint_ok=0 ;;
    *) xmllint_ok=0; echo "" > "$tmp/xmllint.err" ;; # not a permitsim root: no schema accepts it
  esac
  psim_ok=1
  case "$f" in
    tests/data/valid/region.xml)
      # its parameter file is made by the tests: check it beside one
      cp "$f" "$tmp/data/region.xml"
      "$bin" validate "$tmp/data/region.xml" > /dev/null 2> "$tmp/psim.err" || psim_ok=0 ;;
    tests/*) PERMITSIM_DATADIR="$tmp/data" "$bin" validate "$f" > /dev/null 2> "$tmp/psim.err" || psim_ok=0 ;;
    *) "$bin" validate "$f" > /dev/null 2> "$tmp/psim.err" || psim_ok=0 ;;
  esac

  if [ "$psim_ok" -eq 1 ] && [ "$xmllint_ok" -eq 0 ]; then
    fail "$f: permitsim accepts it, xmllint rejects it:"; sed 's/^/  /' "$tmp/xmllint.err"; continue
  fi
  case "$f" in
    tests/data/valid/*|municipalities/*) want_x=1; want_p=1 ;;
    tests/data/invalid/schema-*) want_x=0; want_p=0 ;;
    tests/data/invalid/semantic-*) want_x=1; want_p=0 ;;
  esac
  if [ "$xmllint_ok" -ne "$want_x" ]; then
    fail "$f: xmllint says $xmllint_ok, expected $want_x"; sed 's/^/  /' "$tmp/xmllint.err"; continue
  fi
  if [ "$psim_ok" -ne "$want_p" ]; then
    fail "$f: permitsim says $psim_ok, expected $want_p"; sed 's/^/  /' "$tmp/psim.err"; continue
  fi
  passes=$((passes + 1))
done

[ "$passes" -gt 10 ] || fail "only $passes files compared"
echo "xmllint_agrees.sh: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
