// Runs tmail as a server: logging, database check (the first-run prompt),
// the smtpd, and POSIX signals turned into event-loop calls.
#pragma once

#include "config/config.h"

#include <QHash>
#include <QObject>

#include <memory>

class Deliverd;
class ManagerServer;
class MetricsServer;
class QSocketNotifier;
class Smtpd;

class Daemon : public QObject
{
    Q_OBJECT
public:
    explicit Daemon(Config config, QObject *parent = nullptr);
    ~Daemon() override;

    // Prepares everything and starts listening. Returns 0 when tmail is running
    // (the caller then enters the event loop), else the exit code to leave with.
    int start();

private:
    bool ensureSchema();
    // One warning per secret-holding file (config, TLS key, sqlite database) others can read.
    void warnAboutExposedSecrets() const;
    void installSignalHandlers();
    void handleSignal();
    void onServiceStopped();
    // Re-reads the configuration (SIGHUP, or config.set through the manager), validates it
    // as a whole, hands the live settings to smtpd and deliverd and logs, per changed
    // setting, "applied" or "restart tmail to apply it". trigger prefixes the log lines.
    ConfigReload reload(const QString &trigger);

    Config m_config;
    QHash<QString, QString> m_runningVariables; // the TMAIL_* settings in effect (ConfigRegistry::effectiveValues)
    std::unique_ptr<Smtpd> m_smtpd;
    std::unique_ptr<Deliverd> m_deliverd;
    std::unique_ptr<ManagerServer> m_manager; // after the services: destroyed first
    std::unique_ptr<MetricsServer> m_metrics; // TMAIL_METRICS_LISTEN; null when it is empty
    int m_servicesRunning = 0;
    QSocketNotifier *m_signalNotifier = nullptr;
    bool m_stopping = false;
};
