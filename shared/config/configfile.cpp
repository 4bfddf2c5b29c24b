// Reading and rewriting tmail.cfg: a small lexer for the shell words the file may hold,
// and the lines kept as they are so that a rewrite changes only the values it sets.
#include "config/configfile.h"

#include "config/configregistry.h"

#include <algorithm>

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace {

// Where the lexer stands in one line.
struct LineCursor
{
    const QString &line;
    int pos = 0;

    bool atEnd() const { return pos >= line.size(); }
    QChar peek() const { return atEnd() ? QChar() : line.at(pos); }
    void skipBlanks()
    {
        while (!atEnd() && (peek() == QLatin1Char(' ') || peek() == QLatin1Char('\t')))
            ++pos;
    }
};

bool isNameStart(QChar c)
{
    return (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
        || c == QLatin1Char('_');
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

// A '$' the shell would expand: $NAME, ${…}, $(…), $1, $$, $?, …
bool isExpansion(const QString &line, int dollar)
{
    if (dollar + 1 >= line.size())
        return false;
    const QChar next = line.at(dollar + 1);
    return isNameChar(next) || QStringLiteral("{(?$!#@*-").contains(next);
}

// Reads one shell word (unquoted, "double" and 'single' quoted parts glued together) into
// *value. Returns an empty string on success, else what is wrong.
QString readShellWord(LineCursor &cursor, QString *value)
{
    const QString &line = cursor.line;
    while (!cursor.atEnd())
    {
        const QChar c = cursor.peek();
        if (c == QLatin1Char(' ') || c == QLatin1Char('\t'))
            break;
        if (c == QLatin1Char('\''))
        {
            const int end = line.indexOf(QLatin1Char('\''), cursor.pos + 1);
            if (end < 0)
                return QStringLiteral("unterminated single quote");
            *value += line.mid(cursor.pos + 1, end - cursor.pos - 1);
            cursor.pos = end + 1;
        }
        else if (c == QLatin1Char('"'))
        {
            ++cursor.pos;
            bool closed = false;
            while (!cursor.atEnd())
            {
                const QChar d = cursor.peek();
                if (d == QLatin1Char('"'))
                {
                    closed = true;
                    ++cursor.pos;
                    break;
                }
                if (d == QLatin1Char('\\') && cursor.pos + 1 < line.size())
                {
                    const QChar escaped = line.at(cursor.pos + 1);
                    if (QStringLiteral("\"\\$`").contains(escaped))
                    {
                        *value += escaped;
                        cursor.pos += 2;
                        continue;
                    }
                }
                if (d == QLatin1Char('`'))
                    return QStringLiteral("command substitution (`…`) is not supported");
                if (d == QLatin1Char('$') && isExpansion(line, cursor.pos))
                    return QStringLiteral("variable expansion or command substitution ($…) is not supported; "
                                          "write the value itself or escape it as \\$");
                *value += d;
                ++cursor.pos;
            }
            if (!closed)
                return QStringLiteral("unterminated double quote");
        }
        else if (c == QLatin1Char('\\'))
        {
            if (cursor.pos + 1 >= line.size())
                return QStringLiteral("line continuation with '\\' is not supported");
            *value += line.at(cursor.pos + 1);
            cursor.pos += 2;
        }
        else if (c == QLatin1Char('$') || c == QLatin1Char('`'))
        {
            return QStringLiteral("variable expansion or command substitution is not supported; quote the value");
        }
        else if (QStringLiteral(";&|<>()").contains(c))
        {
            return QStringLiteral("unexpected '%1': only NAME=\"value\" assignments are supported").arg(c);
        }
        else
        {
            *value += c;
            ++cursor.pos;
        }
    }
    return QString();
}

bool isBanner(const QString &line)
{
    return line.trimmed().startsWith(QLatin1String("####"));
}

bool isComment(const QString &line)
{
    return line.trimmed().startsWith(QLatin1Char('#'));
}

QString commentText(const QString &line)
{
    return line.trimmed().mid(1).trimmed();
}

// The NAME=value of an assignment line, cursor after its indentation: fills line's indent
// and trailer. Returns an empty string on success, else what is wrong.
QString readAssignment(LineCursor &cursor, QString *indent, QString *trailer, QString *name, QString *value)
{
    const QString &text = cursor.line;
    *indent = text.left(cursor.pos);
    if (text.mid(cursor.pos).startsWith(QLatin1String("export")) && cursor.pos + 6 < text.size()
        && (text.at(cursor.pos + 6) == QLatin1Char(' ') || text.at(cursor.pos + 6) == QLatin1Char('\t')))
    {
        cursor.pos += 6;
        cursor.skipBlanks();
    }
    const int nameStart = cursor.pos;
    if (!isNameStart(cursor.peek()))
        return QStringLiteral("expected NAME=\"value\" or a # comment");
    while (!cursor.atEnd() && isNameChar(cursor.peek()))
        ++cursor.pos;
    *name = text.mid(nameStart, cursor.pos - nameStart);
    if (cursor.peek() != QLatin1Char('='))
        return QStringLiteral("expected NAME=\"value\" or a # comment; %1 is not followed by '='").arg(*name);
    ++cursor.pos;

    const QString why = readShellWord(cursor, value);
    if (!why.isEmpty())
        return why;
    *trailer = text.mid(cursor.pos);
    cursor.skipBlanks();
    if (!cursor.atEnd() && cursor.peek() != QLatin1Char('#'))
        return QStringLiteral("unexpected text after the value of %1: '%2' (quote values that contain spaces)")
            .arg(*name, text.mid(cursor.pos));
    return QString();
}

} // namespace

Expected<ConfigFile> ConfigFile::parse(const QString &text, const QString &origin)
{
    return parseLines(text, origin, nullptr);
}

ConfigFile ConfigFile::parseLeniently(const QString &text, const QString &origin, QStringList *errors)
{
    return parseLines(text, origin, errors).value();
}

Expected<ConfigFile> ConfigFile::parseLines(const QString &text, const QString &origin, QStringList *errors)
{
    using Result = Expected<ConfigFile>;
    ConfigFile file;
    QStringList rawLines = text.split(QLatin1Char('\n'));
    file.m_finalNewline = rawLines.size() > 1 && rawLines.last().isEmpty();
    if (file.m_finalNewline || text.isEmpty())
        rawLines.removeLast();

    QString section;
    QStringList comment; // the comment lines read since the last blank or assignment
    for (int index = 0; index < rawLines.size(); ++index)
    {
        Line line;
        line.text = rawLines.at(index);
        if (line.text.endsWith(QLatin1Char('\r')))
        {
            line.text.chop(1);
            line.carriageReturn = true;
        }
        const int lineNumber = index + 1;
        LineCursor cursor { line.text };
        cursor.skipBlanks();
        if (cursor.atEnd())
        {
            comment.clear();
            file.m_lines.append(line);
            continue;
        }
        if (cursor.peek() == QLatin1Char('#'))
        {
            // "####\n# Title\n####": the title names the section of the lines below it.
            if (isBanner(line.text))
            {
                if (index + 2 < rawLines.size() && isComment(rawLines.at(index + 1)) && isBanner(rawLines.at(index + 2))
                    && !isBanner(rawLines.at(index + 1)))
                    section = commentText(rawLines.at(index + 1));
                comment.clear();
            }
            else
            {
                comment.append(commentText(line.text));
            }
            file.m_lines.append(line);
            continue;
        }

        QString name;
        QString value;
        const QString why = readAssignment(cursor, &line.indent, &line.trailer, &name, &value);
        QString error;
        if (!why.isEmpty())
            error = QStringLiteral("%1 line %2: %3").arg(origin).arg(lineNumber).arg(why);
        else if (name.startsWith(QLatin1String("TMAIL_")) && !ConfigRegistry::variable(name))
            error = QStringLiteral("unknown variable %1 in %2 line %3").arg(name, origin).arg(lineNumber);
        if (!error.isEmpty())
        {
            if (!errors)
                return Result::failure(ErrorKind::InvalidInput, error);
            // Leniently: the line is kept as text, not as an assignment.
            errors->append(error);
            comment.clear();
            file.m_lines.append(line);
            continue;
        }

        if (name.startsWith(QLatin1String("TMAIL_")))
        {
            line.assignment = int(file.m_assignments.size());
            file.m_assignments.append({ name, value, comment.join(QLatin1Char('\n')), section, lineNumber });
        }
        comment.clear();
        file.m_lines.append(line);
    }
    return file;
}

Expected<ConfigFile> ConfigFile::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Expected<ConfigFile>::failure(QFileInfo::exists(path) ? ErrorKind::Unavailable : ErrorKind::NotFound,
            QStringLiteral("unable to read config file %1: %2").arg(path, file.errorString()));
    return parse(QString::fromUtf8(file.readAll()), path);
}

Expected<QHash<QString, QString>> ConfigFile::readValues(const QString &path)
{
    const Expected<ConfigFile> file = read(path);
    if (!file)
        return Expected<QHash<QString, QString>>::failure(file.kind(), file.error());
    return file->values();
}

QHash<QString, QString> ConfigFile::values() const
{
    QHash<QString, QString> values;
    for (const Assignment &assignment : m_assignments)
        values.insert(assignment.name, assignment.value);
    return values;
}

QList<ConfigFile::Assignment> ConfigFile::assignments() const
{
    return m_assignments;
}

Status ConfigFile::checkValue(const QString &name, const QString &value)
{
    // A line break would add a line to the file; no setting holds another control character.
    const bool control
        = std::any_of(value.cbegin(), value.cend(), [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; });
    if (control)
        return Status::failure(ErrorKind::InvalidInput,
            QStringLiteral("the value of %1 holds a line break or another control character").arg(name));
    return {};
}

Status ConfigFile::set(const QString &name, const QString &value)
{
    if (!ConfigRegistry::variable(name))
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("unknown variable %1").arg(name));
    const Status checked = checkValue(name, value);
    if (!checked)
        return checked;

    const QString assignment = QStringLiteral("export ") + name + QLatin1Char('=') + quote(value);
    bool found = false;
    for (Line &line : m_lines)
    {
        if (line.assignment < 0 || m_assignments.at(line.assignment).name != name)
            continue;
        line.text = line.indent + assignment + line.trailer;
        m_assignments[line.assignment].value = value;
        found = true;
    }
    if (!found)
    {
        Line line;
        line.text = assignment;
        line.assignment = int(m_assignments.size());
        m_assignments.append({ name, value, QString(), QString(), int(m_lines.size()) + 1 });
        m_lines.append(line);
        m_finalNewline = true;
    }
    return {};
}

QString ConfigFile::text() const
{
    QString text;
    for (int index = 0; index < m_lines.size(); ++index)
    {
        if (index > 0)
            text += QLatin1Char('\n');
        text += m_lines.at(index).text;
        if (m_lines.at(index).carriageReturn)
            text += QLatin1Char('\r');
    }
    if (m_finalNewline)
        text += QLatin1Char('\n');
    return text;
}

Status ConfigFile::write(const QString &path) const
{
    const QFileDevice::Permissions permissions
        = QFileInfo::exists(path) ? QFile::permissions(path) : QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(
            ErrorKind::Unavailable, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.write(text().toUtf8());
    file.setPermissions(permissions);
    if (!file.commit())
        return Status::failure(
            ErrorKind::Unavailable, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

QString ConfigFile::quote(const QString &value)
{
    QString quoted;
    quoted.reserve(value.size() + 2);
    quoted += QLatin1Char('"');
    for (QChar c : value)
    {
        if (c == QLatin1Char('\\') || c == QLatin1Char('"') || c == QLatin1Char('$') || c == QLatin1Char('`'))
            quoted += QLatin1Char('\\');
        quoted += c;
    }
    quoted += QLatin1Char('"');
    return quoted;
}
