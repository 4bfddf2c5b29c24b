// What an administrator runs into around the daemon: log rotation by signal, the metrics
// endpoint, and messages that say what to change. Against the real tmail binary.
#include "tmailprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QtTest>

#include <csignal>
#include <memory>

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Polls a file until it contains text (bounded).
bool waitForFileText(const QString &path, const QByteArray &text, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs)
    {
        if (readFile(path).contains(text))
            return true;
        QThread::msleep(50);
    }
    return false;
}

void stop(QProcess &daemon)
{
    if (daemon.state() == QProcess::NotRunning)
        return;
    daemon.terminate();
    if (!daemon.waitForFinished(20000))
    {
        daemon.kill();
        daemon.waitForFinished(5000);
    }
}

} // namespace

class TestOperations : public QObject
{
    Q_OBJECT

private slots:
    void signalsReopenTheLogFile();
    void busyListenerNamesTheSettingAndAddress();
    void missingConfigSaysWhereToPutIt();
    void managerHelpAndVersionWorkWithoutDisplay();
    void readmeQuickStartWorksPastedAtOnce();
};

void TestOperations::signalsReopenTheLogFile()
{
    TmailEnvironment env;
    QVERIFY(env.isValid());
    const QString logDir = env.path(QStringLiteral("log"));
    QVERIFY(QDir().mkpath(logDir));
    env.set(QStringLiteral("TMAIL_LOGPATH"), logDir);
    const quint16 port = freeLoopbackPort();
    env.set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(port));
    QCOMPARE(env.run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);

    QProcess daemon;
    daemon.setProcessEnvironment(env.environment());
    daemon.setProcessChannelMode(QProcess::MergedChannels);
    daemon.start(TmailEnvironment::tmailBinary(), {});
    QVERIFY(daemon.waitForStarted(10000));
    const QString log = logDir + QStringLiteral("/tmail.log");
    const QString rotated = log + QStringLiteral(".1");
    QVERIFY2(waitForFileText(log, "deliverd launched", 20000), readFile(log).constData());

    // logrotate's steps: rename, then the postrotate signal.
    for (const int signalNumber : { SIGUSR1, SIGHUP })
    {
        const QByteArray name = signalNumber == SIGUSR1 ? "SIGUSR1" : "SIGHUP";
        QFile::remove(rotated);
        QVERIFY(QFile::rename(log, rotated));
        QVERIFY(!QFileInfo::exists(log));
        QVERIFY(::kill(pid_t(daemon.processId()), signalNumber) == 0);
        QVERIFY2(waitForFileText(log, QByteArray(name + ": log file " + QFile::encodeName(log) + " reopened"), 10000),
            QByteArray(readFile(rotated) + readFile(log)).constData());
        // A session's lines land in the new file, none in the renamed one.
        const QByteArray before = readFile(rotated);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(client.waitForConnected(5000));
        QVERIFY(smtpExchange(client, QByteArray()).startsWith("220 "));
        QVERIFY(smtpExchange(client, "QUIT").startsWith("221 "));
        client.disconnectFromHost();
        QVERIFY2(waitForFileText(log, "127.0.0.1", 10000), readFile(log).constData());
        QCOMPARE(readFile(rotated), before);
        qInfo("%s: %lld bytes in the renamed file, %lld in the new one", name.constData(),
            static_cast<long long>(before.size()), static_cast<long long>(readFile(log).size()));
    }
    QFile::Permissions permissions = QFileInfo(log).permissions();
    QVERIFY2(!(permissions & (QFile::ReadGroup | QFile::ReadOther)), "the new log file is readable by others");
    stop(daemon);
    QCOMPARE(daemon.exitCode(), 0);
}

void TestOperations::busyListenerNamesTheSettingAndAddress()
{
    QTcpServer holder;
    QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
    TmailEnvironment env;
    QVERIFY(env.isValid());
    const QString address = QStringLiteral("127.0.0.1:%1").arg(holder.serverPort());
    env.set(QStringLiteral("TMAIL_SMTPD_DSNS"), address + QStringLiteral(":false"));
    QCOMPARE(env.run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    std::unique_ptr<QProcess> daemon;
    QByteArray log;
    QVERIFY(!env.startDaemon(&daemon, &log));
    if (daemon->state() != QProcess::NotRunning)
        QVERIFY(daemon->waitForFinished(10000));
    log += daemon->readAll();
    QCOMPARE(daemon->exitCode(), 1);
    QVERIFY2(log.contains(QByteArray("smtpd cannot listen on " + address.toUtf8())), log.constData());
    QVERIFY2(
        log.contains(QByteArray("uses " + address.toUtf8() + ": stop it or change that listener in TMAIL_SMTPD_DSNS")),
        log.constData());
}

void TestOperations::missingConfigSaysWhereToPutIt()
{
    // No TMAIL_* in the environment and no conf/tmail.cfg beside the built binary.
    TmailEnvironment env;
    for (const QStringList &args : { QStringList(), QStringList { QStringLiteral("queue"), QStringLiteral("list") } })
    {
        QProcess tmail;
        tmail.setProcessEnvironment(env.environmentWithoutSettings());
        tmail.start(TmailEnvironment::tmailBinary(), args);
        QVERIFY(tmail.waitForFinished(30000));
        const QList<QByteArray> lines = tmail.readAllStandardError().trimmed().split('\n');
        // The daemon prints its line as it always did; the command line prefixes "tmail: ".
        if (args.isEmpty())
            QCOMPARE(lines.first(), QByteArray("unable to load config from env, TMAIL_ME variable is missing."));
        else
            QVERIFY2(lines.first().endsWith("unable to load config from env, TMAIL_ME variable is missing."),
                lines.first().constData());
        QVERIFY2(lines.size() == 2 && lines.last().contains("`tmail --config FILE`")
                && lines.last().contains("/conf/tmail.cfg"),
            lines.last().constData());
        QVERIFY(tmail.exitCode() != 0);
    }
}

void TestOperations::managerHelpAndVersionWorkWithoutDisplay()
{
    const QString manager = QStringLiteral(TMAIL_BUILD_DIR "/gui/tmail-manager");
    if (!QFileInfo::exists(manager))
        QSKIP("tmail-manager is not built");
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
        environment.remove(QString::fromLatin1(name));
    const auto run = [&](const QStringList &args, QByteArray *output) {
        QProcess process;
        process.setProcessEnvironment(environment);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(manager, args);
        if (!process.waitForFinished(20000))
        {
            process.kill();
            process.waitForFinished(5000);
            return -1;
        }
        *output = process.readAll();
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    };
    QByteArray output;
    QCOMPARE(run({ QStringLiteral("--help") }, &output), 0);
    QVERIFY2(output.contains("Usage: tmail-manager") && output.contains("--socket"), output.constData());
    QCOMPARE(run({ QStringLiteral("--version") }, &output), 0);
    QVERIFY2(output.contains("tmail-manager " TMAIL_VERSION), output.constData());
    QCOMPARE(run({ QStringLiteral("--no-such-option") }, &output), 2);
    QVERIFY2(output.contains("Unknown option 'no-such-option'"), output.constData());
    QCOMPARE(run({ QStringLiteral("stray") }, &output), 2);
    // Qt's own options still reach QApplication.
    QCOMPARE(
        run({ QStringLiteral("-platform"), QStringLiteral("offscreen"), QStringLiteral("--version") }, &output), 0);
}

QTEST_GUILESS_MAIN(TestOperations)
// The README's "Try it" block, pasted as one piece into a shell, against the daemon that
// ./run.sh starts: the rcpthost it adds holds for the swaks that follows at once.
void TestOperations::readmeQuickStartWorksPastedAtOnce()
{
    const QString root = QStringLiteral(TMAIL_SOURCE_DIR);
    const QString readme = QString::fromUtf8(readFile(root + QStringLiteral("/README.md")));
    const qsizetype tryIt = readme.indexOf(QStringLiteral("Try it"));
    QVERIFY2(tryIt >= 0, "README.md has no \"Try it\" block");
    const qsizetype start = readme.indexOf(QLatin1Char('\n'), readme.indexOf(QStringLiteral("```sh"), tryIt)) + 1;
    const QString block = readme.mid(start, readme.indexOf(QStringLiteral("```"), start) - start);
    QVERIFY2(block.contains(QStringLiteral("swaks")), qPrintable(block));

    // run.sh listens on these; a developer's own ./run.sh would make the test meaningless.
    for (const quint16 port : { 2525, 5877, 4655 })
    {
        QTcpServer probe;
        QVERIFY2(probe.listen(QHostAddress::LocalHost, port),
            qPrintable(QStringLiteral("127.0.0.1:%1 is taken: stop ./run.sh first").arg(port)));
    }
    QProcess daemon;
    daemon.setWorkingDirectory(root);
    daemon.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : environment.keys())
    {
        if (name.startsWith(QLatin1String("TMAIL_")))
            environment.remove(name);
    }
    daemon.setProcessEnvironment(environment);
    daemon.start(QStringLiteral("bash"), { root + QStringLiteral("/run.sh") });
    QVERIFY(daemon.waitForStarted(10000));
    // run.sh checks the packages and builds (nothing to do after test.sh's build) first.
    QElapsedTimer timer;
    timer.start();
    QByteArray output;
    while (!output.contains("deliverd launched") && daemon.state() == QProcess::Running && timer.elapsed() < 300000)
    {
        daemon.waitForReadyRead(200);
        output += daemon.readAll();
    }
    QVERIFY2(output.contains("deliverd launched"), output.right(3000).constData());

    // A second run of this test finds the domain of the first: start without it.
    QProcess::execute(QStringLiteral("bash"),
        { QStringLiteral("-c"),
            QStringLiteral("cd '%1/dist' && . conf/tmail.cfg && ./tmail rcpthost del example.com >/dev/null 2>&1; true")
                .arg(root) });
    QProcess shell;
    shell.setWorkingDirectory(root);
    shell.setProcessEnvironment(environment);
    shell.setProcessChannelMode(QProcess::MergedChannels);
    shell.start(QStringLiteral("bash"), { QStringLiteral("-e"), QStringLiteral("-c"), block });
    QVERIFY(shell.waitForFinished(60000));
    const QByteArray pasted = shell.readAll();
    output += daemon.readAll();
    stop(daemon);
    QVERIFY2(shell.exitStatus() == QProcess::NormalExit && shell.exitCode() == 0, pasted.constData());
    QVERIFY2(pasted.contains("rcpthost example.com added"), pasted.constData());
    // swaks shows the server's lines with "<-": the message was taken for delivery.
    QVERIFY2(pasted.contains("<-  250 2.0.0 Ok: queued "), pasted.constData());
}

#include "tst_operations.moc"
