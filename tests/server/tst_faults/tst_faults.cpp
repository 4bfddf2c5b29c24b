// Faults injected into the real tmail binary under load, each bounded in count and time:
// SIGKILL and SIGTERM at random moments, a full store, the database server stopped, and
// remote peers that stall, drop or fail TLS. What was acknowledged with 250 must be
// delivered (to faultsink.py, which records one Subject per delivery), at most twice.
#include "testpeers.h"
#include "tmailprocess.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <thread>

#include <sys/mount.h>

namespace {

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

// One reply (last line) from a blocking socket, bounded; empty on close or timeout.
QByteArray readReply(QTcpSocket &socket, int timeoutMs = 15000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs)
    {
        while (socket.canReadLine())
        {
            const QByteArray line = socket.readLine();
            if (line.size() >= 4 && line.at(3) == ' ')
                return line.trimmed();
        }
        if (socket.state() != QAbstractSocket::ConnectedState)
            return QByteArray();
        socket.waitForReadyRead(100);
    }
    return QByteArray();
}

QByteArray command(QTcpSocket &socket, const QByteArray &line)
{
    socket.write(line + "\r\n");
    return readReply(socket);
}

// What the load generator saw.
struct Load
{
    QStringList acked; // subjects answered 250 after DATA
    int attempted = 0;
    int tempFailures = 0; // 4xx after DATA (or at MAIL/RCPT/DATA)
    int dropped = 0; // connection lost before the final reply
    QList<QByteArray> badReplies; // anything else (5xx, garbage)
};

// Sends one message on an open session; returns the final reply ("" when cut).
QByteArray sendMessage(QTcpSocket &socket, const QString &subject, int bodyBytes)
{
    QByteArray reply = command(socket, "MAIL FROM:<load@client.test>");
    if (!reply.startsWith("250"))
        return reply;
    reply = command(socket, "RCPT TO:<u@sink.test>");
    if (!reply.startsWith("250"))
        return reply;
    reply = command(socket, "DATA");
    if (!reply.startsWith("354"))
        return reply;
    QByteArray body = "Subject: " + subject.toUtf8() + "\r\nMessage-ID: <" + subject.toUtf8() + "@client.test>\r\n\r\n";
    const QByteArray line(76, 'x');
    while (body.size() < bodyBytes)
        body += line + "\r\n";
    socket.write(body + ".\r\n");
    return readReply(socket, 30000);
}

// Opens a session; false when the daemon is not there.
bool openSession(QTcpSocket &socket, quint16 port)
{
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(2000))
        return false;
    if (!readReply(socket, 5000).startsWith("220"))
        return false;
    return command(socket, "EHLO client.test").startsWith("250");
}

} // namespace

class TestFaults : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void sigkillDuringLoadLosesNothingAcknowledged();
    void sigtermDuringLoadLosesNothingAcknowledged();
    void sighupDuringLoadKeepsSessionsAndMessages();
    void fullStoreAnswers4xxAndResumes();
    void stoppedDatabaseAnswers451AndRecovers_data();
    void stoppedDatabaseAnswers451AndRecovers();
    void stallingAndBrokenPeersGetMessageOnce();

private:
    bool startSink(const QStringList &faults = {});
    bool startDaemon();
    bool waitListening(int timeoutMs);
    bool daemonAlive();
    QHash<QString, int> deliveries() const;
    bool waitDelivered(const QStringList &subjects, int timeoutMs);
    void prepareRoute();
    // Load with signal `signal` sent `faults` times at random moments.
    void loadWithSignals(int signal, int faults, int messages, Load *load, int *survived);

    std::unique_ptr<TmailEnvironment> m_env;
    std::unique_ptr<QProcess> m_daemon;
    std::unique_ptr<QProcess> m_sink;
    quint16 m_smtpPort = 0;
    quint16 m_sinkPort = 0;
    QString m_sinkFile;
    QString m_mounted;
    QString m_dbDir;
    int m_starts = 0;
};

void TestFaults::init()
{
    m_env = std::make_unique<TmailEnvironment>();
    QVERIFY(m_env->isValid());
    m_smtpPort = freePort();
    m_sinkPort = freePort();
    m_sinkFile = m_env->path(QStringLiteral("delivered.txt"));
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(m_smtpPort));
    m_env->set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(freePort()));
    m_env->set(QStringLiteral("TMAIL_DELIVERD_REMOTE_TIMEOUT"), QStringLiteral("2"));
    m_starts = 0;
}

void TestFaults::cleanup()
{
    for (QProcess *process : { m_daemon.get(), m_sink.get() })
    {
        if (process && process->state() != QProcess::NotRunning)
        {
            process->kill();
            process->waitForFinished(5000);
        }
    }
    m_daemon.reset();
    m_sink.reset();
    if (!m_mounted.isEmpty())
    {
        ::umount2(m_mounted.toLocal8Bit().constData(), MNT_DETACH);
        m_mounted.clear();
    }
    if (!m_dbDir.isEmpty())
    {
        QProcess::execute(
            QStringLiteral(TMAIL_SOURCE_DIR "/tests/helpers/dbservers.sh"), { QStringLiteral("stop"), m_dbDir });
        QDir(QFileInfo(m_dbDir).path()).removeRecursively(); // the per-test base directory
        m_dbDir.clear();
    }
    m_env.reset();
}

bool TestFaults::startSink(const QStringList &faults)
{
    m_sink = std::make_unique<QProcess>();
    m_sink->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_sink->start(QStringLiteral("python3"),
        QStringList { QStringLiteral(TMAIL_FAULTSINK), QStringLiteral("--port"), QString::number(m_sinkPort),
            QStringLiteral("--out"), m_sinkFile, QStringLiteral("--lifetime"), QStringLiteral("400") }
            + faults);
    return m_sink->waitForStarted(5000) && m_sink->waitForReadyRead(10000) && m_sink->readAll().contains("ready");
}

void TestFaults::prepareRoute()
{
    QCOMPARE(
        m_env->run({ QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("127.0.0.0/8") }).exitCode, 0);
    QCOMPARE(m_env
                 ->run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
                     QStringLiteral("sink.test"), QStringLiteral("-rh"), QStringLiteral("127.0.0.1"),
                     QStringLiteral("-rp"), QString::number(m_sinkPort) })
                 .exitCode,
        0);
}

bool TestFaults::startDaemon()
{
    m_daemon = std::make_unique<QProcess>();
    m_daemon->setProcessEnvironment(m_env->environment());
    // To a file: nobody reads a pipe while the load runs, and a full pipe would block tmail.
    m_daemon->setStandardOutputFile(m_env->path(QStringLiteral("daemon.log")), QIODevice::Append);
    m_daemon->setStandardErrorFile(m_env->path(QStringLiteral("daemon.log")), QIODevice::Append);
    m_daemon->start(TmailEnvironment::tmailBinary(), {});
    ++m_starts;
    return m_daemon->waitForStarted(10000) && waitListening(20000);
}

// Without an event loop QProcess learns of an exit only when asked to wait.
bool TestFaults::daemonAlive()
{
    return m_daemon && m_daemon->state() != QProcess::NotRunning && !m_daemon->waitForFinished(1);
}

bool TestFaults::waitListening(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs && daemonAlive())
    {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_smtpPort);
        if (probe.waitForConnected(500) && readReply(probe, 3000).startsWith("220"))
        {
            probe.write("QUIT\r\n");
            probe.waitForBytesWritten(500);
            return true;
        }
        QThread::msleep(100);
    }
    return false;
}

QHash<QString, int> TestFaults::deliveries() const
{
    QHash<QString, int> counts;
    QFile file(m_sinkFile);
    if (file.open(QIODevice::ReadOnly))
    {
        for (const QByteArray &line : file.readAll().split('\n'))
        {
            if (!line.isEmpty())
                ++counts[QString::fromUtf8(line)];
        }
    }
    return counts;
}

bool TestFaults::waitDelivered(const QStringList &subjects, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs)
    {
        const QHash<QString, int> counts = deliveries();
        bool all = true;
        for (const QString &subject : subjects)
            all = all && counts.value(subject) > 0;
        if (all)
            return true;
        QThread::msleep(250);
    }
    return false;
}

void TestFaults::loadWithSignals(int signal, int faults, int messages, Load *load, int *survived)
{
    std::atomic<qint64> pid { m_daemon->processId() };
    std::atomic<bool> loadDone { false };
    std::atomic<int> sent { 0 };
    std::atomic<int> signalled { 0 };
    // The fault injector: waits a random 150-750 ms, signals whatever tmail runs then,
    // until `faults` signals were sent (the load goes on until then, within its bounds).
    std::thread injector([&]() {
        while (signalled.load() < faults && !loadDone)
        {
            const int waitMs = 150 + int(QRandomGenerator::global()->bounded(600));
            for (int slept = 0; slept < waitMs && !loadDone; slept += 10)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            const qint64 target = pid.exchange(0);
            if (target > 0 && !loadDone)
            {
                ::kill(pid_t(target), signal);
                ++signalled;
            }
            // Wait for the next incarnation before the next fault.
            for (int waited = 0; waited < 30000 && pid.load() == 0 && !loadDone; waited += 10)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });

    QElapsedTimer budget;
    budget.start();
    int index = 0;
    while ((index < messages || signalled.load() < faults) && index < 3 * messages && budget.elapsed() < 120000)
    {
        // Alive first, then the pid: the injector clears the pid before it signals, so a
        // dead daemon whose pid is still set died by itself.
        if (!daemonAlive() && pid.load() != 0)
        {
            load->badReplies.append("tmail died by itself during the load: " + m_daemon->readAll().right(2000));
            break;
        }
        if (pid.load() == 0)
        {
            // Killed (or stopping): wait for the end, check how it ended, start again.
            if (m_daemon->state() != QProcess::NotRunning && !m_daemon->waitForFinished(15000))
            {
                m_daemon->kill();
                m_daemon->waitForFinished(5000);
                load->badReplies.append("daemon did not stop within 15 s after signal " + QByteArray::number(signal));
            }
            else if (signal == SIGTERM && (m_daemon->exitStatus() != QProcess::NormalExit || m_daemon->exitCode() != 0))
            {
                load->badReplies.append("SIGTERM exit code " + QByteArray::number(m_daemon->exitCode()));
            }
            if (!startDaemon())
            {
                load->badReplies.append("daemon did not restart");
                break;
            }
            pid = m_daemon->processId();
        }
        QTcpSocket socket;
        if (!openSession(socket, m_smtpPort))
        {
            QThread::msleep(50);
            continue;
        }
        // Up to 50 messages per session, as a busy client would.
        for (int inSession = 0; inSession < 50 && index < messages; ++inSession)
        {
            const QString subject = QStringLiteral("load-%1-%2").arg(signal).arg(index++);
            ++load->attempted;
            ++sent;
            const QByteArray reply = sendMessage(socket, subject, 1500);
            if (reply.startsWith("250 2.0.0 Ok: queued "))
                load->acked.append(subject);
            else if (reply.isEmpty() || reply.startsWith("421"))
            {
                ++load->dropped;
                break;
            }
            else if (reply.startsWith('4'))
                ++load->tempFailures;
            else
                load->badReplies.append(reply);
        }
        socket.abort();
    }
    loadDone = true;
    injector.join();
    *survived = signalled.load();
    if (pid.load() == 0 || !daemonAlive())
    {
        m_daemon->waitForFinished(15000);
        if (!startDaemon())
            load->badReplies.append("daemon did not restart after the load");
    }
}

void TestFaults::sigkillDuringLoadLosesNothingAcknowledged()
{
    QVERIFY(startSink());
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    prepareRoute();
    QVERIFY(startDaemon());
    Load load;
    int kills = 0;
    loadWithSignals(SIGKILL, 6, 1500, &load, &kills);
    QVERIFY2(load.badReplies.isEmpty(), load.badReplies.join('\n').constData());
    QVERIFY(kills >= 3);
    QVERIFY(load.acked.size() > 500);
    QVERIFY2(waitDelivered(load.acked, 90000), "an acknowledged message was lost after SIGKILL");
    const QHash<QString, int> counts = deliveries();
    int duplicates = 0;
    for (const QString &subject : std::as_const(load.acked))
    {
        QVERIFY2(counts.value(subject) <= 2, qPrintable(subject));
        duplicates += counts.value(subject) - 1;
    }
    qInfo("FIGURES sigkill: %d kills survived, %d messages sent, %lld acknowledged, %lld distinct delivered, %d "
          "duplicates, "
          "%d cut by the kill",
        kills, load.attempted, qlonglong(load.acked.size()), qlonglong(counts.size()), duplicates, load.dropped);
}

void TestFaults::sigtermDuringLoadLosesNothingAcknowledged()
{
    QVERIFY(startSink());
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    prepareRoute();
    QVERIFY(startDaemon());
    Load load;
    int stops = 0;
    loadWithSignals(SIGTERM, 3, 1200, &load, &stops);
    QVERIFY2(load.badReplies.isEmpty(), load.badReplies.join('\n').constData());
    QVERIFY(stops >= 2);
    QVERIFY2(waitDelivered(load.acked, 60000), "an acknowledged message was lost after SIGTERM");
    const QHash<QString, int> counts = deliveries();
    int duplicates = 0;
    for (const QString &subject : std::as_const(load.acked))
        duplicates += counts.value(subject) - 1;
    // A clean stop hands deliveries back after they end: nothing is sent twice.
    QCOMPARE(duplicates, 0);
    qInfo("FIGURES sigterm: %d stops (exit 0), %d sent, %lld acknowledged, %lld delivered, %d cut by the stop", stops,
        load.attempted, qlonglong(load.acked.size()), qlonglong(counts.size()), load.dropped);
}

void TestFaults::sighupDuringLoadKeepsSessionsAndMessages()
{
    // Settings from a file, as systemd's run script gives them; each SIGHUP re-reads it
    // with one live value flipped, so that every reload applies a change under load.
    QVERIFY(startSink());
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    prepareRoute();
    const QString configPath = m_env->path(QStringLiteral("tmail.cfg"));
    const auto writeConfig = [&](int maxHops) {
        return m_env->writeConfigFile(
            configPath, { { QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QString::number(maxHops) } });
    };
    QVERIFY(writeConfig(50));
    m_daemon = std::make_unique<QProcess>();
    m_daemon->setProcessEnvironment(m_env->environmentWithoutSettings());
    const QString logPath = m_env->path(QStringLiteral("daemon.log"));
    m_daemon->setStandardOutputFile(logPath);
    m_daemon->setStandardErrorFile(logPath, QIODevice::Append);
    m_daemon->start(TmailEnvironment::tmailBinary(), { QStringLiteral("--config"), configPath });
    QVERIFY(m_daemon->waitForStarted(10000));
    QVERIFY(waitListening(20000));

    // The injector: 8 reloads, 100-400 ms apart, while the main thread sends 600 messages
    // in sessions of 50 that must all go through without a drop or a 4xx.
    const int reloads = 8;
    const qint64 pid = m_daemon->processId();
    std::atomic<bool> loadDone { false };
    std::atomic<int> signalled { 0 };
    std::thread injector([&]() {
        for (int i = 0; i < reloads && !loadDone; ++i)
        {
            const int waitMs = 100 + int(QRandomGenerator::global()->bounded(300));
            std::this_thread::sleep_for(std::chrono::milliseconds(waitMs));
            if (!writeConfig(i % 2 == 0 ? 20 : 50))
                return;
            ::kill(pid_t(pid), SIGHUP);
            ++signalled;
        }
    });
    Load load;
    QElapsedTimer budget;
    budget.start();
    int index = 0;
    while ((index < 600 || signalled.load() < reloads) && index < 3000 && budget.elapsed() < 120000)
    {
        QTcpSocket socket;
        if (!openSession(socket, m_smtpPort))
        {
            load.badReplies.append("no session: connection refused or no greeting");
            break;
        }
        for (int inSession = 0; inSession < 50; ++inSession)
        {
            const QString subject = QStringLiteral("hup-%1").arg(index++);
            ++load.attempted;
            const QByteArray reply = sendMessage(socket, subject, 1500);
            if (reply.startsWith("250 2.0.0 Ok: queued "))
                load.acked.append(subject);
            else if (reply.isEmpty() || reply.startsWith("421"))
            {
                ++load.dropped;
                break;
            }
            else
                load.badReplies.append(reply);
        }
        // The session opened before the reloads still answers.
        if (!command(socket, "QUIT").startsWith("221"))
            ++load.dropped;
        socket.abort();
    }
    loadDone = true;
    injector.join();
    QVERIFY2(load.badReplies.isEmpty(), load.badReplies.join('\n').constData());
    QCOMPARE(load.dropped, 0);
    QCOMPARE(signalled.load(), reloads);
    QCOMPARE(load.acked.size(), load.attempted);
    QVERIFY(daemonAlive());

    // Every reload was taken.
    QElapsedTimer logWait;
    logWait.start();
    QByteArray log;
    while (logWait.elapsed() < 10000)
    {
        QFile file(logPath);
        if (file.open(QIODevice::ReadOnly))
            log = file.readAll();
        if (log.count("SIGHUP: configuration reloaded from") >= reloads)
            break;
        QThread::msleep(100);
    }
    QVERIFY2(log.count("SIGHUP: configuration reloaded from") == reloads, log.right(3000).constData());
    // TMAIL_SMTPD_MAX_HOPS applies live: every reload changes the running value, 50 → 20 → 50 …
    QVERIFY2(log.count("SIGHUP: TMAIL_SMTPD_MAX_HOPS changed from '50' to '20'; applied") == reloads / 2,
        log.right(3000).constData());
    QVERIFY2(log.count("SIGHUP: TMAIL_SMTPD_MAX_HOPS changed from '20' to '50'; applied") == reloads / 2,
        log.right(3000).constData());
    QVERIFY2(!log.contains("restart tmail to apply it"), log.right(3000).constData());

    QVERIFY2(waitDelivered(load.acked, 60000), "an acknowledged message was lost across SIGHUP");
    const QHash<QString, int> counts = deliveries();
    for (const QString &subject : std::as_const(load.acked))
        QVERIFY2(counts.value(subject) == 1, qPrintable(subject));
    qInfo("FIGURES sighup: %d reloads under load, %d sent, %lld acknowledged, %lld delivered once each, 0 sessions "
          "dropped",
        reloads, load.attempted, qlonglong(load.acked.size()), qlonglong(counts.size()));
}

void TestFaults::fullStoreAnswers4xxAndResumes()
{
    const QString store = m_env->path(QStringLiteral("store"));
    if (::mount("tmpfs", store.toLocal8Bit().constData(), "tmpfs", 0, "size=2m") != 0)
        QSKIP("cannot mount a tmpfs here (needs root)");
    m_mounted = store;
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    prepareRoute(); // the sink is not running: everything stays queued
    QVERIFY(startDaemon());
    // A filler the operator can delete later.
    QFile filler(store + QStringLiteral("/filler"));
    QVERIFY(filler.open(QIODevice::WriteOnly));
    QCOMPARE(filler.write(QByteArray(1200 * 1024, 'f')), qint64(1200 * 1024));
    filler.close();

    QStringList ackedIds;
    QList<QByteArray> refusals;
    QTcpSocket socket;
    QVERIFY(openSession(socket, m_smtpPort));
    static const QRegularExpression queued(QStringLiteral("^250 2\\.0\\.0 Ok: queued ([0-9a-f]{40})$"));
    for (int i = 0; i < 60 && refusals.size() < 3; ++i)
    {
        const QByteArray reply = sendMessage(socket, QStringLiteral("full-%1").arg(i), 64 * 1024);
        const QRegularExpressionMatch match = queued.match(QString::fromLatin1(reply));
        if (match.hasMatch())
            ackedIds.append(match.captured(1));
        else
            refusals.append(reply);
        if (socket.state() != QAbstractSocket::ConnectedState)
        {
            socket.abort();
            QVERIFY(openSession(socket, m_smtpPort));
        }
    }
    QVERIFY2(!refusals.isEmpty(), "the store never filled up");
    for (const QByteArray &reply : std::as_const(refusals))
        QVERIFY2(reply.startsWith("452 4.3.1") || reply.startsWith("451 4.3.0"), reply.constData());
    QVERIFY(daemonAlive());

    // Space comes back: the very next message goes through, without a restart.
    QVERIFY(QFile::remove(store + QStringLiteral("/filler")));
    QByteArray reply;
    for (int i = 0; i < 20 && !reply.startsWith("250"); ++i)
    {
        if (socket.state() != QAbstractSocket::ConnectedState)
        {
            socket.abort();
            QVERIFY(openSession(socket, m_smtpPort));
        }
        reply = sendMessage(socket, QStringLiteral("after-%1").arg(i), 64 * 1024);
        if (!reply.startsWith("250"))
            QThread::msleep(200);
    }
    QVERIFY2(reply.startsWith("250 2.0.0 Ok: queued "), reply.constData());
    ackedIds.append(queued.match(QString::fromLatin1(reply)).captured(1));
    socket.write("QUIT\r\n");
    socket.waitForBytesWritten(1000);

    // Every acknowledged message is queued with its whole body, nothing half-written stays.
    const TmailRun list = m_env->run({ QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--wide") });
    for (const QString &id : std::as_const(ackedIds))
    {
        QVERIFY2(list.out.contains(id), qPrintable(id + QLatin1Char('\n') + list.out));
        // Its body left tmp/ for its place in the store, wherever the layout puts it.
        QString body;
        QDirIterator bodies(store, { id }, QDir::Files, QDirIterator::Subdirectories);
        while (bodies.hasNext() && body.isEmpty())
        {
            const QString path = bodies.next();
            if (QFileInfo(path).dir().dirName() != QLatin1String("tmp"))
                body = path;
        }
        QVERIFY2(QFileInfo(body).size() > 64 * 1024, qPrintable(id + QLatin1Char(' ') + body));
    }
    qInfo("FIGURES store full: %lld acknowledged, %lld refused with 4xx (%s), resumed after freeing space",
        qlonglong(ackedIds.size()), qlonglong(refusals.size()), refusals.first().constData());
}

void TestFaults::stoppedDatabaseAnswers451AndRecovers_data()
{
    QTest::addColumn<QString>("driver");
    QTest::newRow("postgres") << QStringLiteral("postgres");
    QTest::newRow("mysql") << QStringLiteral("mysql");
}

void TestFaults::stoppedDatabaseAnswers451AndRecovers()
{
    QFETCH(QString, driver);
    if (QStandardPaths::findExecutable(
            QStringLiteral("mariadbd"), { QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin") })
            .isEmpty()
        || !QFile::exists(QStringLiteral("/usr/lib/postgresql/15/bin/pg_ctl")))
        TMAIL_REQUIRE_PEER(false, "PostgreSQL 15 or MariaDB is not installed");
    // A private pair of servers on free ports, so the shared ones of test.sh are not touched.
    const QString base
        = QDir::tempPath() + QStringLiteral("/tmail-faults-db-%1").arg(QCoreApplication::applicationPid());
    QDir().mkpath(base);
    QFile::setPermissions(base,
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadOther
            | QFileDevice::ExeOther | QFileDevice::ReadGroup | QFileDevice::ExeGroup);
    m_dbDir = base + QStringLiteral("/db");
    const quint16 pgPort = freePort();
    const quint16 myPort = freePort();
    QProcessEnvironment scriptEnv = QProcessEnvironment::systemEnvironment();
    scriptEnv.insert(QStringLiteral("TMAIL_TEST_PG_PORT"), QString::number(pgPort));
    scriptEnv.insert(QStringLiteral("TMAIL_TEST_MYSQL_PORT"), QString::number(myPort));
    const auto dbservers = [&](const QString &action) {
        QProcess script;
        script.setProcessEnvironment(scriptEnv);
        script.setProcessChannelMode(QProcess::MergedChannels);
        script.start(QStringLiteral(TMAIL_SOURCE_DIR "/tests/helpers/dbservers.sh"), { action, m_dbDir });
        const bool ok = script.waitForFinished(90000) && script.exitCode() == 0;
        if (!ok)
            qWarning("%s", script.readAll().constData());
        return ok;
    };
    QVERIFY(dbservers(QStringLiteral("start")));
    const quint16 port = driver == QLatin1String("postgres") ? pgPort : myPort;
    m_env->set(QStringLiteral("TMAIL_DB_DRIVER"), driver);
    m_env->set(QStringLiteral("TMAIL_DB_SOURCE"),
        QStringLiteral("host=127.0.0.1 port=%1 user=tmail password=tmailpw dbname=tmail_test").arg(port));
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    prepareRoute();
    QVERIFY(startSink());
    QVERIFY(startDaemon());

    const QString stopCommand = driver == QLatin1String("postgres")
        ? QStringLiteral("runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D %1/pg/data "
                         "-m immediate -w stop >/dev/null 2>&1")
              .arg(m_dbDir)
        : QStringLiteral("kill -9 $(cat %1/my/mariadbd.pid)").arg(m_dbDir);
    // The database goes away after 1 s of load and comes back 4 s later.
    std::atomic<int> phase { 0 }; // 0 before, 1 down, 2 back
    std::thread outage([&]() {
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
        (void)std::system(stopCommand.toLocal8Bit().constData());
        phase = 1;
        std::this_thread::sleep_for(std::chrono::milliseconds(4000));
        phase = dbservers(QStringLiteral("start")) ? 2 : -1;
    });

    Load load;
    int outageReplies = 0;
    int index = 0;
    QElapsedTimer budget;
    budget.start();
    QByteArray lastReply;
    // Load until the database has been back long enough for 20 acknowledged messages.
    int ackedAfter = 0;
    while (budget.elapsed() < 60000 && ackedAfter < 20 && phase >= 0 && daemonAlive())
    {
        QTcpSocket socket;
        if (!openSession(socket, m_smtpPort))
        {
            QThread::msleep(100);
            continue;
        }
        for (int inSession = 0; inSession < 20; ++inSession)
        {
            const QString subject = QStringLiteral("db-%1-%2").arg(driver).arg(index++);
            ++load.attempted;
            const QByteArray reply = sendMessage(socket, subject, 1500);
            lastReply = reply;
            if (reply.startsWith("250 2.0.0 Ok: queued "))
            {
                load.acked.append(subject);
                if (phase == 2)
                    ++ackedAfter;
            }
            else if (reply.startsWith("451 4.3.0"))
            {
                ++outageReplies;
                QThread::msleep(50);
            }
            else if (reply.isEmpty() || reply.startsWith("421"))
            {
                ++load.dropped;
                break;
            }
            else
            {
                load.badReplies.append(reply);
            }
        }
        socket.abort();
    }
    outage.join();
    QCOMPARE(phase.load(), 2);
    QVERIFY2(daemonAlive(), "tmail died when the database went away");
    QVERIFY2(load.badReplies.isEmpty(), load.badReplies.join('\n').constData());
    QVERIFY2(outageReplies > 0, "no 451 4.3.0 while the database was down");
    QVERIFY2(
        ackedAfter >= 20, qPrintable(QStringLiteral("no recovery; last reply: ") + QString::fromLatin1(lastReply)));
    QVERIFY2(waitDelivered(load.acked, 60000), "an acknowledged message was not delivered after the outage");
    // Command-line changes reach the daemon again: without the relay IP, relaying stops.
    QCOMPARE(
        m_env->run({ QStringLiteral("relayip"), QStringLiteral("del"), QStringLiteral("127.0.0.0/8") }).exitCode, 0);
    QByteArray rcptReply;
    for (int i = 0; i < 30 && !rcptReply.startsWith("554"); ++i)
    {
        QThread::msleep(200);
        QTcpSocket socket;
        QVERIFY(openSession(socket, m_smtpPort));
        command(socket, "MAIL FROM:<load@client.test>");
        rcptReply = command(socket, "RCPT TO:<u@sink.test>");
    }
    QVERIFY2(rcptReply.startsWith("554 5.7.1"), rcptReply.constData());
    qInfo("FIGURES %s stopped: %d sent, %d answered 451 4.3.0 during the outage, %lld acknowledged, %lld delivered",
        qPrintable(driver), load.attempted, outageReplies, qlonglong(load.acked.size()),
        qlonglong(deliveries().size()));
}

void TestFaults::stallingAndBrokenPeersGetMessageOnce()
{
    // The first connections: one stalls after DATA past TMAIL_DELIVERD_REMOTE_TIMEOUT (2 s),
    // one offers STARTTLS and answers the handshake with garbage, one drops inside DATA.
    QVERIFY(startSink({ QStringLiteral("--stall"), QStringLiteral("1"), QStringLiteral("--badtls"), QStringLiteral("1"),
        QStringLiteral("--drop"), QStringLiteral("1") }));
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    prepareRoute();
    QVERIFY(startDaemon());
    QStringList subjects;
    for (int i = 0; i < 4; ++i)
    {
        QTcpSocket socket;
        QVERIFY(openSession(socket, m_smtpPort));
        const QString subject = QStringLiteral("peer-%1").arg(i);
        QVERIFY(sendMessage(socket, subject, 3000).startsWith("250 2.0.0 Ok: queued "));
        subjects.append(subject);
    }
    // Failed attempts wait a minute before the next: ask for retries instead.
    QElapsedTimer timer;
    timer.start();
    bool delivered = false;
    while (!delivered && timer.elapsed() < 45000)
    {
        delivered = waitDelivered(subjects, 3000);
        if (!delivered)
            m_env->run({ QStringLiteral("queue"), QStringLiteral("retry"), QStringLiteral("--all") });
    }
    QVERIFY2(delivered, "a message was not delivered after the peer's faults");
    QThread::msleep(1500); // anything delivered twice would show now
    const QHash<QString, int> counts = deliveries();
    for (const QString &subject : std::as_const(subjects))
        QCOMPARE(counts.value(subject), 1);
    QVERIFY(daemonAlive());
    QByteArray injected;
    for (int i = 0; i < 10 && m_sink->waitForReadyRead(100); ++i)
        injected += m_sink->readAllStandardOutput();
    injected += m_sink->readAllStandardOutput();
    for (const char *fault : { "fault stall", "fault badtls", "fault drop" })
        QVERIFY2(injected.contains(fault), injected.constData());
    qInfo("FIGURES peers: stall past 2 s, bad TLS handshake, drop in DATA: %lld messages delivered once each",
        qlonglong(subjects.size()));
}

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
