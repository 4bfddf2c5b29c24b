// tmail as a service on Linux: started as root it binds a port below 1024 and then runs
// as TMAIL_USER; an unknown user stops it; SIGHUP re-reads the configuration and applies
// it without dropping a session in progress (tst_reload covers what a reload applies).
#include "tmaildaemon.h"
#include "tmailprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <csignal>
#include <pwd.h>
#include <unistd.h>

namespace {

// "Uid:\t65534\t65534\t65534\t65534" from /proc/PID/status.
QString statusLine(qint64 pid, const QString &name)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return QString();
    const QStringList lines = QString::fromLatin1(status.readAll()).split(QLatin1Char('\n'));
    for (const QString &line : lines)
    {
        if (line.startsWith(name + QLatin1Char(':')))
            return line.mid(name.size() + 1).simplified();
    }
    return QString();
}

} // namespace

class TestPrivileges : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void rootDropsToUserAfterBindingPort25();
    void unknownUserExitsWithMessage();
    void sighupReloadsAndKeepsSessions();

private:
    bool startDaemon();
    bool waitForLog(const QByteArray &text, int timeoutMs);

    std::unique_ptr<TmailEnvironment> m_env;
    TmailDaemon m_daemon;
};

void TestPrivileges::init()
{
    m_env = std::make_unique<TmailEnvironment>();
    QVERIFY(m_env->isValid());
    m_env->set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(freeLoopbackPort()));
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
}

void TestPrivileges::cleanup()
{
    m_daemon.kill();
}

bool TestPrivileges::startDaemon()
{
    return m_daemon.start(*m_env);
}

bool TestPrivileges::waitForLog(const QByteArray &text, int timeoutMs)
{
    return m_daemon.waitForLog(text, timeoutMs);
}

void TestPrivileges::rootDropsToUserAfterBindingPort25()
{
    if (::geteuid() != 0)
        QSKIP("binding port 25 and switching users needs root");
    const struct passwd *nobody = ::getpwnam("nobody");
    if (!nobody)
        QSKIP("no 'nobody' user on this system");
    // The data tmail writes belongs to the user; the key stays root's (read before the switch).
    const QString owner = QStringLiteral("%1:%2").arg(nobody->pw_uid).arg(nobody->pw_gid);
    // The manager socket is created after the switch too: its directory must be the user's.
    QVERIFY(QDir().mkpath(m_env->path(QStringLiteral("run"))));
    m_env->set(QStringLiteral("TMAIL_MANAGER_SOCKET"), m_env->path(QStringLiteral("run/manager.sock")));
    QCOMPARE(QProcess::execute(QStringLiteral("chown"),
                 { QStringLiteral("-R"), owner, m_env->path(QStringLiteral("db")), m_env->path(QStringLiteral("store")),
                     m_env->path(QStringLiteral("run")) }),
        0);
    // The temporary directory is 0700: nobody must be able to reach db/ and store/ inside it.
    QFile::setPermissions(m_env->path(QString()),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ExeOther);
    QCOMPARE(
        m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("example.com") }).exitCode, 0);
    m_env->set(QStringLiteral("TMAIL_USER"), QStringLiteral("nobody"));
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.93:25:false"));
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    QVERIFY2(m_daemon.log().contains("running as user nobody"), m_daemon.log().constData());

    const QString expectedUid = QStringLiteral("%1 %1 %1 %1").arg(nobody->pw_uid);
    QCOMPARE(statusLine(m_daemon.process().processId(), QStringLiteral("Uid")), expectedUid);
    QCOMPARE(statusLine(m_daemon.process().processId(), QStringLiteral("Gid")),
        QStringLiteral("%1 %1 %1 %1").arg(nobody->pw_gid));
    QVERIFY(!statusLine(m_daemon.process().processId(), QStringLiteral("Groups"))
                 .split(QLatin1Char(' '))
                 .contains(QStringLiteral("0")));

    QTcpSocket client;
    client.connectToHost(QStringLiteral("127.0.0.93"), 25);
    QVERIFY(client.waitForConnected(5000));
    QVERIFY(smtpExchange(client, QByteArray()).startsWith("220 mx.test.local tmail ESMTP"));
    QVERIFY(smtpExchange(client, "EHLO client.test").startsWith("250"));
    QVERIFY(smtpExchange(client, "MAIL FROM:<sender@example.net>").startsWith("250"));
    QVERIFY(smtpExchange(client, "RCPT TO:<someone@example.com>").startsWith("250"));
    QVERIFY(smtpExchange(client, "DATA").startsWith("354"));
    const QByteArray queued = smtpExchange(client, "Subject: privileges\r\n\r\nbody\r\n.");
    QVERIFY2(queued.startsWith("250 2.0.0 Ok: queued "), queued.constData());
    smtpExchange(client, "QUIT");

    // The body was written as nobody.
    QDir store(m_env->path(QStringLiteral("store")));
    bool ownedByNobody = false;
    QDirIterator it(store.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
    {
        it.next();
        ownedByNobody = it.fileInfo().ownerId() == nobody->pw_uid;
    }
    QVERIFY(ownedByNobody);

    // A reload as nobody: the key is root's and cannot be read again, which does not refuse
    // the reload; the certificate loaded as root stays in use.
    m_daemon.signal(SIGHUP);
    QVERIFY2(waitForLog("SIGHUP: configuration reloaded from", 10000), m_daemon.log().constData());
    QVERIFY2(m_daemon.log().contains("SIGHUP: the TLS certificate was not read again, the running one is kept"),
        m_daemon.log().constData());
    QVERIFY2(!m_daemon.log().contains("nothing applied"), m_daemon.log().constData());
    QSslSocket tls;
    tls.connectToHost(QStringLiteral("127.0.0.93"), 25);
    QVERIFY(tls.waitForConnected(5000));
    QVERIFY(smtpExchange(tls, QByteArray()).startsWith("220 "));
    QVERIFY(smtpExchange(tls, "EHLO client.test").contains("STARTTLS"));
    QVERIFY(smtpExchange(tls, "STARTTLS").startsWith("220"));
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    tls.startClientEncryption();
    QVERIFY(tls.waitForEncrypted(10000));
}

void TestPrivileges::unknownUserExitsWithMessage()
{
    m_env->set(QStringLiteral("TMAIL_USER"), QStringLiteral("no_such_tmail_user"));
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(freeLoopbackPort()));
    const TmailRun run = m_env->run({});
    QCOMPARE(run.exitCode, 1);
    const QString output = run.out + run.err;
    QVERIFY2(output.contains(QLatin1String("TMAIL_USER: unknown user 'no_such_tmail_user'")), qPrintable(output));
}

void TestPrivileges::sighupReloadsAndKeepsSessions()
{
    // Settings from a file, as `tmail --config FILE` or systemd's run script give them.
    const quint16 port = freeLoopbackPort();
    const QString configPath = m_env->path(QStringLiteral("tmail.cfg"));
    const auto writeConfig = [&](const QString &maxHops) {
        QVERIFY(m_env->writeConfigFile(configPath,
            { { QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(port) },
                { QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), maxHops } }));
    };
    writeConfig(QStringLiteral("50"));
    QVERIFY2(m_daemon.start(*m_env, configPath), m_daemon.log().constData());

    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(client.waitForConnected(5000));
    QVERIFY(smtpExchange(client, QByteArray()).startsWith("220 "));
    QVERIFY(smtpExchange(client, "EHLO client.test").startsWith("250"));

    writeConfig(QStringLiteral("20"));
    m_daemon.signal(SIGHUP);
    QVERIFY2(waitForLog("SIGHUP: configuration reloaded from", 10000), m_daemon.log().constData());
    QVERIFY2(m_daemon.log().contains("SIGHUP: TMAIL_SMTPD_MAX_HOPS changed from '50' to '20'; applied"),
        m_daemon.log().constData());

    // The session opened before the reload goes on, and the daemon still accepts new ones.
    QVERIFY(smtpExchange(client, "NOOP").startsWith("250"));
    QVERIFY(smtpExchange(client, "MAIL FROM:<sender@example.net>").startsWith("250"));
    QTcpSocket second;
    second.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(second.waitForConnected(5000));
    QVERIFY(smtpExchange(second, QByteArray()).startsWith("220 "));
    QVERIFY(smtpExchange(client, "QUIT").startsWith("221"));
    QCOMPARE(m_daemon.process().state(), QProcess::Running);
}

QTEST_GUILESS_MAIN(TestPrivileges)
#include "tst_privileges.moc"
