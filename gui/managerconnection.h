// tmail-manager's only link to the daemon (Quassel's CoreConnection): the socket, the
// handshake, requests with callbacks, pushed events, heartbeat and reconnection. The link is
// the daemon's local socket, or TLS to TMAIL_MANAGER_LISTEN with an administrator's login;
// the remote certificate is trusted on first use and pinned (CertificatePins).
#pragma once

#include "manager/framecodec.h"

#include <functional>

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QLocalSocket>
#include <QObject>
#include <QPointer>
#include <QSslSocket>
#include <QTimer>

class ManagerConnection : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Disconnected,
        Connecting,
        Handshaking,
        Connected,
    };
    Q_ENUM(State)

    struct Reply
    {
        bool ok = false;
        QJsonValue result;
        QString errorCode; // protocol error code, or "disconnected"
        QString message; // the daemon's English detail
        QString field; // parameter or variable at fault
        QJsonObject resultObject() const { return result.toObject(); }
    };
    using Callback = std::function<void(const Reply &)>;

    explicit ManagerConnection(QObject *parent = nullptr);
    ~ManagerConnection() override;

    // The socket name or path; reconnects by itself (with backoff) until disconnectFromDaemon().
    void connectToDaemon(const QString &socketName);
    // A remote daemon over TLS, logging in as user. The password stays in memory for the
    // reconnections of this session only; it is never written anywhere.
    void connectToRemote(const QString &host, quint16 port, const QString &user, const QString &password);
    bool isRemote() const { return m_remotePort != 0; }
    // After certificateNeedsApproval: pins fingerprint for this server and connects again.
    void trustCertificate(const QByteArray &fingerprint);
    // The role the daemon gave the login ("admin" on the local socket).
    QString role() const { return m_role; }
    QString user() const { return m_user; }
    void disconnectFromDaemon();
    // Retries now, without waiting for the backoff.
    void reconnectNow();

    State state() const { return m_state; }
    bool isSynchronized() const { return m_synchronized; }
    QString socketName() const { return m_socketName; }
    QString lastError() const { return m_lastError; }
    // The daemon's last status answer (software, me, listeners, counters…).
    const QJsonObject &status() const { return m_status; }
    const QJsonObject &counters() const { return m_counters; }
    // The daemon's counts per minute (stats.history), fetched at each connection and kept
    // current by its "history" events; empty before the first answer.
    const QJsonObject &history() const { return m_history; }

    // Sends a request; callback runs once with the answer (or a "disconnected" error),
    // unless context is destroyed first.
    void request(const QString &method, const QJsonObject &params, QObject *context, Callback callback);

    // A translated sentence for a failed reply.
    static QString describeError(const Reply &reply);

signals:
    void stateChanged(ManagerConnection::State state);
    void error(const QString &message);
    // Hello exchanged and status known: pages may load their data.
    void synchronized();
    void countersChanged(const QJsonObject &counters);
    void historyChanged(const QJsonObject &history);
    void listChanged(const QString &list);
    void logEntryReceived(const QJsonObject &entry);
    // The daemon restarted: log ids begin again.
    void logReset();
    // The remote server's certificate is not the one pinned for it (pinned empty: first
    // contact). The connection was closed before anything was sent; trustCertificate()
    // accepts it knowingly.
    void certificateNeedsApproval(const QString &server, const QByteArray &fingerprint, const QByteArray &pinned);

private:
    void setState(State state);
    void openSocket();
    void onConnected();
    void onDisconnected();
    void onSocketError(QLocalSocket::LocalSocketError socketError);
    void onTlsError(QAbstractSocket::SocketError socketError);
    void onEncrypted();
    void login();
    bool socketConnected() const;
    void abortSocket();
    void onReadyRead();
    void handleFrame(const QJsonObject &frame);
    void afterHello();
    // Puts the minutes of a "history" event into m_history (the newest 1440 are kept).
    void mergeHistory(const QJsonObject &recent);
    void scheduleReconnect();
    void failPending(const QString &message);
    void sendFrame(const QJsonObject &frame);

    struct Pending
    {
        QPointer<QObject> context;
        Callback callback;
    };

    QIODevice *m_socket = nullptr; // child: a QLocalSocket, or a QSslSocket when remote
    FrameCodec m_codec;
    QString m_socketName;
    State m_state = State::Disconnected;
    bool m_wanted = false;
    bool m_synchronized = false;
    QString m_lastError;
    qint64 m_nextId = 1;
    QHash<qint64, Pending> m_pending;
    QTimer m_reconnectTimer;
    int m_backoffMs = 500;
    QTimer m_pingTimer;
    int m_unansweredPings = 0;
    QJsonObject m_status;
    QJsonObject m_counters;
    QJsonObject m_history;
    quint64 m_lastLogId = 0;
    QString m_remoteHost;
    quint16 m_remotePort = 0;
    QString m_user;
    QString m_password;
    QString m_role;
};
