// Runs tmail as a server: logging, database check (the seed's first-run prompt),
// the smtpd, and POSIX signals turned into event-loop calls.
#pragma once

#include "config/config.h"

#include <QObject>

#include <memory>

class Deliverd;
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
    void installSignalHandlers();
    void handleSignal();
    void onServiceStopped();

    Config m_config;
    std::unique_ptr<Smtpd> m_smtpd;
    std::unique_ptr<Deliverd> m_deliverd;
    int m_servicesRunning = 0;
    QSocketNotifier *m_signalNotifier = nullptr;
    bool m_stopping = false;
};
