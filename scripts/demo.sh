#!/usr/bin/env bash
# Builds ntk, then runs the Booster demo (chapter 4): a thread's NT priority and Linux nice value
# before and after the Booster driver changes it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
exec build/ntk run --driver build/samples/booster/booster.so -- build/samples/booster/boostdemo.so "${1:-25}"
