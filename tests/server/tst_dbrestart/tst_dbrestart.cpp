// SMTP AUTH across a restart of the database server, on private throwaway PostgreSQL and
// MariaDB servers (tests/helpers/dbservers.sh) and the real tmail binary: while the server
// is down AUTH answers 454 4.7.0 — not 535, and without counting against the client — and
// tmail stays up; once the server is back, AUTH, MAIL, RCPT (relayed as the authenticated
// user), DATA and the manager's table requests work again without restarting tmail.
// Every wait is bounded.
#include "managertestclient.h"
#include "smtptestclient.h"
#include "testpeers.h"
#include "tmaildaemon.h"
#include "tmailprocess.h"

#include "manager/managerprotocol.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>

#include <unistd.h>

namespace {

const QString PgBin = QStringLiteral("/usr/lib/postgresql/15/bin");

QString authPlain(SmtpTestClient &client, const QByteArray &login, const QByteArray &password)
{
    const QByteArray response = QByteArray(QByteArray(1, '\0') + login + QByteArray(1, '\0') + password).toBase64();
    return client.command(QStringLiteral("AUTH PLAIN ") + QString::fromLatin1(response), 15000);
}

QString authLogin(SmtpTestClient &client, const QByteArray &login, const QByteArray &password)
{
    const QString prompt = client.command(QStringLiteral("AUTH LOGIN"));
    if (!prompt.startsWith(QLatin1String("334")))
        return prompt;
    client.command(QString::fromLatin1(login.toBase64()));
    return client.command(QString::fromLatin1(password.toBase64()), 15000);
}

// Connects to the clear listener and upgrades with STARTTLS: AUTH is offered only then.
bool openTlsSession(SmtpTestClient &client, quint16 port)
{
    return client.connectTo(port) && client.readReply().startsWith(QLatin1String("220"))
        && client.command(QStringLiteral("EHLO client.test")).startsWith(QLatin1String("250"))
        && client.command(QStringLiteral("STARTTLS")).startsWith(QLatin1String("220")) && client.startTls()
        && client.command(QStringLiteral("EHLO client.test")).contains(QLatin1String("AUTH PLAIN LOGIN"));
}

// True once nothing accepts connections on the port (bounded).
bool waitPortClosed(quint16 port, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs)
    {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        if (!probe.waitForConnected(500))
            return true;
        probe.abort();
        QTest::qWait(100);
    }
    return false;
}

} // namespace

class TestDbRestart : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void authAnswers454WhileTheDatabaseIsDownThenRecovers_data();
    void authAnswers454WhileTheDatabaseIsDownThenRecovers();

private:
    bool dbservers(const QString &action);

    TmailDaemon m_daemon;
    QString m_base;
    QString m_dbDir;
    quint16 m_pgPort = 0;
    quint16 m_myPort = 0;
    bool m_serversUp = false;
};

void TestDbRestart::initTestCase()
{
    TMAIL_REQUIRE_PEER(
        TestPeers::hasProgram(QStringLiteral("mariadbd")) && QFile::exists(PgBin + QStringLiteral("/pg_ctl")),
        "PostgreSQL 15 or MariaDB is not installed");
    if (::geteuid() != 0)
        QSKIP("dbservers.sh runs the servers as root/postgres");
    // A private pair of servers on free ports, so the shared ones of test.sh are not touched.
    m_base = QDir::tempPath() + QStringLiteral("/tmail-dbrestart-%1").arg(QCoreApplication::applicationPid());
    QVERIFY(QDir().mkpath(m_base));
    QFile::setPermissions(m_base,
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup
            | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::ExeOther);
    m_dbDir = m_base + QStringLiteral("/db");
    m_pgPort = freeLoopbackPort();
    m_myPort = freeLoopbackPort();
    QVERIFY(dbservers(QStringLiteral("start")));
    m_serversUp = true;
}

void TestDbRestart::cleanupTestCase()
{
    if (m_serversUp)
        dbservers(QStringLiteral("stop"));
    if (!m_base.isEmpty())
        QDir(m_base).removeRecursively();
}

void TestDbRestart::cleanup()
{
    m_daemon.kill();
}

bool TestDbRestart::dbservers(const QString &action)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TMAIL_TEST_PG_PORT"), QString::number(m_pgPort));
    environment.insert(QStringLiteral("TMAIL_TEST_MYSQL_PORT"), QString::number(m_myPort));
    QProcess script;
    script.setProcessEnvironment(environment);
    script.setProcessChannelMode(QProcess::MergedChannels);
    script.start(QStringLiteral(TMAIL_SOURCE_DIR "/tests/helpers/dbservers.sh"), { action, m_dbDir });
    const bool ok
        = script.waitForFinished(120000) && script.exitStatus() == QProcess::NormalExit && script.exitCode() == 0;
    if (!ok)
        qWarning("dbservers.sh %s: %s", qPrintable(action), script.readAll().constData());
    return ok;
}

void TestDbRestart::authAnswers454WhileTheDatabaseIsDownThenRecovers_data()
{
    QTest::addColumn<QString>("driver");
    QTest::newRow("postgres") << QStringLiteral("postgres");
    QTest::newRow("mysql") << QStringLiteral("mysql");
}

void TestDbRestart::authAnswers454WhileTheDatabaseIsDownThenRecovers()
{
    QFETCH(QString, driver);
    const bool postgres = driver == QLatin1String("postgres");
    const quint16 dbPort = postgres ? m_pgPort : m_myPort;
    TmailEnvironment env;
    QVERIFY(env.isValid());
    const quint16 smtpPort = freeLoopbackPort();
    env.set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(smtpPort));
    env.set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(freeLoopbackPort()));
    // Three refused AUTHs ban an address: the outage below makes more attempts than that.
    env.set(QStringLiteral("TMAIL_SMTPD_AUTH_MAX_FAILURES"), QStringLiteral("3"));
    env.set(QStringLiteral("TMAIL_DB_DRIVER"), driver);
    env.set(QStringLiteral("TMAIL_DB_SOURCE"),
        QStringLiteral("host=127.0.0.1 port=%1 user=tmail password=tmailpw dbname=tmail_test").arg(dbPort));
    QCOMPARE(env.run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    const TmailRun added = env.run({ QStringLiteral("user"), QStringLiteral("add"),
        QStringLiteral("auth-%1@restart.test").arg(driver), QStringLiteral("restart-pw") });
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    const QByteArray login = QStringLiteral("auth-%1@restart.test").arg(driver).toUtf8();

    QVERIFY2(m_daemon.start(env), m_daemon.log().constData());
    QProcess *daemon = &m_daemon.process();
    const qint64 pid = daemon->processId();
    // The manager socket comes right after deliverd's "launched" line.
    const QString socket = env.path(QStringLiteral("manager.sock"));
    QVERIFY(QTest::qWaitFor([&socket]() { return QFileInfo::exists(socket); }, 10000));
    ManagerTestClient manager;
    QCOMPARE(manager.handshake(socket).value(QStringLiteral("type")).toString(), ManagerProtocol::Type::Hello);
    QVERIFY(manager.call(ManagerProtocol::Method::UsersList).value(QStringLiteral("ok")).toBool());

    // Up: a wrong password is refused, the right one accepted.
    {
        SmtpTestClient client;
        QVERIFY(openTlsSession(client, smtpPort));
        const QString wrong = authPlain(client, login, "wrong");
        QVERIFY2(wrong.startsWith(QLatin1String("535 5.7.8")), qPrintable(wrong));
        const QString right = authPlain(client, login, "restart-pw");
        QVERIFY2(right.startsWith(QLatin1String("235")), qPrintable(right));
    }

    // Down.
    const QString stop = postgres
        ? QStringLiteral("runuser -u postgres -- %1/pg_ctl -D %2/pg/data -m immediate -w stop >/dev/null 2>&1")
              .arg(PgBin, m_dbDir)
        : QStringLiteral("kill -9 $(cat %1/my/mariadbd.pid)").arg(m_dbDir);
    QCOMPARE(QProcess::execute(QStringLiteral("/bin/sh"), { QStringLiteral("-c"), stop }), 0);
    QVERIFY2(waitPortClosed(dbPort, 15000), "the database server did not stop");

    // Temporary failures on a session opened before and on new ones; more of them than
    // the ban threshold, with both mechanisms, and never a 535 or a ban.
    {
        SmtpTestClient client;
        QVERIFY(openTlsSession(client, smtpPort));
        for (int i = 0; i < 5; ++i)
        {
            const QString reply
                = i % 2 == 0 ? authPlain(client, login, "restart-pw") : authLogin(client, login, "restart-pw");
            QVERIFY2(reply.startsWith(QLatin1String("454 4.7.0")),
                qPrintable(QStringLiteral("attempt %1: %2").arg(i).arg(reply)));
        }
        QCOMPARE(client.command(QStringLiteral("NOOP")), QStringLiteral("250 2.0.0 Ok"));
    }
    {
        SmtpTestClient client;
        QVERIFY(openTlsSession(client, smtpPort));
        const QString reply = authPlain(client, login, "restart-pw");
        QVERIFY2(reply.startsWith(QLatin1String("454 4.7.0")), qPrintable(reply));
    }
    // The manager says what is wrong instead of hanging or crashing.
    const QJsonObject refused = manager.call(ManagerProtocol::Method::UsersList);
    QCOMPARE(refused.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
        QStringLiteral("database"));
    QVERIFY2(daemon->state() == QProcess::Running && daemon->processId() == pid, "tmail died with its database");

    // Back: AUTH works again within a bounded time, in the same tmail.
    QVERIFY(dbservers(QStringLiteral("start")));
    QElapsedTimer sinceBack;
    sinceBack.start();
    SmtpTestClient client;
    QVERIFY(openTlsSession(client, smtpPort));
    QString reply;
    int attempts = 0;
    while (sinceBack.elapsed() < 20000)
    {
        ++attempts;
        reply = authPlain(client, login, "restart-pw");
        if (!reply.startsWith(QLatin1String("454")))
            break;
        QTest::qWait(250);
    }
    QVERIFY2(reply.startsWith(QLatin1String("235")), qPrintable(reply));
    qInfo("%s: AUTH accepted %lld ms after the server was back (%d attempt(s))", qPrintable(driver),
        qlonglong(sinceBack.elapsed()), attempts);

    // And the rest of the transaction: relayed as the authenticated user, then queued.
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<%1>").arg(QString::fromUtf8(login))), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<someone@elsewhere.test>")), QStringLiteral("250 ok"));
    QString queued;
    for (int i = 0; i < 20 && !queued.startsWith(QLatin1String("250")); ++i)
    {
        if (i > 0)
        {
            // A 451 means the queue writer is still reconnecting: the client tries again.
            QTest::qWait(500);
            QCOMPARE(client.command(QStringLiteral("MAIL FROM:<%1>").arg(QString::fromUtf8(login))),
                QStringLiteral("250 ok"));
            QCOMPARE(client.command(QStringLiteral("RCPT TO:<someone@elsewhere.test>")), QStringLiteral("250 ok"));
        }
        QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QLatin1String("354")));
        queued = client.command(QStringLiteral("Subject: after the restart\r\n\r\nbody\r\n."), 15000);
        QVERIFY2(queued.startsWith(QLatin1String("250")) || queued.startsWith(QLatin1String("451 4.3.0")),
            qPrintable(queued));
    }
    QVERIFY2(queued.startsWith(QLatin1String("250 2.0.0 Ok: queued ")), qPrintable(queued));
    const TmailRun list = env.run({ QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--wide") });
    QVERIFY2(list.out.contains(QLatin1String("someone@elsewhere.test")), qPrintable(list.out + list.err));

    // The manager's connection came back too: the first request after the outage answers.
    const QJsonObject users = manager.call(ManagerProtocol::Method::UsersList);
    QVERIFY2(users.value(QStringLiteral("ok")).toBool(), QJsonDocument(users).toJson().constData());
    QCOMPARE(users.value(QStringLiteral("result")).toObject().value(QStringLiteral("items")).toArray().size(), 1);

    QVERIFY(daemon->state() == QProcess::Running && daemon->processId() == pid);
    QVERIFY(m_daemon.waitForLog("authentication unavailable for", 5000));
    QVERIFY2(m_daemon.terminate(20000), m_daemon.log().constData());
}

QTEST_GUILESS_MAIN(TestDbRestart)
#include "tst_dbrestart.moc"
