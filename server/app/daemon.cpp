// The daemon's start-up sequence and its signal handling (Mumble's UnixMurmur way:
// a socketpair written by the async-signal handler, read by a QSocketNotifier).
#include "app/daemon.h"

#include "app/privileges.h"
#include "app/secretfiles.h"
#include "config/configfile.h"
#include "db/database.h"
#include "db/secretbox.h"
#include "deliverd/deliverd.h"
#include "log/logger.h"
#include "managerserver/managerserver.h"
#include "metrics/metricsserver.h"
#include "smtpd/smtpd.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <optional>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int signalPipe[2] = { -1, -1 };

void onSignal(int signalNumber)
{
    const char byte = char(signalNumber);
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[0], &byte, 1);
}

// What a restart would read: the file tmail was started with (and the environment over
// it), or, when its settings came from the environment, that environment overlaid with
// conf/tmail.cfg beside the binary, as a script that sources it would. Sets *source to
// what was read.
Expected<QHash<QString, QString>> rereadVariables(const Config &config, QString *source)
{
    if (config.sourceDescription != QLatin1String("environment"))
    {
        *source = config.sourceDescription;
        const Expected<Config::Source> reread = Config::reread(config);
        if (!reread)
            return Expected<QHash<QString, QString>>::failure(reread);
        return reread->variables;
    }
    QHash<QString, QString> variables = Config::environmentVariables();
    const QString file = QCoreApplication::applicationDirPath() + QStringLiteral("/conf/tmail.cfg");
    if (!QFileInfo::exists(file))
    {
        *source = QStringLiteral("the environment (no %1)").arg(file);
        return variables;
    }
    *source = file;
    const Expected<QHash<QString, QString>> fromFile = ConfigFile::readValues(file);
    if (!fromFile)
        return fromFile;
    for (auto it = fromFile->cbegin(); it != fromFile->cend(); ++it)
        variables.insert(it.key(), it.value());
    return variables;
}

// TLS files a reload cannot read although their paths did not change: after the switch
// to TMAIL_USER the key may be root's. They are not a reason to refuse the reload (a
// restart as root reads them); smtpd keeps the running certificate and says why.
bool tlsFilesUnreadableAtSamePaths(
    const QHash<QString, QString> &running, const QHash<QString, QString> &next, const Config &config)
{
    const QString cert = QStringLiteral("TMAIL_SMTPD_TLS_CERT");
    const QString key = QStringLiteral("TMAIL_SMTPD_TLS_KEY");
    if (running.value(cert) != next.value(cert) || running.value(key) != next.value(key))
        return false;
    return !QFileInfo(config.tlsCertPath).isReadable() || !QFileInfo(config.tlsKeyPath).isReadable();
}

} // namespace

Daemon::Daemon(Config config, QObject *parent) : QObject(parent), m_config(std::move(config)) { }

Daemon::~Daemon() = default;

int Daemon::start()
{
    SecretBox::setKeyFile(m_config.secretKeyPath);
    const QString ip
        = m_config.listeners.isEmpty() ? QStringLiteral("127.0.0.1") : m_config.listeners.first().address.toString();
    QString logError;
    if (!Logger::instance().setup(m_config.me, ip, m_config.logPath, m_config.debugEnabled, &logError))
    {
        std::fprintf(stderr, "tmail: %s\n", qPrintable(logError));
        return 1;
    }
    // Before anything is launched, so a SIGTERM that arrives during start-up is
    // handled (by the event loop, once it runs) instead of killing the process.
    installSignalHandlers();
    {
        // SIGHUP reload: the baseline a reload is compared with.
        if (m_config.sourceDescription == QLatin1String("environment"))
        {
            m_runningVariables = ConfigRegistry::effectiveValues(Config::environmentVariables());
        }
        else
        {
            const Expected<Config::Source> source = Config::reread(m_config);
            if (source)
                m_runningVariables = ConfigRegistry::effectiveValues(source->variables);
        }
    }

    // Privilege drop: started as root with TMAIL_USER, tmail binds its
    // listeners as root, switches to that user, and only then opens the database and
    // the store, so that every file it creates belongs to that user.
    std::optional<Privileges::Account> account;
    if (!m_config.runAsUser.isEmpty())
    {
        Expected<Privileges::Account> resolved = Privileges::resolve(m_config.runAsUser);
        if (!resolved)
        {
            qCCritical(lcMain).noquote() << resolved.error();
            return 1;
        }
        if (Privileges::runningAsRoot())
        {
            account = resolved.value();
        }
        else if (::geteuid() != resolved.value().uid)
        {
            qCCritical(lcMain).noquote() << QStringLiteral(
                "TMAIL_USER is '%1' but tmail was not started as root; start it as root "
                "or leave TMAIL_USER empty")
                                                .arg(m_config.runAsUser);
            return 1;
        }
    }
    const auto afterBind = [this, &account]() -> Status {
        if (account)
        {
            const Status dropped = Privileges::dropTo(*account);
            if (!dropped)
                return dropped;
            qCInfo(lcMain).noquote() << QStringLiteral("running as user %1 (uid %2, gid %3)")
                                            .arg(account->name)
                                            .arg(account->uid)
                                            .arg(account->gid);
            QStringList paths = { m_config.storePath };
            if (m_config.db.backend == DbSource::Backend::Sqlite)
                paths << QFileInfo(m_config.db.sqlitePath).absolutePath() << m_config.db.sqlitePath;
            const Status writable = Privileges::checkWritable(paths, account->name);
            if (!writable)
                return writable;
        }
        warnAboutExposedSecrets();
        // ensureSchema() logs its own reasons.
        return ensureSchema() ? Status() : Status::failure(ErrorKind::Unavailable, QString());
    };

    // Bound before the privilege drop, as the smtpd listeners are; it only reads counters.
    if (m_config.metricsPort != 0)
    {
        m_metrics = std::make_unique<MetricsServer>();
        const Status metricsStarted = m_metrics->start(m_config.metricsAddress, m_config.metricsPort);
        if (!metricsStarted)
        {
            qCCritical(lcMain).noquote() << metricsStarted.error();
            return 1;
        }
        qCInfo(lcMain).noquote() << QStringLiteral("metrics %1 launched.").arg(m_metrics->address());
    }
    m_smtpd = std::make_unique<Smtpd>(m_config);
    const Status started = m_smtpd->start(afterBind);
    if (!started)
    {
        if (!started.error().isEmpty())
            qCCritical(lcMain).noquote() << started.error();
        return 1;
    }
    m_deliverd = std::make_unique<Deliverd>(m_config);
    const Status delivering = m_deliverd->start();
    if (!delivering)
    {
        qCCritical(lcMain).noquote() << delivering.error();
        m_smtpd->stop();
        return 1;
    }
    // A queued message is offered to deliverd at once instead of at its next poll.
    connect(m_smtpd.get(), &Smtpd::messageQueued, m_deliverd.get(), &Deliverd::wake);
    connect(m_smtpd.get(), &Smtpd::stopped, this, &Daemon::onServiceStopped);
    connect(m_deliverd.get(), &Deliverd::stopped, this, &Daemon::onServiceStopped);
    m_servicesRunning = 2;

    // Started after the privilege drop, so the socket belongs to the user tmail runs as.
    m_manager = std::make_unique<ManagerServer>(m_config);
    m_manager->setRunningVariables(m_runningVariables);
    // config.set rewrites the file, then reloads it exactly as SIGHUP does.
    m_manager->setReloader([this]() { return reload(QStringLiteral("config.set")); });
    Smtpd *smtpd = m_smtpd.get();
    m_manager->setSessionCountProvider([smtpd]() { return smtpd->sessionCount(); });
    m_manager->setSyncer([smtpd](std::function<void()> done) { smtpd->syncNow(std::move(done)); });
    connect(m_smtpd.get(), &Smtpd::messageQueued, m_manager.get(), [this]() { m_manager->countAccepted(); });
    connect(m_deliverd.get(), &Deliverd::recipientsDelivered, m_manager.get(),
        [this](int count) { m_manager->countDelivered(count); });
    connect(m_deliverd.get(), &Deliverd::messageBounced, m_manager.get(), [this]() { m_manager->countBounced(); });
    connect(m_deliverd.get(), &Deliverd::tlsOutcomeCounted, m_manager.get(),
        [this](int kind) { m_manager->countTlsOutcome(kind); });
    const Status managing = m_manager->start();
    if (!managing)
    {
        qCCritical(lcMain).noquote() << managing.error();
        return 1;
    }
    return 0;
}

void Daemon::warnAboutExposedSecrets() const
{
    QStringList paths = { m_config.tlsKeyPath };
    if (m_config.sourceDescription != QLatin1String("environment"))
        paths.prepend(m_config.sourceDescription);
    else
        paths.prepend(QCoreApplication::applicationDirPath() + QStringLiteral("/conf/tmail.cfg"));
    if (m_config.db.backend == DbSource::Backend::Sqlite)
        paths.append(m_config.db.sqlitePath);
    for (const QString &warning : SecretFiles::exposedWarnings(paths))
        qCWarning(lcMain).noquote() << warning;
}

bool Daemon::ensureSchema()
{
    Expected<Database> db = Database::open(m_config.db, QStringLiteral("daemon-startup"));
    if (!db)
    {
        qCCritical(lcDb).noquote() << db.error();
        return false;
    }
    const Expected<int> version = db.value().schemaVersion();
    if (!version)
    {
        qCCritical(lcDb).noquote() << version.error();
        return false;
    }
    if (version.value() == 0)
    {
        const QString description = m_config.db.describe();
        if (!::isatty(STDIN_FILENO))
        {
            qCCritical(lcDb).noquote() << QStringLiteral(
                "Database '%1' misses some tables; run `tmail db init` to create them.")
                                              .arg(description);
            return false;
        }
        std::printf("Database '%s' misses some tables.\nShould i create them ? (y/n): ", qPrintable(description));
        std::fflush(stdout);
        char answer[16] = {};
        if (!std::fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y'))
        {
            std::fprintf(stderr, "tmail: the database has no tables; nothing was started.\n");
            return false;
        }
    }
    else if (version.value() > Database::currentSchemaVersion())
    {
        qCCritical(lcDb).noquote() << QStringLiteral("Database '%1' has schema version %2, newer than this tmail (%3).")
                                          .arg(m_config.db.describe())
                                          .arg(version.value())
                                          .arg(Database::currentSchemaVersion());
        return false;
    }
    if (version.value() < Database::currentSchemaVersion())
    {
        const Status upgraded = db.value().upgrade();
        if (!upgraded)
        {
            qCCritical(lcDb).noquote() << upgraded.error();
            return false;
        }
        qCInfo(lcDb).noquote()
            << QStringLiteral("database schema is now at version %1").arg(Database::currentSchemaVersion());
    }
    return true;
}

void Daemon::installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
    {
        qCWarning(lcMain) << "cannot create the signal socketpair; SIGTERM will stop tmail abruptly";
        return;
    }
    m_signalNotifier = new QSocketNotifier(signalPipe[1], QSocketNotifier::Read, this);
    connect(m_signalNotifier, &QSocketNotifier::activated, this, &Daemon::handleSignal);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGHUP, &action, nullptr);
    sigaction(SIGUSR1, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

void Daemon::handleSignal()
{
    char signalNumber = 0;
    if (::read(signalPipe[1], &signalNumber, 1) != 1)
        return;
    if (signalNumber == SIGHUP || signalNumber == SIGUSR1)
    {
        // logrotate's postrotate: the renamed file is left, the next line opens a new one.
        const QString trigger = signalNumber == SIGHUP ? QStringLiteral("SIGHUP") : QStringLiteral("SIGUSR1");
        // With stdout the journal or the caller's redirection rotates the log.
        QString error;
        if (!Logger::instance().filePath().isEmpty())
        {
            if (Logger::instance().reopen(&error))
                qCInfo(lcMain).noquote()
                    << QStringLiteral("%1: log file %2 reopened").arg(trigger, Logger::instance().filePath());
            else
                qCWarning(lcMain).noquote() << QStringLiteral("%1: %2").arg(trigger, error);
        }
        if (signalNumber == SIGHUP)
            reload(trigger);
        return;
    }
    if (m_stopping || m_servicesRunning == 0)
        return;
    m_stopping = true;
    qCInfo(lcMain) << "stopping: no new sessions, finishing those in progress";
    if (m_manager)
        m_manager->stop();
    m_smtpd->stop();
    m_deliverd->stop();
}

ConfigReload Daemon::reload(const QString &trigger)
{
    ConfigReload result;
    const Expected<QHash<QString, QString>> variables = rereadVariables(m_config, &result.source);
    if (!variables)
    {
        result.error = variables.error();
        qCWarning(lcMain).noquote() << QStringLiteral(
            "%1: cannot re-read the configuration; nothing applied, running settings kept: %2")
                                           .arg(trigger, result.error);
        return result;
    }
    const QHash<QString, QString> next = ConfigRegistry::effectiveValues(variables.value());
    // Validated as a whole, as a restart would: one bad value and nothing changes.
    const Config::TlsFiles tlsFiles = tlsFilesUnreadableAtSamePaths(m_runningVariables, next, m_config)
        ? Config::TlsFiles::PathsOnly
        : Config::TlsFiles::Read;
    const Expected<Config> reloaded = Config::fromVariables(variables.value(), m_config.baseDir, tlsFiles);
    if (!reloaded)
    {
        result.error = reloaded.error();
        qCWarning(lcMain).noquote() << QStringLiteral("%1: %2 is invalid; nothing applied, running settings kept: %3")
                                           .arg(trigger, result.source, result.error);
        return result;
    }

    // smtpd and deliverd live on this thread and read these values per session, transaction
    // or job; their database threads use none of them.
    Logger::instance().setDebugEnabled(reloaded->debugEnabled);
    const Status tls = m_smtpd ? m_smtpd->applySettings(reloaded.value()) : Status();
    if (m_deliverd)
        m_deliverd->applySettings(reloaded.value());
    const QString runningCert = m_config.tlsCertPath;
    const QString runningKey = m_config.tlsKeyPath;
    m_config.takeLiveSettings(reloaded.value());
    if (!tls)
    {
        m_config.tlsCertPath = runningCert;
        m_config.tlsKeyPath = runningKey;
    }

    const QStringList tlsNames = { QStringLiteral("TMAIL_SMTPD_TLS_CERT"), QStringLiteral("TMAIL_SMTPD_TLS_KEY") };
    for (const ConfigVariable &variable : ConfigRegistry::variables())
    {
        const QString before = m_runningVariables.value(variable.name);
        const QString after = next.value(variable.name);
        if (before == after)
            continue;
        QString outcome;
        if (!variable.live)
        {
            result.restart.append(variable.name);
            outcome = QStringLiteral("restart tmail to apply it");
        }
        else if (!tls && tlsNames.contains(variable.name))
        {
            result.failed.insert(variable.name, tls.error());
            outcome = QStringLiteral("not applied, the running certificate is kept: %1").arg(tls.error());
        }
        else
        {
            result.applied.append(variable.name);
            m_runningVariables.insert(variable.name, after);
            outcome = QStringLiteral("applied");
        }
        // The database source may hold a password: name the change, not the values.
        if (variable.name == QLatin1String("TMAIL_DB_SOURCE"))
            qCInfo(lcMain).noquote() << QStringLiteral("%1: %2 changed; %3").arg(trigger, variable.name, outcome);
        else
            qCInfo(lcMain).noquote() << QStringLiteral("%1: %2 changed from '%3' to '%4'; %5")
                                            .arg(trigger, variable.name, before, after, outcome);
    }
    if (!tls && result.failed.isEmpty())
        qCWarning(lcMain).noquote() << QStringLiteral(
            "%1: the TLS certificate was not read again, the running one is kept: %2")
                                           .arg(trigger, tls.error());

    QStringList parts;
    if (!result.applied.isEmpty())
        parts.append(QStringLiteral("%1 applied (%2)")
                         .arg(result.applied.size())
                         .arg(result.applied.join(QStringLiteral(", "))));
    if (!result.restart.isEmpty())
        parts.append(QStringLiteral("%1 need a restart (%2)")
                         .arg(result.restart.size())
                         .arg(result.restart.join(QStringLiteral(", "))));
    if (!result.failed.isEmpty())
    {
        QStringList names = result.failed.keys();
        names.sort();
        parts.append(QStringLiteral("%1 not applied (%2)").arg(names.size()).arg(names.join(QStringLiteral(", "))));
    }
    const QString summary = parts.isEmpty() ? QStringLiteral("no setting changed") : parts.join(QStringLiteral("; "));
    qCInfo(lcMain).noquote()
        << QStringLiteral("%1: configuration reloaded from %2: %3").arg(trigger, result.source, summary);
    if (m_manager)
        m_manager->setRunningVariables(m_runningVariables);
    return result;
}

void Daemon::onServiceStopped()
{
    if (--m_servicesRunning == 0)
    {
        qCInfo(lcMain) << "tmail stopped";
        QCoreApplication::quit();
    }
}
