// `tmail sendmail` as cron and PHP's mail() call it: the message goes through the real
// daemon (queue, deliverd, a static route) to a capturing SMTP sink on loopback.
#include "tmailprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <memory>

namespace {

const QString SinkAddress = QStringLiteral("127.0.19.9");

// A minimal SMTP sink: every message it accepts is kept with its envelope.
class SmtpSink : public QObject
{
public:
    struct Message
    {
        QByteArray sender;
        QList<QByteArray> recipients;
        QByteArray data;
    };

    bool listen() { return m_server.listen(QHostAddress(SinkAddress), 0); }
    quint16 port() const { return m_server.serverPort(); }
    QList<Message> messages;

    SmtpSink()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this]() {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
            {
                auto state = std::make_shared<Session>();
                socket->write("220 sink ESMTP\r\n");
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket, state]() { onData(socket, *state); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

private:
    struct Session
    {
        bool inData = false;
        Message message;
    };

    void onData(QTcpSocket *socket, Session &session)
    {
        while (socket->canReadLine())
        {
            const QByteArray line = socket->readLine();
            if (session.inData)
            {
                if (line == ".\r\n")
                {
                    session.inData = false;
                    messages.append(session.message);
                    session.message = Message();
                    socket->write("250 2.0.0 kept\r\n");
                }
                else
                {
                    session.message.data += line.startsWith('.') ? line.mid(1) : line;
                }
                continue;
            }
            const QByteArray upper = line.toUpper();
            if (upper.startsWith("EHLO") || upper.startsWith("HELO"))
            {
                socket->write("250 sink\r\n");
            }
            else if (upper.startsWith("MAIL FROM:"))
            {
                session.message.sender = line.mid(10).trimmed();
                socket->write("250 2.1.0 ok\r\n");
            }
            else if (upper.startsWith("RCPT TO:"))
            {
                session.message.recipients.append(line.mid(8).trimmed());
                socket->write("250 2.1.5 ok\r\n");
            }
            else if (upper.startsWith("DATA"))
            {
                session.inData = true;
                socket->write("354 go\r\n");
            }
            else if (upper.startsWith("QUIT"))
            {
                socket->write("221 bye\r\n");
                socket->disconnectFromHost();
            }
            else
            {
                socket->write("250 ok\r\n");
            }
        }
    }

    QTcpServer m_server;
};

struct Run
{
    int exitCode = -1;
    QByteArray err;
};

} // namespace

class TestSendmail : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cronPipeWithTReachesTheSink();
    void phpMailStyleKeepsDotLinesAndDropsBcc();
    void senderOptionSetsTheEnvelope();
    void aLoneDotEndsTheMessageWithoutI();
    void sendmailNamedLinkWorksTheSame();
    void unknownOptionIsUsage();
    void noRecipientIsUsage();
    void daemonDownIsTempFail();

private:
    Run sendmail(const QStringList &args, const QByteArray &input, const QString &program = QString());
    bool waitForMessages(int count);

    std::unique_ptr<TmailEnvironment> m_env;
    std::unique_ptr<QProcess> m_daemon;
    QByteArray m_log;
    SmtpSink m_sink;
    quint16 m_port = 0;
};

Run TestSendmail::sendmail(const QStringList &args, const QByteArray &input, const QString &program)
{
    QProcess process;
    process.setProcessEnvironment(m_env->environment());
    if (program.isEmpty())
        process.start(TmailEnvironment::tmailBinary(), QStringList { QStringLiteral("sendmail") } + args);
    else
        process.start(program, args);
    Run run;
    if (!process.waitForStarted(10000))
        return run;
    process.write(input);
    process.closeWriteChannel();
    // The sink lives on this thread: keep its event loop turning while sendmail runs.
    QElapsedTimer timer;
    timer.start();
    while (process.state() != QProcess::NotRunning && timer.elapsed() < 60000)
    {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        process.waitForFinished(20);
    }
    if (process.state() != QProcess::NotRunning)
    {
        process.kill();
        process.waitForFinished(5000);
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.err = process.readAllStandardError();
    return run;
}

bool TestSendmail::waitForMessages(int count)
{
    QElapsedTimer timer;
    timer.start();
    while (m_sink.messages.size() < count && timer.elapsed() < 20000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return m_sink.messages.size() >= count;
}

void TestSendmail::initTestCase()
{
    QVERIFY(m_sink.listen());
    m_env = std::make_unique<TmailEnvironment>();
    QVERIFY(m_env->isValid());
    m_port = freeLoopbackPort();
    // A listener on 0.0.0.0: sendmail reaches it on 127.0.0.1.
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("0.0.0.0:%1:false").arg(m_port));
    for (const QStringList &args : { QStringList { QStringLiteral("db"), QStringLiteral("init") },
             QStringList { QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("127.0.0.1") },
             QStringList { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
                 QStringLiteral("example.net"), QStringLiteral("-rh"), SinkAddress, QStringLiteral("-rp"),
                 QString::number(m_sink.port()) } })
    {
        const TmailRun run = m_env->run(args);
        QVERIFY2(run.exitCode == 0, qPrintable(args.join(QLatin1Char(' ')) + QLatin1Char(' ') + run.err));
    }
    QVERIFY2(m_env->startDaemon(&m_daemon, &m_log), m_log.constData());
}

void TestSendmail::cleanupTestCase()
{
    if (m_daemon && m_daemon->state() != QProcess::NotRunning)
    {
        m_daemon->terminate();
        if (!m_daemon->waitForFinished(20000))
            m_daemon->kill();
    }
}

void TestSendmail::init()
{
    m_sink.messages.clear();
}

void TestSendmail::cronPipeWithTReachesTheSink()
{
    // What cron's mailer does: headers and output on a pipe, recipients in To.
    const Run run = sendmail(
        { QStringLiteral("-t") }, "To: admin@example.net\nSubject: Cron <root@host> backup\n\nbackup done\n");
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(waitForMessages(1), m_log.constData());
    const SmtpSink::Message &message = m_sink.messages.first();
    QCOMPARE(message.recipients, QList<QByteArray> { "<admin@example.net>" });
    QVERIFY(message.sender.startsWith("<root@mx.test.local>"));
    QVERIFY(message.data.contains("Subject: Cron <root@host> backup\r\n"));
    QVERIFY(message.data.contains("From: root@mx.test.local\r\n"));
    QVERIFY(message.data.contains("\r\nbackup done\r\n"));
}

void TestSendmail::phpMailStyleKeepsDotLinesAndDropsBcc()
{
    // PHP's mail(): sendmail_path "sendmail -t -i", recipients in To/Cc/Bcc, a body line ".".
    const Run run = sendmail({ QStringLiteral("-t"), QStringLiteral("-i") },
        "From: Web <www@example.com>\r\nTo: \"Ann, Sales\" <ann@example.net>, bob@example.net\r\n"
        "Cc: Team: carol@example.net, dave@example.net;\r\nBcc: eve@example.net\r\n"
        "Subject: order\r\n\r\nline one\r\n.\r\n..two dots\r\nlast line\r\n");
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(waitForMessages(1), m_log.constData());
    QList<QByteArray> recipients;
    for (const SmtpSink::Message &message : std::as_const(m_sink.messages))
        recipients += message.recipients;
    std::sort(recipients.begin(), recipients.end());
    QCOMPARE(recipients,
        (QList<QByteArray> { "<ann@example.net>", "<bob@example.net>", "<carol@example.net>", "<dave@example.net>",
            "<eve@example.net>" }));
    const QByteArray data = m_sink.messages.first().data;
    QVERIFY2(!data.contains("Bcc:") && !data.contains("eve@"), data.constData());
    QVERIFY2(data.contains("\r\nline one\r\n.\r\n..two dots\r\nlast line\r\n"), data.constData());
    QVERIFY(data.contains("From: Web <www@example.com>\r\n"));
}

void TestSendmail::senderOptionSetsTheEnvelope()
{
    const Run run = sendmail(
        { QStringLiteral("-f"), QStringLiteral("bounces@example.com"), QStringLiteral("-F"), QStringLiteral("Billing"),
            QStringLiteral("-oi"), QStringLiteral("-bm"), QStringLiteral("zed@example.net") },
        "Subject: invoice\n\nhello\n");
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(waitForMessages(1), m_log.constData());
    QVERIFY2(
        m_sink.messages.first().sender.startsWith("<bounces@example.com>"), m_sink.messages.first().sender.constData());
    QCOMPARE(m_sink.messages.first().recipients, QList<QByteArray> { "<zed@example.net>" });
    QVERIFY(m_sink.messages.first().data.contains("From: \"Billing\" <bounces@example.com>\r\n"));
}

void TestSendmail::aLoneDotEndsTheMessageWithoutI()
{
    const Run run = sendmail({ QStringLiteral("zed@example.net") }, "Subject: dot\n\nkept\n.\nnot sent\n");
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(waitForMessages(1), m_log.constData());
    const QByteArray data = m_sink.messages.first().data;
    QVERIFY2(data.contains("kept\r\n") && !data.contains("not sent"), data.constData());
}

void TestSendmail::sendmailNamedLinkWorksTheSame()
{
    QTemporaryDir dir;
    const QString link = dir.filePath(QStringLiteral("sendmail"));
    QVERIFY(QFile::link(TmailEnvironment::tmailBinary(), link));
    const Run run
        = sendmail({ QStringLiteral("-t"), QStringLiteral("-oi") }, "To: link@example.net\n\nvia the link\n", link);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(waitForMessages(1), m_log.constData());
    QCOMPARE(m_sink.messages.first().recipients, QList<QByteArray> { "<link@example.net>" });
}

void TestSendmail::unknownOptionIsUsage()
{
    const Run run = sendmail({ QStringLiteral("-Q"), QStringLiteral("a@example.net") }, "x\n");
    QCOMPARE(run.exitCode, 64);
    QVERIFY2(run.err.contains("unknown or unsupported option '-Q'"), run.err.constData());
}

void TestSendmail::noRecipientIsUsage()
{
    const Run run = sendmail({}, "Subject: none\n\nx\n");
    QCOMPARE(run.exitCode, 64);
    QVERIFY2(run.err.contains("no recipients"), run.err.constData());
}

void TestSendmail::daemonDownIsTempFail()
{
    const QString running = m_env->environment().value(QStringLiteral("TMAIL_SMTPD_DSNS"));
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(freeLoopbackPort()));
    const Run run = sendmail({ QStringLiteral("a@example.net") }, "x\n");
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), running);
    QCOMPARE(run.exitCode, 75);
    QVERIFY2(
        run.err.contains("cannot reach the tmail daemon at 127.0.0.1 port") && run.err.contains("TMAIL_SMTPD_DSNS"),
        run.err.constData());
}

QTEST_GUILESS_MAIN(TestSendmail)
#include "tst_sendmail.moc"
