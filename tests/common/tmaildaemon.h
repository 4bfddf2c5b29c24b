// The real tmail daemon as a test fixture: started from a TmailEnvironment (its TMAIL_*
// settings, or `--config FILE` without them), its output collected, every wait bounded,
// and killed when the fixture goes away.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

class TmailEnvironment;

class TmailDaemon
{
public:
    TmailDaemon() = default;
    ~TmailDaemon();
    TmailDaemon(const TmailDaemon &) = delete;
    TmailDaemon &operator=(const TmailDaemon &) = delete;

    // Starts `tmail` with environment's settings, or `tmail --config configFile` with none
    // of them when configFile is given; stdout and stderr merged into log(). True once
    // readyText is logged within timeoutMs (false when it exits or times out first).
    bool start(const TmailEnvironment &environment, const QString &configFile = QString(),
        const QByteArray &readyText = "deliverd launched", int timeoutMs = 20000);
    // Appends the output to log() until it contains text (false after timeoutMs or an exit).
    bool waitForLog(const QByteArray &text, int timeoutMs);
    bool isRunning() const;
    qint64 pid() const;
    // Sends a signal (SIGHUP, SIGTERM…) to the daemon.
    void signal(int signalNumber);
    // SIGTERM, then waits for the exit; true when it exited normally with status 0.
    bool terminate(int timeoutMs = 20000);
    // SIGKILL and wait (a no-op when it is not running).
    void kill();

    QProcess &process() { return *m_process; }
    QByteArray &log() { return m_log; }
    const QByteArray &log() const { return m_log; }

private:
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
};
