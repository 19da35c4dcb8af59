#!/bin/bash
# Lists what a driver image needs from outside: its undefined dynamic symbols and its
# NEEDED libraries.
set -e
nm -D --undefined-only "$1"
readelf -d "$1" | grep NEEDED
