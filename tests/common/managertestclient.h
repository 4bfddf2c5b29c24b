// A manager client for tests: frames are collected as they arrive (the event loop
// keeps running, so an in-process daemon answers), and waits are bounded.
#pragma once

#include "manager/framecodec.h"

#include <functional>

#include <QJsonObject>
#include <QList>
#include <QLocalSocket>
#include <QObject>

class ManagerTestClient : public QObject
{
    Q_OBJECT
public:
    ManagerTestClient();

    bool connectTo(const QString &path);
    // Connects and exchanges hellos; returns the daemon's hello (empty on failure).
    QJsonObject handshake(const QString &path);
    void sendFrame(const QJsonObject &frame) { sendRaw(FrameCodec::encode(frame)); }
    void sendRaw(const QByteArray &bytes);
    // Sends a request and returns its response (empty after 10 s).
    QJsonObject call(const QString &method, const QJsonObject &params = {});
    // The first collected frame matching, removed from the list (empty after timeoutMs).
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs = 10000);
    QJsonObject waitForEvent(
        const QString &name, const std::function<bool(const QJsonObject &)> &match = {}, int timeoutMs = 10000);
    bool isConnected() const { return m_socket.state() == QLocalSocket::ConnectedState; }
    bool waitForDisconnected(int timeoutMs = 10000);

private:
    void onReadyRead();

    QLocalSocket m_socket;
    FrameCodec m_codec;
    QList<QJsonObject> m_frames;
    qint64 m_nextId = 1;
};
