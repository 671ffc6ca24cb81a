#!/usr/bin/env bash
# The bundled scenarios (municipalities/scenarios/*.xml) as a user drives them:
# every one validates against the bundled region and runs for a short period
# past the data; two stacked with --scenario twice apply in order; a scenario
# naming an unknown municipality or window area is refused with its line
# (exit 2), by validate and by run, and a failing run writes nothing.
set -uo pipefail
bin=${PSIM_BINARY:?PSIM_BINARY is not set}
cd "${PSIM_SOURCE_DIR:-.}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
passes=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }

# run EXPECTED_EXIT ARGS...: runs permitsim, keeps stdout and stderr
run() {
  local want=$1
  shift
  "$bin" "$@" > "$tmp/out" 2> "$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "permitsim $* exited $got, expected $want"
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
# csv_value FILE SCENARIO YEAR MUNICIPALITY COLUMN: one cell of annual.csv (replication 0)
csv_value() {
  awk -F, -v s="$2" -v y="$3" -v m="$4" -v c="$5" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) col = i; next }
    $1 == s && $2 == 0 && $3 == y && $4 == m { print $col }' "$1"
}

region=municipalities/netherlands.xml
scenarios=(municipalities/scenarios/*.xml)
if [ "${#scenarios[@]}" -lt 12 ]; then
  fail "expected the twelve bundled scenarios, found ${#scenarios[@]}"
fi

# ---- every bundled scenario validates against the bundled region
run 0 validate --region "$region" "${scenarios[@]}"
for s in "${scenarios[@]}"; do
  expect_in out "^$s: ok \\(scenario \"$(basename "$s" .xml)\", .*checked against region \"Nederland\"\\)$"
done
# and each is well-formed XML that xmllint also finds valid against the shipped schema
if command -v xmllint > /dev/null; then
  for s in "${scenarios[@]}"; do
    if xmllint --noout --nonet --schema municipalities/schema/scenario.xsd "$s" 2> "$tmp/xmllint"; then
      pass
    else
      fail "xmllint rejects $s"
      sed 's/^/  /' "$tmp/xmllint" | head -5
    fi
  done
fi

# ---- each runs for a short period past the data (2025-2026; one burn-in year)
params="$tmp/parameters.xml"
# (the range too: the burn-in is a run setting, held fixed with min = max)
sed -E 's/(name="run\.burn-in-years" value=")[^"]*(" unit="[^"]*" min=")[^"]*(" max=")[^"]*"/\11\21\31"/' \
  municipalities/parameters.xml > "$params"
grep -q 'name="run.burn-in-years" value="1"' "$params" && pass || fail "could not shorten the burn-in"
run 0 run "$region" --parameters "$params" --from 2025 --to 2026 --seed 3 -q --out "$tmp/baseline"
for s in "${scenarios[@]}"; do
  name=$(basename "$s" .xml)
  run 0 run "$region" --parameters "$params" --from 2025 --to 2026 --seed 3 -q --scenario "$s" \
    --out "$tmp/$name"
  rows=$(grep -c "^$name,0,2026," "$tmp/$name/annual.csv" 2> /dev/null)
  [ "$rows" = 13 ] && pass || fail "$name: expected 13 rows for 2026 (12 municipalities and ALL), found ${rows:-none}"
  # 2025 comes before the scenario: the baseline's numbers
  if [ "$(grep ",0,2025," "$tmp/$name/annual.csv" | cut -d, -f2-)" = "$(grep ",0,2025," "$tmp/baseline/annual.csv" | cut -d, -f2-)" ]; then
    pass
  else
    fail "$name: 2025 differs from the baseline although the scenario starts in 2026"
  fi
done

# what some of them visibly do in 2026
ams_windows=$(csv_value "$tmp/close-all-windows/annual.csv" close-all-windows 2026 Amsterdam window)
base_windows=$(csv_value "$tmp/baseline/annual.csv" baseline 2026 Amsterdam window)
[ "${ams_windows:-x}" = 0 ] && [ "${base_windows:-0}" -gt 0 ] && pass \
  || fail "close-all-windows: Amsterdam window workers in 2026: ${ams_windows:-?} (baseline ${base_windows:-?})"
held=$(csv_value "$tmp/license-independents/annual.csv" license-independents 2026 ALL independent_licences)
[ "${held:-0}" -gt 0 ] && pass || fail "license-independents: no licences held in 2026"
tested=$(csv_value "$tmp/ggd-registration/annual.csv" ggd-registration 2026 ALL tested_12m)
base_tested=$(csv_value "$tmp/baseline/annual.csv" baseline 2026 ALL tested_12m)
awk -v a="${tested:-1}" -v b="${base_tested:-0}" 'BEGIN { exit !(a < b) }' && pass \
  || fail "ggd-registration: tested_12m ${tested:-?} not below the baseline's ${base_tested:-?}"

# ---- two scenarios stacked, in order
run 0 run "$region" --parameters "$params" --from 2025 --to 2026 --seed 3 -q \
  --scenario municipalities/scenarios/lift-maximum-policy.xml \
  --scenario municipalities/scenarios/mixed-use-workspace.xml --out "$tmp/stacked"
label=lift-maximum-policy+mixed-use-workspace
rows=$(grep -c "^$label,0,2026," "$tmp/stacked/annual.csv" 2> /dev/null)
[ "$rows" = 13 ] && pass || fail "stacked: no rows labelled $label"
workspace=$(csv_value "$tmp/stacked/annual.csv" "$label" 2026 ALL independent_licences)
[ "${workspace:-0}" -gt 0 ] && pass || fail "stacked: the mixed-use workspace did not act (independent_licences ${workspace:-?})"
grep -q '"lift-maximum-policy"' "$tmp/stacked/manifest.json" && grep -q '"mixed-use-workspace"' "$tmp/stacked/manifest.json" \
  && pass || fail "stacked: the manifest does not name both scenarios"
# in order: a later scenario overrides an earlier one's lever; registration on,
# then the twelve rules (registration off) is the twelve rules alone
run 0 run "$region" --parameters "$params" --from 2025 --to 2026 --seed 3 -q \
  --scenario municipalities/scenarios/local-registration.xml \
  --scenario municipalities/scenarios/twelve-rules.xml --out "$tmp/ordered"
if [ "$(cut -d, -f2- "$tmp/ordered/annual.csv" | tail -n +2)" = "$(cut -d, -f2- "$tmp/twelve-rules/annual.csv" | tail -n +2)" ]; then
  pass
else
  fail "local-registration then twelve-rules differs from twelve-rules alone"
fi

# ---- an unknown municipality or area: exit 2, with the line, and no output
cat > "$tmp/bad-municipality.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<scenario xmlns="urn:permitsim:scenario:1" name="bad-municipality">
  <title>A municipality that is not in the region</title>
  <change from="2026-01-01" municipality="Amsterdm">
    <close-windows area="all"/>
  </change>
</scenario>
EOF
cat > "$tmp/bad-area.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<scenario xmlns="urn:permitsim:scenario:1" name="bad-area">
  <change from="2026-01-01" municipality="Amsterdam">
    <participation level="consult"/>
    <close-windows area="walen"/>
  </change>
</scenario>
EOF
cat > "$tmp/too-early.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<scenario xmlns="urn:permitsim:scenario:1" name="too-early">
  <change from="1990-01-01">
    <pimping-ban in-force="true"/>
  </change>
</scenario>
EOF
run 2 validate --region "$region" "$tmp/bad-municipality.xml"
expect_in err "^$tmp/bad-municipality.xml:4: error: .*\"Amsterdm\".*did you mean \"Amsterdam\""
run 2 validate --region "$region" "$tmp/bad-area.xml"
expect_in err "^$tmp/bad-area.xml:5: error: .*\"walen\".*did you mean \"wallen\""
run 2 validate --region "$region" "$tmp/too-early.xml"
expect_in err "^$tmp/too-early.xml:3: error: .*1990-01-01.*outside the period"
for bad in bad-municipality bad-area; do
  run 2 run "$region" --parameters "$params" --from 2025 --to 2026 -q \
    --scenario municipalities/scenarios/pimping-ban.xml --scenario "$tmp/$bad.xml" --out "$tmp/never-$bad"
  expect_in err "^$tmp/$bad.xml:[45]: error: "
  [ ! -e "$tmp/never-$bad" ] && pass || fail "a run refused for $bad.xml left an output directory"
done

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
