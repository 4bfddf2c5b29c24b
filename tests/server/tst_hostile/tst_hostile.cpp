// What tst_smtpd does not already try: more open-relay tricks, every smuggling variant,
// transaction state across STARTTLS, floods, slowloris, and injection through SMTP
// fields and command-line arguments into headers and the database.
#include "smtptestclient.h"
#include "smtptestserver.h"
#include "testcertificate.h"
#include "tmailprocess.h"

#include "db/queuetable.h"
#include "db/tables.h"
#include "manager/framecodec.h"
#include "manager/managerprotocol.h"
#include "smtpd/datareader.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>

#include <memory>
#include <vector>

namespace {

void addRcptHost(Database &db, const QString &domain)
{
    RcptHostTable table(db);
    QVERIFY(table.add(Domain::parse(domain).value(), false).ok());
}

// Opens a session up to an accepted RCPT for u@example.org.
bool openTransaction(
    SmtpTestClient &client, quint16 port, const QString &mailFrom = QStringLiteral("MAIL FROM:<a@c.test>"))
{
    if (!client.connectTo(port) || !client.readReply().startsWith(QStringLiteral("220")))
        return false;
    return client.command(QStringLiteral("EHLO c.test")).startsWith(QStringLiteral("250"))
        && client.command(mailFrom) == QStringLiteral("250 ok")
        && client.command(QStringLiteral("RCPT TO:<u@example.org>")) == QStringLiteral("250 ok");
}

QByteArray storedBodies(const QString &storePath)
{
    QByteArray all;
    QDirIterator it(storePath, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
    {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly))
            all += file.readAll() + "\n=====\n";
    }
    return all;
}

} // namespace

class TestHostile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void relayTricksAreRefused_data();
    void relayTricksAreRefused();
    void lookAlikeIdnDomainIsNotLocal();
    void smugglingVariantsNeverEndData_data();
    void smugglingVariantsNeverEndData();
    void transactionDoesNotSurviveStartTls();
    void commandFloodWithoutNewlineIsBounded();
    void slowlorisCannotHoldTheConcurrencyLimit();
    void heloAndSenderInjectionStaySafe();
    void sqlInjectionThroughCommandLineIsInert();
    // Regressions of what the fuzz targets found (their inputs are in tests/fuzz/*/corpus/regress-*).
    void dataVerdictDoesNotDependOnSegmentation();
    void managerIdOutOfRangeIsRefused();
    void idnAddressTooLongOnTheWireIsRefused();

private:
    QTemporaryDir m_certDir;
};

void TestHostile::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("tmail.*.debug=false\ntmail.*.info=false"));
    QVERIFY(m_certDir.isValid());
    const Status certificate = TestCertificate().make(m_certDir.path());
    QVERIFY2(certificate, qPrintable(certificate.error()));
}

void TestHostile::relayTricksAreRefused_data()
{
    QTest::addColumn<QByteArray>("rcpt");
    QTest::addColumn<QString>("expected"); // reply prefix
    // example.org is the only rcpthost; nothing may reach elsewhere.test.
    QTest::newRow("bang path stays in the local part")
        << QByteArray("RCPT TO:<elsewhere.test!user@example.org>") << QStringLiteral("250 ok");
    QTest::newRow("bang path in the domain")
        << QByteArray("RCPT TO:<user@elsewhere.test!example.org>") << QStringLiteral("501 5.5.4");
    QTest::newRow("bare bang path") << QByteArray("RCPT TO:<elsewhere.test!user>") << QStringLiteral("501 5.5.4");
    QTest::newRow("quoted @ in the local part")
        << QByteArray("RCPT TO:<\"user@elsewhere.test\"@example.org>") << QStringLiteral("250 ok");
    QTest::newRow("quoted local part, foreign domain")
        << QByteArray("RCPT TO:<\"user\"@elsewhere.test>") << QStringLiteral("554 5.7.1");
    QTest::newRow("quoted domain trick") << QByteArray("RCPT TO:<user@\"elsewhere.test\"@example.org>")
                                         << QStringLiteral("501 5.5.4");
    QTest::newRow("trailing dot, local") << QByteArray("RCPT TO:<user@example.org.>") << QStringLiteral("501 5.5.4");
    QTest::newRow("trailing dot, foreign")
        << QByteArray("RCPT TO:<user@elsewhere.test.>") << QStringLiteral("501 5.5.4");
    QTest::newRow("two trailing dots") << QByteArray("RCPT TO:<user@example.org..>") << QStringLiteral("501 5.5.4");
    QTest::newRow("subdomain of a rcpthost")
        << QByteArray("RCPT TO:<user@sub.example.org>") << QStringLiteral("554 5.7.1");
    QTest::newRow("rcpthost as a prefix")
        << QByteArray("RCPT TO:<user@example.org.elsewhere.test>") << QStringLiteral("554 5.7.1");
    QTest::newRow("rcpthost as a suffix")
        << QByteArray("RCPT TO:<user@evilexample.org>") << QStringLiteral("554 5.7.1");
    QTest::newRow("IPv6 address literal") << QByteArray("RCPT TO:<user@[IPv6:::1]>") << QStringLiteral("501 5.5.4");
    QTest::newRow("route through the rcpthost")
        << QByteArray("RCPT TO:<@example.org,@example.org:user@elsewhere.test>") << QStringLiteral("554 5.7.1");
    QTest::newRow("malformed route") << QByteArray("RCPT TO:<@example.org user@elsewhere.test>")
                                     << QStringLiteral("501 5.5.4");
    QTest::newRow("address after the path")
        << QByteArray("RCPT TO:<user@elsewhere.test>@example.org") << QStringLiteral("501 5.5.4");
    QTest::newRow("unbracketed double @")
        << QByteArray("RCPT TO:user@elsewhere.test@example.org") << QStringLiteral("501 5.5.4");
    QTest::newRow("NUL in the local part")
        << QByteArray("RCPT TO:<user@elsewhere.test\0@example.org>", 42) << QStringLiteral("501 5.5.4");
    QTest::newRow("bare CR in the path") << QByteArray("RCPT TO:<user@example.org\r@elsewhere.test>")
                                         << QStringLiteral("501 5.5.4");
    QTest::newRow("percent hack, foreign last")
        << QByteArray("RCPT TO:<user@example.org%elsewhere.test>") << QStringLiteral("501 5.5.4");
    QTest::newRow("backslash escape outside quotes")
        << QByteArray("RCPT TO:<user\\@elsewhere.test@example.org>") << QStringLiteral("501 5.5.4");
    QTest::newRow("comment in the domain")
        << QByteArray("RCPT TO:<user@elsewhere.test(example.org)>") << QStringLiteral("501 5.5.4");
    QTest::newRow("fullwidth without SMTPUTF8")
        << QByteArray("RCPT TO:<user@\xef\xbd\x85xample.org>") << QStringLiteral("501 5.5.4");
    QTest::newRow("DSN parameter smuggles nothing")
        << QByteArray("RCPT TO:<user@elsewhere.test> NOTIFY=NEVER") << QStringLiteral("554 5.7.1");
}

void TestHostile::relayTricksAreRefused()
{
    QFETCH(QByteArray, rcpt);
    QFETCH(QString, expected);
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@c.test>")), QStringLiteral("250 ok"));
    client.send(rcpt + "\r\n");
    const QString reply = client.readReply();
    QVERIFY2(reply.startsWith(expected), qPrintable(reply));
    // Whatever the trick, the session stays in step.
    QCOMPARE(client.command(QStringLiteral("NOOP")), QStringLiteral("250 2.0.0 Ok"));
}

void TestHostile::lookAlikeIdnDomainIsNotLocal()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    addRcptHost(server.db(), QStringLiteral("apple.com"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    client.command(QStringLiteral("EHLO c.test"));
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@c.test> SMTPUTF8")), QStringLiteral("250 ok"));
    // Cyrillic 'а' / 'е' instead of Latin ones: other domains (A-labels), so no relay.
    QVERIFY(
        client.command(QString::fromUtf8("RCPT TO:<user@\xd0\xb0pple.com>")).startsWith(QStringLiteral("554 5.7.1")));
    QVERIFY(
        client.command(QString::fromUtf8("RCPT TO:<user@\xd0\xb5xample.org>")).startsWith(QStringLiteral("554 5.7.1")));
    // Greek omicron in the TLD.
    QVERIFY(
        client.command(QString::fromUtf8("RCPT TO:<user@example.\xce\xbfrg>")).startsWith(QStringLiteral("554 5.7.1")));
    // Its own A-label form is not local either.
    QVERIFY(client.command(QStringLiteral("RCPT TO:<user@xn--pple-43d.com>")).startsWith(QStringLiteral("554 5.7.1")));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<user@apple.com>")), QStringLiteral("250 ok"));
}

void TestHostile::smugglingVariantsNeverEndData_data()
{
    QTest::addColumn<QByteArray>("fakeEnd");
    QTest::addColumn<bool>("refused"); // the message itself must be refused (bare CR/LF)
    QTest::newRow("CR.CR") << QByteArray("\r.\r") << true;
    QTest::newRow("CRLF.LF") << QByteArray("\r\n.\n") << true;
    QTest::newRow("LF.CRLF") << QByteArray("\n.\r\n") << true;
    QTest::newRow("CR.CRLF") << QByteArray("\r.\r\n") << true;
    QTest::newRow("CRLF.CR") << QByteArray("\r\n.\r") << true;
    QTest::newRow("CRLF NUL.CRLF") << QByteArray("\r\n\0.\r\n", 6) << false;
    QTest::newRow("CRLF.NUL CRLF") << QByteArray("\r\n.\0\r\n", 6) << false;
    QTest::newRow("CRLF space.CRLF") << QByteArray("\r\n .\r\n") << false;
}

void TestHostile::smugglingVariantsNeverEndData()
{
    QFETCH(QByteArray, fakeEnd);
    QFETCH(bool, refused);
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(openTransaction(client, server.clearPort()));
    QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QStringLiteral("354")));
    client.send(QByteArrayLiteral("Subject: first\r\n\r\nhello") + fakeEnd
        + QByteArrayLiteral("MAIL FROM:<evil@c.test>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n"
                            "Subject: smuggled\r\n\r\nevil\r\n"));
    QCOMPARE(client.readReply(600), QString()); // the data has not ended
    client.send(QByteArrayLiteral(".\r\n"));
    const QString reply = client.readReply();
    if (refused)
        QVERIFY2(reply.startsWith(QStringLiteral("550 5.5.2")), qPrintable(reply));
    else
        QVERIFY2(reply.startsWith(QStringLiteral("250 2.0.0 Ok: queued")), qPrintable(reply));
    // Exactly one reply for the whole DATA: the smuggled commands were message text.
    QCOMPARE(client.readReply(300), QString());
    QCOMPARE(client.command(QStringLiteral("NOOP")), QStringLiteral("250 2.0.0 Ok"));
    QCOMPARE(server.queuedCount(), refused ? 0 : 1);
    if (!refused)
    {
        QueueTable table(server.db());
        const Expected<QList<QueuedMessage>> messages = table.list(0, 10);
        QVERIFY(messages);
        QCOMPARE(messages->size(), 1);
        QCOMPARE(messages->first().envelopeSender, QStringLiteral("a@c.test"));
        QCOMPARE(messages->first().recipients.size(), 1);
    }
}

void TestHostile::transactionDoesNotSurviveStartTls()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(openTransaction(client, server.clearPort(), QStringLiteral("MAIL FROM:<spoofed@c.test>")));
    QVERIFY(client.command(QStringLiteral("STARTTLS now")).startsWith(QStringLiteral("501 5.5.4")));
    QCOMPARE(client.command(QStringLiteral("STARTTLS")), QStringLiteral("220 2.0.0 Ready to start TLS"));
    QVERIFY(client.startTls());
    QVERIFY(client.command(QStringLiteral("EHLO c.test")).startsWith(QStringLiteral("250-")));
    // The clear-text MAIL and RCPT are forgotten: DATA has no transaction to use.
    QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QStringLiteral("503 5.5.1")));
    QVERIFY(client.command(QStringLiteral("RCPT TO:<u@example.org>")).startsWith(QStringLiteral("503 5.5.1")));
    // And the implicit-TLS listener has nothing to upgrade.
    SmtpTestClient tls;
    QVERIFY(tls.connectTo(server.tlsPort(), true));
    QVERIFY(tls.readReply().startsWith(QStringLiteral("220")));
    tls.command(QStringLiteral("EHLO c.test"));
    QVERIFY(tls.command(QStringLiteral("STARTTLS")).startsWith(QStringLiteral("503 5.5.1")));
}

void TestHostile::commandFloodWithoutNewlineIsBounded()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient flooder;
    QVERIFY(flooder.connectTo(server.clearPort()));
    flooder.readReply();
    // 16 MiB of one "line": the session throws it away as it comes.
    const QByteArray block(1024 * 1024, 'A');
    for (int i = 0; i < 16; ++i)
    {
        flooder.send(block);
        QVERIFY(QTest::qWaitFor([&]() { return flooder.socket().bytesToWrite() < 4 * 1024 * 1024; }, 10000));
    }
    // Meanwhile another client is served normally.
    SmtpTestClient other;
    QVERIFY(openTransaction(other, server.clearPort()));
    QVERIFY(other.command(QStringLiteral("DATA")).startsWith(QStringLiteral("354")));
    QVERIFY(other.command(QStringLiteral("Subject: ok\r\n\r\nok\r\n.")).startsWith(QStringLiteral("250 2.0.0")));
    QVERIFY(QTest::qWaitFor([&]() { return flooder.socket().bytesToWrite() == 0; }, 10000));
    flooder.send("\r\n");
    QCOMPARE(flooder.readReply(10000), QStringLiteral("500 5.5.2 Error: line too long"));
    QCOMPARE(flooder.command(QStringLiteral("NOOP")), QStringLiteral("250 2.0.0 Ok"));
}

void TestHostile::slowlorisCannotHoldTheConcurrencyLimit()
{
    SmtpTestServer server(m_certDir.path(), [](Config &config) {
        config.concurrencyIncoming = 4;
        config.serverTimeoutSeconds = 1;
    });
    QVERIFY(server.start());
    // Four clients take every slot and then send one byte every 200 ms, never a full line.
    std::vector<std::unique_ptr<QTcpSocket>> slow;
    for (int i = 0; i < 4; ++i)
    {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, server.clearPort());
        QVERIFY(socket->waitForConnected(5000));
        slow.push_back(std::move(socket));
    }
    QVERIFY(QTest::qWaitFor(
        [&]() {
            for (const auto &socket : slow)
            {
                if (!socket->canReadLine())
                    return false;
            }
            return true;
        },
        5000));
    for (const auto &socket : slow)
        QVERIFY(socket->readLine().startsWith("220 "));
    SmtpTestClient refused;
    QVERIFY(refused.connectTo(server.clearPort()));
    QVERIFY(refused.readReply().startsWith(QStringLiteral("421 4.7.0")));

    // The dribble goes on; within a few timeouts every slot must be free again.
    QElapsedTimer timer;
    timer.start();
    bool served = false;
    while (!served && timer.elapsed() < 6000)
    {
        for (const auto &socket : slow)
        {
            if (socket->state() == QAbstractSocket::ConnectedState)
                socket->write("E");
        }
        QTest::qWait(200);
        if (timer.elapsed() > 1500)
        {
            SmtpTestClient probe;
            if (probe.connectTo(server.clearPort()) && probe.readReply(2000).startsWith(QStringLiteral("220 ")))
                served = true;
        }
    }
    QVERIFY2(served, "byte-at-a-time clients kept every session slot");
    int closed = 0;
    for (const auto &socket : slow)
    {
        const QByteArray rest = socket->readAll();
        if (socket->state() != QAbstractSocket::ConnectedState || rest.contains("421 4.4.2"))
            ++closed;
    }
    QCOMPARE(closed, 4);
}

void TestHostile::heloAndSenderInjectionStaySafe()
{
    SmtpTestServer server(m_certDir.path());
    addRcptHost(server.db(), QStringLiteral("example.org"));
    QVERIFY(server.start());
    SmtpTestClient client;
    QVERIFY(client.connectTo(server.clearPort()));
    client.readReply();
    // A bare CR (a line only ends at LF), quotes and SQL in HELO.
    client.send(QByteArrayLiteral("EHLO evil\rX-Injected:yes'\";DROP_TABLE_queue_messages;--\r\n"));
    const QString ehlo = client.readReply();
    if (ehlo.startsWith(QStringLiteral("250")))
    {
        const QString sender = QStringLiteral("\"o'brien\\\"; DROP TABLE queue_messages;--\"@c.test");
        QCOMPARE(client.command(QStringLiteral("MAIL FROM:<%1>").arg(sender)), QStringLiteral("250 ok"));
        QCOMPARE(client.command(QStringLiteral("RCPT TO:<u@example.org>")), QStringLiteral("250 ok"));
        QVERIFY(client.command(QStringLiteral("DATA")).startsWith(QStringLiteral("354")));
        QVERIFY(
            client.command(QStringLiteral("Subject: inj\r\n\r\nbody\r\n.")).startsWith(QStringLiteral("250 2.0.0")));

        QueueTable table(server.db());
        const Expected<QList<QueuedMessage>> messages = table.list(0, 10);
        QVERIFY(messages);
        QCOMPARE(messages->size(), 1);
        QCOMPARE(messages->first().envelopeSender, sender); // stored as data, verbatim
        QVERIFY(!messages->first().helo.contains(QLatin1Char('\r')));
        QVERIFY(!messages->first().helo.contains(QLatin1Char('\n')));

        const QByteArray body = storedBodies(server.storePath());
        const qsizetype headerEnd = body.indexOf("\r\n\r\n");
        QVERIFY(headerEnd > 0);
        const QByteArray header = body.left(headerEnd + 2);
        // Every CR of the header is part of a CRLF and no header line was injected.
        for (qsizetype i = 0; i < header.size(); ++i)
        {
            if (header.at(i) == '\r')
                QVERIFY2(i + 1 < header.size() && header.at(i + 1) == '\n', header.constData());
            if (header.at(i) == '\n')
                QVERIFY2(i > 0 && header.at(i - 1) == '\r', header.constData());
        }
        QVERIFY2(!header.contains("\r\nX-Injected"), header.constData());
        QVERIFY(header.startsWith("Received: from "));
    }
    else
    {
        QVERIFY2(ehlo.startsWith(QStringLiteral("501")), qPrintable(ehlo));
    }
    // The tables are all still there.
    RcptHostTable rcptHosts(server.db());
    QVERIFY(rcptHosts.list());
}

void TestHostile::sqlInjectionThroughCommandLineIsInert()
{
    TmailEnvironment env;
    QVERIFY(env.isValid());
    QCOMPARE(env.run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    // Invalid values are refused before any SQL runs.
    const QStringList badDomains = { QStringLiteral("x.test'); DROP TABLE rcpthosts;--"),
        QStringLiteral("a.test\" OR \"1\"=\"1"), QStringLiteral("a.test\nb.test"), QStringLiteral("%") };
    for (const QString &domain : badDomains)
        QCOMPARE(env.run({ QStringLiteral("rcpthost"), QStringLiteral("add"), domain }).exitCode, 2);
    QCOMPARE(
        env.run({ QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("1.2.3.4' OR '1'='1") }).exitCode,
        2);
    QCOMPARE(env.run({ QStringLiteral("rcpthost"), QStringLiteral("del"), QStringLiteral("' OR '1'='1") }).exitCode, 2);
    // Valid values holding quotes are stored as data.
    QCOMPARE(env.run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("keep.test") }).exitCode, 0);
    const QString user = QStringLiteral("o'brien--@keep.test");
    const QString password = QStringLiteral("pw'); DELETE FROM users;--");
    QCOMPARE(env.run({ QStringLiteral("user"), QStringLiteral("add"), user, password }).exitCode, 0);
    QCOMPARE(env.run({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("\"x' OR 1=1;--\"@keep.test"),
                         password })
                 .exitCode,
        0);
    const TmailRun users = env.run({ QStringLiteral("user"), QStringLiteral("list") });
    QCOMPARE(users.exitCode, 0);
    QVERIFY2(users.out.contains(user), qPrintable(users.out));
    QVERIFY2(users.out.contains(QStringLiteral("\"x' OR 1=1;--\"@keep.test")), qPrintable(users.out));
    QVERIFY(!users.out.contains(password)); // only a hash is kept
    const TmailRun hosts = env.run({ QStringLiteral("rcpthost"), QStringLiteral("list") });
    QVERIFY2(hosts.out.contains(QStringLiteral("keep.test")), qPrintable(hosts.out));
    QCOMPARE(env.run({ QStringLiteral("user"), QStringLiteral("del"), user }).exitCode, 0);
    const TmailRun after = env.run({ QStringLiteral("user"), QStringLiteral("list") });
    QVERIFY(!after.out.contains(user));
    QVERIFY(after.out.contains(QStringLiteral("\"x' OR 1=1;--\"@keep.test")));
}

void TestHostile::dataVerdictDoesNotDependOnSegmentation()
{
    // A 1,100-octet line in a message limited to 736 octets: the size is crossed first,
    // so the answer is 552 whether the line arrives at once or in small pieces.
    const QByteArray data = QByteArray(1100, 'Y') + QByteArrayLiteral("\r\n.\r\n");
    for (const qsizetype piece : { qsizetype(data.size()), qsizetype(1), qsizetype(7), qsizetype(512) })
    {
        DataReader reader(736, 0);
        for (qsizetype offset = 0; offset < data.size() && !reader.finished(); offset += piece)
            reader.feed(data.constData() + offset, qMin(piece, data.size() - offset));
        QVERIFY(reader.finished());
        QCOMPARE(int(reader.verdict()), int(DataReader::Verdict::TooBig));
    }
    // And a long line inside the size limit is a long line.
    DataReader reader(0, 0);
    reader.feed(data.constData(), data.size());
    QCOMPARE(int(reader.verdict()), int(DataReader::Verdict::LineTooLong));
}

void TestHostile::managerIdOutOfRangeIsRefused()
{
    // {"id": 1e300} once went through a double-to-qint64 cast that is undefined behaviour.
    for (const char *id : { "1e300", "-1e300", "9223372036854775808", "1.5" })
    {
        const QByteArray payload
            = QByteArrayLiteral("{\"type\":\"request\",\"id\":") + id + QByteArrayLiteral(",\"method\":\"status\"}");
        FrameCodec codec;
        QByteArray frame(4, Qt::Uninitialized);
        qToBigEndian<quint32>(quint32(payload.size()), frame.data());
        codec.feed(frame + payload);
        QJsonObject object;
        QCOMPARE(int(codec.takeFrame(&object)), int(FrameCodec::Result::Frame));
        QVERIFY2(!ManagerProtocol::Request::fromJson(object), id);
    }
}

void TestHostile::idnAddressTooLongOnTheWireIsRefused()
{
    // 208 characters as typed, 280 once the domain is written in A-labels (its 215
    // octets are a valid domain): over the 254 of a path, so refused.
    const QString label
        = QString::fromUtf8("\xd1\x9d\xd1\x9a\xd1\x9a\xd1\x9d\xd1\x9a\xd1\x9a\xd1\x9d\xd1\x9a\xd1\x9a\xd1\x9d");
    QString domain;
    for (int i = 0; i < 12; ++i)
        domain += label + QLatin1Char('.');
    domain += QStringLiteral("example.org");
    QVERIFY(Domain::parse(domain));
    QVERIFY(Domain::parse(domain)->name().size() <= 253);
    const QString text = QString(64, QLatin1Char('u')) + QLatin1Char('@') + domain;
    QVERIFY(text.size() <= 254);
    const Expected<MailAddress> address = MailAddress::parse(text, true);
    QVERIFY2(!address, address ? qPrintable(address->toString()) : "");
}

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
