#!/usr/bin/env bash
# Installs what is missing, builds tmail, prepares dist/ (sqlite database, self-signed
# certificate) and runs tmail in the foreground on 127.0.0.1:2525, :5877 (STARTTLS)
# and :4655 (TLS). Ctrl-C stops it.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
scripts/install-deps.sh build
scripts/build.sh sub-server sub-gui
# dist/conf, ssl, db and store hold secrets: 0700 directories, 0600 files (make-dist and
# run set the same umask; this covers what run.sh makes itself).
umask 077
packaging/linux/make-dist.sh build dist
cd dist
if [ ! -f conf/tmail.cfg ]; then
    cp conf/tmail.cfg.base conf/tmail.cfg
    chmod 600 conf/tmail.cfg
    echo "run.sh: created dist/conf/tmail.cfg from tmail.cfg.base"
fi
# `run` loads the configuration and makes the self-signed certificate; the database
# is created here, without the first-run question, so run.sh needs no answer.
./run db init
exec ./run
