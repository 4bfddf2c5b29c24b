// Reads the layout of a tmail.cfg (groups, the comment above each variable) and
// rewrites its values in place, atomically, keeping every other line as it was.
#pragma once

#include "core/expected.h"

#include <QHash>
#include <QList>
#include <QString>

class ConfigFileEditor
{
public:
    struct Entry
    {
        QString name;
        QString group; // the title between two "####" banners, like "Database"
        QString comment; // the comment lines just above the variable, without '#'
    };

    // The variables of a tmail.cfg text in file order.
    static QList<Entry> describe(const QString &text);

    // The text with the `export NAME="value"` line of every changed name replaced
    // (names the text lacks are appended); comments, blank lines and order stay.
    static QString rewrite(const QString &text, const QHash<QString, QString> &changes);

    // Rewrites the file at path with rewrite(), through QSaveFile (all or nothing).
    static Status write(const QString &path, const QHash<QString, QString> &changes);

    // A shell double-quoted word for value: "…" with \ " $ ` escaped.
    static QString quote(const QString &value);
};
