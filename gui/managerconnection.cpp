// See managerconnection.h. Widgets never touch the socket; they call request() and
// listen to the signals.
#include "managerconnection.h"

#include "manager/managerprotocol.h"

#include <QCoreApplication>

using namespace ManagerProtocol;

namespace {

constexpr int MaxBackoffMs = 10000;

} // namespace

ManagerConnection::ManagerConnection(QObject *parent) : QObject(parent)
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ManagerConnection::openSocket);
    m_pingTimer.setInterval(PingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, [this]() {
        if (m_unansweredPings >= 2)
        {
            m_lastError = tr("The daemon stopped answering.");
            emit error(m_lastError);
            if (m_socket)
                m_socket->abort();
            return;
        }
        ++m_unansweredPings;
        sendFrame(Ping { m_nextId++, false }.toJson());
    });
}

ManagerConnection::~ManagerConnection()
{
    m_wanted = false;
    if (m_socket)
        m_socket->disconnect(this);
}

void ManagerConnection::connectToDaemon(const QString &socketName)
{
    m_socketName = socketName;
    m_wanted = true;
    m_backoffMs = 500;
    openSocket();
}

void ManagerConnection::disconnectFromDaemon()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    if (m_socket)
        m_socket->abort();
}

void ManagerConnection::reconnectNow()
{
    if (!m_wanted || m_state != State::Disconnected)
        return;
    m_reconnectTimer.stop();
    m_backoffMs = 500;
    openSocket();
}

void ManagerConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void ManagerConnection::openSocket()
{
    if (!m_wanted)
        return;
    if (m_socket)
    {
        m_socket->disconnect(this);
        m_socket->deleteLater();
    }
    m_codec = FrameCodec();
    m_socket = new QLocalSocket(this);
    connect(m_socket, &QLocalSocket::connected, this, &ManagerConnection::onConnected);
    connect(m_socket, &QLocalSocket::disconnected, this, &ManagerConnection::onDisconnected);
    connect(m_socket, &QLocalSocket::errorOccurred, this, &ManagerConnection::onSocketError);
    connect(m_socket, &QLocalSocket::readyRead, this, &ManagerConnection::onReadyRead);
    setState(State::Connecting);
    m_socket->connectToServer(m_socketName);
}

void ManagerConnection::onConnected()
{
    setState(State::Handshaking);
    Hello hello;
    hello.features = { Feature::Log, Feature::Events, Feature::Config, Feature::Queue };
    hello.software = QStringLiteral("tmail-manager " TMAIL_VERSION);
    sendFrame(hello.toJson());
}

void ManagerConnection::onSocketError(QLocalSocket::LocalSocketError socketError)
{
    if (socketError == QLocalSocket::PeerClosedError)
        return; // onDisconnected follows
    switch (socketError)
    {
    case QLocalSocket::ServerNotFoundError:
        m_lastError = tr("No tmail daemon listens on %1.").arg(m_socketName);
        break;
    case QLocalSocket::ConnectionRefusedError:
        m_lastError = tr("The tmail daemon at %1 refused the connection.").arg(m_socketName);
        break;
    case QLocalSocket::SocketAccessError:
        m_lastError = tr("Access to %1 was denied: only the user running tmail may manage it.").arg(m_socketName);
        break;
    default:
        m_lastError
            = tr("Connection to %1 failed: %2").arg(m_socketName, m_socket ? m_socket->errorString() : QString());
        break;
    }
    emit error(m_lastError);
    if (m_socket && m_socket->state() == QLocalSocket::UnconnectedState)
        onDisconnected();
}

void ManagerConnection::onDisconnected()
{
    if (m_state == State::Disconnected)
        return;
    m_pingTimer.stop();
    m_synchronized = false;
    failPending(tr("The connection to the daemon was lost."));
    setState(State::Disconnected);
    scheduleReconnect();
}

void ManagerConnection::scheduleReconnect()
{
    if (!m_wanted)
        return;
    m_reconnectTimer.start(m_backoffMs);
    m_backoffMs = qMin(m_backoffMs * 2, MaxBackoffMs);
}

void ManagerConnection::failPending(const QString &message)
{
    const QHash<qint64, Pending> pending = std::exchange(m_pending, {});
    for (const Pending &entry : pending)
    {
        if (entry.context)
        {
            Reply reply;
            reply.errorCode = QStringLiteral("disconnected");
            reply.message = message;
            entry.callback(reply);
        }
    }
}

void ManagerConnection::sendFrame(const QJsonObject &frame)
{
    if (m_socket && m_socket->state() == QLocalSocket::ConnectedState)
        m_socket->write(FrameCodec::encode(frame));
}

void ManagerConnection::request(const QString &method, const QJsonObject &params, QObject *context, Callback callback)
{
    if (m_state != State::Connected)
    {
        Reply reply;
        reply.errorCode = QStringLiteral("disconnected");
        reply.message = tr("Not connected to the daemon.");
        if (callback)
            callback(reply);
        return;
    }
    const qint64 id = m_nextId++;
    m_pending.insert(id, { context, std::move(callback) });
    sendFrame(Request { id, method, params }.toJson());
}

void ManagerConnection::onReadyRead()
{
    m_codec.feed(m_socket->readAll());
    for (;;)
    {
        QJsonObject frame;
        const FrameCodec::Result result = m_codec.takeFrame(&frame);
        if (result == FrameCodec::Result::NeedMore)
            return;
        if (result == FrameCodec::Result::TooLarge)
        {
            m_lastError = tr("The daemon sent a message that is too large.");
            emit error(m_lastError);
            m_socket->abort();
            return;
        }
        if (result == FrameCodec::Result::Frame)
            handleFrame(frame);
        if (!m_socket)
            return;
    }
}

void ManagerConnection::handleFrame(const QJsonObject &frame)
{
    const QString type = frame.value(QStringLiteral("type")).toString();
    m_unansweredPings = 0;
    if (type == Type::Hello)
    {
        const Expected<Hello> hello = Hello::fromJson(frame);
        if (!hello || hello->magic != Magic || hello->version != Version)
        {
            m_lastError = tr("The program at %1 is not a compatible tmail daemon.").arg(m_socketName);
            emit error(m_lastError);
            m_wanted = false;
            m_socket->abort();
            return;
        }
        setState(State::Connected);
        m_backoffMs = 500;
        m_pingTimer.start();
        afterHello();
        return;
    }
    if (type == Type::Denied)
    {
        const Expected<Denied> denied = Denied::fromJson(frame);
        const QString code = denied ? denied->code : QString();
        if (code == QLatin1String("uid"))
            m_lastError = tr("The daemon refused this user: only the user running tmail may manage it.");
        else if (code == QLatin1String("version"))
            m_lastError = tr("The daemon speaks another version of the manager protocol.");
        else
            m_lastError = tr("The daemon refused the connection.");
        emit error(m_lastError);
        m_wanted = false; // retrying cannot help
        return;
    }
    if (type == Type::Response)
    {
        const Expected<Response> response = Response::fromJson(frame);
        if (!response || !response->id)
            return;
        const Pending pending = m_pending.take(*response->id);
        if (!pending.context || !pending.callback)
            return;
        Reply reply;
        reply.ok = response->ok;
        reply.result = response->result;
        if (!reply.ok)
        {
            reply.errorCode = errorCodeName(response->error);
            reply.message = response->message;
            reply.field = response->field;
        }
        pending.callback(reply);
        return;
    }
    if (type == Type::Event)
    {
        const Expected<Event> event = Event::fromJson(frame);
        if (!event)
            return;
        if (event->name == EventName::Log)
        {
            m_lastLogId = qMax(m_lastLogId, quint64(event->data.value(QStringLiteral("id")).toDouble()));
            emit logEntryReceived(event->data);
        }
        else if (event->name == EventName::Counters)
        {
            m_counters = event->data;
            emit countersChanged(m_counters);
        }
        else if (event->name == EventName::Changed)
        {
            emit listChanged(event->data.value(QStringLiteral("list")).toString());
        }
        return;
    }
    if (type == Type::Ping)
    {
        const Expected<Ping> ping = Ping::fromJson(frame);
        if (ping)
            sendFrame(Ping { ping->id, true }.toJson());
    }
}

void ManagerConnection::afterHello()
{
    request(
        Method::LogSubscribe, { { QStringLiteral("after"), double(m_lastLogId) } }, this, [this](const Reply &reply) {
            if (reply.ok && reply.resultObject().value(QStringLiteral("reset")).toBool())
            {
                m_lastLogId = 0;
                emit logReset();
            }
        });
    request(Method::Status, {}, this, [this](const Reply &reply) {
        if (!reply.ok)
            return;
        m_status = reply.resultObject();
        m_counters = m_status.value(QStringLiteral("counters")).toObject();
        m_synchronized = true;
        emit countersChanged(m_counters);
        emit synchronized();
    });
}

QString ManagerConnection::describeError(const Reply &reply)
{
    const QString code = reply.errorCode;
    QString text;
    if (code == QLatin1String("disconnected"))
        text = tr("Not connected to the daemon.");
    else if (code == QLatin1String("invalid_param"))
        text = tr("The value of “%1” is not valid.").arg(reply.field);
    else if (code == QLatin1String("already_exists"))
        text = tr("This entry already exists.");
    else if (code == QLatin1String("not_found"))
        text = tr("This entry no longer exists.");
    else if (code == QLatin1String("database"))
        text = tr("The database reported an error.");
    else if (code == QLatin1String("config_invalid"))
        text = reply.field.isEmpty() ? tr("The new configuration is not valid.")
                                     : tr("The value of %1 is not valid.").arg(reply.field);
    else if (code == QLatin1String("config_read_only"))
        text = tr("The daemon took its settings from the environment; there is no configuration file to change.");
    else if (code == QLatin1String("io"))
        text = tr("The daemon could not write a file.");
    else if (code == QLatin1String("not_supported"))
        text = tr("The daemon cannot do this yet.");
    else if (code == QLatin1String("busy"))
        text = tr("The daemon is busy; try again.");
    else
        text = tr("The request failed.");
    if (!reply.message.isEmpty() && code != QLatin1String("disconnected"))
        text += QLatin1Char(' ') + tr("Details: %1").arg(reply.message);
    return text;
}
