// SIGHUP on the real tmail (loopback only): the file is validated as a whole, live settings
// reach the next transaction and new sessions while open sessions go on, restart-only
// settings are reported and left alone, and the TLS certificate is read again.
#include "testcertificate.h"
#include "tmaildaemon.h"
#include "tmailprocess.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTcpSocket>
#include <QtTest>

#include <csignal>

namespace {

const QByteArray Reloaded = "SIGHUP: configuration reloaded from";
const QByteArray Refused = "nothing applied, running settings kept";

// bodyBytes of text in lines of 78 bytes with their CRLF (SMTP lines stay under 1000).
QByteArray body(int bodyBytes)
{
    QByteArray text;
    while (text.size() < bodyBytes)
        text += QByteArray(76, 'x') + "\r\n";
    return text;
}

// A message of about bodyBytes on an open session, MAIL to the end of DATA; the last reply.
QByteArray sendMessage(QTcpSocket &socket, int bodyBytes, const QByteArray &mailParameters = QByteArray())
{
    QByteArray reply = smtpExchange(socket, "MAIL FROM:<sender@example.net>" + mailParameters);
    if (!reply.startsWith("250"))
        return reply;
    reply = smtpExchange(socket, "RCPT TO:<someone@example.com>");
    if (!reply.startsWith("250"))
        return reply;
    reply = smtpExchange(socket, "DATA");
    if (!reply.startsWith("354"))
        return reply;
    return smtpExchange(socket, "Subject: reload\r\n\r\n" + body(bodyBytes) + ".");
}

bool openSession(QTcpSocket &socket, quint16 port, QByteArray *ehlo = nullptr)
{
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000) || !smtpExchange(socket, QByteArray()).startsWith("220 "))
        return false;
    const QByteArray reply = smtpExchange(socket, "EHLO client.test");
    if (ehlo)
        *ehlo = reply;
    return reply.startsWith("250");
}

// The certificate a new STARTTLS session is offered.
QSslCertificate startTlsCertificate(quint16 port)
{
    QSslSocket socket;
    if (!openSession(socket, port) || !smtpExchange(socket, "STARTTLS").startsWith("220"))
        return QSslCertificate();
    socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.startClientEncryption();
    if (!socket.waitForEncrypted(10000))
        return QSslCertificate();
    return socket.peerCertificate();
}

} // namespace

class TestReload : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void lowerSizeAppliesToNextTransactionAndOpenSessionsGoOn();
    void oneInvalidValueAppliesNothing();
    void restartOnlySettingIsReportedAndNotApplied();
    void tlsCertificateIsReadAgainForNewSessions();

private:
    // tmail.cfg: the test environment's TMAIL_* values, then these (later lines win).
    bool writeConfig(const QHash<QString, QString> &values);
    bool startDaemon();
    // Sends SIGHUP and waits for the reload's last line (applied or refused).
    bool reload();
    QByteArray logSince(qsizetype position) const { return m_daemon.log().mid(position); }

    std::unique_ptr<TmailEnvironment> m_env;
    TmailDaemon m_daemon;
    QString m_configPath;
    quint16 m_port = 0;
};

void TestReload::init()
{
    m_env = std::make_unique<TmailEnvironment>();
    QVERIFY(m_env->isValid());
    m_port = freeLoopbackPort();
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(m_port));
    // Deliveries go nowhere: a DNS server that does not answer.
    m_env->set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(freeLoopbackPort()));
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    QCOMPARE(
        m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("example.com") }).exitCode, 0);
    m_configPath = m_env->path(QStringLiteral("tmail.cfg"));
}

void TestReload::cleanup()
{
    m_daemon.kill();
    m_env.reset();
}

bool TestReload::writeConfig(const QHash<QString, QString> &values)
{
    return m_env->writeConfigFile(m_configPath, values);
}

bool TestReload::startDaemon()
{
    // Settings from the file only, as `tmail --config FILE` under systemd.
    return m_daemon.start(*m_env, m_configPath);
}

bool TestReload::reload()
{
    const qsizetype done = m_daemon.log().count(Reloaded) + m_daemon.log().count(Refused);
    m_daemon.signal(SIGHUP);
    QElapsedTimer timer;
    timer.start();
    while (m_daemon.log().count(Reloaded) + m_daemon.log().count(Refused) == done && timer.elapsed() < 10000)
    {
        m_daemon.process().waitForReadyRead(200);
        m_daemon.log() += m_daemon.process().readAll();
        if (m_daemon.process().state() == QProcess::NotRunning)
            return false;
    }
    return m_daemon.log().count(Reloaded) + m_daemon.log().count(Refused) > done;
}

void TestReload::lowerSizeAppliesToNextTransactionAndOpenSessionsGoOn()
{
    QVERIFY(writeConfig({ { QStringLiteral("TMAIL_SMTPD_MAX_DATABYTES"), QStringLiteral("50000000") } }));
    QVERIFY2(startDaemon(), m_daemon.log().constData());

    // Opened before the reload: one in the middle of a transaction, one idle.
    QTcpSocket inTransaction;
    QByteArray ehlo;
    QVERIFY(openSession(inTransaction, m_port, &ehlo));
    QVERIFY2(ehlo.contains("250-SIZE 50000000"), ehlo.constData());
    QVERIFY(smtpExchange(inTransaction, "MAIL FROM:<sender@example.net>").startsWith("250"));
    QVERIFY(smtpExchange(inTransaction, "RCPT TO:<someone@example.com>").startsWith("250"));
    QTcpSocket idle;
    QVERIFY(openSession(idle, m_port));

    QVERIFY(writeConfig({ { QStringLiteral("TMAIL_SMTPD_MAX_DATABYTES"), QStringLiteral("2000") } }));
    const qsizetype before = m_daemon.log().size();
    QVERIFY2(reload(), m_daemon.log().constData());
    const QByteArray log = logSince(before);
    QVERIFY2(
        log.contains("SIGHUP: TMAIL_SMTPD_MAX_DATABYTES changed from '50000000' to '2000'; applied"), log.constData());
    QVERIFY2(log.contains(Reloaded) && log.contains(": 1 applied (TMAIL_SMTPD_MAX_DATABYTES)"), log.constData());

    // The transaction in progress keeps the limit it started with...
    QVERIFY(smtpExchange(inTransaction, "DATA").startsWith("354"));
    QByteArray reply = smtpExchange(inTransaction, "Subject: started before\r\n\r\n" + body(5000) + ".");
    QVERIFY2(reply.startsWith("250 2.0.0 Ok: queued "), reply.constData());
    // ...and its session's next one has the new limit.
    reply = smtpExchange(inTransaction, "MAIL FROM:<sender@example.net> SIZE=5000");
    QVERIFY2(reply.startsWith("552 5.3.4"), reply.constData());

    // The idle session opened before still works, within the new limit.
    reply = sendMessage(idle, 5000, " SIZE=5000");
    QVERIFY2(reply.startsWith("552 5.3.4"), reply.constData());
    reply = sendMessage(idle, 500);
    QVERIFY2(reply.startsWith("250 2.0.0 Ok: queued "), reply.constData());
    reply = sendMessage(idle, 5000);
    QVERIFY2(reply.startsWith("552 5.3.4"), reply.constData());
    QVERIFY(smtpExchange(idle, "QUIT").startsWith("221"));

    // A new session is told the new SIZE.
    QTcpSocket fresh;
    QVERIFY(openSession(fresh, m_port, &ehlo));
    QVERIFY2(ehlo.contains("250-SIZE 2000\r\n"), ehlo.constData());
    QVERIFY(smtpExchange(inTransaction, "QUIT").startsWith("221"));
    QCOMPARE(m_daemon.process().state(), QProcess::Running);
}

void TestReload::oneInvalidValueAppliesNothing()
{
    QVERIFY(writeConfig({}));
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    QTcpSocket open;
    QVERIFY(openSession(open, m_port));

    // A valid lower size beside an invalid recipient limit: the file is refused whole.
    QVERIFY(writeConfig({ { QStringLiteral("TMAIL_SMTPD_MAX_DATABYTES"), QStringLiteral("2000") },
        { QStringLiteral("TMAIL_SMTPD_MAX_RCPT"), QStringLiteral("lots") } }));
    qsizetype before = m_daemon.log().size();
    QVERIFY2(reload(), m_daemon.log().constData());
    QByteArray log = logSince(before);
    const QByteArray refusal = "SIGHUP: " + m_configPath.toUtf8()
        + " is invalid; nothing applied, running settings kept: TMAIL_SMTPD_MAX_RCPT: 'lots' is not a whole number";
    QVERIFY2(log.contains(refusal), log.constData());
    QVERIFY2(!log.contains("changed from") && !log.contains(Reloaded), log.constData());

    QByteArray ehlo;
    QTcpSocket fresh;
    QVERIFY(openSession(fresh, m_port, &ehlo));
    QVERIFY2(ehlo.contains("250-SIZE 50000000"), ehlo.constData());
    QByteArray reply = sendMessage(open, 5000);
    QVERIFY2(reply.startsWith("250 2.0.0 Ok: queued "), reply.constData());

    // Once the file is fixed, the next reload applies it.
    QVERIFY(writeConfig({ { QStringLiteral("TMAIL_SMTPD_MAX_DATABYTES"), QStringLiteral("2000") } }));
    before = m_daemon.log().size();
    QVERIFY2(reload(), m_daemon.log().constData());
    log = logSince(before);
    QVERIFY2(log.contains("TMAIL_SMTPD_MAX_DATABYTES changed from '50000000' to '2000'; applied"), log.constData());
    reply = sendMessage(open, 5000);
    QVERIFY2(reply.startsWith("552 5.3.4"), reply.constData());
}

void TestReload::restartOnlySettingIsReportedAndNotApplied()
{
    QVERIFY(writeConfig({}));
    QVERIFY2(startDaemon(), m_daemon.log().constData());

    // Another listener (restart only) and a recipient limit (live) in one reload.
    const quint16 otherPort = freeLoopbackPort();
    const QString otherDsns = QStringLiteral("127.0.0.1:%1:false").arg(otherPort);
    QVERIFY(writeConfig({ { QStringLiteral("TMAIL_SMTPD_DSNS"), otherDsns },
        { QStringLiteral("TMAIL_SMTPD_MAX_RCPT"), QStringLiteral("1") } }));
    qsizetype before = m_daemon.log().size();
    QVERIFY2(reload(), m_daemon.log().constData());
    QByteArray log = logSince(before);
    QVERIFY2(log.contains(QStringLiteral("SIGHUP: TMAIL_SMTPD_DSNS changed from '127.0.0.1:%1:false' to '%2'; "
                                         "restart tmail to apply it")
                              .arg(m_port)
                              .arg(otherDsns)
                              .toUtf8()),
        log.constData());
    QVERIFY2(log.contains("SIGHUP: TMAIL_SMTPD_MAX_RCPT changed from '0' to '1'; applied"), log.constData());
    QVERIFY2(log.contains(": 1 applied (TMAIL_SMTPD_MAX_RCPT); 1 need a restart (TMAIL_SMTPD_DSNS)"), log.constData());

    // The listeners are those tmail started with; the recipient limit is in force.
    QTcpSocket other;
    other.connectToHost(QHostAddress::LocalHost, otherPort);
    QVERIFY(!other.waitForConnected(1000));
    QTcpSocket session;
    QVERIFY(openSession(session, m_port));
    QVERIFY(smtpExchange(session, "MAIL FROM:<sender@example.net>").startsWith("250"));
    QVERIFY(smtpExchange(session, "RCPT TO:<one@example.com>").startsWith("250"));
    const QByteArray second = smtpExchange(session, "RCPT TO:<two@example.com>");
    QVERIFY2(second.startsWith("452 4.5.3"), second.constData());

    // Still pending at the next reload; what was applied is not reported again.
    before = m_daemon.log().size();
    QVERIFY2(reload(), m_daemon.log().constData());
    log = logSince(before);
    QVERIFY2(log.contains(": 1 need a restart (TMAIL_SMTPD_DSNS)"), log.constData());
    QVERIFY2(!log.contains("TMAIL_SMTPD_MAX_RCPT"), log.constData());
}

void TestReload::tlsCertificateIsReadAgainForNewSessions()
{
    // A second certificate, as a renewal would bring.
    TestCertificate renewal;
    renewal.commonName = QStringLiteral("renewed.test");
    const Status made = renewal.make(m_env->path(QStringLiteral("ssl")), QStringLiteral("renewed"));
    QVERIFY2(made, qPrintable(made.error()));
    const QList<QSslCertificate> first = QSslCertificate::fromPath(m_env->path(QStringLiteral("ssl/server.crt")));
    const QList<QSslCertificate> renewed = QSslCertificate::fromPath(m_env->path(QStringLiteral("ssl/renewed.crt")));
    QVERIFY(!first.isEmpty() && !renewed.isEmpty());

    QVERIFY(writeConfig({}));
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    QCOMPARE(startTlsCertificate(m_port), first.first());
    QSslSocket openBefore;
    QVERIFY(openSession(openBefore, m_port));

    // New paths: applied to the next handshakes, also of a session opened before.
    QVERIFY(writeConfig({ { QStringLiteral("TMAIL_SMTPD_TLS_CERT"), m_env->path(QStringLiteral("ssl/renewed.crt")) },
        { QStringLiteral("TMAIL_SMTPD_TLS_KEY"), m_env->path(QStringLiteral("ssl/renewed.key")) } }));
    qsizetype before = m_daemon.log().size();
    QVERIFY2(reload(), m_daemon.log().constData());
    QVERIFY2(logSince(before).contains(": 2 applied (TMAIL_SMTPD_TLS_CERT, TMAIL_SMTPD_TLS_KEY)"),
        m_daemon.log().constData());
    QCOMPARE(startTlsCertificate(m_port), renewed.first());
    QVERIFY(smtpExchange(openBefore, "STARTTLS").startsWith("220"));
    openBefore.setPeerVerifyMode(QSslSocket::VerifyNone);
    openBefore.startClientEncryption();
    QVERIFY(openBefore.waitForEncrypted(10000));
    QCOMPARE(openBefore.peerCertificate(), renewed.first());
    QVERIFY(smtpExchange(openBefore, "EHLO client.test").contains("AUTH PLAIN LOGIN"));

    // Same paths, files replaced in place (certbot's way): read again at the reload.
    QVERIFY(QFile::remove(m_env->path(QStringLiteral("ssl/renewed.crt"))));
    QVERIFY(QFile::remove(m_env->path(QStringLiteral("ssl/renewed.key"))));
    QVERIFY(QFile::copy(m_env->path(QStringLiteral("ssl/server.crt")), m_env->path(QStringLiteral("ssl/renewed.crt"))));
    QVERIFY(QFile::copy(m_env->path(QStringLiteral("ssl/server.key")), m_env->path(QStringLiteral("ssl/renewed.key"))));
    before = m_daemon.log().size();
    QVERIFY2(reload(), m_daemon.log().constData());
    QVERIFY2(logSince(before).contains(": no setting changed"), m_daemon.log().constData());
    QCOMPARE(startTlsCertificate(m_port), first.first());

    // A file that is not a certificate: the reload is refused, the running one stays.
    QFile broken(m_env->path(QStringLiteral("ssl/broken.crt")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("not a certificate\n");
    broken.close();
    QVERIFY(writeConfig({ { QStringLiteral("TMAIL_SMTPD_TLS_CERT"), broken.fileName() },
        { QStringLiteral("TMAIL_SMTPD_TLS_KEY"), m_env->path(QStringLiteral("ssl/renewed.key")) } }));
    before = m_daemon.log().size();
    QVERIFY2(reload(), m_daemon.log().constData());
    QVERIFY2(logSince(before).contains("nothing applied, running settings kept: TMAIL_SMTPD_TLS_CERT: "),
        m_daemon.log().constData());
    QCOMPARE(startTlsCertificate(m_port), first.first());
}

QTEST_GUILESS_MAIN(TestReload)
#include "tst_reload.moc"
