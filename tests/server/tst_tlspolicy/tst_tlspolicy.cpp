// DANE (RFC 7672) for MX delivery, end to end on loopback: deliverd resolves through a
// validating unbound in front of nsd serving signed zones (tests/helpers/dnsseclab.sh),
// and delivers to STARTTLS sinks whose certificates the TLSA records name (or not).
// MTA-STS (RFC 8461): the policy parser, and the fetcher against a real HTTPS server
// (tests/helpers/mtastsserver.py) on 127.53.2.1:443 with the lab's test CA.
#include "testsmtpsink.h"
#include "tmailprocess.h"

#include "admin/routeservice.h"
#include "db/database.h"
#include "db/mtastspolicytable.h"
#include "db/queuetable.h"
#include "db/tlsreporttable.h"
#include "deliverd/daneverifier.h"
#include "deliverd/deliverd.h"
#include "deliverd/dnsresolver.h"
#include "deliverd/mtastsfetcher.h"
#include "deliverd/mtastspolicy.h"
#include "queue/diskstore.h"

#include <memory>
#include <optional>

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QtTest>

namespace {

const QByteArray Body = "Subject: dane\r\nFrom: <sender@tmail.test>\r\n\r\nover TLS only\r\n";

QHostAddress ip(const char *text)
{
    return QHostAddress(QString::fromLatin1(text));
}

} // namespace

class TestTlsPolicy : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void resolverReportsAuthenticatedAnswers();
    void tlsaParserReadsRecordsAndRefusesTruncation();
    void daneVerifierMatchesOnlyTheRightChain();

    void daneEeMatchIsDeliveredOverTls();
    void tlsaMismatchDefersWithoutClearText();
    void sinkWithoutStartTlsUnderDaneDefers();
    void unsignedZoneStaysOpportunistic();
    void bogusTlsaDefers();
    void daneTaWithTheMxNameIsDelivered();
    void daneTaWithAnotherNameDefers();
    void daneOffIgnoresTlsa();

    void routeTlsPolicyIsApplied_data();
    void routeTlsPolicyIsApplied();
    void routeTlsOptionIsCheckedAndListed();

    void mtaStsPolicyParserFollowsTheRfc();
    void mtaStsTxtRecordIsParsed();
    void mtaStsFetcherGetsTrustedPolicy();
    void mtaStsFetcherRefusesUntrustedServer();
    void mtaStsFetcherIgnoresOversizedAndBadPolicies();
    void mtaStsFetcherReportsStoppedServer();
    void mtaStsPolicyTableStoresAndReplaces();

    void mtaStsEnforceWithMatchingMxIsDelivered();
    void mtaStsEnforceWithOtherMxDefers();
    void mtaStsEnforceWithUntrustedCertificateDefers();
    void mtaStsTestingDelivers();
    void mtaStsCachedPolicyHoldsWhenServerStops();
    void mtaStsNewIdIsRefetched();
    void mtaStsBadPolicyIsIgnored();
    void daneWinsOverMtaSts();

    void tlsCheckGivesTheVerdict_data();
    void tlsCheckGivesTheVerdict();
    void tlsCheckFollowsMtaSts();
    void routesTestNamesTheRouteOrTheMx();
    void tlsCheckConnectShakesHands_data();
    void tlsCheckConnectShakesHands();
    void tlsReportIsCountedAndMailed();

private:
    // `tmail ARGS…` with the lab's resolver and test CA, on a database of its own.
    TmailRun tmail(TmailEnvironment &env, const QStringList &args);
    // The same, while this process's event loop runs (for the sinks tmail connects to).
    TmailRun tmailServing(TmailEnvironment &env, const QStringList &args);

    bool startHttps();
    void stopHttps();
    void writePolicy(const QString &domain, const QByteArray &body, const QByteArray &type = QByteArray());
    QString readPostedReport(const QString &dir, int n);
    Expected<MtaStsPolicy> fetchPolicy(const QString &domain, bool trustTestCa);

    QString labFile(const QString &name) const;
    QSslCertificate certificate(const QString &name) const;
    QSslKey key(const QString &name) const;
    void tlsSink(TestSmtpSink &sink, const char *address, const QString &certName, bool withCa = false);
    QString enqueue(const QString &recipient);
    std::unique_ptr<Deliverd> startDeliverd();
    std::optional<QueuedMessage> queued(const QString &id);
    int queueCount();
    void expectDeferred(TestSmtpSink &sink, const QString &id);

    QString m_labDir;
    QString m_resolver;
    bool m_ownLab = false;
    QTemporaryDir m_labParent;
    QTemporaryDir m_www;
    QProcess m_https;
    std::unique_ptr<QTemporaryDir> m_dir;
    Config m_config;
    std::optional<Database> m_db;
    int m_counter = 0;
};

void TestTlsPolicy::initTestCase()
{
    // test.sh starts the lab once for every suite; alone, this suite starts its own.
    m_labDir = qEnvironmentVariable("TMAIL_TEST_DNSSEC_DIR");
    m_resolver = qEnvironmentVariable("TMAIL_TEST_DNSSEC_RESOLVER");
    if (m_labDir.isEmpty() || m_resolver.isEmpty())
    {
        QVERIFY(m_labParent.isValid());
        m_labDir = m_labParent.filePath(QStringLiteral("lab"));
        QProcess lab;
        lab.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        lab.start(
            QStringLiteral(TMAIL_SOURCE_DIR "/tests/helpers/dnsseclab.sh"), { QStringLiteral("start"), m_labDir });
        QVERIFY(lab.waitForFinished(60000));
        QVERIFY2(lab.exitCode() == 0, "tests/helpers/dnsseclab.sh did not start the lab");
        m_ownLab = true;
        m_resolver = QStringLiteral("127.53.0.2:53");
    }
    QVERIFY2(QFile::exists(labFile(QStringLiteral("certs/ee.crt"))), qPrintable(m_labDir));
}

void TestTlsPolicy::cleanupTestCase()
{
    stopHttps();
    if (m_ownLab)
    {
        QProcess::execute(
            QStringLiteral(TMAIL_SOURCE_DIR "/tests/helpers/dnsseclab.sh"), { QStringLiteral("stop"), m_labDir });
    }
}

void TestTlsPolicy::init()
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
    m_config.deliverdMaxInFlight = 10;
    m_config.deliverdRemoteTimeoutSeconds = 5;
    DnsServer server;
    const int colon = m_resolver.lastIndexOf(QLatin1Char(':'));
    server.address = QHostAddress(m_resolver.left(colon));
    server.port = quint16(m_resolver.mid(colon + 1).toUInt());
    m_config.dnsServers = { server };
    QVERIFY(DiskStore(m_config.storePath).prepare());
    Expected<Database> db = Database::open(m_config.db, QStringLiteral("tst-tlspolicy-%1").arg(++m_counter));
    QVERIFY2(db, qPrintable(db.error()));
    m_db.emplace(std::move(db).value());
    const Status upgraded = m_db->upgrade();
    QVERIFY2(upgraded, qPrintable(upgraded.error()));
}

void TestTlsPolicy::cleanup()
{
    m_db.reset();
    m_dir.reset();
}

QString TestTlsPolicy::labFile(const QString &name) const
{
    return m_labDir + QLatin1Char('/') + name;
}

QSslCertificate TestTlsPolicy::certificate(const QString &name) const
{
    QFile file(labFile(QStringLiteral("certs/%1.crt").arg(name)));
    return file.open(QIODevice::ReadOnly) ? QSslCertificate(file.readAll()) : QSslCertificate();
}

QSslKey TestTlsPolicy::key(const QString &name) const
{
    QFile file(labFile(QStringLiteral("certs/%1.key").arg(name)));
    return file.open(QIODevice::ReadOnly) ? QSslKey(file.readAll(), QSsl::Ec) : QSslKey();
}

void TestTlsPolicy::tlsSink(TestSmtpSink &sink, const char *address, const QString &certName, bool withCa)
{
    sink.offerTls = true;
    sink.certificate = certificate(certName);
    sink.key = key(certName);
    QVERIFY(!sink.certificate.isNull() && !sink.key.isNull());
    if (withCa)
    {
        sink.chain = { certificate(QStringLiteral("ca")) };
    }
    QVERIFY2(sink.listen(ip(address), 25), qPrintable(sink.errorString()));
}

QString TestTlsPolicy::enqueue(const QString &recipient)
{
    const DiskStore store(m_config.storePath);
    const QString id = QueueTable::newId();
    QFile file(store.tmpPath(id));
    if (!file.open(QIODevice::WriteOnly) || file.write(Body) != Body.size())
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
    message.envelopeSender = QStringLiteral("sender@tmail.test");
    message.sizeBytes = Body.size();
    message.storeKey = DiskStore::keyFor(id);
    message.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    message.nextAttemptAtMs = message.createdAtMs;
    QueuedRecipient rcpt;
    rcpt.address = recipient;
    message.recipients.append(rcpt);
    return QueueTable(*m_db).enqueue({ message }) ? id : QString();
}

std::unique_ptr<Deliverd> TestTlsPolicy::startDeliverd()
{
    auto deliverd = std::make_unique<Deliverd>(m_config);
    deliverd->setPollIntervalMs(100);
    deliverd->setRetrySchedule(RetrySchedule({ 300 }));
    const Status started = deliverd->start();
    if (!started)
    {
        qWarning("%s", qPrintable(started.error()));
        return {};
    }
    return deliverd;
}

std::optional<QueuedMessage> TestTlsPolicy::queued(const QString &id)
{
    const Expected<QList<QueuedMessage>> all = QueueTable(*m_db).list(0, 100);
    if (all)
    {
        for (const QueuedMessage &message : all.value())
        {
            if (message.id == id)
            {
                return message;
            }
        }
    }
    return std::nullopt;
}

// The message stays queued with a 4.7.5 reason, and the sink never saw a transaction.
void TestTlsPolicy::expectDeferred(TestSmtpSink &sink, const QString &id)
{
    QTRY_VERIFY_WITH_TIMEOUT(
        queued(id).has_value() && queued(id)->recipients.value(0).lastError.contains(QLatin1String("4.7.5")), 15000);
    const QueuedMessage message = *queued(id);
    QCOMPARE(message.recipients.value(0).status, int(QueuedRecipient::Pending));
    QCOMPARE(sink.messages.size(), 0);
    for (const QString &command : std::as_const(sink.commands))
    {
        QVERIFY2(!command.toUpper().startsWith(QLatin1String("MAIL")), qPrintable(command));
        QVERIFY2(!command.toUpper().startsWith(QLatin1String("RCPT")), qPrintable(command));
    }
}

void TestTlsPolicy::resolverReportsAuthenticatedAnswers()
{
    DnsResolver resolver(m_config.dnsServers);
    QVERIFY(resolver.isValid());
    QHash<QString, MxLookup> mx;
    for (const char *domain : { "ee.tlslab.test", "unsigned.tlslab.test" })
    {
        const QString name = QString::fromLatin1(domain);
        resolver.lookupMx(name, this, [&mx, name](const MxLookup &result) { mx.insert(name, result); });
    }
    QTRY_COMPARE_WITH_TIMEOUT(mx.size(), 2, 10000);
    QCOMPARE(int(mx.value(QStringLiteral("ee.tlslab.test")).outcome), int(MxLookup::Outcome::Exchangers));
    QVERIFY(mx.value(QStringLiteral("ee.tlslab.test")).authenticated);
    QCOMPARE(
        mx.value(QStringLiteral("ee.tlslab.test")).exchangers, QStringList { QStringLiteral("mx.ee.tlslab.test") });
    QCOMPARE(int(mx.value(QStringLiteral("unsigned.tlslab.test")).outcome), int(MxLookup::Outcome::Exchangers));
    QVERIFY(!mx.value(QStringLiteral("unsigned.tlslab.test")).authenticated);

    std::optional<AddressLookup> address;
    resolver.lookupAddressesSecure(
        QStringLiteral("mx.ee.tlslab.test"), this, [&address](const AddressLookup &result) { address = result; });
    QTRY_VERIFY_WITH_TIMEOUT(address.has_value(), 10000);
    QCOMPARE(int(address->outcome), int(AddressLookup::Outcome::Found));
    QCOMPARE(address->addresses, QList<QHostAddress> { ip("127.53.1.1") });
    QVERIFY(address->authenticated);

    QHash<QString, TlsaLookup> tlsa;
    for (const char *host :
        { "mx.ee.tlslab.test", "mx.bogus.tlslab.test", "mx.unsigned.tlslab.test", "nothing.ee.tlslab.test" })
    {
        const QString name = QString::fromLatin1(host);
        resolver.lookupTlsa(name, 25, this, [&tlsa, name](const TlsaLookup &result) { tlsa.insert(name, result); });
    }
    QTRY_COMPARE_WITH_TIMEOUT(tlsa.size(), 4, 15000);
    const TlsaLookup ee = tlsa.value(QStringLiteral("mx.ee.tlslab.test"));
    QCOMPARE(int(ee.outcome), int(TlsaLookup::Outcome::Found));
    QVERIFY(ee.authenticated);
    QCOMPARE(ee.records.size(), 2);
    QCOMPARE(DaneVerifier::usable(ee.records).size(), 1); // the usage 1 record is ignored
    QCOMPARE(int(tlsa.value(QStringLiteral("mx.bogus.tlslab.test")).outcome), int(TlsaLookup::Outcome::Temporary));
    QCOMPARE(int(tlsa.value(QStringLiteral("mx.unsigned.tlslab.test")).outcome), int(TlsaLookup::Outcome::Found));
    QVERIFY(!tlsa.value(QStringLiteral("mx.unsigned.tlslab.test")).authenticated);
    QCOMPARE(int(tlsa.value(QStringLiteral("nothing.ee.tlslab.test")).outcome), int(TlsaLookup::Outcome::None));
    QVERIFY(tlsa.value(QStringLiteral("nothing.ee.tlslab.test")).authenticated); // a signed denial
}

void TestTlsPolicy::tlsaParserReadsRecordsAndRefusesTruncation()
{
    // One question (compressed answer name), one TLSA 3 1 1 answer.
    QByteArray message = QByteArray::fromHex("1234818000010001000000000378797a0000340001c00c00340001"
                                             "0000012c0023030101");
    message += QByteArray(32, '\x5a');
    QList<TlsaRecord> records;
    QVERIFY(DnsResolver::parseTlsaAnswer(message, &records));
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().usage, 3);
    QCOMPARE(records.first().selector, 1);
    QCOMPARE(records.first().matching, 1);
    QCOMPARE(records.first().data, QByteArray(32, '\x5a'));
    for (qsizetype cut = 0; cut < message.size(); ++cut)
    {
        QVERIFY(!DnsResolver::parseTlsaAnswer(message.left(cut), &records));
    }
}

void TestTlsPolicy::daneVerifierMatchesOnlyTheRightChain()
{
    const auto spki = [](const QSslCertificate &c) {
        return QCryptographicHash::hash(c.publicKey().toDer(), QCryptographicHash::Sha256);
    };
    const QSslCertificate ee = certificate(QStringLiteral("ee"));
    const QSslCertificate ta = certificate(QStringLiteral("ta"));
    const QSslCertificate ca = certificate(QStringLiteral("ca"));
    QVERIFY(!ee.isNull() && !ta.isNull() && !ca.isNull());
    const TlsaRecord eeSpki { 3, 1, 1, spki(ee) };
    QVERIFY(DaneVerifier::verify({ ee }, QStringLiteral("any.name"), { eeSpki }));
    QVERIFY(DaneVerifier::verify({ ee }, QStringLiteral("any.name"),
        { TlsaRecord { 3, 0, 2, QCryptographicHash::hash(ee.toDer(), QCryptographicHash::Sha512) } }));
    QVERIFY(DaneVerifier::verify({ ee }, QStringLiteral("any.name"), { TlsaRecord { 3, 0, 0, ee.toDer() } }));
    QVERIFY(!DaneVerifier::verify({ ta }, QStringLiteral("any.name"), { eeSpki }));
    const TlsaRecord caFull { 2, 0, 1, QCryptographicHash::hash(ca.toDer(), QCryptographicHash::Sha256) };
    QVERIFY(DaneVerifier::verify({ ta, ca }, QStringLiteral("mx.ta.tlslab.test"), { caFull }));
    QVERIFY(!DaneVerifier::verify({ ta, ca }, QStringLiteral("mx.other.test"), { caFull }));
    QVERIFY(!DaneVerifier::verify({ ee, ca }, QStringLiteral("mx.ta.tlslab.test"), { caFull }));
    // PKIX usages (0, 1) are not usable for SMTP (RFC 7672 §3.1.3).
    QVERIFY(!DaneVerifier::verify({ ee }, QStringLiteral("any.name"), { TlsaRecord { 1, 1, 1, spki(ee) } }));
}

void TestTlsPolicy::daneEeMatchIsDeliveredOverTls()
{
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.1", QStringLiteral("ee"));
    const QString id = enqueue(QStringLiteral("rcpt@ee.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 15000);
    QVERIFY(sink.messages.first().tls);
    QCOMPARE(sink.messages.first().data, Body);
    QTRY_VERIFY_WITH_TIMEOUT(!queued(id).has_value(), 10000);
}

void TestTlsPolicy::tlsaMismatchDefersWithoutClearText()
{
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.2", QStringLiteral("ee"));
    const QString id = enqueue(QStringLiteral("rcpt@mismatch.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    expectDeferred(sink, id);
    QVERIFY(queued(id)->recipients.value(0).lastError.contains(QLatin1String("tlsa-invalid")));
    QCOMPARE(tlsPolicyHolding(queued(id)->recipients.value(0).lastError), QStringLiteral("dane"));
    QVERIFY(sink.commands.contains(QStringLiteral("STARTTLS")));
}

void TestTlsPolicy::sinkWithoutStartTlsUnderDaneDefers()
{
    TestSmtpSink sink;
    QVERIFY(sink.listen(ip("127.53.1.3"), 25));
    const QString id = enqueue(QStringLiteral("rcpt@nostarttls.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    expectDeferred(sink, id);
    QVERIFY(queued(id)->recipients.value(0).lastError.contains(QLatin1String("starttls-not-supported")));
}

void TestTlsPolicy::unsignedZoneStaysOpportunistic()
{
    // Its TLSA record names another key, but nothing there is authenticated.
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.4", QStringLiteral("ee"));
    const QString id = enqueue(QStringLiteral("rcpt@unsigned.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 15000);
    QVERIFY(sink.messages.first().tls);
    QTRY_VERIFY_WITH_TIMEOUT(!queued(id).has_value(), 10000);
}

void TestTlsPolicy::bogusTlsaDefers()
{
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.5", QStringLiteral("ee"));
    const QString id = enqueue(QStringLiteral("rcpt@bogus.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    expectDeferred(sink, id);
    // Not even a connection: the host is unusable before any SMTP.
    QCOMPARE(sink.sessions, 0);
}

void TestTlsPolicy::daneTaWithTheMxNameIsDelivered()
{
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.6", QStringLiteral("ta"), true);
    const QString id = enqueue(QStringLiteral("rcpt@ta.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 15000);
    QVERIFY(sink.messages.first().tls);
    QTRY_VERIFY_WITH_TIMEOUT(!queued(id).has_value(), 10000);
}

void TestTlsPolicy::daneTaWithAnotherNameDefers()
{
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.7", QStringLiteral("wrong"), true);
    const QString id = enqueue(QStringLiteral("rcpt@tawrong.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    expectDeferred(sink, id);
}

void TestTlsPolicy::daneOffIgnoresTlsa()
{
    m_config.deliverdDane = false;
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.2", QStringLiteral("ee"));
    const QString id = enqueue(QStringLiteral("rcpt@mismatch.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!queued(id).has_value(), 10000);
}

// A route's own TLS policy (`routes add --tls`), against real sinks: with and without
// STARTTLS, with an untrusted certificate, with one the test CA vouches for, and DANE
// with the route host's signed TLSA records or without any.
void TestTlsPolicy::routeTlsPolicyIsApplied_data()
{
    QTest::addColumn<QString>("tls");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("cert"); // empty: the sink offers no STARTTLS
    QTest::addColumn<bool>("delivered");
    QTest::addColumn<QString>("reason"); // in the deferral
    QTest::addColumn<bool>("connects");
    QTest::newRow("opportunistic, no STARTTLS: clear")
        << QStringLiteral("opportunistic") << QStringLiteral("127.53.1.3") << QStringLiteral("127.53.1.3") << QString()
        << true << QString() << true;
    QTest::newRow("required, no STARTTLS: deferred")
        << QStringLiteral("required") << QStringLiteral("127.53.1.3") << QStringLiteral("127.53.1.3") << QString()
        << false << QStringLiteral("starttls-not-supported") << true;
    QTest::newRow("required, untrusted certificate: delivered")
        << QStringLiteral("required") << QStringLiteral("127.53.1.3") << QStringLiteral("127.53.1.3")
        << QStringLiteral("ee") << true << QString() << true;
    QTest::newRow("verify, untrusted certificate: deferred")
        << QStringLiteral("verify") << QStringLiteral("mx.sts-newid.tlslab.test") << QStringLiteral("127.53.1.24")
        << QStringLiteral("ee") << false << QStringLiteral("4.7.5") << true;
    QTest::newRow("verify, certificate of the test CA: delivered")
        << QStringLiteral("verify") << QStringLiteral("mx.sts-newid.tlslab.test") << QStringLiteral("127.53.1.24")
        << QStringLiteral("sts") << true << QString() << true;
    QTest::newRow("dane, matching TLSA: delivered")
        << QStringLiteral("dane") << QStringLiteral("mx.ee.tlslab.test") << QStringLiteral("127.53.1.1")
        << QStringLiteral("ee") << true << QString() << true;
    QTest::newRow("dane, TLSA mismatch: deferred")
        << QStringLiteral("dane") << QStringLiteral("mx.mismatch.tlslab.test") << QStringLiteral("127.53.1.2")
        << QStringLiteral("ee") << false << QStringLiteral("tlsa-invalid") << true;
    QTest::newRow("dane, unsigned host: deferred unconnected")
        << QStringLiteral("dane") << QStringLiteral("mx.unsigned.tlslab.test") << QStringLiteral("127.53.1.4")
        << QStringLiteral("ee") << false << QStringLiteral("not DNSSEC-validated") << false;
}

void TestTlsPolicy::routeTlsPolicyIsApplied()
{
    QFETCH(QString, tls);
    QFETCH(QString, host);
    QFETCH(QString, address);
    QFETCH(QString, cert);
    QFETCH(bool, delivered);
    QFETCH(QString, reason);
    QFETCH(bool, connects);
    m_config.deliverdTlsCaFile = labFile(QStringLiteral("certs/ca.crt"));
    TestSmtpSink sink;
    if (cert.isEmpty())
    {
        QVERIFY2(sink.listen(QHostAddress(address), 25), qPrintable(sink.errorString()));
    }
    else
    {
        tlsSink(sink, address.toLatin1().constData(), cert);
    }
    Route route;
    route.recipientDomain = Domain::parse(QStringLiteral("routed.test")).value();
    route.remoteHost = host;
    route.tls = tls;
    const Expected<Route> added = RouteService(*m_db).add(route);
    QVERIFY2(added, qPrintable(added.error()));
    QCOMPARE(added->tls, tls);
    const QString id = enqueue(QStringLiteral("rcpt@routed.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    if (delivered)
    {
        QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 15000);
        QCOMPARE(sink.messages.first().tls, !cert.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!queued(id).has_value(), 10000);
        return;
    }
    expectDeferred(sink, id);
    const QString lastError = queued(id)->recipients.value(0).lastError;
    QVERIFY2(lastError.contains(reason), qPrintable(lastError));
    QCOMPARE(sink.sessions > 0, connects);
    // The manager's queue names the policy that holds the message back.
    QCOMPARE(tlsPolicyHolding(lastError), tls);
    QCOMPARE(tlsPolicyHolding(queued(id)->lastError), tls);
}

// `tmail routes add --tls`: each policy is stored and listed; anything else exits 2 and
// adds nothing; `routes test` names the route's policy.
void TestTlsPolicy::routeTlsOptionIsCheckedAndListed()
{
    TmailEnvironment env;
    QVERIFY(env.isValid());
    const QStringList add = { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
        QStringLiteral("routed.test"), QStringLiteral("-rh"), QStringLiteral("mx.ee.tlslab.test") };
    TmailRun run = tmail(env, add);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("TLS opportunistic")), qPrintable(run.out));
    for (const char *policy : { "required", "VERIFY", "dane" })
    {
        run = tmail(env, add + QStringList { QStringLiteral("--tls"), QString::fromLatin1(policy) });
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("TLS ") + QString::fromLatin1(policy).toLower()), qPrintable(run.out));
    }
    for (const QString &bad : { QStringLiteral("strict"), QString(), QStringLiteral("dane;drop") })
    {
        run = tmail(env, add + QStringList { QStringLiteral("--tls"), bad });
        QVERIFY2(run.exitCode == 2, qPrintable(bad + run.err));
    }
    run = tmail(env, { QStringLiteral("routes"), QStringLiteral("list") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("TLS")), qPrintable(run.out));
    for (const char *policy : { "opportunistic", "required", "verify", "dane" })
    {
        QCOMPARE(run.out.count(QString::fromLatin1(policy)), 1);
    }
    QCOMPARE(run.out.count(QStringLiteral("routed.test")), 4);

    // Only the dane route left: `routes test` shows DANE with the host's TLSA record.
    for (const char *id : { "1", "2", "3" })
    {
        run = tmail(env, { QStringLiteral("routes"), QStringLiteral("del"), QString::fromLatin1(id) });
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    }
    run = tmail(env, { QStringLiteral("routes"), QStringLiteral("test"), QStringLiteral("rcpt@routed.test") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("TLS: dane (STARTTLS required, certificate must match 1 TLSA record(s))")),
        qPrintable(run.out));
}

bool TestTlsPolicy::startHttps()
{
    if (m_https.state() == QProcess::Running)
    {
        return true;
    }
    m_https.setProcessChannelMode(QProcess::MergedChannels);
    m_https.start(QStringLiteral("python3"),
        { QStringLiteral(TMAIL_SOURCE_DIR "/tests/helpers/mtastsserver.py"), QStringLiteral("127.53.2.1"),
            QStringLiteral("443"), labFile(QStringLiteral("certs/sts.crt")), labFile(QStringLiteral("certs/sts.key")),
            m_www.path() });
    if (!m_https.waitForStarted(5000))
    {
        return false;
    }
    QElapsedTimer waited;
    waited.start();
    while (!m_https.canReadLine() && waited.elapsed() < 10000 && m_https.state() == QProcess::Running)
    {
        m_https.waitForReadyRead(200);
    }
    return m_https.canReadLine() && m_https.readLine().startsWith("ready");
}

void TestTlsPolicy::stopHttps()
{
    if (m_https.state() != QProcess::NotRunning)
    {
        m_https.kill();
        m_https.waitForFinished(5000);
    }
}

void TestTlsPolicy::writePolicy(const QString &domain, const QByteArray &body, const QByteArray &type)
{
    const QString dir = m_www.filePath(QStringLiteral("mta-sts.") + domain);
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/.well-known")));
    QFile file(dir + QStringLiteral("/.well-known/mta-sts.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(body), body.size());
    QFile::remove(dir + QStringLiteral("/type"));
    if (!type.isEmpty())
    {
        QFile typeFile(dir + QStringLiteral("/type"));
        QVERIFY(typeFile.open(QIODevice::WriteOnly));
        typeFile.write(type);
    }
}

Expected<MtaStsPolicy> TestTlsPolicy::fetchPolicy(const QString &domain, bool trustTestCa)
{
    DnsResolver resolver(m_config.dnsServers);
    QList<QSslCertificate> ca;
    if (trustTestCa)
    {
        ca = MtaStsFetcher::loadCaFile(labFile(QStringLiteral("certs/ca.crt"))).value();
    }
    MtaStsFetcher fetcher(&resolver, ca);
    fetcher.setTimeoutMs(5000);
    std::optional<Expected<MtaStsPolicy>> result;
    fetcher.fetch(domain, this, [&result](const Expected<MtaStsPolicy> &policy) { result = policy; });
    QElapsedTimer waited;
    waited.start();
    while (!result && waited.elapsed() < 15000)
    {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    if (!result)
    {
        return Expected<MtaStsPolicy>::failure(ErrorKind::Internal, QStringLiteral("no answer from the fetcher"));
    }
    return *result;
}

void TestTlsPolicy::mtaStsPolicyParserFollowsTheRfc()
{
    const Expected<MtaStsPolicy> good = MtaStsPolicy::parse(
        "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.Example.NET\r\nmax_age: 86400\r\n"
        "future_field: whatever\r\n");
    QVERIFY2(good, qPrintable(good.error()));
    QCOMPARE(int(good->mode), int(MtaStsPolicy::Mode::Enforce));
    QCOMPARE(good->maxAgeSeconds, 86400);
    QCOMPARE(good->mx, QStringList({ QStringLiteral("mx1.example.com"), QStringLiteral("*.example.net") }));
    QVERIFY(good->matchesMx(QStringLiteral("MX1.example.com.")));
    QVERIFY(good->matchesMx(QStringLiteral("a.example.net")));
    QVERIFY(!good->matchesMx(QStringLiteral("a.b.example.net"))); // one label only (§4.1)
    QVERIFY(!good->matchesMx(QStringLiteral("example.net")));
    QVERIFY(!good->matchesMx(QStringLiteral("mx2.example.com")));

    const Expected<MtaStsPolicy> lf = MtaStsPolicy::parse("version: STSv1\nmode: none\nmax_age: 0\n");
    QVERIFY2(lf, qPrintable(lf.error()));
    QCOMPARE(int(lf->mode), int(MtaStsPolicy::Mode::None));

    for (const QByteArray &bad : {
             QByteArray("mode: enforce\nmx: a.example\nmax_age: 1\n"), // no version
             QByteArray("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n"),
             QByteArray("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n"),
             QByteArray("version: STSv1\nmode: enforce\nmax_age: 1\n"), // no mx
             QByteArray("version: STSv1\nmode: enforce\nmx: a.example\n"), // no max_age
             QByteArray("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n"),
             QByteArray("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -5\n"),
             QByteArray("version: STSv1\nmode: enforce\nmx: a..example\nmax_age: 5\n"),
             QByteArray("<html>not a policy</html>"),
         })
    {
        QVERIFY2(!MtaStsPolicy::parse(bad), bad.constData());
    }
    QByteArray big = "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 5\n";
    big += "x-padding: " + QByteArray(MtaStsPolicy::MaxBodyBytes, 'x') + "\n";
    QCOMPARE(MtaStsPolicy::parse(big).kind(), ErrorKind::InvalidInput);
}

void TestTlsPolicy::mtaStsTxtRecordIsParsed()
{
    QCOMPARE(MtaStsPolicy::parseTxt(QStringLiteral("v=STSv1; id=20160831085700Z;")).value(),
        QStringLiteral("20160831085700Z"));
    QCOMPARE(MtaStsPolicy::parseTxt(QStringLiteral("v=STSv1;id=abc; ext=1")).value(), QStringLiteral("abc"));
    QVERIFY(!MtaStsPolicy::parseTxt(QStringLiteral("id=abc; v=STSv1")));
    QVERIFY(!MtaStsPolicy::parseTxt(QStringLiteral("v=STSv1")));
    QVERIFY(!MtaStsPolicy::parseTxt(QStringLiteral("v=STSv1; id=has-dash")));
    QVERIFY(!MtaStsPolicy::parseTxt(QStringLiteral("v=spf1 -all")));

    DnsResolver resolver(m_config.dnsServers);
    std::optional<TxtLookup> txt;
    resolver.lookupTxt(
        QStringLiteral("_mta-sts.sts-enforce.tlslab.test"), this, [&txt](const TxtLookup &result) { txt = result; });
    QTRY_VERIFY_WITH_TIMEOUT(txt.has_value(), 10000);
    QCOMPARE(int(txt->outcome), int(TxtLookup::Outcome::Found));
    QCOMPARE(txt->texts, QStringList { QStringLiteral("v=STSv1; id=enforce1") });
    QCOMPARE(MtaStsPolicy::parseTxt(txt->texts.first()).value(), QStringLiteral("enforce1"));
}

void TestTlsPolicy::mtaStsFetcherGetsTrustedPolicy()
{
    writePolicy(QStringLiteral("sts-enforce.tlslab.test"),
        "version: STSv1\r\nmode: enforce\r\nmx: mx.elsewhere.tlslab.test\r\nmax_age: 600\r\n");
    QVERIFY(startHttps());
    const Expected<MtaStsPolicy> policy = fetchPolicy(QStringLiteral("sts-enforce.tlslab.test"), true);
    QVERIFY2(policy, qPrintable(policy.error()));
    QCOMPARE(int(policy->mode), int(MtaStsPolicy::Mode::Enforce));
    QCOMPARE(policy->maxAgeSeconds, 600);
    QVERIFY(!policy->matchesMx(QStringLiteral("mx.sts-enforce.tlslab.test")));
}

void TestTlsPolicy::mtaStsFetcherRefusesUntrustedServer()
{
    writePolicy(QStringLiteral("sts-untrusted.tlslab.test"),
        "version: STSv1\nmode: enforce\nmx: mx.sts-untrusted.tlslab.test\nmax_age: 600\n");
    QVERIFY(startHttps());
    // Without TMAIL_DELIVERD_TLS_CA_FILE the test CA is nobody's.
    const Expected<MtaStsPolicy> policy = fetchPolicy(QStringLiteral("sts-untrusted.tlslab.test"), false);
    QVERIFY(!policy);
    QCOMPARE(policy.kind(), ErrorKind::Unavailable);
}

void TestTlsPolicy::mtaStsFetcherIgnoresOversizedAndBadPolicies()
{
    QByteArray big = "version: STSv1\nmode: enforce\nmx: mx.sts-big.tlslab.test\nmax_age: 600\n";
    big += "x-padding: " + QByteArray(70 * 1024, 'x') + "\n";
    writePolicy(QStringLiteral("sts-big.tlslab.test"), big);
    writePolicy(QStringLiteral("sts-bad.tlslab.test"), "version: STSv1\nmode: sometimes\nmax_age: 600\n");
    writePolicy(QStringLiteral("sts-badmx.tlslab.test"),
        "version: STSv1\nmode: enforce\nmx: mx.sts-badmx.tlslab.test\nmax_age: 600\n", "text/html");
    QVERIFY(startHttps());
    for (const char *domain : { "sts-big.tlslab.test", "sts-bad.tlslab.test", "sts-badmx.tlslab.test" })
    {
        const Expected<MtaStsPolicy> policy = fetchPolicy(QString::fromLatin1(domain), true);
        QVERIFY2(!policy, domain);
        QCOMPARE(policy.kind(), ErrorKind::InvalidInput);
    }
}

void TestTlsPolicy::mtaStsFetcherReportsStoppedServer()
{
    writePolicy(QStringLiteral("sts-cached.tlslab.test"),
        "version: STSv1\nmode: enforce\nmx: mx.sts-cached.tlslab.test\nmax_age: 600\n");
    QVERIFY(startHttps());
    QVERIFY(fetchPolicy(QStringLiteral("sts-cached.tlslab.test"), true));
    stopHttps();
    const Expected<MtaStsPolicy> policy = fetchPolicy(QStringLiteral("sts-cached.tlslab.test"), true);
    QVERIFY(!policy);
    QCOMPARE(policy.kind(), ErrorKind::Unavailable);
}

void TestTlsPolicy::mtaStsPolicyTableStoresAndReplaces()
{
    QCOMPARE(m_db->schemaVersion().value(), Database::currentSchemaVersion());
    MtaStsPolicyTable table(*m_db);
    QVERIFY(!table.find(QStringLiteral("example.test")).value().has_value());
    StoredMtaStsPolicy policy;
    policy.domain = QStringLiteral("Example.TEST");
    policy.policyId = QStringLiteral("id1");
    policy.mode = QStringLiteral("enforce");
    policy.mx = { QStringLiteral("mx1.example.test"), QStringLiteral("*.example.test") };
    policy.maxAgeSeconds = 86400;
    policy.fetchedAtMs = 1000;
    policy.expiresAtMs = 86401000;
    QVERIFY(table.store(policy));
    std::optional<StoredMtaStsPolicy> found = table.find(QStringLiteral("example.test")).value();
    QVERIFY(found.has_value());
    QCOMPARE(found->policyId, QStringLiteral("id1"));
    QCOMPARE(found->mx, policy.mx);
    QCOMPARE(found->expiresAtMs, 86401000);
    policy.policyId = QStringLiteral("id2");
    policy.mode = QStringLiteral("testing");
    QVERIFY(table.store(policy));
    found = table.find(QStringLiteral("EXAMPLE.test")).value();
    QCOMPARE(found->policyId, QStringLiteral("id2"));
    QCOMPARE(found->mode, QStringLiteral("testing"));
    QVERIFY(table.remove(QStringLiteral("example.test")));
    QVERIFY(!table.find(QStringLiteral("example.test")).value().has_value());
}

void TestTlsPolicy::mtaStsEnforceWithMatchingMxIsDelivered()
{
    writePolicy(QStringLiteral("sts-newid.tlslab.test"),
        "version: STSv1\nmode: enforce\nmx: *.sts-newid.tlslab.test\nmax_age: 600\n");
    QVERIFY(startHttps());
    m_config.deliverdTlsCaFile = labFile(QStringLiteral("certs/ca.crt"));
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.24", QStringLiteral("sts"));
    const QString id = enqueue(QStringLiteral("rcpt@sts-newid.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 15000);
    QVERIFY(sink.messages.first().tls);
    QTRY_VERIFY_WITH_TIMEOUT(!queued(id).has_value(), 10000);
}

void TestTlsPolicy::mtaStsEnforceWithOtherMxDefers()
{
    writePolicy(QStringLiteral("sts-enforce.tlslab.test"),
        "version: STSv1\nmode: enforce\nmx: mx.elsewhere.tlslab.test\nmax_age: 600\n");
    QVERIFY(startHttps());
    m_config.deliverdTlsCaFile = labFile(QStringLiteral("certs/ca.crt"));
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.21", QStringLiteral("sts"));
    const QString id = enqueue(QStringLiteral("rcpt@sts-enforce.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    expectDeferred(sink, id);
    QCOMPARE(sink.sessions, 0);
    QCOMPARE(tlsPolicyHolding(queued(id)->recipients.value(0).lastError), QStringLiteral("mta-sts"));
    QCOMPARE(tlsPolicyHolding(QStringLiteral("4.4.1 host x said: 421 busy")), QString());
}

void TestTlsPolicy::mtaStsEnforceWithUntrustedCertificateDefers()
{
    writePolicy(QStringLiteral("sts-untrusted.tlslab.test"),
        "version: STSv1\nmode: enforce\nmx: mx.sts-untrusted.tlslab.test\nmax_age: 600\n");
    QVERIFY(startHttps());
    m_config.deliverdTlsCaFile = labFile(QStringLiteral("certs/ca.crt"));
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.28", QStringLiteral("ee")); // self-signed, no name of the MX
    const QString id = enqueue(QStringLiteral("rcpt@sts-untrusted.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    expectDeferred(sink, id);
    QVERIFY(sink.commands.contains(QStringLiteral("STARTTLS")));
}

void TestTlsPolicy::mtaStsTestingDelivers()
{
    writePolicy(QStringLiteral("sts-testing.tlslab.test"),
        "version: STSv1\nmode: testing\nmx: mx.elsewhere.tlslab.test\nmax_age: 600\n");
    QVERIFY(startHttps());
    m_config.deliverdTlsCaFile = labFile(QStringLiteral("certs/ca.crt"));
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.22", QStringLiteral("ee"));
    const QString id = enqueue(QStringLiteral("rcpt@sts-testing.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!queued(id).has_value(), 10000);
}

void TestTlsPolicy::mtaStsCachedPolicyHoldsWhenServerStops()
{
    writePolicy(QStringLiteral("sts-cached.tlslab.test"),
        "version: STSv1\nmode: enforce\nmx: mx.sts-cached.tlslab.test\nmax_age: 600\n");
    QVERIFY(startHttps());
    m_config.deliverdTlsCaFile = labFile(QStringLiteral("certs/ca.crt"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    {
        TestSmtpSink sink;
        tlsSink(sink, "127.53.1.23", QStringLiteral("sts"));
        enqueue(QStringLiteral("rcpt@sts-cached.tlslab.test"));
        QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 10000);
    }
    // The policy is in the database, for every node and the next run.
    const auto stored = [this]() {
        const Expected<std::optional<StoredMtaStsPolicy>> found
            = MtaStsPolicyTable(*m_db).find(QStringLiteral("sts-cached.tlslab.test"));
        return found ? found.value() : std::nullopt;
    };
    QTRY_VERIFY_WITH_TIMEOUT(stored().has_value(), 5000);
    QCOMPARE(stored()->policyId, QStringLiteral("cached1"));
    QCOMPARE(stored()->mode, QStringLiteral("enforce"));
    QVERIFY(stored()->expiresAtMs > QDateTime::currentMSecsSinceEpoch() + 590 * 1000);
    // The policy server is gone and deliverd restarts with nothing in memory: the cached
    // enforce policy still refuses a bad certificate (RFC 8461 §5.1).
    stopHttps();
    deliverd.reset();
    deliverd = startDeliverd();
    QVERIFY(deliverd);
    QVERIFY(!deliverd->mtaStsCache().find(QStringLiteral("sts-cached.tlslab.test")));
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.23", QStringLiteral("ee"));
    const QString id = enqueue(QStringLiteral("rcpt@sts-cached.tlslab.test"));
    expectDeferred(sink, id);
    QVERIFY(sink.commands.contains(QStringLiteral("STARTTLS")));
    QVERIFY(deliverd->mtaStsCache().find(QStringLiteral("sts-cached.tlslab.test")));
    // `tmail tls check` reads the same cache: the policy holds there too.
    TmailEnvironment env;
    QVERIFY(env.isValid());
    env.set(QStringLiteral("TMAIL_DB_SOURCE"), m_config.db.sqlitePath);
    const TmailRun run
        = tmail(env, { QStringLiteral("tls"), QStringLiteral("check"), QStringLiteral("sts-cached.tlslab.test") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("MTA-STS: enforce (max_age 600 s")), qPrintable(run.out));
}

void TestTlsPolicy::mtaStsNewIdIsRefetched()
{
    writePolicy(QStringLiteral("sts-newid.tlslab.test"),
        "version: STSv1\nmode: enforce\nmx: mx.elsewhere.tlslab.test\nmax_age: 600\n");
    QVERIFY(startHttps());
    m_config.deliverdTlsCaFile = labFile(QStringLiteral("certs/ca.crt"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    // Cached under the old id: "none". The TXT record now says id=newid2.
    MtaStsPolicy old;
    old.mode = MtaStsPolicy::Mode::None;
    old.maxAgeSeconds = 600;
    deliverd->mtaStsCache().store(QStringLiteral("sts-newid.tlslab.test"), QStringLiteral("newid1"), old);
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.24", QStringLiteral("sts"));
    const QString id = enqueue(QStringLiteral("rcpt@sts-newid.tlslab.test"));
    expectDeferred(sink, id);
    const CachedMtaStsPolicy *cached = deliverd->mtaStsCache().find(QStringLiteral("sts-newid.tlslab.test"));
    QVERIFY(cached);
    QCOMPARE(cached->id, QStringLiteral("newid2"));
    QCOMPARE(int(cached->policy.mode), int(MtaStsPolicy::Mode::Enforce));
    QTRY_COMPARE_WITH_TIMEOUT(MtaStsPolicyTable(*m_db)
                                  .find(QStringLiteral("sts-newid.tlslab.test"))
                                  .value()
                                  .value_or(StoredMtaStsPolicy())
                                  .policyId,
        QStringLiteral("newid2"), 5000);
}

void TestTlsPolicy::mtaStsBadPolicyIsIgnored()
{
    QByteArray big = "version: STSv1\nmode: enforce\nmx: mx.elsewhere.tlslab.test\nmax_age: 600\n";
    big += "x-padding: " + QByteArray(70 * 1024, 'x') + "\n";
    writePolicy(QStringLiteral("sts-big.tlslab.test"), big);
    writePolicy(QStringLiteral("sts-bad.tlslab.test"), "version: STSv1\nmode: enforce\nmx: mx.elsewhere..test\n");
    QVERIFY(startHttps());
    m_config.deliverdTlsCaFile = labFile(QStringLiteral("certs/ca.crt"));
    TestSmtpSink big1;
    tlsSink(big1, "127.53.1.25", QStringLiteral("ee"));
    TestSmtpSink bad1;
    tlsSink(bad1, "127.53.1.26", QStringLiteral("ee"));
    // sts-badmx announces a policy that the HTTPS server does not have (404).
    QVERIFY(QDir(m_www.filePath(QStringLiteral("mta-sts.sts-badmx.tlslab.test"))).removeRecursively());
    TestSmtpSink missing1;
    tlsSink(missing1, "127.53.1.27", QStringLiteral("ee"));
    enqueue(QStringLiteral("rcpt@sts-big.tlslab.test"));
    enqueue(QStringLiteral("rcpt@sts-bad.tlslab.test"));
    enqueue(QStringLiteral("rcpt@sts-badmx.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(big1.messages.size(), 1, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(bad1.messages.size(), 1, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(missing1.messages.size(), 1, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 10000);

    // RFC 8460: each failure is counted for the TLS report, with its own result type.
    const QString today = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
    const auto failures = [this, &today]() {
        QStringList found;
        const Expected<QList<TlsSessionCount>> counts = TlsReportTable(*m_db).list(today, today);
        for (const TlsSessionCount &count : counts.value())
        {
            if (!count.resultType.isEmpty())
                found.append(QStringLiteral("%1 %2 %3 %4")
                                 .arg(count.policyDomain, count.policyType, count.resultType)
                                 .arg(count.sessions));
        }
        found.sort();
        return found;
    };
    QTRY_COMPARE_WITH_TIMEOUT(failures(),
        QStringList({ QStringLiteral("sts-bad.tlslab.test no-policy-found sts-policy-invalid 1"),
            QStringLiteral("sts-badmx.tlslab.test no-policy-found sts-policy-fetch-error 1"),
            QStringLiteral("sts-big.tlslab.test no-policy-found sts-policy-invalid 1") }),
        10000);
}

void TestTlsPolicy::daneWinsOverMtaSts()
{
    // ee.tlslab.test has DANE-EE records and, in the cache, an enforce MTA-STS policy
    // naming its MX. The sink's self-signed certificate fails MTA-STS's PKIX check, but
    // DANE applies instead (RFC 8461 §2) and it matches.
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    MtaStsPolicy policy;
    policy.mode = MtaStsPolicy::Mode::Enforce;
    policy.mx = { QStringLiteral("mx.ee.tlslab.test") };
    policy.maxAgeSeconds = 600;
    deliverd->mtaStsCache().store(QStringLiteral("ee.tlslab.test"), QStringLiteral("x"), policy);
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.1", QStringLiteral("ee"));
    const QString id = enqueue(QStringLiteral("rcpt@ee.tlslab.test"));
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!queued(id).has_value(), 10000);
}

int TestTlsPolicy::queueCount()
{
    const Expected<int> count = QueueTable(*m_db).count();
    return count ? count.value() : -1;
}

QTEST_GUILESS_MAIN(TestTlsPolicy)
TmailRun TestTlsPolicy::tmail(TmailEnvironment &env, const QStringList &args)
{
    env.set(QStringLiteral("TMAIL_DNS_SERVERS"), m_resolver);
    env.set(QStringLiteral("TMAIL_DELIVERD_TLS_CA_FILE"), labFile(QStringLiteral("certs/ca.crt")));
    if (!QFile::exists(env.processEnvironment().value(QStringLiteral("TMAIL_DB_SOURCE"))))
    {
        const TmailRun init = env.run({ QStringLiteral("db"), QStringLiteral("init") });
        if (init.exitCode != 0)
        {
            return init;
        }
    }
    return env.run(args);
}

// `tmail tls check` resolves as deliverd does (the same DeliveryJob, connecting to nothing).
void TestTlsPolicy::tlsCheckGivesTheVerdict_data()
{
    QTest::addColumn<QString>("domain");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("DANE-EE") << QStringLiteral("ee.tlslab.test") << 0
                             << QStringLiteral(
                                    "TLS: dane (STARTTLS required, certificate must match 1 TLSA record(s))");
    QTest::newRow("DANE-TA") << QStringLiteral("ta.tlslab.test") << 0 << QStringLiteral("TLS: dane");
    QTest::newRow("unsigned") << QStringLiteral("unsigned.tlslab.test") << 0 << QStringLiteral("TLS: opportunistic");
    QTest::newRow("bogus") << QStringLiteral("bogus.tlslab.test") << 1
                           << QStringLiteral("not used: 4.7.5 mx.bogus.tlslab.test: DANE");
    QTest::newRow("null MX") << QStringLiteral("nullmx.tlslab.test") << 1
                             << QStringLiteral("Verdict: not deliverable: 5.1.10");
}

void TestTlsPolicy::tlsCheckGivesTheVerdict()
{
    QFETCH(QString, domain);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    TmailEnvironment env;
    QVERIFY(env.isValid());
    const TmailRun run = tmail(env, { QStringLiteral("tls"), QStringLiteral("check"), domain });
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(expected), qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("Verdict: ")), qPrintable(run.out));
    if (expected.startsWith(QLatin1String("TLS: dane")))
    {
        QVERIFY2(run.out.contains(QStringLiteral("DNSSEC: MX yes, address yes")), qPrintable(run.out));
    }
    // No delivery log line: nothing was attempted.
    QVERIFY2(!run.err.contains(QLatin1String("deferred")), qPrintable(run.err));
}

void TestTlsPolicy::tlsCheckFollowsMtaSts()
{
    writePolicy(QStringLiteral("sts-enforce.tlslab.test"),
        "version: STSv1\nmode: enforce\nmx: mx.elsewhere.tlslab.test\nmax_age: 600\n");
    writePolicy(QStringLiteral("sts-newid.tlslab.test"),
        "version: STSv1\nmode: enforce\nmx: *.sts-newid.tlslab.test\nmax_age: 600\n");
    writePolicy(QStringLiteral("sts-testing.tlslab.test"),
        "version: STSv1\nmode: testing\nmx: mx.elsewhere.tlslab.test\nmax_age: 600\n");
    QVERIFY(startHttps());
    TmailEnvironment env;
    QVERIFY(env.isValid());

    TmailRun run
        = tmail(env, { QStringLiteral("tls"), QStringLiteral("check"), QStringLiteral("sts-newid.tlslab.test") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("MTA-STS: enforce (max_age 600 s, mx: *.sts-newid.tlslab.test)")),
        qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("TLS: mta-sts (STARTTLS required, certificate valid for mx.sts-newid")),
        qPrintable(run.out));

    // Enforced, and the only MX is not in the policy: nothing can carry the mail.
    run = tmail(env, { QStringLiteral("tls"), QStringLiteral("check"), QStringLiteral("sts-enforce.tlslab.test") });
    QVERIFY2(run.exitCode == 1, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("not an MX host of the MTA-STS policy")), qPrintable(run.out));

    // Testing: delivered as before (the mismatch would only be reported).
    run = tmail(env, { QStringLiteral("tls"), QStringLiteral("check"), QStringLiteral("sts-testing.tlslab.test") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("MTA-STS: testing")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("TLS: opportunistic")), qPrintable(run.out));
}

// `tmail routes test ADDRESS`: a route beats the MX; without one, the MX; bad input exits 2.
void TestTlsPolicy::routesTestNamesTheRouteOrTheMx()
{
    TmailEnvironment env;
    QVERIFY(env.isValid());
    TmailRun run
        = tmail(env, { QStringLiteral("routes"), QStringLiteral("test"), QStringLiteral("rcpt@ee.tlslab.test") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("1. mx.ee.tlslab.test:25 (MX) [127.53.1.1]")), qPrintable(run.out));

    run = env.run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
        QStringLiteral("ee.tlslab.test"), QStringLiteral("-rh"), QStringLiteral("127.0.0.9"), QStringLiteral("-rp"),
        QStringLiteral("2525"), QStringLiteral("-s"), QStringLiteral("sender.test") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    // The route is for mail from sender.test only.
    run = tmail(env,
        { QStringLiteral("routes"), QStringLiteral("test"), QStringLiteral("rcpt@ee.tlslab.test"),
            QStringLiteral("--sender"), QStringLiteral("someone@sender.test") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("1. 127.0.0.9:2525 (route 1) [127.0.0.9]")), qPrintable(run.out));
    QVERIFY2(!run.out.contains(QStringLiteral("(MX)")), qPrintable(run.out));
    run = tmail(env,
        { QStringLiteral("routes"), QStringLiteral("test"), QStringLiteral("rcpt@ee.tlslab.test"),
            QStringLiteral("--sender"), QStringLiteral("someone@other.test") });
    QVERIFY2(run.out.contains(QStringLiteral("(MX)")), qPrintable(run.out));

    run = tmail(env, { QStringLiteral("routes"), QStringLiteral("test"), QStringLiteral("rcpt@nullmx.tlslab.test") });
    QVERIFY2(run.exitCode == 1, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("Verdict: not deliverable: 5.1.10")), qPrintable(run.out));

    for (const QStringList &bad : { QStringList { QStringLiteral("not-an-address") },
             QStringList { QStringLiteral("a@b.test"), QStringLiteral("--sender"), QStringLiteral("nope") },
             QStringList { QStringLiteral("a@b.test"), QStringLiteral("--bogus") }, QStringList() })
    {
        run = tmail(env, QStringList { QStringLiteral("routes"), QStringLiteral("test") } + bad);
        QVERIFY2(run.exitCode == 2, qPrintable(bad.join(QLatin1Char(' ')) + run.err));
    }
    run = tmail(env, { QStringLiteral("tls"), QStringLiteral("check"), QStringLiteral("not a domain") });
    QVERIFY2(run.exitCode == 2, qPrintable(run.err));
}

TmailRun TestTlsPolicy::tmailServing(TmailEnvironment &env, const QStringList &args)
{
    env.set(QStringLiteral("TMAIL_DNS_SERVERS"), m_resolver);
    env.set(QStringLiteral("TMAIL_DELIVERD_TLS_CA_FILE"), labFile(QStringLiteral("certs/ca.crt")));
    TmailRun result;
    if (!QFile::exists(env.processEnvironment().value(QStringLiteral("TMAIL_DB_SOURCE"))))
    {
        const TmailRun init = env.run({ QStringLiteral("db"), QStringLiteral("init") });
        if (init.exitCode != 0)
        {
            return init;
        }
    }
    QProcess process;
    process.setProcessEnvironment(env.processEnvironment());
    process.start(TmailEnvironment::tmailBinary(), args);
    if (!process.waitForStarted(10000))
    {
        return result;
    }
    process.closeWriteChannel();
    QElapsedTimer waited;
    waited.start();
    while (process.state() != QProcess::NotRunning && waited.elapsed() < 60000)
    {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    if (process.state() != QProcess::NotRunning)
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

// `tmail tls check --connect`: a real STARTTLS handshake to each host, its outcome and
// whether it meets the policy; exit 0 when one host does, 1 when none.
void TestTlsPolicy::tlsCheckConnectShakesHands_data()
{
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("cert"); // empty: no STARTTLS
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("DANE-EE match") << QStringLiteral("ee.tlslab.test") << QStringLiteral("127.53.1.1")
                                   << QStringLiteral("ee") << 0 << QStringLiteral("policy met");
    QTest::newRow("TLSA mismatch") << QStringLiteral("mismatch.tlslab.test") << QStringLiteral("127.53.1.2")
                                   << QStringLiteral("ee") << 1 << QStringLiteral("policy NOT met (tlsa-invalid)");
    QTest::newRow("DANE without STARTTLS")
        << QStringLiteral("nostarttls.tlslab.test") << QStringLiteral("127.53.1.3") << QString() << 1
        << QStringLiteral("policy NOT met (starttls-not-supported)");
    QTest::newRow("opportunistic in clear") << QStringLiteral("unsigned.tlslab.test") << QStringLiteral("127.53.1.4")
                                            << QString() << 0 << QStringLiteral("no STARTTLS, clear text; policy met");
}

void TestTlsPolicy::tlsCheckConnectShakesHands()
{
    QFETCH(QString, domain);
    QFETCH(QString, address);
    QFETCH(QString, cert);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    TestSmtpSink sink;
    if (cert.isEmpty())
    {
        QVERIFY2(sink.listen(QHostAddress(address), 25), qPrintable(sink.errorString()));
    }
    else
    {
        tlsSink(sink, address.toLatin1().constData(), cert);
    }
    TmailEnvironment env;
    QVERIFY(env.isValid());
    const TmailRun run
        = tmailServing(env, { QStringLiteral("tls"), QStringLiteral("check"), domain, QStringLiteral("--connect") });
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("connect %1: ").arg(address)), qPrintable(run.out));
    QVERIFY2(run.out.contains(expected), qPrintable(run.out));
    if (!cert.isEmpty())
    {
        QVERIFY2(run.out.contains(QStringLiteral("TLSv1.")), qPrintable(run.out));
        QVERIFY2(
            run.out.contains(QStringLiteral("certificate subject \"%1\"").arg(certificate(cert).subjectDisplayName())),
            qPrintable(run.out));
    }
    QCOMPARE(sink.sessions, 1);
    QCOMPARE(sink.messages.size(), 0);
    for (const QString &command : std::as_const(sink.commands))
    {
        QVERIFY2(!command.toUpper().startsWith(QLatin1String("MAIL")), qPrintable(command));
    }
}

// TLS reporting (RFC 8460): a delivery under an MTA-STS testing policy whose MX is not
// in the policy counts one success and one validation-failure; the domain publishes
// _smtp._tls with a mailto: rua, so the day's report goes out once through the queue,
// as a gzipped JSON attachment that Python reads.
// "CONTENT-TYPE POLICY-DOMAIN SUCCESSFUL FAILED" of the report posted as number n in dir,
// read by Python's gzip and json, not by tmail's code.
QString TestTlsPolicy::readPostedReport(const QString &dir, int n)
{
    QFile type(QStringLiteral("%1/%2.type").arg(dir).arg(n));
    if (!type.open(QIODevice::ReadOnly))
        return QStringLiteral("no report %1 in %2").arg(n).arg(dir);
    QProcess python;
    python.start(QStringLiteral("python3"),
        { QStringLiteral("-c"),
            QStringLiteral("import gzip, json, sys\n"
                           "p = json.load(gzip.open(sys.argv[1]))['policies'][0]\n"
                           "print(p['policy']['policy-domain'], p['summary']['total-successful-session-count'],\n"
                           "  p['summary']['total-failure-session-count'])\n"),
            QStringLiteral("%1/%2.body").arg(dir).arg(n) });
    if (!python.waitForFinished(20000) || python.exitCode() != 0)
        return QString::fromUtf8(python.readAllStandardError());
    return QString::fromUtf8(type.readAll()).trimmed() + QLatin1Char(' ')
        + QString::fromUtf8(python.readAllStandardOutput()).trimmed();
}

void TestTlsPolicy::tlsReportIsCountedAndMailed()
{
    writePolicy(QStringLiteral("sts-testing.tlslab.test"),
        "version: STSv1\nmode: testing\nmx: mx.elsewhere.tlslab.test\nmax_age: 600\n");
    QVERIFY(startHttps());
    m_config.deliverdTlsCaFile = labFile(QStringLiteral("certs/ca.crt"));
    TestSmtpSink sink;
    tlsSink(sink, "127.53.1.22", QStringLiteral("ee"));
    // reports.tlslab.test has no MX: a route takes its mail to a sink of this test.
    TestSmtpSink reports;
    QVERIFY(reports.listen(QHostAddress::LocalHost, 0));
    Route route;
    route.recipientDomain = Domain::parse(QStringLiteral("reports.tlslab.test")).value();
    route.remoteHost = QStringLiteral("127.0.0.1");
    route.remotePort = reports.serverPort();
    QVERIFY(RouteService(*m_db).add(route));
    enqueue(QStringLiteral("rcpt@sts-testing.tlslab.test"));
    auto deliverd = startDeliverd();
    QVERIFY(deliverd);
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), 1, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(queueCount(), 0, 10000);

    const QDate today = QDateTime::currentDateTimeUtc().date();
    deliverd->sendTlsReports(today);
    QTRY_COMPARE_WITH_TIMEOUT(reports.messages.size(), 1, 20000);
    const SinkMessage report = reports.messages.first();
    QCOMPARE(report.sender, QStringLiteral("postmaster@tmail.test"));
    QCOMPARE(report.recipients, QStringList { QStringLiteral("tlsrpt@reports.tlslab.test") });
    const QByteArray &data = report.data;
    QVERIFY2(data.contains("\r\nTLS-Report-Domain: sts-testing.tlslab.test\r\n"), data.constData());
    QVERIFY2(data.contains("\r\nTLS-Report-Submitter: tmail.test\r\n"), data.constData());
    QVERIFY2(data.contains("Subject: Report Domain: sts-testing.tlslab.test Submitter: tmail.test Report-ID: <"),
        data.constData());
    QVERIFY2(data.contains("Content-Type: multipart/report; report-type=\"tlsrpt\""), data.constData());
    QVERIFY2(data.contains("Content-Type: application/tlsrpt+gzip"), data.constData());
    const QByteArray fileName = QStringLiteral("filename=\"tmail.test!sts-testing.tlslab.test!%1!%2.json.gz\"")
                                    .arg(QDateTime(today, QTime(0, 0), QTimeZone::utc()).toSecsSinceEpoch())
                                    .arg(QDateTime(today, QTime(23, 59, 59), QTimeZone::utc()).toSecsSinceEpoch())
                                    .toLatin1();
    const qsizetype at = data.indexOf(fileName);
    QVERIFY2(at > 0, data.constData());
    const qsizetype start = data.indexOf("\r\n\r\n", at) + 4;
    const qsizetype end = data.indexOf("\r\n--", start);
    QVERIFY(start > 4 && end > start);
    QTemporaryDir work;
    QVERIFY(work.isValid());
    QFile gz(work.filePath(QStringLiteral("report.json.gz")));
    QVERIFY(gz.open(QIODevice::WriteOnly));
    gz.write(QByteArray::fromBase64(data.mid(start, end - start)));
    gz.close();
    QProcess python;
    python.start(QStringLiteral("python3"),
        { QStringLiteral("-c"),
            QStringLiteral(
                "import gzip, json, sys\n"
                "r = json.load(gzip.open(sys.argv[1]))\n"
                "p = r['policies'][0]\n"
                "print(json.dumps({'org': r['organization-name'], 'start': r['date-range']['start-datetime'],\n"
                "  'end': r['date-range']['end-datetime'], 'id': r['report-id'], 'policies': len(r['policies']),\n"
                "  'type': p['policy']['policy-type'], 'domain': p['policy']['policy-domain'],\n"
                "  'string': p['policy']['policy-string'],\n"
                "  'ok': p['summary']['total-successful-session-count'],\n"
                "  'failed': p['summary']['total-failure-session-count'],\n"
                "  'results': [d['result-type'] for d in p['failure-details']],\n"
                "  'mx': [d.get('receiving-mx-hostname') for d in p['failure-details']]}))\n"),
            gz.fileName() });
    QVERIFY(python.waitForFinished(20000));
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    const QJsonObject summary = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
    QCOMPARE(summary.value(QStringLiteral("org")).toString(), QStringLiteral("tmail.test"));
    const QString day = today.toString(Qt::ISODate);
    QCOMPARE(summary.value(QStringLiteral("start")).toString(), day + QStringLiteral("T00:00:00Z"));
    QCOMPARE(summary.value(QStringLiteral("end")).toString(), day + QStringLiteral("T23:59:59Z"));
    QCOMPARE(summary.value(QStringLiteral("policies")).toInt(), 1);
    QCOMPARE(summary.value(QStringLiteral("type")).toString(), QStringLiteral("sts"));
    QCOMPARE(summary.value(QStringLiteral("domain")).toString(), QStringLiteral("sts-testing.tlslab.test"));
    QVERIFY(summary.value(QStringLiteral("string")).toArray().contains(QStringLiteral("mode: testing")));
    QCOMPARE(summary.value(QStringLiteral("ok")).toInt(), 1);
    QCOMPARE(summary.value(QStringLiteral("failed")).toInt(), 1);
    QCOMPARE(summary.value(QStringLiteral("results")).toArray(), QJsonArray { QStringLiteral("validation-failure") });
    QCOMPARE(
        summary.value(QStringLiteral("mx")).toArray(), QJsonArray { QStringLiteral("mx.sts-testing.tlslab.test") });

    // The https: address of the record got the same report by POST (RFC 8460 §5.4).
    const QString posted = m_www.filePath(QStringLiteral("mta-sts.sts-testing.tlslab.test/posted"));
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(posted + QStringLiteral("/1.body")), 20000);
    QCOMPARE(readPostedReport(posted, 1), QStringLiteral("application/tlsrpt+gzip sts-testing.tlslab.test 1 1"));

    // Once per domain and day: asking again sends nothing.
    deliverd->sendTlsReports(today);
    QTest::qWait(1500);
    QCOMPARE(reports.messages.size(), 1);
    QVERIFY(!QFile::exists(posted + QStringLiteral("/2.body")));

    // `tmail tls report` shows the day's counts.
    TmailEnvironment env;
    QVERIFY(env.isValid());
    env.set(QStringLiteral("TMAIL_DB_SOURCE"), m_config.db.sqlitePath);
    TmailRun run
        = tmail(env, { QStringLiteral("tls"), QStringLiteral("report"), QStringLiteral("sts-testing.tlslab.test") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("validation-failure")), qPrintable(run.out));
    QVERIFY2(
        run.out.contains(QStringLiteral("sts-testing.tlslab.test: 1 successful, 1 failed TLS session(s) on ") + day),
        qPrintable(run.out));
    run = tmail(env,
        { QStringLiteral("tls"), QStringLiteral("report"), QStringLiteral("--send"), QStringLiteral("--day"), day });
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("No TLS report to send")), qPrintable(run.out));

    // `tmail tls report --send` mails and posts a domain's report itself.
    TlsSessionCount enforced;
    enforced.policyDomain = QStringLiteral("sts-enforce.tlslab.test");
    enforced.day = day;
    enforced.policyType = QStringLiteral("sts");
    enforced.mxHost = QStringLiteral("mx.sts-enforce.tlslab.test");
    enforced.sessions = 3;
    QVERIFY(TlsReportTable(*m_db).add({ enforced }));
    env.set(QStringLiteral("TMAIL_DNS_SERVERS"), m_resolver);
    env.set(QStringLiteral("TMAIL_DELIVERD_TLS_CA_FILE"), labFile(QStringLiteral("certs/ca.crt")));
    run = tmail(env,
        { QStringLiteral("tls"), QStringLiteral("report"), QStringLiteral("--send"), QStringLiteral("--day"), day });
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("TLS report of sts-enforce.tlslab.test for %1 queued as ").arg(day)),
        qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("TLS report of sts-enforce.tlslab.test for %1 posted to "
                                             "https://mta-sts.sts-enforce.tlslab.test/tlsrpt.")
                                  .arg(day)),
        qPrintable(run.out));
    QCOMPARE(readPostedReport(m_www.filePath(QStringLiteral("mta-sts.sts-enforce.tlslab.test/posted")), 1),
        QStringLiteral("application/tlsrpt+gzip sts-enforce.tlslab.test 3 0"));
    run = tmail(
        env, { QStringLiteral("tls"), QStringLiteral("report"), QStringLiteral("--day"), QStringLiteral("yesterday") });
    QCOMPARE(run.exitCode, 2);
}

#include "tst_tlspolicy.moc"
