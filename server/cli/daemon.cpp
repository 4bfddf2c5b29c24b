// The daemon's start-up sequence and its signal handling (Mumble's UnixMurmur way:
// a socketpair written by the async-signal handler, read by a QSocketNotifier).
#include "cli/daemon.h"

#include "db/database.h"
#include "deliverd/deliverd.h"
#include "log/logger.h"
#include "smtpd/smtpd.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int signalNumber)
{
    const char byte = char(signalNumber);
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[0], &byte, 1);
}

} // namespace

Daemon::Daemon(Config config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
}

Daemon::~Daemon() = default;

int Daemon::start()
{
    const QString ip = m_config.listeners.isEmpty() ? QStringLiteral("127.0.0.1")
                                                    : m_config.listeners.first().address.toString();
    QString logError;
    if (!Logger::instance().setup(m_config.me, ip, m_config.logPath, m_config.debugEnabled, &logError)) {
        std::fprintf(stderr, "tmail: %s\n", qPrintable(logError));
        return 1;
    }
    // Before anything is launched, so a SIGTERM that arrives during start-up is
    // handled (by the event loop, once it runs) instead of killing the process.
    installSignalHandlers();
    if (!ensureSchema())
        return 1;

    m_smtpd = std::make_unique<Smtpd>(m_config);
    const Status started = m_smtpd->start();
    if (!started) {
        qCCritical(lcMain).noquote() << started.error();
        return 1;
    }
    m_deliverd = std::make_unique<Deliverd>(m_config);
    const Status delivering = m_deliverd->start();
    if (!delivering) {
        qCCritical(lcMain).noquote() << delivering.error();
        m_smtpd->stop();
        return 1;
    }
    // A queued message is offered to deliverd at once instead of at its next poll.
    connect(m_smtpd.get(), &Smtpd::messageQueued, m_deliverd.get(), &Deliverd::wake);
    connect(m_smtpd.get(), &Smtpd::stopped, this, &Daemon::onServiceStopped);
    connect(m_deliverd.get(), &Deliverd::stopped, this, &Daemon::onServiceStopped);
    m_servicesRunning = 2;
    return 0;
}

bool Daemon::ensureSchema()
{
    Expected<Database> db = Database::open(m_config.db, QStringLiteral("daemon-startup"));
    if (!db) {
        qCCritical(lcDb).noquote() << db.error();
        return false;
    }
    const Expected<int> version = db.value().schemaVersion();
    if (!version) {
        qCCritical(lcDb).noquote() << version.error();
        return false;
    }
    if (version.value() == 0) {
        const QString description = m_config.db.describe();
        if (!::isatty(STDIN_FILENO)) {
            qCCritical(lcDb).noquote() << QStringLiteral("Database '%1' misses some tables; run `tmail db init` to create them.")
                                              .arg(description);
            return false;
        }
        std::printf("Database '%s' misses some tables.\nShould i create them ? (y/n): ", qPrintable(description));
        std::fflush(stdout);
        char answer[16] = {};
        if (!std::fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
            std::fprintf(stderr, "tmail: the database has no tables; nothing was started.\n");
            return false;
        }
    } else if (version.value() > Database::currentSchemaVersion()) {
        qCCritical(lcDb).noquote() << QStringLiteral("Database '%1' has schema version %2, newer than this tmail (%3).")
                                          .arg(m_config.db.describe())
                                          .arg(version.value())
                                          .arg(Database::currentSchemaVersion());
        return false;
    }
    if (version.value() < Database::currentSchemaVersion()) {
        const Status upgraded = db.value().upgrade();
        if (!upgraded) {
            qCCritical(lcDb).noquote() << upgraded.error();
            return false;
        }
        qCInfo(lcDb).noquote() << QStringLiteral("database schema is now at version %1").arg(Database::currentSchemaVersion());
    }
    return true;
}

void Daemon::installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0) {
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
    std::signal(SIGPIPE, SIG_IGN);
}

void Daemon::handleSignal()
{
    char signalNumber = 0;
    if (::read(signalPipe[1], &signalNumber, 1) != 1)
        return;
    if (signalNumber == SIGHUP) {
        // Domains, users and relay IPs are re-read from the database on every change;
        // settings in tmail.cfg still need a restart.
        qCInfo(lcMain) << "SIGHUP received: database settings are live; restart tmail to apply tmail.cfg changes";
        return;
    }
    if (m_stopping || m_servicesRunning == 0)
        return;
    m_stopping = true;
    qCInfo(lcMain) << "stopping: no new sessions, finishing those in progress";
    m_smtpd->stop();
    m_deliverd->stop();
}

void Daemon::onServiceStopped()
{
    if (--m_servicesRunning == 0) {
        qCInfo(lcMain) << "tmail stopped";
        QCoreApplication::quit();
    }
}
