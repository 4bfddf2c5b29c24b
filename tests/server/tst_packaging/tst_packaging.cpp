// The Linux distribution: the systemd unit and `tmail service install --dry-run`, and the
// zip made by packaging/linux/make-zip.sh from this build, unzipped and run as a user would.
#include "managertestclient.h"
#include "testpeers.h"
#include "tmailprocess.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

namespace {

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

struct Run
{
    int exitCode = -1;
    QString output;
};

Run runProgram(const QString &program, const QStringList &args, const QString &workingDir = QString(),
    const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(), int timeoutMs = 120000)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setProcessEnvironment(environment);
    if (!workingDir.isEmpty())
        process.setWorkingDirectory(workingDir);
    process.start(program, args);
    Run run;
    if (!process.waitForStarted(10000))
        return run;
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs))
    {
        process.kill();
        process.waitForFinished(5000);
    }
    run.output = QString::fromLocal8Bit(process.readAll());
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return run;
}

// The environment of a machine without any TMAIL_* setting nor library path.
QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList names = environment.keys();
    for (const QString &name : names)
    {
        if (name.startsWith(QLatin1String("TMAIL_")) || name.startsWith(QLatin1String("QT_"))
            || name == QLatin1String("LD_LIBRARY_PATH"))
            environment.remove(name);
    }
    return environment;
}

} // namespace

class TestPackaging : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void unitFilePassesSystemdAnalyze();
    void dryRunPrintsUnitForThisDirectory();
    void zipHasDistLayoutWithoutKey();
    void zipResolvesQtInsideItsLib();
    void zipHasSqlDriversAndTlsPlugins();
    void unzippedRunQueuesAMessage();
    void runKeepsSecretsPrivateUnderUmask022();
    void daemonWarnsAboutReadableSecrets();

private:
    QTemporaryDir m_dir;
    QString m_zipPath;
    QString m_root; // the unzipped tmail directory
    QString m_skipReason;
    std::unique_ptr<QProcess> m_daemon;
};

void TestPackaging::initTestCase()
{
    // An administrator's usual umask: what run and tmail create must not inherit it.
    ::umask(022);
    QVERIFY(m_dir.isValid());
    for (const QString &tool : { QStringLiteral("patchelf"), QStringLiteral("zip"), QStringLiteral("unzip") })
    {
        if (QStandardPaths::findExecutable(tool).isEmpty())
            m_skipReason = QStringLiteral("%1 is missing (apt-get install patchelf zip unzip)").arg(tool);
    }
    if (!m_skipReason.isEmpty())
        return;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("BUILD_DIR"), QStringLiteral(TMAIL_BUILD_DIR));
    environment.insert(QStringLiteral("OUT_DIR"), m_dir.path());
    const Run made
        = runProgram(QStringLiteral(TMAIL_SOURCE_DIR "/packaging/linux/make-zip.sh"), {}, QString(), environment);
    QVERIFY2(made.exitCode == 0, qPrintable(made.output));
    m_zipPath = made.output.trimmed().split(QLatin1Char('\n')).last();
    QVERIFY2(QFileInfo(m_zipPath).fileName().contains(
                 QRegularExpression(QStringLiteral("^tmail-\\d+\\.\\d+\\.\\d+-linux-x86_64\\.zip$"))),
        qPrintable(m_zipPath));
    QVERIFY(QFileInfo::exists(m_zipPath));
    const QString unzipped = m_dir.filePath(QStringLiteral("unzipped"));
    QVERIFY(QDir().mkpath(unzipped));
    const Run unzip
        = runProgram(QStringLiteral("unzip"), { QStringLiteral("-q"), m_zipPath, QStringLiteral("-d"), unzipped });
    QVERIFY2(unzip.exitCode == 0, qPrintable(unzip.output));
    const QStringList top = QDir(unzipped).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(top.size(), 1);
    m_root = unzipped + QLatin1Char('/') + top.first();
    qInfo("zip: %s, %lld bytes", qPrintable(m_zipPath), QFileInfo(m_zipPath).size());
}

void TestPackaging::cleanupTestCase()
{
    if (m_daemon && m_daemon->state() != QProcess::NotRunning)
    {
        m_daemon->kill();
        m_daemon->waitForFinished(5000);
    }
}

void TestPackaging::unitFilePassesSystemdAnalyze()
{
    const QString analyze = QStandardPaths::findExecutable(QStringLiteral("systemd-analyze"));
    if (analyze.isEmpty())
        TMAIL_REQUIRE_PEER(false, "systemd-analyze is not installed");
    // systemd checks that ExecStart exists: a directory laid out as installed.
    const QString installed = m_dir.filePath(QStringLiteral("installed"));
    QVERIFY(QDir().mkpath(installed));
    QVERIFY(QFile::copy(TmailEnvironment::tmailBinary(), installed + QStringLiteral("/tmail")));
    QVERIFY(QFile::copy(QStringLiteral(TMAIL_SOURCE_DIR "/packaging/linux/run"), installed + QStringLiteral("/run")));
    const Run unit = runProgram(installed + QStringLiteral("/tmail"),
        { QStringLiteral("service"), QStringLiteral("install"), QStringLiteral("--dry-run") });
    QCOMPARE(unit.exitCode, 0);
    const QString path = m_dir.filePath(QStringLiteral("tmail.service"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(unit.output.toUtf8());
    file.close();
    const Run verify = runProgram(analyze, { QStringLiteral("verify"), path });
    QVERIFY2(
        verify.exitCode == 0 && !verify.output.contains(QLatin1String("tmail.service:")), qPrintable(verify.output));
}

void TestPackaging::dryRunPrintsUnitForThisDirectory()
{
    const Run unit = runProgram(TmailEnvironment::tmailBinary(),
        { QStringLiteral("service"), QStringLiteral("install"), QStringLiteral("--dry-run"), QStringLiteral("--user"),
            QStringLiteral("mailer") });
    QCOMPARE(unit.exitCode, 0);
    const QString dir = QFileInfo(TmailEnvironment::tmailBinary()).absolutePath();
    const QStringList expected = { QStringLiteral("# /etc/systemd/system/tmail.service"), QStringLiteral("User=mailer"),
        QString(QStringLiteral("WorkingDirectory=") + dir),
        QString(QStringLiteral("ExecStart=") + dir + QStringLiteral("/run")),
        QStringLiteral("ReadWritePaths=%1/db %1/store -%1/log %1/conf").arg(dir),
        QStringLiteral("AmbientCapabilities=CAP_NET_BIND_SERVICE"),
        QStringLiteral("CapabilityBoundingSet=CAP_NET_BIND_SERVICE"), QStringLiteral("NoNewPrivileges=yes"),
        QStringLiteral("ProtectSystem=strict"), QStringLiteral("PrivateTmp=yes"), QStringLiteral("Restart=on-failure"),
        QStringLiteral("ExecReload=/bin/kill -HUP $MAINPID") };
    for (const QString &line : expected)
    {
        QVERIFY2(unit.output.split(QLatin1Char('\n')).contains(line),
            qPrintable(line + QStringLiteral(" missing in\n") + unit.output));
    }
    QVERIFY(!unit.output.contains(QLatin1Char('@')));
    const Run bad = runProgram(TmailEnvironment::tmailBinary(),
        { QStringLiteral("service"), QStringLiteral("install"), QStringLiteral("--user"), QStringLiteral("bad user") });
    QCOMPARE(bad.exitCode, 2);
}

void TestPackaging::zipHasDistLayoutWithoutKey()
{
    if (!m_skipReason.isEmpty())
        TMAIL_REQUIRE_PEER(false, m_skipReason);
    for (const QString &entry : { QStringLiteral("tmail"), QStringLiteral("run"), QStringLiteral("conf/tmail.cfg.base"),
             QStringLiteral("tpl/bounce.tpl"), QStringLiteral("qt.conf"), QStringLiteral("lib"),
             QStringLiteral("plugins"), QStringLiteral("ssl"), QStringLiteral("db"), QStringLiteral("store") })
    {
        QVERIFY2(QFileInfo::exists(m_root + QLatin1Char('/') + entry), qPrintable(entry));
    }
    if (QFileInfo::exists(QStringLiteral(TMAIL_BUILD_DIR "/gui/tmail-manager")))
        QVERIFY(QFileInfo(m_root + QStringLiteral("/tmail-manager")).isExecutable());
    QVERIFY(QFileInfo(m_root + QStringLiteral("/run")).isExecutable());
    QVERIFY(QDir(m_root + QStringLiteral("/ssl")).isEmpty());
    QVERIFY(QDir(m_root + QStringLiteral("/db")).isEmpty());
    QVERIFY(QDir(m_root + QStringLiteral("/store")).isEmpty());
    QVERIFY(!QFileInfo::exists(m_root + QStringLiteral("/conf/tmail.cfg")));
    QFile qtConf(m_root + QStringLiteral("/qt.conf"));
    QVERIFY(qtConf.open(QIODevice::ReadOnly));
    QVERIFY(qtConf.readAll().contains("Plugins=plugins"));
    const Run listing = runProgram(QStringLiteral("unzip"), { QStringLiteral("-l"), m_zipPath });
    QVERIFY(!listing.output.contains(QLatin1String(".key")));
}

void TestPackaging::zipResolvesQtInsideItsLib()
{
    if (!m_skipReason.isEmpty())
        TMAIL_REQUIRE_PEER(false, m_skipReason);
    QStringList binaries = { QStringLiteral("tmail") };
    if (QFileInfo::exists(m_root + QStringLiteral("/tmail-manager")))
        binaries << QStringLiteral("tmail-manager");
    binaries << QStringLiteral("plugins/sqldrivers/libqsqlpsql.so")
             << QStringLiteral("plugins/sqldrivers/libqsqlmysql.so")
             << QStringLiteral("plugins/platforms/libqoffscreen.so");
    const QString lib = m_root + QStringLiteral("/lib/");
    for (const QString &binary : std::as_const(binaries))
    {
        const Run ldd
            = runProgram(QStringLiteral("ldd"), { m_root + QLatin1Char('/') + binary }, QString(), cleanEnvironment());
        QCOMPARE(ldd.exitCode, 0);
        QVERIFY2(!ldd.output.contains(QLatin1String("not found")), qPrintable(binary + QLatin1Char('\n') + ldd.output));
        const QStringList lines = ldd.output.split(QLatin1Char('\n'));
        int qtLibraries = 0;
        for (const QString &line : lines)
        {
            const QStringList parts = line.simplified().split(QLatin1Char(' '));
            // "libQt6Core.so.6 => /…/lib/libQt6Core.so.6 (0x…)": Qt and its companions from the zip.
            if (parts.size() < 3 || parts.at(1) != QLatin1String("=>"))
                continue;
            const QString name = parts.at(0);
            if (name.startsWith(QLatin1String("libQt6")) || name.startsWith(QLatin1String("libicu"))
                || name.startsWith(QLatin1String("libpcre2-16"))
                || name.startsWith(QLatin1String("libdouble-conversion")) || name.startsWith(QLatin1String("libcares"))
                || name.startsWith(QLatin1String("libpq")) || name.startsWith(QLatin1String("libmariadb")))
            {
                QVERIFY2(QFileInfo(parts.at(2)).canonicalFilePath().startsWith(QFileInfo(lib).canonicalFilePath()),
                    qPrintable(binary + QStringLiteral(": ") + line));
                ++qtLibraries;
            }
        }
        QVERIFY2(qtLibraries > 0, qPrintable(binary + QLatin1Char('\n') + ldd.output));
    }
    // Qt's TLS backend loads the system's OpenSSL 3 by full path: a bundled copy would be a
    // second instance in the process once tmail links libssl, and handshakes would fail.
    QVERIFY(!QFileInfo::exists(lib + QStringLiteral("libssl.so.3")));
    QVERIFY(!QFileInfo::exists(lib + QStringLiteral("libcrypto.so.3")));
}

void TestPackaging::zipHasSqlDriversAndTlsPlugins()
{
    if (!m_skipReason.isEmpty())
        TMAIL_REQUIRE_PEER(false, m_skipReason);
    for (const QString &plugin :
        { QStringLiteral("sqldrivers/libqsqlite.so"), QStringLiteral("sqldrivers/libqsqlmysql.so"),
            QStringLiteral("sqldrivers/libqsqlpsql.so"), QStringLiteral("tls/libqopensslbackend.so"),
            QStringLiteral("platforms/libqoffscreen.so"), QStringLiteral("platforms/libqxcb.so") })
    {
        QVERIFY2(QFileInfo::exists(m_root + QStringLiteral("/plugins/") + plugin), qPrintable(plugin));
    }
}

void TestPackaging::unzippedRunQueuesAMessage()
{
    if (!m_skipReason.isEmpty())
        TMAIL_REQUIRE_PEER(false, m_skipReason);
    if (QStandardPaths::findExecutable(QStringLiteral("swaks")).isEmpty())
        TMAIL_REQUIRE_PEER(false, "swaks is not installed");
    // The operator's steps: a config from the base, the tables, a domain, then ./run.
    const quint16 port = freePort();
    QFile base(m_root + QStringLiteral("/conf/tmail.cfg.base"));
    QVERIFY(base.open(QIODevice::ReadOnly));
    QString config = QString::fromUtf8(base.readAll());
    config.replace(QRegularExpression(QStringLiteral("export TMAIL_SMTPD_DSNS=\"[^\"]*\"")),
        QStringLiteral("export TMAIL_SMTPD_DSNS=\"127.0.0.1:%1:false\"").arg(port));
    config.replace(QRegularExpression(QStringLiteral("export TMAIL_DNS_SERVERS=\"[^\"]*\"")),
        QStringLiteral("export TMAIL_DNS_SERVERS=\"127.0.0.1:%1\"").arg(freePort()));
    config.replace(QRegularExpression(QStringLiteral("export TMAIL_MANAGER_SOCKET=\"[^\"]*\"")),
        QStringLiteral("export TMAIL_MANAGER_SOCKET=\"%1/manager.sock\"").arg(m_root));
    QFile file(m_root + QStringLiteral("/conf/tmail.cfg"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(config.toUtf8());
    file.close();
    // As `cp conf/tmail.cfg.base conf/tmail.cfg` leaves it: the base's mode, 0600.
    QVERIFY(file.setPermissions(base.permissions()));

    const QString run = m_root + QStringLiteral("/run");
    const Run init = runProgram(run, { QStringLiteral("db"), QStringLiteral("init") }, m_root, cleanEnvironment());
    QVERIFY2(init.exitCode == 0, qPrintable(init.output));
    QVERIFY2(init.output.contains(QLatin1String("self-signed certificate")), qPrintable(init.output));
    QVERIFY(QFileInfo::exists(m_root + QStringLiteral("/ssl/server.key")));
    const Run domain
        = runProgram(run, { QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("example.com") }, m_root,
            cleanEnvironment());
    QVERIFY2(domain.exitCode == 0, qPrintable(domain.output));

    // One setting comes from the environment as well: it wins over the file's line.
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("40"));
    m_daemon = std::make_unique<QProcess>();
    m_daemon->setProcessEnvironment(environment);
    m_daemon->setWorkingDirectory(m_root);
    m_daemon->setProcessChannelMode(QProcess::MergedChannels);
    m_daemon->start(run, {});
    QVERIFY(m_daemon->waitForStarted(10000));
    QByteArray log;
    QElapsedTimer timer;
    timer.start();
    while (!log.contains("deliverd launched") && timer.elapsed() < 20000 && m_daemon->state() == QProcess::Running)
    {
        m_daemon->waitForReadyRead(200);
        log += m_daemon->readAll();
    }
    QVERIFY2(log.contains("deliverd launched"), log.constData());

    const Run swaks = runProgram(QStringLiteral("swaks"),
        { QStringLiteral("--server"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--from"),
            QStringLiteral("sender@example.net"), QStringLiteral("--to"), QStringLiteral("someone@example.com"),
            QStringLiteral("--tls") },
        QString(), QProcessEnvironment::systemEnvironment(), 30000);
    QVERIFY2(swaks.output.contains(QLatin1String("250 2.0.0 Ok: queued ")), qPrintable(swaks.output));
    // STARTTLS worked, so the bundled OpenSSL backend was loaded.
    QVERIFY2(swaks.output.contains(QLatin1String("TLS started")), qPrintable(swaks.output));

    // The manager can save settings under run: tmail knows its file.
    ManagerTestClient manager;
    QVERIFY(!manager.handshake(m_root + QStringLiteral("/manager.sock")).isEmpty());
    const QJsonObject got = manager.call(QStringLiteral("config.get")).value(QStringLiteral("result")).toObject();
    QVERIFY(got.value(QStringLiteral("writable")).toBool());
    QCOMPARE(got.value(QStringLiteral("source")).toString(), QFileInfo(file).absoluteFilePath());
    QHash<QString, QJsonObject> variables;
    for (const QJsonValue &variable : got.value(QStringLiteral("variables")).toArray())
        variables.insert(variable.toObject().value(QStringLiteral("name")).toString(), variable.toObject());
    QVERIFY(variables.value(QStringLiteral("TMAIL_SMTPD_MAX_HOPS")).value(QStringLiteral("fromEnvironment")).toBool());
    QCOMPARE(variables.value(QStringLiteral("TMAIL_SMTPD_MAX_HOPS")).value(QStringLiteral("value")).toString(),
        QStringLiteral("40"));
    QVERIFY(!variables.value(QStringLiteral("TMAIL_SMTPD_MAX_RCPT")).value(QStringLiteral("fromEnvironment")).toBool());

    // A setting of the environment is read-only, and the file is left as it was.
    const QJsonObject refused = manager.call(QStringLiteral("config.set"),
        { { QStringLiteral("values"),
            QJsonObject { { QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("30") } } } });
    const QJsonObject refusal = refused.value(QStringLiteral("error")).toObject();
    QCOMPARE(refusal.value(QStringLiteral("code")).toString(), QStringLiteral("config_read_only"));
    QCOMPARE(refusal.value(QStringLiteral("field")).toString(), QStringLiteral("TMAIL_SMTPD_MAX_HOPS"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(file.readAll()), config);
    file.close();

    // Save: the one line changes, every comment stays, and the daemon reloads the file.
    const QJsonObject saved = manager.call(QStringLiteral("config.set"),
        { { QStringLiteral("values"),
            QJsonObject { { QStringLiteral("TMAIL_SMTPD_MAX_RCPT"), QStringLiteral("5") } } } });
    QVERIFY2(saved.value(QStringLiteral("ok")).toBool(), QJsonDocument(saved).toJson().constData());
    QCOMPARE(saved.value(QStringLiteral("result")).toObject().value(QStringLiteral("live")).toArray(),
        QJsonArray { QStringLiteral("TMAIL_SMTPD_MAX_RCPT") });
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString rewritten = QString::fromUtf8(file.readAll());
    file.close();
    QString expected = config;
    expected.replace(
        QStringLiteral("export TMAIL_SMTPD_MAX_RCPT=\"0\""), QStringLiteral("export TMAIL_SMTPD_MAX_RCPT=\"5\""));
    QCOMPARE(rewritten, expected);
    timer.restart();
    while (!log.contains("TMAIL_SMTPD_MAX_RCPT changed from '0' to '5'; applied") && timer.elapsed() < 10000)
    {
        m_daemon->waitForReadyRead(200);
        log += m_daemon->readAll();
    }
    QVERIFY2(log.contains("TMAIL_SMTPD_MAX_RCPT changed from '0' to '5'; applied"), log.constData());
    // The next `run` command reads the saved file.
    const Run show = runProgram(run, { QStringLiteral("config"), QStringLiteral("show") }, m_root, cleanEnvironment());
    QVERIFY2(show.output.contains(QLatin1String("TMAIL_SMTPD_MAX_RCPT")), qPrintable(show.output));

    m_daemon->terminate();
    QVERIFY(m_daemon->waitForFinished(20000));
    QCOMPARE(m_daemon->exitCode(), 0);
}

void TestPackaging::runKeepsSecretsPrivateUnderUmask022()
{
    if (!m_skipReason.isEmpty())
        QSKIP(qPrintable(m_skipReason));
    if (m_root.isEmpty() || !QFileInfo::exists(m_root + QStringLiteral("/db/tmail.db")))
        QSKIP("needs the run of unzippedRunQueuesAMessage");
    // After run made the config, the certificate, the database and a queued body.
    QStringList checked;
    for (const QString &name :
        { QStringLiteral("conf"), QStringLiteral("ssl"), QStringLiteral("db"), QStringLiteral("store") })
    {
        const QString top = m_root + QLatin1Char('/') + name;
        QStringList paths = { top };
        QDirIterator it(
            top, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext())
            paths << it.next();
        for (const QString &path : paths)
        {
            struct stat info = {};
            QVERIFY(::lstat(QFile::encodeName(path).constData(), &info) == 0);
            const mode_t expected = S_ISDIR(info.st_mode) ? 0700 : 0600;
            QVERIFY2((info.st_mode & 0777) == expected,
                qPrintable(
                    QStringLiteral("%1 has mode %2").arg(path).arg(info.st_mode & 0777, 4, 8, QLatin1Char('0'))));
            checked << path.mid(m_root.size() + 1);
        }
    }
    // The queued body of the previous test is in db/tmail.db: the base file keeps bodies in
    // the database (TMAIL_STORE_DRIVER="database").
    for (const QString &expected : { QStringLiteral("conf/tmail.cfg"), QStringLiteral("ssl/server.key"),
             QStringLiteral("ssl/server.crt"), QStringLiteral("db/tmail.db"), QStringLiteral("store") })
        QVERIFY2(checked.contains(expected), qPrintable(checked.join(QLatin1Char(' '))));
    qInfo("%lld paths under conf/ ssl/ db/ store/ checked", static_cast<long long>(checked.size()));
}

void TestPackaging::daemonWarnsAboutReadableSecrets()
{
    if (!m_skipReason.isEmpty())
        QSKIP(qPrintable(m_skipReason));
    if (m_root.isEmpty() || !QFileInfo::exists(m_root + QStringLiteral("/db/tmail.db")))
        QSKIP("needs the run of unzippedRunQueuesAMessage");
    // The previous test's daemon, still running if that test failed half-way.
    if (m_daemon && m_daemon->state() != QProcess::NotRunning)
    {
        m_daemon->terminate();
        m_daemon->waitForFinished(20000);
    }
    const QString config = m_root + QStringLiteral("/conf/tmail.cfg");
    const QString database = m_root + QStringLiteral("/db/tmail.db");
    QVERIFY(::chmod(QFile::encodeName(config).constData(), 0644) == 0);
    QVERIFY(::chmod(QFile::encodeName(database).constData(), 0604) == 0);

    QProcess daemon;
    daemon.setProcessEnvironment(cleanEnvironment());
    daemon.setWorkingDirectory(m_root);
    daemon.setProcessChannelMode(QProcess::MergedChannels);
    daemon.start(m_root + QStringLiteral("/run"), {});
    QVERIFY(daemon.waitForStarted(10000));
    QByteArray log;
    QElapsedTimer timer;
    timer.start();
    while (!log.contains("deliverd launched") && timer.elapsed() < 20000 && daemon.state() == QProcess::Running)
    {
        daemon.waitForReadyRead(200);
        log += daemon.readAll();
    }
    daemon.terminate();
    daemon.waitForFinished(20000);
    log += daemon.readAll();
    ::chmod(QFile::encodeName(config).constData(), 0600);
    ::chmod(QFile::encodeName(database).constData(), 0600);
    QVERIFY2(log.contains("deliverd launched"), log.constData());
    const QList<QByteArray> lines = log.split('\n');
    const auto warnings = [&lines](const QString &path) {
        return std::count_if(lines.cbegin(), lines.cend(), [&path](const QByteArray &line) {
            return line.contains("WARNING") && line.contains(QByteArray(QFile::encodeName(path) + " holds secrets"))
                && line.contains("chmod 600");
        });
    };
    QCOMPARE(warnings(config), 1);
    QCOMPARE(warnings(database), 1);
    QCOMPARE(warnings(m_root + QStringLiteral("/ssl/server.key")), 0);
}

QTEST_GUILESS_MAIN(TestPackaging)
#include "tst_packaging.moc"
