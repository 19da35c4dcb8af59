#!/usr/bin/env bash
# expect.sh EXIT_CODE [--match REGEX]... [--nomatch REGEX]... -- COMMAND...
#
# Runs COMMAND, prints its stdout and stderr (merged), and passes (exit 0) only if COMMAND's
# exit status is EXIT_CODE, every --match extended regex (grep -E) is found in the output and
# no --nomatch regex is. Otherwise it says what was wrong and exits 1 (99 on a usage error).
set -u

usage() {
    echo "usage: expect.sh EXIT_CODE [--match REGEX]... [--nomatch REGEX]... -- COMMAND..." >&2
    exit 99
}

[ $# -ge 1 ] || usage
expected=$1
shift
case $expected in
    '' | *[!0-9]*) usage ;;
esac

matches=()
nomatches=()
while [ $# -gt 0 ]; do
    case $1 in
        --match)
            [ $# -ge 2 ] || usage
            matches+=("$2")
            shift 2
            ;;
        --nomatch)
            [ $# -ge 2 ] || usage
            nomatches+=("$2")
            shift 2
            ;;
        --)
            shift
            break
            ;;
        *) usage ;;
    esac
done
[ $# -ge 1 ] || usage

out=$(mktemp "${TMPDIR:-/tmp}/ntk-e2e.XXXXXX") || exit 99
trap 'rm -f "$out"' EXIT

echo "expect.sh: running:$(printf ' %q' "$@")"
"$@" >"$out" 2>&1 </dev/null
rc=$?
cat "$out"
echo "expect.sh: exit status $rc"

fail=0
if [ "$rc" -ne "$expected" ]; then
    echo "expect.sh: FAIL: exit status $rc, expected $expected"
    fail=1
fi
for re in ${matches[@]+"${matches[@]}"}; do
    if ! grep -Eq -e "$re" "$out"; then
        echo "expect.sh: FAIL: no output line matches: $re"
        fail=1
    fi
done
for re in ${nomatches[@]+"${nomatches[@]}"}; do
    if grep -Eq -e "$re" "$out"; then
        echo "expect.sh: FAIL: output must not match: $re"
        grep -En -e "$re" "$out" | head -5 | sed 's/^/    /'
        fail=1
    fi
done
[ $fail -eq 0 ] && echo "expect.sh: PASS"
exit $fail
