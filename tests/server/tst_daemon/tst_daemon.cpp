// The tmail daemon end to end, as the README's walkthrough uses it: the real binary,
// real clients (swaks), a real receiving MTA (Postfix's smtp-sink), signals.
#include "testpeers.h"
#include "tmaildaemon.h"
#include "tmailprocess.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <csignal>

class TestDaemon : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void seedWalkthroughDeliversThroughRoute();
    void cliChangeHoldsWhenTheCommandReturns();
    void cliChangesApplyWithinASecond();
    void curlSendsOverStartTlsAndImplicitTlsWithAuth();
    void sigtermStopsCleanly();
    void storeSweepRemovesOnlyOldUnreferencedFiles();

private:
    bool startDaemon();
    void openTransaction(QTcpSocket &socket, const QByteArray &domain);
    bool waitForLog(const QByteArray &text, int timeoutMs);

    std::unique_ptr<TmailEnvironment> m_env;
    TmailDaemon m_daemon;
    quint16 m_smtpPort = 0;
};

void TestDaemon::init()
{
    m_env = std::make_unique<TmailEnvironment>();
    QVERIFY(m_env->isValid());
    m_smtpPort = freeLoopbackPort();
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(m_smtpPort));
    m_env->set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(freeLoopbackPort()));
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
}

void TestDaemon::cleanup()
{
    m_daemon.kill();
}

bool TestDaemon::startDaemon()
{
    return m_daemon.start(*m_env);
}

bool TestDaemon::waitForLog(const QByteArray &text, int timeoutMs)
{
    return m_daemon.waitForLog(text, timeoutMs);
}

void TestDaemon::seedWalkthroughDeliversThroughRoute()
{
    TMAIL_REQUIRE_PEER(
        TestPeers::hasProgram(QStringLiteral("smtp-sink")) && TestPeers::hasProgram(QStringLiteral("swaks")),
        "postfix (smtp-sink) or swaks is not installed");
    const quint16 sinkPort = freeLoopbackPort();
    // smtp-sink writes as the postfix user: it must reach the dump directory.
    QFile::setPermissions(m_env->path(QString()),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ExeOther);
    const QString dumpDir = m_env->path(QStringLiteral("sink"));
    QDir().mkpath(dumpDir);
    QFile::setPermissions(dumpDir,
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadOther
            | QFileDevice::WriteOther | QFileDevice::ExeOther);
    QProcess sink;
    QStringList sinkArgs;
    if (::geteuid() == 0)
        sinkArgs << QStringLiteral("-u") << QStringLiteral("postfix");
    sinkArgs << QStringLiteral("-d") << dumpDir + QStringLiteral("/%M.") << QStringLiteral("127.0.0.1:%1").arg(sinkPort)
             << QStringLiteral("10");
    sink.start(QStringLiteral("/usr/sbin/smtp-sink"), sinkArgs);
    QVERIFY(sink.waitForStarted(5000));

    // The walkthrough's commands, then a message through the route.
    QCOMPARE(
        m_env->run({ QStringLiteral("smtpd"), QStringLiteral("addRcpthost"), QStringLiteral("toorop.fr") }).exitCode,
        0);
    QCOMPARE(
        m_env
            ->run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("toorop.fr"),
                QStringLiteral("-rh"), QStringLiteral("127.0.0.1"), QStringLiteral("-rp"), QString::number(sinkPort) })
            .exitCode,
        0);
    QVERIFY2(startDaemon(), m_daemon.log().constData());

    QProcess swaks;
    swaks.start(QStringLiteral("swaks"),
        { QStringLiteral("--server"), QStringLiteral("127.0.0.1:%1").arg(m_smtpPort), QStringLiteral("--from"),
            QStringLiteral("sender@example.net"), QStringLiteral("--to"), QStringLiteral("toorop@toorop.fr"),
            QStringLiteral("--header"), QStringLiteral("Subject: test tmail walkthrough"), QStringLiteral("--body"),
            QStringLiteral("blabla") });
    QVERIFY(swaks.waitForFinished(30000));
    const QByteArray transcript = swaks.readAll();
    QVERIFY2(transcript.contains("250 2.0.0 Ok: queued "), transcript.constData());

    QElapsedTimer timer;
    timer.start();
    QByteArray delivered;
    while (delivered.isEmpty() && timer.elapsed() < 20000)
    {
        QTest::qWait(200);
        for (const QFileInfo &file : QDir(dumpDir).entryInfoList(QDir::Files))
        {
            QFile dump(file.absoluteFilePath());
            if (dump.open(QIODevice::ReadOnly))
                delivered += dump.readAll();
        }
    }
    QVERIFY2(delivered.contains("Subject: test tmail walkthrough"), m_daemon.log().constData());
    QVERIFY(delivered.contains("by mx.test.local (tmail)"));
    QVERIFY(delivered.contains("toorop@toorop.fr"));

    // Delivered messages leave the queue.
    timer.restart();
    TmailRun queue;
    do
    {
        QTest::qWait(200);
        queue = m_env->run({ QStringLiteral("queue"), QStringLiteral("list") });
    } while (!queue.out.contains(QStringLiteral("(none)")) && timer.elapsed() < 10000);
    QVERIFY2(queue.out.contains(QStringLiteral("(none)")), qPrintable(queue.out));
    sink.kill();
    sink.waitForFinished(5000);
}

// A session to the daemon up to RCPT, where a recipient at domain is refused (not a rcpthost yet).
void TestDaemon::openTransaction(QTcpSocket &socket, const QByteArray &domain)
{
    socket.connectToHost(QHostAddress::LocalHost, m_smtpPort);
    QVERIFY(socket.waitForConnected(5000));
    QVERIFY(smtpExchange(socket, {}).startsWith("220 mx.test.local tmail ESMTP "));
    QVERIFY(smtpExchange(socket, "HELO client.test").startsWith("250 mx.test.local"));
    QVERIFY(smtpExchange(socket, "MAIL FROM:<a@client.test>").startsWith("250 ok"));
    QCOMPARE(smtpExchange(socket, "RCPT TO:<user@" + domain + ">"),
        QByteArray("554 5.7.1 <user@" + domain + ">: Relay access denied.\r\n"));
}

void TestDaemon::cliChangeHoldsWhenTheCommandReturns()
{
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    QTcpSocket socket;
    openTransaction(socket, "now.test");
    if (QTest::currentTestFailed())
        return;
    // The command line tells the daemon through its manager socket and waits until smtpd
    // has read the change: the very next RCPT of the open session sees it, both ways.
    QCOMPARE(m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("now.test") }).exitCode, 0);
    QCOMPARE(smtpExchange(socket, "RCPT TO:<user@now.test>"), QByteArray("250 ok\r\n"));
    QCOMPARE(m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("del"), QStringLiteral("now.test") }).exitCode, 0);
    QVERIFY(smtpExchange(socket, "RCPT TO:<user@now.test>").startsWith("554 5.7.1"));
    smtpExchange(socket, "QUIT");

    // The daemon's log keeps each change with its source, never the password given.
    QCOMPARE(m_env
                 ->run({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("who@now.test"),
                     QStringLiteral("Old-Form-Pw-7") })
                 .exitCode,
        0);
    QVERIFY2(
        m_daemon.waitForLog("change from the command line: user add who@now.test", 10000), m_daemon.log().constData());
    QVERIFY(m_daemon.log().contains("change from the command line: rcpthost add now.test"));
    QVERIFY(m_daemon.log().contains("change from the command line: rcpthost del now.test"));
    QVERIFY(!m_daemon.log().contains("Old-Form-Pw-7"));
    QVERIFY(!m_daemon.log().contains("change from the command line: rcpthost list"));
    // rcpthost's -l is a flag: the domain after it is what the line names.
    QCOMPARE(m_env
                 ->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("-l"),
                     QStringLiteral("local.now.test") })
                 .exitCode,
        0);
    QVERIFY2(m_daemon.waitForLog("change from the command line: rcpthost add local.now.test", 10000),
        m_daemon.log().constData());
}

void TestDaemon::cliChangesApplyWithinASecond()
{
    // The refusals while it waits must not end the session.
    m_env->set(QStringLiteral("TMAIL_SMTPD_MAX_BAD_RCPT"), QStringLiteral("0"));
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    // The command line cannot reach this daemon's manager socket (another one's name):
    // the daemon finds the change at its own poll of the change serial.
    m_env->set(QStringLiteral("TMAIL_MANAGER_SOCKET"), m_env->path(QStringLiteral("elsewhere.sock")));
    QTcpSocket socket;
    openTransaction(socket, "live.test");
    if (QTest::currentTestFailed())
        return;

    // From the moment the command line returns, the open session sees the new domain
    // within the second README.md promises; the same RCPT is asked again every 50 ms
    // until it is accepted.
    QCOMPARE(
        m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("live.test") }).exitCode, 0);
    QElapsedTimer timer;
    timer.start();
    QByteArray reply;
    qint64 acceptedAfterMs = -1;
    while (timer.elapsed() < 5000)
    {
        reply = smtpExchange(socket, "RCPT TO:<user@live.test>");
        if (reply.startsWith("250 ok"))
        {
            acceptedAfterMs = timer.elapsed();
            break;
        }
        QVERIFY2(reply.startsWith("554 5.7.1"), reply.constData());
        QTest::qWait(50);
    }
    QVERIFY2(acceptedAfterMs >= 0, reply.constData());
    qInfo("the new rcpthost applied %lld ms after the command line returned", acceptedAfterMs);
    // One poll interval and a margin for a loaded machine.
    QVERIFY2(acceptedAfterMs < 1500, qPrintable(QString::number(acceptedAfterMs)));
    smtpExchange(socket, "QUIT");
}

void TestDaemon::curlSendsOverStartTlsAndImplicitTlsWithAuth()
{
    TMAIL_REQUIRE_PEER(TestPeers::hasProgram(QStringLiteral("curl")), "curl is not installed");
    const quint16 tlsPort = freeLoopbackPort();
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"),
        QStringLiteral("127.0.0.1:%1:false,127.0.0.1:%2:true").arg(m_smtpPort).arg(tlsPort));
    QCOMPARE(
        m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("curl.test") }).exitCode, 0);
    QCOMPARE(m_env
                 ->run({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("sender@curl.test"),
                     QStringLiteral("curl-pw") })
                 .exitCode,
        0);
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    const QString message = m_env->path(QStringLiteral("curl-message.txt"));
    QFile file(message);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("From: sender@curl.test\r\nSubject: from curl\r\n\r\nsent by curl\r\n");
    file.close();
    const auto curl = [&message](const QStringList &extra) {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStringLiteral("curl"),
            QStringList { QStringLiteral("-sS"), QStringLiteral("-k"), QStringLiteral("--max-time"),
                QStringLiteral("20"), QStringLiteral("--upload-file"), message }
                + extra);
        process.waitForFinished(30000);
        return qMakePair(process.exitCode(), process.readAll());
    };
    // smtp:// with --ssl-reqd: STARTTLS on the clear listener, to a rcpthost.
    auto result = curl({ QStringLiteral("--url"), QStringLiteral("smtp://127.0.0.1:%1").arg(m_smtpPort),
        QStringLiteral("--ssl-reqd"), QStringLiteral("--mail-from"), QStringLiteral("sender@curl.test"),
        QStringLiteral("--mail-rcpt"), QStringLiteral("local@curl.test") });
    QVERIFY2(result.first == 0, result.second.constData());
    // smtps:// with AUTH: an authenticated user may relay to any domain.
    result = curl({ QStringLiteral("--url"), QStringLiteral("smtps://127.0.0.1:%1").arg(tlsPort),
        QStringLiteral("--user"), QStringLiteral("sender@curl.test:curl-pw"), QStringLiteral("--mail-from"),
        QStringLiteral("sender@curl.test"), QStringLiteral("--mail-rcpt"), QStringLiteral("someone@elsewhere.test") });
    QVERIFY2(result.first == 0, result.second.constData());
    // The same relay without AUTH is refused.
    result = curl({ QStringLiteral("--url"), QStringLiteral("smtps://127.0.0.1:%1").arg(tlsPort),
        QStringLiteral("--mail-from"), QStringLiteral("sender@curl.test"), QStringLiteral("--mail-rcpt"),
        QStringLiteral("someone@elsewhere.test") });
    QVERIFY(result.first != 0);
    // --wide: every recipient whole (the short list cuts them to fit 100 columns).
    const TmailRun queue = m_env->run({ QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--wide") });
    QVERIFY2(queue.out.contains(QStringLiteral("local@curl.test")), qPrintable(queue.out));
    QVERIFY2(queue.out.contains(QStringLiteral("someone@elsewhere.test")), qPrintable(queue.out));
    QCOMPARE(queue.out.count(QStringLiteral("someone@elsewhere.test")), 1);
}

void TestDaemon::sigtermStopsCleanly()
{
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    QVERIFY2(m_daemon.terminate(35000), m_daemon.log().constData());
    QVERIFY2(m_daemon.log().contains("INFO - tmail stopped"), m_daemon.log().constData());
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_smtpPort);
    QVERIFY(!socket.waitForConnected(1000));
}

void TestDaemon::storeSweepRemovesOnlyOldUnreferencedFiles()
{
    // One message stays queued (its domain has no reachable DNS), then the daemon stops.
    QCOMPARE(
        m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("kept.test") }).exitCode, 0);
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_smtpPort);
    QVERIFY(socket.waitForConnected(5000));
    QVERIFY(smtpExchange(socket, {}).startsWith("220 "));
    QVERIFY(smtpExchange(socket, "HELO client.test").startsWith("250"));
    QVERIFY(smtpExchange(socket, "MAIL FROM:<a@client.test>").startsWith("250"));
    QVERIFY(smtpExchange(socket, "RCPT TO:<user@kept.test>").startsWith("250"));
    QVERIFY(smtpExchange(socket, "DATA").startsWith("354"));
    const QByteArray queued = smtpExchange(socket, "Subject: kept\r\n\r\nbody\r\n.");
    QVERIFY2(queued.startsWith("250 2.0.0 Ok: queued "), queued.constData());
    const QString queuedId = QString::fromLatin1(queued.mid(21, 40));
    smtpExchange(socket, "QUIT");
    QVERIFY2(m_daemon.terminate(30000), m_daemon.log().constData());

    // Files as a crash leaves them, two days old, beside a fresh one and a foreign one.
    const QDir store(m_env->path(QStringLiteral("store")));
    const QDateTime twoDaysAgo = QDateTime::currentDateTime().addDays(-2);
    const auto place = [&](const QString &relative, const QDateTime &written) {
        QVERIFY(store.mkpath(QFileInfo(relative).path()));
        QFile file(store.filePath(relative));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Subject: left by a crash\r\n\r\n");
        QVERIFY(file.flush()); // before the time: a write at close would set it again
        QVERIFY(file.setFileTime(written, QFileDevice::FileModificationTime));
    };
    const QString oldOrphan = QStringLiteral("ab/") + QString(40, QLatin1Char('a'));
    const QString oldReceiving = QStringLiteral("tmp/") + QString(40, QLatin1Char('b'));
    const QString freshOrphan = QStringLiteral("cd/") + QString(40, QLatin1Char('c'));
    const QString foreign = QStringLiteral("ab/notes.txt");
    place(oldOrphan, twoDaysAgo);
    place(oldReceiving, twoDaysAgo);
    place(freshOrphan, QDateTime::currentDateTime());
    place(foreign, twoDaysAgo);
    QString queuedBody;
    for (const QString &directory : store.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
    {
        if (QFile::exists(store.filePath(directory + QLatin1Char('/') + queuedId)))
            queuedBody = directory + QLatin1Char('/') + queuedId;
    }
    QVERIFY2(!queuedBody.isEmpty(), qPrintable(queuedId));
    QFile body(store.filePath(queuedBody));
    QVERIFY(body.open(QIODevice::ReadWrite));
    QVERIFY(body.setFileTime(twoDaysAgo, QFileDevice::FileModificationTime));
    body.close();

    QVERIFY2(startDaemon(), m_daemon.log().constData());
    QVERIFY2(waitForLog("store sweep: removing 2 file(s) older than a day that no queued message names", 10000),
        m_daemon.log().constData());
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(store.filePath(oldOrphan)), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(store.filePath(oldReceiving)), 5000);
    QVERIFY(QFile::exists(store.filePath(freshOrphan)));
    QVERIFY(QFile::exists(store.filePath(foreign)));
    QVERIFY(QFile::exists(store.filePath(queuedBody)));
    const TmailRun list = m_env->run({ QStringLiteral("queue"), QStringLiteral("show"), queuedId });
    QCOMPARE(list.exitCode, 0);
}

QTEST_GUILESS_MAIN(TestDaemon)
#include "tst_daemon.moc"
