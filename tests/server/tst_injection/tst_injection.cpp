// Hostile values through every field the command line and the manager accept, against
// sqlite and, when test.sh provides them (TMAIL_TEST_PG_SOURCE / TMAIL_TEST_MYSQL_SOURCE),
// PostgreSQL and MariaDB. Each value is refused (exit 2, an error reply) and changes
// nothing — every table is read before and after — or, where it is a legitimate value,
// it is stored literally and no other row moves. Then what a client could inject into
// what tmail writes: tmail.cfg, a bounce quoting a remote reply, log lines.
#include "managertestclient.h"
#include "smtptestclient.h"
#include "testdatabases.h"
#include "testpeers.h"
#include "tmailprocess.h"

#include "config/config.h"
#include "config/configfile.h"
#include "config/dbsource.h"
#include "db/database.h"
#include "db/queuetable.h"
#include "db/secretbox.h"
#include "db/tables.h"
#include "manager/managerprotocol.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>

#include <map>
#include <memory>
#include <optional>

using namespace ManagerProtocol;

namespace {

// The database server of a backend, as test.sh exports it (empty for sqlite).
const char *sourceVariable(const QString &backend)
{
    if (backend == QLatin1String("postgres"))
        return "TMAIL_TEST_PG_SOURCE";
    if (backend == QLatin1String("mysql"))
        return "TMAIL_TEST_MYSQL_SOURCE";
    return nullptr;
}

// sqlite always, PostgreSQL and MariaDB when test.sh started them: rows are made only for
// those, and everyBackendIsExercised() says when one was left out.
QStringList backends()
{
    QStringList available = { QStringLiteral("sqlite3") };
    for (const QString &backend : { QStringLiteral("postgres"), QStringLiteral("mysql") })
    {
        if (!qEnvironmentVariableIsEmpty(sourceVariable(backend)))
            available.append(backend);
    }
    return available;
}

// The hostile values.
const QByteArray SqlDrop = "x'); DROP TABLE users;--";
const QByteArray SqlOr = "\" OR 1=1 --";
const QByteArray SqlQuoteOr = "' OR '1'='1";
const QByteArray Crlf = "canary.test\r\nBcc: x@evil.test";
const QByteArray NonUtf8 = "\xff\xfe.test";
const QByteArray LongDomain = QByteArray(60, 'a') + '.' + QByteArray(60, 'b') + '.' + QByteArray(60, 'c') + '.'
    + QByteArray(60, 'd') + '.' + QByteArray(60, 'e') + ".test"; // 300 characters of valid labels

// Domains (rcpthosts, routes' -d/-s/-rh): every one is refused before any SQL runs.
const QList<QByteArray> HostileDomains = { SqlDrop, SqlOr, SqlQuoteOr, "\\", "%", "_", "%.test", "_anary.test",
    "canary.test' --", Crlf, "canary.test\nlocal.canary.test", LongDomain, QByteArray(64, 'a') + ".test", NonUtf8 };
// A shorter list for fields that go through the same parser.
const QList<QByteArray> SomeHostileDomains = { SqlDrop, SqlQuoteOr, "%", "_anary.test", Crlf, LongDomain, NonUtf8 };
const QList<QByteArray> HostileLogins = { "x'); DROP TABLE users;--@canary.test", "\" OR 1=1 --@canary.test",
    "canary@canary.test' OR '1'='1", "' OR 1=1 --", "%", "%@%", "canary@canary.test\r\nBcc: x@evil.test",
    "canary@canary.test\nnorelay@canary.test", QByteArray(300, 'a') + "@canary.test", "\xff@canary.test" };
const QList<QByteArray> SomeHostileLogins = { "x'); DROP TABLE users;--@canary.test", "' OR 1=1 --", "%",
    "canary@canary.test\r\nBcc: x@evil.test", "\xff@canary.test" };
// Passwords and SMTP credentials: any text but control characters (NUL separates the
// fields of AUTH PLAIN) and bytes that are not UTF-8 (they would not be stored as typed).
const QList<QByteArray> HostilePasswords = { "a\r\nb", "pw\nBcc: x@evil.test", "\x01", "\xff\xfe" };
const QList<QByteArray> HostileRanges = { "192.0.2.7' OR '1'='1", "192.0.2.7; DROP TABLE relay_ips",
    "::1%x'); DROP TABLE relay_ips;--", "fe80::1%eth0", "192.0.2.0/24' --", "%", "_", "192.0.2.%",
    "192.0.2.7\r\nBcc: x@evil.test", "192.0.2.0/24\n10.0.0.0/8", QByteArray(300, '1'), "\xff.0.2.7" };
const QList<QByteArray> HostileQueueIds = { SqlQuoteOr, "@QUEUE@' OR '1'='1", "@QUEUE@;DROP TABLE queue_messages",
    QByteArray(40, '%'), QByteArray(40, '_'), QByteArray(40, 'g'), "@QUEUE@\n", "\xff" + QByteArray(39, 'a') };

// Everything tmail keeps, table by table, row by row, sorted: what "nothing changed"
// compares. The nodes table is the running daemons' heartbeat (start, beat and stop times,
// claims), written every few seconds whatever a client sends, so it is always left out.
// maskVolatile also hides the change serial and password hashes (a fresh salt on every
// write), for cases that write and then undo.
QString snapshot(Database &db, bool maskVolatile = false)
{
    QStringList lines;
    QStringList tables = db.connection().tables();
    tables.sort();
    lines.append(QStringLiteral("tables: ") + tables.join(QLatin1Char(',')));
    for (const QString &table : std::as_const(tables))
    {
        if (table.startsWith(QLatin1String("sqlite_")))
            continue; // SQLite's own bookkeeping (AUTOINCREMENT counters), not tmail's data
        if (table == QLatin1String("nodes"))
            continue;
        QSqlQuery query(db.connection());
        if (!query.exec(QStringLiteral("SELECT * FROM ") + table))
        {
            lines.append(table + QStringLiteral(": ") + query.lastError().text());
            continue;
        }
        QStringList rows;
        while (query.next())
        {
            const QSqlRecord record = query.record();
            QStringList cells;
            for (int i = 0; i < record.count(); ++i)
            {
                const QString name = record.fieldName(i);
                const bool masked = maskVolatile
                    && ((table == QLatin1String("meta") && name == QLatin1String("value"))
                        || name == QLatin1String("password_hash"));
                cells.append(name + QLatin1Char('=') + (masked ? QStringLiteral("*") : record.value(i).toString()));
            }
            rows.append(cells.join(QLatin1Char('|')));
        }
        rows.sort();
        lines.append(table + QStringLiteral(": ") + rows.join(QStringLiteral(" ; ")));
    }
    return lines.join(QLatin1Char('\n'));
}

// A readable, unique row name for a hostile value: its start, escaped, and its length.
QString rowLabel(const QByteArray &value)
{
    QString label = QString::fromLatin1(value.left(24).toPercentEncoding("'\" ;=%@()"));
    if (value.size() > 24)
        label += QStringLiteral("...(%1)").arg(value.size());
    return label;
}

bool isOk(const QJsonObject &response)
{
    return response.value(QStringLiteral("ok")).toBool();
}

QString errorCode(const QJsonObject &response)
{
    return response.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

QString errorField(const QJsonObject &response)
{
    return response.value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString();
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// One AUTH, as a client types it: the server's answer (the last line).
QString authPlain(SmtpTestClient &client, const QByteArray &login, const QByteArray &password)
{
    const QByteArray response = QByteArray(QByteArray(1, '\0') + login + QByteArray(1, '\0') + password).toBase64();
    return client.command(QStringLiteral("AUTH PLAIN ") + QString::fromLatin1(response), 15000);
}

// A next hop for deliverd: refuses every recipient whose address holds "refuse" with a
// scripted reply, accepts the others, and keeps each message it receives (envelope + data).
class ScriptedPeer : public QObject
{
public:
    explicit ScriptedPeer(const QByteArray &refusal) : m_refusal(refusal)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &ScriptedPeer::accept);
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    const QList<QByteArray> &messages() const { return m_messages; }

private:
    struct Session
    {
        QByteArray buffer;
        QByteArray envelope;
        QByteArray data;
        bool inData = false;
    };

    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection())
        {
            socket->setParent(this);
            socket->write("220 peer.test ESMTP\r\n");
            connect(socket, &QTcpSocket::readyRead, this, [this, socket]() { serve(socket); });
        }
    }

    void serve(QTcpSocket *socket)
    {
        Session &session = m_sessions[socket];
        session.buffer += socket->readAll();
        qsizetype end;
        while ((end = session.buffer.indexOf("\r\n")) >= 0)
        {
            const QByteArray line = session.buffer.left(end);
            session.buffer.remove(0, end + 2);
            if (session.inData)
            {
                if (line == ".")
                {
                    m_messages.append(session.envelope + "\n\n" + session.data);
                    session.inData = false;
                    socket->write("250 2.0.0 kept\r\n");
                }
                else
                {
                    session.data += (line.startsWith('.') ? line.mid(1) : line) + "\r\n";
                }
                continue;
            }
            const QByteArray verb = line.left(4).toUpper();
            if (verb == "EHLO" || verb == "HELO")
            {
                socket->write("250 peer.test\r\n");
            }
            else if (verb == "MAIL")
            {
                session.envelope = line;
                session.data.clear();
                socket->write("250 2.1.0 ok\r\n");
            }
            else if (verb == "RCPT")
            {
                if (line.contains("refuse"))
                {
                    socket->write(m_refusal);
                }
                else
                {
                    session.envelope += '\n' + line;
                    socket->write("250 2.1.5 ok\r\n");
                }
            }
            else if (verb == "DATA")
            {
                session.inData = true;
                socket->write("354 go on\r\n");
            }
            else if (verb == "QUIT")
            {
                socket->write("221 2.0.0 bye\r\n");
                socket->disconnectFromHost();
                return;
            }
            else
            {
                socket->write("250 2.0.0 ok\r\n");
            }
        }
    }

    QTcpServer m_server;
    QByteArray m_refusal;
    QHash<QTcpSocket *, Session> m_sessions;
    QList<QByteArray> m_messages;
};

} // namespace

// Every backend test starts with its fixture: a tmail directory and database holding the
// canary rows; a backend whose server test.sh did not provide is skipped.
#define USE_FIXTURE(backend, fixture)                                                                                  \
    Fixture *fixture = nullptr;                                                                                        \
    do                                                                                                                 \
    {                                                                                                                  \
        const QString problem_ = fixtureFor(backend, &fixture);                                                        \
        if (problem_.startsWith(QLatin1String("skip: ")))                                                              \
            TMAIL_REQUIRE_PEER(false, problem_.mid(6));                                                                \
        if (!problem_.isEmpty())                                                                                       \
            QFAIL(qPrintable(problem_));                                                                               \
    } while (false)

class TestInjection : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyBackendIsExercised();

    void commandLineRefusesHostileValues_data();
    void commandLineRefusesHostileValues();
    void commandLineStoresQuotedValuesLiterally_data() { addBackendRows(); }
    void commandLineStoresQuotedValuesLiterally();

    void managerRefusesHostileValues_data();
    void managerRefusesHostileValues();
    void managerStoresQuotedValuesLiterally_data() { addBackendRows(); }
    void managerStoresQuotedValuesLiterally();
    void managerRefusesTextThatIsNotUnicode_data() { addBackendRows(); }
    void managerRefusesTextThatIsNotUnicode();

    void configSetCannotAddALine_data();
    void configSetCannotAddALine();
    void configSetQuotesShellMetacharacters();

    void bounceQuotingClientAndRemoteTextInjectsNoHeader();
    void clientTextCannotForgeALogLine();

private:
    struct Fixture
    {
        std::unique_ptr<TmailEnvironment> env;
        std::optional<Database> db; // this test's own connection, for the snapshots
        QString queueId; // the canary message
        qint64 routeId = 0; // the canary route
        std::unique_ptr<QProcess> daemon;
        std::unique_ptr<ManagerTestClient> manager;
    };

    static void addBackendRows();
    QString fixtureFor(const QString &backend, Fixture **fixture);
    QString prepareFixture(const QString &backend, Fixture *fixture);
    QString startManagedDaemon(Fixture *fixture);
    TmailRun runTmail(Fixture *fixture, QByteArrayList args) const;
    QJsonValue substituted(const QJsonValue &value, const Fixture *fixture) const;

    std::map<QString, std::unique_ptr<Fixture>> m_fixtures;
    QHash<QString, QString> m_fixtureProblems;
};

void TestInjection::initTestCase()
{
    QVERIFY(QFileInfo::exists(TmailEnvironment::tmailBinary()));
}

void TestInjection::everyBackendIsExercised()
{
    const QStringList available = backends();
    if (available.size() < 3)
        TMAIL_REQUIRE_PEER(false,
            "PostgreSQL or MariaDB left out: TMAIL_TEST_PG_SOURCE / TMAIL_TEST_MYSQL_SOURCE not set "
            "(test.sh starts the servers with tests/helpers/dbservers.sh)");
    QCOMPARE(available.size(), 3);
}

void TestInjection::cleanupTestCase()
{
    for (auto &entry : m_fixtures)
    {
        Fixture &fixture = *entry.second;
        fixture.manager.reset();
        if (fixture.daemon && fixture.daemon->state() != QProcess::NotRunning)
        {
            fixture.daemon->terminate();
            if (!fixture.daemon->waitForFinished(15000))
                fixture.daemon->kill();
            fixture.daemon->waitForFinished(5000);
        }
    }
    m_fixtures.clear();
}

void TestInjection::addBackendRows()
{
    QTest::addColumn<QString>("backend");
    for (const QString &backend : backends())
        QTest::newRow(qPrintable(backend)) << backend;
}

QString TestInjection::fixtureFor(const QString &backend, Fixture **fixture)
{
    if (m_fixtureProblems.contains(backend))
        return m_fixtureProblems.value(backend);
    auto found = m_fixtures.find(backend);
    if (found == m_fixtures.end())
    {
        auto created = std::make_unique<Fixture>();
        const QString problem = prepareFixture(backend, created.get());
        if (!problem.isEmpty())
        {
            m_fixtureProblems.insert(backend, problem);
            return problem;
        }
        found = m_fixtures.emplace(backend, std::move(created)).first;
    }
    *fixture = found->second.get();
    return {};
}

// A fresh schema with the canary rows every case checks: two rcpthosts, two users, two
// relay IPs, a route with credentials and a queued message not due for an hour.
QString TestInjection::prepareFixture(const QString &backend, Fixture *fixture)
{
    fixture->env = std::make_unique<TmailEnvironment>();
    TmailEnvironment &env = *fixture->env;
    if (!env.isValid())
        return QStringLiteral("the test directory or its certificate could not be made");
    const char *variable = sourceVariable(backend);
    const QString source = variable ? qEnvironmentVariable(variable) : env.path(QStringLiteral("db/tmail.db"));
    if (source.isEmpty())
        return QStringLiteral("skip: %1 is not set (test.sh starts the servers with tests/helpers/dbservers.sh)")
            .arg(QLatin1String(variable));
    env.set(QStringLiteral("TMAIL_DB_DRIVER"), backend);
    env.set(QStringLiteral("TMAIL_DB_SOURCE"), source);
    env.set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(freeLoopbackPort()));
    env.set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(freeLoopbackPort()));

    const Expected<DbSource> parsed = DbSource::parse(backend, source, env.path(QString()));
    if (!parsed)
        return parsed.error();
    Expected<Database> opened = Database::open(parsed.value(), QStringLiteral("injection-") + backend);
    if (!opened)
        return opened.error();
    fixture->db.emplace(std::move(opened).value());
    // The servers are shared with other suites: start from nothing.
    const QString dropped = TestDatabases::dropAllTables(fixture->db->connection());
    if (!dropped.isEmpty())
        return dropped;

    const QList<QStringList> seed = {
        { QStringLiteral("db"), QStringLiteral("init") },
        { QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("canary.test") },
        { QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("-l"),
            QStringLiteral("local.canary.test") },
        { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("canary@canary.test"),
            QStringLiteral("canary-pw") },
        { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--no-relay"),
            QStringLiteral("norelay@canary.test"), QStringLiteral("norelay-pw") },
        { QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("192.0.2.0/24") },
        { QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("2001:db8::/32") },
    };
    for (const QStringList &args : seed)
    {
        const TmailRun run = env.run(args);
        if (run.exitCode != 0)
            return QStringLiteral("tmail %1: %2%3").arg(args.join(QLatin1Char(' ')), run.out, run.err);
    }
    const TmailRun route = env.run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
        QStringLiteral("canary.test"), QStringLiteral("-rh"), QStringLiteral("mx.canary.test"), QStringLiteral("-rp"),
        QStringLiteral("2525"), QStringLiteral("-p"), QStringLiteral("3"), QStringLiteral("-u"),
        QStringLiteral("canary-user"), QStringLiteral("-pw"), QStringLiteral("canary-secret"), QStringLiteral("-s"),
        QStringLiteral("sender.canary.test") });
    const QRegularExpressionMatch added = QRegularExpression(QStringLiteral("route (\\d+) added")).match(route.out);
    if (route.exitCode != 0 || !added.hasMatch())
        return QStringLiteral("tmail routes add: %1%2").arg(route.out, route.err);
    fixture->routeId = added.captured(1).toLongLong();

    QueuedMessage message;
    message.id = QueueTable::newId();
    message.envelopeSender = QStringLiteral("canary@canary.test");
    message.clientIp = QStringLiteral("192.0.2.7");
    message.helo = QStringLiteral("client.canary.test");
    message.sizeBytes = 42;
    message.storeKey = message.id.left(2) + QLatin1Char('/') + message.id;
    message.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    message.nextAttemptAtMs = message.createdAtMs + 3600 * 1000; // a running deliverd leaves it alone
    message.recipients = { QueuedRecipient {
        QStringLiteral("rcpt@canary.test"), QueuedRecipient::Pending, QString(), 0, QString(), false } };
    QueueTable queue(*fixture->db);
    const Status queued = queue.enqueue({ message });
    if (!queued)
        return queued.error();
    fixture->queueId = message.id;
    return {};
}

// The real binary on this fixture's database, reading conf/tmail.cfg (so that config.set
// has a file to rewrite), with a manager client that has said hello.
QString TestInjection::startManagedDaemon(Fixture *fixture)
{
    if (fixture->manager)
        return {};
    TmailEnvironment &env = *fixture->env;
    Expected<ConfigFile> config = ConfigFile::read(QStringLiteral(TMAIL_SOURCE_DIR "/resources/tmail.cfg.base"));
    if (!config)
        return config.error();
    QHash<QString, QString> values;
    QProcessEnvironment environment;
    const QProcessEnvironment current = env.environment();
    for (const QString &name : current.keys())
    {
        if (name.startsWith(QLatin1String("TMAIL_")))
            values.insert(name, current.value(name));
        else
            environment.insert(name, current.value(name));
    }
    // The canary message's body key is a disk store path; the base file says database.
    if (!values.contains(QStringLiteral("TMAIL_STORE_DRIVER")))
        values.insert(QStringLiteral("TMAIL_STORE_DRIVER"), QStringLiteral("disk"));
    QDir().mkpath(env.path(QStringLiteral("conf")));
    const QString configPath = env.path(QStringLiteral("conf/tmail.cfg"));
    Status written;
    for (auto it = values.cbegin(); it != values.cend() && written; ++it)
        written = config.value().set(it.key(), it.value());
    if (written)
        written = config->write(configPath);
    if (!written)
        return written.error();

    fixture->daemon = std::make_unique<QProcess>();
    fixture->daemon->setProcessEnvironment(environment);
    fixture->daemon->setWorkingDirectory(env.path(QString()));
    fixture->daemon->setStandardOutputFile(env.path(QStringLiteral("daemon.log")));
    fixture->daemon->setStandardErrorFile(env.path(QStringLiteral("daemon.log")), QIODevice::Append);
    fixture->daemon->start(TmailEnvironment::tmailBinary(), { QStringLiteral("--config"), configPath });
    const QString socket = values.value(QStringLiteral("TMAIL_MANAGER_SOCKET"));
    const bool serving = fixture->daemon->waitForStarted(10000)
        && QTest::qWaitFor(
            [&]() { return QFileInfo::exists(socket) || fixture->daemon->state() == QProcess::NotRunning; }, 20000)
        && QFileInfo::exists(socket);
    if (!serving)
        return QStringLiteral("tmail did not serve its manager socket: %1")
            .arg(QString::fromUtf8(fileBytes(env.path(QStringLiteral("daemon.log")))));
    auto manager = std::make_unique<ManagerTestClient>();
    if (manager->handshake(socket).value(QStringLiteral("type")).toString() != Type::Hello)
        return QStringLiteral("the manager handshake failed");
    fixture->manager = std::move(manager);
    return {};
}

// `tmail ARGS…` on the fixture; @QUEUE@ and @ROUTE@ stand for the canary message and route.
TmailRun TestInjection::runTmail(Fixture *fixture, QByteArrayList args) const
{
    QStringList text;
    bool utf8 = true;
    for (QByteArray &arg : args)
    {
        arg.replace("@QUEUE@", fixture->queueId.toLatin1());
        arg.replace("@ROUTE@", QByteArray::number(fixture->routeId));
        const QString decoded = QString::fromUtf8(arg);
        utf8 = utf8 && decoded.toUtf8() == arg;
        text.append(decoded);
    }
    if (utf8)
        return fixture->env->run(text);
    // QProcess passes QStrings: bytes that are not UTF-8 reach tmail through sh and printf.
    QString script = QStringLiteral("exec \"$INJECTION_TMAIL\"");
    for (const QByteArray &arg : std::as_const(args))
    {
        script += QStringLiteral(" \"$(printf '");
        for (const char c : arg)
            script += QStringLiteral("\\%1").arg(uint(uchar(c)), 3, 8, QLatin1Char('0'));
        script += QStringLiteral("')\"");
    }
    QProcessEnvironment environment = fixture->env->environment();
    environment.insert(QStringLiteral("INJECTION_TMAIL"), TmailEnvironment::tmailBinary());
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(fixture->env->path(QString()));
    process.start(QStringLiteral("/bin/sh"), { QStringLiteral("-c"), script });
    TmailRun result;
    if (!process.waitForStarted(10000))
        return result;
    process.closeWriteChannel();
    if (!process.waitForFinished(60000))
    {
        process.kill();
        process.waitForFinished(5000);
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

// "@ROUTE@" becomes the canary route's id (a number), "@QUEUE@" inside a string its message id.
QJsonValue TestInjection::substituted(const QJsonValue &value, const Fixture *fixture) const
{
    if (value.isString())
    {
        if (value.toString() == QLatin1String("@ROUTE@"))
            return double(fixture->routeId);
        return value.toString().replace(QStringLiteral("@QUEUE@"), fixture->queueId);
    }
    if (value.isArray())
    {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(substituted(item, fixture));
        return array;
    }
    if (value.isObject())
    {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = substituted(it.value(), fixture);
        return object;
    }
    return value;
}

// ---- the command line

void TestInjection::commandLineRefusesHostileValues_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QByteArrayList>("args");
    QTest::addColumn<int>("exitCode");
    QList<std::tuple<QString, QByteArrayList, int>> cases;
    const auto add = [&cases](const QString &name, const QByteArrayList &args, int exitCode = 2) {
        cases.append({ name, args, exitCode });
    };
    const auto label = [](const QByteArray &value) { return rowLabel(value); };

    for (const QByteArray &domain : HostileDomains)
    {
        add(QStringLiteral("rcpthost add ") + label(domain), { "rcpthost", "add", domain });
        add(QStringLiteral("rcpthost del ") + label(domain), { "rcpthost", "del", domain });
        add(QStringLiteral("routes -d ") + label(domain), { "routes", "add", "-d", domain, "-rh", "mx.new.test" });
        add(QStringLiteral("routes -rh ") + label(domain), { "routes", "add", "-d", "new.test", "-rh", domain });
    }
    for (const QByteArray &domain : SomeHostileDomains)
    {
        add(QStringLiteral("rcpthost add -l ") + label(domain), { "rcpthost", "add", "-l", domain });
        add(QStringLiteral("smtpd addRcpthost ") + label(domain), { "smtpd", "addRcpthost", domain });
        add(QStringLiteral("smtpd delRcpthost ") + label(domain), { "smtpd", "delRcpthost", domain });
        add(QStringLiteral("routes -s ") + label(domain),
            { "routes", "add", "-d", "new.test", "-rh", "mx.new.test", "-s", domain });
    }
    for (const QByteArray &host : { QByteArray("::1%x'); DROP TABLE routes;--"), QByteArray("::1%\r\nBcc: x@evil.test"),
             QByteArray("fe80::1%eth0"), QByteArray("mx.new.test:25"), QByteArray("192.0.2.0/24") })
        add(QStringLiteral("routes -rh ") + label(host), { "routes", "add", "-d", "new.test", "-rh", host });

    for (const QByteArray &login : HostileLogins)
    {
        add(QStringLiteral("user add ") + label(login), { "user", "add", login, "pw" });
        add(QStringLiteral("user del ") + label(login), { "user", "del", login });
        add(QStringLiteral("user passwd ") + label(login), { "user", "passwd", login, "pw" });
    }
    for (const QByteArray &login : SomeHostileLogins)
    {
        add(QStringLiteral("smtpd addUser ") + label(login), { "smtpd", "addUser", login, "pw" });
        add(QStringLiteral("smtpd delUser ") + label(login), { "smtpd", "delUser", login });
        add(QStringLiteral("routes -a ") + label(login),
            { "routes", "add", "-d", "new.test", "-rh", "mx.new.test", "-a", login });
    }
    // Valid addresses that only a LIKE would match: no such user, nothing deleted.
    for (const QByteArray &login : { QByteArray("%@canary.test"), QByteArray("_anary@canary.test"),
             QByteArray("canary%@canary.test"), QByteArray("%@%.test") })
    {
        const int exitCode = login.contains("%.") ? 2 : 1;
        add(QStringLiteral("user del wildcard ") + label(login), { "user", "del", login }, exitCode);
        add(QStringLiteral("user passwd wildcard ") + label(login), { "user", "passwd", login, "pw" }, exitCode);
        add(QStringLiteral("smtpd delUser wildcard ") + label(login), { "smtpd", "delUser", login }, exitCode);
    }
    for (const QByteArray &password : HostilePasswords)
    {
        add(QStringLiteral("user add password ") + label(password), { "user", "add", "new@canary.test", password });
        add(QStringLiteral("user passwd password ") + label(password),
            { "user", "passwd", "canary@canary.test", password });
        add(QStringLiteral("smtpd addUser password ") + label(password),
            { "smtpd", "addUser", "new@canary.test", password });
        add(QStringLiteral("routes -pw ") + label(password),
            { "routes", "add", "-d", "new.test", "-rh", "mx.new.test", "-u", "user", "-pw", password });
        add(QStringLiteral("routes -u ") + label(password),
            { "routes", "add", "-d", "new.test", "-rh", "mx.new.test", "-u", password, "-pw", "pw" });
    }
    // The credentials of a route are bounded (the user column is 320 characters on MySQL).
    add(QStringLiteral("routes -u over-long"),
        { "routes", "add", "-d", "new.test", "-rh", "mx.new.test", "-u", QByteArray(321, 'u'), "-pw", "pw" });
    add(QStringLiteral("routes -pw over-long"),
        { "routes", "add", "-d", "new.test", "-rh", "mx.new.test", "-u", "user", "-pw", QByteArray(1025, 'p') });

    for (const QByteArray &range : HostileRanges)
    {
        add(QStringLiteral("relayip add ") + label(range), { "relayip", "add", range });
        add(QStringLiteral("relayip del ") + label(range), { "relayip", "del", range });
    }
    for (const QByteArray &port : { QByteArray("25; DROP TABLE routes"), QByteArray("25' OR '1'='1"), QByteArray("-1"),
             QByteArray("0x19"), QByteArray("99999999999999999999"), QByteArray("%"), QByteArray("25\nBcc: x") })
        add(QStringLiteral("routes -rp ") + label(port),
            { "routes", "add", "-d", "new.test", "-rh", "mx.new.test", "-rp", port });
    for (const QByteArray &priority :
        { QByteArray("1 OR 1=1"), QByteArray("1; DROP TABLE routes"), QByteArray("-5"), QByteArray("%") })
        add(QStringLiteral("routes -p ") + label(priority),
            { "routes", "add", "-d", "new.test", "-rh", "mx.new.test", "-p", priority });
    for (const QByteArray &localIps : { QByteArray("127.0.0.1' OR '1'='1"), QByteArray("::1%x'); DROP TABLE routes;--"),
             QByteArray("127.0.0.1\n10.0.0.1"), QByteArray("%"), QByteArray("\xff.0.0.1") })
        add(QStringLiteral("routes -l ") + label(localIps),
            { "routes", "add", "-d", "new.test", "-rh", "mx.new.test", "-l", localIps });
    for (const QByteArray &id :
        { QByteArray("1 OR 1=1"), QByteArray("1; DROP TABLE routes"), QByteArray("@ROUTE@ OR 1=1"),
            QByteArray("@ROUTE@'"), QByteArray("%"), QByteArray("-1"), QByteArray("0"), QByteArray("@ROUTE@\nDROP") })
        add(QStringLiteral("routes del ") + label(id), { "routes", "del", id });

    for (const QByteArray &id : HostileQueueIds)
    {
        for (const char *sub : { "show", "discard", "bounce", "retry" })
            add(QStringLiteral("queue %1 %2").arg(QLatin1String(sub), label(id)), { "queue", sub, id });
    }

    for (const QString &backend : backends())
    {
        for (const auto &[name, args, exitCode] : std::as_const(cases))
            QTest::newRow(qPrintable(backend + QStringLiteral(": ") + name)) << backend << args << exitCode;
    }
}

void TestInjection::commandLineRefusesHostileValues()
{
    QFETCH(QString, backend);
    QFETCH(QByteArrayList, args);
    QFETCH(int, exitCode);
    USE_FIXTURE(backend, fixture);
    const QString before = snapshot(*fixture->db);
    const TmailRun run = runTmail(fixture, args);
    QVERIFY2(run.exitCode == exitCode,
        qPrintable(
            QStringLiteral("exit %1 (expected %2): %3%4").arg(run.exitCode).arg(exitCode).arg(run.out, run.err)));
    QVERIFY2(run.err.startsWith(QLatin1String("tmail: ")), qPrintable(run.err));
    QCOMPARE(snapshot(*fixture->db), before);
}

void TestInjection::commandLineStoresQuotedValuesLiterally()
{
    QFETCH(QString, backend);
    USE_FIXTURE(backend, fixture);
    Database &db = *fixture->db;
    const QString original = snapshot(db, true);
    const auto tmail = [this, fixture](const QByteArrayList &args) { return runTmail(fixture, args).exitCode; };
    const auto authenticates = [&db](const QString &login, const QString &password) {
        const Expected<std::optional<User>> user = UserTable(db).authenticate(login, password);
        return user && user.value().has_value();
    };
    const auto loginsNow = [&db]() {
        QStringList logins;
        const Expected<QList<User>> users = UserTable(db).list();
        for (const User &user : users.value())
            logins.append(user.login.toString());
        logins.sort();
        return logins;
    };

    // A quoted local part full of SQL, and a password of SQL: stored as typed.
    const QString login = QStringLiteral("\"x' OR 1=1;--\"@canary.test");
    const QString password = QStringLiteral("x'); DROP TABLE users;--\\%_\"`$(id)");
    QCOMPARE(tmail({ "user", "add", login.toUtf8(), password.toUtf8() }), 0);
    QCOMPARE(loginsNow(),
        (QStringList { login, QStringLiteral("canary@canary.test"), QStringLiteral("norelay@canary.test") }));
    QVERIFY(authenticates(login, password));
    QVERIFY(!authenticates(login, QStringLiteral("x")));
    QVERIFY(authenticates(QStringLiteral("canary@canary.test"), QStringLiteral("canary-pw")));

    // '%' and '_' are ordinary characters of a local part: no pattern matches others.
    QCOMPARE(tmail({ "user", "add", "o'brien%_@canary.test", "pw%_" }), 0);
    const QString withWildcards = snapshot(db);
    for (const QByteArray &pattern : { QByteArray("%@canary.test"), QByteArray("_'brien%_@canary.test"),
             QByteArray("o'brien%@canary.test"), QByteArray("o'brien__@canary.test") })
        QCOMPARE(tmail({ "user", "del", pattern }), 1);
    QCOMPARE(snapshot(db), withWildcards);
    QCOMPARE(tmail({ "user", "del", "o'brien%_@canary.test" }), 0);
    QCOMPARE(tmail({ "smtpd", "delUser", login.toUtf8() }), 0);

    // A new password of SQL changes that user's hash and nothing else.
    const QString sqlPassword = QStringLiteral("'; UPDATE users SET password_hash='';--");
    QCOMPARE(tmail({ "user", "passwd", "canary@canary.test", sqlPassword.toUtf8() }), 0);
    QVERIFY(authenticates(QStringLiteral("canary@canary.test"), sqlPassword));
    QVERIFY(!authenticates(QStringLiteral("canary@canary.test"), QStringLiteral("canary-pw")));
    QVERIFY(authenticates(QStringLiteral("norelay@canary.test"), QStringLiteral("norelay-pw")));
    QCOMPARE(tmail({ "user", "passwd", "canary@canary.test", "canary-pw" }), 0);

    // A long password with every quote is a password like any other.
    const QString longPassword = QString(4000, QLatin1Char('\'')) + QStringLiteral("\"\\;--");
    QCOMPARE(tmail({ "smtpd", "addUser", "\"a' OR 'b\"@canary.test", longPassword.toUtf8() }), 0);
    QVERIFY(authenticates(QStringLiteral("\"a' OR 'b\"@canary.test"), longPassword));
    QCOMPARE(tmail({ "smtpd", "delUser", "\"a' OR 'b\"@canary.test" }), 0);

    // A route whose free-text fields are SQL: stored literally, the canary route untouched.
    const QString smtpUser = QStringLiteral("u' OR '1'='1");
    const QString smtpPassword = QStringLiteral("p'); DROP TABLE routes;--\\%_");
    const TmailRun added = runTmail(fixture,
        { "routes", "add", "-d", "new.test", "-rh", "MX.New.Test", "-u", smtpUser.toUtf8(), "-pw",
            smtpPassword.toUtf8(), "-s", "sender.new.test", "-a", "\"o'brien\"@canary.test", "-l",
            "127.0.0.1|127.0.0.2" });
    QCOMPARE(added.exitCode, 0);
    const qint64 newId
        = QRegularExpression(QStringLiteral("route (\\d+) added")).match(added.out).captured(1).toLongLong();
    QVERIFY(newId > 0);
    // The route passwords were sealed with the key file of this fixture's tmail.
    SecretBox::setKeyFile(fixture->env->path(QStringLiteral("conf/secret.key")));
    const Expected<QList<Route>> routes = RouteTable(db).list();
    QVERIFY(routes);
    QCOMPARE(routes->size(), 2);
    for (const Route &route : routes.value())
    {
        if (route.id == newId)
        {
            QCOMPARE(route.recipientDomain.name(), QStringLiteral("new.test"));
            QCOMPARE(route.remoteHost, QStringLiteral("mx.new.test"));
            QCOMPARE(route.smtpUser, smtpUser);
            QCOMPARE(route.smtpPassword, smtpPassword);
            QCOMPARE(route.senderDomain, QStringLiteral("sender.new.test"));
            QCOMPARE(route.authUser, QStringLiteral("\"o'brien\"@canary.test"));
            QCOMPARE(route.localIps, QStringLiteral("127.0.0.1|127.0.0.2"));
        }
        else
        {
            QCOMPARE(route.id, fixture->routeId);
            QCOMPARE(route.smtpUser, QStringLiteral("canary-user"));
            QCOMPARE(route.smtpPassword, QStringLiteral("canary-secret"));
            QCOMPARE(route.remoteHost, QStringLiteral("mx.canary.test"));
        }
    }
    QCOMPARE(tmail({ "routes", "del", QByteArray::number(newId) }), 0);

    QCOMPARE(snapshot(db, true), original);
}

// ---- the manager

void TestInjection::managerRefusesHostileValues_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field"); // empty: not checked
    struct Case
    {
        QString name;
        QString method;
        QJsonObject params;
        QString code;
        QString field;
    };
    QList<Case> cases;
    const auto text = [](const QByteArray &value) { return QString::fromUtf8(value); };
    const auto label = [](const QString &value) { return rowLabel(value.toUtf8()); };
    const QString invalid = QStringLiteral("invalid_param");
    const QString notFound = QStringLiteral("not_found");
    const QString nul = QString(QChar(u'\0'));

    QStringList domains;
    for (const QByteArray &domain : HostileDomains)
        domains.append(text(domain));
    domains << QStringLiteral("canary.test") + nul + QStringLiteral("evil") << QString(100000, QLatin1Char('a'));
    for (const QString &domain : std::as_const(domains))
    {
        cases.append({ QStringLiteral("rcpthosts.add ") + label(domain), Method::RcptHostsAdd,
            { { QStringLiteral("domain"), domain } }, invalid, QStringLiteral("domain") });
        cases.append({ QStringLiteral("rcpthosts.delete ") + label(domain), Method::RcptHostsDelete,
            { { QStringLiteral("domain"), domain } }, invalid, QStringLiteral("domain") });
        cases.append({ QStringLiteral("routes.add recipientDomain ") + label(domain), Method::RoutesAdd,
            { { QStringLiteral("recipientDomain"), domain },
                { QStringLiteral("remoteHost"), QStringLiteral("mx.new.test") } },
            invalid, QStringLiteral("recipientDomain") });
        cases.append({ QStringLiteral("routes.add senderDomain ") + label(domain), Method::RoutesAdd,
            { { QStringLiteral("recipientDomain"), QStringLiteral("new.test") },
                { QStringLiteral("remoteHost"), QStringLiteral("mx.new.test") },
                { QStringLiteral("senderDomain"), domain } },
            invalid, QStringLiteral("senderDomain") });
    }
    const QList<QJsonValue> notStrings = { 12, QJsonArray { QStringLiteral("canary.test") },
        QJsonObject { { QStringLiteral("$ne"), QString() } }, true };
    for (const QJsonValue &value : notStrings)
    {
        const QString name = QString::fromUtf8(QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact));
        cases.append({ QStringLiteral("rcpthosts.add type ") + name, Method::RcptHostsAdd,
            { { QStringLiteral("domain"), value } }, invalid, QStringLiteral("domain") });
        cases.append({ QStringLiteral("users.delete type ") + name, Method::UsersDelete,
            { { QStringLiteral("login"), value } }, invalid, QStringLiteral("login") });
        cases.append({ QStringLiteral("users.add password type ") + name, Method::UsersAdd,
            { { QStringLiteral("login"), QStringLiteral("new@canary.test") }, { QStringLiteral("password"), value } },
            invalid, QStringLiteral("password") });
        cases.append({ QStringLiteral("relayips.add type ") + name, Method::RelayIpsAdd,
            { { QStringLiteral("range"), value } }, invalid, QStringLiteral("range") });
    }
    // A boolean given as text is a mistake, not a default (mayRelay "false" once meant true).
    cases.append({ QStringLiteral("rcpthosts.add local as text"), Method::RcptHostsAdd,
        { { QStringLiteral("domain"), QStringLiteral("new.test") },
            { QStringLiteral("local"), QStringLiteral("true; DROP") } },
        invalid, QStringLiteral("local") });
    cases.append({ QStringLiteral("users.add mayRelay as text"), Method::UsersAdd,
        { { QStringLiteral("login"), QStringLiteral("new@canary.test") },
            { QStringLiteral("password"), QStringLiteral("pw") },
            { QStringLiteral("mayRelay"), QStringLiteral("false") } },
        invalid, QStringLiteral("mayRelay") });
    cases.append({ QStringLiteral("queue.retry all as text"), Method::QueueRetry,
        { { QStringLiteral("all"), QStringLiteral("true") } }, invalid, QString() });

    QStringList logins;
    for (const QByteArray &login : HostileLogins)
        logins.append(text(login));
    logins << QStringLiteral("canary@canary.test") + nul;
    for (const QString &login : std::as_const(logins))
    {
        cases.append({ QStringLiteral("users.add login ") + label(login), Method::UsersAdd,
            { { QStringLiteral("login"), login }, { QStringLiteral("password"), QStringLiteral("pw") } }, invalid,
            QStringLiteral("login") });
        cases.append({ QStringLiteral("users.delete login ") + label(login), Method::UsersDelete,
            { { QStringLiteral("login"), login } }, invalid, QStringLiteral("login") });
        cases.append({ QStringLiteral("users.setPassword login ") + label(login), Method::UsersSetPassword,
            { { QStringLiteral("login"), login }, { QStringLiteral("password"), QStringLiteral("pw") } }, invalid,
            QStringLiteral("login") });
        cases.append({ QStringLiteral("routes.add authUser ") + label(login), Method::RoutesAdd,
            { { QStringLiteral("recipientDomain"), QStringLiteral("new.test") },
                { QStringLiteral("remoteHost"), QStringLiteral("mx.new.test") },
                { QStringLiteral("authUser"), login } },
            invalid, QStringLiteral("authUser") });
    }
    for (const char *login : { "%@canary.test", "_anary@canary.test", "canary%@canary.test" })
    {
        cases.append({ QStringLiteral("users.delete wildcard ") + QLatin1String(login), Method::UsersDelete,
            { { QStringLiteral("login"), QLatin1String(login) } }, notFound, QString() });
        cases.append({ QStringLiteral("users.setPassword wildcard ") + QLatin1String(login), Method::UsersSetPassword,
            { { QStringLiteral("login"), QLatin1String(login) }, { QStringLiteral("password"), QStringLiteral("pw") } },
            notFound, QString() });
    }
    const QStringList passwords = { QStringLiteral("a\r\nb"), QStringLiteral("pw\nBcc: x@evil.test"),
        QStringLiteral("p") + nul + QStringLiteral("w"), QStringLiteral("\x01") };
    for (const QString &password : passwords)
    {
        cases.append({ QStringLiteral("users.add password ") + label(password), Method::UsersAdd,
            { { QStringLiteral("login"), QStringLiteral("new@canary.test") },
                { QStringLiteral("password"), password } },
            invalid, QStringLiteral("password") });
        cases.append({ QStringLiteral("users.setPassword password ") + label(password), Method::UsersSetPassword,
            { { QStringLiteral("login"), QStringLiteral("canary@canary.test") },
                { QStringLiteral("password"), password } },
            invalid, QStringLiteral("password") });
        cases.append({ QStringLiteral("routes.add smtpPassword ") + label(password), Method::RoutesAdd,
            { { QStringLiteral("recipientDomain"), QStringLiteral("new.test") },
                { QStringLiteral("remoteHost"), QStringLiteral("mx.new.test") },
                { QStringLiteral("smtpUser"), QStringLiteral("u") }, { QStringLiteral("smtpPassword"), password } },
            invalid, QStringLiteral("smtpPassword") });
        cases.append({ QStringLiteral("routes.add smtpUser ") + label(password), Method::RoutesAdd,
            { { QStringLiteral("recipientDomain"), QStringLiteral("new.test") },
                { QStringLiteral("remoteHost"), QStringLiteral("mx.new.test") },
                { QStringLiteral("smtpUser"), password }, { QStringLiteral("smtpPassword"), QStringLiteral("pw") } },
            invalid, QStringLiteral("smtpUser") });
        cases.append({ QStringLiteral("routes.update smtpPassword ") + label(password), Method::RoutesUpdate,
            { { QStringLiteral("id"), QStringLiteral("@ROUTE@") }, { QStringLiteral("smtpPassword"), password } },
            invalid, QStringLiteral("smtpPassword") });
    }
    cases.append({ QStringLiteral("routes.add smtpUser over-long"), Method::RoutesAdd,
        { { QStringLiteral("recipientDomain"), QStringLiteral("new.test") },
            { QStringLiteral("remoteHost"), QStringLiteral("mx.new.test") },
            { QStringLiteral("smtpUser"), QString(321, u'u') },
            { QStringLiteral("smtpPassword"), QStringLiteral("pw") } },
        invalid, QStringLiteral("smtpUser") });
    cases.append({ QStringLiteral("routes.update smtpPassword over-long"), Method::RoutesUpdate,
        { { QStringLiteral("id"), QStringLiteral("@ROUTE@") },
            { QStringLiteral("smtpPassword"), QString(1025, u'p') } },
        invalid, QStringLiteral("smtpPassword") });

    QStringList ranges;
    for (const QByteArray &range : HostileRanges)
        ranges.append(text(range));
    ranges << QStringLiteral("192.0.2.0/24") + nul;
    for (const QString &range : std::as_const(ranges))
    {
        cases.append({ QStringLiteral("relayips.add ") + label(range), Method::RelayIpsAdd,
            { { QStringLiteral("range"), range } }, invalid, QStringLiteral("range") });
        cases.append({ QStringLiteral("relayips.delete ") + label(range), Method::RelayIpsDelete,
            { { QStringLiteral("range"), range } }, invalid, QStringLiteral("range") });
    }

    QStringList hosts = domains;
    hosts << QStringLiteral("::1%x'); DROP TABLE routes;--") << QStringLiteral("::1%\r\nBcc: x@evil.test")
          << QStringLiteral("fe80::1%eth0") << QStringLiteral("mx.new.test:25") << QStringLiteral("192.0.2.0/24");
    for (const QString &host : std::as_const(hosts))
    {
        cases.append({ QStringLiteral("routes.add remoteHost ") + label(host), Method::RoutesAdd,
            { { QStringLiteral("recipientDomain"), QStringLiteral("new.test") },
                { QStringLiteral("remoteHost"), host } },
            invalid, QStringLiteral("remoteHost") });
        cases.append({ QStringLiteral("routes.update remoteHost ") + label(host), Method::RoutesUpdate,
            { { QStringLiteral("id"), QStringLiteral("@ROUTE@") }, { QStringLiteral("remoteHost"), host } }, invalid,
            QStringLiteral("remoteHost") });
    }
    const QList<QJsonValue> badNumbers
        = { QStringLiteral("25; DROP TABLE routes"), QStringLiteral("25"), 25.5, -1, 70000, 1e300, QJsonArray { 25 } };
    for (const QJsonValue &number : badNumbers)
    {
        const QString name = QString::fromUtf8(QJsonDocument(QJsonArray { number }).toJson(QJsonDocument::Compact));
        cases.append({ QStringLiteral("routes.add remotePort ") + name, Method::RoutesAdd,
            { { QStringLiteral("recipientDomain"), QStringLiteral("new.test") },
                { QStringLiteral("remoteHost"), QStringLiteral("mx.new.test") },
                { QStringLiteral("remotePort"), number } },
            invalid, QStringLiteral("remotePort") });
        cases.append({ QStringLiteral("routes.add priority ") + name, Method::RoutesAdd,
            { { QStringLiteral("recipientDomain"), QStringLiteral("new.test") },
                { QStringLiteral("remoteHost"), QStringLiteral("mx.new.test") },
                { QStringLiteral("priority"), number == QJsonValue(70000) ? QJsonValue(2000000) : number } },
            invalid, QStringLiteral("priority") });
        cases.append({ QStringLiteral("routes.update remotePort ") + name, Method::RoutesUpdate,
            { { QStringLiteral("id"), QStringLiteral("@ROUTE@") }, { QStringLiteral("remotePort"), number } }, invalid,
            QStringLiteral("remotePort") });
        cases.append({ QStringLiteral("queue.list limit ") + name, Method::QueueList,
            { { QStringLiteral("limit"), number } }, invalid, QStringLiteral("limit") });
    }
    for (const QString &localIps :
        { QStringLiteral("127.0.0.1' OR '1'='1"), QStringLiteral("::1%x'); DROP TABLE routes;--"),
            QStringLiteral("127.0.0.1\n10.0.0.1"), QStringLiteral("%"), QString(QStringLiteral("127.0.0.1") + nul) })
    {
        cases.append({ QStringLiteral("routes.add localIps ") + label(localIps), Method::RoutesAdd,
            { { QStringLiteral("recipientDomain"), QStringLiteral("new.test") },
                { QStringLiteral("remoteHost"), QStringLiteral("mx.new.test") },
                { QStringLiteral("localIps"), localIps } },
            invalid, QStringLiteral("localIps") });
    }
    const QList<QJsonValue> badIds = { QStringLiteral("1 OR 1=1"), QStringLiteral("@ROUTE@ OR 1=1"), -1, 0, 1.5, 1e300,
        QJsonArray { QStringLiteral("@ROUTE@") } };
    for (const QJsonValue &id : badIds)
    {
        const QString name = QString::fromUtf8(QJsonDocument(QJsonArray { id }).toJson(QJsonDocument::Compact));
        cases.append({ QStringLiteral("routes.delete id ") + name, Method::RoutesDelete,
            { { QStringLiteral("id"), id } }, invalid, QStringLiteral("id") });
        cases.append({ QStringLiteral("routes.update id ") + name, Method::RoutesUpdate,
            { { QStringLiteral("id"), id }, { QStringLiteral("priority"), 1 } }, invalid, QStringLiteral("id") });
        cases.append({ QStringLiteral("routes.setPriorities id ") + name, Method::RoutesSetPriorities,
            { { QStringLiteral("priorities"),
                QJsonArray { QJsonObject { { QStringLiteral("id"), id }, { QStringLiteral("priority"), 1 } } } } },
            invalid, QStringLiteral("id") });
    }
    cases.append({ QStringLiteral("routes.delete unknown id"), Method::RoutesDelete,
        { { QStringLiteral("id"), 9007199254740991.0 } }, notFound, QString() });
    cases.append({ QStringLiteral("routes.setPriorities priority as SQL"), Method::RoutesSetPriorities,
        { { QStringLiteral("priorities"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), QStringLiteral("@ROUTE@") },
                { QStringLiteral("priority"), QStringLiteral("0; DROP") } } } } },
        invalid, QStringLiteral("priority") });
    cases.append({ QStringLiteral("routes.setPriorities not a list"), Method::RoutesSetPriorities,
        { { QStringLiteral("priorities"), QStringLiteral("1; DROP TABLE routes") } }, invalid,
        QStringLiteral("priorities") });
    // One bad entry after a good one: nothing is applied.
    cases.append({ QStringLiteral("routes.setPriorities good then unknown"), Method::RoutesSetPriorities,
        { { QStringLiteral("priorities"),
            QJsonArray {
                QJsonObject { { QStringLiteral("id"), QStringLiteral("@ROUTE@") }, { QStringLiteral("priority"), 0 } },
                QJsonObject { { QStringLiteral("id"), 999999 }, { QStringLiteral("priority"), 0 } } } } },
        notFound, QString() });
    cases.append({ QStringLiteral("queue.list offset as SQL"), Method::QueueList,
        { { QStringLiteral("offset"), QStringLiteral("0; DROP TABLE queue_messages") } }, invalid,
        QStringLiteral("offset") });

    // The manager trims every value (Unicode blanks too), so "ID\n" is the id itself there.
    QStringList queueIds;
    for (const QByteArray &id : HostileQueueIds)
    {
        if (!id.endsWith('\n'))
            queueIds.append(text(id));
    }
    queueIds << QStringLiteral("@QUEUE@") + nul;
    for (const QString &id : std::as_const(queueIds))
    {
        for (const QString &method :
            { Method::QueueShow, Method::QueueRetry, Method::QueueDiscard, Method::QueueBounce })
            cases.append({ method + QLatin1Char(' ') + label(id), method, { { QStringLiteral("id"), id } }, invalid,
                QStringLiteral("id") });
    }
    for (const QString &method : { Method::QueueShow, Method::QueueRetry, Method::QueueDiscard, Method::QueueBounce })
        cases.append({ method + QStringLiteral(" id as number"), method, { { QStringLiteral("id"), 12 } }, invalid,
            QStringLiteral("id") });

    for (const QString &backend : backends())
    {
        for (const Case &c : std::as_const(cases))
            QTest::newRow(qPrintable(backend + QStringLiteral(": ") + c.name))
                << backend << c.method << c.params << c.code << c.field;
    }
}

void TestInjection::managerRefusesHostileValues()
{
    QFETCH(QString, backend);
    QFETCH(QString, method);
    QFETCH(QJsonObject, params);
    QFETCH(QString, code);
    QFETCH(QString, field);
    USE_FIXTURE(backend, fixture);
    const QString problem = startManagedDaemon(fixture);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString before = snapshot(*fixture->db);
    const QJsonObject response = fixture->manager->call(method, substituted(params, fixture).toObject());
    const QByteArray json = QJsonDocument(response).toJson(QJsonDocument::Compact);
    QVERIFY2(!response.isEmpty(), "no response within 10 s");
    QVERIFY2(!isOk(response), json.constData());
    QVERIFY2(errorCode(response) == code, json.constData());
    if (!field.isEmpty())
        QVERIFY2(errorField(response) == field, json.constData());
    QCOMPARE(snapshot(*fixture->db), before);
}

void TestInjection::managerStoresQuotedValuesLiterally()
{
    QFETCH(QString, backend);
    USE_FIXTURE(backend, fixture);
    const QString problem = startManagedDaemon(fixture);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    Database &db = *fixture->db;
    ManagerTestClient &manager = *fixture->manager;
    const QString original = snapshot(db, true);

    const QString login = QStringLiteral("\"x' OR 1=1;--\"@canary.test");
    const QString password = QStringLiteral("x'); DROP TABLE users;--\\%_\"`$(id)");
    QJsonObject response = manager.call(Method::UsersAdd,
        { { QStringLiteral("login"), login }, { QStringLiteral("password"), password },
            { QStringLiteral("mayRelay"), false } });
    QVERIFY2(isOk(response), QJsonDocument(response).toJson().constData());
    const Expected<std::optional<User>> user = UserTable(db).authenticate(login, password);
    QVERIFY2(user && user.value().has_value(), qPrintable(user.error()));
    QCOMPARE(user.value()->login.toString(), login);
    QVERIFY(!user.value()->mayRelay);
    const Expected<std::optional<User>> canary
        = UserTable(db).authenticate(QStringLiteral("canary@canary.test"), QStringLiteral("canary-pw"));
    QVERIFY(canary && canary.value().has_value());
    QVERIFY(isOk(manager.call(Method::UsersDelete, { { QStringLiteral("login"), login } })));

    const QString smtpUser = QStringLiteral("u' OR '1'='1");
    const QString smtpPassword = QStringLiteral("p'); DROP TABLE routes;--\\%_");
    response = manager.call(Method::RoutesAdd,
        { { QStringLiteral("recipientDomain"), QStringLiteral("new.test") },
            { QStringLiteral("remoteHost"), QStringLiteral("MX.New.Test") }, { QStringLiteral("smtpUser"), smtpUser },
            { QStringLiteral("smtpPassword"), smtpPassword },
            { QStringLiteral("senderDomain"), QStringLiteral("sender.new.test") },
            { QStringLiteral("authUser"), QStringLiteral("\"o'brien\"@canary.test") },
            { QStringLiteral("localIps"), QStringLiteral("127.0.0.1|127.0.0.2") } });
    QVERIFY2(isOk(response), QJsonDocument(response).toJson().constData());
    const qint64 newId
        = qint64(response.value(QStringLiteral("result")).toObject().value(QStringLiteral("id")).toDouble());
    // An update of one field keeps the others as they were.
    QVERIFY(isOk(manager.call(Method::RoutesUpdate,
        { { QStringLiteral("id"), double(newId) }, { QStringLiteral("smtpUser"), QStringLiteral("v'--") } })));
    // An IP address is stored in its one canonical form.
    QVERIFY(isOk(manager.call(Method::RoutesUpdate,
        { { QStringLiteral("id"), double(newId) },
            { QStringLiteral("remoteHost"), QStringLiteral("2001:DB8:0::1") } })));
    // The route passwords were sealed with the key file of this fixture's tmail.
    SecretBox::setKeyFile(fixture->env->path(QStringLiteral("conf/secret.key")));
    const Expected<QList<Route>> routes = RouteTable(db).list();
    QVERIFY(routes);
    QCOMPARE(routes->size(), 2);
    for (const Route &route : routes.value())
    {
        if (route.id == newId)
        {
            QCOMPARE(route.remoteHost, QStringLiteral("2001:db8::1"));
            QCOMPARE(route.smtpUser, QStringLiteral("v'--"));
            QCOMPARE(route.smtpPassword, smtpPassword);
            QCOMPARE(route.senderDomain, QStringLiteral("sender.new.test"));
            QCOMPARE(route.authUser, QStringLiteral("\"o'brien\"@canary.test"));
            QCOMPARE(route.localIps, QStringLiteral("127.0.0.1|127.0.0.2"));
        }
        else
        {
            QCOMPARE(route.id, fixture->routeId);
            QCOMPARE(route.smtpUser, QStringLiteral("canary-user"));
            QCOMPARE(route.smtpPassword, QStringLiteral("canary-secret"));
            QCOMPARE(route.remoteHost, QStringLiteral("mx.canary.test"));
        }
    }
    QVERIFY(isOk(manager.call(Method::RoutesDelete, { { QStringLiteral("id"), double(newId) } })));

    QCOMPARE(snapshot(db, true), original);
}

void TestInjection::managerRefusesTextThatIsNotUnicode()
{
    QFETCH(QString, backend);
    USE_FIXTURE(backend, fixture);
    const QString problem = startManagedDaemon(fixture);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QList<QByteArray> payloads = {
        // Bytes that are not UTF-8 inside a JSON string.
        "{\"type\":\"request\",\"id\":901,\"method\":\"rcpthosts.add\",\"params\":{\"domain\":\"\xff\xfe.test\"}}",
        "{\"type\":\"request\",\"id\":902,\"method\":\"users.add\",\"params\":{\"login\":\"new@canary.test\","
        "\"password\":\"\xff\xfe\"}}",
        "{\"type\":\"request\",\"id\":903,\"method\":\"routes.add\",\"params\":{\"recipientDomain\":\"new.test\","
        "\"remoteHost\":\"mx.new.test\",\"smtpUser\":\"u\",\"smtpPassword\":\"\xc0\xaf\"}}",
        // A lone surrogate, which no UTF-8 text can hold.
        "{\"type\":\"request\",\"id\":904,\"method\":\"users.add\",\"params\":{\"login\":\"new@canary.test\","
        "\"password\":\"\\ud800\"}}",
        "{\"type\":\"request\",\"id\":905,\"method\":\"routes.add\",\"params\":{\"recipientDomain\":\"new.test\","
        "\"remoteHost\":\"mx.new.test\",\"smtpUser\":\"\\udfff\",\"smtpPassword\":\"pw\"}}",
    };
    for (const QByteArray &payload : payloads)
    {
        const QString before = snapshot(*fixture->db);
        QByteArray frame(4, Qt::Uninitialized);
        qToBigEndian<quint32>(quint32(payload.size()), frame.data());
        fixture->manager->sendRaw(frame + payload);
        const QJsonObject response = fixture->manager->waitFor(
            [](const QJsonObject &f) { return f.value(QStringLiteral("type")) == Type::Response; });
        const QByteArray json = QJsonDocument(response).toJson(QJsonDocument::Compact);
        QVERIFY2(!response.isEmpty(), payload.constData());
        QVERIFY2(!isOk(response), json.constData());
        QVERIFY2(
            errorCode(response) == QLatin1String("bad_frame") || errorCode(response) == QLatin1String("invalid_param"),
            json.constData());
        QCOMPARE(snapshot(*fixture->db), before);
    }
    QVERIFY(isOk(fixture->manager->call(Method::Status)));
}

// ---- tmail.cfg through config.set

void TestInjection::configSetCannotAddALine_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("code");
    const QString nul = QString(QChar(u'\0'));
    const auto row = [](const char *title, const QString &name, const QJsonValue &value, const char *code) {
        QTest::newRow(title) << name << value << QString::fromLatin1(code);
    };
    row("newline then export", QStringLiteral("TMAIL_ME"),
        QStringLiteral("mx.test.local\nexport TMAIL_SMTPD_DSNS=\"0.0.0.0:25:false\""), "invalid_param");
    row("leading newline", QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("\nTMAIL_SMTPD_DSNS=0.0.0.0:25:false"),
        "invalid_param");
    row("carriage return", QStringLiteral("TMAIL_ME"),
        QStringLiteral("mx.test.local\rexport TMAIL_SMTPD_DSNS=0.0.0.0:25:false"), "invalid_param");
    row("CRLF after stdout", QStringLiteral("TMAIL_LOGPATH"), QStringLiteral("stdout\r\nexport TMAIL_USER=root"),
        "invalid_param");
    row("NUL in a socket name", QStringLiteral("TMAIL_MANAGER_SOCKET"),
        QString(QStringLiteral("a") + nul + QStringLiteral("b")), "invalid_param");
    row("NUL in a path", QStringLiteral("TMAIL_DB_SOURCE"),
        QString(QStringLiteral("@DIR@/db/tmail.db") + nul + QStringLiteral(".evil")), "invalid_param");
    row("escape character", QStringLiteral("TMAIL_MANAGER_SOCKET"), QStringLiteral("a\x1b[2Jb"), "invalid_param");
    row("name with a newline", QStringLiteral("TMAIL_ME\nexport TMAIL_SMTPD_DSNS"), QStringLiteral("mx.test.local"),
        "invalid_param");
    row("name with shell", QStringLiteral("TMAIL_ME=\"x\"; touch pwned; #"), QStringLiteral("mx.test.local"),
        "invalid_param");
    row("SQL in a number", QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("40; DROP TABLE users"),
        "config_invalid");
    row("command substitution in a number", QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("$(touch pwned)"),
        "config_invalid");
    row("not a string", QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), 40, "invalid_param");
    row("unicode line separator", QStringLiteral("TMAIL_SMTPD_DSNS"),
        QStringLiteral("127.0.0.1:2525:false\u2028export TMAIL_USER=root"), "config_invalid");
    row("over-long host name", QStringLiteral("TMAIL_ME"), QString(100000, QLatin1Char('a')), "config_invalid");
}

void TestInjection::configSetCannotAddALine()
{
    QFETCH(QString, name);
    QFETCH(QJsonValue, value);
    QFETCH(QString, code);
    USE_FIXTURE(QStringLiteral("sqlite3"), fixture);
    const QString problem = startManagedDaemon(fixture);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString path = fixture->env->path(QStringLiteral("conf/tmail.cfg"));
    const QByteArray before = fileBytes(path);
    QVERIFY(!before.isEmpty());
    if (value.isString())
        value = value.toString().replace(QStringLiteral("@DIR@/"), fixture->env->path(QString()));
    const QJsonObject response
        = fixture->manager->call(Method::ConfigSet, { { QStringLiteral("values"), QJsonObject { { name, value } } } });
    const QByteArray json = QJsonDocument(response).toJson(QJsonDocument::Compact);
    QVERIFY2(!isOk(response), json.constData());
    QVERIFY2(errorCode(response) == code, json.constData());
    QCOMPARE(fileBytes(path), before);
    QVERIFY(!QFileInfo::exists(fixture->env->path(QStringLiteral("pwned"))));
}

void TestInjection::configSetQuotesShellMetacharacters()
{
    USE_FIXTURE(QStringLiteral("sqlite3"), fixture);
    const QString problem = startManagedDaemon(fixture);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString path = fixture->env->path(QStringLiteral("conf/tmail.cfg"));
    const QString marker = fixture->env->path(QStringLiteral("pwned"));
    const QByteArray before = fileBytes(path);
    const Expected<QHash<QString, QString>> original = ConfigFile::readValues(path);
    QVERIFY2(original, qPrintable(original.error()));
    // A legitimate socket path for tmail, and a mine for whatever sources tmail.cfg (the
    // run script does): quotes, $(…), `…`, a backslash and $HOME must stay text.
    const QString value = QStringLiteral("/tmp/m\"; touch %1; echo \"$(touch %1)`touch %1`\\$HOME'").arg(marker);
    const QJsonObject response = fixture->manager->call(Method::ConfigSet,
        { { QStringLiteral("values"), QJsonObject { { QStringLiteral("TMAIL_MANAGER_SOCKET"), value } } } });
    QVERIFY2(isOk(response), QJsonDocument(response).toJson().constData());

    const QList<QByteArray> beforeLines = before.split('\n');
    const QList<QByteArray> afterLines = fileBytes(path).split('\n');
    QCOMPARE(afterLines.size(), beforeLines.size());
    int differences = 0;
    for (qsizetype i = 0; i < beforeLines.size(); ++i)
        differences += beforeLines.at(i) != afterLines.at(i) ? 1 : 0;
    QCOMPARE(differences, 1);
    const Expected<QHash<QString, QString>> read = ConfigFile::readValues(path);
    QVERIFY2(read, qPrintable(read.error()));
    QCOMPARE(read->value(QStringLiteral("TMAIL_MANAGER_SOCKET")), value);

    QProcess shell;
    shell.start(QStringLiteral("bash"),
        { QStringLiteral("-c"), QStringLiteral(". \"$1\" && printf %s \"$TMAIL_MANAGER_SOCKET\""),
            QStringLiteral("bash"), path });
    QVERIFY(shell.waitForFinished(10000));
    QCOMPARE(shell.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(shell.readAllStandardOutput()), value);
    QVERIFY2(!QFileInfo::exists(marker), "sourcing tmail.cfg ran a command");

    // Back to what it was, byte for byte.
    QVERIFY(isOk(fixture->manager->call(Method::ConfigSet,
        { { QStringLiteral("values"),
            QJsonObject { { QStringLiteral("TMAIL_MANAGER_SOCKET"),
                original->value(QStringLiteral("TMAIL_MANAGER_SOCKET")) } } } })));
    QCOMPARE(fileBytes(path), before);
}

// ---- what tmail writes: bounces and logs

void TestInjection::bounceQuotingClientAndRemoteTextInjectsNoHeader()
{
    // The next hop answers RCPT with a reply holding a bare CR and a header after it.
    ScriptedPeer peer("550 5.1.1 <refuse@peer.test>: unknown\rBcc: evil@evil.test\r\n");
    QVERIFY(peer.listen());
    TmailEnvironment env;
    QVERIFY(env.isValid());
    const quint16 smtpPort = freeLoopbackPort();
    env.set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(smtpPort));
    env.set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(freeLoopbackPort()));
    env.set(QStringLiteral("TMAIL_DELIVERD_REMOTE_TIMEOUT"), QStringLiteral("5"));
    const QString port = QString::number(peer.port());
    for (const QStringList &args : QList<QStringList> { { QStringLiteral("db"), QStringLiteral("init") },
             { QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("127.0.0.1") },
             { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("peer.test"),
                 QStringLiteral("-rh"), QStringLiteral("127.0.0.1"), QStringLiteral("-rp"), port },
             { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("sender.test"),
                 QStringLiteral("-rh"), QStringLiteral("127.0.0.1"), QStringLiteral("-rp"), port } })
        QCOMPARE(env.run(args).exitCode, 0);
    std::unique_ptr<QProcess> daemon;
    QByteArray log;
    QVERIFY2(env.startDaemon(&daemon, &log), log.constData());

    SmtpTestClient client;
    QVERIFY(client.connectTo(smtpPort));
    QVERIFY(client.readReply().startsWith(QLatin1String("220")));
    // A bare CR in the EHLO name (a line ends at LF only): it goes into the Received header,
    // which the bounce quotes among the original headers.
    QVERIFY(client.command(QStringLiteral("EHLO client.test\rBcc:ehlo@evil.test")).startsWith(QLatin1String("250")));
    // A quoted local part with a header-looking text: legal, and it ends up in the bounce.
    const QString sender = QStringLiteral("\"o'brien Bcc: evil@evil.test\"@sender.test");
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<%1>").arg(sender)), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<refuse@peer.test>")), QStringLiteral("250 ok"));
    QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QLatin1String("354")));
    QVERIFY(client.command(QStringLiteral("Subject: hello\r\n\r\nbody\r\n."))
                .startsWith(QLatin1String("250 2.0.0 Ok: queued")));
    client.command(QStringLiteral("QUIT"));

    QByteArray bounce;
    QVERIFY2(QTest::qWaitFor(
                 [&]() {
                     for (const QByteArray &message : peer.messages())
                     {
                         if (message.startsWith("MAIL FROM:<>"))
                             bounce = message;
                     }
                     return !bounce.isEmpty();
                 },
                 60000),
        "no bounce reached the sender's next hop");
    const QByteArray data = bounce.mid(bounce.indexOf("\n\n") + 2);
    QVERIFY2(bounce.contains(QByteArray("RCPT TO:<" + sender.toUtf8() + ">")), bounce.constData());
    // The checks below can fail: the reply and the sender are quoted in the bounce.
    QVERIFY2(data.contains("Bcc: evil@evil.test"), data.constData());
    QVERIFY2(data.contains("Received: from client.test?Bcc:ehlo@evil.test"), data.constData());
    QVERIFY2(data.contains("Diagnostic-Code: smtp; 550 5.1.1 <refuse@peer.test>: unknown"), data.constData());
    // Every CR is part of a CRLF and every LF of one: nothing a reader takes for a line break.
    for (qsizetype i = 0; i < data.size(); ++i)
    {
        if (data.at(i) == '\r')
            QVERIFY2(i + 1 < data.size() && data.at(i + 1) == '\n', data.constData());
        if (data.at(i) == '\n')
            QVERIFY2(i > 0 && data.at(i - 1) == '\r', data.constData());
    }
    // No line of the bounce, in its head or in any part, is a Bcc header.
    for (const QByteArray &line : data.split('\n'))
        QVERIFY2(!line.trimmed().toLower().startsWith("bcc:"), data.constData());
    daemon->terminate();
    QVERIFY(daemon->waitForFinished(20000));
}

void TestInjection::clientTextCannotForgeALogLine()
{
    TmailEnvironment env;
    QVERIFY(env.isValid());
    const quint16 tlsPort = freeLoopbackPort();
    env.set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:true").arg(tlsPort));
    env.set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(freeLoopbackPort()));
    QCOMPARE(env.run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    std::unique_ptr<QProcess> daemon;
    QByteArray log;
    QVERIFY2(env.startDaemon(&daemon, &log), log.constData());

    // A login is any bytes the client likes; tmail logs the refused ones.
    const QByteArray forged = "[mx.test.local - 127.0.0.1] 2030/01/01 00:00:00.000000 INFO - forged-entry";
    SmtpTestClient client;
    QVERIFY(client.connectTo(tlsPort, true));
    QVERIFY(client.readReply().startsWith(QLatin1String("220")));
    QVERIFY(client.command(QStringLiteral("EHLO client.test")).startsWith(QLatin1String("250")));
    QVERIFY(authPlain(client, "x\r\n" + forged, "pw").startsWith(QLatin1String("535")));
    QCOMPARE(client.command(QStringLiteral("AUTH LOGIN")), QStringLiteral("334 VXNlcm5hbWU6"));
    QCOMPARE(client.command(QString::fromLatin1(QByteArray("y\n" + forged + "\r").toBase64())),
        QStringLiteral("334 UGFzc3dvcmQ6"));
    QVERIFY(client.command(QString::fromLatin1(QByteArray("pw").toBase64()), 15000).startsWith(QLatin1String("535")));

    QVERIFY2(TmailEnvironment::waitForLog(*daemon, &log, "authentication failed for y", 10000), log.constData());
    QVERIFY2(log.contains("forged-entry"), log.constData());
    // One event, one line: no line (nor what follows a bare CR) is the forged entry.
    for (const QByteArray &line : log.split('\n'))
    {
        for (const QByteArray &piece : line.split('\r'))
            QVERIFY2(!piece.startsWith("[mx.test.local - 127.0.0.1] 2030/"), log.constData());
    }
    daemon->terminate();
    QVERIFY(daemon->waitForFinished(20000));
}

QTEST_GUILESS_MAIN(TestInjection)
#include "tst_injection.moc"
