#!/usr/bin/env bash
# Assembles the seed's dist/ layout from a build: tmail, tmail-manager, run, conf/,
# ssl/, tpl/, db/, store/. Existing conf/tmail.cfg, ssl/ keys, db/ and store/ are kept.
# Usage: make-dist.sh BUILD_DIR DIST_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
dist=$2
mkdir -p "$dist/conf" "$dist/ssl" "$dist/tpl" "$dist/db" "$dist/store"
chmod 700 "$dist/ssl"
install -m 755 "$build/server/tmail" "$dist/tmail"
if [ -x "$build/gui/tmail-manager" ]; then
    install -m 755 "$build/gui/tmail-manager" "$dist/tmail-manager"
fi
install -m 755 "$root/packaging/linux/run" "$dist/run"
install -m 644 "$root/resources/tmail.cfg.base" "$dist/conf/tmail.cfg.base"
install -m 644 "$root/resources/tpl/"*.tpl "$dist/tpl/"
