#!/usr/bin/env bash
# Refreshes translations/tmail_*.ts from the tr() and QT_TRANSLATE_NOOP strings of gui/ and shared/
# after a source string changed. It never writes a translation: new strings arrive unfinished and
# are translated in the .ts itself, with Qt Linguist or by hand (see translations/README.md).
# LUPDATE may name another lupdate; tst_translations runs this script on a copy of the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
lupdate=${LUPDATE:-$(qmake6 -query QT_HOST_BINS)/lupdate}
# French: every string, with its place in the sources (relative line numbers keep diffs small).
"$lupdate" -silent -no-obsolete -locations relative gui shared -ts translations/tmail_fr.ts
# English: the sources are the text, so only the plural forms need a translation.
"$lupdate" -silent -no-obsolete -locations relative -pluralonly gui shared -ts translations/tmail_en.ts
