// Local domains (rcpthost -l) delivered over LMTP to a real Dovecot: the message in the
// Maildir byte for byte, unknown users refused at RCPT, one reply per recipient after the
// data honoured, and a Dovecot that is down (deferred, then delivered once it is back).
// The shared lab comes from ./test.sh (TMAIL_TEST_LMTP_*); run by hand, the suite starts
// its own with tests/helpers/dovecotlab.sh.
#include "testpeers.h"
#include "testsmtpsink.h"
#include "tmaildaemon.h"
#include "tmailprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString Domain = QStringLiteral("dovecot.test");

QString labScript()
{
    return QStringLiteral(TMAIL_SOURCE_DIR "/tests/helpers/dovecotlab.sh");
}

// The export lines of dovecotlab.sh as a map.
QHash<QString, QString> parseExports(const QByteArray &output)
{
    QHash<QString, QString> values;
    for (const QByteArray &line : output.split('\n'))
    {
        if (!line.startsWith("export "))
            continue;
        const int equals = line.indexOf('=');
        values.insert(QString::fromUtf8(line.mid(7, equals - 7)), QString::fromUtf8(line.mid(equals + 1)));
    }
    return values;
}

bool runLab(const QString &action, const QString &dir, QHash<QString, QString> *exports = nullptr)
{
    QProcess lab;
    lab.start(QStringLiteral("bash"), { labScript(), action, dir });
    if (!lab.waitForFinished(30000) || lab.exitCode() != 0)
    {
        qWarning("dovecotlab.sh %s: %s", qPrintable(action), lab.readAllStandardError().constData());
        return false;
    }
    if (exports)
        *exports = parseExports(lab.readAllStandardOutput());
    return true;
}

// The files of a user's Maildir new/ (where LMTP deliveries land).
QStringList newMail(const QString &maildirRoot, const QString &user)
{
    const QDir dir(maildirRoot + QLatin1Char('/') + user + QStringLiteral("/Maildir/new"));
    QStringList files;
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
        files.append(dir.filePath(name));
    return files;
}

// The content of the first file in user's new/ that contains marker (bounded wait).
QByteArray waitForMail(const QString &maildirRoot, const QString &user, const QByteArray &marker, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    do
    {
        for (const QString &path : newMail(maildirRoot, user))
        {
            QFile file(path);
            if (file.open(QIODevice::ReadOnly))
            {
                const QByteArray content = file.readAll();
                if (content.contains(marker))
                    return content;
            }
        }
        QTest::qWait(100);
    } while (timer.elapsed() < timeoutMs);
    return QByteArray();
}

int countMail(const QString &maildirRoot, const QString &user, const QByteArray &marker)
{
    int count = 0;
    for (const QString &path : newMail(maildirRoot, user))
    {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(marker))
            ++count;
    }
    return count;
}

} // namespace

class TestLmtp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void deliversIntoTheMaildirByteForByte();
    void refusesUnknownUsersAtRcpt();
    void usersModeChecksTheUsersTable();
    void eachRecipientHasItsOwnReplyAfterTheData();
    void probeFailureIsTemporary();
    void dovecotDownDefersThenDelivers();
    void notifySuccessGetsADeliveredNotice();

private:
    bool startDaemon(const QString &target, const QString &verify = QString());
    // EHLO, MAIL FROM:<sender>: the session is ready for RCPTs.
    void openTransaction(QTcpSocket &socket, const QByteArray &sender);
    QByteArray sendMessage(const QByteArray &sender, const QList<QByteArray> &recipients, const QByteArray &message);

    QTemporaryDir m_ownLab;
    bool m_ownLabStarted = false;
    QHash<QString, QString> m_lab;
    std::unique_ptr<TmailEnvironment> m_env;
    TmailDaemon m_daemon;
    quint16 m_smtpPort = 0;
};

void TestLmtp::initTestCase()
{
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    if (system.contains(QStringLiteral("TMAIL_TEST_LMTP_SOCKET")))
    {
        for (const QString &name : { QStringLiteral("TMAIL_TEST_LMTP_DIR"), QStringLiteral("TMAIL_TEST_LMTP_TARGET"),
                 QStringLiteral("TMAIL_TEST_LMTP_SOCKET"), QStringLiteral("TMAIL_TEST_MAILDIR_ROOT") })
            m_lab.insert(name, system.value(name));
        return;
    }
    TMAIL_REQUIRE_PEER(
        TestPeers::hasProgram(QStringLiteral("dovecot")) && QFile::exists(QStringLiteral("/usr/lib/dovecot/lmtp")),
        "dovecot-core and dovecot-lmtpd are not installed");
    QVERIFY(m_ownLab.isValid());
    // Dovecot writes the Maildirs as an unprivileged user: it must reach them.
    QVERIFY(QFile::setPermissions(m_ownLab.path(), QFileDevice::Permissions(0x7755)));
    QVERIFY(runLab(QStringLiteral("start"), m_ownLab.filePath(QStringLiteral("dovecot")), &m_lab));
    m_ownLabStarted = true;
}

void TestLmtp::cleanupTestCase()
{
    if (m_ownLabStarted)
        runLab(QStringLiteral("stop"), m_ownLab.filePath(QStringLiteral("dovecot")));
}

void TestLmtp::init()
{
    m_env = std::make_unique<TmailEnvironment>();
    QVERIFY(m_env->isValid());
    m_smtpPort = freeLoopbackPort();
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(m_smtpPort));
    m_env->set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(freeLoopbackPort()));
    m_env->set(QStringLiteral("TMAIL_DELIVERD_REMOTE_TIMEOUT"), QStringLiteral("10"));
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    QCOMPARE(
        m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("-l"), Domain }).exitCode, 0);
}

void TestLmtp::cleanup()
{
    m_daemon.kill();
}

bool TestLmtp::startDaemon(const QString &target, const QString &verify)
{
    m_env->set(QStringLiteral("TMAIL_LMTP_TARGET"), target);
    m_env->set(QStringLiteral("TMAIL_LMTP_VERIFY"), verify);
    return m_daemon.start(*m_env);
}

void TestLmtp::openTransaction(QTcpSocket &socket, const QByteArray &sender)
{
    socket.connectToHost(QHostAddress::LocalHost, m_smtpPort);
    QVERIFY(socket.waitForConnected(5000));
    QVERIFY(smtpExchange(socket, QByteArray()).startsWith("220"));
    QVERIFY(smtpExchange(socket, "EHLO client.test").startsWith("250"));
    QVERIFY(smtpExchange(socket, "MAIL FROM:<" + sender + ">").startsWith("250"));
}

QByteArray TestLmtp::sendMessage(
    const QByteArray &sender, const QList<QByteArray> &recipients, const QByteArray &message)
{
    QTcpSocket socket;
    openTransaction(socket, sender);
    QByteArray replies;
    for (const QByteArray &recipient : recipients)
        replies += smtpExchange(socket, "RCPT TO:<" + recipient + ">");
    replies += smtpExchange(socket, "DATA");
    QByteArray stuffed;
    for (const QByteArray &line : message.split('\n'))
        stuffed += (line.startsWith('.') ? "." + line : line) + "\n";
    stuffed.chop(1);
    socket.write(stuffed);
    replies += smtpExchange(socket, ".");
    smtpExchange(socket, "QUIT");
    return replies;
}

void TestLmtp::deliversIntoTheMaildirByteForByte()
{
    QVERIFY2(startDaemon(m_lab.value(QStringLiteral("TMAIL_TEST_LMTP_SOCKET"))), m_daemon.log().constData());
    const QByteArray marker = "byte-for-byte-" + QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    // A line that starts with a dot (dot-stuffed twice on the way), 8-bit text, blank
    // lines, a long line, trailing blanks.
    const QByteArray message = "From: Sender <sender@example.net>\r\n"
                               "To: alice@dovecot.test, bob@dovecot.test\r\n"
                               "Subject: "
        + marker
        + "\r\n"
          "MIME-Version: 1.0\r\n"
          "Content-Type: text/plain; charset=utf-8\r\n"
          "Content-Transfer-Encoding: 8bit\r\n"
          "\r\n"
          "Premi\xc3\xa8re ligne, avec des accents.\r\n"
          ".a line that starts with a dot\r\n"
          "..and one with two\r\n"
          "\r\n"
          "  indented, trailing blanks   \r\n"
        + QByteArray(900, 'x')
        + "\r\n"
          "last line\r\n";
    const QByteArray replies = sendMessage("sender@example.net", { "alice@dovecot.test", "bob@dovecot.test" }, message);
    QVERIFY2(replies.contains("250 2.0.0 Ok: queued"), replies.constData());

    const QString root = m_lab.value(QStringLiteral("TMAIL_TEST_MAILDIR_ROOT"));
    for (const QString &user : { QStringLiteral("alice"), QStringLiteral("bob") })
    {
        const QByteArray stored = waitForMail(root, user, marker, 20000);
        QVERIFY2(!stored.isEmpty(), m_daemon.log().constData());
        // What Dovecot stores: its Return-Path line (no Delivered-To for a transaction of
        // two recipients, and the lab turns its Received header off), then tmail's
        // Received header, then the message exactly as sent, its CRLF line ends as LF
        // (Maildir keeps the system's line ends).
        const QByteArray prefix = "Return-Path: <sender@example.net>\n";
        QVERIFY2(stored.startsWith(prefix), stored.left(300).constData());
        QByteArray rest = stored.mid(prefix.size());
        QVERIFY2(rest.startsWith("Received: from client.test"), rest.left(200).constData());
        qsizetype end = rest.indexOf('\n');
        while (end >= 0 && end + 1 < rest.size() && (rest.at(end + 1) == '\t' || rest.at(end + 1) == ' '))
            end = rest.indexOf('\n', end + 1);
        QVERIFY(end > 0);
        const QByteArray received = rest.left(end + 1);
        QVERIFY2(received.contains("(tmail)"), received.constData());
        QByteArray expected = message;
        expected.replace("\r\n", "\n");
        QCOMPARE(rest.mid(end + 1), expected);
        QCOMPARE(countMail(root, user, marker), 1);
    }
    QVERIFY(m_daemon.waitForLog("to alice@dovecot.test delivered: 2.0.0 host lmtp[unix:", 5000));
    // The message leaves the queue.
    QElapsedTimer timer;
    timer.start();
    TmailRun queue;
    do
    {
        QTest::qWait(200);
        queue = m_env->run({ QStringLiteral("queue"), QStringLiteral("list") });
    } while (!queue.out.contains(QStringLiteral("(none)")) && timer.elapsed() < 10000);
    QVERIFY2(queue.out.contains(QStringLiteral("(none)")), qPrintable(queue.out));
}

void TestLmtp::refusesUnknownUsersAtRcpt()
{
    // TCP this time; the verify mode is lmtp by default once a target is set.
    QVERIFY2(startDaemon(m_lab.value(QStringLiteral("TMAIL_TEST_LMTP_TARGET"))), m_daemon.log().constData());
    const QString dovecotLog = m_lab.value(QStringLiteral("TMAIL_TEST_LMTP_DIR")) + QStringLiteral("/dovecot.log");
    const auto probesSeen = [&dovecotLog]() {
        QFile log(dovecotLog);
        return log.open(QIODevice::ReadOnly) ? int(log.readAll().count("Info: Connect from 127.0.0.1")) : -1;
    };
    const int probesBefore = probesSeen();
    QVERIFY(probesBefore >= 0);
    QTcpSocket socket;
    openTransaction(socket, "sender@example.net");
    QByteArray reply = smtpExchange(socket, "RCPT TO:<nobody@dovecot.test>");
    QVERIFY2(reply.startsWith("550 5.1.1 <nobody@dovecot.test>"), reply.constData());
    reply = smtpExchange(socket, "RCPT TO:<alice@dovecot.test>");
    QVERIFY2(reply.startsWith("250"), reply.constData());
    // Pipelined RCPTs are answered in order, each after its own probe.
    socket.write("RCPT TO:<ghost@dovecot.test>\r\nRCPT TO:<bob@dovecot.test>\r\nRCPT TO:<Ghost@dovecot.test>\r\n");
    reply = smtpExchange(socket, QByteArray());
    QVERIFY2(reply.startsWith("550 5.1.1 <ghost@dovecot.test>"), reply.constData());
    reply = smtpExchange(socket, QByteArray());
    QVERIFY2(reply.startsWith("250"), reply.constData());
    reply = smtpExchange(socket, QByteArray());
    QVERIFY2(reply.startsWith("550 5.1.1 <Ghost@dovecot.test>"), reply.constData());
    // Another domain is not checked against Dovecot (and not relayed either).
    reply = smtpExchange(socket, "RCPT TO:<someone@elsewhere.test>");
    QVERIFY2(reply.startsWith("554 5.7.1"), reply.constData());
    QVERIFY(m_daemon.waitForLog("unknown local recipient nobody@dovecot.test", 5000));
    smtpExchange(socket, "QUIT");
    // One probe (one LMTP connection) per address: the second ghost came from the cache.
    QTRY_COMPARE_WITH_TIMEOUT(probesSeen() - probesBefore, 4, 5000);
    QTest::qWait(300);
    QCOMPARE(probesSeen() - probesBefore, 4);
}

void TestLmtp::usersModeChecksTheUsersTable()
{
    QCOMPARE(m_env
                 ->run({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--password-stdin"),
                           QStringLiteral("carol@dovecot.test") },
                     "a-password\n")
                 .exitCode,
        0);
    QVERIFY2(startDaemon(m_lab.value(QStringLiteral("TMAIL_TEST_LMTP_SOCKET")), QStringLiteral("users")),
        m_daemon.log().constData());
    QTcpSocket socket;
    openTransaction(socket, "sender@example.net");
    QByteArray reply = smtpExchange(socket, "RCPT TO:<carol@dovecot.test>");
    QVERIFY2(reply.startsWith("250"), reply.constData());
    // alice has a mailbox in Dovecot but is not one of tmail's users.
    reply = smtpExchange(socket, "RCPT TO:<alice@dovecot.test>");
    QVERIFY2(reply.startsWith("550 5.1.1 <alice@dovecot.test>"), reply.constData());
    smtpExchange(socket, "QUIT");
}

void TestLmtp::eachRecipientHasItsOwnReplyAfterTheData()
{
    // carol's quota (1 KiB) makes Dovecot answer 552 5.2.2 for her after the data; bob's
    // Maildir made unwritable, a 4xx for him; alice gets hers. Only carol is bounced, bob waits.
    const QString root = m_lab.value(QStringLiteral("TMAIL_TEST_MAILDIR_ROOT"));
    const QString bobDir = root + QStringLiteral("/bob");
    const QFileDevice::Permissions bobPermissions = QFile::permissions(bobDir);
    QVERIFY(QFile::setPermissions(bobDir, QFileDevice::Permissions()));
    auto restore = qScopeGuard([&]() { QFile::setPermissions(bobDir, bobPermissions); });
    QVERIFY2(startDaemon(m_lab.value(QStringLiteral("TMAIL_TEST_LMTP_SOCKET"))), m_daemon.log().constData());
    const QByteArray marker = "per-recipient-" + QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    QByteArray message = "Subject: " + marker + "\r\n\r\n";
    for (int i = 0; i < 40; ++i)
        message += QByteArray(76, 'y') + "\r\n";
    const QByteArray replies = sendMessage(
        "sender@example.net", { "alice@dovecot.test", "bob@dovecot.test", "carol@dovecot.test" }, message);
    QVERIFY2(replies.contains("250 2.0.0 Ok: queued"), replies.constData());
    QVERIFY(!waitForMail(root, QStringLiteral("alice"), marker, 20000).isEmpty());
    QVERIFY2(m_daemon.waitForLog("to carol@dovecot.test failed: 5.2.2 host lmtp[", 10000), m_daemon.log().constData());
    QVERIFY(m_daemon.waitForLog("to bob@dovecot.test deferred: 4.", 10000));
    QVERIFY2(m_daemon.log().contains("552 5.2.2 <carol@dovecot.test> Quota exceeded"), m_daemon.log().constData());
    QVERIFY(m_daemon.log().contains("to alice@dovecot.test delivered: 2.0.0 host lmtp["));
    QVERIFY(!m_daemon.log().contains("to alice@dovecot.test failed"));
    QCOMPARE(countMail(root, QStringLiteral("carol"), marker), 0);

    // Still queued: for bob only, carol's failure given up (bounced to the sender).
    QElapsedTimer timer;
    timer.start();
    TmailRun queue;
    do
    {
        QTest::qWait(200);
        queue = m_env->run({ QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--wide") });
    } while (!queue.out.contains(QStringLiteral("bob@dovecot.test")) && timer.elapsed() < 10000);
    QVERIFY2(queue.out.contains(QStringLiteral("bob@dovecot.test")), qPrintable(queue.out));

    // bob's mailbox back: the retry delivers to him, and to him only.
    restore.dismiss();
    QVERIFY(QFile::setPermissions(bobDir, bobPermissions));
    QCOMPARE(m_env->run({ QStringLiteral("queue"), QStringLiteral("retry"), QStringLiteral("--all") }).exitCode, 0);
    QVERIFY2(!waitForMail(root, QStringLiteral("bob"), marker, 20000).isEmpty(), m_daemon.log().constData());
    QTest::qWait(500);
    QCOMPARE(countMail(root, QStringLiteral("alice"), marker), 1);
    QCOMPARE(countMail(root, QStringLiteral("bob"), marker), 1);
    QCOMPARE(countMail(root, QStringLiteral("carol"), marker), 0);
}

void TestLmtp::probeFailureIsTemporary()
{
    // Nothing listens there: the probe fails, and the client is told to try later.
    const quint16 closedPort = freeLoopbackPort();
    QVERIFY2(startDaemon(QStringLiteral("127.0.0.1:%1").arg(closedPort)), m_daemon.log().constData());
    QTcpSocket socket;
    openTransaction(socket, "sender@example.net");
    const QByteArray reply = smtpExchange(socket, "RCPT TO:<alice@dovecot.test>");
    QVERIFY2(reply.startsWith("451 4.4.1 <alice@dovecot.test>"), reply.constData());
    QVERIFY(m_daemon.waitForLog("LMTP recipient check at lmtp[127.0.0.1:", 5000));
    smtpExchange(socket, "QUIT");
}

void TestLmtp::dovecotDownDefersThenDelivers()
{
    TMAIL_REQUIRE_PEER(TestPeers::hasProgram(QStringLiteral("dovecot")), "dovecot-core is not installed");
    // An instance of this test's own, which it stops and starts again.
    QTemporaryDir labDir;
    QVERIFY(labDir.isValid());
    QVERIFY(QFile::setPermissions(labDir.path(), QFileDevice::Permissions(0x7755)));
    const QString dir = labDir.filePath(QStringLiteral("dovecot"));
    QHash<QString, QString> lab;
    QVERIFY(runLab(QStringLiteral("start"), dir, &lab));
    const auto stopLab = qScopeGuard([&]() { runLab(QStringLiteral("stop"), dir); });
    QVERIFY(runLab(QStringLiteral("stop"), dir));

    // Users are checked in tmail's table, so that the message is accepted while Dovecot is down.
    QCOMPARE(m_env
                 ->run({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--password-stdin"),
                           QStringLiteral("alice@dovecot.test") },
                     "a-password\n")
                 .exitCode,
        0);
    QVERIFY2(startDaemon(lab.value(QStringLiteral("TMAIL_TEST_LMTP_TARGET")), QStringLiteral("users")),
        m_daemon.log().constData());
    const QByteArray marker = "while-down-" + QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    const QByteArray replies
        = sendMessage("sender@example.net", { "alice@dovecot.test" }, "Subject: " + marker + "\r\n\r\nhello\r\n");
    QVERIFY2(replies.contains("250 2.0.0 Ok: queued"), replies.constData());
    QVERIFY2(m_daemon.waitForLog("to alice@dovecot.test deferred: 4.4.1 LMTP server 127.0.0.1:", 20000),
        m_daemon.log().constData());
    const TmailRun queue = m_env->run({ QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--wide") });
    QVERIFY2(queue.out.contains(QStringLiteral("alice@dovecot.test")), qPrintable(queue.out));

    // Back on the same port: the next attempt delivers it, once.
    qputenv(
        "DOVECOT_LAB_PORT", lab.value(QStringLiteral("TMAIL_TEST_LMTP_TARGET")).section(QLatin1Char(':'), 1).toUtf8());
    const bool restarted = runLab(QStringLiteral("start"), dir);
    qunsetenv("DOVECOT_LAB_PORT");
    QVERIFY(restarted);
    QCOMPARE(m_env->run({ QStringLiteral("queue"), QStringLiteral("retry"), QStringLiteral("--all") }).exitCode, 0);
    const QString root = lab.value(QStringLiteral("TMAIL_TEST_MAILDIR_ROOT"));
    const QByteArray stored = waitForMail(root, QStringLiteral("alice"), marker, 20000);
    QVERIFY2(!stored.isEmpty(), m_daemon.log().constData());
    // One recipient: Dovecot adds Delivered-To as well.
    QVERIFY2(stored.startsWith("Return-Path: <sender@example.net>\nDelivered-To: alice@dovecot.test\nReceived: "),
        stored.left(200).constData());
    QTest::qWait(500);
    QCOMPARE(countMail(root, QStringLiteral("alice"), marker), 1);
}

void TestLmtp::notifySuccessGetsADeliveredNotice()
{
    // The sender's domain is reached through a route to a sink: the notice lands there.
    TestSmtpSink sink;
    QVERIFY(sink.listen(QHostAddress::LocalHost, 0));
    QCOMPARE(m_env
                 ->run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
                     QStringLiteral("sender.test"), QStringLiteral("-rh"), QStringLiteral("127.0.0.1"),
                     QStringLiteral("-rp"), QString::number(sink.serverPort()) })
                 .exitCode,
        0);
    QVERIFY2(startDaemon(m_lab.value(QStringLiteral("TMAIL_TEST_LMTP_SOCKET"))), m_daemon.log().constData());
    const QByteArray marker = "delivered-notice-" + QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    // RFC 3461: NOTIFY=SUCCESS for alice, nothing asked for bob.
    QTcpSocket session;
    session.connectToHost(QHostAddress::LocalHost, m_smtpPort);
    QVERIFY(session.waitForConnected(5000));
    QVERIFY(smtpExchange(session, QByteArray()).startsWith("220"));
    QVERIFY(smtpExchange(session, "EHLO client.test").startsWith("250"));
    QVERIFY(smtpExchange(session, "MAIL FROM:<someone@sender.test> ENVID=env-" + marker).startsWith("250"));
    QVERIFY(smtpExchange(session, "RCPT TO:<alice@dovecot.test> NOTIFY=SUCCESS").startsWith("250"));
    QVERIFY(smtpExchange(session, "RCPT TO:<bob@dovecot.test>").startsWith("250"));
    QVERIFY(smtpExchange(session, "DATA").startsWith("354"));
    session.write("Subject: " + marker + "\r\n\r\nbody\r\n");
    QVERIFY(smtpExchange(session, ".").startsWith("250"));
    smtpExchange(session, "QUIT");

    const QString root = m_lab.value(QStringLiteral("TMAIL_TEST_MAILDIR_ROOT"));
    QVERIFY2(!waitForMail(root, QStringLiteral("alice"), marker, 20000).isEmpty(), m_daemon.log().constData());
    QVERIFY2(QTest::qWaitFor([&sink]() { return !sink.messages.isEmpty(); }, 20000), m_daemon.log().constData());
    const SinkMessage notice = sink.messages.first();
    QCOMPARE(notice.sender, QString()); // RFC 3461 §6.2: a notice goes out with the null sender
    QCOMPARE(notice.recipients, QStringList { QStringLiteral("someone@sender.test") });
    QVERIFY2(notice.data.contains("Action: delivered"), notice.data.constData());
    QVERIFY2(notice.data.contains("Final-Recipient: rfc822; alice@dovecot.test"), notice.data.constData());
    QVERIFY2(!notice.data.contains("bob@dovecot.test"), notice.data.constData());
    QVERIFY2(
        notice.data.contains(QByteArray(QByteArray("Original-Envelope-Id: env-") + marker)), notice.data.constData());
    // One notice only: bob asked for none.
    QTest::qWait(1000);
    QCOMPARE(sink.messages.size(), 1);
}

QTEST_GUILESS_MAIN(TestLmtp)
#include "tst_lmtp.moc"
