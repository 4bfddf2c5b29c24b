// The TLS offer of the listeners: what a scanner (nmap's ssl-enum-ciphers) grades and what a
// client limited to weak TLS 1.2 suites gets, against the real daemon.
#include "testpeers.h"
#include "tmailprocess.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QtTest>

#include <memory>

namespace {

// Its own loopback address: nmap's STARTTLS for SMTP wants port 25, which other suites
// may use on 127.0.0.1 or 127.0.0.2.
const QString ListenAddress = QStringLiteral("127.0.19.7");
constexpr quint16 StartTlsPort = 25;
constexpr quint16 ImplicitTlsPort = 465;

// Handshake of a TLS 1.2 client offering only the given suites to the implicit-TLS listener.
bool handshakeSucceeds(const QString &cipherName, QString *detail)
{
    const QSslCipher cipher(cipherName);
    if (cipher.isNull())
    {
        *detail = QStringLiteral("this OpenSSL does not know %1").arg(cipherName);
        return false;
    }
    QSslSocket socket;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2);
    tls.setCiphers({ cipher });
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.setSslConfiguration(tls);
    socket.connectToHostEncrypted(ListenAddress, ImplicitTlsPort);
    const bool encrypted = socket.waitForEncrypted(10000);
    *detail = encrypted
        ? socket.sessionCipher().name() + QLatin1Char(' ') + QString::number(int(socket.sessionProtocol()))
        : socket.errorString();
    return encrypted;
}

} // namespace

class TestTlsProfile : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void nmapGradesBothListenersA_data();
    void nmapGradesBothListenersA();
    void refusesTls12ClientWithOnlyWeakSuites_data();
    void refusesTls12ClientWithOnlyWeakSuites();
    void cipherStringSelectingNothingStopsTmail();

private:
    std::unique_ptr<TmailEnvironment> m_env;
    std::unique_ptr<QProcess> m_daemon;
    QByteArray m_log;
};

void TestTlsProfile::initTestCase()
{
    m_env = std::make_unique<TmailEnvironment>();
    QVERIFY(m_env->isValid());
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"),
        QStringLiteral("%1:%2:false,%1:%3:true").arg(ListenAddress).arg(StartTlsPort).arg(ImplicitTlsPort));
    const TmailRun init = m_env->run({ QStringLiteral("db"), QStringLiteral("init") });
    QVERIFY2(init.exitCode == 0, qPrintable(init.err));
    QVERIFY2(m_env->startDaemon(&m_daemon, &m_log), m_log.constData());
}

void TestTlsProfile::cleanupTestCase()
{
    if (m_daemon && m_daemon->state() != QProcess::NotRunning)
    {
        m_daemon->terminate();
        if (!m_daemon->waitForFinished(20000))
            m_daemon->kill();
    }
}

void TestTlsProfile::nmapGradesBothListenersA_data()
{
    QTest::addColumn<quint16>("port");
    QTest::newRow("STARTTLS") << StartTlsPort;
    QTest::newRow("implicit TLS") << ImplicitTlsPort;
}

void TestTlsProfile::nmapGradesBothListenersA()
{
    QFETCH(quint16, port);
    const QString nmap = QStandardPaths::findExecutable(QStringLiteral("nmap"));
    TMAIL_REQUIRE_PEER(!nmap.isEmpty(), "nmap (Debian nmap) is not installed");
    QProcess scan;
    scan.setProcessChannelMode(QProcess::MergedChannels);
    scan.start(nmap,
        { QStringLiteral("-Pn"), QStringLiteral("-n"), QStringLiteral("-p"), QString::number(port),
            QStringLiteral("--script"), QStringLiteral("ssl-enum-ciphers"), ListenAddress });
    QVERIFY(scan.waitForStarted(10000));
    if (!scan.waitForFinished(90000))
    {
        scan.kill();
        QFAIL("nmap did not finish within 90 s");
    }
    const QString report = QString::fromUtf8(scan.readAll());
    QVERIFY2(report.contains(QLatin1String("ssl-enum-ciphers")), qPrintable(report));
    QVERIFY2(report.contains(QLatin1String("least strength: A")), qPrintable(report));
    QVERIFY2(report.contains(QLatin1String("TLSv1.2:")), qPrintable(report));
    for (const char *weak : { "TLSv1.0:", "TLSv1.1:", "SSLv3:", "_PSK_", "TLS_RSA_WITH_", "_CBC_", "DHE_RSA" })
    {
        if (QByteArrayView(weak) == "DHE_RSA") // ECDHE_RSA contains it: look for a bare DHE_RSA
            QVERIFY2(!report.contains(QRegularExpression(QStringLiteral("[^C]DHE_RSA"))), qPrintable(report));
        else
            QVERIFY2(!report.contains(QLatin1String(weak)),
                qPrintable(QStringLiteral("%1 offered:\n%2").arg(QLatin1String(weak), report)));
    }
    const qsizetype offered = report.count(QRegularExpression(QStringLiteral("TLS_[A-Z0-9_]+ \\(")));
    qInfo("port %u: %lld suites offered, least strength A", port, static_cast<long long>(offered));
}

void TestTlsProfile::refusesTls12ClientWithOnlyWeakSuites_data()
{
    QTest::addColumn<QString>("cipher");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("static RSA, AES-GCM") << QStringLiteral("AES128-GCM-SHA256") << false;
    QTest::newRow("static RSA, CBC-SHA1") << QStringLiteral("AES128-SHA") << false;
    QTest::newRow("ECDHE, CBC-SHA1") << QStringLiteral("ECDHE-RSA-AES128-SHA") << false;
    QTest::newRow("DHE, AES-GCM") << QStringLiteral("DHE-RSA-AES128-GCM-SHA256") << false;
    QTest::newRow("ECDHE, AES-GCM") << QStringLiteral("ECDHE-RSA-AES128-GCM-SHA256") << true;
    QTest::newRow("ECDHE, ChaCha20-Poly1305") << QStringLiteral("ECDHE-RSA-CHACHA20-POLY1305") << true;
}

void TestTlsProfile::refusesTls12ClientWithOnlyWeakSuites()
{
    QFETCH(QString, cipher);
    QFETCH(bool, accepted);
    QString detail;
    QCOMPARE(handshakeSucceeds(cipher, &detail), accepted);
    qInfo("%s: %s", qPrintable(cipher), qPrintable(detail));
}

void TestTlsProfile::cipherStringSelectingNothingStopsTmail()
{
    TmailEnvironment env;
    QVERIFY(env.isValid());
    env.set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.19.8:%1:false").arg(freeLoopbackPort()));
    env.set(QStringLiteral("TMAIL_SMTPD_TLS_CIPHERS"), QStringLiteral("NO-SUCH-CIPHER:!ALL"));
    const TmailRun init = env.run({ QStringLiteral("db"), QStringLiteral("init") });
    QVERIFY(init.exitCode != 0);
    QVERIFY2(init.err.contains(QLatin1String("TMAIL_SMTPD_TLS_CIPHERS: 'NO-SUCH-CIPHER:!ALL' selects no cipher")),
        qPrintable(init.err));
    // An OpenSSL keyword string is read as OpenSSL reads it.
    env.set(QStringLiteral("TMAIL_SMTPD_TLS_CIPHERS"), QStringLiteral("ECDHE+AESGCM:!aNULL"));
    const TmailRun ok = env.run({ QStringLiteral("db"), QStringLiteral("init") });
    QVERIFY2(ok.exitCode == 0, qPrintable(ok.err));
}

QTEST_GUILESS_MAIN(TestTlsProfile)
#include "tst_tlsprofile.moc"
