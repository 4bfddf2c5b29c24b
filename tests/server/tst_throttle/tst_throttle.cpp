// deliverd's per-destination limits on loopback: concurrency (global and per throttle),
// a rate in messages per minute, MX host patterns, and the halving of concurrency when a
// destination says "too many". The sinks count their sessions at once and note when each
// message arrived.
#include "testpeers.h"
#include "testsmtpsink.h"
#include "tmailprocess.h"

#include "admin/throttleservice.h"
#include "core/adminvalues.h"
#include "db/database.h"
#include "db/queuetable.h"
#include "db/tables.h"
#include "deliverd/deliverd.h"
#include "queue/diskstore.h"

#include <memory>
#include <optional>

#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QByteArray Body = "Subject: throttle\r\nFrom: <sender@origin.test>\r\n\r\nHello\r\n";

// Every deliverd warning, for the lines about concurrency feedback.
QStringList g_warnings;
QtMessageHandler g_previousHandler = nullptr;

void collectWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg)
        g_warnings.append(message);
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

class TestThrottle : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void parsesThrottleValues();
    void serviceRefusesBadThrottlesAndChangesNothing();
    void globalConcurrencyHoldsPerDestination();
    void throttleConcurrencyOverridesTheGlobalOne();
    void rateSpacesTheMessagesToADestination();
    void mxPatternHoldsEveryDomainItServes();
    void busyDestinationGetsHalfTheSessions();
    void tooManyReplyHalvesConcurrency();

private:
    QString enqueue(const QString &recipient);
    std::unique_ptr<Deliverd> startDeliverd();
    void addRoute(const QString &domain, const QString &host, quint16 port);
    void addThrottle(const QString &pattern, int concurrency, int ratePerHour);
    int queueCount();

    QProcess m_dnsmasq;
    quint16 m_dnsPort = 0;
    std::unique_ptr<QTemporaryDir> m_dir;
    Config m_config;
    std::optional<Database> m_db;
    int m_counter = 0;
};

void TestThrottle::initTestCase()
{
    g_previousHandler = qInstallMessageHandler(collectWarnings);
    TMAIL_REQUIRE_PEER(TestPeers::hasProgram(QStringLiteral("dnsmasq")), "dnsmasq (dnsmasq-base) is not installed");
    m_dnsPort = freeLoopbackPort();
    // Two domains served by the same pool of MX hosts, as Google serves many.
    m_dnsmasq.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_dnsmasq.start(QStringLiteral("dnsmasq"),
        { QStringLiteral("--keep-in-foreground"), QStringLiteral("--no-resolv"), QStringLiteral("--no-hosts"),
            QStringLiteral("--port=%1").arg(m_dnsPort), QStringLiteral("--listen-address=127.0.0.1"),
            QStringLiteral("--bind-interfaces"), QStringLiteral("--local=/test/"), QStringLiteral("--pid-file="),
            QStringLiteral("--mx-host=one.test,mx.pool.test,10"), QStringLiteral("--mx-host=two.test,mx.pool.test,10"),
            QStringLiteral("--host-record=mx.pool.test,127.0.5.9") });
    QVERIFY(m_dnsmasq.waitForStarted(5000));
    QTest::qWait(300);
    QCOMPARE(m_dnsmasq.state(), QProcess::Running);
}

void TestThrottle::cleanupTestCase()
{
    m_dnsmasq.terminate();
    m_dnsmasq.waitForFinished(3000);
    qInstallMessageHandler(g_previousHandler);
}

void TestThrottle::init()
{
    g_warnings.clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_config = Config();
    m_config.me = QStringLiteral("tmail.test");
    m_config.baseDir = m_dir->path();
    m_config.db.backend = DbSource::Backend::Sqlite;
    m_config.db.driverName = QStringLiteral("sqlite3");
    m_config.db.sqlitePath = m_dir->filePath(QStringLiteral("tmail.db"));
    m_config.storeDriver = QStringLiteral("disk");
    m_config.storePath = m_dir->filePath(QStringLiteral("store"));
    m_config.deliverdMaxInFlight = 50;
    m_config.deliverdRemoteTimeoutSeconds = 10;
    DnsServer server;
    server.address = QHostAddress(QHostAddress::LocalHost);
    server.port = m_dnsPort;
    m_config.dnsServers = { server };
    QVERIFY(DiskStore(m_config.storePath).prepare());
    Expected<Database> db = Database::open(m_config.db, QStringLiteral("tst-throttle-%1").arg(++m_counter));
    QVERIFY2(db, qPrintable(db.error()));
    m_db.emplace(std::move(db).value());
    const Status upgraded = m_db->upgrade();
    QVERIFY2(upgraded, qPrintable(upgraded.error()));
}

void TestThrottle::cleanup()
{
    m_db.reset();
    m_dir.reset();
}

QString TestThrottle::enqueue(const QString &recipient)
{
    const DiskStore store(m_config.storePath);
    const QString id = QueueTable::newId();
    QFile file(store.tmpPath(id));
    if (!file.open(QIODevice::WriteOnly) || file.write(Body) != Body.size())
        return {};
    file.close();
    if (!store.commit({ id }))
        return {};
    QueuedMessage message;
    message.id = id;
    message.envelopeSender = QStringLiteral("sender@origin.test");
    message.sizeBytes = Body.size();
    message.storeKey = DiskStore::keyFor(id);
    message.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    message.nextAttemptAtMs = message.createdAtMs;
    QueuedRecipient queued;
    queued.address = recipient;
    message.recipients.append(queued);
    return QueueTable(*m_db).enqueue({ message }) ? id : QString();
}

std::unique_ptr<Deliverd> TestThrottle::startDeliverd()
{
    auto deliverd = std::make_unique<Deliverd>(m_config);
    deliverd->setPollIntervalMs(100);
    deliverd->setRetrySchedule(RetrySchedule({ 200 }));
    const Status started = deliverd->start();
    if (!started)
    {
        qWarning("%s", qPrintable(started.error()));
        return {};
    }
    return deliverd;
}

void TestThrottle::addRoute(const QString &domain, const QString &host, quint16 port)
{
    Route route;
    route.recipientDomain = Domain::parse(domain).value();
    route.remoteHost = host;
    route.remotePort = port;
    const Expected<qint64> added = RouteTable(*m_db).add(route);
    QVERIFY2(added, qPrintable(added.error()));
}

void TestThrottle::addThrottle(const QString &pattern, int concurrency, int ratePerHour)
{
    Throttle throttle;
    throttle.pattern = pattern;
    throttle.concurrency = concurrency;
    throttle.ratePerHour = ratePerHour;
    const Expected<Throttle> added = ThrottleService(*m_db).add(throttle);
    QVERIFY2(added, qPrintable(added.error()));
}

int TestThrottle::queueCount()
{
    const Expected<int> count = QueueTable(*m_db).count();
    return count ? count.value() : -1;
}

void TestThrottle::parsesThrottleValues()
{
    QCOMPARE(AdminValues::throttlePattern(QStringLiteral("Example.COM")).value(), QStringLiteral("example.com"));
    QCOMPARE(AdminValues::throttlePattern(QStringLiteral("*.Google.com")).value(), QStringLiteral("*.google.com"));
    for (const char *bad : { "", "*", "*.", "a.*.com", "**.x.com", "exa mple.com", "-x.com", "*google.com" })
        QVERIFY2(!AdminValues::throttlePattern(QString::fromLatin1(bad)), bad);
    QCOMPARE(AdminValues::throttleRate(QStringLiteral("600/m")).value(), 36000);
    QCOMPARE(AdminValues::throttleRate(QStringLiteral("90/h")).value(), 90);
    for (const char *bad : { "", "0/m", "-5/m", "10", "10/s", "10/ m", "1/mm", "9999999999/m", "x/h" })
        QVERIFY2(!AdminValues::throttleRate(QString::fromLatin1(bad)), bad);
    QCOMPARE(AdminValues::throttleRateText(36000), QStringLiteral("600/m"));
    QCOMPARE(AdminValues::throttleRateText(90), QStringLiteral("90/h"));
    QCOMPARE(AdminValues::throttleConcurrency(QStringLiteral("3")).value(), 3);
    for (const char *bad : { "0", "-1", "100001", "two", "" })
        QVERIFY2(!AdminValues::throttleConcurrency(QString::fromLatin1(bad)), bad);
}

void TestThrottle::serviceRefusesBadThrottlesAndChangesNothing()
{
    ThrottleService service(*m_db);
    Throttle none;
    none.pattern = QStringLiteral("example.com");
    const Expected<Throttle> noLimit = service.add(none);
    QVERIFY(!noLimit);
    QCOMPARE(noLimit.kind(), ErrorKind::InvalidInput);
    Throttle badPattern;
    badPattern.pattern = QStringLiteral("not a domain");
    badPattern.concurrency = 2;
    QCOMPARE(service.add(badPattern).kind(), ErrorKind::InvalidInput);
    QCOMPARE(service.list().value().size(), 0);
    addThrottle(QStringLiteral("Example.com"), 2, 0);
    Throttle again;
    again.pattern = QStringLiteral("example.COM");
    again.ratePerHour = 60;
    QCOMPARE(service.add(again).kind(), ErrorKind::AlreadyExists);
    QCOMPARE(service.remove(QStringLiteral("other.com")).kind(), ErrorKind::NotFound);
    const QList<Throttle> listed = service.list().value();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.first().pattern, QStringLiteral("example.com"));
    QCOMPARE(listed.first().concurrency, 2);
    QCOMPARE(listed.first().ratePerHour, 0);
    QVERIFY(service.remove(QStringLiteral("EXAMPLE.com")));
    QCOMPARE(service.list().value().size(), 0);
}

void TestThrottle::globalConcurrencyHoldsPerDestination()
{
    // Two destinations, each with its own sink holding every session 300 ms in DATA.
    TestSmtpSink first;
    TestSmtpSink second;
    first.dataReplyDelayMs = second.dataReplyDelayMs = 300;
    QVERIFY(first.listen(QHostAddress(QStringLiteral("127.0.5.1"))));
    QVERIFY(second.listen(QHostAddress(QStringLiteral("127.0.5.2"))));
    addRoute(QStringLiteral("first.test"), QStringLiteral("127.0.5.1"), first.serverPort());
    addRoute(QStringLiteral("second.test"), QStringLiteral("127.0.5.2"), second.serverPort());
    for (int i = 0; i < 12; ++i)
    {
        QVERIFY(!enqueue(QStringLiteral("r%1@first.test").arg(i)).isEmpty());
        QVERIFY(!enqueue(QStringLiteral("r%1@second.test").arg(i)).isEmpty());
    }
    m_config.deliverdDestConcurrency = 3;
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(first.messages.size() + second.messages.size(), 24, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    // Three at once to each, never more, and both at the same time.
    QCOMPARE(first.maxOpenSessions, 3);
    QCOMPARE(second.maxOpenSessions, 3);
}

void TestThrottle::throttleConcurrencyOverridesTheGlobalOne()
{
    TestSmtpSink limited;
    TestSmtpSink other;
    limited.dataReplyDelayMs = other.dataReplyDelayMs = 200;
    QVERIFY(limited.listen(QHostAddress(QStringLiteral("127.0.5.3"))));
    QVERIFY(other.listen(QHostAddress(QStringLiteral("127.0.5.4"))));
    addRoute(QStringLiteral("limited.test"), QStringLiteral("127.0.5.3"), limited.serverPort());
    addRoute(QStringLiteral("other.test"), QStringLiteral("127.0.5.4"), other.serverPort());
    addThrottle(QStringLiteral("limited.test"), 1, 0);
    for (int i = 0; i < 6; ++i)
    {
        QVERIFY(!enqueue(QStringLiteral("r%1@limited.test").arg(i)).isEmpty());
        QVERIFY(!enqueue(QStringLiteral("r%1@other.test").arg(i)).isEmpty());
    }
    m_config.deliverdDestConcurrency = 4;
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(limited.messages.size() + other.messages.size(), 12, 20000);
    QCOMPARE(limited.maxOpenSessions, 1);
    QCOMPARE(other.maxOpenSessions, 4);
}

void TestThrottle::rateSpacesTheMessagesToADestination()
{
    // 120/m: one message every 500 ms, however many sessions are allowed.
    TestSmtpSink sink;
    QVERIFY(sink.listen(QHostAddress(QStringLiteral("127.0.5.5"))));
    addRoute(QStringLiteral("rate.test"), QStringLiteral("127.0.5.5"), sink.serverPort());
    addThrottle(QStringLiteral("rate.test"), 0, AdminValues::throttleRate(QStringLiteral("120/m")).value());
    constexpr int Count = 7;
    for (int i = 0; i < Count; ++i)
        QVERIFY(!enqueue(QStringLiteral("r%1@rate.test").arg(i)).isEmpty());
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), Count, 20000);
    const QList<qint64> &arrivals = sink.arrivalsMs;
    QCOMPARE(arrivals.size(), Count);
    qint64 smallestGap = 1000000;
    for (int i = 1; i < arrivals.size(); ++i)
        smallestGap = std::min(smallestGap, arrivals.at(i) - arrivals.at(i - 1));
    const double averageGap = double(arrivals.last() - arrivals.first()) / (Count - 1);
    qInfo("arrival gaps: smallest %lld ms, average %.1f ms (500 expected)", smallestGap, averageGap);
    // A start made late by a busy event loop is caught up on, never more than a second's worth.
    QVERIFY2(smallestGap >= 100, qPrintable(QString::number(smallestGap)));
    QVERIFY2(averageGap >= 475 && averageGap <= 560, qPrintable(QString::number(averageGap)));
}

void TestThrottle::mxPatternHoldsEveryDomainItServes()
{
    // one.test and two.test share mx.pool.test: "*.pool.test" limits both together.
    TestSmtpSink pool;
    pool.dataReplyDelayMs = 300;
    QVERIFY(pool.listen(QHostAddress(QStringLiteral("127.0.5.9")), 25));
    addThrottle(QStringLiteral("*.pool.test"), 2, 0);
    for (int i = 0; i < 6; ++i)
    {
        QVERIFY(!enqueue(QStringLiteral("r%1@one.test").arg(i)).isEmpty());
        QVERIFY(!enqueue(QStringLiteral("r%1@two.test").arg(i)).isEmpty());
    }
    m_config.deliverdDestConcurrency = 10;
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(pool.messages.size(), 12, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    QCOMPARE(pool.maxOpenSessions, 2);
}

void TestThrottle::busyDestinationGetsHalfTheSessions()
{
    // The sink takes two sessions at once and greets more with 421 "too many connections".
    TestSmtpSink busy;
    busy.sessionLimit = 2;
    busy.dataReplyDelayMs = 300;
    QVERIFY(busy.listen(QHostAddress(QStringLiteral("127.0.5.6"))));
    addRoute(QStringLiteral("busy.test"), QStringLiteral("127.0.5.6"), busy.serverPort());
    constexpr int Count = 16;
    for (int i = 0; i < Count; ++i)
        QVERIFY(!enqueue(QStringLiteral("r%1@busy.test").arg(i)).isEmpty());
    m_config.deliverdDestConcurrency = 8;
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(busy.messages.size(), Count, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    // 8 sessions, 6 refused: halved to 4 once for them; a refusal of a session started
    // after that halves it again.
    const QStringList halved = g_warnings.filter(QStringLiteral("destination busy.test is busy"));
    QVERIFY2(!halved.isEmpty(), qPrintable(g_warnings.join(QLatin1Char('\n'))));
    QVERIFY2(halved.first().contains(QStringLiteral("421 4.7.0")), qPrintable(halved.first()));
    int expected = 4;
    for (const QString &line : halved)
    {
        QVERIFY2(line.contains(QStringLiteral("concurrency halved to %1 ").arg(expected)), qPrintable(line));
        expected = std::max(1, expected / 2);
    }
    // Once at 2 the destination refuses no more: far fewer refusals than messages.
    qInfo("%d session(s) refused, %d warning(s)", busy.refusedSessions, int(halved.size()));
    QVERIFY2(busy.refusedSessions < Count, qPrintable(QString::number(busy.refusedSessions)));
    // Each message once.
    QSet<QString> recipients;
    for (const SinkMessage &message : std::as_const(busy.messages))
        recipients.insert(message.recipients.value(0));
    QCOMPARE(recipients.size(), Count);
}

void TestThrottle::tooManyReplyHalvesConcurrency()
{
    TestSmtpSink sink;
    sink.rcptReplies.insert(QStringLiteral("slow@slow.test"),
        { QStringLiteral("450 4.7.1 Too many messages from your host, slow down"), QStringLiteral("250 2.1.5 ok") });
    QVERIFY(sink.listen(QHostAddress(QStringLiteral("127.0.5.7"))));
    addRoute(QStringLiteral("slow.test"), QStringLiteral("127.0.5.7"), sink.serverPort());
    QVERIFY(!enqueue(QStringLiteral("slow@slow.test")).isEmpty());
    m_config.deliverdDestConcurrency = 6;
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 10000);
    const QStringList halved = g_warnings.filter(QStringLiteral("destination slow.test is busy"));
    QCOMPARE(halved.size(), 1);
    QVERIFY2(halved.first().contains(QStringLiteral("concurrency halved to 3")), qPrintable(halved.first()));
    // A plain 4xx is not such a feedback.
    g_warnings.clear();
    sink.rcptReplies.insert(
        QStringLiteral("full@slow.test"), { QStringLiteral("452 4.2.2 mailbox full"), QStringLiteral("250 ok") });
    QVERIFY(!enqueue(QStringLiteral("full@slow.test")).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 2, 10000);
    QVERIFY(g_warnings.filter(QStringLiteral("is busy")).isEmpty());
}

QTEST_GUILESS_MAIN(TestThrottle)
#include "tst_throttle.moc"
