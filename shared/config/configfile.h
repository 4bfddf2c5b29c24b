// tmail.cfg: a shell file of `export TMAIL_NAME="value"` lines, comments and blank lines,
// which the `run` script sources and tmail reads. The one reader and writer of that format:
// the daemon loads it, the manager's config.set and the tests rewrite values in it, and
// every other line (comments, order, blank lines) stays as it was.
#pragma once

#include "core/expected.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

class ConfigFile
{
public:
    // One NAME=value line, and where it stands in the file.
    struct Assignment
    {
        QString name;
        QString value; // as the shell reads it: quotes removed, escapes applied
        QString comment; // the '#' lines just above it, without "# ", one per line
        QString section; // the title of the "####" banner it is under, like "Database"
        int line = 0; // 1-based
    };

    // Only plain assignments are accepted: quoted or unquoted words, no expansion, no
    // command, no line continuation. Names starting with TMAIL_ must be in the registry;
    // others (PATH=…) are kept but ignored. Errors say "ORIGIN line N: what is wrong".
    static Expected<ConfigFile> parse(const QString &text, const QString &origin);
    // Like parse, but a line in error is kept as plain text (no assignment) and its error,
    // in parse's words, appended to *errors: every faulty line, for `tmail config check`.
    static ConfigFile parseLeniently(const QString &text, const QString &origin, QStringList *errors);
    static Expected<ConfigFile> read(const QString &path);
    // The TMAIL_* values of the file at path (read() then values()).
    static Expected<QHash<QString, QString>> readValues(const QString &path);

    // The TMAIL_* values; a later line wins over an earlier one, as in the shell.
    QHash<QString, QString> values() const;
    // Every TMAIL_* assignment in file order.
    QList<Assignment> assignments() const;

    // Gives name this value: each of its lines becomes `export NAME="value"` (keeping
    // indentation and a trailing comment), or one such line is added at the end.
    // Refused (nothing changes) for an unknown name or a value checkValue refuses.
    Status set(const QString &name, const QString &value);
    // The file's text: byte for byte what was parsed, but for the lines set() changed.
    QString text() const;
    // Replaces the file at path with text() through QSaveFile (all or nothing), keeping
    // the permissions of the file it replaces.
    Status write(const QString &path) const;

    // A value that fits on one line of the file: no line break, no control character.
    static Status checkValue(const QString &name, const QString &value);
    // A shell double-quoted word for value: "…" with \ " $ ` escaped.
    static QString quote(const QString &value);

private:
    // parse (errors null: the first error fails) or parseLeniently.
    static Expected<ConfigFile> parseLines(const QString &text, const QString &origin, QStringList *errors);

    struct Line
    {
        QString text; // without the end of line
        bool carriageReturn = false;
        int assignment = -1; // index in m_assignments, or -1
        QString indent; // before the name (or before "export")
        QString trailer; // after the value: blanks and a comment
    };

    QList<Line> m_lines;
    QList<Assignment> m_assignments; // TMAIL_* only
    bool m_finalNewline = false;
};
