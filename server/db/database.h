// One connection to tmail's database: opening it, its versioned schema, and the
// SQL statements of its backend, loaded from resources (server/db/sql/<backend>/…).
#pragma once

#include "config/dbsource.h"
#include "core/expected.h"

#include <functional>

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantMap>

class Database
{
public:
    // The schema version this build of tmail expects.
    static int currentSchemaVersion();
    // The Qt SQL driver of a source: "QSQLITE", "QPSQL", "QMARIADB" (or "QMYSQL" where that is all there is).
    static QString qtDriverName(const DbSource &source);

    // Opens a named QSqlDatabase connection (connectionName must be unique per thread
    // that uses it). Fails with a clear message when the server is unreachable, the
    // credentials are wrong or the sqlite file cannot be opened/created.
    static Expected<Database> open(const DbSource &source, const QString &connectionName);

    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;
    ~Database(); // closes and removes the connection

    // 0 when there are no tmail tables at all.
    Expected<int> schemaVersion();
    // True when the schema is missing or older than currentSchemaVersion().
    Expected<bool> needsUpgrade();
    // Creates or upgrades the schema step by step (one transaction per step where the
    // backend allows DDL in transactions), up to currentSchemaVersion().
    Status upgrade();

    // Runs the named statement (file queries/<name>.sql of this backend) with the
    // given named bindings (":domain" → value). Never string-concatenates values.
    Expected<QSqlQuery> exec(const QString &statementName, const QVariantMap &bindings = {});

    // For loops that run one statement many times (a queue batch): prepare once,
    // then execPrepared() with each row's bindings. Errors name the statement.
    Expected<QSqlQuery> prepare(const QString &statementName);
    Status execPrepared(QSqlQuery &query, const QString &statementName, const QVariantMap &bindings);

    // transaction() takes the write lock at once (sqlite: BEGIN IMMEDIATE), so two
    // writers queue up on busy_timeout instead of failing on a lock upgrade.
    bool transaction();
    bool commit();
    bool rollback();

    // Increments the change serial in the same transaction as an edit, so running
    // daemons (that poll changeSerial()) notice CLI/manager edits within a second.
    Status bumpChangeSerial();
    Expected<qint64> changeSerial();

    QSqlDatabase &connection() { return m_db; }
    const DbSource &source() const { return m_source; }

    // Runs work inside transaction()/commit(); rolls back when work fails or commit does.
    Status runInTransaction(const std::function<Status()> &work);

    // The driver's message for the last failed transaction()/commit()/rollback().
    QString lastError() const;

private:
    Database() = default;
    Expected<QString> statementText(const QString &path);
    Status runStatementsIn(const QString &directory);
    void close();

    QSqlDatabase m_db;
    QString m_connectionName;
    DbSource m_source;
    QHash<QString, QString> m_statements; // resource path → SQL text
    QString m_lastError;
};
