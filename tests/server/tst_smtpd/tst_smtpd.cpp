// smtpd over real sockets: every reply text that matters, relay decisions, durable
// queueing, DATA safety, STARTTLS and implicit TLS, AUTH, limits, and real clients.
#include "smtptestclient.h"
#include "smtptestserver.h"
#include "testcertificate.h"
#include "testpeers.h"

#include "core/dsn.h"
#include "db/queuetable.h"
#include "db/tables.h"
#include "smtpd/tlshandshakepool.h"

#include <algorithm>
#include <memory>
#include <vector>

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray PlainAlice = QByteArrayLiteral("\0alice@example.org\0secret").toBase64();

void addRcptHost(Database &db, const QString &domain)
{
    RcptHostTable table(db);
    QVERIFY(table.add(Domain::parse(domain).value(), false).ok());
}

QString queuedId(const QString &reply)
{
    static const QRegularExpression pattern(QStringLiteral("^250 2\\.0\\.0 Ok: queued ([0-9a-f]{40})$"));
    const QRegularExpressionMatch match = pattern.match(reply);
    return match.hasMatch() ? match.captured(1) : QString();
}

// Runs a program to its end while the event loop (and so Smtpd) keeps running.
int runProcess(
    const QString &program, const QStringList &arguments, QByteArray *output = nullptr, int timeoutMs = 20000)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!QTest::qWaitFor([&]() { return process.state() == QProcess::NotRunning; }, timeoutMs))
    {
        process.kill();
        (void)QTest::qWaitFor([&]() { return process.state() == QProcess::NotRunning; }, 2000);
        return -2;
    }
    if (output)
    {
        *output = process.readAll();
    }
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

// The first bytes of a TLS ClientHello record that announces more than it sends: the
// server's handshake waits for the rest.
const QByteArray PartialClientHello = QByteArray::fromHex("160301020001000200fc0303");

// A raw client that stops in the middle of a TLS handshake, on the implicit-TLS port or
// after STARTTLS on the clear one.
bool stallInHandshake(QTcpSocket &socket, quint16 port, bool implicitTls)
{
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&]() { return socket.state() == QAbstractSocket::ConnectedState; }, 5000))
    {
        return false;
    }
    QByteArray received;
    const auto waitFor = [&](const QByteArray &text) {
        return QTest::qWaitFor(
            [&]() {
                received += socket.readAll();
                return received.contains(text);
            },
            5000);
    };
    if (!implicitTls)
    {
        if (!waitFor("220 mx.test"))
        {
            return false;
        }
        socket.write("EHLO stall.test\r\nSTARTTLS\r\n");
        if (!waitFor("220 2.0.0"))
        {
            return false;
        }
    }
    socket.write(PartialClientHello);
    return socket.flush() || socket.bytesToWrite() == 0;
}

// Many STARTTLS sessions driven together by the event loop: greeting, EHLO, STARTTLS,
// handshake, EHLO over TLS, QUIT.
class StartTlsCrowd
{
public:
    StartTlsCrowd(int count, quint16 port)
    {
        m_clients.resize(count);
        for (Client &client : m_clients)
        {
            client.socket = std::make_unique<QSslSocket>();
            QSslSocket *socket = client.socket.get();
            socket->setPeerVerifyMode(QSslSocket::VerifyNone);
            QObject::connect(socket, &QSslSocket::readyRead, socket, [&client]() { onReadyRead(client); });
            QObject::connect(socket, &QSslSocket::encrypted, socket, [&client]() {
                client.step = Step::EhloTls;
                client.socket->write("EHLO crowd.test\r\n");
            });
            socket->connectToHost(QStringLiteral("127.0.0.1"), port);
        }
    }

    int finished() const
    {
        return int(std::count_if(
            m_clients.cbegin(), m_clients.cend(), [](const Client &client) { return client.step == Step::Done; }));
    }
    int failed() const
    {
        return int(std::count_if(
            m_clients.cbegin(), m_clients.cend(), [](const Client &client) { return client.step == Step::Failed; }));
    }
    QString firstFailure() const
    {
        for (const Client &client : m_clients)
        {
            if (client.step == Step::Failed)
            {
                return client.failure;
            }
        }
        return {};
    }

private:
    enum class Step
    {
        Greeting,
        Ehlo,
        StartTls,
        Handshake,
        EhloTls,
        Quit,
        Done,
        Failed,
    };
    struct Client
    {
        std::unique_ptr<QSslSocket> socket;
        QByteArray buffer;
        Step step = Step::Greeting;
        QString failure;
    };

    static void onReadyRead(Client &client)
    {
        client.buffer += client.socket->readAll();
        // A reply ends with a line whose fourth character is a space.
        for (;;)
        {
            qsizetype start = 0;
            qsizetype end = -1;
            while (start < client.buffer.size())
            {
                const qsizetype newline = client.buffer.indexOf('\n', start);
                if (newline < 0)
                {
                    break;
                }
                if (newline - start >= 4 && client.buffer.at(start + 3) == ' ')
                {
                    end = newline + 1;
                    break;
                }
                start = newline + 1;
            }
            if (end < 0)
            {
                return;
            }
            const QByteArray reply = client.buffer.left(end);
            client.buffer.remove(0, end);
            advance(client, reply);
        }
    }

    static void advance(Client &client, const QByteArray &reply)
    {
        const auto expect = [&](const char *code) {
            if (reply.startsWith(code))
            {
                return true;
            }
            client.failure = QString::fromLatin1(reply);
            client.step = Step::Failed;
            return false;
        };
        switch (client.step)
        {
        case Step::Greeting:
            if (expect("220 "))
            {
                client.step = Step::Ehlo;
                client.socket->write("EHLO crowd.test\r\n");
            }
            break;
        case Step::Ehlo:
            if (expect("250") && reply.contains("STARTTLS"))
            {
                client.step = Step::StartTls;
                client.socket->write("STARTTLS\r\n");
            }
            break;
        case Step::StartTls:
            if (expect("220 2.0.0"))
            {
                client.step = Step::Handshake;
                client.socket->startClientEncryption();
            }
            break;
        case Step::EhloTls:
            if (expect("250") && !reply.contains("STARTTLS"))
            {
                client.step = Step::Quit;
                client.socket->write("QUIT\r\n");
            }
            break;
        case Step::Quit:
            if (expect("221 "))
            {
                client.step = Step::Done;
            }
            break;
        default:
            client.failure = QStringLiteral("unexpected: ") + QString::fromLatin1(reply);
            client.step = Step::Failed;
            break;
        }
    }

    std::vector<Client> m_clients;
};

} // namespace

class TestSmtpd : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void greetsAndAnswersBasicCommands();
    void refusesRelayWithExactText();
    void queuesTheSeedSession();
    void acceptsRcptHostCaseInsensitively();
    void checksAddressSyntax();
    void checksCommandOrderAndParameters();
    void storesDsnParameters();
    void refusesBadDsnParameters();
    void answersPipelinedCommandsInOrder();
    void refusesBareLfInData();
    void doesNotEndDataAtBareLfDot();
    void refusesOversizedMessageWhileReading();
    void refusesTooLongCommandLine();
    void refusesLoopingMessage();
    void limitsRecipients();
    void discardsCommandsPipelinedBeforeTls();
    void speaksImplicitTls();
    void refusesTls11();
    void resumesTlsSessionsAcrossConnections();
    void completesManyConcurrentStartTlsSessions();
    void stalledHandshakesDoNotHoldOthers();
    void stopsWithHandshakesInProgress();
    void refusesAuthInClear();
    void authenticatesPlainAndLoginUnderTls();
    void slowsThenBansAuthFailures();
    void honoursNewRcptHostWithinASecond();
    void refusesConnectionsBeyondLimit();
    void closesSilentClients();
    void answers451WhenStoreFails();
    void stopsGracefully();
    void acceptsSwaks();
    void acceptsPythonSmtplib();
    void acceptsMsmtp();
    void queuesSessionsFinishingTogether();

private:
    QTemporaryDir m_certDir;
};

void TestSmtpd::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("tmail.*.debug=false\ntmail.*.info=false"));
    QVERIFY(m_certDir.isValid());
    const Status certificate = TestCertificate().make(m_certDir.path());
    QVERIFY2(certificate, qPrintable(certificate.error()));
}

void TestSmtpd::greetsAndAnswersBasicCommands()
{
    SmtpTestServer server(m_certDir.path());
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    QVERIFY(QRegularExpression(QStringLiteral("^220 mx\\.test tmail ESMTP [0-9a-f]{40}$"))
                .match(client.readReply())
                .hasMatch());
    QCOMPARE(client.command(QStringLiteral("HELO client.test")), QStringLiteral("250 mx.test"));
    const QString ehlo = client.command(QStringLiteral("EHLO client.test"));
    QCOMPARE(ehlo,
        QStringLiteral("250-mx.test\n250-PIPELINING\n250-SIZE "
                       "1000000\n250-8BITMIME\n250-ENHANCEDSTATUSCODES\n250-DSN\n250-STARTTLS\n250 SMTPUTF8"));
    QCOMPARE(client.command(QStringLiteral("NOOP")), QStringLiteral("250 2.0.0 Ok"));
    QCOMPARE(client.command(QStringLiteral("RSET")), QStringLiteral("250 2.0.0 Ok"));
    QVERIFY(client.command(QStringLiteral("VRFY postmaster")).startsWith(QStringLiteral("252 2.5.2 ")));
    QVERIFY(client.command(QStringLiteral("HELP")).startsWith(QStringLiteral("214 ")));
    QCOMPARE(client.command(QStringLiteral("FOO bar")), QStringLiteral("502 5.5.2 Error: command not recognized"));
    QVERIFY(client.command(QStringLiteral("HELO")).startsWith(QStringLiteral("501 5.5.4")));
    QCOMPARE(client.command(QStringLiteral("QUIT")), QStringLiteral("221 2.0.0 Bye"));
    QVERIFY(client.waitClosed());
}

void TestSmtpd::refusesRelayWithExactText()
{
    SmtpTestServer server(m_certDir.path());
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    QCOMPARE(client.command(QStringLiteral("HELO toto")), QStringLiteral("250 mx.test"));
    QCOMPARE(client.command(QStringLiteral("MAIL FROM: toorop@toorop.fr")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO: toorop@toorop.fr")),
        QStringLiteral("554 5.7.1 <toorop@toorop.fr>: Relay access denied."));
    QCOMPARE(client.command(QStringLiteral("DATA")), QStringLiteral("503 5.5.1 Error: need RCPT command"));
}

void TestSmtpd::queuesTheSeedSession()
{
    SmtpTestServer server(m_certDir.path());
    QVERIFY(server.start());
    addRcptHost(server.db(), QStringLiteral("toorop.fr"));
    QTest::qWait(800); // the policy poll (500 ms)
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    QCOMPARE(client.command(QStringLiteral("HELO toto")), QStringLiteral("250 mx.test"));
    QCOMPARE(client.command(QStringLiteral("mail from: toorop@toorop.fr")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("rcpt to: toorop@toorop.fr")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("data")), QStringLiteral("354 End data with <CR><LF>.<CR><LF>"));
    client.send(QByteArrayLiteral("subject: test tmail\r\n\r\nblabla\r\n..dot\r\n.\r\n"));
    const QString id = queuedId(client.readReply());
    QVERIFY(!id.isEmpty());
    QCOMPARE(client.command(QStringLiteral("quit")), QStringLiteral("221 2.0.0 Bye"));

    QueueTable queue(server.db());
    const Expected<QueuedMessage> message = queue.find(id);
    QVERIFY2(message.ok(), qPrintable(message.error()));
    QCOMPARE(message->envelopeSender, QStringLiteral("toorop@toorop.fr"));
    QCOMPARE(message->recipients.size(), 1);
    QCOMPARE(message->recipients.first().address, QStringLiteral("toorop@toorop.fr"));
    QCOMPARE(message->clientIp, QStringLiteral("127.0.0.1"));
    QCOMPARE(message->helo, QStringLiteral("toto"));

    QFile body(server.storePath() + QLatin1Char('/') + message->storeKey);
    QVERIFY(body.open(QIODevice::ReadOnly));
    const QByteArray content = body.readAll();
    QVERIFY(content.startsWith("Received: from toto ("));
    QVERIFY(content.contains(QByteArray(
        "[127.0.0.1])\r\n\tby mx.test (tmail) with SMTP id " + id.toLatin1() + "\r\n\tfor <toorop@toorop.fr>; ")));
    QVERIFY(content.endsWith("\r\nsubject: test tmail\r\n\r\nblabla\r\n.dot\r\n"));
    QCOMPARE(message->sizeBytes, qint64(QByteArrayLiteral("subject: test tmail\r\n\r\nblabla\r\n.dot\r\n").size()));
    QCOMPARE(server.storedFiles(), QStringList { message->storeKey });
}

void TestSmtpd::acceptsRcptHostCaseInsensitively()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<>")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<User@EXAMPLE.Org>")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("DATA")), QStringLiteral("354 End data with <CR><LF>.<CR><LF>"));
    const QString id = queuedId(client.command(QStringLiteral("Subject: bounce\r\n\r\nx\r\n.")));
    QVERIFY(!id.isEmpty());
    QueueTable queue(server.db());
    const Expected<QueuedMessage> message = queue.find(id);
    QVERIFY(message.ok());
    QVERIFY(message->envelopeSender.isEmpty()); // the null sender
}

void TestSmtpd::checksAddressSyntax()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    QVERIFY(client.command(QStringLiteral("MAIL FROM:<a@b@c.test>")).startsWith(QStringLiteral("501 5.5.4")));
    QVERIFY(client.command(QStringLiteral("MAIL FROM:<a@[127.0.0.1]>")).startsWith(QStringLiteral("501 5.5.4")));
    QVERIFY(client.command(QStringLiteral("MAIL FROM:a@b.test>")).startsWith(QStringLiteral("501 5.5.4")));
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<sender@c.test>")), QStringLiteral("250 ok"));
    // Source routes are stripped before the relay decision.
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<@relay.test:user@example.org>")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<@example.org:user@elsewhere.test>")),
        QStringLiteral("554 5.7.1 <user@elsewhere.test>: Relay access denied."));
    // '%' and '!' hacks stay in the local part: the domain decides.
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<user%elsewhere.test@example.org>")), QStringLiteral("250 ok"));
    QVERIFY(client.command(QStringLiteral("RCPT TO:<user@elsewhere.test%example.org>"))
                .startsWith(QStringLiteral("501 5.5.4")));
    QVERIFY(client.command(QStringLiteral("RCPT TO:<user@elsewhere.test@example.org>"))
                .startsWith(QStringLiteral("501 5.5.4")));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<\"john doe\"@example.org>")), QStringLiteral("250 ok"));
    QVERIFY(client.command(QStringLiteral("RCPT TO:<user@[192.0.2.1]>")).startsWith(QStringLiteral("501 5.5.4")));
}

void TestSmtpd::checksCommandOrderAndParameters()
{
    SmtpTestServer server(m_certDir.path(), [](Config &config) { config.maxDataBytes = 1000; });
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    QVERIFY(client.command(QStringLiteral("MAIL FROM:<a@c.test>")).startsWith(QStringLiteral("503 5.5.1")));
    client.command(QStringLiteral("EHLO c.test"));
    QVERIFY(client.command(QStringLiteral("RCPT TO:<u@example.org>")).startsWith(QStringLiteral("503 5.5.1")));
    QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QStringLiteral("503 5.5.1")));
    QVERIFY(client.command(QStringLiteral("MAIL FROM:<a@c.test> SIZE=1001")).startsWith(QStringLiteral("552 5.3.4")));
    QVERIFY(client.command(QStringLiteral("MAIL FROM:<a@c.test> FOO=1")).startsWith(QStringLiteral("555 5.5.4")));
    QVERIFY(
        client.command(QStringLiteral("MAIL FROM:<a@c.test> BODY=BINARYMIME")).startsWith(QStringLiteral("501 5.5.4")));
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@c.test> SIZE=999 BODY=8BITMIME SMTPUTF8")),
        QStringLiteral("250 ok"));
    QVERIFY(client.command(QStringLiteral("MAIL FROM:<a@c.test>")).startsWith(QStringLiteral("503 5.5.1")));
    QVERIFY(client.command(QStringLiteral("RCPT TO:<u@example.org> FOO=BAR")).startsWith(QStringLiteral("555 5.5.4")));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<jösé@example.org>")), QStringLiteral("250 ok")); // SMTPUTF8 given
}

void TestSmtpd::storesDsnParameters()
{
    // RFC 3461: RET and ENVID on MAIL, NOTIFY and ORCPT on RCPT, kept with the message
    // (xtext decoded) for the notices and the next hop.
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    QVERIFY(client.command(QStringLiteral("EHLO c.test")).contains(QStringLiteral("\n250-DSN\n")));
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@c.test> RET=hdrs ENVID=QQ+2B+3Dx")), QStringLiteral("250 ok"));
    QCOMPARE(
        client.command(QStringLiteral("RCPT TO:<u@example.org> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;U+2Bx@example.org")),
        QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<v@example.org> notify=never")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<w@example.org>")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("DATA")), QStringLiteral("354 End data with <CR><LF>.<CR><LF>"));
    const QString id = queuedId(client.command(QStringLiteral("Subject: dsn\r\n\r\nx\r\n.")));
    QVERIFY(!id.isEmpty());
    const Expected<QueuedMessage> message = QueueTable(server.db()).find(id);
    QVERIFY2(message, qPrintable(message.error()));
    QCOMPARE(int(message->dsnRet), int(Dsn::Ret::Hdrs));
    QCOMPARE(message->dsnEnvid, QStringLiteral("QQ+=x"));
    QCOMPARE(message->recipients.size(), 3);
    QCOMPARE(message->recipients.at(0).dsnNotify, int(Dsn::NotifySuccess | Dsn::NotifyDelay));
    QCOMPARE(message->recipients.at(0).dsnOrcpt, QStringLiteral("rfc822;U+x@example.org"));
    QCOMPARE(message->recipients.at(1).dsnNotify, int(Dsn::NotifyNever));
    QCOMPARE(message->recipients.at(1).dsnOrcpt, QString());
    QCOMPARE(message->recipients.at(2).dsnNotify, 0);
    QVERIFY(!message->recipients.at(2).delayNotified);

    // A transaction without them stores none (the parameters do not leak into the next).
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@c.test>")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<u@example.org>")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("DATA")), QStringLiteral("354 End data with <CR><LF>.<CR><LF>"));
    const QString plain = queuedId(client.command(QStringLiteral("Subject: plain\r\n\r\nx\r\n.")));
    const Expected<QueuedMessage> second = QueueTable(server.db()).find(plain);
    QVERIFY2(second, qPrintable(second.error()));
    QCOMPARE(int(second->dsnRet), int(Dsn::Ret::Unset));
    QCOMPARE(second->dsnEnvid, QString());
    QCOMPARE(second->recipients.first().dsnNotify, 0);
}

void TestSmtpd::refusesBadDsnParameters()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    const QStringList badMail = {
        QStringLiteral("MAIL FROM:<a@c.test> RET=ALL"),
        QStringLiteral("MAIL FROM:<a@c.test> RET="),
        QStringLiteral("MAIL FROM:<a@c.test> RET=FULL RET=HDRS"),
        QStringLiteral("MAIL FROM:<a@c.test> ENVID=a=b"),
        QStringLiteral("MAIL FROM:<a@c.test> ENVID=a+2"),
        QStringLiteral("MAIL FROM:<a@c.test> ENVID=a+0Db"),
        QStringLiteral("MAIL FROM:<a@c.test> ENVID="),
        QStringLiteral("MAIL FROM:<a@c.test> ENVID=") + QString(101, QLatin1Char('x')),
        QStringLiteral("MAIL FROM:<a@c.test> ENVID=a ENVID=b"),
    };
    for (const QString &line : badMail)
        QVERIFY2(client.command(line).startsWith(QStringLiteral("501 5.5.4 ")), qPrintable(line));
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@c.test> RET=FULL")), QStringLiteral("250 ok"));
    const QStringList badRcpt = {
        QStringLiteral("RCPT TO:<u@example.org> NOTIFY=NEVER,SUCCESS"),
        QStringLiteral("RCPT TO:<u@example.org> NOTIFY=SUCCESS,SUCCESS"),
        QStringLiteral("RCPT TO:<u@example.org> NOTIFY=ALWAYS"),
        QStringLiteral("RCPT TO:<u@example.org> NOTIFY="),
        QStringLiteral("RCPT TO:<u@example.org> NOTIFY=SUCCESS NOTIFY=FAILURE"),
        QStringLiteral("RCPT TO:<u@example.org> ORCPT=u@example.org"),
        QStringLiteral("RCPT TO:<u@example.org> ORCPT=rfc822;"),
        QStringLiteral("RCPT TO:<u@example.org> ORCPT=rfc 822;u@example.org"),
        QStringLiteral("RCPT TO:<u@example.org> ORCPT=rfc822;u+0Ax@example.org"),
        QStringLiteral("RCPT TO:<u@example.org> ORCPT=rfc822;a ORCPT=rfc822;b"),
        QStringLiteral("RCPT TO:<u@example.org> ORCPT=rfc822;") + QString(494, QLatin1Char('x')),
    };
    for (const QString &line : badRcpt)
    {
        const QString answer = client.command(line);
        // "rfc 822;…" splits into an ORCPT and an unknown parameter: 555 for the latter is right too.
        QVERIFY2(answer.startsWith(QStringLiteral("501 5.5.4 ")) || answer.startsWith(QStringLiteral("555 5.5.4 ")),
            qPrintable(line + QStringLiteral(" → ") + answer));
    }
    // RFC 3461 §4: RCPT may be 500 octets longer for ORCPT, MAIL 100 for ENVID.
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<u@example.org> ORCPT=rfc822;") + QString(493, QLatin1Char('x'))),
        QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RSET")), QStringLiteral("250 2.0.0 Ok"));
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@c.test> ENVID=") + QString(100, QLatin1Char('e'))),
        QStringLiteral("250 ok"));
    QVERIFY(client.command(QStringLiteral("HELP ") + QString(600, QLatin1Char('h')))
                .startsWith(QStringLiteral("500 5.5.2")));
    // Nothing of the refused commands was recorded: the transaction has no recipient yet.
    QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QStringLiteral("503 5.5.1")));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<u@example.org> NOTIFY=FAILURE,DELAY")), QStringLiteral("250 ok"));
}

void TestSmtpd::answersPipelinedCommandsInOrder()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.send(QByteArrayLiteral(
        "EHLO c.test\r\nMAIL FROM:<a@c.test>\r\nRCPT TO:<u@example.org>\r\nRCPT TO:<v@elsewhere.test>\r\n"
        "RCPT TO:<w@example.org>\r\nDATA\r\n"));
    QVERIFY(client.readReply().startsWith(QStringLiteral("250-mx.test")));
    QCOMPARE(client.readReply(), QStringLiteral("250 ok"));
    QCOMPARE(client.readReply(), QStringLiteral("250 ok"));
    QVERIFY(client.readReply().startsWith(QStringLiteral("554 5.7.1")));
    QCOMPARE(client.readReply(), QStringLiteral("250 ok"));
    QCOMPARE(client.readReply(), QStringLiteral("354 End data with <CR><LF>.<CR><LF>"));
    // End of data, the next transaction and QUIT in one write.
    client.send(
        QByteArrayLiteral("Subject: one\r\n\r\n1\r\n.\r\nMAIL FROM:<b@c.test>\r\nRCPT TO:<x@example.org>\r\nDATA\r\n"
                          "Subject: two\r\n\r\n2\r\n.\r\nQUIT\r\n"));
    const QString first = queuedId(client.readReply());
    QCOMPARE(client.readReply(), QStringLiteral("250 ok"));
    QCOMPARE(client.readReply(), QStringLiteral("250 ok"));
    QCOMPARE(client.readReply(), QStringLiteral("354 End data with <CR><LF>.<CR><LF>"));
    const QString second = queuedId(client.readReply());
    QCOMPARE(client.readReply(), QStringLiteral("221 2.0.0 Bye"));
    QVERIFY(!first.isEmpty() && !second.isEmpty() && first != second);
    QCOMPARE(server.queuedCount(), 2);
    QueueTable queue(server.db());
    QCOMPARE(queue.find(first)->recipients.size(), 2);
}

void TestSmtpd::refusesBareLfInData()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    client.command(QStringLiteral("MAIL FROM:<a@c.test>"));
    client.command(QStringLiteral("RCPT TO:<u@example.org>"));
    QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QStringLiteral("354")));
    client.send(QByteArrayLiteral("Subject: x\r\n\r\nline one\nline two\r\n.\r\n"));
    QVERIFY(client.readReply().startsWith(QStringLiteral("550 5.5.2")));
    QCOMPARE(server.queuedCount(), 0);
    QVERIFY(server.storedFiles().isEmpty());
    QCOMPARE(client.command(QStringLiteral("NOOP")), QStringLiteral("250 2.0.0 Ok")); // still in step
}

void TestSmtpd::doesNotEndDataAtBareLfDot()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    client.command(QStringLiteral("MAIL FROM:<a@c.test>"));
    client.command(QStringLiteral("RCPT TO:<u@example.org>"));
    QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QStringLiteral("354")));
    // The classic smuggling payload: a fake end of data, then a second transaction.
    client.send(QByteArrayLiteral(
        "Subject: x\r\n\r\nhello\n.\nMAIL FROM:<evil@c.test>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n"
        "Subject: smuggled\r\n\r\nevil\r\n"));
    QCOMPARE(client.readReply(800), QString()); // nothing ended yet
    client.send(QByteArrayLiteral(".\r\n"));
    QVERIFY(client.readReply().startsWith(QStringLiteral("550 5.5.2")));
    QCOMPARE(client.command(QStringLiteral("NOOP")), QStringLiteral("250 2.0.0 Ok"));
    QCOMPARE(server.queuedCount(), 0);
}

void TestSmtpd::refusesOversizedMessageWhileReading()
{
    SmtpTestServer server(m_certDir.path(), [](Config &config) { config.maxDataBytes = 10000; });
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    client.command(QStringLiteral("MAIL FROM:<a@c.test>"));
    client.command(QStringLiteral("RCPT TO:<u@example.org>"));
    QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QStringLiteral("354")));
    QByteArray big = QByteArrayLiteral("Subject: big\r\n\r\n");
    for (int i = 0; i < 2000; ++i)
    {
        big += QByteArray(98, 'z') + QByteArrayLiteral("\r\n");
    }
    client.send(big);
    QTest::qWait(200);
    // While the body is still arriving, the temporary file stays below the limit.
    for (const QString &file : server.storedFiles())
    {
        QVERIFY(QFileInfo(server.storePath() + QLatin1Char('/') + file).size() < 11000);
    }
    client.send(QByteArrayLiteral(".\r\n"));
    QVERIFY(client.readReply().startsWith(QStringLiteral("552 5.3.4")));
    QCOMPARE(server.queuedCount(), 0);
    QVERIFY(server.storedFiles().isEmpty());
}

void TestSmtpd::refusesTooLongCommandLine()
{
    SmtpTestServer server(m_certDir.path());
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    QCOMPARE(client.command(QStringLiteral("HELO ") + QString(600, QLatin1Char('a'))),
        QStringLiteral("500 5.5.2 Error: line too long"));
    QCOMPARE(client.command(QStringLiteral("NOOP ") + QString(20000, QLatin1Char('b'))),
        QStringLiteral("500 5.5.2 Error: line too long"));
    QCOMPARE(client.command(QStringLiteral("NOOP")), QStringLiteral("250 2.0.0 Ok"));
}

void TestSmtpd::refusesLoopingMessage()
{
    SmtpTestServer server(m_certDir.path(), [](Config &config) { config.maxHops = 2; });
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    client.command(QStringLiteral("MAIL FROM:<a@c.test>"));
    client.command(QStringLiteral("RCPT TO:<u@example.org>"));
    QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QStringLiteral("354")));
    client.send(QByteArrayLiteral("Received: a\r\nReceived: b\r\nReceived: c\r\nSubject: loop\r\n\r\nx\r\n.\r\n"));
    QVERIFY(client.readReply().startsWith(QStringLiteral("554 5.4.6")));
    QCOMPARE(server.queuedCount(), 0);
}

void TestSmtpd::limitsRecipients()
{
    SmtpTestServer server(m_certDir.path(), [](Config &config) {
        config.maxRcpt = 2;
        config.maxBadRcpt = 2;
    });
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    client.command(QStringLiteral("MAIL FROM:<a@c.test>"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<u1@example.org>")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<u2@example.org>")), QStringLiteral("250 ok"));
    QVERIFY(client.command(QStringLiteral("RCPT TO:<u3@example.org>")).startsWith(QStringLiteral("452 4.5.3")));
    client.command(QStringLiteral("RSET"));
    client.command(QStringLiteral("MAIL FROM:<a@c.test>"));
    QVERIFY(client.command(QStringLiteral("RCPT TO:<x@elsewhere.test>")).startsWith(QStringLiteral("554 5.7.1")));
    client.send(QByteArrayLiteral("RCPT TO:<y@elsewhere.test>\r\n"));
    QVERIFY(client.readReply().startsWith(QStringLiteral("554 5.7.1")));
    QVERIFY(client.readReply().startsWith(QStringLiteral("421 4.7.0")));
    QVERIFY(client.waitClosed());
}

void TestSmtpd::discardsCommandsPipelinedBeforeTls()
{
    SmtpTestServer server(m_certDir.path());
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    // The injection: a command sent in clear right behind STARTTLS.
    client.send(QByteArrayLiteral("STARTTLS\r\nMAIL FROM:<injected@c.test>\r\n"));
    QCOMPARE(client.readReply(), QStringLiteral("220 2.0.0 Ready to start TLS"));
    QVERIFY(client.startTls());
    QVERIFY(client.socket().sessionProtocol() == QSsl::TlsV1_2 || client.socket().sessionProtocol() == QSsl::TlsV1_3);
    // The first answer over TLS is for our EHLO, and the session starts afresh.
    const QString ehlo = client.command(QStringLiteral("EHLO c.test"));
    QVERIFY2(ehlo.startsWith(QStringLiteral("250-mx.test")), qPrintable(ehlo));
    QVERIFY(ehlo.contains(QStringLiteral("250-AUTH PLAIN LOGIN")));
    QVERIFY(!ehlo.contains(QStringLiteral("STARTTLS")));
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@c.test>")), QStringLiteral("250 ok")); // not "nested MAIL"
    QVERIFY(client.command(QStringLiteral("STARTTLS")).startsWith(QStringLiteral("503 5.5.1")));
}

void TestSmtpd::speaksImplicitTls()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.tlsPort(), true));
    QVERIFY(client.readReply().startsWith(QStringLiteral("220 mx.test tmail ESMTP ")));
    const QString ehlo = client.command(QStringLiteral("EHLO c.test"));
    QVERIFY(ehlo.contains(QStringLiteral("AUTH PLAIN LOGIN")));
    QVERIFY(!ehlo.contains(QStringLiteral("STARTTLS")));
    client.command(QStringLiteral("MAIL FROM:<a@c.test>"));
    client.command(QStringLiteral("RCPT TO:<u@example.org>"));
    client.command(QStringLiteral("DATA"));
    const QString id = queuedId(client.command(QStringLiteral("Subject: tls\r\n\r\nx\r\n.")));
    QVERIFY(!id.isEmpty());
    QFile body(server.storePath() + QLatin1Char('/') + DiskStore::keyFor(id));
    QVERIFY(body.open(QIODevice::ReadOnly));
    QVERIFY(body.readAll().contains(" with ESMTPS id "));
}

void TestSmtpd::refusesTls11()
{
    SmtpTestServer server(m_certDir.path());
    QVERIFY(server.start());
    QByteArray output;
    const int rc = runProcess(QStringLiteral("sh"),
        { QStringLiteral("-c"),
            QStringLiteral("echo | openssl s_client -connect 127.0.0.1:%1 -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' 2>&1")
                .arg(server.tlsPort()) },
        &output);
    QVERIFY(rc != -2);
    QVERIFY2(!output.contains("220 mx.test") && output.contains("alert protocol version"), output.constData());
    // The same client with TLS 1.2 gets through.
    const int rc12 = runProcess(QStringLiteral("sh"),
        { QStringLiteral("-c"),
            QStringLiteral("sleep 1 | openssl s_client -connect 127.0.0.1:%1 -tls1_2 2>&1").arg(server.tlsPort()) },
        &output);
    QCOMPARE(rc12, 0);
    QVERIFY2(output.contains("220 mx.test"), output.constData());
}

void TestSmtpd::resumesTlsSessionsAcrossConnections()
{
    // Every handshake runs on one shared TLS context: a ticket from one connection
    // resumes the next one, on the STARTTLS and the implicit-TLS listener alike, although
    // consecutive handshakes run on different TLS workers.
    if (!Smtpd::sharesTlsContext())
    {
        // Not applicable to a CONFIG+=no_private_tls build; ./test.sh builds with the headers.
        TMAIL_REQUIRE_PEER(false, "built without Qt's private network headers: one TLS context per handshake");
    }
    SmtpTestServer server(m_certDir.path());
    QVERIFY(server.start());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString session = dir.filePath(QStringLiteral("session.pem"));
    const auto handshake = [&](const QString &how, const QString &sessionOption) {
        QByteArray output;
        // The second of input keeps the connection open until the tickets have arrived.
        const int rc = runProcess(QStringLiteral("sh"),
            { QStringLiteral("-c"),
                QStringLiteral("sleep 1 | openssl s_client %1 %2 %3 2>&1").arg(how, sessionOption, session) },
            &output);
        return rc == 0 ? output : QByteArray("s_client failed: ") + output;
    };
    const QString starttls = QStringLiteral("-starttls smtp -connect 127.0.0.1:%1").arg(server.clearPort());
    QByteArray first = handshake(starttls, QStringLiteral("-sess_out"));
    QVERIFY2(first.contains("New, TLSv1."), first.constData());
    QByteArray second = handshake(starttls, QStringLiteral("-sess_in"));
    QVERIFY2(second.contains("Reused, TLSv1."), second.constData());

    const QString implicit = QStringLiteral("-connect 127.0.0.1:%1").arg(server.tlsPort());
    first = handshake(implicit, QStringLiteral("-sess_out"));
    QVERIFY2(first.contains("New, TLSv1.") && first.contains("220 mx.test"), first.constData());
    second = handshake(implicit, QStringLiteral("-sess_in"));
    QVERIFY2(second.contains("Reused, TLSv1.") && second.contains("220 mx.test"), second.constData());
}

void TestSmtpd::completesManyConcurrentStartTlsSessions()
{
    // Handshakes run on the TLS workers while the event loop serves the other sessions:
    // every one of a crowd arriving at once ends its session.
    SmtpTestServer server(m_certDir.path());
    QVERIFY(server.start());
    QVERIFY(server.smtpd().tlsPool().threadCount() >= 1);
    constexpr int Clients = 200;
    StartTlsCrowd crowd(Clients, server.clearPort());
    QTRY_VERIFY_WITH_TIMEOUT(crowd.finished() + crowd.failed() == Clients, 120000);
    QVERIFY2(crowd.failed() == 0, qPrintable(crowd.firstFailure()));
    QCOMPARE(crowd.finished(), Clients);
    QTRY_COMPARE_WITH_TIMEOUT(server.smtpd().sessionCount(), 0, 10000);
    QCOMPARE(server.smtpd().tlsPool().handshakesInProgress(), 0);
}

void TestSmtpd::stalledHandshakesDoNotHoldOthers()
{
    SmtpTestServer server(m_certDir.path(), [](Config &config) { config.serverTimeoutSeconds = 3; });
    QVERIFY(server.start());
    QTcpSocket stalledStartTls;
    QTcpSocket stalledImplicit;
    QTcpSocket leaver;
    QVERIFY(stallInHandshake(stalledStartTls, server.clearPort(), false));
    QVERIFY(stallInHandshake(stalledImplicit, server.tlsPort(), true));
    QVERIFY(stallInHandshake(leaver, server.tlsPort(), true));
    QTRY_COMPARE_WITH_TIMEOUT(server.smtpd().tlsPool().handshakesInProgress(), 3, 5000);
    // One client leaves in the middle of its handshake: its session ends, nothing else.
    leaver.abort();
    QTRY_COMPARE_WITH_TIMEOUT(server.smtpd().sessionCount(), 2, 5000);
    QCOMPARE(server.smtpd().tlsPool().handshakesInProgress(), 2);

    // Meanwhile another client goes through a whole STARTTLS session.
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    QVERIFY(client.readReply().startsWith(QStringLiteral("220 mx.test")));
    QVERIFY(client.command(QStringLiteral("EHLO c.test")).contains(QStringLiteral("STARTTLS")));
    QCOMPARE(client.command(QStringLiteral("STARTTLS")), QStringLiteral("220 2.0.0 Ready to start TLS"));
    QVERIFY(client.startTls());
    QVERIFY(client.command(QStringLiteral("EHLO c.test")).contains(QStringLiteral("250-AUTH PLAIN LOGIN")));
    QCOMPARE(client.command(QStringLiteral("QUIT")), QStringLiteral("221 2.0.0 Bye"));
    QVERIFY(client.waitClosed());
    QCOMPARE(server.smtpd().tlsPool().handshakesInProgress(), 2); // the stalled ones still wait

    // The stalled handshakes are cut at the session timeout.
    QTRY_COMPARE_WITH_TIMEOUT(stalledStartTls.state(), QAbstractSocket::UnconnectedState, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(stalledImplicit.state(), QAbstractSocket::UnconnectedState, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(server.smtpd().sessionCount(), 0, 5000);
    QCOMPARE(server.smtpd().tlsPool().handshakesInProgress(), 0);
}

void TestSmtpd::stopsWithHandshakesInProgress()
{
    // A stop cuts handshakes in progress; destroying smtpd deletes the sockets still on
    // a TLS worker (the sanitizer pass checks that nothing leaks).
    QTcpSocket stalled[4];
    {
        SmtpTestServer server(m_certDir.path());
        QVERIFY(server.start());
        QVERIFY(stallInHandshake(stalled[0], server.clearPort(), false));
        QVERIFY(stallInHandshake(stalled[1], server.tlsPort(), true));
        QTRY_COMPARE_WITH_TIMEOUT(server.smtpd().tlsPool().handshakesInProgress(), 2, 5000);
        QSignalSpy stopped(&server.smtpd(), &Smtpd::stopped);
        server.smtpd().stop();
        QVERIFY(stopped.wait(10000) || stopped.count() == 1);
        QTRY_COMPARE_WITH_TIMEOUT(stalled[0].state(), QAbstractSocket::UnconnectedState, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(stalled[1].state(), QAbstractSocket::UnconnectedState, 5000);
        QCOMPARE(server.smtpd().tlsPool().handshakesInProgress(), 0);
    }
    {
        SmtpTestServer server(m_certDir.path());
        QVERIFY(server.start());
        QVERIFY(stallInHandshake(stalled[2], server.clearPort(), false));
        QVERIFY(stallInHandshake(stalled[3], server.tlsPort(), true));
        QTRY_COMPARE_WITH_TIMEOUT(server.smtpd().tlsPool().handshakesInProgress(), 2, 5000);
        QTest::qWait(200); // both on their workers
    }
    QTRY_COMPARE_WITH_TIMEOUT(stalled[2].state(), QAbstractSocket::UnconnectedState, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(stalled[3].state(), QAbstractSocket::UnconnectedState, 5000);
}

void TestSmtpd::refusesAuthInClear()
{
    SmtpTestServer server(m_certDir.path());
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    QCOMPARE(client.command(QStringLiteral("AUTH PLAIN ") + QString::fromLatin1(PlainAlice)),
        QStringLiteral("538 5.7.11 Encryption required for requested authentication mechanism"));
}

void TestSmtpd::authenticatesPlainAndLoginUnderTls()
{
    SmtpTestServer server(m_certDir.path());
    UserTable users(server.db());
    QVERIFY(users.add(MailAddress::parse(QStringLiteral("alice@example.org")).value(), QStringLiteral("secret"), true)
                .ok());
    QVERIFY(users.add(MailAddress::parse(QStringLiteral("bob@example.org")).value(), QStringLiteral("hunter2"), false)
                .ok());
    QVERIFY(server.start());
    {
        SmtpTestClient client;
        QVERIFY(client.connectTo(server.tlsPort(), true));
        client.readReply();
        client.command(QStringLiteral("EHLO c.test"));
        QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@c.test>")), QStringLiteral("250 ok"));
        QVERIFY(client.command(QStringLiteral("RCPT TO:<x@elsewhere.test>")).startsWith(QStringLiteral("554 5.7.1")));
        client.command(QStringLiteral("RSET"));
        QCOMPARE(client.command(QStringLiteral("AUTH PLAIN ") + QString::fromLatin1(PlainAlice)),
            QStringLiteral("235 2.7.0 Authentication successful"));
        QVERIFY(client.command(QStringLiteral("AUTH PLAIN ") + QString::fromLatin1(PlainAlice))
                    .startsWith(QStringLiteral("503 5.5.1")));
        QCOMPARE(client.command(QStringLiteral("MAIL FROM:<alice@example.org>")), QStringLiteral("250 ok"));
        QCOMPARE(client.command(QStringLiteral("RCPT TO:<x@elsewhere.test>")), QStringLiteral("250 ok"));
        client.command(QStringLiteral("DATA"));
        const QString id = queuedId(client.command(QStringLiteral("Subject: relayed\r\n\r\nx\r\n.")));
        QVERIFY(!id.isEmpty());
        QueueTable queue(server.db());
        QCOMPARE(queue.find(id)->authUser, QStringLiteral("alice@example.org"));
        QFile body(server.storePath() + QLatin1Char('/') + DiskStore::keyFor(id));
        QVERIFY(body.open(QIODevice::ReadOnly));
        QVERIFY(body.readAll().contains(" with ESMTPSA id "));
    }
    {
        // AUTH LOGIN after STARTTLS, as a user who may not relay.
        SmtpTestClient client;
        QVERIFY(client.connectTo(server.clearPort()));
        client.readReply();
        client.command(QStringLiteral("EHLO c.test"));
        QVERIFY(client.command(QStringLiteral("STARTTLS")).startsWith(QStringLiteral("220")));
        QVERIFY(client.startTls());
        client.command(QStringLiteral("EHLO c.test"));
        QCOMPARE(client.command(QStringLiteral("AUTH LOGIN")), QStringLiteral("334 VXNlcm5hbWU6"));
        QCOMPARE(client.command(QString::fromLatin1(QByteArrayLiteral("bob@example.org").toBase64())),
            QStringLiteral("334 UGFzc3dvcmQ6"));
        QCOMPARE(client.command(QString::fromLatin1(QByteArrayLiteral("hunter2").toBase64())),
            QStringLiteral("235 2.7.0 Authentication successful"));
        client.command(QStringLiteral("MAIL FROM:<bob@example.org>"));
        QVERIFY(client.command(QStringLiteral("RCPT TO:<x@elsewhere.test>")).startsWith(QStringLiteral("554 5.7.1")));
    }
}

void TestSmtpd::slowsThenBansAuthFailures()
{
    SmtpTestServer server(m_certDir.path(), [](Config &config) { config.authMaxFailures = 3; });
    UserTable users(server.db());
    QVERIFY(users.add(MailAddress::parse(QStringLiteral("alice@example.org")).value(), QStringLiteral("secret"), true)
                .ok());
    QVERIFY(server.start());
    const QString wrong = QStringLiteral("AUTH PLAIN ")
        + QString::fromLatin1(QByteArrayLiteral("\0alice@example.org\0wrong").toBase64());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.tlsPort(), true));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(client.command(wrong), QStringLiteral("535 5.7.8 Error: authentication failed"));
    QVERIFY(timer.elapsed() >= 200);
    timer.restart();
    QCOMPARE(client.command(wrong), QStringLiteral("535 5.7.8 Error: authentication failed"));
    QVERIFY(timer.elapsed() >= 450); // slower each time
    QVERIFY(client.command(wrong).startsWith(QStringLiteral("421 4.7.0")));
    QVERIFY(client.waitClosed());
    // Banned: even the right password is refused from this address for now.
    SmtpTestClient again;
    QVERIFY(again.connectTo(server.tlsPort(), true));
    again.readReply();
    again.command(QStringLiteral("EHLO c.test"));
    QVERIFY(again.command(QStringLiteral("AUTH PLAIN ") + QString::fromLatin1(PlainAlice))
                .startsWith(QStringLiteral("421 4.7.0")));
}

void TestSmtpd::honoursNewRcptHostWithinASecond()
{
    SmtpTestServer server(m_certDir.path());
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    client.command(QStringLiteral("MAIL FROM:<a@c.test>"));
    QVERIFY(client.command(QStringLiteral("RCPT TO:<u@new.test>")).startsWith(QStringLiteral("554 5.7.1")));
    addRcptHost(server.db(), QStringLiteral("new.test")); // another connection, as the CLI would
    QElapsedTimer timer;
    timer.start();
    QVERIFY(QTest::qWaitFor(
        [&]() { return client.command(QStringLiteral("RCPT TO:<u@new.test>")) == QLatin1String("250 ok"); }, 3000));
    QVERIFY2(timer.elapsed() < 1200, qPrintable(QString::number(timer.elapsed())));
}

void TestSmtpd::refusesConnectionsBeyondLimit()
{
    SmtpTestServer server(m_certDir.path(), [](Config &config) { config.concurrencyIncoming = 2; });
    QVERIFY(server.start());
    SmtpTestClient first;
    SmtpTestClient second;
    SmtpTestClient third;
    QVERIFY(first.connectTo(server.clearPort()));
    QVERIFY(first.readReply().startsWith(QStringLiteral("220")));
    QVERIFY(second.connectTo(server.clearPort()));
    QVERIFY(second.readReply().startsWith(QStringLiteral("220")));
    QVERIFY(third.connectTo(server.clearPort()));
    QCOMPARE(third.readReply(), QStringLiteral("421 4.7.0 mx.test Too many connections, try again later"));
    QVERIFY(third.waitClosed());
    QCOMPARE(first.command(QStringLiteral("QUIT")), QStringLiteral("221 2.0.0 Bye"));
    QVERIFY(first.waitClosed());
    QVERIFY(QTest::qWaitFor([&]() { return server.smtpd().sessionCount() == 1; }, 2000));
    SmtpTestClient fourth;
    QVERIFY(fourth.connectTo(server.clearPort()));
    QVERIFY(fourth.readReply().startsWith(QStringLiteral("220")));
}

void TestSmtpd::closesSilentClients()
{
    SmtpTestServer server(m_certDir.path(), [](Config &config) { config.serverTimeoutSeconds = 1; });
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    QCOMPARE(client.readReply(3000), QStringLiteral("421 4.4.2 mx.test Timeout, closing connection"));
    QVERIFY(client.waitClosed());
}

void TestSmtpd::answers451WhenStoreFails()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    client.command(QStringLiteral("MAIL FROM:<a@c.test>"));
    client.command(QStringLiteral("RCPT TO:<u@example.org>"));
    QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QStringLiteral("354")));
    // The store disappears while the body is being received: the move into the store fails.
    QVERIFY(QDir(server.storePath()).removeRecursively());
    QCOMPARE(client.command(QStringLiteral("Subject: x\r\n\r\nx\r\n.")),
        QStringLiteral("451 4.3.0 Error: queue file write error"));
    QCOMPARE(server.queuedCount(), 0);
    // And with no store at all, DATA itself is refused.
    client.command(QStringLiteral("MAIL FROM:<a@c.test>"));
    client.command(QStringLiteral("RCPT TO:<u@example.org>"));
    QCOMPARE(client.command(QStringLiteral("DATA")), QStringLiteral("451 4.3.0 Error: queue file write error"));
    QCOMPARE(server.queuedCount(), 0);
    QVERIFY(server.storedFiles().isEmpty());
}

void TestSmtpd::stopsGracefully()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient idle;
    SmtpTestClient busy;
    QVERIFY(idle.connectTo(server.clearPort()));
    idle.readReply();
    QVERIFY(busy.connectTo(server.clearPort()));
    busy.readReply();
    busy.command(QStringLiteral("EHLO c.test"));
    busy.command(QStringLiteral("MAIL FROM:<a@c.test>"));
    busy.command(QStringLiteral("RCPT TO:<u@example.org>"));
    QVERIFY(busy.command(QStringLiteral("DATA")).startsWith(QStringLiteral("354")));
    QSignalSpy stopped(&server.smtpd(), &Smtpd::stopped);
    server.smtpd().stop();
    QVERIFY(idle.readReply().startsWith(QStringLiteral("421 4.7.0")));
    QVERIFY(idle.waitClosed());
    QCOMPARE(stopped.count(), 0);
    // The message in DATA still gets queued, then the session is closed.
    QVERIFY(!queuedId(busy.command(QStringLiteral("Subject: last\r\n\r\nx\r\n."))).isEmpty());
    QVERIFY(busy.readReply().startsWith(QStringLiteral("421 4.7.0")));
    QVERIFY(stopped.wait(5000) || stopped.count() == 1);
    QCOMPARE(server.queuedCount(), 1);
}

void TestSmtpd::acceptsSwaks()
{
    const QString swaks = QStandardPaths::findExecutable(QStringLiteral("swaks"));
    if (swaks.isEmpty())
    {
        TMAIL_REQUIRE_PEER(false, "swaks is not installed");
    }
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    UserTable users(server.db());
    QVERIFY(users.add(MailAddress::parse(QStringLiteral("alice@example.org")).value(), QStringLiteral("secret"), true)
                .ok());
    QVERIFY(server.start());
    const QString clear = QStringLiteral("127.0.0.1:%1").arg(server.clearPort());
    const QString tls = QStringLiteral("127.0.0.1:%1").arg(server.tlsPort());
    const QList<QStringList> runs = {
        { QStringLiteral("--server"), clear, QStringLiteral("--to"), QStringLiteral("u@example.org") },
        { QStringLiteral("--server"), clear, QStringLiteral("--to"), QStringLiteral("u@example.org"),
            QStringLiteral("-tls") },
        { QStringLiteral("--server"), tls, QStringLiteral("--to"), QStringLiteral("u@example.org"),
            QStringLiteral("--tls-on-connect") },
        { QStringLiteral("--server"), clear, QStringLiteral("--to"), QStringLiteral("far@elsewhere.test"),
            QStringLiteral("-tls"), QStringLiteral("--auth"), QStringLiteral("PLAIN"), QStringLiteral("--auth-user"),
            QStringLiteral("alice@example.org"), QStringLiteral("--auth-password"), QStringLiteral("secret") },
        { QStringLiteral("--server"), tls, QStringLiteral("--to"), QStringLiteral("far@elsewhere.test"),
            QStringLiteral("--tls-on-connect"), QStringLiteral("--auth"), QStringLiteral("LOGIN"),
            QStringLiteral("--auth-user"), QStringLiteral("alice@example.org"), QStringLiteral("--auth-password"),
            QStringLiteral("secret") },
    };
    int expected = 0;
    for (QStringList arguments : runs)
    {
        arguments << QStringLiteral("--from") << QStringLiteral("sender@c.test") << QStringLiteral("--helo")
                  << QStringLiteral("c.test");
        QByteArray output;
        QCOMPARE(runProcess(swaks, arguments, &output), 0);
        QVERIFY2(output.contains("250 2.0.0 Ok: queued"), output.constData());
        QCOMPARE(server.queuedCount(), ++expected);
    }
    // Relay refused: swaks reports the failure.
    QByteArray output;
    QVERIFY(runProcess(swaks,
                { QStringLiteral("--server"), clear, QStringLiteral("--to"), QStringLiteral("far@elsewhere.test"),
                    QStringLiteral("--from"), QStringLiteral("sender@c.test") },
                &output)
        != 0);
    QVERIFY(output.contains("554 5.7.1 <far@elsewhere.test>: Relay access denied."));
}

void TestSmtpd::acceptsPythonSmtplib()
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
    {
        TMAIL_REQUIRE_PEER(false, "python3 is not installed");
    }
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    UserTable users(server.db());
    QVERIFY(users.add(MailAddress::parse(QStringLiteral("alice@example.org")).value(), QStringLiteral("secret"), true)
                .ok());
    QVERIFY(server.start());
    const QString script = QStringLiteral(R"(
import smtplib, ssl, sys
clear, tls = int(sys.argv[1]), int(sys.argv[2])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
body = "Subject: py\r\n\r\n.leading dot\r\nend\r\n"
with smtplib.SMTP("127.0.0.1", clear, timeout=10) as s:
    s.sendmail("a@c.test", ["u@example.org", "v@example.org"], body)
with smtplib.SMTP("127.0.0.1", clear, timeout=10) as s:
    s.starttls(context=ctx); s.login("alice@example.org", "secret")
    s.sendmail("alice@example.org", ["far@elsewhere.test"], body)
with smtplib.SMTP_SSL("127.0.0.1", tls, context=ctx, timeout=10) as s:
    s.login("alice@example.org", "secret")
    s.sendmail("alice@example.org", ["far@elsewhere.test"], body)
with smtplib.SMTP("127.0.0.1", clear, timeout=10) as s:
    try:
        s.sendmail("a@c.test", ["far@elsewhere.test"], body); sys.exit(3)
    except smtplib.SMTPRecipientsRefused as e:
        assert e.recipients["far@elsewhere.test"][0] == 554
print("ok")
)");
    QByteArray output;
    QCOMPARE(
        runProcess(python,
            { QStringLiteral("-c"), script, QString::number(server.clearPort()), QString::number(server.tlsPort()) },
            &output),
        0);
    QVERIFY2(output.contains("ok"), output.constData());
    QCOMPARE(server.queuedCount(), 3);
}

void TestSmtpd::acceptsMsmtp()
{
    if (QStandardPaths::findExecutable(QStringLiteral("msmtp")).isEmpty())
    {
        TMAIL_REQUIRE_PEER(false, "msmtp is not installed");
    }
    SmtpTestServer server(m_certDir.path());
    UserTable users(server.db());
    QVERIFY(users.add(MailAddress::parse(QStringLiteral("alice@example.org")).value(), QStringLiteral("secret"), true)
                .ok());
    QVERIFY(server.start());
    const QString common = QStringLiteral(
        "printf 'Subject: msmtp\\n\\nhello\\n' | msmtp --host=127.0.0.1 --from=alice@example.org "
        "--tls=on --tls-certcheck=off --auth=on --user=alice@example.org --passwordeval='echo secret' ");
    QByteArray output;
    QCOMPARE(
        runProcess(QStringLiteral("sh"),
            { QStringLiteral("-c"),
                common
                    + QStringLiteral("--port=%1 --tls-starttls=on far@elsewhere.test 2>&1").arg(server.clearPort()) },
            &output),
        0);
    QCOMPARE(
        runProcess(QStringLiteral("sh"),
            { QStringLiteral("-c"),
                common + QStringLiteral("--port=%1 --tls-starttls=off far@elsewhere.test 2>&1").arg(server.tlsPort()) },
            &output),
        0);
    QCOMPARE(server.queuedCount(), 2);
}

void TestSmtpd::queuesSessionsFinishingTogether()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    constexpr int Sessions = 20;
    std::vector<std::unique_ptr<SmtpTestClient>> clients;
    for (int i = 0; i < Sessions; ++i)
    {
        auto client = std::make_unique<SmtpTestClient>();
        QVERIFY(client->connectTo(server.clearPort()));
        client->readReply();
        client->send(QByteArrayLiteral("EHLO c.test\r\nMAIL FROM:<a@c.test>\r\nRCPT TO:<u@example.org>\r\nDATA\r\n"));
        for (int reply = 0; reply < 4; ++reply)
        {
            QVERIFY(!client->readReply().isEmpty());
        }
        clients.push_back(std::move(client));
    }
    // Every session ends its DATA at the same moment: they share queue commits.
    for (auto &client : clients)
    {
        client->send(QByteArrayLiteral("Subject: together\r\n\r\nx\r\n.\r\n"));
    }
    QSet<QString> ids;
    for (auto &client : clients)
    {
        const QString id = queuedId(client->readReply());
        QVERIFY(!id.isEmpty());
        ids.insert(id);
    }
    QCOMPARE(ids.size(), Sessions);
    QCOMPARE(server.queuedCount(), Sessions);
    QCOMPARE(server.storedFiles().size(), Sessions);
}

QTEST_GUILESS_MAIN(TestSmtpd)
#include "tst_smtpd.moc"
