// Parsing of TMAIL_DB_DRIVER / TMAIL_DB_SOURCE into a checked DbSource.
#include "config/dbsource.h"

#include <algorithm>

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

// Error messages reach the terminal and the log: never with the password.
QString DbSource::withoutPassword(const QString &source)
{
    static const QRegularExpression password(QStringLiteral("password\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'?|\\S*)"));
    QString shown = source;
    return shown.replace(password, QStringLiteral("password=***"));
}

namespace {

Expected<DbSource> sourceError(const QString &source, const QString &why)
{
    return Expected<DbSource>::failure(ErrorKind::InvalidInput,
        QStringLiteral("TMAIL_DB_SOURCE '%1' is invalid: %2; expected \"host=HOST port=PORT user=USER "
                       "password=PASSWORD dbname=NAME\" (values may be single-quoted)")
            .arg(DbSource::withoutPassword(source), why));
}

// Splits "key=value key='quoted value'" into pairs; a backslash escapes a quote or
// a backslash inside a quoted value (as libpq's conninfo does).
bool splitKeyValues(const QString &text, QList<QPair<QString, QString>> *pairs, QString *error)
{
    int i = 0;
    const int n = text.size();
    while (true)
    {
        while (i < n && text.at(i).isSpace())
            ++i;
        if (i >= n)
            return true;
        const int keyStart = i;
        while (i < n && text.at(i) != QLatin1Char('=') && !text.at(i).isSpace())
            ++i;
        const QString key = text.mid(keyStart, i - keyStart);
        while (i < n && text.at(i).isSpace())
            ++i;
        if (key.isEmpty() || i >= n || text.at(i) != QLatin1Char('='))
        {
            *error = QStringLiteral("'%1' is not of the form key=value").arg(key.isEmpty() ? text.mid(keyStart) : key);
            return false;
        }
        ++i; // '='
        while (i < n && text.at(i).isSpace())
            ++i;
        QString value;
        if (i < n && text.at(i) == QLatin1Char('\''))
        {
            ++i;
            bool closed = false;
            while (i < n)
            {
                const QChar c = text.at(i);
                if (c == QLatin1Char('\\') && i + 1 < n)
                {
                    value += text.at(i + 1);
                    i += 2;
                    continue;
                }
                if (c == QLatin1Char('\''))
                {
                    closed = true;
                    ++i;
                    break;
                }
                value += c;
                ++i;
            }
            if (!closed)
            {
                *error = QStringLiteral("the quoted value of %1 has no closing quote").arg(key);
                return false;
            }
        }
        else
        {
            while (i < n && !text.at(i).isSpace())
                value += text.at(i++);
        }
        pairs->append({ key, value });
    }
}

} // namespace

Expected<QList<QPair<QString, QString>>> DbSource::keyValues(const QString &source)
{
    QList<QPair<QString, QString>> pairs;
    QString error;
    if (!splitKeyValues(source, &pairs, &error))
        return Expected<QList<QPair<QString, QString>>>::failure(ErrorKind::InvalidInput, error);
    return pairs;
}

QString DbSource::joinKeyValues(const QList<QPair<QString, QString>> &pairs)
{
    QStringList parts;
    for (const auto &[key, value] : pairs)
    {
        const bool plain = !value.isEmpty() && std::none_of(value.cbegin(), value.cend(), [](QChar c) {
            return c.isSpace() || c == QLatin1Char('\'') || c == QLatin1Char('\\');
        });
        if (plain)
        {
            parts.append(key + QLatin1Char('=') + value);
            continue;
        }
        QString quoted = value;
        quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
        quoted.replace(QLatin1Char('\''), QStringLiteral("\\'"));
        parts.append(key + QStringLiteral("='") + quoted + QLatin1Char('\''));
    }
    return parts.join(QLatin1Char(' '));
}

Expected<DbSource> DbSource::parse(const QString &driver, const QString &source, const QString &baseDir)
{
    DbSource result;
    const QString name = driver.trimmed().toLower();
    if (name == QLatin1String("sqlite3") || name == QLatin1String("sqlite"))
    {
        result.backend = Backend::Sqlite;
        result.driverName = QStringLiteral("sqlite3");
    }
    else if (name == QLatin1String("mysql") || name == QLatin1String("mariadb"))
    {
        result.backend = Backend::MySql;
        result.driverName = QStringLiteral("mysql");
    }
    else if (name == QLatin1String("postgres") || name == QLatin1String("postgresql"))
    {
        result.backend = Backend::Postgres;
        result.driverName = QStringLiteral("postgres");
    }
    else
    {
        return Expected<DbSource>::failure(ErrorKind::InvalidInput,
            QStringLiteral("TMAIL_DB_DRIVER '%1' is invalid: expected sqlite3, mysql or postgres").arg(driver));
    }

    if (result.backend == Backend::Sqlite)
    {
        const QString path = source.trimmed();
        if (path.isEmpty())
            return Expected<DbSource>::failure(ErrorKind::InvalidInput,
                QStringLiteral("TMAIL_DB_SOURCE is empty: expected the path of the sqlite database file"));
        const QFileInfo info(QDir(baseDir), path);
        if (info.exists() && info.isDir())
            return Expected<DbSource>::failure(ErrorKind::InvalidInput,
                QStringLiteral("TMAIL_DB_SOURCE '%1' is a directory: expected the path of the sqlite database file")
                    .arg(source));
        result.sqlitePath = QDir::cleanPath(info.absoluteFilePath());
        return result;
    }

    QList<QPair<QString, QString>> pairs;
    QString error;
    if (!splitKeyValues(source, &pairs, &error))
        return sourceError(source, error);
    bool hasDbName = false;
    for (const auto &[key, value] : pairs)
    {
        if (key == QLatin1String("host"))
        {
            result.host = value;
        }
        else if (key == QLatin1String("port"))
        {
            bool ok = false;
            const int port = value.toInt(&ok);
            if (!ok || port < 1 || port > 65535)
                return sourceError(source, QStringLiteral("port '%1' is not a number from 1 to 65535").arg(value));
            result.port = port;
        }
        else if (key == QLatin1String("user"))
        {
            result.user = value;
        }
        else if (key == QLatin1String("password"))
        {
            result.password = value;
        }
        else if (key == QLatin1String("dbname"))
        {
            result.databaseName = value;
            hasDbName = true;
        }
        else
        {
            return sourceError(
                source, QStringLiteral("unknown key '%1' (known: host, port, user, password, dbname)").arg(key));
        }
    }
    if (!hasDbName || result.databaseName.isEmpty())
        return sourceError(source, QStringLiteral("dbname is missing"));
    if (result.host.isEmpty())
        result.host = QStringLiteral("127.0.0.1");
    return result;
}

QString DbSource::describe() const
{
    return QStringLiteral("driver: %1, source: %2").arg(driverName, describeSource());
}

QString DbSource::describeSource() const
{
    if (backend == Backend::Sqlite)
        return sqlitePath;
    QString text = QStringLiteral("host=") + host;
    if (port != 0)
        text += QStringLiteral(" port=%1").arg(port);
    if (!user.isEmpty())
        text += QStringLiteral(" user=") + user;
    text += QStringLiteral(" dbname=") + databaseName;
    return text;
}

QString DbSource::sqlDirectory() const
{
    switch (backend)
    {
    case Backend::Sqlite:
        return QStringLiteral("sqlite");
    case Backend::MySql:
        return QStringLiteral("mysql");
    case Backend::Postgres:
        return QStringLiteral("postgres");
    }
    return QString();
}
