// See managerconnection.h. Widgets never touch the socket; they call request() and
// listen to the signals.
#include "managerconnection.h"

#include "certificatepins.h"
#include "manager/managerprotocol.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSslCipher>

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
            abortSocket();
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
    m_remoteHost.clear();
    m_remotePort = 0;
    m_user.clear();
    m_password.clear();
    m_wanted = true;
    m_backoffMs = 500;
    openSocket();
}

void ManagerConnection::connectToRemote(const QString &host, quint16 port, const QString &user, const QString &password)
{
    disconnectFromDaemon();
    m_remoteHost = host;
    m_remotePort = port;
    m_user = user;
    m_password = password;
    m_socketName = CertificatePins::serverName(host, port);
    m_wanted = true;
    m_backoffMs = 500;
    openSocket();
}

void ManagerConnection::trustCertificate(const QByteArray &fingerprint)
{
    if (!isRemote())
        return;
    CertificatePins::pin(m_socketName, fingerprint);
    m_wanted = true;
    m_backoffMs = 500;
    m_reconnectTimer.stop();
    openSocket();
}

void ManagerConnection::disconnectFromDaemon()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    abortSocket();
}

void ManagerConnection::abortSocket()
{
    if (auto *local = qobject_cast<QLocalSocket *>(m_socket))
        local->abort();
    else if (auto *tls = qobject_cast<QSslSocket *>(m_socket))
        tls->abort();
}

bool ManagerConnection::socketConnected() const
{
    if (const auto *local = qobject_cast<const QLocalSocket *>(m_socket))
        return local->state() == QLocalSocket::ConnectedState;
    if (const auto *tls = qobject_cast<const QSslSocket *>(m_socket))
        return tls->isEncrypted();
    return false;
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
    m_role.clear();
    setState(State::Connecting);
    if (isRemote())
    {
        auto *tls = new QSslSocket(this);
        m_socket = tls;
        // The daemon's certificate is usually self-signed: it is checked against the pinned
        // fingerprint in onEncrypted (trust on first use), not against a CA.
        tls->setPeerVerifyMode(QSslSocket::VerifyNone);
        tls->setProtocol(QSsl::TlsV1_2OrLater);
        connect(tls, &QSslSocket::encrypted, this, &ManagerConnection::onEncrypted);
        connect(tls, &QSslSocket::disconnected, this, &ManagerConnection::onDisconnected);
        connect(tls, &QSslSocket::errorOccurred, this, &ManagerConnection::onTlsError);
        connect(tls, &QSslSocket::readyRead, this, &ManagerConnection::onReadyRead);
        tls->connectToHostEncrypted(m_remoteHost, m_remotePort);
        return;
    }
    auto *local = new QLocalSocket(this);
    m_socket = local;
    connect(local, &QLocalSocket::connected, this, &ManagerConnection::onConnected);
    connect(local, &QLocalSocket::disconnected, this, &ManagerConnection::onDisconnected);
    connect(local, &QLocalSocket::errorOccurred, this, &ManagerConnection::onSocketError);
    connect(local, &QLocalSocket::readyRead, this, &ManagerConnection::onReadyRead);
    local->connectToServer(m_socketName);
}

void ManagerConnection::onEncrypted()
{
    auto *tls = qobject_cast<QSslSocket *>(m_socket);
    if (!tls)
        return;
    const QByteArray fingerprint = CertificatePins::fingerprint(tls->peerCertificate());
    const QByteArray pinned = CertificatePins::pinned(m_socketName);
    if (fingerprint.isEmpty() || fingerprint != pinned)
    {
        // Nothing (no hello, no password) goes to a server whose certificate is not the one
        // accepted before: it may be another machine.
        m_wanted = false;
        m_lastError = pinned.isEmpty()
            ? tr("The certificate of %1 is not trusted yet.").arg(m_socketName)
            : tr("The certificate of %1 has changed: the connection was refused.").arg(m_socketName);
        tls->abort();
        emit error(m_lastError);
        emit certificateNeedsApproval(m_socketName, fingerprint, pinned);
        return;
    }
    onConnected();
}

void ManagerConnection::onTlsError(QAbstractSocket::SocketError socketError)
{
    if (socketError == QAbstractSocket::RemoteHostClosedError && m_state != State::Connecting)
        return; // onDisconnected follows
    switch (socketError)
    {
    case QAbstractSocket::ConnectionRefusedError:
        m_lastError = tr("No tmail daemon listens on %1.").arg(m_socketName);
        break;
    case QAbstractSocket::HostNotFoundError:
        m_lastError = tr("The host %1 was not found.").arg(m_remoteHost);
        break;
    default:
        m_lastError
            = tr("Connection to %1 failed: %2").arg(m_socketName, m_socket ? m_socket->errorString() : QString());
        break;
    }
    emit error(m_lastError);
    const auto *tls = qobject_cast<QSslSocket *>(m_socket);
    if (tls && tls->state() == QAbstractSocket::UnconnectedState)
        onDisconnected();
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
    const auto *local = qobject_cast<QLocalSocket *>(m_socket);
    if (local && local->state() == QLocalSocket::UnconnectedState)
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
    if (m_socket && socketConnected())
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
            abortSocket();
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
            abortSocket();
            return;
        }
        m_backoffMs = 500;
        m_pingTimer.start();
        if (hello->features.contains(Feature::Login))
        {
            login();
            return;
        }
        m_role = QStringLiteral("admin");
        setState(State::Connected);
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
        else if (event->name == EventName::History)
        {
            mergeHistory(event->data);
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

void ManagerConnection::login()
{
    // Sent before the state is Connected: request() would refuse it.
    const qint64 id = m_nextId++;
    m_pending.insert(id, { this, [this](const Reply &reply) {
                              if (!reply.ok)
                              {
                                  // A wrong password does not become right by retrying.
                                  m_lastError = describeError(reply);
                                  m_wanted = false;
                                  emit error(m_lastError);
                                  abortSocket();
                                  return;
                              }
                              m_role = reply.resultObject().value(QStringLiteral("role")).toString();
                              setState(State::Connected);
                              afterHello();
                          } });
    sendFrame(Request { id, Method::Login,
        QJsonObject { { QStringLiteral("user"), m_user }, { QStringLiteral("password"), m_password } } }
                  .toJson());
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
    // Answered before the status (the daemon answers both itself, in order): the Dashboard's
    // chart is full when the pages are told the link is synchronized.
    request(Method::StatsHistory, {}, this, [this](const Reply &reply) {
        if (!reply.ok)
            return; // a daemon without a history: the chart stays empty
        m_history = reply.resultObject();
        emit historyChanged(m_history);
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

void ManagerConnection::mergeHistory(const QJsonObject &recent)
{
    constexpr qsizetype MaxMinutes = 1440;
    if (m_history.isEmpty())
        return; // the whole history is on its way
    const qint64 intervalMs = qint64(m_history.value(QStringLiteral("intervalSeconds")).toDouble(60)) * 1000;
    const qint64 start = qint64(m_history.value(QStringLiteral("start")).toDouble());
    const qint64 recentStart = qint64(recent.value(QStringLiteral("start")).toDouble());
    // Minutes before what we hold, or far after it (a clock that jumped): the next
    // connection fetches the whole history again.
    if (intervalMs <= 0 || recentStart < start || recentStart - start > 2 * MaxMinutes * intervalMs)
        return;
    const qint64 offset = (recentStart - start) / intervalMs;
    qsizetype excess = 0;
    for (auto it = recent.constBegin(); it != recent.constEnd(); ++it)
    {
        if (!it.value().isArray() || !m_history.value(it.key()).isArray())
            continue;
        QJsonArray series = m_history.value(it.key()).toArray();
        const QJsonArray values = it.value().toArray();
        for (qsizetype i = 0; i < values.size(); ++i)
        {
            const qsizetype index = qsizetype(offset) + i;
            while (series.size() <= index)
                series.append(0);
            series[index] = values.at(i);
        }
        excess = qMax<qsizetype>(0, series.size() - MaxMinutes);
        while (series.size() > MaxMinutes)
            series.removeFirst();
        m_history.insert(it.key(), series);
    }
    if (excess > 0)
        m_history.insert(QStringLiteral("start"), double(start + excess * intervalMs));
    emit historyChanged(m_history);
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
    else if (code == QLatin1String("permission_denied"))
        text = tr("Your role does not allow this.");
    else if (code == QLatin1String("authentication_failed"))
        text = tr("Unknown administrator or wrong password.");
    else if (code == QLatin1String("too_many_failures"))
        text = tr("Too many failed logins from this address; try again later.");
    else if (code == QLatin1String("authentication_required"))
        text = tr("Log in first.");
    else
        text = tr("The request failed.");
    if (!reply.message.isEmpty() && code != QLatin1String("disconnected"))
        text += QLatin1Char(' ') + tr("Details: %1").arg(reply.message);
    return text;
}
