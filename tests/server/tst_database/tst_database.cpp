// Database, the configuration tables and the queue, run against sqlite (a temporary
// file), PostgreSQL and MariaDB (TMAIL_TEST_PG_SOURCE / TMAIL_TEST_MYSQL_SOURCE, as
// printed by tests/helpers/dbservers.sh; skipped when unset).
#include "testdatabases.h"
#include "testpeers.h"

#include "admin/dkimservice.h"
#include "admin/routeservice.h"
#include "config/dbsource.h"
#include "db/database.h"
#include "db/dkimkeytable.h"
#include "db/queuetable.h"
#include "db/tables.h"
#include "db/tlsreporttable.h"

#include <atomic>
#include <optional>

#include <QDirIterator>
#include <QSet>
#include <QSqlError>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

namespace {

// Every table the current schema makes.
const QStringList allTables = {
    QStringLiteral("mta_sts_policies"),
    QStringLiteral("admins"),
    QStringLiteral("dkim_keys"),
    QStringLiteral("queue_recipients"),
    QStringLiteral("queue_messages"),
    QStringLiteral("routes"),
    QStringLiteral("relay_ips"),
    QStringLiteral("users"),
    QStringLiteral("rcpthosts"),
    QStringLiteral("meta"),
    QStringLiteral("schema_version"),
};

Domain domain(const char *text)
{
    return Domain::parse(QString::fromUtf8(text)).value();
}

MailAddress address(const char *text)
{
    return MailAddress::parse(QString::fromUtf8(text)).value();
}

QueuedMessage message(qint64 nowMs, int recipients = 2)
{
    QueuedMessage m;
    m.id = QueueTable::newId();
    m.envelopeSender = QStringLiteral("sender@example.com");
    m.clientIp = QStringLiteral("192.0.2.7");
    m.helo = QStringLiteral("client.example.com");
    m.sizeBytes = 2048;
    m.storeKey = QStringLiteral("ab/") + m.id;
    m.createdAtMs = nowMs;
    m.nextAttemptAtMs = nowMs;
    for (int i = 0; i < recipients; ++i)
        m.recipients.append(
            { QStringLiteral("rcpt%1@example.net").arg(i), QueuedRecipient::Pending, QString(), 0, QString(), false });
    return m;
}

} // namespace

// Every backend test starts with the backend's name in the "backend" column and an empty,
// freshly created schema; a backend whose server is not configured is skipped.
#define USE_BACKEND()                                                                                                  \
    QFETCH(QString, backend);                                                                                          \
    do                                                                                                                 \
    {                                                                                                                  \
        const QString reason = useBackend(backend);                                                                    \
        if (reason.startsWith(QLatin1String("skip: ")))                                                                \
            TMAIL_REQUIRE_PEER(false, reason.mid(6));                                                                  \
        if (!reason.isEmpty())                                                                                         \
            QFAIL(qPrintable(reason));                                                                                 \
    } while (false)

#define VERIFY_OK(expr)                                                                                                \
    do                                                                                                                 \
    {                                                                                                                  \
        const auto &result_ = (expr);                                                                                  \
        QVERIFY2(result_.ok(), qPrintable(result_.error()));                                                           \
    } while (false)

class TestDatabase : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tempDir;
    std::optional<DbSource> m_source;
    std::optional<Database> m_db;
    int m_sqliteFiles = 0;

    static void addBackends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite3");
        QTest::newRow("postgres") << QStringLiteral("postgres");
        QTest::newRow("mysql") << QStringLiteral("mysql");
    }

    // Empty on success, "skip: why" when the backend is not configured, else the failure.
    QString sourceFor(const QString &backend, std::optional<DbSource> *source)
    {
        QString text;
        if (backend == QLatin1String("sqlite3"))
        {
            text = QStringLiteral("tmail-%1.db").arg(++m_sqliteFiles);
        }
        else
        {
            const char *variable
                = backend == QLatin1String("postgres") ? "TMAIL_TEST_PG_SOURCE" : "TMAIL_TEST_MYSQL_SOURCE";
            text = qEnvironmentVariable(variable);
            if (text.isEmpty())
                return QStringLiteral("skip: %1 is not set (run tests/helpers/dbservers.sh start DIR)")
                    .arg(QString::fromLatin1(variable));
        }
        const Expected<DbSource> parsed = DbSource::parse(backend, text, m_tempDir.path());
        if (!parsed)
            return parsed.error();
        *source = parsed.value();
        return {};
    }

    QString useBackend(const QString &backend)
    {
        const QString problem = sourceFor(backend, &m_source);
        if (!problem.isEmpty())
            return problem;
        Expected<Database> db = Database::open(*m_source, QStringLiteral("tst-main"));
        if (!db)
            return db.error();
        // Reruns start from nothing: drop whatever an earlier run left.
        const QString dropped = TestDatabases::dropAllTables(db.value().connection());
        if (!dropped.isEmpty())
            return dropped;
        m_db.emplace(std::move(db).value());
        if (!m_db->connection().tables().isEmpty())
            return QStringLiteral("tables survived the drop: ") + m_db->connection().tables().join(QLatin1Char(','));
        if (qstrcmp(QTest::currentTestFunction(), "freshSchemaIsCreatedOnce") != 0)
        {
            const Status upgraded = m_db->upgrade();
            if (!upgraded)
                return upgraded.error();
        }
        return {};
    }

    qint64 serial()
    {
        const Expected<qint64> value = m_db->changeSerial();
        return value ? value.value() : -1;
    }

private slots:
    void initTestCase() { QVERIFY(m_tempDir.isValid()); }

    void cleanup()
    {
        m_db.reset();
        m_source.reset();
    }

    // ---- DbSource

    void parsesDriverAndSource_data()
    {
        QTest::addColumn<QString>("driver");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("qtDriver");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("dbname");
        QTest::newRow("postgres") << "postgres"
                                  << "host=db.example port=5433 user=tmail password=pw dbname=mail"
                                  << "QPSQL"
                                  << "db.example" << 5433 << "tmail"
                                  << "pw"
                                  << "mail";
        QTest::newRow("postgresql alias, quoted") << "postgresql"
                                                  << "dbname='my db' password='p w=x' user=u"
                                                  << "QPSQL"
                                                  << "127.0.0.1" << 0 << "u"
                                                  << "p w=x"
                                                  << "my db";
        QTest::newRow("escaped quote") << "postgres"
                                       << "dbname=x password='a\\'b c'"
                                       << "QPSQL"
                                       << "127.0.0.1" << 0 << ""
                                       << "a'b c"
                                       << "x";
        QTest::newRow("mariadb alias") << "MariaDB"
                                       << " host=h  dbname=d "
                                       << "QMARIADB"
                                       << "h" << 0 << ""
                                       << ""
                                       << "d";
        QTest::newRow("mysql") << "mysql"
                               << "host=h port=3306 dbname=d"
                               << "QMARIADB"
                               << "h" << 3306 << ""
                               << ""
                               << "d";
    }

    void parsesDriverAndSource()
    {
        QFETCH(QString, driver);
        QFETCH(QString, source);
        const Expected<DbSource> parsed = DbSource::parse(driver, source, QStringLiteral("/base"));
        QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
        QTEST(Database::qtDriverName(*parsed), "qtDriver");
        QTEST(parsed->host, "host");
        QTEST(parsed->port, "port");
        QTEST(parsed->user, "user");
        QTEST(parsed->password, "password");
        QTEST(parsed->databaseName, "dbname");
        QVERIFY(!parsed->describe().contains(QStringLiteral("password")));
    }

    void resolvesSqlitePaths()
    {
        Expected<DbSource> relative
            = DbSource::parse(QStringLiteral("sqlite3"), QStringLiteral("db/tmail.db"), QStringLiteral("/opt/tmail"));
        QVERIFY(relative.ok());
        QCOMPARE(relative->sqlitePath, QStringLiteral("/opt/tmail/db/tmail.db"));
        QCOMPARE(Database::qtDriverName(*relative), QStringLiteral("QSQLITE"));
        QCOMPARE(relative->sqlDirectory(), QStringLiteral("sqlite"));
        QCOMPARE(relative->describe(), QStringLiteral("driver: sqlite3, source: /opt/tmail/db/tmail.db"));
        Expected<DbSource> absolute
            = DbSource::parse(QStringLiteral("sqlite"), QStringLiteral("/var/tmail.db"), QStringLiteral("/opt/tmail"));
        QVERIFY(absolute.ok());
        QCOMPARE(absolute->sqlitePath, QStringLiteral("/var/tmail.db"));
        QCOMPARE(absolute->driverName, QStringLiteral("sqlite3"));
    }

    void refusesBadDriverOrSource_data()
    {
        QTest::addColumn<QString>("driver");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected"); // parts of the message
        QTest::newRow("unknown driver") << "oracle"
                                        << "x"
                                        << "TMAIL_DB_DRIVER|oracle|sqlite3, mysql or postgres";
        QTest::newRow("empty sqlite path") << "sqlite3"
                                           << ""
                                           << "TMAIL_DB_SOURCE";
        QTest::newRow("unknown key") << "postgres"
                                     << "host=h dbname=d sslmode=require"
                                     << "TMAIL_DB_SOURCE|sslmode";
        QTest::newRow("missing dbname") << "mysql"
                                        << "host=h user=u"
                                        << "TMAIL_DB_SOURCE|dbname";
        QTest::newRow("bad port") << "postgres"
                                  << "port=99999 dbname=d"
                                  << "TMAIL_DB_SOURCE|99999";
        QTest::newRow("port not a number") << "postgres"
                                           << "port=abc dbname=d"
                                           << "TMAIL_DB_SOURCE|abc";
        QTest::newRow("no equals") << "postgres"
                                   << "host dbname=d"
                                   << "TMAIL_DB_SOURCE|key=value";
        QTest::newRow("unclosed quote") << "postgres"
                                        << "dbname='d"
                                        << "TMAIL_DB_SOURCE|quote";
    }

    void refusesBadDriverOrSource()
    {
        QFETCH(QString, driver);
        QFETCH(QString, source);
        QFETCH(QString, expected);
        const Expected<DbSource> parsed = DbSource::parse(driver, source, QStringLiteral("/base"));
        QVERIFY(!parsed.ok());
        for (const QString &part : expected.split(QLatin1Char('|')))
            QVERIFY2(parsed.error().contains(part), qPrintable(parsed.error()));
    }

    void errorsNeverShowThePassword_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("plain") << QStringLiteral("host=h password=S3cretPw sslmode=x dbname=d");
        QTest::newRow("quoted") << QStringLiteral("password='S3cretPw with space' host=h bogus dbname=d");
        QTest::newRow("spaced") << QStringLiteral("password = S3cretPw port=0 dbname=d");
    }

    void errorsNeverShowThePassword()
    {
        QFETCH(QString, source);
        const Expected<DbSource> parsed = DbSource::parse(QStringLiteral("postgres"), source, QStringLiteral("/base"));
        QVERIFY(!parsed.ok());
        QVERIFY2(!parsed.error().contains(QStringLiteral("S3cretPw")), qPrintable(parsed.error()));
        QVERIFY(parsed.error().contains(QStringLiteral("password=***")));
    }

    // ---- resources

    void everySqlFileIsInTheResources()
    {
        // Opening once registers the resources.
        const Expected<DbSource> source
            = DbSource::parse(QStringLiteral("sqlite3"), QStringLiteral("res.db"), m_tempDir.path());
        QVERIFY(source.ok());
        {
            VERIFY_OK(Database::open(source.value(), QStringLiteral("tst-res")));
        }
        const QString sourceRoot = QStringLiteral(TMAIL_SOURCE_DIR "/server/db/sql");
        QStringList onDisk;
        QDirIterator disk(sourceRoot, { QStringLiteral("*.sql") }, QDir::Files, QDirIterator::Subdirectories);
        while (disk.hasNext())
            onDisk.append(disk.next().mid(sourceRoot.size()));
        QStringList inResources;
        QDirIterator resources(
            QStringLiteral(":/tmail/sql"), { QStringLiteral("*.sql") }, QDir::Files, QDirIterator::Subdirectories);
        while (resources.hasNext())
            inResources.append(resources.next().mid(11));
        onDisk.sort();
        inResources.sort();
        QVERIFY(!onDisk.isEmpty());
        QCOMPARE(inResources, onDisk);
        // Each backend has the same named statements and schema steps.
        for (const QString &dir : { QStringLiteral("/queries"), QStringLiteral("/1") })
        {
            QStringList sqlite;
            QStringList mysql;
            QStringList postgres;
            for (const QString &file : onDisk)
            {
                const QString rest = file.section(QLatin1Char('/'), 2);
                if (file.startsWith(QStringLiteral("/sqlite") + dir + QLatin1Char('/')))
                    sqlite.append(rest);
                else if (file.startsWith(QStringLiteral("/mysql") + dir + QLatin1Char('/')))
                    mysql.append(rest);
                else if (file.startsWith(QStringLiteral("/postgres") + dir + QLatin1Char('/')))
                    postgres.append(rest);
            }
            QCOMPARE(mysql, sqlite);
            QCOMPARE(postgres, sqlite);
        }
    }

    // ---- schema

    void freshSchemaIsCreatedOnce_data() { addBackends(); }
    void freshSchemaIsCreatedOnce()
    {
        USE_BACKEND();
        QCOMPARE(m_db->schemaVersion().value(), 0);
        QVERIFY(m_db->needsUpgrade().value());
        VERIFY_OK(m_db->upgrade());
        QCOMPARE(m_db->schemaVersion().value(), Database::currentSchemaVersion());
        QVERIFY(!m_db->needsUpgrade().value());
        const QStringList tables = m_db->connection().tables();
        for (const QString &table : allTables)
            QVERIFY2(tables.contains(table), qPrintable(table));
        QCOMPARE(serial(), 0);
        // A second upgrade (a second node starting, `tmail db init` twice) changes nothing.
        VERIFY_OK(m_db->upgrade());
        QCOMPARE(m_db->schemaVersion().value(), Database::currentSchemaVersion());
        QCOMPARE(serial(), 0);
        // And a new connection sees the recorded version.
        Expected<Database> other = Database::open(*m_source, QStringLiteral("tst-other"));
        VERIFY_OK(other);
        QVERIFY(!other.value().needsUpgrade().value());
    }

    void queryErrorsNameTheStatement_data() { addBackends(); }
    void queryErrorsNameTheStatement()
    {
        USE_BACKEND();
        const Expected<QSqlQuery> missing = m_db->exec(QStringLiteral("no_such_statement"));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().contains(QStringLiteral("no_such_statement")), qPrintable(missing.error()));
        QSqlQuery drop(m_db->connection());
        QVERIFY(drop.exec(QStringLiteral("DROP TABLE relay_ips")));
        const Expected<QSqlQuery> failed = m_db->exec(QStringLiteral("list_relay_ips"));
        QVERIFY(!failed.ok());
        QVERIFY2(failed.error().contains(QStringLiteral("list_relay_ips")), qPrintable(failed.error()));
        QVERIFY2(failed.error().contains(QStringLiteral("relay_ips")), qPrintable(failed.error()));
        const Expected<QList<RelayIp>> list = RelayIpTable(*m_db).list();
        QVERIFY(!list.ok());
    }

    void openFailsClearly_data() { addBackends(); }
    void openFailsClearly()
    {
        QFETCH(QString, backend);
        std::optional<DbSource> source;
        const QString problem = sourceFor(backend, &source);
        if (problem.startsWith(QLatin1String("skip: ")))
            TMAIL_REQUIRE_PEER(false, problem.mid(6));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        if (source->backend == DbSource::Backend::Sqlite)
            source->sqlitePath = m_tempDir.filePath(QStringLiteral("no/such/dir/tmail.db"));
        else
            source->password = QStringLiteral("wrong-password-123");
        const Expected<Database> db = Database::open(*source, QStringLiteral("tst-bad"));
        QVERIFY(!db.ok());
        QVERIFY2(db.error().contains(source->describe()), qPrintable(db.error()));
        QVERIFY2(!db.error().contains(QStringLiteral("wrong-password-123")), qPrintable(db.error()));
        // The name is free again for a good connection.
        QVERIFY(!QSqlDatabase::contains(QStringLiteral("tst-bad")));
    }

    void duplicateConnectionNameIsRefused()
    {
        const Expected<DbSource> source
            = DbSource::parse(QStringLiteral("sqlite3"), QStringLiteral("dup.db"), m_tempDir.path());
        Expected<Database> first = Database::open(source.value(), QStringLiteral("tst-dup"));
        VERIFY_OK(first);
        const Expected<Database> second = Database::open(source.value(), QStringLiteral("tst-dup"));
        QVERIFY(!second.ok());
        QVERIFY(second.error().contains(QStringLiteral("tst-dup")));
    }

    // ---- configuration tables

    void rcptHosts_data() { addBackends(); }
    void rcptHosts()
    {
        USE_BACKEND();
        RcptHostTable table(*m_db);
        VERIFY_OK(table.add(domain("Example.COM"), true));
        QCOMPARE(serial(), 1);
        VERIFY_OK(table.add(domain("relay.example.org"), false));
        QCOMPARE(serial(), 2);
        const Status duplicate = table.add(domain("example.com"), false);
        QVERIFY(!duplicate.ok());
        QCOMPARE(duplicate.error(), QStringLiteral("rcpthost example.com already exists"));
        QCOMPARE(duplicate.kind(), ErrorKind::AlreadyExists);
        QCOMPARE(serial(), 2);

        const QList<RcptHost> hosts = table.list().value();
        QCOMPARE(hosts.size(), 2);
        QCOMPARE(hosts.at(0).domain.name(), QStringLiteral("example.com"));
        QVERIFY(hosts.at(0).isLocal);
        QCOMPARE(hosts.at(1).domain.name(), QStringLiteral("relay.example.org"));
        QVERIFY(!hosts.at(1).isLocal);
        QVERIFY(hosts.at(0).id > 0);

        VERIFY_OK(table.remove(domain("EXAMPLE.com")));
        QCOMPARE(serial(), 3);
        const Status missing = table.remove(domain("example.com"));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error(), QStringLiteral("no rcpthost example.com"));
        QCOMPARE(serial(), 3);
        QCOMPARE(table.list().value().size(), 1);
    }

    void admins_data() { addBackends(); }
    void admins()
    {
        USE_BACKEND();
        AdminTable table(*m_db);
        const QString injection = QStringLiteral("x'); DROP TABLE admins;--");
        VERIFY_OK(table.add(QStringLiteral("alice"), AdminValues::AdminRole::Operator, injection));
        VERIFY_OK(table.add(QStringLiteral("bob"), AdminValues::AdminRole::Viewer, QStringLiteral("bob-pw-123")));
        const Status duplicate = table.add(QStringLiteral("alice"), AdminValues::AdminRole::Admin, QStringLiteral("x"));
        QVERIFY(!duplicate.ok());
        QCOMPARE(duplicate.kind(), ErrorKind::AlreadyExists);
        const QList<Admin> admins = table.list().value();
        QCOMPARE(admins.size(), 2);
        QCOMPARE(admins.at(0).name, QStringLiteral("alice"));
        QVERIFY(admins.at(0).role == AdminValues::AdminRole::Operator);
        QVERIFY(admins.at(0).passwordHash.startsWith(QStringLiteral("$pbkdf2-sha256$")));
        QVERIFY(admins.at(1).role == AdminValues::AdminRole::Viewer);
        QVERIFY(qAbs(admins.at(1).createdAt.secsTo(QDateTime::currentDateTimeUtc())) < 600);

        const auto role = [&table](const QString &name, const QString &password) -> int {
            const Expected<std::optional<Admin>> admin = table.authenticate(name, password);
            if (!admin.ok())
                return -2;
            return admin.value() ? int(admin.value()->role) : -1;
        };
        QCOMPARE(role(QStringLiteral("alice"), injection), int(AdminValues::AdminRole::Operator));
        QCOMPARE(role(QStringLiteral("ALICE"), injection), int(AdminValues::AdminRole::Operator));
        QCOMPARE(role(QStringLiteral("alice"), QStringLiteral("bob-pw-123")), -1);
        QCOMPARE(role(QStringLiteral("carol"), QStringLiteral("bob-pw-123")), -1);
        QCOMPARE(role(QStringLiteral("bad name'"), injection), -1);
        VERIFY_OK(table.setPassword(QStringLiteral("alice"), QStringLiteral("new-pw-456")));
        QCOMPARE(role(QStringLiteral("alice"), QStringLiteral("new-pw-456")), int(AdminValues::AdminRole::Operator));
        QCOMPARE(role(QStringLiteral("alice"), injection), -1);
        QCOMPARE(table.setPassword(QStringLiteral("carol"), QStringLiteral("x")).kind(), ErrorKind::NotFound);
        VERIFY_OK(table.remove(QStringLiteral("alice")));
        QCOMPARE(table.remove(QStringLiteral("alice")).kind(), ErrorKind::NotFound);
        QCOMPARE(table.list().value().size(), 1);
    }

    void users_data() { addBackends(); }
    void users()
    {
        USE_BACKEND();
        UserTable table(*m_db);
        const QString injection = QStringLiteral("x'); DROP TABLE users;--");
        VERIFY_OK(table.add(address("O'Brien@Example.COM"), injection, true));
        VERIFY_OK(table.add(address("alice@example.com"), QStringLiteral("alice-pw"), false));
        QCOMPARE(serial(), 2);
        const Status duplicate = table.add(address("O'Brien@example.com"), QStringLiteral("other"), true);
        QVERIFY(!duplicate.ok());
        QCOMPARE(duplicate.error(), QStringLiteral("user O'Brien@example.com already exists"));
        // The local part is kept as given: another case is another user.
        VERIFY_OK(table.add(address("o'brien@example.com"), QStringLiteral("lower"), true));
        QCOMPARE(serial(), 3);

        const QList<User> users = table.list().value();
        QCOMPARE(users.size(), 3);
        QStringList logins;
        for (const User &user : users)
        {
            logins.append(user.login.toString());
            QVERIFY(user.passwordHash.startsWith(QStringLiteral("$pbkdf2-sha256$")));
            QVERIFY(!user.passwordHash.contains(injection));
            QVERIFY(user.createdAt.isValid());
            QVERIFY(qAbs(user.createdAt.secsTo(QDateTime::currentDateTimeUtc())) < 600);
        }
        logins.sort();
        QCOMPARE(logins,
            (QStringList { QStringLiteral("O'Brien@example.com"), QStringLiteral("alice@example.com"),
                QStringLiteral("o'brien@example.com") }));

        // A refusal is an answer (nullopt), not a database failure.
        const auto accepted = [&table](const QString &login, const QString &password) {
            const Expected<std::optional<User>> user = table.authenticate(login, password);
            return user.ok() && user.value().has_value();
        };
        const auto refused = [&table](const QString &login, const QString &password) {
            const Expected<std::optional<User>> user = table.authenticate(login, password);
            return user.ok() && !user.value().has_value();
        };
        const Expected<std::optional<User>> ok = table.authenticate(QStringLiteral("O'Brien@EXAMPLE.com"), injection);
        QVERIFY2(ok.ok(), qPrintable(ok.error()));
        QVERIFY(ok.value().has_value());
        QCOMPARE(ok.value()->login.toString(), QStringLiteral("O'Brien@example.com"));
        QVERIFY(ok.value()->mayRelay);
        QVERIFY(refused(QStringLiteral("O'Brien@example.com"), QStringLiteral("x")));
        QVERIFY(refused(QStringLiteral("nobody@example.com"), injection));
        QVERIFY(refused(QStringLiteral("not an address"), injection));
        const Expected<std::optional<User>> alice
            = table.authenticate(QStringLiteral("alice@example.com"), QStringLiteral("alice-pw"));
        QVERIFY(alice.ok() && alice.value().has_value());
        QVERIFY(!alice.value()->mayRelay);

        VERIFY_OK(table.setPassword(address("alice@example.com"), QStringLiteral("new-pw")));
        QCOMPARE(serial(), 4);
        QVERIFY(refused(QStringLiteral("alice@example.com"), QStringLiteral("alice-pw")));
        QVERIFY(accepted(QStringLiteral("alice@example.com"), QStringLiteral("new-pw")));
        QCOMPARE(table.setPassword(address("bob@example.com"), QStringLiteral("pw")).error(),
            QStringLiteral("no user bob@example.com"));

        VERIFY_OK(table.remove(address("O'Brien@example.com")));
        QCOMPARE(table.remove(address("O'Brien@example.com")).error(), QStringLiteral("no user O'Brien@example.com"));
        QCOMPARE(serial(), 5);
        QCOMPARE(table.list().value().size(), 2);
        QVERIFY(m_db->connection().tables().contains(QStringLiteral("users")));

        // A connection that is gone gives no verdict: smtpd answers 454, not 535.
        m_db->connection().close();
        QVERIFY(!table.authenticate(QStringLiteral("alice@example.com"), QStringLiteral("new-pw")).ok());
    }

    void relayIps_data() { addBackends(); }
    void relayIps()
    {
        USE_BACKEND();
        RelayIpTable table(*m_db);
        const IpRange v4 = IpRange::parse(QStringLiteral("192.0.2.0/24")).value();
        const IpRange v6 = IpRange::parse(QStringLiteral("2001:db8::/32")).value();
        const IpRange host = IpRange::parse(QStringLiteral("198.51.100.7")).value();
        VERIFY_OK(table.add(v4));
        VERIFY_OK(table.add(v6));
        VERIFY_OK(table.add(host));
        QCOMPARE(serial(), 3);
        QCOMPARE(table.add(v4).error(), QStringLiteral("relay IP 192.0.2.0/24 already exists"));
        const QList<RelayIp> ranges = table.list().value();
        QCOMPARE(ranges.size(), 3);
        QVERIFY(ranges.at(0).range == v4);
        QVERIFY(ranges.at(1).range == v6);
        QVERIFY(ranges.at(2).range == host);
        VERIFY_OK(table.remove(v6));
        QCOMPARE(table.remove(v6).error(), QStringLiteral("no relay IP 2001:db8::/32"));
        QCOMPARE(serial(), 4);
        QCOMPARE(table.list().value().size(), 2);
    }

    // The service layer over dkim_keys: keys made, listed without their private half,
    // rotated (old ones inactive but kept) and removed, on every backend.
    void dkimKeys_data() { addBackends(); }
    void dkimKeys()
    {
        USE_BACKEND();
        DkimService service(*m_db);
        const QDateTime now = QDateTime::fromString(QStringLiteral("2026-12-02T10:00:00Z"), Qt::ISODate);
        const Expected<QList<DkimKey>> added
            = service.add(QStringLiteral("Example.TEST"), QString(), QStringLiteral("both"), 2048, now);
        VERIFY_OK(added);
        QCOMPARE(added->size(), 2);
        QCOMPARE(added->at(0).selector, QStringLiteral("tmail202612-rsa"));
        QCOMPARE(added->at(1).selector, QStringLiteral("tmail202612-ed"));
        QCOMPARE(serial(), 1);
        const Expected<QList<DkimKey>> again = service.add(
            QStringLiteral("example.test"), QStringLiteral("tmail202612"), QStringLiteral("both"), 2048, now);
        QCOMPARE(again.kind(), ErrorKind::AlreadyExists);
        QCOMPARE(serial(), 1);
        QCOMPARE(service.add(QStringLiteral("bad domain"), QString(), QStringLiteral("rsa"), 2048, now).kind(),
            ErrorKind::InvalidInput);

        QList<DkimKey> listed = service.list().value();
        QCOMPARE(listed.size(), 2);
        for (const DkimKey &key : listed)
        {
            QCOMPARE(key.domain, QStringLiteral("example.test"));
            QVERIFY(key.privateKey.isEmpty());
            QVERIFY(key.active);
            QCOMPARE(key.createdAtMs, now.toMSecsSinceEpoch());
        }
        QList<DkimKey> active = DkimKeyTable(*m_db).activeKeys().value();
        QCOMPARE(active.size(), 2);
        for (const DkimKey &key : active)
            QVERIFY(key.privateKey.startsWith("-----BEGIN PRIVATE KEY-----"));

        const Expected<QList<DkimKey>> rotated = service.rotate(QStringLiteral("example.test"), now);
        VERIFY_OK(rotated);
        QCOMPARE(rotated->at(0).selector, QStringLiteral("tmail202612b-rsa"));
        QCOMPARE(serial(), 2);
        listed = service.list().value();
        QCOMPARE(listed.size(), 4);
        active = DkimKeyTable(*m_db).activeKeys().value();
        QCOMPARE(active.size(), 2);
        for (const DkimKey &key : active)
            QVERIFY(key.selector.startsWith(QLatin1String("tmail202612b-")));
        QCOMPARE(service.dnsRecords(QStringLiteral("example.test")).value().size(), 4);

        VERIFY_OK(service.remove(QStringLiteral("example.test"), QStringLiteral("tmail202612-rsa")));
        QCOMPARE(service.remove(QStringLiteral("example.test"), QStringLiteral("tmail202612-rsa")).kind(),
            ErrorKind::NotFound);
        VERIFY_OK(service.remove(QStringLiteral("example.test")));
        QCOMPARE(service.list().value().size(), 0);
        QCOMPARE(service.remove(QStringLiteral("example.test")).kind(), ErrorKind::NotFound);
        QCOMPARE(service.dnsRecords(QStringLiteral("example.test")).kind(), ErrorKind::NotFound);
    }

    // TLS reporting counts add up per row on every backend (an upsert each), and a day's
    // report is marked sent once.
    void tlsReportCounts_data() { addBackends(); }
    void tlsReportCounts()
    {
        USE_BACKEND();
        TlsReportTable table(*m_db);
        TlsSessionCount success;
        success.policyDomain = QStringLiteral("Example.NET");
        success.day = QStringLiteral("2026-12-02");
        success.policyType = QStringLiteral("sts");
        success.policyString = QStringLiteral("version: STSv1\nmode: enforce");
        success.mxHost = QStringLiteral("mx.example.net");
        success.receivingIp = QStringLiteral("192.0.2.1");
        success.sessions = 2;
        TlsSessionCount failure = success;
        failure.resultType = QStringLiteral("certificate-expired");
        failure.sessions = 1;
        TlsSessionCount otherDay = success;
        otherDay.day = QStringLiteral("2026-12-03");
        VERIFY_OK(table.add({ success, failure, otherDay }));
        VERIFY_OK(table.add({ success }));
        const QList<TlsSessionCount> counts
            = table.list(QStringLiteral("2026-12-02"), QStringLiteral("2026-12-02")).value();
        QCOMPARE(counts.size(), 2);
        QCOMPARE(counts.at(0).policyDomain, QStringLiteral("example.net"));
        QCOMPARE(counts.at(0).resultType, QString());
        QCOMPARE(counts.at(0).sessions, 4);
        QCOMPARE(counts.at(0).policyString, success.policyString);
        QCOMPARE(counts.at(1).resultType, QStringLiteral("certificate-expired"));
        QCOMPARE(counts.at(1).sessions, 1);
        QVERIFY(!table.sentReport(QStringLiteral("example.net"), QStringLiteral("2026-12-02")).value().has_value());
        VERIFY_OK(table.markSent(QStringLiteral("example.net"), QStringLiteral("2026-12-02"), QStringLiteral("m1")));
        QCOMPARE(
            table.markSent(QStringLiteral("EXAMPLE.net"), QStringLiteral("2026-12-02"), QStringLiteral("m2")).kind(),
            ErrorKind::AlreadyExists);
        QCOMPARE(*table.sentReport(QStringLiteral("example.net"), QStringLiteral("2026-12-02")).value(),
            QStringLiteral("m1"));
    }

    void routes_data() { addBackends(); }
    void routes()
    {
        USE_BACKEND();
        RouteTable table(*m_db);
        Route first;
        first.recipientDomain = domain("example.net");
        first.remoteHost = QStringLiteral("mx2.example.net");
        first.priority = 2;
        Route second = first;
        second.remoteHost = QStringLiteral("mx1.example.net");
        second.remotePort = 587;
        second.priority = 1;
        second.senderDomain = QStringLiteral("Example.COM");
        second.authUser = QStringLiteral("alice@example.com");
        second.localIps = QStringLiteral("192.0.2.1|192.0.2.2");
        second.smtpUser = QStringLiteral("relay-user");
        second.smtpPassword = QStringLiteral("x'); DROP TABLE users;--");
        second.tls = QStringLiteral("dane");
        Route other = first;
        other.recipientDomain = domain("aaa.example");
        const Expected<qint64> firstId = table.add(first);
        VERIFY_OK(firstId);
        const Expected<qint64> secondId = table.add(second);
        VERIFY_OK(secondId);
        const Expected<qint64> otherId = table.add(other);
        VERIFY_OK(otherId);
        QVERIFY(firstId.value() > 0 && secondId.value() > firstId.value() && otherId.value() > secondId.value());
        QCOMPARE(serial(), 3);

        QList<Route> routes = table.list().value();
        QCOMPARE(routes.size(), 3);
        QCOMPARE(routes.at(0).id, otherId.value());
        QCOMPARE(routes.at(1).id, secondId.value());
        QCOMPARE(routes.at(2).id, firstId.value());
        const Route &stored = routes.at(1);
        QCOMPARE(stored.recipientDomain.name(), QStringLiteral("example.net"));
        QCOMPARE(stored.remoteHost, QStringLiteral("mx1.example.net"));
        QCOMPARE(stored.remotePort, quint16(587));
        QCOMPARE(stored.priority, 1);
        QCOMPARE(stored.senderDomain, QStringLiteral("example.com"));
        QCOMPARE(stored.authUser, QStringLiteral("alice@example.com"));
        QCOMPARE(stored.localIps, QStringLiteral("192.0.2.1|192.0.2.2"));
        QCOMPARE(stored.smtpUser, QStringLiteral("relay-user"));
        QCOMPARE(stored.smtpPassword, QStringLiteral("x'); DROP TABLE users;--"));
        QCOMPARE(routes.at(2).remotePort, quint16(25));
        QCOMPARE(stored.tls, QStringLiteral("dane"));
        QCOMPARE(routes.at(2).tls, QStringLiteral("opportunistic"));
        QVERIFY(m_db->connection().tables().contains(QStringLiteral("users")));

        Route changed = routes.at(2);
        changed.priority = 0;
        VERIFY_OK(table.update(changed));
        VERIFY_OK(table.update(changed)); // unchanged values still find the row
        QCOMPARE(serial(), 5);
        routes = table.list().value();
        QCOMPARE(routes.at(1).id, firstId.value());
        changed.id = 999999;
        QCOMPARE(table.update(changed).error(), QStringLiteral("no route 999999"));

        VERIFY_OK(table.remove(secondId.value()));
        QCOMPARE(table.remove(secondId.value()).error(), QStringLiteral("no route %1").arg(secondId.value()));
        QCOMPARE(serial(), 6);
        QCOMPARE(table.list().value().size(), 2);
        // A route is checked whole by RouteService (the table stores what it is given).
        Route invalid;
        const Expected<Route> refused = RouteService(*m_db).add(invalid);
        QVERIFY(!refused);
        QCOMPARE(refused.kind(), ErrorKind::InvalidInput);
        QCOMPARE(table.remove(secondId.value()).kind(), ErrorKind::NotFound);
    }

    void changeSerialIsSeenByOtherConnections_data() { addBackends(); }
    void changeSerialIsSeenByOtherConnections()
    {
        USE_BACKEND();
        Expected<Database> daemon = Database::open(*m_source, QStringLiteral("tst-daemon"));
        VERIFY_OK(daemon);
        const qint64 before = daemon.value().changeSerial().value();
        VERIFY_OK(RcptHostTable(*m_db).add(domain("seen.example"), true));
        QCOMPARE(daemon.value().changeSerial().value(), before + 1);
    }

    // ---- queue

    void queueBasics_data() { addBackends(); }
    void queueBasics()
    {
        USE_BACKEND();
        QueueTable queue(*m_db);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<QueuedMessage> batch;
        for (int i = 0; i < 3; ++i)
            batch.append(message(now + i, i + 1));
        batch[0].envelopeSender.clear(); // a bounce: null sender
        batch[1].authUser = QStringLiteral("alice@example.com");
        batch[1].helo = QStringLiteral("x'); DROP TABLE queue_messages;--");
        VERIFY_OK(queue.enqueue(batch));
        QCOMPARE(queue.count().value(), 3);

        const QList<QueuedMessage> listed = queue.list(0, 10).value();
        QCOMPARE(listed.size(), 3);
        for (int i = 0; i < 3; ++i)
        {
            QCOMPARE(listed.at(i).id, batch.at(i).id);
            QCOMPARE(listed.at(i).recipients.size(), i + 1);
        }
        QCOMPARE(queue.list(1, 1).value().size(), 1);
        QCOMPARE(queue.list(1, 1).value().at(0).id, batch.at(1).id);
        QCOMPARE(queue.list(3, 10).value().size(), 0);

        const QueuedMessage found = queue.find(batch.at(1).id).value();
        QCOMPARE(found.envelopeSender, QStringLiteral("sender@example.com"));
        QCOMPARE(found.authUser, QStringLiteral("alice@example.com"));
        QCOMPARE(found.helo, QStringLiteral("x'); DROP TABLE queue_messages;--"));
        QCOMPARE(found.clientIp, QStringLiteral("192.0.2.7"));
        QCOMPARE(found.sizeBytes, qint64(2048));
        QCOMPARE(found.storeKey, batch.at(1).storeKey);
        QCOMPARE(found.createdAtMs, now + 1);
        QCOMPARE(found.nextAttemptAtMs, now + 1);
        QCOMPARE(found.attempts, 0);
        QVERIFY(found.claimedBy.isEmpty());
        QCOMPARE(found.claimExpiresAtMs, qint64(0));
        QCOMPARE(found.recipients.size(), 2);
        QCOMPARE(found.recipients.at(1).address, QStringLiteral("rcpt1@example.net"));
        QCOMPARE(found.recipients.at(1).status, int(QueuedRecipient::Pending));
        QVERIFY(queue.find(batch.at(0).id).value().envelopeSender.isEmpty());

        VERIFY_OK(queue.remove(batch.at(1).id));
        QCOMPARE(queue.remove(batch.at(1).id).error(), QStringLiteral("no queued message %1").arg(batch.at(1).id));
        QVERIFY(!queue.find(batch.at(1).id).ok());
        QCOMPARE(queue.count().value(), 2);

        // A batch is all or nothing: a duplicate id rolls back the whole batch.
        QList<QueuedMessage> bad = { message(now), batch.at(0) };
        QVERIFY(!queue.enqueue(bad).ok());
        QCOMPARE(queue.count().value(), 2);
        QVERIFY(!queue.find(bad.at(0).id).ok());
        QueuedMessage badId = message(now);
        badId.id = QStringLiteral("../../etc/passwd");
        QVERIFY(!queue.enqueue({ badId }).ok());
        QVERIFY(QueueTable::newId() != QueueTable::newId());
    }

    void newIdsSortByTheirTime()
    {
        // The queue's indexes then grow at one end and shrink at the other (see newId()).
        const QString first = QueueTable::newId();
        QThread::msleep(2);
        const QString second = QueueTable::newId();
        QVERIFY(QueueTable::isValidId(first));
        QVERIFY(QueueTable::isValidId(second));
        QVERIFY2(first < second, qPrintable(first + QLatin1Char(' ') + second));
        const qint64 stampMs = first.left(12).toLongLong(nullptr, 16);
        QVERIFY(qAbs(stampMs - (QDateTime::currentMSecsSinceEpoch() & 0xffffffffffffLL)) < 1000);
        QSet<QString> randomParts; // the rest stays unguessable
        for (int i = 0; i < 1000; ++i)
            randomParts.insert(QueueTable::newId().mid(12));
        QCOMPARE(randomParts.size(), 1000);
    }

    void removesSeveralMessagesInOneCall_data() { addBackends(); }
    void removesSeveralMessagesInOneCall()
    {
        USE_BACKEND();
        QueueTable queue(*m_db);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<QueuedMessage> batch;
        for (int i = 0; i < 4; ++i)
            batch.append(message(now + i, 2));
        VERIFY_OK(queue.enqueue(batch));
        // An id no longer queued (another node's removal) does not hold the others back.
        VERIFY_OK(queue.remove(QStringList { batch.at(0).id, batch.at(2).id, QueueTable::newId() }));
        QCOMPARE(queue.count().value(), 2);
        QVERIFY(!queue.find(batch.at(0).id).ok());
        QVERIFY(!queue.find(batch.at(2).id).ok());
        QCOMPARE(queue.find(batch.at(1).id).value().recipients.size(), 2);
        QSqlQuery orphans(m_db->connection());
        QVERIFY(orphans.exec(QStringLiteral("SELECT COUNT(*) FROM queue_recipients")));
        QVERIFY(orphans.next());
        QCOMPARE(orphans.value(0).toInt(), 4); // the recipients of the two left
        VERIFY_OK(queue.remove(QStringList {}));
    }

    // What the metrics show of the queue: its size and its oldest message, on every backend.
    void queueStatsCountAndDateTheQueue_data() { addBackends(); }
    void queueStatsCountAndDateTheQueue()
    {
        USE_BACKEND();
        QueueTable queue(*m_db);
        QueueStats empty = queue.stats().value();
        QCOMPARE(empty.messages, qint64(0));
        QCOMPARE(empty.oldestCreatedAtMs, qint64(0));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QList<QueuedMessage> batch = { message(now - 5000, 1), message(now - 90000, 2), message(now, 1) };
        VERIFY_OK(queue.enqueue(batch));
        QueueStats stats = queue.stats().value();
        QCOMPARE(stats.messages, qint64(3));
        QCOMPARE(stats.oldestCreatedAtMs, now - 90000);
        VERIFY_OK(queue.remove(batch.at(1).id));
        stats = queue.stats().value();
        QCOMPARE(stats.messages, qint64(2));
        QCOMPARE(stats.oldestCreatedAtMs, now - 5000);
    }

    void queueDestinationsCountMessagesPerDomain_data() { addBackends(); }
    void queueDestinationsCountMessagesPerDomain()
    {
        USE_BACKEND();
        QueueTable queue(*m_db);
        QCOMPARE(queue.destinations(10).value().size(), 0);
        const qint64 now = 1700000000000;
        const auto addressed = [](QueuedMessage m, const QStringList &addresses, int deliveredIndex = -1) {
            m.recipients.clear();
            for (int i = 0; i < addresses.size(); ++i)
                m.recipients.append(
                    { addresses.at(i), i == deliveredIndex ? QueuedRecipient::Delivered : QueuedRecipient::Pending,
                        QString(), 0, QString(), false });
            return m;
        };
        // A local part holding '@' (quoted, RFC 5321 §4.1.2): the domain follows the last one.
        const QList<QueuedMessage> batch = {
            addressed(message(now - 1000),
                { QStringLiteral("a@b.example"), QStringLiteral("c@b.example"), QStringLiteral("d@a.example") }),
            addressed(message(now - 9000), { QStringLiteral("E@B.Example") }),
            addressed(message(now - 5000), { QStringLiteral("\"x@y\"@a.example"), QStringLiteral("f@c.example") }, 1),
            addressed(message(now - 2000), { QStringLiteral("g@d.example") }),
        };
        VERIFY_OK(queue.enqueue(batch));
        const QList<QueueDestination> all = queue.destinations(10).value();
        QStringList domains;
        for (const QueueDestination &destination : all)
            domains.append(destination.domain);
        // Most messages first, then by name; c.example's only recipient is delivered.
        QCOMPARE(domains,
            QStringList({ QStringLiteral("a.example"), QStringLiteral("b.example"), QStringLiteral("d.example") }));
        QCOMPARE(all.at(0).messages, qint64(2));
        QCOMPARE(all.at(0).recipients, qint64(2));
        QCOMPARE(all.at(0).oldestCreatedAtMs, now - 5000);
        QCOMPARE(all.at(1).messages, qint64(2));
        QCOMPARE(all.at(1).recipients, qint64(3));
        QCOMPARE(all.at(1).oldestCreatedAtMs, now - 9000);
        QCOMPARE(all.at(2).messages, qint64(1));
        QCOMPARE(queue.destinations(1).value().size(), 1);
        QVERIFY(!queue.destinations(0));
    }

    void claimTakesDueMessagesOnce_data() { addBackends(); }
    void claimTakesDueMessagesOnce()
    {
        USE_BACKEND();
        QueueTable queue(*m_db);
        const qint64 now = 1700000000000;
        QList<QueuedMessage> batch;
        for (int i = 0; i < 4; ++i)
            batch.append(message(now - 1000 + i));
        batch[3].nextAttemptAtMs = now + 60000; // not due yet
        VERIFY_OK(queue.enqueue(batch));

        const QList<QueuedMessage> a = queue.claimDue(QStringLiteral("node-a"), now, 30000, 2).value();
        QCOMPARE(a.size(), 2);
        QCOMPARE(a.at(0).id, batch.at(0).id);
        QCOMPARE(a.at(0).claimedBy, QStringLiteral("node-a"));
        QCOMPARE(a.at(0).claimExpiresAtMs, now + 30000);
        QCOMPARE(a.at(0).recipients.size(), 2);
        const QueuedMessage stored = queue.find(batch.at(0).id).value();
        QCOMPARE(stored.claimedBy, QStringLiteral("node-a"));
        QCOMPARE(stored.claimExpiresAtMs, now + 30000);

        Expected<Database> second = Database::open(*m_source, QStringLiteral("tst-node-b"));
        VERIFY_OK(second);
        QueueTable queueB(second.value());
        const QList<QueuedMessage> b = queueB.claimDue(QStringLiteral("node-b"), now + 10, 30000, 10).value();
        QCOMPARE(b.size(), 1);
        QCOMPARE(b.at(0).id, batch.at(2).id);
        QCOMPARE(queueB.claimDue(QStringLiteral("node-b"), now + 20, 30000, 10).value().size(), 0);

        // node-a dies: once its lease runs out, node-b takes its messages back.
        QCOMPARE(queueB.claimDue(QStringLiteral("node-b"), now + 29999, 30000, 10).value().size(), 0);
        const QList<QueuedMessage> taken = queueB.claimDue(QStringLiteral("node-b"), now + 30000, 30000, 10).value();
        QCOMPARE(taken.size(), 2);
        QCOMPARE(queue.find(batch.at(0).id).value().claimedBy, QStringLiteral("node-b"));

        // Release: the attempt is counted, recipients' statuses kept, due again later.
        QList<QueuedRecipient> statuses = taken.at(0).recipients;
        statuses[0].status = QueuedRecipient::Delivered;
        statuses[1].status = QueuedRecipient::Failed;
        statuses[1].lastError = QStringLiteral("550 5.1.1 no such user");
        VERIFY_OK(queueB.release(taken.at(0).id, now + 90000, QStringLiteral("451 try later"), statuses));
        const QueuedMessage released = queue.find(taken.at(0).id).value();
        QVERIFY(released.claimedBy.isEmpty());
        QCOMPARE(released.claimExpiresAtMs, qint64(0));
        QCOMPARE(released.attempts, 1);
        QCOMPARE(released.nextAttemptAtMs, now + 90000);
        QCOMPARE(released.lastError, QStringLiteral("451 try later"));
        QCOMPARE(released.recipients.at(0).status, int(QueuedRecipient::Delivered));
        QCOMPARE(released.recipients.at(1).status, int(QueuedRecipient::Failed));
        QCOMPARE(released.recipients.at(1).lastError, QStringLiteral("550 5.1.1 no such user"));
        // Just before its next attempt: everything else is due (expired leases, batch[3]).
        const QList<QueuedMessage> others = queueB.claimDue(QStringLiteral("node-b"), now + 89999, 30000, 10).value();
        QCOMPARE(others.size(), 3);
        for (const QueuedMessage &m : others)
            QVERIFY(m.id != taken.at(0).id);
        const QList<QueuedMessage> again = queueB.claimDue(QStringLiteral("node-b"), now + 90000, 30000, 10).value();
        QCOMPARE(again.size(), 1);
        QCOMPARE(again.at(0).id, taken.at(0).id);
        QCOMPARE(again.at(0).attempts, 1);
        QCOMPARE(queue.release(QStringLiteral("0000000000000000000000000000000000000000"), now, QString(), {}).error(),
            QStringLiteral("no queued message 0000000000000000000000000000000000000000"));
    }

    void retryMakesMessagesDue_data() { addBackends(); }
    void retryMakesMessagesDue()
    {
        USE_BACKEND();
        QueueTable queue(*m_db);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<QueuedMessage> batch;
        for (int i = 0; i < 3; ++i)
        {
            batch.append(message(now));
            batch.last().nextAttemptAtMs = now + 3600000;
        }
        VERIFY_OK(queue.enqueue(batch));
        QCOMPARE(queue.claimDue(QStringLiteral("n"), now, 1000, 10).value().size(), 0);
        VERIFY_OK(queue.retry(batch.at(1).id));
        QVERIFY(queue.find(batch.at(1).id).value().nextAttemptAtMs <= QDateTime::currentMSecsSinceEpoch());
        const QList<QueuedMessage> one
            = queue.claimDue(QStringLiteral("n"), QDateTime::currentMSecsSinceEpoch(), 60000, 10).value();
        QCOMPARE(one.size(), 1);
        QCOMPARE(one.at(0).id, batch.at(1).id);
        VERIFY_OK(queue.retry(batch.at(1).id)); // in flight: left to its node
        QCOMPARE(queue.find(batch.at(1).id).value().claimedBy, QStringLiteral("n"));
        QVERIFY(!queue.retry(QStringLiteral("0000000000000000000000000000000000000000")).ok());
        VERIFY_OK(queue.retryAll());
        QCOMPARE(queue.claimDue(QStringLiteral("n"), QDateTime::currentMSecsSinceEpoch(), 60000, 10).value().size(), 2);
    }

    void concurrentClaimsNeverOverlap_data() { addBackends(); }
    void concurrentClaimsNeverOverlap()
    {
        USE_BACKEND();
        QueueTable queue(*m_db);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<QueuedMessage> batch;
        const int total = 120;
        for (int i = 0; i < total; ++i)
            batch.append(message(now - total + i, 1));
        VERIFY_OK(queue.enqueue(batch));
        m_db.reset(); // each node works on its own connection

        struct Node
        {
            QString name;
            QStringList claimed;
            QString error;
        };
        Node nodes[2] = { { QStringLiteral("node-1"), {}, {} }, { QStringLiteral("node-2"), {}, {} } };
        const DbSource source = *m_source;
        // Both nodes connect first, then claim at the same time.
        std::atomic<int> ready { 0 };
        auto work = [&source, &ready, now](Node *node) {
            Expected<Database> db = Database::open(source, QStringLiteral("tst-") + node->name);
            ++ready;
            if (!db)
            {
                node->error = db.error();
                return;
            }
            while (ready.load() < 2)
                QThread::yieldCurrentThread();
            QueueTable table(db.value());
            for (int round = 0; round < 200; ++round)
            {
                const Expected<QList<QueuedMessage>> got = table.claimDue(node->name, now, 600000, 2);
                if (!got)
                {
                    node->error = got.error();
                    return;
                }
                for (const QueuedMessage &m : got.value())
                    node->claimed.append(m.id);
                if (got->isEmpty() && round > 5)
                    return;
                QThread::yieldCurrentThread();
            }
        };
        std::unique_ptr<QThread> first(QThread::create(work, &nodes[0]));
        std::unique_ptr<QThread> second(QThread::create(work, &nodes[1]));
        first->start();
        second->start();
        QVERIFY(first->wait(60000));
        QVERIFY(second->wait(60000));
        QVERIFY2(nodes[0].error.isEmpty(), qPrintable(nodes[0].error));
        QVERIFY2(nodes[1].error.isEmpty(), qPrintable(nodes[1].error));

        const QStringList all = nodes[0].claimed + nodes[1].claimed;
        const QSet<QString> unique(all.cbegin(), all.cend());
        QCOMPARE(unique.size(), all.size()); // never the same message twice
        QCOMPARE(all.size(), total); // and none left behind
        qInfo("node-1 claimed %lld, node-2 claimed %lld", qint64(nodes[0].claimed.size()),
            qint64(nodes[1].claimed.size()));

        Expected<Database> check = Database::open(*m_source, QStringLiteral("tst-check"));
        VERIFY_OK(check);
        QueueTable checkQueue(check.value());
        for (const Node &node : nodes)
        {
            for (const QString &id : node.claimed)
                QCOMPARE(checkQueue.find(id).value().claimedBy, node.name);
        }
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
