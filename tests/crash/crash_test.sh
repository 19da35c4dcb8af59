#!/usr/bin/env bash
# crash_test.sh NTK EXIT DUMP [--run RE]... [--norun RE]... [--analyze RE]... [--json RE]...
#               [--quit-after SECONDS] -- RUN-ARGS...
#
# Runs `NTK run --dump DUMP RUN-ARGS...` and passes only if it exits with EXIT, its output
# (stdout and the kernel log) matches every --run regex and no --norun one; then, if any
# --analyze or --json regex is given, `NTK analyze DUMP` and `NTK analyze --json DUMP` must
# succeed and match them. --quit-after sends SIGQUIT to the run after SECONDS. Regexes are
# grep -E; a sanitizer report anywhere is a failure.
set -u
[ $# -ge 4 ] || { echo "usage: crash_test.sh NTK EXIT DUMP [options] -- RUN-ARGS..." >&2; exit 99; }
ntk=$1 expected=$2 dump=$3
shift 3
run=() norun=() analyze=() json=() quit=
while [ $# -gt 0 ]; do
    case $1 in
        --run) run+=("$2"); shift 2 ;;
        --norun) norun+=("$2"); shift 2 ;;
        --analyze) analyze+=("$2"); shift 2 ;;
        --json) json+=("$2"); shift 2 ;;
        --quit-after) quit=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "crash_test.sh: unknown option $1" >&2; exit 99 ;;
    esac
done
sanitizer='ERROR: (Address|Leak)Sanitizer|runtime error:'
out=$(mktemp "${TMPDIR:-/tmp}/ntk-crash.XXXXXX") || exit 99
trap 'rm -f "$out" "$out.a" "$out.j"' EXIT
rm -f "$dump"
fail=0

echo "crash_test.sh: running: $ntk run --dump $dump $*"
if [ -n "$quit" ]; then
    "$ntk" run --dump "$dump" "$@" >"$out" 2>&1 </dev/null &
    pid=$!
    sleep "$quit"
    kill -QUIT "$pid"
    wait "$pid"
    rc=$?
else
    "$ntk" run --dump "$dump" "$@" >"$out" 2>&1 </dev/null
    rc=$?
fi
cat "$out"
echo "crash_test.sh: exit status $rc"
if [ "$rc" -ne "$expected" ]; then
    echo "crash_test.sh: FAIL: exit status $rc, expected $expected"
    fail=1
fi
check() { # FILE WHAT MUST(1/0) REGEX
    if grep -Eq -e "$4" "$1"; then
        [ "$3" = 1 ] || { echo "crash_test.sh: FAIL: $2 must not match: $4"; fail=1; }
    else
        [ "$3" = 0 ] || { echo "crash_test.sh: FAIL: no $2 line matches: $4"; fail=1; }
    fi
}
for re in ${run[@]+"${run[@]}"}; do check "$out" "run output" 1 "$re"; done
for re in ${norun[@]+"${norun[@]}"} "$sanitizer"; do check "$out" "run output" 0 "$re"; done

if [ ${#analyze[@]} -gt 0 ] || [ ${#json[@]} -gt 0 ]; then
    "$ntk" analyze "$dump" >"$out.a" 2>&1
    arc=$?
    echo "crash_test.sh: ntk analyze $dump (exit $arc):"
    cat "$out.a"
    [ "$arc" -eq 0 ] || { echo "crash_test.sh: FAIL: ntk analyze exited $arc"; fail=1; }
    "$ntk" analyze --json "$dump" >"$out.j" 2>&1
    jrc=$?
    [ "$jrc" -eq 0 ] || { echo "crash_test.sh: FAIL: ntk analyze --json exited $jrc"; fail=1; }
    for re in ${analyze[@]+"${analyze[@]}"}; do check "$out.a" "analyze output" 1 "$re"; done
    for re in ${json[@]+"${json[@]}"}; do check "$out.j" "analyze --json output" 1 "$re"; done
    check "$out.a" "analyze output" 0 "$sanitizer"
    check "$out.j" "analyze --json output" 0 "$sanitizer"
fi
[ $fail -eq 0 ] && echo "crash_test.sh: PASS"
exit $fail
