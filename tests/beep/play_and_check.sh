#!/usr/bin/env bash
# play_and_check.sh WAVCHECK SPEC... -- NTK run ARGS...
#
# Runs `NTK run --beep-wav TMP ARGS...`, then `WAVCHECK TMP SPEC...` on the WAV file the run
# wrote. Passes (exit 0) only if both do.
set -u
[ $# -ge 3 ] || { echo "usage: play_and_check.sh WAVCHECK SPEC... -- NTK run ARGS..." >&2; exit 99; }
wavcheck=$1
shift
specs=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    specs+=("$1")
    shift
done
[ $# -ge 3 ] && [ "$3" != "" ] || { echo "play_and_check.sh: no ntk command" >&2; exit 99; }
shift
ntk=$1
[ "$2" = run ] || { echo "play_and_check.sh: the command must be 'ntk run ...'" >&2; exit 99; }
shift 2

wav=$(mktemp "${TMPDIR:-/tmp}/ntk-beep.XXXXXX.wav") || exit 99
trap 'rm -f "$wav"' EXIT
"$ntk" run --beep-wav "$wav" "$@"
rc=$?
if [ $rc -ne 0 ]; then
    echo "play_and_check.sh: ntk run exited with $rc"
    exit $rc
fi
"$wavcheck" "$wav" ${specs[@]+"${specs[@]}"}
