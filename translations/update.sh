#!/usr/bin/env bash
# Regenerates translations/tmail_*.ts from the sources of gui/ (run after changing a tr() string).
set -euo pipefail
cd "$(dirname "$0")/.."
bins=$(qmake6 -query QT_HOST_BINS)
"$bins/lupdate" -no-obsolete -locations none gui -ts translations/tmail_fr.ts translations/tmail_en.ts "$@"
