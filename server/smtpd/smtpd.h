// The receiving half of tmail: every listener of TMAIL_SMTPD_DSNS, their sessions,
// and the hand-off of accepted messages to the durable queue.
#pragma once

#include "config/config.h"
#include "core/expected.h"
#include "queue/diskstore.h"
#include "smtpd/authlimiter.h"
#include "smtpd/dbworker.h"
#include "smtpd/lmtpverifier.h"

#include <functional>
#include <memory>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslConfiguration>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

class QSslSocket;
class QueueWriter;
class SmtpListener;
class SmtpSession;
class TlsHandshakePool;
struct QueuedMessage;

class Smtpd : public QObject
{
    Q_OBJECT
public:
    explicit Smtpd(const Config &config, QObject *parent = nullptr);
    ~Smtpd() override;

    // Binds every listener and starts the worker threads (queue writer, database).
    // Logs "smtpd IP:PORT launched." / "smtpd IP:PORT SSL launched." per listener.
    // Fails (nothing left bound) with a message naming the listener that could not bind.
    // afterBind runs once every listener is bound and before any database is
    // opened: the daemon drops root there. No connection is served before start() returns.
    Status start(const std::function<Status()> &afterBind = {});

    // Stops accepting, answers 421 4.7.0 to sessions that are idle, lets those in DATA
    // finish (bounded), and flushes the queue writer. Emits stopped() when done.
    void stop();

    // A reload: the live settings of next (Config::takeLiveSettings) apply to new sessions
    // and to the next transaction of open ones, and the TLS certificate and key are read
    // again for the next handshakes. When they cannot be loaded the running ones stay and
    // the reason is returned; the other settings are applied anyway. Main thread only.
    Status applySettings(const Config &next);

    // The port each listener is bound to, in the order of config.listeners (useful with port 0).
    QList<quint16> boundPorts() const;
    int sessionCount() const { return int(m_sessions.size()); }
    // Reads the database's latest changes (rcpthosts, users, relay IPs, DKIM keys) now;
    // done runs on this thread once they are in force for the next command of any session.
    void syncNow(std::function<void()> done);

    // For SmtpSession (same stage: plain calls).
    const Config &config() const { return m_config; }
    const RelayPolicy &relayPolicy() const { return *m_policy; }
    bool tlsAvailable() const { return m_tlsAvailable; }
    const QSslConfiguration &tlsConfiguration() const { return m_tlsConfiguration; }
    // Where sessions run their TLS handshakes, off this thread, on the TLS context every
    // session shares (renewed hourly) so that clients can resume.
    TlsHandshakePool &tlsPool() { return *m_tlsPool; }
    // False when built without Qt's private headers: then each handshake has its own context.
    static bool sharesTlsContext();
    AuthLimiter &authLimiter() { return m_authLimiter; }
    LmtpVerifier &lmtpVerifier() { return m_lmtpVerifier; }
    const DiskStore &store() const { return m_store; }
    // The answer comes back as session->queueFinished() / session->authFinished().
    // outbound (a relay IP or an authenticated client): DKIM-signed first, on the
    // signing pool, when the From: domain has a key.
    void enqueue(SmtpSession *session, const QueuedMessage &message, bool outbound = false);
    void authenticate(SmtpSession *session, const QString &login, const QString &password);

signals:
    void stopped();
    // A message is on stable storage and in the queue (deliverd may take it now).
    void messageQueued(const QString &id);

private:
    Status loadTls();
    Status startWorkers();
    void stopWorkers();
    void closeListeners();
    void onConnection(QSslSocket *socket, bool implicitTls);
    void refuseConnection(QSslSocket *socket, bool implicitTls);
    void sendRefusal(QSslSocket *socket, const QString &text);
    void onSessionClosed(SmtpSession *session);
    void onMessageFinished(const QString &id, bool ok, const QString &error);
    void onAuthenticated(quint64 requestId, DbWorker::AuthOutcome outcome, const QString &login, bool mayRelay);
    void finishStop();
    // On the signing pool: signs the received file in place, then hands it to the queue writer.
    void signAndSubmit(const QueuedMessage &message, const DkimKeyringPtr &keyring);

    Config m_config;
    DiskStore m_store;
    AuthLimiter m_authLimiter;
    LmtpVerifier m_lmtpVerifier;
    QSslConfiguration m_tlsConfiguration;
    bool m_tlsAvailable = false;
    std::unique_ptr<TlsHandshakePool> m_tlsPool;
    RelayPolicyPtr m_policy;
    DkimKeyringPtr m_keyring;
    QThreadPool m_signPool;

    QList<SmtpListener *> m_listeners; // children
    QSet<SmtpSession *> m_sessions; // children

    QThread m_queueThread;
    QThread m_dbThread;
    std::unique_ptr<QueueWriter> m_queueWriter;
    std::unique_ptr<DbWorker> m_dbWorker;
    bool m_workersRunning = false;

    QHash<QString, QPointer<SmtpSession>> m_queueWaiters;
    QHash<quint64, QPointer<SmtpSession>> m_authWaiters;
    quint64 m_nextAuthRequest = 1;

    bool m_stopping = false;
    QTimer m_stopTimer;
};
