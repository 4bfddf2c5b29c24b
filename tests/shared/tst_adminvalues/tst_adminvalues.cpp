// AdminValues: what a route field, a credential or a queue id accepts, in which canonical
// form, and that every refusal is InvalidInput (exit status 2, "invalid_param").
#include <QTest>

#include "core/adminvalues.h"
#include "manager/managerprotocol.h"

class TestAdminValues : public QObject
{
    Q_OBJECT

private slots:
    void remoteHost_data();
    void remoteHost();
    void portAndPriorityBounds();
    void optionalFiltersMayBeEmpty();
    void refusesBadFilters();
    void localIps();
    void routeTlsPolicies();
    void credentials();
    void printableQuotesClientTextOnOneLine();
    void queueIds_data();
    void queueIds();
    void routeIds();
    void dkimDomains_data();
    void dkimDomains();
    void dkimSelectorsAndKeySizes();
    void errorKindsMapToManagerCodes();
};

void TestAdminValues::remoteHost_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical"); // empty: refused
    QTest::newRow("name") << QStringLiteral("MX.Example.COM") << QStringLiteral("mx.example.com");
    QTest::newRow("trimmed") << QStringLiteral("  smtp.example.net ") << QStringLiteral("smtp.example.net");
    QTest::newRow("ipv4") << QStringLiteral("192.0.2.25") << QStringLiteral("192.0.2.25");
    QTest::newRow("ipv6 canonical") << QStringLiteral("2001:DB8:0::1") << QStringLiteral("2001:db8::1");
    QTest::newRow("cidr is no host") << QStringLiteral("192.0.2.0/24") << QString();
    QTest::newRow("space") << QStringLiteral("bad host") << QString();
    QTest::newRow("shell") << QStringLiteral("h_.com;rm") << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("bad ipv4 is no name") << QStringLiteral("300.1.1.1") << QString();
}

void TestAdminValues::remoteHost()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    const Expected<QString> host = AdminValues::remoteHost(text);
    if (canonical.isEmpty())
    {
        QVERIFY(!host);
        QCOMPARE(host.kind(), ErrorKind::InvalidInput);
        QVERIFY2(host.error().contains(QLatin1String("not a host name or an IP address")), qPrintable(host.error()));
    }
    else
    {
        QVERIFY2(host, qPrintable(host.error()));
        QCOMPARE(host.value(), canonical);
    }
}

void TestAdminValues::portAndPriorityBounds()
{
    QCOMPARE(AdminValues::port(QStringLiteral("25")).value(), quint16(25));
    QCOMPARE(AdminValues::port(65535).value(), quint16(65535));
    QVERIFY(!AdminValues::port(QStringLiteral("0")));
    QVERIFY(!AdminValues::port(70000));
    QVERIFY(!AdminValues::port(QStringLiteral("smtp")));
    QVERIFY(AdminValues::port(QStringLiteral("70000")).error().contains(QLatin1String("1-65535")));
    QCOMPARE(AdminValues::port(QStringLiteral("x")).kind(), ErrorKind::InvalidInput);

    QCOMPARE(AdminValues::priority(QStringLiteral("0")).value(), 0);
    QCOMPARE(AdminValues::priority(1000000).value(), 1000000);
    QVERIFY(!AdminValues::priority(-1));
    QVERIFY(!AdminValues::priority(QStringLiteral("1000001")));
    QVERIFY(!AdminValues::priority(QStringLiteral("high")));
}

void TestAdminValues::optionalFiltersMayBeEmpty()
{
    QCOMPARE(AdminValues::senderDomain(QStringLiteral("  ")).value(), QString());
    QCOMPARE(AdminValues::authUser(QString()).value(), QString());
    QCOMPARE(AdminValues::localIps(QString()).value(), QString());
    QCOMPARE(AdminValues::senderDomain(QStringLiteral("Example.COM")).value(), QStringLiteral("example.com"));
    QCOMPARE(AdminValues::authUser(QStringLiteral(" alice@Example.com ")).value(), QStringLiteral("alice@example.com"));
}

void TestAdminValues::refusesBadFilters()
{
    const Expected<QString> sender = AdminValues::senderDomain(QStringLiteral("x.com'--"));
    QVERIFY(!sender);
    QCOMPARE(sender.kind(), ErrorKind::InvalidInput);
    const Expected<QString> user = AdminValues::authUser(QStringLiteral("a@b@c.com"));
    QVERIFY(!user);
    QCOMPARE(user.kind(), ErrorKind::InvalidInput);
}

void TestAdminValues::localIps()
{
    QCOMPARE(
        AdminValues::localIps(QStringLiteral(" 192.0.2.1|192.0.2.2 ")).value(), QStringLiteral("192.0.2.1|192.0.2.2"));
    const Expected<QString> bad = AdminValues::localIps(QStringLiteral("1.2.3|nope"));
    QVERIFY(!bad);
    QCOMPARE(bad.kind(), ErrorKind::InvalidInput);
}

void TestAdminValues::routeTlsPolicies()
{
    QCOMPARE(AdminValues::routeTls(QString()).value(), QStringLiteral("opportunistic"));
    QCOMPARE(AdminValues::routeTls(QStringLiteral(" DANE ")).value(), QStringLiteral("dane"));
    for (const QString &policy : AdminValues::routeTlsPolicies())
        QCOMPARE(AdminValues::routeTls(policy).value(), policy);
    QCOMPARE(AdminValues::routeTlsPolicies().first(), QStringLiteral("opportunistic"));
    for (const QString &bad : { QStringLiteral("strict"), QStringLiteral("dane verify"), QStringLiteral("tls\n") })
    {
        const Expected<QString> refused = AdminValues::routeTls(bad);
        QVERIFY(!refused);
        QCOMPARE(refused.kind(), ErrorKind::InvalidInput);
        QVERIFY2(!refused.error().contains(QLatin1Char('\n')), qPrintable(refused.error()));
    }
}

void TestAdminValues::credentials()
{
    QVERIFY(AdminValues::credential(QStringLiteral("S3cret pass")));
    QVERIFY(AdminValues::credential(QString())); // emptiness is the caller's rule
    const Status control = AdminValues::credential(QStringLiteral("a\nb"));
    QVERIFY(!control);
    QCOMPARE(control.kind(), ErrorKind::InvalidInput);
    QVERIFY(control.error().contains(QLatin1String("control")));
    QVERIFY(!AdminValues::credential(QStringLiteral("a") + QChar(0) + QStringLiteral("b")));
    QVERIFY(!AdminValues::credential(QString(QChar(0xd800)))); // a lone surrogate
    QVERIFY(AdminValues::credential(QString(320, QLatin1Char('u')), AdminValues::MaxSmtpUserLength));
    QVERIFY(!AdminValues::credential(QString(321, QLatin1Char('u')), AdminValues::MaxSmtpUserLength));
}

void TestAdminValues::printableQuotesClientTextOnOneLine()
{
    QCOMPARE(AdminValues::printable(QStringLiteral("example.com")), QStringLiteral("example.com"));
    QCOMPARE(AdminValues::printable(QStringLiteral("a\r\nfake line\x01")), QStringLiteral("a??fake line?"));
    QCOMPARE(AdminValues::printable(QStringLiteral("x") + QChar(0x2028) + QStringLiteral("y")), QStringLiteral("x?y"));
    QCOMPARE(AdminValues::printable(QString(300, u'a')), QString(AdminValues::MaxLoggedText, u'a') + QChar(0x2026));
    QCOMPARE(AdminValues::printable(QStringLiteral("abcdef"), 3), QStringLiteral("abc") + QChar(0x2026));
}

void TestAdminValues::queueIds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical"); // empty: refused
    const QString lower = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
    QTest::newRow("lower") << lower << lower;
    QTest::newRow("upper") << lower.toUpper() << lower;
    QTest::newRow("spaces") << (QStringLiteral(" ") + lower + QStringLiteral(" ")) << QString();
    QTest::newRow("newline") << (lower + QLatin1Char('\n')) << QString();
    QTest::newRow("short") << QStringLiteral("123") << QString();
    QTest::newRow("not hex") << QString(40, QLatin1Char('g')) << QString();
    QTest::newRow("41") << (lower + QLatin1Char('0')) << QString();
    QTest::newRow("path") << QStringLiteral("../../../../etc/passwd0123456789abcdef01") << QString();
}

void TestAdminValues::queueIds()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    const Expected<QString> id = AdminValues::queueId(text);
    if (canonical.isEmpty())
    {
        QVERIFY(!id);
        QCOMPARE(id.kind(), ErrorKind::InvalidInput);
        QVERIFY(id.error().contains(QLatin1String("40 hexadecimal")));
    }
    else
    {
        QVERIFY2(id, qPrintable(id.error()));
        QCOMPARE(id.value(), canonical);
    }
}

void TestAdminValues::routeIds()
{
    QCOMPARE(AdminValues::routeId(QStringLiteral("42")).value(), qint64(42));
    QVERIFY(!AdminValues::routeId(QStringLiteral("0")));
    QVERIFY(!AdminValues::routeId(QStringLiteral("-3")));
    QVERIFY(!AdminValues::routeId(QStringLiteral("abc")));
}

void TestAdminValues::dkimDomains_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical"); // empty: refused
    QTest::newRow("lower-cased") << QStringLiteral(" Example.COM ") << QStringLiteral("example.com");
    QTest::newRow("idn as a-labels") << QStringLiteral("bücher.example") << QStringLiteral("xn--bcher-kva.example");
    QTest::newRow("one label") << QStringLiteral("localhost") << QString();
    QTest::newRow("space") << QStringLiteral("not a domain") << QString();
    QTest::newRow("empty") << QString() << QString();
}

// The manager's DKIM dialog and the daemon's DkimService accept the same domains.
void TestAdminValues::dkimDomains()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    const Expected<QString> domain = AdminValues::dkimDomain(text);
    if (canonical.isEmpty())
    {
        QVERIFY(!domain);
        QCOMPARE(domain.kind(), ErrorKind::InvalidInput);
        QVERIFY2(domain.error().contains(QLatin1String("is not a domain")), qPrintable(domain.error()));
    }
    else
    {
        QVERIFY2(domain, qPrintable(domain.error()));
        QCOMPARE(domain.value(), canonical);
    }
}

void TestAdminValues::dkimSelectorsAndKeySizes()
{
    QVERIFY(AdminValues::isDkimSelector(QStringLiteral("tmail202612-rsa")));
    QVERIFY(AdminValues::isDkimSelector(QStringLiteral("s1")));
    QVERIFY(AdminValues::isDkimSelector(QString(63, QLatin1Char('a'))));
    QVERIFY(!AdminValues::isDkimSelector(QString(64, QLatin1Char('a'))));
    QVERIFY(!AdminValues::isDkimSelector(QStringLiteral("bad_selector")));
    QVERIFY(!AdminValues::isDkimSelector(QStringLiteral("-leading")));
    QVERIFY(!AdminValues::isDkimSelector(QStringLiteral("trailing-")));
    QVERIFY(!AdminValues::isDkimSelector(QStringLiteral("two.labels")));
    QVERIFY(!AdminValues::isDkimSelector(QString()));
    for (const int bits : { 2048, 3072, 4096 })
        QVERIFY(AdminValues::isDkimRsaBits(bits));
    for (const int bits : { 0, 1024, 2047, 8192 })
        QVERIFY(!AdminValues::isDkimRsaBits(bits));
}

void TestAdminValues::errorKindsMapToManagerCodes()
{
    using ManagerProtocol::ErrorCode;
    QCOMPARE(ManagerProtocol::errorCodeFor(ErrorKind::InvalidInput), ErrorCode::InvalidParam);
    QCOMPARE(ManagerProtocol::errorCodeFor(ErrorKind::NotFound), ErrorCode::NotFound);
    QCOMPARE(ManagerProtocol::errorCodeFor(ErrorKind::AlreadyExists), ErrorCode::AlreadyExists);
    QCOMPARE(ManagerProtocol::errorCodeFor(ErrorKind::Unavailable), ErrorCode::Database);
    QCOMPARE(ManagerProtocol::errorCodeFor(ErrorKind::PermissionDenied), ErrorCode::PermissionDenied);
    QCOMPARE(ManagerProtocol::errorCodeFor(ErrorKind::Internal), ErrorCode::Internal);
    QCOMPARE(ManagerProtocol::errorCodeName(ErrorCode::PermissionDenied), QStringLiteral("permission_denied"));

    // A failed operation becomes a response with its code; only bad input names a field.
    using ManagerProtocol::Response;
    const Response invalid = Response::failure(
        7, Status::failure(ErrorKind::InvalidInput, QStringLiteral("bad")), QStringLiteral("remoteHost"));
    QCOMPARE(invalid.error, ErrorCode::InvalidParam);
    QCOMPARE(invalid.field, QStringLiteral("remoteHost"));
    const Response exists = Response::failure(
        8, Expected<int>::failure(ErrorKind::AlreadyExists, QStringLiteral("there")), QStringLiteral("domain"));
    QCOMPARE(exists.error, ErrorCode::AlreadyExists);
    QCOMPARE(exists.field, QString());
    QCOMPARE(exists.message, QStringLiteral("there"));
}

QTEST_GUILESS_MAIN(TestAdminValues)
#include "tst_adminvalues.moc"
