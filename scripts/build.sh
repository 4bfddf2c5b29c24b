#!/usr/bin/env bash
# Builds tmail in build/ (shadow build). Usage: build.sh [make targets…]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
mkdir -p "$build"
cd "$build"
qmake6 "$root/tmail.pro" >/dev/null
make -s -j"$(nproc)" "$@"
