#!/usr/bin/env bash
# Regenerates translations/tmail_*.ts from the sources of gui/ and shared/config/ (run after changing a tr() string),
# then fills them from fill_fr.py (add the French text of a new string there first).
set -euo pipefail
cd "$(dirname "$0")/.."
bins=$(qmake6 -query QT_HOST_BINS)
"$bins/lupdate" -no-obsolete -locations none gui shared/config -ts translations/tmail_fr.ts translations/tmail_en.ts "$@"
python3 translations/fill_fr.py
# Once more, so that the files keep lupdate's own layout.
"$bins/lupdate" -silent -no-obsolete -locations none gui shared/config -ts translations/tmail_fr.ts translations/tmail_en.ts "$@"
