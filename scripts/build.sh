#!/usr/bin/env bash
# Builds tmail in build/ (shadow build). Usage: build.sh [make targets…]
# Uses ccache when it is installed (TMAIL_NO_CCACHE=1 leaves it out).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
mkdir -p "$build"
cd "$build"
qmake_args=()
if [ "${TMAIL_NO_CCACHE:-0}" != 1 ] && command -v ccache >/dev/null; then
    qmake_args+=("QMAKE_CC=ccache gcc" "QMAKE_CXX=ccache g++")
    # Precompiled headers: ccache caches their users only with these sloppiness settings.
    export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
fi
qmake6 "${qmake_args[@]}" "$root/tmail.pro" >/dev/null
make -s -j"$(nproc)" "$@"
