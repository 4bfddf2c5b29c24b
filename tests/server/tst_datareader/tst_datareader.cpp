// Byte-level tests of the DATA reader and the other socket-free parts of smtpd.
#include "smtpd/authlimiter.h"
#include "smtpd/datareader.h"
#include "smtpd/relaypolicy.h"
#include "smtpd/smtpcommand.h"

#include <QTest>

namespace {

struct ReadResult
{
    bool finished = false;
    DataReader::Verdict verdict = DataReader::Verdict::Accepted;
    QByteArray output;
    qsizetype consumed = 0;
    int received = 0;
};

// Feeds the input in pieces of chunk bytes (1 = byte by byte) until the end of data.
ReadResult readAll(const QByteArray &input, qsizetype chunk, qint64 maxBytes = 0, int maxHops = 0)
{
    DataReader reader(maxBytes, maxHops);
    ReadResult result;
    qsizetype position = 0;
    while (position < input.size() && !reader.finished())
    {
        const qsizetype size = qMin(chunk, input.size() - position);
        const qsizetype used = reader.feed(input.constData() + position, size);
        position += used;
        result.output += reader.takeOutput();
        if (used < size)
        {
            break;
        }
    }
    result.finished = reader.finished();
    result.verdict = reader.verdict();
    result.consumed = position;
    result.received = reader.receivedHeaders();
    return result;
}

} // namespace

class TestDataReader : public QObject
{
    Q_OBJECT
private slots:
    void endsOnlyAtCrLfDotCrLf_data();
    void endsOnlyAtCrLfDotCrLf();
    void undoesDotStuffing();
    void stopsRightAfterEndOfData();
    void refusesBareLf();
    void refusesBareCr();
    void bareLfDotDoesNotEndData();
    void refusesLongLine();
    void enforcesSizeWhileReading();
    void countsReceivedHeaders();
    void ignoresReceivedInBody();
    void parsesCommands();
    void splitsPaths();
    void relayPolicyDecides();
    void authLimiterSlowsThenBans();
};

void TestDataReader::endsOnlyAtCrLfDotCrLf_data()
{
    QTest::addColumn<int>("chunk");

    QTest::newRow("bytes") << 1;
    QTest::newRow("three") << 3;
    QTest::newRow("big") << 4096;
}

void TestDataReader::endsOnlyAtCrLfDotCrLf()
{
    QFETCH(int, chunk);
    const QByteArray input = QByteArrayLiteral("Subject: x\r\n\r\nbody\r\n.\r\n");
    const ReadResult result = readAll(input, chunk);
    QVERIFY(result.finished);
    QCOMPARE(result.verdict, DataReader::Verdict::Accepted);
    QCOMPARE(result.output, QByteArrayLiteral("Subject: x\r\n\r\nbody\r\n"));
    QCOMPARE(result.consumed, input.size());
}

void TestDataReader::undoesDotStuffing()
{
    const QByteArray input = QByteArrayLiteral("a\r\n..b\r\n...\r\n.\r\n");
    for (int chunk : { 1, 2, 100 })
    {
        const ReadResult result = readAll(input, chunk);
        QVERIFY(result.finished);
        QCOMPARE(result.output, QByteArrayLiteral("a\r\n.b\r\n..\r\n"));
    }
}

void TestDataReader::stopsRightAfterEndOfData()
{
    const QByteArray input = QByteArrayLiteral("x\r\n.\r\nQUIT\r\n");
    const ReadResult result = readAll(input, 100);
    QVERIFY(result.finished);
    QCOMPARE(input.mid(result.consumed), QByteArrayLiteral("QUIT\r\n"));
    // The data may also be empty: ".\r\n" right away.
    const ReadResult empty = readAll(QByteArrayLiteral(".\r\n"), 1);
    QVERIFY(empty.finished);
    QVERIFY(empty.output.isEmpty());
}

void TestDataReader::refusesBareLf()
{
    const ReadResult result = readAll(QByteArrayLiteral("a\nb\r\n.\r\n"), 1);
    QVERIFY(result.finished);
    QCOMPARE(result.verdict, DataReader::Verdict::BareNewline);
    QCOMPARE(result.output, QByteArrayLiteral("a")); // nothing after the refusal (the session drops the file)
}

void TestDataReader::refusesBareCr()
{
    for (const QByteArray &input :
        { QByteArrayLiteral("a\rb\r\n.\r\n"), QByteArrayLiteral("a\r\r\n.\r\n"), QByteArrayLiteral(".\rx\r\n.\r\n") })
    {
        const ReadResult result = readAll(input, 1);
        QVERIFY(result.finished);
        QCOMPARE(result.verdict, DataReader::Verdict::BareNewline);
    }
}

void TestDataReader::bareLfDotDoesNotEndData()
{
    // Each of these contains a fake end of data followed by a smuggled command.
    const QList<QByteArray> fakes = {
        QByteArrayLiteral("a\n.\nMAIL FROM:<x@y.z>\r\n"),
        QByteArrayLiteral("a\n.\r\nMAIL FROM:<x@y.z>\r\n"),
        QByteArrayLiteral("a\r\n.\nMAIL FROM:<x@y.z>\r\n"),
        QByteArrayLiteral("a\r.\r\nMAIL FROM:<x@y.z>\r\n"),
        QByteArrayLiteral("a\r\n.\rMAIL FROM:<x@y.z>\r\n"),
    };
    for (const QByteArray &fake : fakes)
    {
        const QByteArray input = fake + QByteArrayLiteral("tail\r\n.\r\n");
        const ReadResult result = readAll(input, 1);
        QVERIFY2(result.finished, fake.constData());
        QCOMPARE(result.consumed, input.size()); // the real end, not the fake one
        QCOMPARE(result.verdict, DataReader::Verdict::BareNewline);
    }
}

void TestDataReader::refusesLongLine()
{
    const QByteArray ok = QByteArray(998, 'x') + QByteArrayLiteral("\r\n.\r\n");
    QCOMPARE(readAll(ok, 7).verdict, DataReader::Verdict::Accepted);
    const QByteArray tooLong = QByteArray(999, 'x') + QByteArrayLiteral("\r\n.\r\n");
    const ReadResult result = readAll(tooLong, 7);
    QVERIFY(result.finished);
    QCOMPARE(result.verdict, DataReader::Verdict::LineTooLong);
}

void TestDataReader::enforcesSizeWhileReading()
{
    QByteArray body;
    for (int i = 0; i < 1000; ++i)
    {
        body += QByteArray(98, 'y') + QByteArrayLiteral("\r\n");
    }
    DataReader reader(5000, 0);
    qint64 kept = 0;
    reader.feed(body.constData(), body.size());
    kept += reader.takeOutput().size();
    QCOMPARE(reader.verdict(), DataReader::Verdict::TooBig);
    QVERIFY(kept <= 5000); // nothing past the limit is kept
    QVERIFY(!reader.finished());
    reader.feed(".\r\n", 3);
    QVERIFY(reader.finished());
    QCOMPARE(reader.verdict(), DataReader::Verdict::TooBig);
}

void TestDataReader::countsReceivedHeaders()
{
    QByteArray input;
    for (int i = 0; i < 3; ++i)
    {
        input += QByteArrayLiteral("Received: from a by b\r\n\tfor x; date\r\n");
    }
    input += QByteArrayLiteral("RECEIVED: x\r\nSubject: s\r\n\r\nbody\r\n.\r\n");
    const ReadResult allowed = readAll(input, 5, 0, 4);
    QCOMPARE(allowed.received, 4);
    QCOMPARE(allowed.verdict, DataReader::Verdict::Accepted);
    const ReadResult loop = readAll(input, 5, 0, 3);
    QCOMPARE(loop.verdict, DataReader::Verdict::TooManyHops);
}

void TestDataReader::ignoresReceivedInBody()
{
    const QByteArray input = QByteArrayLiteral("Subject: s\r\n\r\nReceived: a\r\nReceived: b\r\n.\r\n");
    const ReadResult result = readAll(input, 1, 0, 1);
    QCOMPARE(result.received, 0);
    QCOMPARE(result.verdict, DataReader::Verdict::Accepted);
}

void TestDataReader::parsesCommands()
{
    QCOMPARE(SmtpCommand::parse(QStringLiteral("ehlo client.example")).verb(), SmtpCommand::Verb::Ehlo);
    QCOMPARE(SmtpCommand::parse(QStringLiteral("ehlo client.example")).argument(), QStringLiteral("client.example"));
    QCOMPARE(SmtpCommand::parse(QStringLiteral("StartTLS")).verb(), SmtpCommand::Verb::StartTls);
    QCOMPARE(SmtpCommand::parse(QStringLiteral("QUITX")).verb(), SmtpCommand::Verb::Unknown);
    QCOMPARE(SmtpCommand::parse(QString()).verb(), SmtpCommand::Verb::Unknown);
}

void TestDataReader::splitsPaths()
{
    QString path;
    QList<QPair<QString, QString>> parameters;
    QVERIFY(SmtpCommand::parse(QStringLiteral("MAIL FROM:<a@b.c> SIZE=100 body=8bitmime"))
                .splitPath(QStringLiteral("FROM"), &path, &parameters));
    QCOMPARE(path, QStringLiteral("<a@b.c>"));
    QCOMPARE(parameters.size(), 2);
    QCOMPARE(parameters.at(1).first, QStringLiteral("BODY"));
    QCOMPARE(parameters.at(1).second, QStringLiteral("8bitmime"));
    // The telnet style, without brackets and with a space.
    QVERIFY(SmtpCommand::parse(QStringLiteral("mail from: toorop@toorop.fr"))
                .splitPath(QStringLiteral("FROM"), &path, &parameters));
    QCOMPARE(path, QStringLiteral("<toorop@toorop.fr>"));
    // A quoted local part may hold '>' and spaces.
    QVERIFY(SmtpCommand::parse(QStringLiteral("RCPT TO:<\"a> b\"@c.d>"))
                .splitPath(QStringLiteral("TO"), &path, &parameters));
    QCOMPARE(path, QStringLiteral("<\"a> b\"@c.d>"));
    QVERIFY(!SmtpCommand::parse(QStringLiteral("RCPT TO <a@b.c>")).splitPath(QStringLiteral("TO"), &path, &parameters));
    QVERIFY(!SmtpCommand::parse(QStringLiteral("RCPT TO:<a@b.c")).splitPath(QStringLiteral("TO"), &path, &parameters));
    QVERIFY(
        !SmtpCommand::parse(QStringLiteral("RCPT TO:<a@b.c>x")).splitPath(QStringLiteral("TO"), &path, &parameters));
}

void TestDataReader::relayPolicyDecides()
{
    const RelayPolicy policy({ Domain::parse(QStringLiteral("Example.ORG")).value() },
        { IpRange::parse(QStringLiteral("192.0.2.0/24")).value() });
    const Domain local = Domain::parse(QStringLiteral("example.org")).value();
    const Domain remote = Domain::parse(QStringLiteral("elsewhere.net")).value();
    const QHostAddress stranger(QStringLiteral("198.51.100.1"));
    QVERIFY(policy.allows(local, stranger, false));
    QVERIFY(!policy.allows(remote, stranger, false));
    QVERIFY(policy.allows(remote, stranger, true));
    QVERIFY(policy.allows(remote, QHostAddress(QStringLiteral("192.0.2.77")), false));
    QVERIFY(policy.allows(remote, QHostAddress(QStringLiteral("::ffff:192.0.2.77")), false));
}

void TestDataReader::authLimiterSlowsThenBans()
{
    AuthLimiter limiter(3, 60);
    const QHostAddress client(QStringLiteral("198.51.100.7"));
    const QHostAddress other(QStringLiteral("198.51.100.8"));
    qint64 now = 1000000;
    const int first = limiter.recordFailure(client, now);
    const int second = limiter.recordFailure(client, now);
    QVERIFY(first > 0);
    QVERIFY(second > first);
    QVERIFY(!limiter.isBanned(client, now));
    QCOMPARE(limiter.recordFailure(client, now), -1);
    QVERIFY(limiter.isBanned(client, now));
    QVERIFY(!limiter.isBanned(other, now));
    QVERIFY(limiter.isBanned(client, now + 59000));
    QVERIFY(!limiter.isBanned(client, now + 61000));
    QVERIFY(limiter.recordFailure(client, now + 61000) > 0); // a new series after the ban
}

QTEST_GUILESS_MAIN(TestDataReader)
#include "tst_datareader.moc"
