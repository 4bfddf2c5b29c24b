// deliverd end to end on loopback: c-ares against dnsmasq, routes, the SMTP client
// against a scriptable sink, retries, RFC 3464 bounces and claims shared by two schedulers.
#include "testcertificate.h"
#include "testpeers.h"
#include "testsmtpsink.h"

#include "core/dsn.h"
#include "db/database.h"
#include "db/queuetable.h"
#include "db/secretbox.h"
#include "db/tables.h"
#include "deliverd/deliverd.h"
#include "deliverd/dnsresolver.h"
#include "deliverd/localaddresspicker.h"
#include "deliverd/routeselector.h"
#include "metrics/metrics.h"
#include "queue/diskstore.h"
#include "queue/queueactions.h"
#include "smtpd/smtpd.h"

#include <functional>
#include <memory>
#include <optional>

#include <QDateTime>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QtTest>

#include <unistd.h>

namespace {

constexpr quint16 DnsPort = 5391;
const QByteArray DefaultBody = "Subject: test\r\nFrom: <sender@ok.test>\r\n\r\nHello\r\n.a line with a dot\r\nbye\r\n";

QHostAddress ip(const char *text)
{
    return QHostAddress(QString::fromLatin1(text));
}

} // namespace

class TestDeliverd : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void resolverOrdersMxByPreference();
    void resolverClassifiesMissingDomains();
    void exchangersOfEqualPreferenceAreShuffled();
    void routeSelectorPrefersSpecificRoutesAndPriority();
    void localAddressPickerHonoursFamilyAndAnyAddress();

    void deliversThroughMxAndRemovesMessage();
    void fallsBackToNextMxWhenFirstRefuses();
    void deliversToDomainAddressWithoutMx();
    void nullMxBouncesAtOnce();
    void unknownDomainBounces();
    void routeOverridesMx();
    void routePriorityFailsOver();
    void routeWithCredentialsUsesAuthPlain();
    void severalRecipientsShareOneTransaction();
    void messagesToOneDestinationShareOneSession();
    void sessionClosedByTheRemoteIsReplacedAtOnce();
    void deliversMessageStoredUnderEarlierLayout();
    void temporaryFailureIsRetriedAndDeliveredOnce();
    void permanentFailureBouncesWithDeliveryStatus();
    void nullSenderFailureIsDroppedWithoutBounce();
    void expiredMessageBounces();
    void startTlsIsUsedWhenOffered();
    void tooBigForRemoteSizeBounces();
    void expiredClaimIsTakenBack();
    void twoSchedulersNeverDeliverTwice();
    void bounceNowBouncesPendingRecipients();
    void restartTakesOwnClaimsBackAtOnce();
    void sessionCutInDataIsRetried();
    void fallsBackToHeloWhenEhloIsRefused();
    void postfixSmtpSinkReceivesThroughRoute();
    void acceptedMessageTravelsFromSmtpdToRoute();
    void stopLetsSessionsInProgressEnd();
    void largeBodyIsStreamedIntactOverTls();

    void refusedConnectionIsDeferredWith441();
    void unresolvableHostIsDeferredWith444();
    void dnsFailureIsDeferredWith443();
    void lostConnectionIsDeferredWith442();
    void multiLineReplyIsKeptWhole();
    void bounceHonoursRetEnvidAndOrcpt();
    void notifyWithoutFailureGetsNoBounce();
    void nextHopWithoutDsnGivesRelayedNotice();
    void postfixNextHopSeesDsnParameters();
    void delayNoticeIsSentOnceAndRemembered();

private:
    QString enqueue(const QString &sender, const QStringList &recipients, const QByteArray &body = DefaultBody,
        qint64 createdAtMs = 0, const std::function<void(QueuedMessage &)> &adjust = {});
    // The recipients of a queued message after the first attempt on it was recorded.
    QList<QueuedRecipient> recipientsAfterAttempt(Deliverd &deliverd, const QString &id);
    // A notice parsed by Python's email package (dsnparse.py), as JSON.
    QJsonObject parseNotice(const QByteArray &data);
    std::unique_ptr<Deliverd> startDeliverd(const QString &nodeId = QString());
    int queueCount();
    int storeFileCount();
    void listenSink(TestSmtpSink &sink, const char *address, quint16 port = 25);
    void addRoute(const QString &domain, const QString &host, quint16 port, int priority,
        const QString &user = QString(), const QString &password = QString());

    QProcess m_dnsmasq;
    QTemporaryDir m_certDir;
    std::unique_ptr<QTemporaryDir> m_dir;
    Config m_config;
    std::optional<Database> m_db;
    int m_counter = 0;
};

void TestDeliverd::initTestCase()
{
    const QStringList records = {
        QStringLiteral("--mx-host=ok.test,mx1.ok.test,10"),
        QStringLiteral("--mx-host=ok.test,mx2.ok.test,20"),
        QStringLiteral("--host-record=mx1.ok.test,127.0.4.2"),
        QStringLiteral("--host-record=mx2.ok.test,127.0.4.3"),
        QStringLiteral("--mx-host=fo.test,mxdead.fo.test,10"),
        QStringLiteral("--mx-host=fo.test,mxlive.fo.test,20"),
        QStringLiteral("--host-record=mxdead.fo.test,127.0.4.9"),
        QStringLiteral("--host-record=mxlive.fo.test,127.0.4.3"),
        QStringLiteral("--host-record=amx.test,127.0.4.4"),
        QStringLiteral("--mx-host=nullmx.test,.,0"),
    };
    // --local=/test/: dnsmasq answers for *.test itself: NXDOMAIN for unknown names,
    // an empty answer for known names without the asked type (else it says REFUSED).
    QStringList arguments
        = { QStringLiteral("--keep-in-foreground"), QStringLiteral("--no-resolv"), QStringLiteral("--no-hosts"),
              QStringLiteral("--port=%1").arg(DnsPort), QStringLiteral("--listen-address=127.0.0.1"),
              QStringLiteral("--bind-interfaces"), QStringLiteral("--local=/test/"), QStringLiteral("--pid-file=") };
    arguments += records;
    m_dnsmasq.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_dnsmasq.start(QStringLiteral("dnsmasq"), arguments);
    QVERIFY2(m_dnsmasq.waitForStarted(5000), "dnsmasq (dnsmasq-base) is needed");
    QTest::qWait(300);
    QCOMPARE(m_dnsmasq.state(), QProcess::Running);

    QVERIFY(m_certDir.isValid());
    TestCertificate sinkCertificate;
    sinkCertificate.commonName = QStringLiteral("sink.test");
    const Status made = sinkCertificate.make(m_certDir.path(), QStringLiteral("sink"));
    QVERIFY2(made, qPrintable(made.error()));
}

void TestDeliverd::cleanupTestCase()
{
    m_dnsmasq.terminate();
    m_dnsmasq.waitForFinished(3000);
}

void TestDeliverd::init()
{
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
    // Route passwords are sealed at rest as in the daemon: what deliverd sends in AUTH
    // went through SecretBox::seal and open.
    SecretBox::setKeyFile(m_dir->filePath(QStringLiteral("secret.key")));
    m_config.deliverdMaxInFlight = 10;
    m_config.deliverdRemoteTimeoutSeconds = 5;
    DnsServer server;
    server.address = QHostAddress(QHostAddress::LocalHost);
    server.port = DnsPort;
    m_config.dnsServers = { server };
    QVERIFY(DiskStore(m_config.storePath).prepare());
    Expected<Database> db = Database::open(m_config.db, QStringLiteral("tst-deliverd-%1").arg(++m_counter));
    QVERIFY2(db, qPrintable(db.error()));
    m_db.emplace(std::move(db).value());
    const Status upgraded = m_db->upgrade();
    QVERIFY2(upgraded, qPrintable(upgraded.error()));
}

void TestDeliverd::cleanup()
{
    SecretBox::setKeyFile(QString());
    m_db.reset();
    m_dir.reset();
}

QString TestDeliverd::enqueue(const QString &sender, const QStringList &recipients, const QByteArray &body,
    qint64 createdAtMs, const std::function<void(QueuedMessage &)> &adjust)
{
    const DiskStore store(m_config.storePath);
    const QString id = QueueTable::newId();
    QFile file(store.tmpPath(id));
    if (!file.open(QIODevice::WriteOnly) || file.write(body) != body.size())
    {
        return {};
    }
    file.close();
    if (!store.commit({ id }))
    {
        return {};
    }
    QueuedMessage message;
    message.id = id;
    message.envelopeSender = sender;
    message.sizeBytes = body.size();
    message.storeKey = DiskStore::keyFor(id);
    message.createdAtMs = createdAtMs ? createdAtMs : QDateTime::currentMSecsSinceEpoch();
    message.nextAttemptAtMs = QDateTime::currentMSecsSinceEpoch();
    for (const QString &address : recipients)
    {
        QueuedRecipient recipient;
        recipient.address = address;
        message.recipients.append(recipient);
    }
    if (adjust)
    {
        adjust(message);
    }
    const Status queued = QueueTable(*m_db).enqueue({ message });
    return queued ? id : QString();
}

QList<QueuedRecipient> TestDeliverd::recipientsAfterAttempt(Deliverd &deliverd, const QString &id)
{
    QSignalSpy recorded(&deliverd, &Deliverd::attemptRecorded);
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 15000)
    {
        if (!recorded.isEmpty() && recorded.first().first().toString() == id)
        {
            break;
        }
        recorded.clear();
        recorded.wait(500);
    }
    const Expected<QueuedMessage> message = QueueTable(*m_db).find(id);
    return message ? message->recipients : QList<QueuedRecipient>();
}

QJsonObject TestDeliverd::parseNotice(const QByteArray &data)
{
    QTemporaryFile file;
    if (!file.open() || file.write(data) != data.size() || !file.flush())
    {
        return {};
    }
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(TMAIL_SOURCE_DIR "/tests/server/tst_deliverd/dsnparse.py"), file.fileName() });
    if (!python.waitForFinished(20000) || python.exitCode() != 0)
    {
        qWarning("dsnparse.py: %s", python.readAllStandardError().constData());
        return {};
    }
    return QJsonDocument::fromJson(python.readAllStandardOutput()).object();
}

std::unique_ptr<Deliverd> TestDeliverd::startDeliverd(const QString &nodeId)
{
    auto deliverd = std::make_unique<Deliverd>(m_config);
    deliverd->setPollIntervalMs(100);
    deliverd->setRetrySchedule(RetrySchedule({ 300 }));
    if (!nodeId.isEmpty())
    {
        deliverd->setNodeId(nodeId);
    }
    const Status started = deliverd->start();
    if (!started)
    {
        qWarning("%s", qPrintable(started.error()));
        return {};
    }
    return deliverd;
}

int TestDeliverd::queueCount()
{
    const Expected<int> count = QueueTable(*m_db).count();
    return count ? count.value() : -1;
}

int TestDeliverd::storeFileCount()
{
    int count = 0;
    QDirIterator it(m_config.storePath, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
    {
        it.next();
        ++count;
    }
    return count;
}

void TestDeliverd::listenSink(TestSmtpSink &sink, const char *address, quint16 port)
{
    QVERIFY2(sink.listen(ip(address), port), qPrintable(sink.errorString()));
}

void TestDeliverd::addRoute(const QString &domain, const QString &host, quint16 port, int priority, const QString &user,
    const QString &password)
{
    Route route;
    route.recipientDomain = Domain::parse(domain).value();
    route.remoteHost = host;
    route.remotePort = port;
    route.priority = priority;
    route.smtpUser = user;
    route.smtpPassword = password;
    const Expected<qint64> added = RouteTable(*m_db).add(route);
    QVERIFY2(added, qPrintable(added.error()));
    QVERIFY(password.isEmpty() || QFile::exists(SecretBox::keyFile()));
}

void TestDeliverd::resolverOrdersMxByPreference()
{
    DnsResolver resolver(m_config.dnsServers);
    QVERIFY(resolver.isValid());
    std::optional<MxLookup> mx;
    resolver.lookupMx(QStringLiteral("ok.test"), this, [&mx](const MxLookup &result) { mx = result; });
    QTRY_VERIFY_WITH_TIMEOUT(mx.has_value(), 5000);
    QCOMPARE(int(mx->outcome), int(MxLookup::Outcome::Exchangers));
    QCOMPARE(mx->exchangers, QStringList({ QStringLiteral("mx1.ok.test"), QStringLiteral("mx2.ok.test") }));

    std::optional<AddressLookup> addresses;
    resolver.lookupAddresses(
        QStringLiteral("mx2.ok.test"), this, [&addresses](const AddressLookup &result) { addresses = result; });
    QTRY_VERIFY_WITH_TIMEOUT(addresses.has_value(), 5000);
    QCOMPARE(int(addresses->outcome), int(AddressLookup::Outcome::Found));
    QCOMPARE(addresses->addresses, QList<QHostAddress>({ ip("127.0.4.3") }));
}

void TestDeliverd::resolverClassifiesMissingDomains()
{
    DnsResolver resolver(m_config.dnsServers);
    QHash<QString, MxLookup> results;
    for (const char *domain : { "amx.test", "nullmx.test", "unknown.test", "outside.example" })
    {
        const QString name = QString::fromLatin1(domain);
        resolver.lookupMx(name, this, [&results, name](const MxLookup &result) { results.insert(name, result); });
    }
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 4, 10000);
    QCOMPARE(int(results.value(QStringLiteral("amx.test")).outcome), int(MxLookup::Outcome::NoMx));
    QCOMPARE(int(results.value(QStringLiteral("nullmx.test")).outcome), int(MxLookup::Outcome::NullMx));
    QCOMPARE(int(results.value(QStringLiteral("unknown.test")).outcome), int(MxLookup::Outcome::NotFound));
    // dnsmasq without upstream answers REFUSED outside its local zone: try again later.
    QCOMPARE(int(results.value(QStringLiteral("outside.example")).outcome), int(MxLookup::Outcome::Temporary));

    std::optional<AddressLookup> missing;
    resolver.lookupAddresses(
        QStringLiteral("nothing.test"), this, [&missing](const AddressLookup &result) { missing = result; });
    QTRY_VERIFY_WITH_TIMEOUT(missing.has_value(), 5000);
    QCOMPARE(int(missing->outcome), int(AddressLookup::Outcome::NotFound));
}

void TestDeliverd::exchangersOfEqualPreferenceAreShuffled()
{
    const QList<MxRecord> records
        = { { QStringLiteral("c"), 20 }, { QStringLiteral("a"), 10 }, { QStringLiteral("b"), 10 } };
    QSet<QString> firsts;
    for (int i = 0; i < 200; ++i)
    {
        const QStringList ordered = DnsResolver::orderExchangers(records);
        QCOMPARE(ordered.size(), 3);
        QCOMPARE(ordered.last(), QStringLiteral("c"));
        firsts.insert(ordered.first());
    }
    QCOMPARE(firsts, QSet<QString>({ QStringLiteral("a"), QStringLiteral("b") }));
}

void TestDeliverd::routeSelectorPrefersSpecificRoutesAndPriority()
{
    auto route = [](const char *domain, const char *host, int priority, const char *sender = "") {
        Route r;
        r.recipientDomain = Domain::parse(QString::fromLatin1(domain)).value();
        r.remoteHost = QString::fromLatin1(host);
        r.priority = priority;
        r.senderDomain = QString::fromLatin1(sender);
        return r;
    };
    const QList<Route> routes = { route("toorop.fr", "b", 2), route("toorop.fr", "a", 1), route("other.fr", "x", 1),
        route("toorop.fr", "s", 5, "special.fr") };
    QList<Route> chosen = RouteSelector::select(routes, QStringLiteral("TOOROP.fr"), QStringLiteral("x.fr"), {});
    QCOMPARE(chosen.size(), 2);
    QCOMPARE(chosen.at(0).remoteHost, QStringLiteral("a"));
    QCOMPARE(chosen.at(1).remoteHost, QStringLiteral("b"));
    chosen = RouteSelector::select(routes, QStringLiteral("toorop.fr"), QStringLiteral("special.fr"), {});
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen.at(0).remoteHost, QStringLiteral("s"));
    QVERIFY(RouteSelector::select(routes, QStringLiteral("none.fr"), {}, {}).isEmpty());
}

void TestDeliverd::localAddressPickerHonoursFamilyAndAnyAddress()
{
    const LocalIpPolicy policy = LocalIpPolicy::parse(QStringLiteral("127.0.0.5|127.0.0.5&::1")).value();
    const LocalAddressPicker picker(policy);
    QCOMPARE(picker.groupCount(), 2);
    QCOMPARE(picker.pick(0, QAbstractSocket::IPv4Protocol), ip("127.0.0.5"));
    QVERIFY(picker.pick(0, QAbstractSocket::IPv6Protocol).isNull());
    QCOMPARE(picker.pick(1, QAbstractSocket::IPv6Protocol), ip("::1"));
    const LocalAddressPicker any(LocalIpPolicy::parse(QStringLiteral("0.0.0.0")).value());
    QVERIFY(any.pick(0, QAbstractSocket::IPv4Protocol).isNull());
}

void TestDeliverd::deliversThroughMxAndRemovesMessage()
{
    TestSmtpSink mx1;
    TestSmtpSink mx2;
    listenSink(mx1, "127.0.4.2");
    listenSink(mx2, "127.0.4.3");
    const QString id = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@ok.test") });
    QVERIFY(!id.isEmpty());
    QCOMPARE(storeFileCount(), 1);
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    QCOMPARE(mx2.messages.size(), 0);
    const SinkMessage &message = mx1.messages.first();
    QCOMPARE(message.sender, QStringLiteral("sender@ok.test"));
    QCOMPARE(message.recipients, QStringList({ QStringLiteral("rcpt@ok.test") }));
    QCOMPARE(message.helo, QStringLiteral("tmail.test"));
    QCOMPARE(message.data, DefaultBody); // dot-stuffing undone by the sink gives the stored body back
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(storeFileCount(), 0, 5000); // bodies go right after their rows
}

void TestDeliverd::fallsBackToNextMxWhenFirstRefuses()
{
    TestSmtpSink live;
    listenSink(live, "127.0.4.3"); // mxlive.fo.test; nothing listens on mxdead (127.0.4.9)
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@fo.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(live.messages.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
}

void TestDeliverd::deliversToDomainAddressWithoutMx()
{
    TestSmtpSink implicit;
    listenSink(implicit, "127.0.4.4");
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@amx.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(implicit.messages.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
}

void TestDeliverd::nullMxBouncesAtOnce()
{
    TestSmtpSink mx1;
    listenSink(mx1, "127.0.4.2");
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@nullmx.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    const SinkMessage &bounce = mx1.messages.first();
    QCOMPARE(bounce.sender, QString());
    QCOMPARE(bounce.recipients, QStringList({ QStringLiteral("sender@ok.test") }));
    QVERIFY(bounce.data.contains("Final-Recipient: rfc822; rcpt@nullmx.test"));
    QVERIFY(bounce.data.contains("Status: 5.1.10"));
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(storeFileCount(), 0, 5000); // bodies go right after their rows
}

void TestDeliverd::unknownDomainBounces()
{
    TestSmtpSink mx1;
    listenSink(mx1, "127.0.4.2");
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@unknown.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    QVERIFY(mx1.messages.first().data.contains("Status: 5.1.2"));
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
}

void TestDeliverd::routeOverridesMx()
{
    TestSmtpSink mx1;
    TestSmtpSink relay;
    listenSink(mx1, "127.0.4.2");
    listenSink(relay, "127.0.4.5", 0);
    addRoute(QStringLiteral("ok.test"), QStringLiteral("127.0.4.5"), relay.serverPort(), 1);
    enqueue(QStringLiteral("sender@x.test"), { QStringLiteral("rcpt@ok.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(relay.messages.size(), 1, 10000);
    QCOMPARE(mx1.messages.size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
}

void TestDeliverd::routePriorityFailsOver()
{
    TestSmtpSink relay;
    listenSink(relay, "127.0.4.6", 0);
    QTcpServer unused; // a port that is free: nothing answers there
    QVERIFY(unused.listen(ip("127.0.4.7"), 0));
    const quint16 deadPort = unused.serverPort();
    unused.close();
    addRoute(QStringLiteral("toorop.fr"), QStringLiteral("127.0.4.7"), deadPort, 1);
    addRoute(QStringLiteral("toorop.fr"), QStringLiteral("127.0.4.6"), relay.serverPort(), 2);
    enqueue(QStringLiteral("sender@x.test"), { QStringLiteral("rcpt@toorop.fr") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(relay.messages.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
}

void TestDeliverd::routeWithCredentialsUsesAuthPlain()
{
    TestSmtpSink relay;
    relay.authUser = QStringLiteral("relayuser");
    relay.authPassword = QStringLiteral("s3cret");
    listenSink(relay, "127.0.4.5", 0);
    addRoute(QStringLiteral("toorop.fr"), QStringLiteral("127.0.4.5"), relay.serverPort(), 1,
        QStringLiteral("relayuser"), QStringLiteral("s3cret"));
    enqueue(QStringLiteral("sender@x.test"), { QStringLiteral("rcpt@toorop.fr") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(relay.messages.size(), 1, 10000);
    QCOMPARE(relay.messages.first().authUser, QStringLiteral("relayuser"));
}

void TestDeliverd::severalRecipientsShareOneTransaction()
{
    TestSmtpSink mx1;
    listenSink(mx1, "127.0.4.2");
    enqueue(QStringLiteral("sender@ok.test"),
        { QStringLiteral("a@ok.test"), QStringLiteral("b@ok.test"), QStringLiteral("c@ok.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    QCOMPARE(mx1.messages.first().recipients.size(), 3);
    QCOMPARE(mx1.sessions, 1);
    // PIPELINING: MAIL and the RCPTs went out before any answer; the sink saw them in order.
    QVERIFY(mx1.commands.contains(QStringLiteral("RCPT TO:<c@ok.test>")));
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
}

void TestDeliverd::messagesToOneDestinationShareOneSession()
{
    TestSmtpSink mx1;
    listenSink(mx1, "127.0.4.2");
    for (int i = 0; i < 5; ++i)
    {
        QVERIFY(
            !enqueue(QStringLiteral("sender%1@ok.test").arg(i), { QStringLiteral("rcpt%1@ok.test").arg(i) }).isEmpty());
    }
    auto deliverd = std::make_unique<Deliverd>(m_config);
    deliverd->setPollIntervalMs(100);
    deliverd->setPerDestinationLimit(1); // the four others wait for the one session
    QVERIFY(deliverd->start());
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 5, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    QCOMPARE(mx1.sessions, 1);
    QCOMPARE(mx1.commands.count(QStringLiteral("EHLO tmail.test")), 1);
    for (const SinkMessage &message : std::as_const(mx1.messages))
    {
        QString recipient = message.sender;
        recipient.replace(QStringLiteral("sender"), QStringLiteral("rcpt"));
        QCOMPARE(message.recipients, QStringList({ recipient })); // each envelope with its own message
        QCOMPARE(message.data, DefaultBody);
    }
    QTRY_COMPARE_WITH_TIMEOUT(mx1.commands.count(QStringLiteral("QUIT")), 1, 5000);
}

void TestDeliverd::sessionClosedByTheRemoteIsReplacedAtOnce()
{
    TestSmtpSink mx1;
    mx1.messagesPerSession = 1; // closes each session after the 250 of its first message
    listenSink(mx1, "127.0.4.2");
    for (int i = 0; i < 3; ++i)
    {
        QVERIFY(!enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt%1@ok.test").arg(i) }).isEmpty());
    }
    auto deliverd = std::make_unique<Deliverd>(m_config);
    deliverd->setPollIntervalMs(100);
    deliverd->setPerDestinationLimit(1);
    // A message that found the kept session gone is not an attempt that failed: it
    // goes out on a new session at once, not after the first retry delay.
    deliverd->setRetrySchedule(RetrySchedule({ 600000 }));
    QVERIFY(deliverd->start());
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    QCOMPARE(mx1.sessions, 3);
}

void TestDeliverd::deliversMessageStoredUnderEarlierLayout()
{
    // Before ids began with their time, bodies were stored under the id's first two
    // digits; the key recorded with each message still finds them.
    TestSmtpSink mx1;
    listenSink(mx1, "127.0.4.2");
    const QString id = QStringLiteral("ab") + QueueTable::newId().right(38);
    const QString key = id.left(2) + QLatin1Char('/') + id;
    QVERIFY(QDir().mkpath(m_config.storePath + QStringLiteral("/ab")));
    QFile body(DiskStore(m_config.storePath).pathForKey(key));
    QVERIFY(body.open(QIODevice::WriteOnly));
    QCOMPARE(body.write(DefaultBody), qint64(DefaultBody.size()));
    body.close();
    QueuedMessage message;
    message.id = id;
    message.envelopeSender = QStringLiteral("sender@ok.test");
    message.sizeBytes = DefaultBody.size();
    message.storeKey = key;
    message.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    message.nextAttemptAtMs = message.createdAtMs;
    message.recipients.append(
        { QStringLiteral("rcpt@ok.test"), QueuedRecipient::Pending, QString(), 0, QString(), false });
    QVERIFY(QueueTable(*m_db).enqueue({ message }));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    QCOMPARE(mx1.messages.first().data, DefaultBody);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(storeFileCount(), 0, 5000);
}

void TestDeliverd::temporaryFailureIsRetriedAndDeliveredOnce()
{
    TestSmtpSink mx1;
    mx1.rcptReplies.insert(QStringLiteral("later@ok.test"),
        { QStringLiteral("451 4.3.0 try again later"), QStringLiteral("250 2.1.5 ok") });
    listenSink(mx1, "127.0.4.2");
    const QString id
        = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("now@ok.test"), QStringLiteral("later@ok.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 2, 10000);
    QCOMPARE(mx1.messages.at(0).recipients, QStringList({ QStringLiteral("now@ok.test") }));
    QCOMPARE(mx1.messages.at(1).recipients, QStringList({ QStringLiteral("later@ok.test") }));
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    QTest::qWait(500);
    QCOMPARE(mx1.messages.size(), 2); // nobody got it twice
}

void TestDeliverd::permanentFailureBouncesWithDeliveryStatus()
{
    TestSmtpSink mx1;
    mx1.rcptReplies.insert(QStringLiteral("bad@ok.test"), { QStringLiteral("550 5.1.1 <bad@ok.test>: no such user") });
    listenSink(mx1, "127.0.4.2");
    const QString id
        = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("good@ok.test"), QStringLiteral("bad@ok.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 2, 10000);
    QCOMPARE(mx1.messages.at(0).recipients, QStringList({ QStringLiteral("good@ok.test") }));
    const SinkMessage &bounce = mx1.messages.at(1);
    QCOMPARE(bounce.sender, QString());
    QCOMPARE(bounce.recipients, QStringList({ QStringLiteral("sender@ok.test") }));

    const QString data = QString::fromUtf8(bounce.data);
    const QRegularExpression contentType(
        QStringLiteral("Content-Type: multipart/report; report-type=delivery-status;\\r\\n\\tboundary=\"([^\"]+)\""));
    const QRegularExpressionMatch match = contentType.match(data);
    QVERIFY2(match.hasMatch(), qPrintable(data));
    const QString boundary = match.captured(1);
    QVERIFY(data.contains(QStringLiteral("\r\n--") + boundary + QStringLiteral("--\r\n")));
    QStringList parts = data.split(QStringLiteral("\r\n--") + boundary);
    parts.removeFirst(); // the preamble
    parts.removeLast(); // "--" and after
    QCOMPARE(parts.size(), 3);
    QVERIFY(parts.at(0).contains(QStringLiteral("Content-Type: text/plain")));
    QVERIFY(parts.at(0).contains(QStringLiteral("This is the mail system at host tmail.test.")));
    QVERIFY(
        parts.at(0).contains(QStringLiteral("<bad@ok.test>: 5.1.1 host mx1.ok.test[127.0.4.2]:25 said: 550 5.1.1")));
    const QString &status = parts.at(1);
    QVERIFY(status.contains(QStringLiteral("Content-Type: message/delivery-status")));
    QVERIFY(status.contains(QStringLiteral("Reporting-MTA: dns; tmail.test\r\n")));
    QVERIFY(status.contains(QStringLiteral("Arrival-Date: ")));
    QVERIFY(status.contains(QStringLiteral("Final-Recipient: rfc822; bad@ok.test\r\n")));
    QVERIFY(!status.contains(QStringLiteral("good@ok.test")));
    QVERIFY(status.contains(QStringLiteral("Action: failed\r\n")));
    QVERIFY(status.contains(QStringLiteral("Status: 5.1.1\r\n")));
    QVERIFY(status.contains(QStringLiteral("Remote-MTA: dns; mx1.ok.test\r\n")));
    QVERIFY(status.contains(QStringLiteral("Diagnostic-Code: smtp; 550 5.1.1 <bad@ok.test>: no such user\r\n")));
    QVERIFY(parts.at(2).contains(QStringLiteral("Content-Type: text/rfc822-headers")));
    QVERIFY(parts.at(2).contains(QStringLiteral("Subject: test\r\n")));
    QVERIFY(!parts.at(2).contains(QStringLiteral("Hello"))); // headers only
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(storeFileCount(), 0, 5000); // bodies go right after their rows
}

void TestDeliverd::nullSenderFailureIsDroppedWithoutBounce()
{
    TestSmtpSink mx1;
    mx1.rcptReplies.insert(QStringLiteral("bad@ok.test"), { QStringLiteral("550 5.1.1 no such user") });
    listenSink(mx1, "127.0.4.2");
    const QString id = enqueue(QString(), { QStringLiteral("bad@ok.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QSignalSpy recorded(deliverd.get(), &Deliverd::attemptRecorded);
    QTRY_COMPARE_WITH_TIMEOUT(recorded.size(), 1, 10000);
    QCOMPARE(queueCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(storeFileCount(), 0, 5000); // the body goes right after its row
    QTest::qWait(300);
    QCOMPARE(mx1.messages.size(), 0);
}

void TestDeliverd::expiredMessageBounces()
{
    TestSmtpSink mx1;
    mx1.rcptReplies.insert(QStringLiteral("slow@ok.test"), { QStringLiteral("451 4.7.1 greylisted") });
    listenSink(mx1, "127.0.4.2");
    m_config.deliverdQueueLifetimeMinutes = 60;
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("slow@ok.test") }, DefaultBody,
        QDateTime::currentMSecsSinceEpoch() - 2 * 3600 * 1000);
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    const QByteArray &data = mx1.messages.first().data;
    QVERIFY(data.contains("Status: 5.4.7"));
    QVERIFY(data.contains("451 4.7.1 greylisted"));
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
}

void TestDeliverd::startTlsIsUsedWhenOffered()
{
    TestSmtpSink mx1;
    mx1.offerTls = true;
    QFile cert(m_certDir.filePath(QStringLiteral("sink.crt")));
    QFile key(m_certDir.filePath(QStringLiteral("sink.key")));
    QVERIFY(cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
    mx1.certificate = QSslCertificate(cert.readAll());
    mx1.key = QSslKey(key.readAll(), QSsl::Rsa);
    listenSink(mx1, "127.0.4.2");
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@ok.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    QVERIFY(mx1.messages.first().tls);
    QCOMPARE(mx1.messages.first().data, DefaultBody);
}

void TestDeliverd::tooBigForRemoteSizeBounces()
{
    TestSmtpSink mx1;
    mx1.maxSize = 200;
    listenSink(mx1, "127.0.4.2");
    const QByteArray big = "Subject: big\r\n\r\n" + QByteArray(1000, 'x') + "\r\n";
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@ok.test") }, big);
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    // The bounce itself is bigger than 200 bytes too: it is dropped (null sender), so
    // only the commands tell: no DATA for the big one, and the queue empties.
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 10000);
    QCOMPARE(mx1.messages.size(), 0);
    QVERIFY(!mx1.commands.contains(QStringLiteral("DATA")));
}

void TestDeliverd::expiredClaimIsTakenBack()
{
    TestSmtpSink mx1;
    listenSink(mx1, "127.0.4.2");
    const QString id = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@ok.test") });
    // A node that claimed it and died: its 1 ms lease runs out at once.
    const Expected<QList<QueuedMessage>> claimed
        = QueueTable(*m_db).claimDue(QStringLiteral("crashed-node"), QDateTime::currentMSecsSinceEpoch(), 1, 10);
    QVERIFY(claimed);
    QCOMPARE(claimed->size(), 1);
    QTest::qWait(10);
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
}

void TestDeliverd::twoSchedulersNeverDeliverTwice()
{
    TestSmtpSink mx1;
    listenSink(mx1, "127.0.4.2");
    constexpr int Count = 40;
    for (int i = 0; i < Count; ++i)
    {
        const QByteArray body = "Subject: message " + QByteArray::number(i) + "\r\n\r\nbody\r\n";
        QVERIFY(!enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("r%1@ok.test").arg(i) }, body).isEmpty());
    }
    auto first = startDeliverd(QStringLiteral("node-a"));
    auto second = startDeliverd(QStringLiteral("node-b"));
    QVERIFY(first && second);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 30000);
    QTest::qWait(500);
    QCOMPARE(mx1.messages.size(), Count);
    QSet<QByteArray> subjects;
    for (const SinkMessage &message : std::as_const(mx1.messages))
    {
        subjects.insert(message.data.left(message.data.indexOf("\r\n")));
    }
    QCOMPARE(subjects.size(), Count);
}

void TestDeliverd::bounceNowBouncesPendingRecipients()
{
    const QString id = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@ok.test") });
    const Expected<QueuedMessage> bounced = QueueActions(*m_db, m_config).bounce(id);
    QVERIFY2(bounced, qPrintable(bounced.error()));
    const Expected<QList<QueuedMessage>> queued = QueueTable(*m_db).list(0, 10);
    QVERIFY(queued);
    QCOMPARE(queued->size(), 1);
    const QueuedMessage &bounce = queued->first();
    QVERIFY(bounce.id != id);
    QCOMPARE(bounce.envelopeSender, QString());
    QCOMPARE(bounce.recipients.size(), 1);
    QCOMPARE(bounce.recipients.first().address, QStringLiteral("sender@ok.test"));
    QCOMPARE(storeFileCount(), 1);
    QFile body(DiskStore(m_config.storePath).pathForKey(bounce.storeKey));
    QVERIFY(body.open(QIODevice::ReadOnly));
    const QByteArray data = body.readAll();
    QVERIFY(data.contains("bounced by the administrator"));
    QVERIFY(data.contains("Final-Recipient: rfc822; rcpt@ok.test"));
    const Expected<QueuedMessage> again = QueueActions(*m_db, m_config).bounce(id);
    QVERIFY(!again); // gone
    QCOMPARE(again.kind(), ErrorKind::NotFound);
}

void TestDeliverd::restartTakesOwnClaimsBackAtOnce()
{
    TestSmtpSink mx1;
    listenSink(mx1, "127.0.4.2");
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@ok.test") });
    // This node crashed while it held the message under a ten-minute lease.
    const Expected<QList<QueuedMessage>> claimed
        = QueueTable(*m_db).claimDue(QStringLiteral("node-restarted"), QDateTime::currentMSecsSinceEpoch(), 600000, 10);
    QVERIFY(claimed);
    QCOMPARE(claimed->size(), 1);
    auto deliverd = startDeliverd(QStringLiteral("node-restarted"));
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
}

void TestDeliverd::sessionCutInDataIsRetried()
{
    TestSmtpSink mx1;
    mx1.dropsInData = 1;
    listenSink(mx1, "127.0.4.2");
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@ok.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    // The cut session fails over to mx2 (nothing there), then the retry reaches mx1.
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 15000);
    QVERIFY(mx1.sessions >= 2);
    QCOMPARE(mx1.messages.first().data, DefaultBody);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
}

void TestDeliverd::fallsBackToHeloWhenEhloIsRefused()
{
    TestSmtpSink mx1;
    mx1.rejectEhlo = true;
    listenSink(mx1, "127.0.4.2");
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("a@ok.test"), QStringLiteral("b@ok.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    QCOMPARE(mx1.messages.first().helo, QStringLiteral("tmail.test"));
    QCOMPARE(mx1.messages.first().recipients.size(), 2);
    QVERIFY(mx1.commands.contains(QStringLiteral("HELO tmail.test")));
}

void TestDeliverd::postfixSmtpSinkReceivesThroughRoute()
{
    if (QStandardPaths::findExecutable(
            QStringLiteral("smtp-sink"), { QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin") })
            .isEmpty())
    {
        TMAIL_REQUIRE_PEER(false, "postfix's smtp-sink is not installed");
    }
    QTemporaryDir dumps;
    QVERIFY(dumps.isValid());
    QFile::setPermissions(dumps.path(),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadOther
            | QFileDevice::WriteOther | QFileDevice::ExeOther);
    QTcpServer probe;
    QVERIFY(probe.listen(ip("127.0.4.8"), 0));
    const quint16 port = probe.serverPort();
    probe.close();
    QProcess sink;
    QStringList arguments;
    if (::geteuid() == 0)
    {
        arguments << QStringLiteral("-u") << QStringLiteral("postfix");
    }
    arguments << QStringLiteral("-d") << dumps.filePath(QStringLiteral("msg."))
              << QStringLiteral("127.0.4.8:%1").arg(port) << QStringLiteral("10");
    sink.start(QStringLiteral("smtp-sink"), arguments);
    QVERIFY(sink.waitForStarted(5000));
    QTest::qWait(300);
    addRoute(QStringLiteral("toorop.fr"), QStringLiteral("127.0.4.8"), port, 1);
    for (int i = 0; i < 3; ++i)
    {
        enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("r%1@toorop.fr").arg(i) });
    }
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(QDir(dumps.path()).entryList(QDir::Files).size(), 3, 5000);
    const QString first = QDir(dumps.path()).entryList(QDir::Files).first();
    QFile dump(dumps.filePath(first));
    QVERIFY(dump.open(QIODevice::ReadOnly));
    const QByteArray content = dump.readAll();
    QVERIFY2(content.contains("Subject: test"), content.constData());
    sink.terminate();
    sink.waitForFinished(3000);
}

void TestDeliverd::acceptedMessageTravelsFromSmtpdToRoute()
{
    // The README's walkthrough: smtpd accepts mail for toorop.fr, deliverd hands it to the route.
    TestSmtpSink relay;
    listenSink(relay, "127.0.4.5", 0);
    addRoute(QStringLiteral("toorop.fr"), QStringLiteral("127.0.4.5"), relay.serverPort(), 1);
    QVERIFY(RcptHostTable(*m_db).add(Domain::parse(QStringLiteral("toorop.fr")).value(), false));
    Config config = m_config;
    config.tlsCertPath = m_certDir.filePath(QStringLiteral("sink.crt"));
    config.tlsKeyPath = m_certDir.filePath(QStringLiteral("sink.key"));
    ListenerDsn listener;
    listener.address = QHostAddress(QHostAddress::LocalHost);
    listener.port = 0;
    config.listeners = { listener };
    config.maxDataBytes = 1000000;
    Smtpd smtpd(config);
    const Status started = smtpd.start();
    QVERIFY2(started, qPrintable(started.error()));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);

    QTcpSocket client;
    QByteArray received;
    connect(&client, &QTcpSocket::readyRead, this, [&client, &received]() { received += client.readAll(); });
    client.connectToHost(QHostAddress(QHostAddress::LocalHost), smtpd.boundPorts().value(0));
    // True once the last complete reply line starts with "CODE ".
    auto expect = [&received](const QByteArray &code) {
        return QTest::qWaitFor(
            [&]() {
                if (!received.endsWith("\r\n"))
                {
                    return false;
                }
                const QByteArray trimmed = received.left(received.size() - 2);
                const QByteArray last = trimmed.mid(trimmed.lastIndexOf('\n') + 1);
                return last.startsWith(QByteArray(code + ' '));
            },
            10000);
    };
    auto say = [&client, &received](const QByteArray &line) {
        received.clear();
        client.write(line + "\r\n");
    };
    QVERIFY(expect("220"));
    say("EHLO client.test");
    QVERIFY(expect("250"));
    say("MAIL FROM:<someone@elsewhere.test>");
    QVERIFY(expect("250"));
    say("RCPT TO:<toorop@toorop.fr>");
    QVERIFY(expect("250"));
    say("DATA");
    QVERIFY(expect("354"));
    say("Subject: walkthrough\r\n\r\nhello toorop\r\n.");
    QVERIFY2(expect("250"), received.constData());
    say("QUIT");

    QTRY_COMPARE_WITH_TIMEOUT(relay.messages.size(), 1, 15000);
    const SinkMessage &message = relay.messages.first();
    QCOMPARE(message.sender, QStringLiteral("someone@elsewhere.test"));
    QCOMPARE(message.recipients, QStringList({ QStringLiteral("toorop@toorop.fr") }));
    QVERIFY(message.data.startsWith("Received: "));
    QVERIFY(message.data.contains("Subject: walkthrough\r\n\r\nhello toorop\r\n"));
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(storeFileCount(), 0, 5000); // bodies go right after their rows
}

void TestDeliverd::stopLetsSessionsInProgressEnd()
{
    QTcpServer silent; // accepts and never greets: the session waits
    QVERIFY(silent.listen(ip("127.0.4.2"), 25));
    const QString id = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@ok.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_VERIFY_WITH_TIMEOUT(silent.hasPendingConnections(), 5000);
    std::unique_ptr<QTcpSocket> peer(silent.nextPendingConnection());
    QTRY_COMPARE_WITH_TIMEOUT(QueueTable(*m_db).find(id)->claimedBy, deliverd->nodeId(), 5000);
    QSignalSpy stopped(deliverd.get(), &Deliverd::stopped);
    deliverd->stop();
    // A session in progress is not cut (its peer may already hold the message).
    QTest::qWait(500);
    QCOMPARE(stopped.size(), 0);
    peer->close(); // the peer hangs up: the attempt ends as a temporary failure
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 5000);
    const Expected<QueuedMessage> message = QueueTable(*m_db).find(id);
    QVERIFY(message);
    QVERIFY(message->claimedBy.isEmpty());
    QCOMPARE(message->recipients.first().status, int(QueuedRecipient::Pending));
    QCOMPARE(message->attempts, 1);
}

void TestDeliverd::largeBodyIsStreamedIntactOverTls()
{
    TestSmtpSink mx1;
    mx1.offerTls = true;
    QFile cert(m_certDir.filePath(QStringLiteral("sink.crt")));
    QFile key(m_certDir.filePath(QStringLiteral("sink.key")));
    QVERIFY(cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
    mx1.certificate = QSslCertificate(cert.readAll());
    mx1.key = QSslKey(key.readAll(), QSsl::Rsa);
    listenSink(mx1, "127.0.4.2");
    QByteArray body = "Subject: large\r\n\r\n";
    for (int i = 0; i < 40000; ++i)
    {
        body += (i % 3 == 0 ? QByteArray(".") : QByteArray()) + "line " + QByteArray::number(i) + ' '
            + QByteArray(60, 'x') + "\r\n";
    }
    body += "..\r\n.\r\nlast line without end";
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@ok.test") }, body);
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 20000);
    QVERIFY(mx1.messages.first().tls);
    // A body that does not end with CRLF gets one before the final dot.
    QCOMPARE(mx1.messages.first().data, body + "\r\n");
}

QTEST_GUILESS_MAIN(TestDeliverd)
// RFC 3463 X.4.1: nobody answered; the error names the address and port and says what
// happened, not that the peer "said" anything.
void TestDeliverd::refusedConnectionIsDeferredWith441()
{
    QTcpServer probe;
    QVERIFY(probe.listen(ip("127.0.4.9"), 0));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there now: the connection is refused
    addRoute(QStringLiteral("refused.test"), QStringLiteral("127.0.4.9"), port, 1);
    const QString id = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@refused.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    const QList<QueuedRecipient> recipients = recipientsAfterAttempt(*deliverd, id);
    QCOMPARE(recipients.size(), 1);
    QCOMPARE(recipients.first().status, int(QueuedRecipient::Pending));
    QCOMPARE(recipients.first().lastError, QStringLiteral("4.4.1 connection to 127.0.4.9:%1 refused").arg(port));
    QCOMPARE(Metrics::failureOf(recipients.first().lastError), Metrics::Failure::Connection);
}

// A next hop whose name does not resolve waits (4.4.4 unable to route), never a
// permanent-looking 5.1.2: a route or a DNS record may be fixed in the meantime.
void TestDeliverd::unresolvableHostIsDeferredWith444()
{
    TestSmtpSink mx1;
    listenSink(mx1, "127.0.4.2");
    addRoute(QStringLiteral("noroute.test"), QStringLiteral("nohost.test"), 2525, 1);
    const QString id = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@noroute.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    const QList<QueuedRecipient> recipients = recipientsAfterAttempt(*deliverd, id);
    QCOMPARE(recipients.size(), 1);
    QCOMPARE(recipients.first().status, int(QueuedRecipient::Pending));
    QCOMPARE(recipients.first().lastError, QStringLiteral("4.4.4 cannot route to nohost.test:2525: no address found"));
    QCOMPARE(queueCount(), 1);
    QCOMPARE(mx1.messages.size(), 0); // no bounce
}

void TestDeliverd::dnsFailureIsDeferredWith443()
{
    // dnsmasq answers REFUSED outside test.: a temporary DNS failure.
    addRoute(QStringLiteral("dnsdown.test"), QStringLiteral("relay.outside.example"), 25, 1);
    const QString id = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@dnsdown.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    const QList<QueuedRecipient> recipients = recipientsAfterAttempt(*deliverd, id);
    QCOMPARE(recipients.size(), 1);
    QCOMPARE(recipients.first().status, int(QueuedRecipient::Pending));
    QVERIFY2(
        recipients.first().lastError.startsWith(QStringLiteral("4.4.3 DNS lookup of relay.outside.example failed: ")),
        qPrintable(recipients.first().lastError));
}

void TestDeliverd::lostConnectionIsDeferredWith442()
{
    TestSmtpSink relay;
    relay.dropsInData = 1000;
    listenSink(relay, "127.0.4.6", 0);
    addRoute(QStringLiteral("lost.test"), QStringLiteral("127.0.4.6"), relay.serverPort(), 1);
    const QString id = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("rcpt@lost.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    const QList<QueuedRecipient> recipients = recipientsAfterAttempt(*deliverd, id);
    QCOMPARE(recipients.size(), 1);
    QCOMPARE(recipients.first().status, int(QueuedRecipient::Pending));
    QCOMPARE(recipients.first().lastError,
        QStringLiteral("4.4.2 connection to 127.0.4.6:%1 closed by the remote").arg(relay.serverPort()));
}

void TestDeliverd::multiLineReplyIsKeptWhole()
{
    TestSmtpSink mx1;
    const QString longLine = QStringLiteral("550-5.1.1 ") + QString(300, QLatin1Char('x'));
    mx1.rcptReplies.insert(QStringLiteral("gone@ok.test"),
        { longLine + QStringLiteral("\r\n550-5.1.1 the mailbox was closed\r\n550 5.1.1 see https://help.test/") });
    listenSink(mx1, "127.0.4.2");
    const QString id = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("gone@ok.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    const QString whole
        = longLine + QStringLiteral(" 550-5.1.1 the mailbox was closed 550 5.1.1 see https://help.test/");
    const QJsonObject notice = parseNotice(mx1.messages.first().data);
    QVERIFY(!notice.isEmpty());
    QCOMPARE(notice.value(QStringLiteral("defects")).toArray().size(), 0);
    const QJsonObject recipient = notice.value(QStringLiteral("per_recipient")).toArray().first().toObject();
    QCOMPARE(recipient.value(QStringLiteral("Diagnostic-Code")).toString(), QStringLiteral("smtp; ") + whole);
    QCOMPARE(recipient.value(QStringLiteral("Status")).toString(), QStringLiteral("5.1.1"));
    QCOMPARE(recipient.value(QStringLiteral("Remote-MTA")).toString(), QStringLiteral("dns; mx1.ok.test"));
    // No header line of the notice is longer than RFC 5322's 998 characters.
    for (const QByteArray &line : mx1.messages.first().data.split('\n'))
        QVERIFY(line.size() <= 998);
}

void TestDeliverd::bounceHonoursRetEnvidAndOrcpt()
{
    TestSmtpSink mx1;
    mx1.rcptReplies.insert(QStringLiteral("bad@ok.test"), { QStringLiteral("550 5.1.1 <bad@ok.test>: no such user") });
    mx1.rcptReplies.insert(QStringLiteral("worse@ok.test"), { QStringLiteral("553 no way") });
    listenSink(mx1, "127.0.4.2");
    // RET=FULL: the whole message comes back; ENVID and ORCPT are reported as given.
    const QString full = enqueue(QStringLiteral("sender@ok.test"),
        { QStringLiteral("bad@ok.test"), QStringLiteral("worse@ok.test") }, DefaultBody, 0, [](QueuedMessage &message) {
            message.dsnRet = Dsn::Ret::Full;
            message.dsnEnvid = QStringLiteral("QQ314159 +=x");
            message.recipients[0].dsnOrcpt = QStringLiteral("rfc822;Bad+Alias@ok.test");
            message.recipients[0].dsnNotify = Dsn::NotifyFailure;
        });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    const QJsonObject notice = parseNotice(mx1.messages.first().data);
    QVERIFY(!notice.isEmpty());
    QCOMPARE(notice.value(QStringLiteral("defects")).toArray().size(), 0);
    QCOMPARE(notice.value(QStringLiteral("to")).toString(), QStringLiteral("sender@ok.test"));
    QCOMPARE(notice.value(QStringLiteral("subject")).toString(), QStringLiteral("Undelivered Mail Returned to Sender"));
    QCOMPARE(notice.value(QStringLiteral("content_type")).toString(), QStringLiteral("multipart/report"));
    QCOMPARE(notice.value(QStringLiteral("report_type")).toString(), QStringLiteral("delivery-status"));
    QCOMPARE(notice.value(QStringLiteral("parts")).toArray(),
        QJsonArray({ QStringLiteral("text/plain"), QStringLiteral("message/delivery-status"),
            QStringLiteral("message/rfc822") }));
    const QJsonObject perMessage = notice.value(QStringLiteral("per_message")).toObject();
    QCOMPARE(perMessage.value(QStringLiteral("Reporting-MTA")).toString(), QStringLiteral("dns; tmail.test"));
    QCOMPARE(perMessage.value(QStringLiteral("Original-Envelope-Id")).toString(), QStringLiteral("QQ314159 +=x"));
    const QJsonArray recipients = notice.value(QStringLiteral("per_recipient")).toArray();
    QCOMPARE(recipients.size(), 2);
    const QJsonObject bad = recipients.at(0).toObject();
    QCOMPARE(bad.value(QStringLiteral("Original-Recipient")).toString(), QStringLiteral("rfc822;Bad+Alias@ok.test"));
    QCOMPARE(bad.value(QStringLiteral("Final-Recipient")).toString(), QStringLiteral("rfc822; bad@ok.test"));
    QCOMPARE(bad.value(QStringLiteral("Action")).toString(), QStringLiteral("failed"));
    QCOMPARE(bad.value(QStringLiteral("Status")).toString(), QStringLiteral("5.1.1"));
    QCOMPARE(bad.value(QStringLiteral("Diagnostic-Code")).toString(),
        QStringLiteral("smtp; 550 5.1.1 <bad@ok.test>: no such user"));
    const QJsonObject worse = recipients.at(1).toObject();
    QVERIFY(!worse.contains(QStringLiteral("Original-Recipient")));
    QCOMPARE(worse.value(QStringLiteral("Final-Recipient")).toString(), QStringLiteral("rfc822; worse@ok.test"));
    QCOMPARE(worse.value(QStringLiteral("Status")).toString(), QStringLiteral("5.0.0"));
    QCOMPARE(notice.value(QStringLiteral("returned_subject")).toString(), QStringLiteral("test"));
    QVERIFY(notice.value(QStringLiteral("returned_body")).toString().contains(QStringLiteral(".a line with a dot")));
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);

    // RET=HDRS: the headers only.
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("bad@ok.test") }, DefaultBody, 0,
        [](QueuedMessage &message) { message.dsnRet = Dsn::Ret::Hdrs; });
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 2, 10000);
    const QJsonObject headersOnly = parseNotice(mx1.messages.at(1).data);
    QCOMPARE(
        headersOnly.value(QStringLiteral("parts")).toArray().at(2).toString(), QStringLiteral("text/rfc822-headers"));
    QVERIFY(headersOnly.value(QStringLiteral("returned_text")).toString().contains(QStringLiteral("Subject: test")));
    QVERIFY(!headersOnly.value(QStringLiteral("returned_text")).toString().contains(QStringLiteral("Hello")));
    QVERIFY(
        !headersOnly.value(QStringLiteral("per_message")).toObject().contains(QStringLiteral("Original-Envelope-Id")));
    Q_UNUSED(full);
}

void TestDeliverd::notifyWithoutFailureGetsNoBounce()
{
    TestSmtpSink mx1;
    mx1.rcptReplies.insert(QStringLiteral("never@ok.test"), { QStringLiteral("550 5.1.1 no") });
    mx1.rcptReplies.insert(QStringLiteral("success@ok.test"), { QStringLiteral("550 5.1.1 no") });
    mx1.rcptReplies.insert(QStringLiteral("asked@ok.test"), { QStringLiteral("550 5.1.1 no") });
    listenSink(mx1, "127.0.4.2");
    const auto notify
        = [](int bits) { return [bits](QueuedMessage &message) { message.recipients[0].dsnNotify = bits; }; };
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("never@ok.test") }, DefaultBody, 0,
        notify(Dsn::NotifyNever));
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("success@ok.test") }, DefaultBody, 0,
        notify(Dsn::NotifySuccess | Dsn::NotifyDelay));
    // The control: FAILURE asked, so this one bounces (the sink works).
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("asked@ok.test") }, DefaultBody, 0,
        notify(Dsn::NotifyFailure));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 5000);
    QTest::qWait(500);
    QCOMPARE(mx1.messages.size(), 1);
    QVERIFY(mx1.messages.first().data.contains("Final-Recipient: rfc822; asked@ok.test"));
}

void TestDeliverd::nextHopWithoutDsnGivesRelayedNotice()
{
    TestSmtpSink mx1; // advertises no DSN
    listenSink(mx1, "127.0.4.2");
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("told@ok.test"), QStringLiteral("quiet@ok.test") },
        DefaultBody, 0, [](QueuedMessage &message) {
            message.dsnEnvid = QStringLiteral("env-1");
            message.recipients[0].dsnNotify = Dsn::NotifySuccess | Dsn::NotifyFailure;
            message.recipients[0].dsnOrcpt = QStringLiteral("rfc822;told@ok.test");
        });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 2, 10000);
    // Without DSN the sink saw no parameter.
    for (const QString &command : std::as_const(mx1.commands))
        QVERIFY2(!command.contains(QStringLiteral("NOTIFY=")) && !command.contains(QStringLiteral("ENVID=")),
            qPrintable(command));
    const SinkMessage &relayed = mx1.messages.at(1);
    QCOMPARE(relayed.sender, QString());
    QCOMPARE(relayed.recipients, QStringList({ QStringLiteral("sender@ok.test") }));
    const QJsonObject notice = parseNotice(relayed.data);
    QVERIFY(!notice.isEmpty());
    QCOMPARE(notice.value(QStringLiteral("defects")).toArray().size(), 0);
    QCOMPARE(notice.value(QStringLiteral("subject")).toString(), QStringLiteral("Successful Mail Delivery Report"));
    QCOMPARE(notice.value(QStringLiteral("per_message")).toObject().value(QStringLiteral("Original-Envelope-Id")),
        QJsonValue(QStringLiteral("env-1")));
    const QJsonArray recipients = notice.value(QStringLiteral("per_recipient")).toArray();
    QCOMPARE(recipients.size(), 1); // quiet@ok.test asked for nothing
    const QJsonObject told = recipients.first().toObject();
    QCOMPARE(told.value(QStringLiteral("Final-Recipient")).toString(), QStringLiteral("rfc822; told@ok.test"));
    QCOMPARE(told.value(QStringLiteral("Original-Recipient")).toString(), QStringLiteral("rfc822;told@ok.test"));
    QCOMPARE(told.value(QStringLiteral("Action")).toString(), QStringLiteral("relayed"));
    QCOMPARE(told.value(QStringLiteral("Status")).toString(), QStringLiteral("2.0.0"));
    QCOMPARE(told.value(QStringLiteral("Remote-MTA")).toString(), QStringLiteral("dns; mx1.ok.test"));
    QCOMPARE(notice.value(QStringLiteral("parts")).toArray().at(2).toString(), QStringLiteral("text/rfc822-headers"));
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 5000);
    QTest::qWait(300);
    QCOMPARE(mx1.messages.size(), 2);
}

// Postfix's smtp-sink advertises DSN and dumps each transaction with the MAIL and RCPT
// parameters it received (X-Mail-Args, X-Rcpt-Args): a real Postfix peer sees them.
void TestDeliverd::postfixNextHopSeesDsnParameters()
{
    if (QStandardPaths::findExecutable(
            QStringLiteral("smtp-sink"), { QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin") })
            .isEmpty())
    {
        TMAIL_REQUIRE_PEER(false, "postfix's smtp-sink is not installed");
    }
    TestSmtpSink mx1; // where a relayed notice to sender@ok.test would go
    listenSink(mx1, "127.0.4.2");
    QTemporaryDir dumps;
    QVERIFY(dumps.isValid());
    QFile::setPermissions(dumps.path(),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadOther
            | QFileDevice::WriteOther | QFileDevice::ExeOther);
    QTcpServer probe;
    QVERIFY(probe.listen(ip("127.0.4.8"), 0));
    const quint16 port = probe.serverPort();
    probe.close();
    QProcess sink;
    QStringList arguments;
    if (::geteuid() == 0)
    {
        arguments << QStringLiteral("-u") << QStringLiteral("postfix");
    }
    arguments << QStringLiteral("-d") << dumps.filePath(QStringLiteral("msg."))
              << QStringLiteral("127.0.4.8:%1").arg(port) << QStringLiteral("10");
    sink.start(QStringLiteral("smtp-sink"), arguments);
    QVERIFY(sink.waitForStarted(5000));
    QTest::qWait(300);
    addRoute(QStringLiteral("postfix.test"), QStringLiteral("127.0.4.8"), port, 1);
    enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("a@postfix.test"), QStringLiteral("b@postfix.test") },
        DefaultBody, 0, [](QueuedMessage &message) {
            message.dsnRet = Dsn::Ret::Hdrs;
            message.dsnEnvid = QStringLiteral("id 1+=");
            message.recipients[0].dsnNotify = Dsn::NotifySuccess | Dsn::NotifyFailure;
            message.recipients[0].dsnOrcpt = QStringLiteral("rfc822;A@postfix.test");
        });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(QDir(dumps.path()).entryList(QDir::Files).size(), 1, 5000);
    QFile dump(dumps.filePath(QDir(dumps.path()).entryList(QDir::Files).first()));
    QVERIFY(dump.open(QIODevice::ReadOnly));
    const QByteArray content = dump.readAll();
    QVERIFY2(content.contains("X-Mail-Args: <sender@ok.test> RET=HDRS ENVID=id+201+2B+3D\n"), content.constData());
    QVERIFY2(content.contains("X-Rcpt-Args: <a@postfix.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;A@postfix.test\n"),
        content.constData());
    QVERIFY2(content.contains("X-Rcpt-Args: <b@postfix.test>\n"), content.constData()); // gave none
    sink.terminate();
    sink.waitForFinished(3000);
    // The next hop took NOTIFY=SUCCESS on: no relayed notice from tmail.
    QTest::qWait(500);
    QCOMPARE(mx1.messages.size(), 0);
}

void TestDeliverd::delayNoticeIsSentOnceAndRemembered()
{
    TestSmtpSink mx1;
    for (const char *late : { "late@ok.test", "quiet@ok.test", "late2@ok.test" })
        mx1.rcptReplies.insert(QString::fromLatin1(late), { QStringLiteral("451 4.7.1 greylisted, try later") });
    listenSink(mx1, "127.0.4.2");
    m_config.deliverdDelayWarningSeconds = 1;
    const QString id
        = enqueue(QStringLiteral("sender@ok.test"), { QStringLiteral("late@ok.test"), QStringLiteral("quiet@ok.test") },
            DefaultBody, 0, [](QueuedMessage &message) { message.recipients[1].dsnNotify = Dsn::NotifyFailure; });
    // Never a notice to the null sender.
    const QString nullSender = enqueue(QString(), { QStringLiteral("late2@ok.test") });
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    // Deferred at once, then tried every 300 ms: the notice comes after the first second.
    QTRY_COMPARE_WITH_TIMEOUT(mx1.messages.size(), 1, 10000);
    const SinkMessage &delayed = mx1.messages.first();
    QCOMPARE(delayed.sender, QString());
    QCOMPARE(delayed.recipients, QStringList({ QStringLiteral("sender@ok.test") }));
    const QJsonObject notice = parseNotice(delayed.data);
    QVERIFY(!notice.isEmpty());
    QCOMPARE(notice.value(QStringLiteral("defects")).toArray().size(), 0);
    QCOMPARE(notice.value(QStringLiteral("subject")).toString(), QStringLiteral("Delayed Mail (still being retried)"));
    QCOMPARE(notice.value(QStringLiteral("report_type")).toString(), QStringLiteral("delivery-status"));
    QVERIFY(notice.value(QStringLiteral("text")).toString().contains(QStringLiteral("warning only")));
    const QJsonArray recipients = notice.value(QStringLiteral("per_recipient")).toArray();
    QCOMPARE(recipients.size(), 1); // quiet@ok.test: NOTIFY without DELAY
    const QJsonObject late = recipients.first().toObject();
    QCOMPARE(late.value(QStringLiteral("Final-Recipient")).toString(), QStringLiteral("rfc822; late@ok.test"));
    QCOMPARE(late.value(QStringLiteral("Action")).toString(), QStringLiteral("delayed"));
    QCOMPARE(late.value(QStringLiteral("Status")).toString(), QStringLiteral("4.7.1"));
    QCOMPARE(late.value(QStringLiteral("Diagnostic-Code")).toString(),
        QStringLiteral("smtp; 451 4.7.1 greylisted, try later"));
    QVERIFY(late.contains(QStringLiteral("Will-Retry-Until")));
    QCOMPARE(notice.value(QStringLiteral("parts")).toArray().at(2).toString(), QStringLiteral("text/rfc822-headers"));

    // More attempts, then a restart: still one notice, remembered in the queue.
    QSignalSpy recorded(deliverd.get(), &Deliverd::attemptRecorded);
    QTRY_VERIFY_WITH_TIMEOUT(recorded.size() >= 6, 10000);
    deliverd.reset();
    auto restarted = startDeliverd();
    QVERIFY(restarted);
    QSignalSpy again(restarted.get(), &Deliverd::attemptRecorded);
    QTRY_VERIFY_WITH_TIMEOUT(again.size() >= 4, 10000);
    QCOMPARE(mx1.messages.size(), 1);
    const Expected<QueuedMessage> queued = QueueTable(*m_db).find(id);
    QVERIFY2(queued, qPrintable(queued.error()));
    QVERIFY(queued->recipients.at(0).delayNotified);
    QVERIFY(!queued->recipients.at(1).delayNotified);
    const Expected<QueuedMessage> fromNull = QueueTable(*m_db).find(nullSender);
    QVERIFY(fromNull);
    QVERIFY(!fromNull->recipients.at(0).delayNotified);
}

#include "tst_deliverd.moc"
