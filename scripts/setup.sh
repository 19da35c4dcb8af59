#!/usr/bin/env bash
# Installs what building and testing ntk needs (Debian packages), if it is missing.
set -euo pipefail
need=()
command -v cmake >/dev/null || need+=(cmake)
command -v make >/dev/null || need+=(make)
command -v gcc >/dev/null || need+=(gcc)
command -v g++ >/dev/null || need+=(g++)
command -v pkg-config >/dev/null || need+=(pkg-config)
if [ "${NTK_NEED_CLANG:-0}" = 1 ] && ! command -v clang >/dev/null; then need+=(clang); fi
# Crash dumps: stacks and source lines from DWARF (elfutils' libdw).
[ -f /usr/include/elfutils/libdwfl.h ] || need+=(libdw-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "ntk: installing ${need[*]}"
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
