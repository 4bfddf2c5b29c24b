// Starts tmail for the manager tests (see managertestdaemon.h).
#include "managertestdaemon.h"

#include "config/configfile.h"
#include "log/logger.h"
#include "managerserver/managerserver.h"
#include "smtpd/smtpd.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QTest>

namespace {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

ManagerTestDaemon::ManagerTestDaemon() = default;

ManagerTestDaemon::~ManagerTestDaemon()
{
    stop();
}

bool ManagerTestDaemon::start(QString *error)
{
    if (!m_env.isValid())
    {
        *error = QStringLiteral("the test directory or its certificate could not be made");
        return false;
    }
    m_smtpPort = freePort();
    Expected<ConfigFile> config = ConfigFile::read(QStringLiteral(TMAIL_SOURCE_DIR "/resources/tmail.cfg.base"));
    if (!config)
    {
        *error = config.error();
        return false;
    }
    QHash<QString, QString> values {
        { QStringLiteral("TMAIL_ME"), QStringLiteral("mx.test.local") },
        { QStringLiteral("TMAIL_DB_SOURCE"), m_env.path(QStringLiteral("db/tmail.db")) },
        // The suites that use this daemon were written for the disk store; the base file
        // now says database (new installations).
        { QStringLiteral("TMAIL_STORE_DRIVER"), QStringLiteral("disk") },
        { QStringLiteral("TMAIL_STORE_SOURCE"), m_env.path(QStringLiteral("store")) },
        { QStringLiteral("TMAIL_SMTPD_TLS_CERT"), m_env.path(QStringLiteral("ssl/server.crt")) },
        { QStringLiteral("TMAIL_SMTPD_TLS_KEY"), m_env.path(QStringLiteral("ssl/server.key")) },
        { QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(m_smtpPort) },
        { QStringLiteral("TMAIL_MANAGER_SOCKET"), socketPath() },
    };
    values.insert(m_extraSettings);
    QDir().mkpath(m_env.path(QStringLiteral("conf")));
    Status written;
    for (auto it = values.cbegin(); it != values.cend() && written; ++it)
        written = config.value().set(it.key(), it.value());
    if (written)
        written = config->write(configPath());
    if (!written)
    {
        *error = written.error();
        return false;
    }

    const TmailRun init = m_env.run({ QStringLiteral("db"), QStringLiteral("init") });
    if (init.exitCode != 0)
    {
        *error = QStringLiteral("tmail db init failed: %1%2").arg(init.out, init.err);
        return false;
    }
    if (startBinary())
        return true;
    return startInProcess(error);
}

bool ManagerTestDaemon::startBinary()
{
    // The daemon reads conf/tmail.cfg (not the environment), so that config.set can rewrite it.
    QProcessEnvironment environment;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &name : system.keys())
    {
        if (!name.startsWith(QLatin1String("TMAIL_")))
            environment.insert(name, system.value(name));
    }
    m_process.setProcessEnvironment(environment);
    m_process.setWorkingDirectory(m_env.path(QString()));
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.setStandardOutputFile(m_env.path(QStringLiteral("daemon.log")));
    m_process.start(TmailEnvironment::tmailBinary(), { QStringLiteral("--config"), configPath() });
    if (!m_process.waitForStarted(10000))
        return false;
    // A daemon without the manager wired in never creates the socket.
    const bool serving
        = QTest::qWaitFor(
              [this]() { return QFileInfo::exists(socketPath()) || m_process.state() == QProcess::NotRunning; }, 4000)
        && QFileInfo::exists(socketPath());
    if (serving)
        return true;
    m_process.terminate();
    if (!m_process.waitForFinished(10000))
        m_process.kill();
    m_process.waitForFinished(5000);
    return false;
}

bool ManagerTestDaemon::startInProcess(QString *error)
{
    const Expected<QHash<QString, QString>> variables = ConfigFile::readValues(configPath());
    if (!variables)
    {
        *error = variables.error();
        return false;
    }
    Expected<Config> config = Config::fromVariables(variables.value(), m_env.path(QString()));
    if (!config)
    {
        *error = config.error();
        return false;
    }
    config.value().sourceDescription = configPath();
    Logger::instance().setup(config->me, QStringLiteral("127.0.0.1"), QStringLiteral("stdout"), false);
    m_smtpd = std::make_unique<Smtpd>(config.value());
    const Status smtpd = m_smtpd->start();
    if (!smtpd)
    {
        *error = smtpd.error();
        return false;
    }
    m_manager = std::make_unique<ManagerServer>(config.value());
    Smtpd *smtpdPointer = m_smtpd.get();
    m_manager->setSessionCountProvider([smtpdPointer]() { return smtpdPointer->sessionCount(); });
    const Status manager = m_manager->start();
    if (!manager)
    {
        *error = manager.error();
        return false;
    }
    return true;
}

void ManagerTestDaemon::stop()
{
    m_manager.reset();
    if (m_smtpd)
    {
        bool stopped = false;
        QObject::connect(m_smtpd.get(), &Smtpd::stopped, [&stopped]() { stopped = true; });
        m_smtpd->stop();
        [[maybe_unused]] const bool done = QTest::qWaitFor([&stopped]() { return stopped; }, 10000);
        m_smtpd.reset();
    }
    if (m_process.state() != QProcess::NotRunning)
    {
        m_process.terminate();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
}
