// One connection of tmail-manager to the daemon: the handshake, framing, heartbeat,
// and a capped outgoing buffer so that a slow manager never holds the daemon back. The
// link is the local socket or, for a remote manager, a TLS socket that already finished
// its handshake; both are QIODevices and are handled alike.
#pragma once

#include "core/adminvalues.h"
#include "manager/framecodec.h"
#include "manager/managerprotocol.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QTimer>

class QIODevice;

class ManagerClient : public QObject
{
    Q_OBJECT
public:
    // Events are dropped (or, for the log, paused) above this many unsent bytes…
    static constexpr qint64 EventBufferCap = 1024 * 1024;
    // …and a client that lets this much pile up is disconnected.
    static constexpr qint64 HardBufferCap = 32 * 1024 * 1024;

    // Takes ownership of socket (a QLocalSocket or a QSslSocket). features: what the
    // daemon grants in its hello.
    ManagerClient(quint64 id, QIODevice *socket, const QStringList &features, QObject *parent = nullptr);

    quint64 id() const { return m_id; }
    bool isReady() const { return m_ready; }

    // A remote client (TMAIL_MANAGER_LISTEN) must log in; a local one has every right.
    bool isRemote() const { return m_remote; }
    void setRemote(const QHostAddress &peer);
    const QHostAddress &peerAddress() const { return m_peer; }
    bool isLoggedIn() const { return !m_remote || !m_adminName.isEmpty(); }
    void setLoggedIn(const QString &adminName, AdminValues::AdminRole role);
    const QString &adminName() const { return m_adminName; }
    AdminValues::AdminRole role() const { return m_role; }
    // Who a log line names for this client's changes: "manager client 3", or
    // "administrator alice (manager client 3 at 192.0.2.1)".
    QString actor() const;

    void send(const QJsonObject &frame);
    // For events: false (nothing sent) when the buffer is over EventBufferCap.
    bool sendDroppable(const QJsonObject &frame);
    bool isCongested() const;
    void deny(const QString &code, const QString &reason);
    void close();

    // Log subscription state, kept by ManagerServer.
    bool logSubscribed = false;
    quint64 lastLogId = 0;
    bool logBehind = false;
    int requestsInFlight = 0;
    bool loginPending = false; // a login is being checked or its failure delayed

signals:
    void requestReceived(ManagerClient *client, const ManagerProtocol::Request &request);
    void drained(ManagerClient *client);
    void disconnected(ManagerClient *client);

private:
    void onReadyRead();
    void onBytesWritten();
    void handleFrame(const QJsonObject &frame);
    void replyError(std::optional<qint64> id, ManagerProtocol::ErrorCode code, const QString &message);

    quint64 m_id;
    // Ends the link: gently (buffered data first) or at once.
    void closeSocket(bool abort);

    QIODevice *m_socket; // child
    QStringList m_features;
    FrameCodec m_codec;
    QTimer m_idleTimer;
    bool m_ready = false;
    bool m_closing = false;
    bool m_remote = false;
    QHostAddress m_peer;
    QString m_adminName;
    AdminValues::AdminRole m_role = AdminValues::AdminRole::Admin;
};
