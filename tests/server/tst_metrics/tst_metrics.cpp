// TMAIL_METRICS_LISTEN end to end: the real daemon, real mail through it to a scriptable
// sink, the metrics read over a real socket, checked by the numbers and by promtool, and
// scraped once by a real Prometheus server.
#include "smtptestclient.h"
#include "testpeers.h"
#include "testsmtpsink.h"
#include "tmaildaemon.h"
#include "tmailprocess.h"

#include "config/config.h"
#include "metrics/metrics.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <functional>
#include <memory>
#include <optional>
#include <tuple>
#include <vector>

namespace {

// Sends raw bytes to 127.0.0.1:port and reads until the server closes (the metrics
// listener always does), spinning the event loop so that in-process peers keep running.
QByteArray httpExchange(quint16 port, const QByteArray &request, int timeoutMs = 10000)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&socket]() { return socket.state() == QAbstractSocket::ConnectedState; }, 5000))
        return QByteArray();
    socket.write(request);
    QByteArray response;
    (void)QTest::qWaitFor(
        [&]() {
            response += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    response += socket.readAll();
    return response;
}

// The status line's code ("HTTP/1.1 404 Not Found" → 404), 0 when there is none.
int statusOf(const QByteArray &response)
{
    const QList<QByteArray> words = response.left(response.indexOf("\r\n")).split(' ');
    return words.size() >= 2 && words.first() == "HTTP/1.1" ? words.at(1).toInt() : 0;
}

QByteArray bodyOf(const QByteArray &response)
{
    const qsizetype end = response.indexOf("\r\n\r\n");
    return end < 0 ? QByteArray() : response.mid(end + 4);
}

// The value of one sample ("name" or "name{label=\"value\"}"), when the text has it.
std::optional<double> sampleValue(const QByteArray &text, const QByteArray &sample)
{
    for (const QByteArray &line : text.split('\n'))
    {
        if (line.startsWith(QByteArray(sample + ' ')))
        {
            bool ok = false;
            const double value = line.mid(sample.size() + 1).toDouble(&ok);
            if (ok)
                return value;
        }
    }
    return std::nullopt;
}

// A sample's value, or -1 when it is missing (a failure in every comparison made here).
double valueOf(const QByteArray &text, const QByteArray &sample)
{
    return sampleValue(text, sample).value_or(-1);
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void countsRealMailByExactAmounts();
    void countsEachRefusalReason();
    void countsDatabaseAndStoreErrors();
    void historyKeepsTheLastDayMinuteByMinute();
    void classifiesDeliveryFailures_data();
    void classifiesDeliveryFailures();
    void exposesValidPrometheusText();
    void answersOnlyGetMetrics();
    void boundsRequestSizeAndTime();
    void capsConnectionsWithoutTouchingSmtp();
    void isOffByDefault();
    void refusesBadListenValue_data();
    void refusesBadListenValue();
    void daemonRefusesBadListenValue();
    void daemonStopsWhenThePortIsTaken();
    void prometheusScrapesTmail();

private:
    bool startDaemon();
    QByteArray scrape();
    // Scrapes until check(text) holds or timeoutMs passes; returns the last text.
    QByteArray scrapeUntil(const std::function<bool(const QByteArray &)> &check, int timeoutMs);

    std::unique_ptr<TmailEnvironment> m_env;
    TmailDaemon m_daemon;
    quint16 m_smtpPort = 0;
    quint16 m_metricsPort = 0;
};

void TestMetrics::init()
{
    m_env = std::make_unique<TmailEnvironment>();
    QVERIFY(m_env->isValid());
    m_smtpPort = freeLoopbackPort();
    m_metricsPort = freeLoopbackPort();
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(m_smtpPort));
    m_env->set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(freeLoopbackPort()));
    m_env->set(QStringLiteral("TMAIL_METRICS_LISTEN"), QStringLiteral("127.0.0.1:%1").arg(m_metricsPort));
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
}

void TestMetrics::cleanup()
{
    m_daemon.kill();
}

bool TestMetrics::startDaemon()
{
    return m_daemon.start(*m_env);
}

QByteArray TestMetrics::scrape()
{
    const QByteArray response = httpExchange(m_metricsPort, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return statusOf(response) == 200 ? bodyOf(response) : QByteArray();
}

QByteArray TestMetrics::scrapeUntil(const std::function<bool(const QByteArray &)> &check, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    QByteArray text = scrape();
    while (!check(text) && timer.elapsed() < timeoutMs)
    {
        QTest::qWait(200);
        text = scrape();
    }
    return text;
}

void TestMetrics::countsRealMailByExactAmounts()
{
    // A sink behind a static route: one recipient accepted, one deferred, one refused.
    // It offers STARTTLS with the daemon's own certificate: deliverd takes it.
    TestSmtpSink sink;
    sink.offerTls = true;
    QFile certificate(m_env->path(QStringLiteral("ssl/server.crt")));
    QFile key(m_env->path(QStringLiteral("ssl/server.key")));
    QVERIFY(certificate.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
    sink.certificate = QSslCertificate(certificate.readAll());
    sink.key = QSslKey(key.readAll(), QSsl::Rsa);
    QVERIFY(sink.listen(QHostAddress::LocalHost, 0));
    sink.rcptReplies.insert(QStringLiteral("later@sink.test"), { QStringLiteral("451 4.2.0 try again later") });
    sink.rcptReplies.insert(QStringLiteral("gone@sink.test"), { QStringLiteral("550 5.1.1 no such user") });
    QCOMPARE(
        m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("sink.test") }).exitCode, 0);
    QCOMPARE(m_env
                 ->run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
                     QStringLiteral("sink.test"), QStringLiteral("-rh"), QStringLiteral("127.0.0.1"),
                     QStringLiteral("-rp"), QString::number(sink.serverPort()) })
                 .exitCode,
        0);
    QCOMPARE(m_env
                 ->run({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("alice@sink.test"),
                     QStringLiteral("alice-pw") })
                 .exitCode,
        0);
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    QVERIFY2(m_daemon.log().contains(QStringLiteral("metrics 127.0.0.1:%1 launched.").arg(m_metricsPort).toUtf8()),
        m_daemon.log().constData());

    const QByteArray before = scrape();
    QVERIFY2(!before.isEmpty(), m_daemon.log().constData());
    QCOMPARE(valueOf(before, "tmail_smtpd_sessions"), 0.0);
    QCOMPARE(valueOf(before, "tmail_messages_accepted_total"), 0.0);
    QCOMPARE(valueOf(before, "tmail_recipients_delivered_total"), 0.0);
    QCOMPARE(valueOf(before, "tmail_queue_messages"), 0.0);
    QVERIFY2(before.contains("tmail_build_info{version=\"" TMAIL_VERSION "\"} 1\n"), before.constData());

    SmtpTestClient client;
    QVERIFY(client.connectTo(m_smtpPort));
    QVERIFY(client.readReply().startsWith(QStringLiteral("220 ")));
    QVERIFY(client.command(QStringLiteral("EHLO client.test")).startsWith(QStringLiteral("250")));
    // The open session is on the gauge while it lasts.
    QCOMPARE(valueOf(scrape(), "tmail_smtpd_sessions"), 1.0);

    // STARTTLS, one failed and one good AUTH.
    QCOMPARE(client.command(QStringLiteral("STARTTLS")), QStringLiteral("220 2.0.0 Ready to start TLS"));
    QVERIFY(client.startTls());
    QVERIFY(client.command(QStringLiteral("EHLO client.test")).startsWith(QStringLiteral("250")));
    const QString wrong = QString::fromLatin1(QByteArray("\0alice@sink.test\0wrong", 22).toBase64());
    QCOMPARE(client.command(QStringLiteral("AUTH PLAIN ") + wrong, 15000),
        QStringLiteral("535 5.7.8 Error: authentication failed"));
    const QString right = QString::fromLatin1(QByteArray("\0alice@sink.test\0alice-pw", 25).toBase64());
    QCOMPARE(client.command(QStringLiteral("AUTH PLAIN ") + right, 15000),
        QStringLiteral("235 2.7.0 Authentication successful"));

    // One message accepted for three recipients, with the null sender (no bounce follows).
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<>")), QStringLiteral("250 ok"));
    for (const char *recipient : { "ok@sink.test", "later@sink.test", "gone@sink.test" })
        QCOMPARE(
            client.command(QStringLiteral("RCPT TO:<%1>").arg(QLatin1String(recipient))), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("DATA")), QStringLiteral("354 End data with <CR><LF>.<CR><LF>"));
    QVERIFY(client.command(QStringLiteral("Subject: counted\r\n\r\nbody\r\n."))
                .startsWith(QStringLiteral("250 2.0.0 Ok: queued")));
    QVERIFY(client.command(QStringLiteral("QUIT")).startsWith(QStringLiteral("221")));

    // One relay refused: a client that is neither a relay IP nor authenticated.
    SmtpTestClient stranger;
    QVERIFY(stranger.connectTo(m_smtpPort));
    QVERIFY(stranger.readReply().startsWith(QStringLiteral("220 ")));
    QVERIFY(stranger.command(QStringLiteral("HELO stranger.test")).startsWith(QStringLiteral("250")));
    QCOMPARE(stranger.command(QStringLiteral("MAIL FROM:<s@stranger.test>")), QStringLiteral("250 ok"));
    QCOMPARE(stranger.command(QStringLiteral("RCPT TO:<someone@elsewhere.test>")),
        QStringLiteral("554 5.7.1 <someone@elsewhere.test>: Relay access denied."));
    QVERIFY(stranger.command(QStringLiteral("QUIT")).startsWith(QStringLiteral("221")));

    // Delivery: the sink has taken the message, and deliverd recorded the outcome.
    QVERIFY2(QTest::qWaitFor([&sink]() { return !sink.messages.isEmpty(); }, 20000), m_daemon.log().constData());
    const QByteArray after = scrapeUntil(
        [](const QByteArray &text) {
            return valueOf(text, "tmail_recipients_bounced_total{reason=\"remote\"}") >= 1
                && valueOf(text, "tmail_queue_messages") == 1 && valueOf(text, "tmail_smtpd_sessions") == 0;
        },
        15000);
    QCOMPARE(valueOf(after, "tmail_messages_accepted_total"), 1.0);
    QCOMPARE(valueOf(after, "tmail_messages_refused_total{reason=\"relay_denied\"}"), 1.0);
    for (const char *reason :
        { "size", "bad_syntax", "bad_data", "too_many_recipients", "too_many_hops", "queue_error" })
        QCOMPARE(valueOf(after, QByteArray("tmail_messages_refused_total{reason=\"") + reason + "\"}"), 0.0);
    QCOMPARE(valueOf(after, "tmail_recipients_delivered_total"), 1.0);
    // The sink answered 4xx to one recipient and 5xx to another: the remote's own replies.
    QCOMPARE(valueOf(after, "tmail_recipients_deferred_total{reason=\"remote\"}"), 1.0);
    QCOMPARE(valueOf(after, "tmail_recipients_bounced_total{reason=\"remote\"}"), 1.0);
    for (const char *reason : { "tls_policy", "dns", "connection", "expired", "other" })
    {
        QCOMPARE(valueOf(after, QByteArray("tmail_recipients_deferred_total{reason=\"") + reason + "\"}"), 0.0);
        QCOMPARE(valueOf(after, QByteArray("tmail_recipients_bounced_total{reason=\"") + reason + "\"}"), 0.0);
    }
    QCOMPARE(valueOf(after, "tmail_delivery_latency_seconds_count"), 1.0);
    QCOMPARE(valueOf(after, "tmail_delivery_latency_seconds_bucket{le=\"+Inf\"}"), 1.0);
    QCOMPARE(valueOf(after, "tmail_delivery_latency_seconds_bucket{le=\"60\"}"), 1.0);
    QVERIFY(valueOf(after, "tmail_delivery_latency_seconds_sum") >= 0);
    QVERIFY(valueOf(after, "tmail_delivery_latency_seconds_sum") < 60);
    // The deferred recipient keeps the message queued; its age is counted from acceptance.
    QCOMPARE(valueOf(after, "tmail_queue_messages"), 1.0);
    QVERIFY(valueOf(after, "tmail_queue_oldest_message_age_seconds") >= 0);
    QVERIFY(valueOf(after, "tmail_queue_oldest_message_age_seconds") < 120);
    QCOMPARE(valueOf(after, "tmail_auth_successes_total"), 1.0);
    QCOMPARE(valueOf(after, "tmail_auth_failures_total"), 1.0);
    double handshakes = 0;
    for (const char *version : { "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3", "other" })
        handshakes += valueOf(after, QByteArray("tmail_tls_handshakes_total{version=\"") + version + "\"}");
    QCOMPARE(handshakes, 1.0);
    // OpenSSL 3 on both ends agrees on TLS 1.3.
    QCOMPARE(valueOf(after, "tmail_tls_handshakes_total{version=\"TLSv1.3\"}"), 1.0);
    // deliverd's one session with the sink went over STARTTLS.
    QVERIFY(sink.messages.first().tls);
    QCOMPARE(valueOf(after, "tmail_outbound_tls_handshakes_total{version=\"TLSv1.3\"}"), 1.0);
    QCOMPARE(valueOf(after, "tmail_outbound_tls_handshakes_total{version=\"TLSv1.2\"}"), 0.0);
    QCOMPARE(valueOf(after, "tmail_smtpd_sessions"), 0.0);
    QCOMPARE(valueOf(after, "tmail_database_errors_total"), 0.0);
    for (const char *operation : { "write", "read", "remove" })
        QCOMPARE(valueOf(after, QByteArray("tmail_store_errors_total{operation=\"") + operation + "\"}"), 0.0);
}

void TestMetrics::countsDatabaseAndStoreErrors()
{
    // A sink that defers after DATA: deliverd reads the body each time, and the message
    // stays queued with its body on disk.
    TestSmtpSink sink;
    QVERIFY(sink.listen(QHostAddress::LocalHost, 0));
    sink.dataReply = "451 4.3.0 try again later";
    QCOMPARE(
        m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("sink.test") }).exitCode, 0);
    QCOMPARE(m_env
                 ->run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
                     QStringLiteral("sink.test"), QStringLiteral("-rh"), QStringLiteral("127.0.0.1"),
                     QStringLiteral("-rp"), QString::number(sink.serverPort()) })
                 .exitCode,
        0);
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    const auto send = [this](const QString &recipient) {
        SmtpTestClient client;
        if (!client.connectTo(m_smtpPort) || !client.readReply().startsWith(QStringLiteral("220 ")))
            return QString();
        client.command(QStringLiteral("EHLO client.test"));
        client.command(QStringLiteral("MAIL FROM:<a@client.test>"));
        client.command(QStringLiteral("RCPT TO:<%1>").arg(recipient));
        client.command(QStringLiteral("DATA"));
        const QString reply = client.command(QStringLiteral("Subject: errors\r\n\r\nbody\r\n."), 20000);
        client.command(QStringLiteral("QUIT"));
        return reply;
    };
    QVERIFY(send(QStringLiteral("later@sink.test")).startsWith(QStringLiteral("250 2.0.0 Ok: queued")));
    QVERIFY2(QTest::qWaitFor([&sink]() { return sink.sessions >= 1; }, 20000), m_daemon.log().constData());

    // read: the queued body is gone when deliverd retries it.
    const QDir store(m_env->path(QStringLiteral("store")));
    QStringList bodies;
    for (const QString &directory : store.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        for (const QString &file : QDir(store.filePath(directory)).entryList(QDir::Files))
            bodies.append(store.filePath(directory + QLatin1Char('/') + file));
    QCOMPARE(bodies.size(), 1);
    QVERIFY(QFile::remove(bodies.first()));
    QCOMPARE(m_env->run({ QStringLiteral("queue"), QStringLiteral("retry"), QStringLiteral("--all") }).exitCode, 0);
    QByteArray text = scrapeUntil(
        [](const QByteArray &text) { return valueOf(text, "tmail_store_errors_total{operation=\"read\"}") >= 1; },
        20000);
    QVERIFY2(valueOf(text, "tmail_store_errors_total{operation=\"read\"}") >= 1, text.constData());
    QCOMPARE(valueOf(text, "tmail_store_errors_total{operation=\"write\"}"), 0.0);

    // write: every store directory a new body could go to is a plain file.
    for (const QString &directory : store.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        if (directory != QLatin1String("tmp"))
            QVERIFY(QDir(store.filePath(directory)).removeRecursively());
    for (int digits = 0; digits < 256; ++digits)
    {
        QFile blocker(store.filePath(QStringLiteral("%1").arg(digits, 2, 16, QLatin1Char('0'))));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
    }
    QCOMPARE(send(QStringLiteral("later@sink.test")), QStringLiteral("451 4.3.0 Error: queue file write error"));
    text = scrape();
    QCOMPARE(valueOf(text, "tmail_store_errors_total{operation=\"write\"}"), 1.0);
    QCOMPARE(valueOf(text, "tmail_messages_refused_total{reason=\"queue_error\"}"), 1.0);
    QCOMPARE(valueOf(text, "tmail_database_errors_total"), 0.0);

    // database: another process holds sqlite's write lock longer than the busy time-out.
    TMAIL_REQUIRE_PEER(TestPeers::hasProgram(QStringLiteral("python3")), "python3 is not installed");
    QProcess locker;
    locker.start(QStringLiteral("python3"),
        { QStringLiteral("-c"),
            QStringLiteral("import sqlite3, sys, time\n"
                           "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                           "c.execute('BEGIN EXCLUSIVE')\n"
                           "print('locked', flush=True)\n"
                           "time.sleep(12)\n"),
            m_env->path(QStringLiteral("db/tmail.db")) });
    QVERIFY(locker.waitForReadyRead(10000));
    QCOMPARE(locker.readLine().trimmed(), QByteArray("locked"));
    const auto stopLocker = qScopeGuard([&locker]() {
        locker.kill();
        locker.waitForFinished(5000);
    });
    for (int digits = 0; digits < 256; ++digits)
        QVERIFY(QFile::remove(store.filePath(QStringLiteral("%1").arg(digits, 2, 16, QLatin1Char('0')))));
    QCOMPARE(send(QStringLiteral("later@sink.test")), QStringLiteral("451 4.3.0 Error: queue file write error"));
    text = scrape();
    QVERIFY2(valueOf(text, "tmail_database_errors_total") >= 1, text.constData());
    QCOMPARE(valueOf(text, "tmail_store_errors_total{operation=\"write\"}"), 1.0);
    QCOMPARE(valueOf(text, "tmail_messages_refused_total{reason=\"queue_error\"}"), 2.0);
}

void TestMetrics::countsEachRefusalReason()
{
    m_env->set(QStringLiteral("TMAIL_SMTPD_MAX_DATABYTES"), QStringLiteral("1000"));
    m_env->set(QStringLiteral("TMAIL_SMTPD_MAX_RCPT"), QStringLiteral("1"));
    m_env->set(QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("2"));
    QCOMPARE(
        m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("local.test") }).exitCode, 0);
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    SmtpTestClient client;
    QVERIFY(client.connectTo(m_smtpPort));
    QVERIFY(client.readReply().startsWith(QStringLiteral("220 ")));
    QVERIFY(client.command(QStringLiteral("EHLO client.test")).startsWith(QStringLiteral("250")));
    // size: SIZE= over TMAIL_SMTPD_MAX_DATABYTES.
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@client.test> SIZE=5000")),
        QStringLiteral("552 5.3.4 Message size exceeds fixed limit"));
    // bad_syntax: a sender that is not an address.
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<not an address>")),
        QStringLiteral("501 5.5.4 Bad sender address syntax"));
    // too_many_recipients: a second recipient over TMAIL_SMTPD_MAX_RCPT.
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@client.test>")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<one@local.test>")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<two@local.test>")),
        QStringLiteral("452 4.5.3 Error: too many recipients"));
    // bad_data: a bare LF in the message.
    QCOMPARE(client.command(QStringLiteral("DATA")), QStringLiteral("354 End data with <CR><LF>.<CR><LF>"));
    QCOMPARE(client.command(QStringLiteral("Subject: bare\nLF\r\n.")),
        QStringLiteral("550 5.5.2 Error: bare <CR> or <LF> received in message data"));
    // too_many_hops: more Received: headers than TMAIL_SMTPD_MAX_HOPS.
    QCOMPARE(client.command(QStringLiteral("MAIL FROM:<a@client.test>")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("RCPT TO:<one@local.test>")), QStringLiteral("250 ok"));
    QCOMPARE(client.command(QStringLiteral("DATA")), QStringLiteral("354 End data with <CR><LF>.<CR><LF>"));
    QCOMPARE(client.command(QStringLiteral("Received: from a\r\nReceived: from b\r\nReceived: from c\r\n"
                                           "Subject: loop\r\n\r\nbody\r\n.")),
        QStringLiteral("554 5.4.6 Error: too many hops"));
    QVERIFY(client.command(QStringLiteral("QUIT")).startsWith(QStringLiteral("221")));

    const QByteArray text = scrape();
    const auto refused = [&text](const char *reason) {
        return valueOf(text, QByteArray("tmail_messages_refused_total{reason=\"") + reason + "\"}");
    };
    QCOMPARE(refused("size"), 1.0);
    QCOMPARE(refused("bad_syntax"), 1.0);
    QCOMPARE(refused("too_many_recipients"), 1.0);
    QCOMPARE(refused("bad_data"), 1.0);
    QCOMPARE(refused("too_many_hops"), 1.0);
    QCOMPARE(refused("relay_denied"), 0.0);
    QCOMPARE(refused("queue_error"), 0.0);
    QCOMPARE(valueOf(text, "tmail_messages_accepted_total"), 0.0);
}

void TestMetrics::exposesValidPrometheusText()
{
    TMAIL_REQUIRE_PEER(
        TestPeers::hasProgram(QStringLiteral("promtool")), "promtool (package prometheus) is not installed");
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    const QByteArray response = httpExchange(m_metricsPort, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(statusOf(response), 200);
    QVERIFY2(response.contains("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), response.constData());
    QVERIFY2(response.contains("\r\nConnection: close\r\n"), response.constData());
    const QByteArray body = bodyOf(response);
    QVERIFY2(response.contains(QByteArray("\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n")),
        response.constData());
    // Every metric has its HELP and TYPE lines, and every counter ends in _total.
    static const QRegularExpression typeLine(
        QStringLiteral("^# TYPE (\\S+) (\\S+)$"), QRegularExpression::MultilineOption);
    int counters = 0;
    for (auto it = typeLine.globalMatch(QString::fromUtf8(body)); it.hasNext();)
    {
        const QRegularExpressionMatch match = it.next();
        QVERIFY2(
            body.contains(QByteArray("# HELP " + match.captured(1).toUtf8() + ' ')), qPrintable(match.captured(1)));
        if (match.captured(2) == QLatin1String("counter"))
        {
            ++counters;
            QVERIFY2(match.captured(1).endsWith(QLatin1String("_total")), qPrintable(match.captured(1)));
        }
    }
    QCOMPARE(counters, 11);

    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    promtool.start(QStringLiteral("promtool"), { QStringLiteral("check"), QStringLiteral("metrics") });
    QVERIFY(promtool.waitForStarted(10000));
    promtool.write(body);
    promtool.closeWriteChannel();
    QVERIFY(promtool.waitForFinished(30000));
    const QByteArray verdict = promtool.readAll();
    QVERIFY2(promtool.exitStatus() == QProcess::NormalExit && promtool.exitCode() == 0, verdict.constData());
    // promtool lints too (naming, units, HELP): it prints each problem it finds.
    QVERIFY2(verdict.trimmed().isEmpty(), verdict.constData());

    // promtool must fail on a broken exposition, or the check above proves nothing.
    QProcess broken;
    broken.setProcessChannelMode(QProcess::MergedChannels);
    broken.start(QStringLiteral("promtool"), { QStringLiteral("check"), QStringLiteral("metrics") });
    QVERIFY(broken.waitForStarted(10000));
    broken.write(QByteArray(body).replace("tmail_messages_accepted_total 0", "tmail_messages_accepted_total zero"));
    broken.closeWriteChannel();
    QVERIFY(broken.waitForFinished(30000));
    QVERIFY(broken.exitCode() != 0);

    // The metrics thread ends with the daemon: SIGTERM still stops it cleanly.
    QVERIFY2(m_daemon.terminate(35000), m_daemon.log().constData());
    QVERIFY2(m_daemon.log().contains("INFO - tmail stopped"), m_daemon.log().constData());
}

void TestMetrics::answersOnlyGetMetrics()
{
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    const QList<std::tuple<const char *, QByteArray, int>> requests = {
        { "GET /metrics", QByteArray("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"), 200 },
        { "HTTP/1.0, bare LF", QByteArray("GET /metrics HTTP/1.0\n\n"), 200 },
        { "query string", QByteArray("GET /metrics?x=1 HTTP/1.1\r\n\r\n"), 200 },
        { "other path", QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 404 },
        { "path prefix", QByteArray("GET /metricsx HTTP/1.1\r\n\r\n"), 404 },
        { "POST", QByteArray("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), 405 },
        { "HEAD", QByteArray("HEAD /metrics HTTP/1.1\r\n\r\n"), 405 },
        { "TLS hello", QByteArray("\x16\x03\x01\x02\x00\x01\x00\r\n\r\n", 11), 400 },
        { "SMTP", QByteArray("EHLO client.test\r\n\r\n"), 400 },
        { "no version", QByteArray("GET /metrics\r\n\r\n"), 400 },
        { "HTTP/2.0", QByteArray("GET /metrics HTTP/2.0\r\n\r\n"), 400 },
        { "absolute URI", QByteArray("GET http://x/metrics HTTP/1.1\r\n\r\n"), 400 },
        { "header without colon", QByteArray("GET /metrics HTTP/1.1\r\nHost x\r\n\r\n"), 400 },
        { "NUL in a header", QByteArray("GET /metrics HTTP/1.1\r\nHost: a") + '\0' + QByteArray("b\r\n\r\n"), 400 },
    };
    for (const auto &[name, request, status] : requests)
    {
        const QByteArray response = httpExchange(m_metricsPort, request);
        const QByteArray why = QByteArray(name) + ": " + response.left(300);
        QVERIFY2(statusOf(response) == status, why.constData());
        QVERIFY2(response.contains("\r\nConnection: close\r\n"), why.constData());
        if (status == 405)
            QVERIFY2(response.contains("\r\nAllow: GET\r\n"), why.constData());
        if (status == 200)
            QVERIFY2(bodyOf(response).contains("# TYPE tmail_messages_accepted_total counter\n"), why.constData());
        else
            QVERIFY2(!bodyOf(response).contains("tmail_"), why.constData());
    }
    // The daemon still serves mail.
    SmtpTestClient client;
    QVERIFY(client.connectTo(m_smtpPort));
    QVERIFY(client.readReply().startsWith(QStringLiteral("220 ")));
}

void TestMetrics::boundsRequestSizeAndTime()
{
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    // A head that never ends is cut at the size bound with 431.
    const QByteArray huge = "GET /metrics HTTP/1.1\r\nX-Filler: " + QByteArray(20000, 'a');
    const QByteArray tooBig = httpExchange(m_metricsPort, huge);
    QVERIFY2(statusOf(tooBig) == 431, tooBig.left(200).constData());

    // A client that sends half a request is answered 408 and closed after the timeout
    // (10 s), while the SMTP listener and other scrapes go on meanwhile.
    QTcpSocket slow;
    slow.connectToHost(QHostAddress::LocalHost, m_metricsPort);
    QVERIFY(slow.waitForConnected(5000));
    slow.write("GET /metrics HTTP/1.1\r\n");
    slow.flush();
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!scrape().isEmpty());
    SmtpTestClient client;
    QVERIFY(client.connectTo(m_smtpPort));
    QVERIFY(client.readReply().startsWith(QStringLiteral("220 ")));
    QByteArray answer;
    QVERIFY(QTest::qWaitFor(
        [&]() {
            answer += slow.readAll();
            return slow.state() == QAbstractSocket::UnconnectedState;
        },
        20000));
    answer += slow.readAll();
    QVERIFY2(statusOf(answer) == 408, answer.constData());
    QVERIFY2(timer.elapsed() >= 8000, qPrintable(QString::number(timer.elapsed())));
}

void TestMetrics::capsConnectionsWithoutTouchingSmtp()
{
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    // 32 clients that say nothing hold every slot of the listener…
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    for (int i = 0; i < 32; ++i)
    {
        idle.push_back(std::make_unique<QTcpSocket>());
        idle.back()->connectToHost(QHostAddress::LocalHost, m_metricsPort);
        QVERIFY(idle.back()->waitForConnected(5000));
    }
    QTest::qWait(300); // the listener's thread has accepted them all
    // …so one more is closed at once, without an answer.
    QElapsedTimer timer;
    timer.start();
    const QByteArray refused = httpExchange(m_metricsPort, "GET /metrics HTTP/1.1\r\n\r\n", 5000);
    QVERIFY2(refused.isEmpty(), refused.left(200).constData());
    QVERIFY2(timer.elapsed() < 4000, qPrintable(QString::number(timer.elapsed())));
    // SMTP is not affected: a whole session runs meanwhile.
    SmtpTestClient client;
    QVERIFY(client.connectTo(m_smtpPort));
    QVERIFY(client.readReply().startsWith(QStringLiteral("220 ")));
    QVERIFY(client.command(QStringLiteral("EHLO client.test")).startsWith(QStringLiteral("250")));
    QVERIFY(client.command(QStringLiteral("QUIT")).startsWith(QStringLiteral("221")));
    // Once they leave, scrapes are served again.
    for (const auto &socket : idle)
        socket->abort();
    QVERIFY(!scrapeUntil([](const QByteArray &text) { return !text.isEmpty(); }, 5000).isEmpty());
}

void TestMetrics::isOffByDefault()
{
    m_env->environment().remove(QStringLiteral("TMAIL_METRICS_LISTEN"));
    QVERIFY2(startDaemon(), m_daemon.log().constData());
    QVERIFY2(!m_daemon.log().contains(QStringLiteral("metrics 127.0.0.1:%1").arg(m_metricsPort).toUtf8()),
        m_daemon.log().constData());
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_metricsPort);
    QVERIFY(!socket.waitForConnected(1000));
}

void TestMetrics::refusesBadListenValue_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("no port") << QStringLiteral("127.0.0.1")
                             << QStringLiteral("TMAIL_METRICS_LISTEN: '127.0.0.1' is not of the form IP:PORT");
    QTest::newRow("port too big") << QStringLiteral("127.0.0.1:99999")
                                  << QStringLiteral("TMAIL_METRICS_LISTEN: '127.0.0.1:99999' has port '99999'; "
                                                    "expected a port from 1 to 65535");
    QTest::newRow("port zero") << QStringLiteral("127.0.0.1:0") << QStringLiteral("has port '0'");
    QTest::newRow("host name") << QStringLiteral("localhost:9925")
                               << QStringLiteral("has 'localhost', which is not an IP address");
    QTest::newRow("IPv6 without brackets") << QStringLiteral("::1:9925") << QStringLiteral("without brackets");
    QTest::newRow("IPv4 in brackets") << QStringLiteral("[127.0.0.1]:9925")
                                      << QStringLiteral("which is not an IPv6 address");
    QTest::newRow("unclosed bracket") << QStringLiteral("[::1:9925") << QStringLiteral("unclosed '['");
    QTest::newRow("an smtpd listener") << QStringLiteral("127.0.0.1:2525")
                                       << QStringLiteral("is also an smtpd listener of TMAIL_SMTPD_DSNS");
}

void TestMetrics::refusesBadListenValue()
{
    QFETCH(QString, value);
    QFETCH(QString, message);
    QHash<QString, QString> variables;
    const QProcessEnvironment environment = m_env->processEnvironment();
    for (const QString &name : environment.keys())
    {
        if (name.startsWith(QLatin1String("TMAIL_")))
            variables.insert(name, environment.value(name));
    }
    variables.insert(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:2525:false"));
    variables.insert(QStringLiteral("TMAIL_METRICS_LISTEN"), value);
    const ConfigResult config = Config::fromVariables(variables, m_env->path(QString()));
    QVERIFY(!config.ok());
    QCOMPARE(config.variable(), QStringLiteral("TMAIL_METRICS_LISTEN"));
    QVERIFY2(config.error().contains(message), qPrintable(config.error()));

    // The good forms, for contrast.
    for (const QString &good : { QStringLiteral("127.0.0.1:9925"), QStringLiteral("[::1]:9925"), QString() })
    {
        variables.insert(QStringLiteral("TMAIL_METRICS_LISTEN"), good);
        const ConfigResult accepted = Config::fromVariables(variables, m_env->path(QString()));
        QVERIFY2(accepted.ok(), qPrintable(accepted.error()));
        QCOMPARE(accepted->metricsPort, good.isEmpty() ? quint16(0) : quint16(9925));
    }
}

void TestMetrics::daemonRefusesBadListenValue()
{
    m_env->set(QStringLiteral("TMAIL_METRICS_LISTEN"), QStringLiteral("127.0.0.1:99999"));
    const TmailRun run = m_env->run({});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("TMAIL_METRICS_LISTEN: '127.0.0.1:99999' has port '99999'; expected a "
                                             "port from 1 to 65535")),
        qPrintable(run.err + run.out));
    // Nothing was started: the SMTP port is free.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_smtpPort);
    QVERIFY(!socket.waitForConnected(1000));
}

void TestMetrics::daemonStopsWhenThePortIsTaken()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, m_metricsPort));
    QVERIFY(!m_daemon.start(*m_env, QString(), "deliverd launched", 15000));
    QVERIFY(QTest::qWaitFor([this]() { return !m_daemon.isRunning(); }, 15000));
    m_daemon.log() += m_daemon.process().readAll();
    QVERIFY2(
        m_daemon.log().contains(QStringLiteral("metrics: cannot listen on 127.0.0.1:%1").arg(m_metricsPort).toUtf8()),
        m_daemon.log().constData());
    QCOMPARE(m_daemon.process().exitCode(), 1);
}

void TestMetrics::prometheusScrapesTmail()
{
    const QString prometheusBinary = QStringLiteral("/usr/bin/prometheus");
    TMAIL_REQUIRE_PEER(QFileInfo::exists(prometheusBinary), "prometheus (package prometheus) is not installed");
    QVERIFY2(startDaemon(), m_daemon.log().constData());

    const quint16 webPort = freeLoopbackPort();
    const QString configPath = m_env->path(QStringLiteral("prometheus.yml"));
    QFile config(configPath);
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("global:\n"
                                "  scrape_interval: 1s\n"
                                "  scrape_timeout: 1s\n"
                                "  evaluation_interval: 1s\n"
                                "scrape_configs:\n"
                                "  - job_name: tmail\n"
                                "    static_configs:\n"
                                "      - targets: ['127.0.0.1:%1']\n")
                     .arg(m_metricsPort)
                     .toUtf8());
    config.close();
    const QString storage = m_env->path(QStringLiteral("prometheus-data"));
    QVERIFY(QDir().mkpath(storage));

    QProcess prometheus;
    prometheus.setProcessChannelMode(QProcess::MergedChannels);
    prometheus.start(prometheusBinary,
        { QStringLiteral("--config.file=") + configPath, QStringLiteral("--storage.tsdb.path=") + storage,
            QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(webPort) });
    QVERIFY(prometheus.waitForStarted(10000));
    const auto stopPrometheus = qScopeGuard([&prometheus]() {
        prometheus.kill();
        prometheus.waitForFinished(10000);
    });

    // up{job="tmail"} is 1 once a scrape succeeded; bounded to 60 s (start-up and the first scrapes).
    QElapsedTimer timer;
    timer.start();
    QByteArray answer;
    QString up;
    QString accepted;
    while (timer.elapsed() < 60000 && prometheus.state() == QProcess::Running)
    {
        QTest::qWait(500);
        answer = bodyOf(httpExchange(
            webPort, "GET /api/v1/query?query=up HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 5000));
        const QJsonArray result = QJsonDocument::fromJson(answer)
                                      .object()[QLatin1String("data")]
                                      .toObject()[QLatin1String("result")]
                                      .toArray();
        if (!result.isEmpty())
        {
            up = result.first().toObject()[QLatin1String("value")].toArray().last().toString();
            if (up == QLatin1String("1"))
                break;
        }
    }
    const QByteArray why = answer + "\n" + prometheus.readAll() + "\n" + m_daemon.log();
    QVERIFY2(up == QLatin1String("1"), why.constData());

    // And the samples themselves were ingested: the build info carries tmail's version.
    answer = bodyOf(httpExchange(webPort,
        "GET /api/v1/query?query=tmail_build_info HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 5000));
    const QJsonArray info
        = QJsonDocument::fromJson(answer).object()[QLatin1String("data")].toObject()[QLatin1String("result")].toArray();
    QVERIFY2(!info.isEmpty(), answer.constData());
    QCOMPARE(info.first().toObject()[QLatin1String("metric")].toObject()[QLatin1String("version")].toString(),
        QStringLiteral(TMAIL_VERSION));
}

QTEST_GUILESS_MAIN(TestMetrics)
// The reason label of deferred and bounced recipients, from the results deliverd writes.
void TestMetrics::historyKeepsTheLastDayMinuteByMinute()
{
    using Counter = MetricsHistory::Counter;
    MetricsHistory history;
    const qint64 day = 1440LL * 60000;
    const qint64 t0 = 1764763200000; // a minute's start
    history.add(Counter::Accepted, 2, t0 + 5000);
    history.add(Counter::Accepted, 1, t0 + 59999);
    history.add(Counter::AcceptedTls, 1, t0 + 100);
    history.add(Counter::Delivered, 4, t0 + 60000); // the next minute
    history.add(Counter::Refused, 1, t0 + 30 * 60000);

    const QList<MetricsHistory::Minute> hour = history.last(60, t0 + 59 * 60000 + 1);
    QCOMPARE(hour.size(), 60);
    QCOMPARE(hour.first().minute * 60000, t0);
    QCOMPARE(hour.at(0).count(Counter::Accepted), 3);
    QCOMPARE(hour.at(0).count(Counter::AcceptedTls), 1);
    QCOMPARE(hour.at(0).count(Counter::Delivered), 0);
    QCOMPARE(hour.at(1).count(Counter::Delivered), 4);
    QCOMPARE(hour.at(30).count(Counter::Refused), 1);
    QCOMPARE(hour.at(59).count(Counter::Accepted), 0);
    // Out of range spans are bounded.
    QCOMPARE(history.last(0, t0).size(), 1);
    QCOMPARE(history.last(5000, t0).size(), MetricsHistory::Minutes);

    // A day later the first minute has left the window; its bucket is reused from zero.
    const QList<MetricsHistory::Minute> nextDay = history.last(MetricsHistory::Minutes, t0 + day + 1000);
    QCOMPARE(nextDay.size(), MetricsHistory::Minutes);
    QCOMPARE(nextDay.first().minute * 60000, t0 + 60000);
    QCOMPARE(nextDay.first().count(Counter::Delivered), 4);
    QCOMPARE(nextDay.last().count(Counter::Accepted), 0);
    history.add(Counter::Accepted, 7, t0 + day + 1000);
    QCOMPARE(history.last(1, t0 + day + 2000).first().count(Counter::Accepted), 7);
    QCOMPARE(history.last(1, t0 + day + 2000).first().count(Counter::AcceptedTls), 0);
    // Counts a clock set back would put in a minute a newer one holds are dropped.
    history.add(Counter::Accepted, 100, t0 + 1000);
    QCOMPARE(history.last(1, t0 + day + 2000).first().count(Counter::Accepted), 7);

    // The registry feeds it where its counters grow.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto sum = [](Counter counter) {
        qint64 total = 0;
        for (const MetricsHistory::Minute &minute :
            Metrics::instance().history().last(2, QDateTime::currentMSecsSinceEpoch()))
            total += minute.count(counter);
        return total;
    };
    const qint64 acceptedBefore = sum(Counter::Accepted);
    const qint64 tlsBefore = sum(Counter::AcceptedTls);
    const qint64 sessionsBefore = sum(Counter::DeliverySessionsTls);
    Metrics::instance().countAccepted(true);
    Metrics::instance().countDeliverySession(true);
    if (QDateTime::currentMSecsSinceEpoch() / 60000 == now / 60000)
    {
        QCOMPARE(sum(Counter::Accepted), acceptedBefore + 1);
        QCOMPARE(sum(Counter::AcceptedTls), tlsBefore + 1);
        QCOMPARE(sum(Counter::DeliverySessionsTls), sessionsBefore + 1);
    }
}

void TestMetrics::classifiesDeliveryFailures_data()
{
    QTest::addColumn<QString>("detail");
    QTest::addColumn<int>("failure");
    const auto row = [](const char *name, const char *detail, Metrics::Failure failure) {
        QTest::newRow(name) << QString::fromLatin1(detail) << int(failure);
    };
    row("remote 4xx", "host mx.example[192.0.2.1] said: 451 4.3.0 try later", Metrics::Failure::Remote);
    row("remote 5xx", "host mx.example[192.0.2.1] said: 550 5.1.1 no such user", Metrics::Failure::Remote);
    row("DANE", "4.7.5 TLS policy dane not met (tlsa-invalid) with mx.example[192.0.2.1]: x",
        Metrics::Failure::TlsPolicy);
    row("MTA-STS", "4.7.5 mx.example: not an MX host of the MTA-STS policy", Metrics::Failure::TlsPolicy);
    row("DNS down", "4.4.3 example.org: MX lookup failed: timeout", Metrics::Failure::Dns);
    row("no domain", "5.1.2 example.invalid: no such domain", Metrics::Failure::Dns);
    row("null MX", "5.1.10 example.org: null MX", Metrics::Failure::Dns);
    row("remote coded", "5.1.1 host mx.example[192.0.2.1]:25 said: 550 5.1.1 no such user", Metrics::Failure::Remote);
    row("greeting", "4.0.0 host mx.example[192.0.2.1]:25 said: 554 go away (in reply to the greeting)",
        Metrics::Failure::Remote);
    row("refused", "4.4.1 connection to mx.example[192.0.2.1]:25 refused", Metrics::Failure::Connection);
    row("lost", "4.4.2 connection to mx.example[192.0.2.1]:25 closed by the remote", Metrics::Failure::Connection);
    row("no address", "4.4.4 cannot route to relay.example:25: no address found", Metrics::Failure::Dns);
    row("expired", "5.4.7 delivery time expired, last error: x", Metrics::Failure::Expired);
    row("other", "no DNS resolver", Metrics::Failure::Other);
}

void TestMetrics::classifiesDeliveryFailures()
{
    QFETCH(QString, detail);
    QFETCH(int, failure);
    QCOMPARE(int(Metrics::failureOf(detail)), failure);
}

#include "tst_metrics.moc"
