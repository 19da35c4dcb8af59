#!/usr/bin/env bash
# explain_all.sh NTK SRC BUGCODES_H: every bug check code that a KeBugCheckEx( call under SRC
# can raise (its first argument, ternaries included) has an explanation in
# `ntk analyze --explain`: a new bug check needs its text in src/host/analyze/ntk_bugtext.c.
set -u
ntk=$1 src=$2 header=$3
codes=$(find "$src" -name '*.c' -print0 | xargs -0 perl -0777 -ne \
            'while (/KeBugCheckEx\(([^,;]*)/g) { print "$1\n" }' |
        grep -oE '\b[A-Z][A-Z0-9_]{3,}\b' | sort -u |
        while read -r name; do grep -qE "^#define $name \(\(ULONG\)" "$header" && echo "$name"; done)
fail=0 n=0
for code in $codes; do
    n=$((n + 1))
    if "$ntk" analyze --explain "$code" >/dev/null 2>&1; then
        echo "explained: $code"
    else
        echo "explain_all.sh: FAIL: no explanation for $code"
        fail=$((fail + 1))
    fi
done
echo "$((n - fail)) passed, $fail failed"
[ "$n" -gt 20 ] && [ "$fail" -eq 0 ]
