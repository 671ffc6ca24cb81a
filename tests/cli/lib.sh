# shellcheck shell=bash
# What the command-line tests share; sourced, not a test itself (it is left
# out of ctest's list of tests/cli/*.sh):
#
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh" NAME
#
# sets bin (the program, PSIM_BINARY) and src (the source tree,
# PSIM_SOURCE_DIR), makes a scratch directory $work (permitsim-NAME-test.*,
# removed at exit) and defines the counters passed and failed with the checks
# that count: ok, not_ok, check and exit_code; then dir_digest, same_files and
# quick_parameters for the tests that want them.

# shellcheck disable=SC2034 # bin is for the tests that source this
bin=${PSIM_BINARY:-build/permitsim}
src=${PSIM_SOURCE_DIR:-.}
work=$(mktemp -d "${TMPDIR:-/tmp}/permitsim-$1-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok () { echo "ok: $*"; passed=$((passed + 1)); }
not_ok () { echo "FAIL: $*"; failed=$((failed + 1)); }
check () { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
exit_code () { # exit_code EXPECTED DESCRIPTION COMMAND...
  local want=$1 what=$2; shift 2
  "$@" > "$work/last.out" 2> "$work/last.err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$what (exit $got)"; else
    not_ok "$what: exit $got, expected $want"; sed 's/^/    /' "$work/last.err" | head -20; fi
}

# A digest of every file in a directory (names and bytes), to compare before/after.
dir_digest () { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum; find . | sort); }

same_files () { # same_files DIR1 DIR2 FILE...
  local a=$1 b=$2; shift 2
  for f in "$@"; do cmp "$a/$f" "$b/$f" || return 1; done
}

# quick_parameters FILE: the bundled parameters with a one-year burn-in, fixed
# (min = max, so never sampled), for tests about the program rather than the model.
quick_parameters () {
  sed -E 's/(name="run\.burn-in-years" value=")[^"]*(" unit="[^"]*" min=")[^"]*(" max=")[^"]*"/\11\21\31"/' \
    "$src/municipalities/parameters.xml" > "$1"
}
