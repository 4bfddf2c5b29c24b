// tmail.cfg layout and atomic rewriting, for the manager's config.get and config.set.
#include "managerserver/configfileeditor.h"

#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStringList>

namespace {

// "export TMAIL_NAME=…" or "TMAIL_NAME=…", with leading blanks.
const QRegularExpression &assignment()
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(?:export\\s+)?(TMAIL_[A-Za-z0-9_]+)="));
    return pattern;
}

bool isBanner(const QString &line)
{
    return line.startsWith(QLatin1String("####"));
}

} // namespace

QList<ConfigFileEditor::Entry> ConfigFileEditor::describe(const QString &text)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    QList<Entry> entries;
    QString group;
    QStringList comment;
    for (int index = 0; index < lines.size(); ++index) {
        QString line = lines.at(index);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        const QString trimmed = line.trimmed();
        if (isBanner(trimmed)) {
            // "####\n# Title\n####": the title names the group of the lines after it.
            if (index + 2 < lines.size() && isBanner(lines.at(index + 2).trimmed())
                && lines.at(index + 1).trimmed().startsWith(QLatin1Char('#'))) {
                group = lines.at(index + 1).trimmed().mid(1).trimmed();
                index += 2;
            }
            comment.clear();
            continue;
        }
        if (trimmed.isEmpty()) {
            comment.clear();
            continue;
        }
        if (trimmed.startsWith(QLatin1Char('#'))) {
            comment.append(trimmed.mid(1).trimmed());
            continue;
        }
        const QRegularExpressionMatch match = assignment().match(line);
        if (match.hasMatch())
            entries.append({ match.captured(1), group, comment.join(QLatin1Char('\n')) });
        comment.clear();
    }
    return entries;
}

QString ConfigFileEditor::quote(const QString &value)
{
    QString quoted;
    quoted.reserve(value.size() + 2);
    quoted += QLatin1Char('"');
    for (QChar c : value) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('"') || c == QLatin1Char('$') || c == QLatin1Char('`'))
            quoted += QLatin1Char('\\');
        quoted += c;
    }
    quoted += QLatin1Char('"');
    return quoted;
}

QString ConfigFileEditor::rewrite(const QString &text, const QHash<QString, QString> &changes)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    QHash<QString, QString> pending = changes;
    for (QString &line : lines) {
        const QRegularExpressionMatch match = assignment().match(line);
        if (!match.hasMatch())
            continue;
        const QString name = match.captured(1);
        const auto change = changes.constFind(name);
        if (change == changes.constEnd())
            continue;
        const bool carriageReturn = line.endsWith(QLatin1Char('\r'));
        line = QStringLiteral("export ") + name + QLatin1Char('=') + quote(change.value())
            + (carriageReturn ? QStringLiteral("\r") : QString());
        pending.remove(name);
    }
    QString result = lines.join(QLatin1Char('\n'));
    if (!pending.isEmpty()) {
        QStringList names = pending.keys();
        names.sort();
        if (!result.isEmpty() && !result.endsWith(QLatin1Char('\n')))
            result += QLatin1Char('\n');
        for (const QString &name : names)
            result
                += QStringLiteral("export ") + name + QLatin1Char('=') + quote(pending.value(name)) + QLatin1Char('\n');
    }
    return result;
}

Status ConfigFileEditor::write(const QString &path, const QHash<QString, QString> &changes)
{
    QFile current(path);
    if (!current.open(QIODevice::ReadOnly))
        return Status::failure(ErrorKind::Unavailable, QStringLiteral("cannot read %1: %2").arg(path, current.errorString()));
    const QString text = QString::fromUtf8(current.readAll());
    const QFileDevice::Permissions permissions = current.permissions();
    current.close();

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(ErrorKind::Unavailable, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.write(rewrite(text, changes).toUtf8());
    file.setPermissions(permissions);
    if (!file.commit())
        return Status::failure(ErrorKind::Unavailable, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}
