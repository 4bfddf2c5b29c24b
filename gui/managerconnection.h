// tmail-manager's only link to the daemon (Quassel's CoreConnection): the socket, the
// handshake, requests with callbacks, pushed events, heartbeat and reconnection.
#pragma once

#include "manager/framecodec.h"

#include <functional>

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QLocalSocket>
#include <QObject>
#include <QPointer>
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
    void listChanged(const QString &list);
    void logEntryReceived(const QJsonObject &entry);
    // The daemon restarted: log ids begin again.
    void logReset();

private:
    void setState(State state);
    void openSocket();
    void onConnected();
    void onDisconnected();
    void onSocketError(QLocalSocket::LocalSocketError socketError);
    void onReadyRead();
    void handleFrame(const QJsonObject &frame);
    void afterHello();
    void scheduleReconnect();
    void failPending(const QString &message);
    void sendFrame(const QJsonObject &frame);

    struct Pending
    {
        QPointer<QObject> context;
        Callback callback;
    };

    QLocalSocket *m_socket = nullptr; // child
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
    quint64 m_lastLogId = 0;
};
