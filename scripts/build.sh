#!/usr/bin/env bash
# Configures and builds ntk into a build directory.
#   scripts/build.sh [--sanitize] [--clang] [--dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build; args=(); cc=
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) args+=(-DNTK_SANITIZE=ON); dir=${dir/#build/build-asan} ;;
    --clang) cc=clang; export NTK_NEED_CLANG=1; dir=${dir/#build/build-clang} ;;
    --dir) dir=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
bash scripts/setup.sh
if [ -n "$cc" ]; then args+=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++); fi
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${args[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
echo "$dir"
