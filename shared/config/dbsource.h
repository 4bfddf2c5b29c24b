// Which database tmail uses: TMAIL_DB_DRIVER and TMAIL_DB_SOURCE, parsed and checked.
#pragma once

#include "core/expected.h"

#include <QList>
#include <QPair>
#include <QString>

struct DbSource
{
    enum class Backend
    {
        Sqlite,
        MySql,
        Postgres
    };

    Backend backend = Backend::Sqlite;
    QString driverName; // as configured: "sqlite3", "mysql" or "postgres"
    QString sqlitePath; // absolute, for Sqlite
    QString host; // for MySql / Postgres
    int port = 0; // 0 = the backend's default
    QString user;
    QString password;
    QString databaseName;

    // driver: "sqlite3" | "mysql" | "postgres" (also accepts "sqlite", "mariadb", "postgresql").
    // source: for sqlite a file path (relative paths resolve against baseDir); for the
    // others "host=… port=… user=… password=… dbname=…" (values may be single-quoted).
    // Errors name the variable (TMAIL_DB_DRIVER / TMAIL_DB_SOURCE), the value and what is expected.
    static Expected<DbSource> parse(const QString &driver, const QString &source, const QString &baseDir);

    // "driver: sqlite3, source: /path/tmail.db" — the password is never shown.
    QString describe() const;
    // The source part of describe(): "/path/tmail.db" or "host=… port=… user=… dbname=…".
    QString describeSource() const;
    // Directory name under server/db/sql/: "sqlite", "mysql" or "postgres".
    QString sqlDirectory() const;

    // The key=value pairs of a server source, in order ("key='quoted value'" unquoted;
    // a backslash escapes a quote or a backslash, as libpq's conninfo does), and back:
    // values that are empty or hold a space, a quote or a backslash are quoted.
    static Expected<QList<QPair<QString, QString>>> keyValues(const QString &source);
    static QString joinKeyValues(const QList<QPair<QString, QString>> &pairs);

    // source with the value of each password=… field (quoted or not) replaced by ***:
    // how a source is shown in messages, logs and `tmail config show`.
    static QString withoutPassword(const QString &source);
};
