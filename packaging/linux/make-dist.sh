#!/usr/bin/env bash
# Assembles the dist/ layout from a build: tmail, tmail-manager, run, conf/,
# ssl/, tpl/, db/, store/. Existing conf/tmail.cfg, ssl/ keys, db/ and store/ are kept.
# Usage: make-dist.sh BUILD_DIR DIST_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
dist=$2
# conf/ (passwords), ssl/ (the key), db/ (route credentials) and store/ (mail) are the
# daemon user's alone, whatever the caller's umask; files kept from an older dist too.
umask 077
mkdir -p "$dist/conf" "$dist/ssl" "$dist/tpl" "$dist/db" "$dist/store"
chmod 755 "$dist/tpl"
for private in conf ssl db store; do
    chmod 700 "$dist/$private"
    chmod -R go-rwx "$dist/$private"
done
install -m 755 "$build/server/tmail" "$dist/tmail"
# tmail run as `sendmail` is `tmail sendmail`: cron, PHP's mail() and the like find it.
ln -sfn tmail "$dist/sendmail"
if [ -x "$build/gui/tmail-manager" ]; then
    install -m 755 "$build/gui/tmail-manager" "$dist/tmail-manager"
fi
install -m 755 "$root/packaging/linux/run" "$dist/run"
install -m 600 "$root/resources/tmail.cfg.base" "$dist/conf/tmail.cfg.base"
install -m 644 "$root/resources/tpl/"*.tpl "$dist/tpl/"
