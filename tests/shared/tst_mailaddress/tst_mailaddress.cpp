// Domain, MailAddress and IpRange: what the edge accepts, and the open-relay tricks it refuses.
#include <QTest>

#include "core/domain.h"
#include "core/iprange.h"
#include "core/mailaddress.h"

class TestMailAddress : public QObject
{
    Q_OBJECT

private slots:
    void parsesDomain_data();
    void parsesDomain();
    void refusesLookAlikeDomain();

    void parsesAddress_data();
    void parsesAddress();
    void comparesDomainsCaseInsensitively();
    void allowsUtf8OnlyWithSmtputf8();

    void parsesPath_data();
    void parsesPath();

    void parsesIpRange_data();
    void parsesIpRange();
    void matchesIpRange_data();
    void matchesIpRange();
};

void TestMailAddress::parsesDomain_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // empty: refused

    QTest::newRow("simple") << QStringLiteral("example.com") << QStringLiteral("example.com");
    QTest::newRow("upper case folded") << QStringLiteral("MAIL.Example.COM") << QStringLiteral("mail.example.com");
    QTest::newRow("single label") << QStringLiteral("localhost") << QStringLiteral("localhost");
    QTest::newRow("hyphen inside") << QStringLiteral("a-b.example") << QStringLiteral("a-b.example");
    QTest::newRow("trailing dot dropped") << QStringLiteral("example.com.") << QStringLiteral("example.com");
    QTest::newRow("IDN to A-label") << QStringLiteral("bücher.de") << QStringLiteral("xn--bcher-kva.de");
    QTest::newRow("63-octet label") << QString(63, QLatin1Char('a')) + QStringLiteral(".com")
                                    << QString(63, QLatin1Char('a')) + QStringLiteral(".com");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("only a dot") << QStringLiteral(".") << QString();
    QTest::newRow("leading hyphen") << QStringLiteral("-a.com") << QString();
    QTest::newRow("trailing hyphen") << QStringLiteral("a-.com") << QString();
    QTest::newRow("empty label") << QStringLiteral("a..com") << QString();
    QTest::newRow("leading dot") << QStringLiteral(".a.com") << QString();
    QTest::newRow("space") << QStringLiteral("a b.com") << QString();
    QTest::newRow("underscore") << QStringLiteral("a_b.com") << QString();
    QTest::newRow("address literal") << QStringLiteral("[127.0.0.1]") << QString();
    QTest::newRow("percent hack") << QStringLiteral("a%b.com") << QString();
    QTest::newRow("bang path") << QStringLiteral("b.com!c.com") << QString();
    QTest::newRow("at sign") << QStringLiteral("a@b.com") << QString();
    QTest::newRow("two trailing dots") << QStringLiteral("example.com..") << QString();
    QTest::newRow("dotted IP") << QStringLiteral("1.2.3.4") << QString();
    QTest::newRow("numeric top label") << QStringLiteral("example.123") << QString();
    QTest::newRow("64-octet label") << QString(64, QLatin1Char('a')) + QStringLiteral(".com") << QString();
    QString longName;
    while (longName.size() < 254)
        longName += QStringLiteral("abcdefghi.");
    longName += QStringLiteral("com");
    QTest::newRow("longer than 253") << longName << QString();
}

void TestMailAddress::parsesDomain()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const Expected<Domain> domain = Domain::parse(text);
    if (expected.isEmpty())
    {
        QVERIFY2(!domain.ok(), qPrintable(domain.ok() ? domain->name() : QString()));
        QVERIFY(!domain.error().isEmpty());
    }
    else
    {
        QVERIFY2(domain.ok(), qPrintable(domain.error()));
        QCOMPARE(domain->name(), expected);
    }
}

void TestMailAddress::refusesLookAlikeDomain()
{
    // "exаmple.com" with a Cyrillic 'а' (U+0430) must never equal example.com.
    const QString lookAlike = QStringLiteral("ex") + QChar(0x0430) + QStringLiteral("mple.com");
    const Expected<Domain> real = Domain::parse(QStringLiteral("example.com"));
    QVERIFY(real.ok());
    const Expected<Domain> fake = Domain::parse(lookAlike);
    if (fake.ok())
    {
        QVERIFY(!(fake.value() == real.value()));
        QVERIFY(fake->name().startsWith(QLatin1String("xn--")));
    }
    const Expected<MailAddress> fakeAddress = MailAddress::parse(QStringLiteral("user@") + lookAlike, true);
    if (fakeAddress.ok())
        QVERIFY(!(fakeAddress->domain() == real.value()));
    // Without SMTPUTF8 it is not even an address.
    QVERIFY(!MailAddress::parse(QStringLiteral("user@") + lookAlike).ok());
}

void TestMailAddress::parsesAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("localPart");
    QTest::addColumn<QString>("domain");

    QTest::newRow("simple") << QStringLiteral("user@example.com") << true << QStringLiteral("user")
                            << QStringLiteral("example.com");
    QTest::newRow("dots and plus") << QStringLiteral("first.last+tag@example.com") << true
                                   << QStringLiteral("first.last+tag") << QStringLiteral("example.com");
    QTest::newRow("local case kept, domain folded")
        << QStringLiteral("User@EXAMPLE.Com") << true << QStringLiteral("User") << QStringLiteral("example.com");
    QTest::newRow("percent hack stays local")
        << QStringLiteral("a%b.com@x.com") << true << QStringLiteral("a%b.com") << QStringLiteral("x.com");
    QTest::newRow("quoted local part with @")
        << QStringLiteral("\"a@b\"@c.com") << true << QStringLiteral("\"a@b\"") << QStringLiteral("c.com");
    QTest::newRow("quoted with escaped quote")
        << QStringLiteral("\"a\\\"b\"@c.com") << true << QStringLiteral("\"a\\\"b\"") << QStringLiteral("c.com");
    const QString local64(64, QLatin1Char('l'));
    const QString domain189 = QString(63, QLatin1Char('d')) + QLatin1Char('.') + QString(63, QLatin1Char('d'))
        + QLatin1Char('.') + QString(61, QLatin1Char('d'));
    QTest::newRow("254 characters") << local64 + QLatin1Char('@') + domain189 << true << local64 << domain189;

    QTest::newRow("two @") << QStringLiteral("a@b@c.com") << false << QString() << QString();
    QTest::newRow("bare IP domain") << QStringLiteral("user@127.0.0.1") << false << QString() << QString();
    QTest::newRow("bang path") << QStringLiteral("b.com!user") << false << QString() << QString();
    QTest::newRow("address literal") << QStringLiteral("user@[127.0.0.1]") << false << QString() << QString();
    QTest::newRow("trailing dot") << QStringLiteral("user@example.com.") << false << QString() << QString();
    QTest::newRow("empty") << QString() << false << QString() << QString();
    QTest::newRow("no local part") << QStringLiteral("@example.com") << false << QString() << QString();
    QTest::newRow("no domain") << QStringLiteral("user@") << false << QString() << QString();
    QTest::newRow("leading dot") << QStringLiteral(".user@x.com") << false << QString() << QString();
    QTest::newRow("double dot") << QStringLiteral("us..er@x.com") << false << QString() << QString();
    QTest::newRow("space") << QStringLiteral("us er@x.com") << false << QString() << QString();
    QTest::newRow("angle brackets") << QStringLiteral("<user@x.com>") << false << QString() << QString();
    QTest::newRow("unterminated quote") << QStringLiteral("\"user@x.com") << false << QString() << QString();
    QTest::newRow("text after quote") << QStringLiteral("\"a\"b@x.com") << false << QString() << QString();
    QTest::newRow("CRLF injection") << QStringLiteral("user@x.com\r\nRCPT TO:<v@y.com>") << false << QString()
                                    << QString();
    QTest::newRow("local part 65") << QString(65, QLatin1Char('l')) + QStringLiteral("@x.com") << false << QString()
                                   << QString();
    QTest::newRow("255 characters") << local64 + QLatin1Char('@') + domain189 + QLatin1Char('d') << false << QString()
                                    << QString();
    QTest::newRow("percent in domain") << QStringLiteral("user@a%b.com") << false << QString() << QString();
}

void TestMailAddress::parsesAddress()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, localPart);
    QFETCH(QString, domain);
    const Expected<MailAddress> address = MailAddress::parse(text);
    if (!valid)
    {
        QVERIFY2(!address.ok(), qPrintable(address.ok() ? address->toString() : QString()));
        QVERIFY(!address.error().isEmpty());
        return;
    }
    QVERIFY2(address.ok(), qPrintable(address.error()));
    QCOMPARE(address->localPart(), localPart);
    QCOMPARE(address->domain().name(), domain);
    QCOMPARE(address->toString(), localPart + QLatin1Char('@') + domain);
}

void TestMailAddress::comparesDomainsCaseInsensitively()
{
    const Expected<MailAddress> upper = MailAddress::parse(QStringLiteral("user@EXAMPLE.COM"));
    const Expected<MailAddress> lower = MailAddress::parse(QStringLiteral("user@example.com"));
    QVERIFY(upper.ok() && lower.ok());
    QVERIFY(upper->domain() == lower->domain());
    QVERIFY(upper.value() == lower.value());
}

void TestMailAddress::allowsUtf8OnlyWithSmtputf8()
{
    QVERIFY(!MailAddress::parse(QStringLiteral("usér@example.com")).ok());
    const Expected<MailAddress> utf8 = MailAddress::parse(QStringLiteral("usér@bücher.de"), true);
    QVERIFY2(utf8.ok(), qPrintable(utf8.error()));
    QCOMPARE(utf8->domain().name(), QStringLiteral("xn--bcher-kva.de"));
}

void TestMailAddress::parsesPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("address"); // empty: refused

    QTest::newRow("simple") << QStringLiteral("<user@example.com>") << QStringLiteral("user@example.com");
    QTest::newRow("source route stripped") << QStringLiteral("<@a.com:user@b.com>") << QStringLiteral("user@b.com");
    QTest::newRow("long source route stripped")
        << QStringLiteral("<@a.com,@c.com:user@b.com>") << QStringLiteral("user@b.com");
    QTest::newRow("quoted local part") << QStringLiteral("<\"a@b\"@c.com>") << QStringLiteral("\"a@b\"@c.com");
    QTest::newRow("percent hack") << QStringLiteral("<a%b.com@x.com>") << QStringLiteral("a%b.com@x.com");
    QTest::newRow("domain folded") << QStringLiteral("<u@B.COM>") << QStringLiteral("u@b.com");

    QTest::newRow("no brackets") << QStringLiteral("user@example.com") << QString();
    QTest::newRow("null path") << QStringLiteral("<>") << QString();
    QTest::newRow("open bracket only") << QStringLiteral("<user@example.com") << QString();
    QTest::newRow("route without colon") << QStringLiteral("<@a.com user@b.com>") << QString();
    QTest::newRow("empty route hop") << QStringLiteral("<@:user@b.com>") << QString();
    QTest::newRow("bad route hop") << QStringLiteral("<@a_b.com:user@b.com>") << QString();
    QTest::newRow("trailing dot") << QStringLiteral("<user@example.com.>") << QString();
    QTest::newRow("bang path") << QStringLiteral("<b.com!user>") << QString();
    QTest::newRow("address literal") << QStringLiteral("<user@[127.0.0.1]>") << QString();
    QTest::newRow("two @") << QStringLiteral("<a@b@c.com>") << QString();
    QTest::newRow("route to two @") << QStringLiteral("<@a.com:u@b@c.com>") << QString();
    QTest::newRow("nested brackets") << QStringLiteral("<<user@example.com>>") << QString();
}

void TestMailAddress::parsesPath()
{
    QFETCH(QString, path);
    QFETCH(QString, address);
    const Expected<MailAddress> parsed = MailAddress::parsePath(path);
    if (address.isEmpty())
    {
        QVERIFY2(!parsed.ok(), qPrintable(parsed.ok() ? parsed->toString() : QString()));
        return;
    }
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(parsed->toString(), address);
}

void TestMailAddress::parsesIpRange_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // toString(); empty: refused

    QTest::newRow("IPv4 address") << QStringLiteral("192.0.2.1") << QStringLiteral("192.0.2.1");
    QTest::newRow("IPv4 /32") << QStringLiteral("192.0.2.1/32") << QStringLiteral("192.0.2.1");
    QTest::newRow("IPv4 CIDR") << QStringLiteral("192.0.2.0/24") << QStringLiteral("192.0.2.0/24");
    QTest::newRow("IPv4 everything") << QStringLiteral("0.0.0.0/0") << QStringLiteral("0.0.0.0/0");
    QTest::newRow("IPv6 address") << QStringLiteral("2001:db8::1") << QStringLiteral("2001:db8::1");
    QTest::newRow("IPv6 CIDR") << QStringLiteral("2001:db8::/32") << QStringLiteral("2001:db8::/32");
    QTest::newRow("IPv4-mapped address") << QStringLiteral("::ffff:192.0.2.1") << QStringLiteral("192.0.2.1");
    QTest::newRow("surrounding blanks") << QStringLiteral(" 10.0.0.0/8 ") << QStringLiteral("10.0.0.0/8");

    QTest::newRow("IPv4 host bits") << QStringLiteral("192.0.2.1/24") << QString();
    QTest::newRow("IPv6 host bits") << QStringLiteral("2001:db8::1/32") << QString();
    QTest::newRow("prefix too long") << QStringLiteral("192.0.2.0/33") << QString();
    QTest::newRow("IPv6 prefix too long") << QStringLiteral("2001:db8::/129") << QString();
    QTest::newRow("negative prefix") << QStringLiteral("192.0.2.0/-1") << QString();
    QTest::newRow("netmask form") << QStringLiteral("192.0.2.0/255.255.255.0") << QString();
    QTest::newRow("junk after prefix") << QStringLiteral("192.0.2.0/24x") << QString();
    QTest::newRow("empty prefix") << QStringLiteral("192.0.2.0/") << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("host name") << QStringLiteral("example.com") << QString();
    QTest::newRow("octet out of range") << QStringLiteral("300.1.1.1") << QString();
}

void TestMailAddress::parsesIpRange()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const Expected<IpRange> range = IpRange::parse(text);
    if (expected.isEmpty())
    {
        QVERIFY2(!range.ok(), qPrintable(range.ok() ? range->toString() : QString()));
        QVERIFY(!range.error().isEmpty());
        return;
    }
    QVERIFY2(range.ok(), qPrintable(range.error()));
    QCOMPARE(range->toString(), expected);
    // What toString() gives parses back to the same range.
    const Expected<IpRange> again = IpRange::parse(range->toString());
    QVERIFY(again.ok());
    QVERIFY(again.value() == range.value());
}

void TestMailAddress::matchesIpRange_data()
{
    QTest::addColumn<QString>("range");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("contained");

    QTest::newRow("v4 exact") << QStringLiteral("192.0.2.1") << QStringLiteral("192.0.2.1") << true;
    QTest::newRow("v4 exact other") << QStringLiteral("192.0.2.1") << QStringLiteral("192.0.2.2") << false;
    QTest::newRow("v4 in /24") << QStringLiteral("192.0.2.0/24") << QStringLiteral("192.0.2.200") << true;
    QTest::newRow("v4 outside /24") << QStringLiteral("192.0.2.0/24") << QStringLiteral("192.0.3.1") << false;
    QTest::newRow("v4 /0") << QStringLiteral("0.0.0.0/0") << QStringLiteral("203.0.113.9") << true;
    QTest::newRow("v6 in /32") << QStringLiteral("2001:db8::/32") << QStringLiteral("2001:db8:1::1") << true;
    QTest::newRow("v6 outside /32") << QStringLiteral("2001:db8::/32") << QStringLiteral("2001:db9::1") << false;
    QTest::newRow("v4-mapped client in v4 range")
        << QStringLiteral("192.0.2.0/24") << QStringLiteral("::ffff:192.0.2.5") << true;
    QTest::newRow("v4-mapped client outside")
        << QStringLiteral("192.0.2.0/24") << QStringLiteral("::ffff:192.0.3.5") << false;
    QTest::newRow("v4-mapped range, v4 client")
        << QStringLiteral("::ffff:192.0.2.5") << QStringLiteral("192.0.2.5") << true;
    QTest::newRow("v4 client, v6 range") << QStringLiteral("2001:db8::/32") << QStringLiteral("192.0.2.1") << false;
    QTest::newRow("v6 client, v4 /0") << QStringLiteral("0.0.0.0/0") << QStringLiteral("2001:db8::1") << false;
}

void TestMailAddress::matchesIpRange()
{
    QFETCH(QString, range);
    QFETCH(QString, address);
    QFETCH(bool, contained);
    const Expected<IpRange> parsed = IpRange::parse(range);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(parsed->contains(QHostAddress(address)), contained);
}

QTEST_APPLESS_MAIN(TestMailAddress)
#include "tst_mailaddress.moc"
