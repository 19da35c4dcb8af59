#!/usr/bin/env bash
# Installs ntk into a scratch prefix and builds the Booster driver and client outside the tree,
# exactly as README tells a user to, then runs them under the installed ntk.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/build.sh >/dev/null
prefix=$(mktemp -d /tmp/ntk-prefix.XXXXXX)
work=$(mktemp -d /tmp/ntk-user.XXXXXX)
trap 'rm -rf "$prefix" "$work"' EXIT
cmake --install build --prefix "$prefix" >/dev/null
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
cp samples/booster/booster.c samples/booster/boostdemo.c samples/booster/BoosterCommon.h "$work"
cd "$work"
cc -shared -fPIC -o booster.so booster.c $(pkg-config --cflags --libs ntk-driver)
cc -shared -fPIC -o boostdemo.so boostdemo.c $(pkg-config --cflags --libs ntk-user)
out=$("$prefix/bin/ntk" run --driver ./booster.so -- ./boostdemo.so 20 2>&1)
echo "$out"
grep -q "NT priority 20" <<<"$out"
grep -q "Booster: DriverEntry" <<<"$out"
echo "install check: 1 passed, 0 failed"
