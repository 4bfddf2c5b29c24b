// One connection of tmail-manager to the daemon: the handshake, framing, heartbeat,
// and a capped outgoing buffer so that a slow manager never holds the daemon back.
#pragma once

#include "manager/framecodec.h"
#include "manager/managerprotocol.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QTimer>

class QLocalSocket;

class ManagerClient : public QObject
{
    Q_OBJECT
public:
    // Events are dropped (or, for the log, paused) above this many unsent bytes…
    static constexpr qint64 EventBufferCap = 1024 * 1024;
    // …and a client that lets this much pile up is disconnected.
    static constexpr qint64 HardBufferCap = 32 * 1024 * 1024;

    // Takes ownership of socket. features: what the daemon grants in its hello.
    ManagerClient(quint64 id, QLocalSocket *socket, const QStringList &features, QObject *parent = nullptr);

    quint64 id() const { return m_id; }
    bool isReady() const { return m_ready; }

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
    QLocalSocket *m_socket; // child
    QStringList m_features;
    FrameCodec m_codec;
    QTimer m_idleTimer;
    bool m_ready = false;
    bool m_closing = false;
};
