// The daemon's manager endpoint: a QLocalServer only its own user may reach, speaking
// the protocol of shared/manager; database work runs on a worker thread.
#pragma once

#include "config/config.h"
#include "core/expected.h"
#include "log/logger.h"
#include "manager/managerprotocol.h"
#include "smtpd/authlimiter.h"

#include <functional>
#include <memory>

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QThread>
#include <QTimer>

class QLocalServer;
class ManagerClient;
class ManagerDbWorker;
class ManagerTlsListener;
class QSslSocket;

// What the dashboard shows; the daemon feeds it (see ManagerServer's slots).
struct ManagerCounters
{
    qint64 sessions = 0; // SMTP sessions open now
    qint64 accepted = 0; // messages accepted since start
    qint64 delivered = 0; // recipients delivered since start
    qint64 bounced = 0; // bounces generated since start
    qint64 queued = 0; // messages in the queue (polled from the database)
    // MX deliveries since start by TLS outcome: DANE, enforced MTA-STS, other TLS, clear text.
    qint64 tlsDane = 0;
    qint64 tlsMtaSts = 0;
    qint64 tlsOpportunistic = 0;
    qint64 tlsClear = 0;

    QJsonObject toJson() const;
    bool operator==(const ManagerCounters &other) const;
};

class ManagerServer : public QObject
{
    Q_OBJECT
public:
    ManagerServer(const Config &config, QObject *parent = nullptr);
    ~ManagerServer() override;

    // Listens on TMAIL_MANAGER_SOCKET (a name, or a path when it holds a '/'), with the
    // socket file mode 0600, and starts the database worker. A stale socket file left by
    // a dead daemon is replaced; a live one is an error. With TMAIL_MANAGER_LISTEN, also
    // on that TLS port (ManagerTlsListener), where administrators log in; a certificate
    // that is not usable is an error.
    Status start();
    // The remote listener's port (0 when there is none).
    quint16 remotePort() const;
    // Closes every client and the listener; the worker thread is stopped.
    void stop();

    QString socketPath() const;
    const ManagerCounters &counters() const { return m_counters; }

    // Polled once a second for the "sessions" counter (e.g. Smtpd::sessionCount).
    void setSessionCountProvider(std::function<int()> provider);
    // What "sync" waits for (e.g. Smtpd::syncNow): it calls done when the daemon has read
    // the database's latest changes. Without one, sync answers at once.
    void setSyncer(std::function<void(std::function<void()> done)> syncer);

    // What config.set calls after rewriting the file: the daemon's reload (SIGHUP's path),
    // which applies the live settings. Without one, every change waits for a restart.
    void setReloader(std::function<ConfigReload()> reloader);
    // The settings the daemon runs with now (ConfigRegistry::effectiveValues), for config.get's
    // "running" and "pendingRestart"; the daemon sets it at start and after each reload.
    void setRunningVariables(const QHash<QString, QString> &variables);

public slots:
    void setSessionCount(int sessions);
    void countAccepted(int messages = 1);
    void countDelivered(int recipients = 1);
    void countBounced(int messages = 1);
    // One MX delivery session with this outcome (int(TlsSessionOutcome::Kind)).
    void countTlsOutcome(int kind);

signals:
    // config.set rewrote tmail.cfg; names are the variables whose value changed.
    void configWritten(const QStringList &names);

private:
    void onNewConnection();
    void onRemoteConnection(QSslSocket *socket);
    // Registers a client whose link is up (local after the uid check, remote after TLS).
    void addClient(ManagerClient *client);
    void login(ManagerClient *client, const ManagerProtocol::Request &request);
    void onAuthenticated(quint64 clientId, qint64 requestId, const QString &adminName, int role, const QString &error);
    void onRequest(ManagerClient *client, const ManagerProtocol::Request &request);
    void onWorkerReply(quint64 clientId, const QJsonObject &response);
    void onClientGone(ManagerClient *client);
    void onLogEntry(const LogEntry &entry);
    void pumpLog(ManagerClient *client);
    void broadcast(const QString &eventName, const QJsonObject &data);
    void tick();

    ManagerProtocol::Response status(qint64 id) const;
    // The daemon's counts per minute (Metrics' history): params.minutes, 1 to 1440 (default).
    ManagerProtocol::Response statsHistory(qint64 id, const QJsonObject &params) const;
    // Secret values (a database password) are masked unless revealSecrets.
    ManagerProtocol::Response configGet(qint64 id, bool revealSecrets) const;
    ManagerProtocol::Response configSet(qint64 id, const QJsonObject &params, const QString &actor);

    ManagerProtocol::Response configCheck(qint64 id, const QJsonObject &params) const;
    // The values param of config.set and config.check: NAME → value, each a known variable
    // whose value fits in a tmail.cfg line. A failure is the response to send.
    static Expected<QHash<QString, QString>> changesFrom(
        const QJsonObject &params, ManagerProtocol::Response *refusal, qint64 id);
    ManagerProtocol::Response logSubscribe(ManagerClient *client, qint64 id, const QJsonObject &params);
    // The TMAIL_* values of the config source now (the file as it is on disk, or the environment).
    Expected<QHash<QString, QString>> currentVariables() const;
    bool configIsFile() const;

    Config m_config;
    QHash<QString, QString> m_runningVariables; // what the daemon runs with (effective values)
    std::function<ConfigReload()> m_reloader;
    QLocalServer *m_server = nullptr; // child
    ManagerTlsListener *m_remote = nullptr; // child; null without TMAIL_MANAGER_LISTEN
    AuthLimiter m_authLimiter; // failed remote logins per address, as SMTP AUTH
    QHash<quint64, ManagerClient *> m_clients;
    quint64 m_nextClientId = 1;
    QThread m_workerThread;
    ManagerDbWorker *m_worker = nullptr; // lives in m_workerThread, deleted when it finishes
    ManagerCounters m_counters;
    ManagerCounters m_lastBroadcast;
    QJsonObject m_lastHistory; // the last "history" event sent
    std::function<int()> m_sessionCountProvider;
    std::function<void(std::function<void()>)> m_syncer;
    QTimer m_tickTimer;
    QElapsedTimer m_uptime;
    qint64 m_startedAtMs = 0;
};
