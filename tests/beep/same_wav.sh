#!/usr/bin/env bash
# same_wav.sh NTK ARGS...: runs `NTK run --cpus 1 --beep-wav A ARGS...` and the same with
# --cpus 4, and passes only if both runs succeed and write byte-identical WAV files.
set -u
[ $# -ge 2 ] || { echo "usage: same_wav.sh NTK ARGS..." >&2; exit 99; }
ntk=$1
shift
dir=$(mktemp -d "${TMPDIR:-/tmp}/ntk-beep.XXXXXX") || exit 99
trap 'rm -rf "$dir"' EXIT
for cpus in 1 4; do
    "$ntk" run --cpus $cpus --beep-wav "$dir/cpus$cpus.wav" "$@" || {
        echo "same_wav.sh: the run on $cpus processors failed"
        exit 1
    }
done
if cmp "$dir/cpus1.wav" "$dir/cpus4.wav"; then
    echo "same_wav.sh: identical, $(wc -c <"$dir/cpus1.wav") bytes, sha256 $(sha256sum "$dir/cpus1.wav" | cut -c1-16)"
    exit 0
fi
exit 1
