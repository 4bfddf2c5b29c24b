// Frames in, frames out for one manager connection; requests go to ManagerServer.
#include "managerserver/managerclient.h"

#include "log/logger.h"

#include <QAbstractSocket>
#include <QLocalSocket>

using namespace ManagerProtocol;

ManagerClient::ManagerClient(quint64 id, QIODevice *socket, const QStringList &features, QObject *parent)
    : QObject(parent), m_id(id), m_socket(socket), m_features(features)
{
    m_socket->setParent(this);
    connect(m_socket, &QIODevice::readyRead, this, &ManagerClient::onReadyRead);
    connect(m_socket, &QIODevice::bytesWritten, this, &ManagerClient::onBytesWritten);
    const auto gone = [this]() { emit disconnected(this); };
    if (auto *local = qobject_cast<QLocalSocket *>(m_socket))
        connect(local, &QLocalSocket::disconnected, this, gone);
    else if (auto *tcp = qobject_cast<QAbstractSocket *>(m_socket))
        connect(tcp, &QAbstractSocket::disconnected, this, gone);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(IdleTimeoutMs);
    connect(&m_idleTimer, &QTimer::timeout, this, [this]() {
        qCInfo(lcManager) << "manager client" << m_id << "silent for too long; closing";
        close();
    });
    m_idleTimer.start();
}

void ManagerClient::send(const QJsonObject &frame)
{
    if (m_closing)
        return;
    if (m_socket->bytesToWrite() > HardBufferCap)
    {
        qCWarning(lcManager) << "manager client" << m_id << "does not read its replies; disconnecting";
        m_closing = true;
        closeSocket(true);
        return;
    }
    m_socket->write(FrameCodec::encode(frame));
}

bool ManagerClient::isCongested() const
{
    return m_socket->bytesToWrite() > EventBufferCap;
}

bool ManagerClient::sendDroppable(const QJsonObject &frame)
{
    if (m_closing || !m_ready || isCongested())
        return false;
    m_socket->write(FrameCodec::encode(frame));
    return true;
}

void ManagerClient::deny(const QString &code, const QString &reason)
{
    Denied denied;
    denied.code = code;
    denied.reason = reason;
    send(denied.toJson());
    close();
}

void ManagerClient::close()
{
    if (m_closing)
        return;
    m_closing = true;
    m_idleTimer.stop();
    closeSocket(false);
}

void ManagerClient::closeSocket(bool abort)
{
    // Both write what is buffered first unless aborted.
    if (auto *local = qobject_cast<QLocalSocket *>(m_socket))
        abort ? local->abort() : local->disconnectFromServer();
    else if (auto *tcp = qobject_cast<QAbstractSocket *>(m_socket))
        abort ? tcp->abort() : tcp->disconnectFromHost();
}

void ManagerClient::setRemote(const QHostAddress &peer)
{
    m_remote = true;
    m_peer = peer;
    m_adminName.clear();
    m_role = AdminValues::AdminRole::Viewer;
}

void ManagerClient::setLoggedIn(const QString &adminName, AdminValues::AdminRole role)
{
    m_adminName = adminName;
    m_role = role;
}

QString ManagerClient::actor() const
{
    if (!m_remote)
        return QStringLiteral("manager client %1").arg(m_id);
    return QStringLiteral("administrator %1 (manager client %2 at %3)")
        .arg(m_adminName.isEmpty() ? QStringLiteral("-") : m_adminName)
        .arg(m_id)
        .arg(m_peer.toString());
}

void ManagerClient::onBytesWritten()
{
    if (m_socket->bytesToWrite() < EventBufferCap / 2)
        emit drained(this);
}

void ManagerClient::onReadyRead()
{
    if (m_closing)
    {
        m_socket->readAll();
        return;
    }
    m_idleTimer.start();
    m_codec.feed(m_socket->readAll());
    for (;;)
    {
        QJsonObject frame;
        QString error;
        const FrameCodec::Result result = m_codec.takeFrame(&frame, &error);
        if (result == FrameCodec::Result::NeedMore)
            return;
        if (result == FrameCodec::Result::TooLarge)
        {
            replyError(std::nullopt, ErrorCode::FrameTooLarge, error);
            close();
            return;
        }
        if (result == FrameCodec::Result::Malformed)
        {
            replyError(std::nullopt, ErrorCode::BadFrame, error);
            continue;
        }
        handleFrame(frame);
        if (m_closing)
            return;
    }
}

void ManagerClient::replyError(std::optional<qint64> id, ErrorCode code, const QString &message)
{
    send(Response::failure(id, code, message).toJson());
}

void ManagerClient::handleFrame(const QJsonObject &frame)
{
    const QString type = frame.value(QStringLiteral("type")).toString();
    if (type == Type::Hello)
    {
        const Expected<Hello> hello = Hello::fromJson(frame);
        if (!hello || hello->magic != Magic)
        {
            deny(QStringLiteral("magic"),
                QStringLiteral("this is tmail's manager socket; the hello was not a tmail-manager hello"));
            return;
        }
        if (hello->version != Version)
        {
            deny(QStringLiteral("version"),
                QStringLiteral("protocol version %1 is not supported; this daemon speaks version %2")
                    .arg(hello->version)
                    .arg(Version));
            return;
        }
        Hello reply;
        reply.features = m_features;
        reply.software = QStringLiteral("tmail " TMAIL_VERSION);
        send(reply.toJson());
        m_ready = true;
        return;
    }
    if (type == Type::Ping || type == Type::Pong)
    {
        const Expected<Ping> ping = Ping::fromJson(frame);
        if (ping && !ping->pong)
        {
            Ping pong = ping.value();
            pong.pong = true;
            send(pong.toJson());
        }
        return;
    }
    if (type == Type::Request)
    {
        const QJsonValue idValue = frame.value(QStringLiteral("id"));
        const std::optional<qint64> id
            = idValue.isDouble() ? std::optional<qint64>(qint64(idValue.toDouble())) : std::nullopt;
        if (!m_ready)
        {
            replyError(id, ErrorCode::NotReady, QStringLiteral("send a hello before any request"));
            return;
        }
        const Expected<Request> request = Request::fromJson(frame);
        if (!request)
        {
            replyError(id, ErrorCode::BadRequest, request.error());
            return;
        }
        // A remote client logs in first: nothing else is even looked at before.
        if (!isLoggedIn() && request->method != Method::Login)
        {
            replyError(id, ErrorCode::AuthenticationRequired, QStringLiteral("log in first (method \"login\")"));
            return;
        }
        emit requestReceived(this, request.value());
        return;
    }
    replyError(std::nullopt, ErrorCode::BadFrame,
        type.isEmpty() ? QStringLiteral("the frame has no type") : QStringLiteral("unknown frame type '%1'").arg(type));
}
