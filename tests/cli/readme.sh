#!/usr/bin/env bash
# The README's XML examples are real: each validates against its schema (xmllint,
# as a second opinion), and the municipality and scenario examples pass
# `permitsim validate` too. The README's commands name only commands that exist.
set -euo pipefail
bin=${PSIM_BINARY:?}
src=${PSIM_SOURCE_DIR:-.}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0

python3 - "$src/README.md" "$tmp" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```xml\n(.*?)```", text, re.S)
for i, b in enumerate(blocks):
    open(f"{sys.argv[2]}/example{i}.xml", "w", encoding="utf-8").write(b)
print(len(blocks))
PY

n=0
for f in "$tmp"/example*.xml; do
  n=$((n + 1))
  root=$(sed -n 's/^<\([a-z-]*\) .*/\1/p' "$f" | head -1)
  if xmllint --noout --nonet --schema "$src/municipalities/schema/$root.xsd" "$f" 2>"$tmp/err"; then
    pass=$((pass + 1))
  else
    echo "FAIL: README example $n ($root) does not validate:"; cat "$tmp/err"; fail=$((fail + 1))
  fi
  case $root in
    municipality|scenario)
      if "$bin" validate "$f" > /dev/null 2>"$tmp/err"; then pass=$((pass + 1))
      else echo "FAIL: permitsim validate rejects README example $n ($root):"; cat "$tmp/err"; fail=$((fail + 1)); fi ;;
  esac
done
[ "$n" -ge 4 ] || { echo "FAIL: expected at least 4 XML examples in the README, found $n"; fail=$((fail + 1)); }

# every `permitsim COMMAND` the README names exists
for cmd in $(grep -o '`permitsim [a-z]\+' "$src/README.md" | awk '{print $2}' | sort -u); do
  if "$bin" "$cmd" --help > /dev/null 2>&1; then pass=$((pass + 1))
  else echo "FAIL: the README names 'permitsim $cmd', which has no --help"; fail=$((fail + 1)); fi
done

echo "readme: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
