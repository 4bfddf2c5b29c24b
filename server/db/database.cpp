// Opening a connection, its per-backend session settings, the stepwise schema
// upgrade and the named statements, all read from server/db/sql (a resource).
#include "db/database.h"

#include "metrics/metrics.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>

// Resources of a static library are only linked in when something references them.
static void initSqlResources()
{
    Q_INIT_RESOURCE(sql);
}

namespace {

// Bump with a new server/db/sql/<backend>/<N>/ directory for every backend.
constexpr int SchemaVersion = 3;

const QString &resourceRoot()
{
    static const QString root = QStringLiteral(":/tmail/sql/");
    return root;
}

QString driverText(const QSqlError &error)
{
    QString text = error.text().trimmed();
    if (text.isEmpty())
        text = QStringLiteral("unknown database error");
    return text;
}

// Tables whose presence means "tmail has been here".
const QStringList &tmailTables()
{
    static const QStringList tables = {
        QStringLiteral("schema_version"),
        QStringLiteral("meta"),
        QStringLiteral("rcpthosts"),
        QStringLiteral("users"),
        QStringLiteral("relay_ips"),
        QStringLiteral("routes"),
        QStringLiteral("queue_messages"),
        QStringLiteral("queue_recipients"),
        QStringLiteral("dkim_keys"),
        QStringLiteral("mta_sts_policies"),
        QStringLiteral("queue_bodies"),
        QStringLiteral("nodes"),
        QStringLiteral("admins"),
    };
    return tables;
}

} // namespace

int Database::currentSchemaVersion()
{
    return SchemaVersion;
}

Expected<Database> Database::open(const DbSource &source, const QString &connectionName)
{
    static const bool resourcesReady = (initSqlResources(), true);
    Q_UNUSED(resourcesReady);

    const QString describe = source.describe();
    if (QSqlDatabase::contains(connectionName))
        return Expected<Database>::failure(ErrorKind::Unavailable,
            QStringLiteral("cannot open database '%1': connection name '%2' is already in use")
                .arg(describe, connectionName));
    const QString driver = qtDriverName(source);
    if (!QSqlDatabase::isDriverAvailable(driver))
        return Expected<Database>::failure(ErrorKind::Unavailable,
            QStringLiteral("cannot open database '%1': the Qt SQL driver %2 is not installed").arg(describe, driver));

    Database db;
    db.m_source = source;
    db.m_connectionName = connectionName;
    db.m_db = QSqlDatabase::addDatabase(driver, connectionName);
    switch (source.backend)
    {
    case DbSource::Backend::Sqlite:
    {
        const QFileInfo file(source.sqlitePath);
        if (!file.absoluteDir().exists())
            return Expected<Database>::failure(ErrorKind::Unavailable,
                QStringLiteral("cannot open database '%1': directory %2 does not exist")
                    .arg(describe, file.absolutePath()));
        db.m_db.setDatabaseName(source.sqlitePath);
        db.m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        break;
    }
    case DbSource::Backend::MySql:
    case DbSource::Backend::Postgres:
        db.m_db.setHostName(source.host);
        if (source.port != 0)
            db.m_db.setPort(source.port);
        db.m_db.setUserName(source.user);
        db.m_db.setPassword(source.password);
        db.m_db.setDatabaseName(source.databaseName);
        // MySQL's FOUND_ROWS: an UPDATE that changes nothing still reports the row it matched.
        db.m_db.setConnectOptions(source.backend == DbSource::Backend::MySql
                ? QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=5;CLIENT_FOUND_ROWS")
                : QStringLiteral("connect_timeout=5"));
        break;
    }
    if (!db.m_db.open())
    {
        Metrics::instance().countDatabaseError();
        return Expected<Database>::failure(ErrorKind::Unavailable,
            QStringLiteral("cannot open database '%1': %2").arg(describe, driverText(db.m_db.lastError())));
    }

    // Session settings (sqlite pragmas, MySQL strict mode…) are SQL files too.
    const Status settings = db.runStatementsIn(QStringLiteral("open"));
    if (!settings)
        return Expected<Database>::failure(
            ErrorKind::Unavailable, QStringLiteral("cannot open database '%1': %2").arg(describe, settings.error()));
    return db;
}

Database::Database(Database &&other) noexcept
    : m_db(std::move(other.m_db))
    , m_connectionName(std::move(other.m_connectionName))
    , m_source(std::move(other.m_source))
    , m_statements(std::move(other.m_statements))
    , m_lastError(std::move(other.m_lastError))
{
    other.m_db = QSqlDatabase();
    other.m_connectionName.clear();
}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other)
    {
        close();
        m_db = std::move(other.m_db);
        m_connectionName = std::move(other.m_connectionName);
        m_source = std::move(other.m_source);
        m_statements = std::move(other.m_statements);
        m_lastError = std::move(other.m_lastError);
        other.m_db = QSqlDatabase();
        other.m_connectionName.clear();
    }
    return *this;
}

Database::~Database()
{
    close();
}

void Database::close()
{
    if (m_connectionName.isEmpty())
        return;
    if (m_db.isOpen())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

Expected<int> Database::schemaVersion()
{
    const QStringList existing = m_db.tables(QSql::Tables);
    if (!existing.contains(QStringLiteral("schema_version")))
    {
        for (const QString &table : tmailTables())
        {
            if (existing.contains(table))
                return Expected<int>::failure(ErrorKind::Unavailable,
                    QStringLiteral("database '%1' has table %2 but no schema_version table: it was not made by tmail, "
                                   "or its schema is damaged")
                        .arg(m_source.describe(), table));
        }
        return 0;
    }
    Expected<QSqlQuery> query = exec(QStringLiteral("select_schema_version"));
    if (!query)
        return Expected<int>::failure(query);
    if (!query.value().next())
        return 0;
    return query.value().value(0).toInt();
}

Expected<bool> Database::needsUpgrade()
{
    const Expected<int> version = schemaVersion();
    if (!version)
        return Expected<bool>::failure(version);
    return version.value() < SchemaVersion;
}

Status Database::upgrade()
{
    const Expected<int> version = schemaVersion();
    if (!version)
        return Status::failure(version);
    if (version.value() > SchemaVersion)
        return Status::failure(ErrorKind::Unavailable,
            QStringLiteral("database '%1' has schema version %2, newer than this tmail's %3: "
                           "upgrade tmail")
                .arg(m_source.describe())
                .arg(version.value())
                .arg(SchemaVersion));
    for (int step = version.value() + 1; step <= SchemaVersion; ++step)
    {
        // sqlite and PostgreSQL roll a failed step back; MySQL commits each DDL
        // statement, which is why every step file is written to be re-runnable.
        if (!transaction())
            return Status::failure(
                ErrorKind::Unavailable, QStringLiteral("schema upgrade to version %1: %2").arg(step).arg(m_lastError));
        Status status = runStatementsIn(QString::number(step));
        if (status)
        {
            const Expected<QSqlQuery> recorded
                = exec(QStringLiteral("update_schema_version"), { { QStringLiteral("version"), step } });
            if (!recorded)
                status = Status::failure(recorded);
        }
        if (!status)
        {
            rollback();
            return Status::failure(
                status.kind(), QStringLiteral("schema upgrade to version %1: %2").arg(step).arg(status.error()));
        }
        if (!commit())
            return Status::failure(
                ErrorKind::Unavailable, QStringLiteral("schema upgrade to version %1: %2").arg(step).arg(m_lastError));
    }
    return {};
}

Expected<QString> Database::statementText(const QString &path)
{
    const auto cached = m_statements.constFind(path);
    if (cached != m_statements.constEnd())
        return cached.value();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Expected<QString>::failure(
            ErrorKind::Internal, QStringLiteral("statement %1 is missing from tmail's resources").arg(path));
    QString text = QString::fromUtf8(file.readAll()).trimmed();
    if (text.endsWith(QLatin1Char(';')))
        text.chop(1);
    m_statements.insert(path, text);
    return text;
}

Status Database::runStatementsIn(const QString &directory)
{
    const QDir dir(resourceRoot() + m_source.sqlDirectory() + QLatin1Char('/') + directory);
    // A backend may have nothing to do on open: a missing directory is an empty one.
    const QStringList files = dir.entryList({ QStringLiteral("*.sql") }, QDir::Files, QDir::Name);
    for (const QString &fileName : files)
    {
        const Expected<QString> sql = statementText(dir.filePath(fileName));
        if (!sql)
            return Status::failure(sql);
        QSqlQuery query(m_db);
        if (!query.exec(sql.value()))
            return Status::failure(ErrorKind::Unavailable,
                QStringLiteral("statement %1/%2 failed: %3").arg(directory, fileName, driverText(query.lastError())));
    }
    return {};
}

Expected<QSqlQuery> Database::exec(const QString &statementName, const QVariantMap &bindings)
{
    if (bindings.isEmpty())
    {
        // Unprepared: PostgreSQL cannot PREPARE utility statements such as BEGIN.
        const Expected<QString> sql = statementText(resourceRoot() + m_source.sqlDirectory()
            + QStringLiteral("/queries/") + statementName + QStringLiteral(".sql"));
        if (!sql)
            return Expected<QSqlQuery>::failure(sql);
        QSqlQuery query(m_db);
        if (!query.exec(sql.value()))
        {
            Metrics::instance().countDatabaseError();
            return Expected<QSqlQuery>::failure(ErrorKind::Unavailable,
                QStringLiteral("statement %1 failed: %2").arg(statementName, driverText(query.lastError())));
        }
        return query;
    }
    Expected<QSqlQuery> query = prepare(statementName);
    if (!query)
        return query;
    const Status status = execPrepared(query.value(), statementName, bindings);
    if (!status)
        return Expected<QSqlQuery>::failure(status);
    return query;
}

Expected<QSqlQuery> Database::prepare(const QString &statementName)
{
    const Expected<QString> sql = statementText(resourceRoot() + m_source.sqlDirectory() + QStringLiteral("/queries/")
        + statementName + QStringLiteral(".sql"));
    if (!sql)
        return Expected<QSqlQuery>::failure(sql);
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sql.value()))
    {
        Metrics::instance().countDatabaseError();
        return Expected<QSqlQuery>::failure(ErrorKind::Unavailable,
            QStringLiteral("statement %1 failed to prepare: %2").arg(statementName, driverText(query.lastError())));
    }
    return query;
}

Status Database::execPrepared(QSqlQuery &query, const QString &statementName, const QVariantMap &bindings)
{
    for (auto it = bindings.constBegin(); it != bindings.constEnd(); ++it)
    {
        const QString &name = it.key();
        QVariant value = it.value();
        // Qt's drivers bind a null QString as NULL; tmail's columns mean '' (an empty
        // HELO, the null sender). Callers that want NULL pass an invalid QVariant.
        if (value.typeId() == QMetaType::QString && value.toString().isNull())
            value = QVariant(QStringLiteral(""));
        query.bindValue(name.startsWith(QLatin1Char(':')) ? name : QLatin1Char(':') + name, value);
    }
    if (!query.exec())
    {
        Metrics::instance().countDatabaseError();
        return Status::failure(ErrorKind::Unavailable,
            QStringLiteral("statement %1 failed: %2").arg(statementName, driverText(query.lastError())));
    }
    return {};
}

bool Database::transaction()
{
    const Expected<QSqlQuery> begin = exec(QStringLiteral("begin_transaction"));
    if (!begin)
    {
        m_lastError = begin.error();
        return false;
    }
    return true;
}

bool Database::commit()
{
    if (m_db.commit())
        return true;
    Metrics::instance().countDatabaseError();
    m_lastError = QStringLiteral("commit failed: ") + driverText(m_db.lastError());
    // A failed COMMIT may leave the transaction open (sqlite when busy): end it.
    m_db.rollback();
    return false;
}

bool Database::rollback()
{
    if (m_db.rollback())
        return true;
    m_lastError = QStringLiteral("rollback failed: ") + driverText(m_db.lastError());
    return false;
}

QString Database::lastError() const
{
    return m_lastError;
}

Status Database::bumpChangeSerial()
{
    const Expected<QSqlQuery> query = exec(QStringLiteral("bump_change_serial"));
    if (!query)
        return Status::failure(query);
    return {};
}

Expected<qint64> Database::changeSerial()
{
    Expected<QSqlQuery> query = exec(QStringLiteral("select_change_serial"));
    if (!query)
        return Expected<qint64>::failure(query);
    if (!query.value().next())
        return Expected<qint64>::failure(
            ErrorKind::Internal, QStringLiteral("the meta table has no change_serial row"));
    return query.value().value(0).toLongLong();
}

Status Database::runInTransaction(const std::function<Status()> &work)
{
    if (!transaction())
        return Status::failure(ErrorKind::Unavailable, m_lastError);
    const Status status = work();
    if (!status)
    {
        rollback();
        return status;
    }
    if (!commit())
        return Status::failure(ErrorKind::Unavailable, m_lastError);
    return {};
}

QString Database::qtDriverName(const DbSource &source)
{
    switch (source.backend)
    {
    case DbSource::Backend::Sqlite:
        return QStringLiteral("QSQLITE");
    case DbSource::Backend::MySql:
        if (QSqlDatabase::isDriverAvailable(QStringLiteral("QMARIADB")))
            return QStringLiteral("QMARIADB");
        return QStringLiteral("QMYSQL");
    case DbSource::Backend::Postgres:
        return QStringLiteral("QPSQL");
    }
    return QString();
}
