#!/usr/bin/env bash
# Builds ntk and runs every test.  scripts/test.sh [--sanitize] [--clang]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(bash scripts/build.sh "$@" | tail -n 1)
if [[ " $* " == *" --sanitize "* ]]; then
  # ntk handles SIGSEGV itself (faults become NT exceptions); ASan must leave it alone.
  export ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:allow_user_segv_handler=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
cd "$dir"
ctest --output-on-failure -j "$(nproc)"
