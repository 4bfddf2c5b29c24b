// Accepts manager connections (same uid only), answers status/config/log requests
// itself and hands table and queue requests to ManagerDbWorker's thread.
#include "managerserver/managerserver.h"

#include "config/configfile.h"
#include "core/adminvalues.h"
#include "deliverd/deliveryjob.h"
#include "managerserver/managerclient.h"
#include "managerserver/managerdbworker.h"
#include "managerserver/managertlslistener.h"
#include "metrics/metrics.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QSslSocket>

#include <cerrno>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace ManagerProtocol;

namespace {

// A change from the command line names what it touched: a bulk queue action up to 200
// message ids (41 characters each), so its line may be longer than other logged text.
constexpr int MaxLoggedChange = 9000;

constexpr int MaxRequestsInFlight = 64;

// The minutes a "history" event carries: the one going on and the one just ended, whose
// last counts the event before it may have missed.
constexpr int HistoryEventMinutes = 2;

// stats.history's result: the start of the first minute (ms since the epoch), the length of
// a bucket, then one array per counter, a number per minute, oldest first (the last is the
// minute going on).
QJsonObject historyToJson(const QList<MetricsHistory::Minute> &minutes)
{
    static const std::pair<MetricsHistory::Counter, const char *> names[] = {
        { MetricsHistory::Counter::Accepted, "accepted" },
        { MetricsHistory::Counter::AcceptedTls, "acceptedTls" },
        { MetricsHistory::Counter::Delivered, "delivered" },
        { MetricsHistory::Counter::Deferred, "deferred" },
        { MetricsHistory::Counter::Bounced, "bounced" },
        { MetricsHistory::Counter::Refused, "refused" },
        { MetricsHistory::Counter::DeliverySessions, "deliverySessions" },
        { MetricsHistory::Counter::DeliverySessionsTls, "deliverySessionsTls" },
    };
    QJsonObject result { { QStringLiteral("start"), minutes.isEmpty() ? 0 : minutes.first().minute * 60000 },
        { QStringLiteral("intervalSeconds"), 60 } };
    for (const auto &[counter, name] : names)
    {
        QJsonArray counts;
        for (const MetricsHistory::Minute &minute : minutes)
            counts.append(minute.count(counter));
        result.insert(QLatin1String(name), counts);
    }
    return result;
}

QJsonObject logEntryToJson(const LogEntry &entry)
{
    return { { QStringLiteral("id"), double(entry.id) },
        { QStringLiteral("time"), entry.time.toString(Qt::ISODateWithMs) }, { QStringLiteral("level"), entry.level },
        { QStringLiteral("category"), entry.category }, { QStringLiteral("message"), entry.message },
        { QStringLiteral("line"), Logger::instance().format(entry) } };
}

// The file a local socket name stands for (Qt puts bare names in the temp directory).
QString socketFilePath(const QString &name)
{
    if (name.contains(QLatin1Char('/')))
        return name;
    return QDir::tempPath() + QLatin1Char('/') + name;
}

// True when something accepts connections on the socket file (a live daemon).
bool socketIsLive(const QString &path)
{
    const QByteArray encoded = QFile::encodeName(path);
    sockaddr_un address = {};
    if (size_t(encoded.size()) >= sizeof address.sun_path)
        return false;
    address.sun_family = AF_UNIX;
    memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const bool live = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 || errno == EAGAIN;
    ::close(fd);
    return live;
}

// The uid of the process at the other end of a local socket, or -1.
qint64 peerUid(QLocalSocket *socket)
{
    ucred credentials = {};
    socklen_t length = sizeof credentials;
    if (::getsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0)
        return -1;
    return qint64(credentials.uid);
}

} // namespace

QJsonObject ManagerCounters::toJson() const
{
    return { { QStringLiteral("sessions"), sessions }, { QStringLiteral("accepted"), accepted },
        { QStringLiteral("delivered"), delivered }, { QStringLiteral("bounced"), bounced },
        { QStringLiteral("queued"), queued }, { QStringLiteral("tlsDane"), tlsDane },
        { QStringLiteral("tlsMtaSts"), tlsMtaSts }, { QStringLiteral("tlsOpportunistic"), tlsOpportunistic },
        { QStringLiteral("tlsClear"), tlsClear } };
}

bool ManagerCounters::operator==(const ManagerCounters &other) const
{
    return sessions == other.sessions && accepted == other.accepted && delivered == other.delivered
        && bounced == other.bounced && queued == other.queued && tlsDane == other.tlsDane
        && tlsMtaSts == other.tlsMtaSts && tlsOpportunistic == other.tlsOpportunistic && tlsClear == other.tlsClear;
}

ManagerServer::ManagerServer(const Config &config, QObject *parent)
    : QObject(parent), m_config(config), m_authLimiter(config.authMaxFailures, config.authBanSeconds)
{
    qRegisterMetaType<LogEntry>("LogEntry");
    m_lastBroadcast.queued = -1;
    const Expected<QHash<QString, QString>> variables = currentVariables();
    if (variables)
        m_runningVariables = ConfigRegistry::effectiveValues(variables.value());
    m_tickTimer.setInterval(1000);
    connect(&m_tickTimer, &QTimer::timeout, this, &ManagerServer::tick);
}

ManagerServer::~ManagerServer()
{
    stop();
}

QString ManagerServer::socketPath() const
{
    return m_server ? m_server->fullServerName() : socketFilePath(m_config.managerSocket);
}

void ManagerServer::setSessionCountProvider(std::function<int()> provider)
{
    m_sessionCountProvider = std::move(provider);
}

void ManagerServer::setSyncer(std::function<void(std::function<void()>)> syncer)
{
    m_syncer = std::move(syncer);
}

void ManagerServer::setReloader(std::function<ConfigReload()> reloader)
{
    m_reloader = std::move(reloader);
}

void ManagerServer::setRunningVariables(const QHash<QString, QString> &variables)
{
    m_runningVariables = variables;
}

void ManagerServer::setSessionCount(int sessions)
{
    m_counters.sessions = sessions;
}

void ManagerServer::countAccepted(int messages)
{
    m_counters.accepted += messages;
}

void ManagerServer::countDelivered(int recipients)
{
    m_counters.delivered += recipients;
}

void ManagerServer::countBounced(int messages)
{
    m_counters.bounced += messages;
}

void ManagerServer::countTlsOutcome(int kind)
{
    switch (TlsSessionOutcome::Kind(kind))
    {
    case TlsSessionOutcome::Kind::Dane:
        ++m_counters.tlsDane;
        break;
    case TlsSessionOutcome::Kind::MtaSts:
        ++m_counters.tlsMtaSts;
        break;
    case TlsSessionOutcome::Kind::OpportunisticTls:
        ++m_counters.tlsOpportunistic;
        break;
    case TlsSessionOutcome::Kind::Clear:
        ++m_counters.tlsClear;
        break;
    case TlsSessionOutcome::Kind::Failed:
        break;
    }
}

quint16 ManagerServer::remotePort() const
{
    return m_remote ? m_remote->serverPort() : 0;
}

Status ManagerServer::start()
{
    if (m_config.managerPort != 0)
    {
        // First, so that a certificate that is not usable stops the daemon before it listens.
        m_remote = new ManagerTlsListener(this);
        const Status listening = m_remote->start(m_config);
        if (!listening)
        {
            delete m_remote;
            m_remote = nullptr;
            return listening;
        }
        m_remote->setHandshakeDone([](QSslSocket *socket) {
            const auto *client = qobject_cast<ManagerClient *>(socket->parent());
            return client && client->isReady();
        });
        connect(m_remote, &ManagerTlsListener::encrypted, this, &ManagerServer::onRemoteConnection);
    }
    const QString name = m_config.managerSocket;
    const QString path = socketFilePath(name);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(name))
    {
        if (m_server->serverError() != QAbstractSocket::AddressInUseError || socketIsLive(path))
        {
            const QString error = m_server->serverError() == QAbstractSocket::AddressInUseError
                ? QStringLiteral("another process already listens on the manager socket %1").arg(path)
                : QStringLiteral("cannot listen on the manager socket %1: %2").arg(path, m_server->errorString());
            delete m_server;
            m_server = nullptr;
            delete m_remote;
            m_remote = nullptr;
            return Status::failure(ErrorKind::Unavailable, error);
        }
        // A socket file left by a daemon that died: replace it.
        QLocalServer::removeServer(name);
        if (!m_server->listen(name))
        {
            const QString error
                = QStringLiteral("cannot listen on the manager socket %1: %2").arg(path, m_server->errorString());
            delete m_server;
            m_server = nullptr;
            delete m_remote;
            m_remote = nullptr;
            return Status::failure(ErrorKind::Unavailable, error);
        }
    }
    // UserAccessOption already restricts it; make the mode exact whatever the umask.
    ::chmod(QFile::encodeName(m_server->fullServerName()).constData(), S_IRUSR | S_IWUSR);
    connect(m_server, &QLocalServer::newConnection, this, &ManagerServer::onNewConnection);

    m_worker = new ManagerDbWorker(m_config);
    m_worker->moveToThread(&m_workerThread);
    connect(&m_workerThread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ManagerDbWorker::replied, this, &ManagerServer::onWorkerReply);
    connect(m_worker, &ManagerDbWorker::authenticated, this, &ManagerServer::onAuthenticated);
    connect(m_worker, &ManagerDbWorker::changed, this, [this](const QString &list) {
        broadcast(EventName::Changed, { { QStringLiteral("list"), list } });
    });
    connect(m_worker, &ManagerDbWorker::queueSizeChanged, this, [this](qint64 size) { m_counters.queued = size; });
    m_workerThread.setObjectName(QStringLiteral("manager-db"));
    m_workerThread.start();
    QMetaObject::invokeMethod(m_worker, &ManagerDbWorker::start, Qt::QueuedConnection);

    connect(&Logger::instance(), &Logger::entryAdded, this, &ManagerServer::onLogEntry, Qt::QueuedConnection);
    m_uptime.start();
    m_startedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_tickTimer.start();
    qCInfo(lcManager).noquote() << QStringLiteral("manager listening on %1").arg(m_server->fullServerName());
    return {};
}

void ManagerServer::stop()
{
    m_tickTimer.stop();
    disconnect(&Logger::instance(), &Logger::entryAdded, this, &ManagerServer::onLogEntry);
    const QList<ManagerClient *> clients = m_clients.values();
    m_clients.clear();
    for (ManagerClient *client : clients)
    {
        client->disconnect(this);
        client->close();
        client->deleteLater();
    }
    if (m_server)
    {
        m_server->close();
        delete m_server;
        m_server = nullptr;
    }
    if (m_remote)
    {
        m_remote->close();
        delete m_remote;
        m_remote = nullptr;
    }
    if (m_worker)
    {
        QMetaObject::invokeMethod(m_worker, &ManagerDbWorker::stop, Qt::BlockingQueuedConnection);
        m_worker = nullptr; // deleted by the thread's finished signal
    }
    if (m_workerThread.isRunning())
    {
        m_workerThread.quit();
        m_workerThread.wait();
    }
}

void ManagerServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection())
    {
        const quint64 id = m_nextClientId++;
        const QStringList features { Feature::Log, Feature::Events, Feature::Config, Feature::Queue, Feature::Bounce,
            Feature::QueueTools };
        auto *client = new ManagerClient(id, socket, features, this);
        const qint64 uid = peerUid(socket);
        if (uid != qint64(::geteuid()))
        {
            qCWarning(lcManager).noquote()
                << QStringLiteral("manager connection from uid %1 refused: only uid %2 may manage tmail")
                       .arg(uid)
                       .arg(::geteuid());
            connect(client, &ManagerClient::disconnected, client, &QObject::deleteLater);
            client->deny(
                QStringLiteral("uid"), QStringLiteral("only the user running tmail may use its manager socket"));
            continue;
        }
        addClient(client);
        qCInfo(lcManager) << "manager client" << id << "connected";
    }
}

void ManagerServer::addClient(ManagerClient *client)
{
    m_clients.insert(client->id(), client);
    connect(client, &ManagerClient::requestReceived, this, &ManagerServer::onRequest);
    connect(client, &ManagerClient::drained, this, &ManagerServer::pumpLog);
    connect(client, &ManagerClient::disconnected, this, &ManagerServer::onClientGone);
}

void ManagerServer::onRemoteConnection(QSslSocket *socket)
{
    const quint64 id = m_nextClientId++;
    const QStringList features { Feature::Log, Feature::Events, Feature::Config, Feature::Queue, Feature::Bounce,
        Feature::Login };
    auto *client = new ManagerClient(id, socket, features, this);
    client->setRemote(socket->peerAddress());
    addClient(client);
    qCInfo(lcManager).noquote() << QStringLiteral("manager client %1 connected from %2 (%3)")
                                       .arg(id)
                                       .arg(socket->peerAddress().toString(), socket->sessionCipher().name());
    // Data that came with the end of the handshake is read now that someone listens.
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(socket, &QIODevice::readyRead, Qt::QueuedConnection);
}

void ManagerServer::login(ManagerClient *client, const Request &request)
{
    using AdminValues::adminRoleName;
    if (!client->isRemote())
    {
        // The local socket is for the daemon's own user: every right, no account.
        client->send(Response::success(request.id,
            QJsonObject { { QStringLiteral("user"), QString() },
                { QStringLiteral("role"), adminRoleName(AdminValues::AdminRole::Admin) } })
                         .toJson());
        return;
    }
    if (client->isLoggedIn())
    {
        client->send(Response::failure(
            request.id, ErrorCode::BadRequest, QStringLiteral("already logged in as %1").arg(client->adminName()))
                         .toJson());
        return;
    }
    if (client->loginPending)
    {
        client->send(
            Response::failure(request.id, ErrorCode::Busy, QStringLiteral("a login is already in progress")).toJson());
        return;
    }
    const QJsonValue user = request.params.value(QStringLiteral("user"));
    const QJsonValue password = request.params.value(QStringLiteral("password"));
    if (!user.isString())
    {
        client->send(Response::failure(
            request.id, ErrorCode::InvalidParam, QStringLiteral("user must be a string"), QStringLiteral("user"))
                         .toJson());
        return;
    }
    if (!password.isString())
    {
        client->send(Response::failure(request.id, ErrorCode::InvalidParam, QStringLiteral("password must be a string"),
            QStringLiteral("password"))
                         .toJson());
        return;
    }
    if (m_authLimiter.isBanned(client->peerAddress(), QDateTime::currentMSecsSinceEpoch()))
    {
        qCWarning(lcManager).noquote() << QStringLiteral(
            "manager client %1: login from %2 refused: too many failed logins from that address")
                                              .arg(client->id())
                                              .arg(client->peerAddress().toString());
        client->send(Response::failure(request.id, ErrorCode::TooManyFailures,
            QStringLiteral("too many failed logins from %1; try again later").arg(client->peerAddress().toString()))
                         .toJson());
        client->close();
        return;
    }
    client->loginPending = true;
    QMetaObject::invokeMethod(m_worker, "authenticate", Qt::QueuedConnection, Q_ARG(quint64, client->id()),
        Q_ARG(qint64, request.id), Q_ARG(QString, user.toString()), Q_ARG(QString, password.toString()));
}

void ManagerServer::onAuthenticated(
    quint64 clientId, qint64 requestId, const QString &adminName, int role, const QString &error)
{
    ManagerClient *client = m_clients.value(clientId);
    if (!client)
        return;
    if (!error.isEmpty())
    {
        client->loginPending = false;
        client->send(Response::failure(requestId, ErrorCode::Database, error).toJson());
        return;
    }
    const QHostAddress peer = client->peerAddress();
    if (adminName.isEmpty())
    {
        const int delayMs = m_authLimiter.recordFailure(peer, QDateTime::currentMSecsSinceEpoch());
        if (delayMs < 0)
        {
            qCWarning(lcManager).noquote()
                << QStringLiteral("manager client %1: failed login from %2; the address is now refused for %3 s")
                       .arg(clientId)
                       .arg(peer.toString())
                       .arg(m_config.authBanSeconds);
            client->loginPending = false;
            client->send(Response::failure(requestId, ErrorCode::TooManyFailures,
                QStringLiteral("too many failed logins from %1; try again later").arg(peer.toString()))
                             .toJson());
            client->close();
            return;
        }
        qCInfo(lcManager).noquote()
            << QStringLiteral("manager client %1: failed login from %2").arg(clientId).arg(peer.toString());
        // Each failure is answered later than the one before, as SMTP AUTH's.
        const QPointer<ManagerClient> still(client);
        QTimer::singleShot(delayMs, this, [still, requestId]() {
            if (!still)
                return;
            still->loginPending = false;
            still->send(Response::failure(
                requestId, ErrorCode::AuthenticationFailed, QStringLiteral("unknown administrator or wrong password"))
                            .toJson());
        });
        return;
    }
    const auto adminRole = static_cast<AdminValues::AdminRole>(role);
    m_authLimiter.recordSuccess(peer);
    client->loginPending = false;
    client->setLoggedIn(adminName, adminRole);
    qCInfo(lcManager).noquote() << QStringLiteral("manager client %1: administrator %2 (%3) logged in from %4")
                                       .arg(clientId)
                                       .arg(adminName, AdminValues::adminRoleName(adminRole), peer.toString());
    client->send(Response::success(requestId,
        QJsonObject {
            { QStringLiteral("user"), adminName }, { QStringLiteral("role"), AdminValues::adminRoleName(adminRole) } })
                     .toJson());
}

void ManagerServer::onClientGone(ManagerClient *client)
{
    if (m_clients.remove(client->id()))
        qCInfo(lcManager) << "manager client" << client->id() << "disconnected";
    client->deleteLater();
}

void ManagerServer::onRequest(ManagerClient *client, const Request &request)
{
    if (request.method == Method::Login)
    {
        login(client, request);
        return;
    }
    // Roles are checked here, for every request of a remote client (the local socket's
    // user has every right); a method not known at all stays UnknownMethod below.
    const AdminValues::AdminRole needed = Method::requiredRole(request.method);
    if (client->isRemote() && Method::all().contains(request.method) && client->role() < needed)
    {
        qCInfo(lcManager).noquote() << QStringLiteral("%1 refused %2: the role %3 may not")
                                           .arg(client->actor(), request.method,
                                               AdminValues::adminRoleName(client->role()));
        client->send(Response::failure(request.id, ErrorCode::PermissionDenied,
            QStringLiteral("%1 needs the role %2; %3 has the role %4")
                .arg(request.method, AdminValues::adminRoleName(needed), client->adminName(),
                    AdminValues::adminRoleName(client->role())))
                         .toJson());
        return;
    }
    if (request.method == Method::Status)
    {
        client->send(status(request.id).toJson());
    }
    else if (request.method == Method::StatsHistory)
    {
        client->send(statsHistory(request.id, request.params).toJson());
    }
    else if (request.method == Method::ConfigGet)
    {
        // Secrets (the database password) only for those who may change the configuration.
        client->send(configGet(request.id, client->role() >= AdminValues::AdminRole::Admin).toJson());
    }
    else if (request.method == Method::ConfigSet)
    {
        client->send(configSet(request.id, request.params, client->actor()).toJson());
    }
    else if (request.method == Method::ConfigCheck)
    {
        client->send(configCheck(request.id, request.params).toJson());
    }
    else if (request.method == Method::LogSubscribe)
    {
        client->send(logSubscribe(client, request.id, request.params).toJson());
        pumpLog(client);
    }
    else if (request.method == Method::Sync)
    {
        // The command line names the change it made (never a password): the daemon's log
        // keeps every administrative change with its source.
        const QString change = request.params.value(QStringLiteral("change")).toString();
        if (!change.isEmpty())
        {
            // A remote client is named as such: only the command line runs on this machine.
            qCInfo(lcManager).noquote() << QStringLiteral("change from %1: %2")
                                               .arg(client->isRemote() ? client->actor()
                                                                       : QStringLiteral("the command line"),
                                                   AdminValues::printable(change, MaxLoggedChange));
        }
        const QPointer<ManagerServer> self(this);
        const quint64 clientId = client->id();
        const qint64 requestId = request.id;
        const auto answer = [self, clientId, requestId]() {
            if (ManagerClient *still = self ? self->m_clients.value(clientId) : nullptr)
            {
                still->send(Response::success(requestId).toJson());
            }
        };
        if (m_syncer)
        {
            m_syncer(answer);
        }
        else
        {
            answer();
        }
    }
    else if (request.method == Method::LogUnsubscribe)
    {
        client->logSubscribed = false;
        client->send(Response::success(request.id).toJson());
    }
    else if (ManagerDbWorker::handles(request.method) && Method::all().contains(request.method))
    {
        if (client->requestsInFlight >= MaxRequestsInFlight)
        {
            client->send(Response::failure(
                request.id, ErrorCode::Busy, QStringLiteral("more than %1 requests in flight").arg(MaxRequestsInFlight))
                             .toJson());
            return;
        }
        ++client->requestsInFlight;
        QMetaObject::invokeMethod(m_worker, "handle", Qt::QueuedConnection, Q_ARG(quint64, client->id()),
            Q_ARG(qint64, request.id), Q_ARG(QString, request.method), Q_ARG(QJsonObject, request.params),
            Q_ARG(QString, client->actor()));
    }
    else
    {
        client->send(Response::failure(
            request.id, ErrorCode::UnknownMethod, QStringLiteral("unknown method '%1'").arg(request.method))
                         .toJson());
    }
}

void ManagerServer::onWorkerReply(quint64 clientId, const QJsonObject &response)
{
    ManagerClient *client = m_clients.value(clientId);
    if (!client)
        return; // gone meanwhile
    --client->requestsInFlight;
    client->send(response);
}

void ManagerServer::broadcast(const QString &eventName, const QJsonObject &data)
{
    const QJsonObject frame = Event { eventName, data }.toJson();
    for (ManagerClient *client : std::as_const(m_clients))
        client->sendDroppable(frame);
}

void ManagerServer::tick()
{
    if (m_sessionCountProvider)
        m_counters.sessions = m_sessionCountProvider();
    // The minutes going on, when they moved: the clients' charts follow without asking again.
    const QJsonObject history
        = historyToJson(Metrics::instance().history().last(HistoryEventMinutes, QDateTime::currentMSecsSinceEpoch()));
    if (history != m_lastHistory)
    {
        m_lastHistory = history;
        broadcast(EventName::History, history);
    }
    if (m_counters == m_lastBroadcast)
        return;
    m_lastBroadcast = m_counters;
    broadcast(EventName::Counters, m_counters.toJson());
}

Response ManagerServer::statsHistory(qint64 id, const QJsonObject &params) const
{
    const QJsonValue minutes = params.value(QStringLiteral("minutes"));
    int span = MetricsHistory::Minutes;
    if (!minutes.isUndefined() && !minutes.isNull())
    {
        const double number = minutes.toDouble(-1);
        if (!minutes.isDouble() || number != double(int(number)) || number < 1 || number > MetricsHistory::Minutes)
            return Response::failure(id, ErrorCode::InvalidParam,
                QStringLiteral("minutes must be a whole number from 1 to %1").arg(MetricsHistory::Minutes),
                QStringLiteral("minutes"));
        span = int(number);
    }
    return Response::success(
        id, historyToJson(Metrics::instance().history().last(span, QDateTime::currentMSecsSinceEpoch())));
}

void ManagerServer::onLogEntry(const LogEntry &entry)
{
    QJsonObject frame;
    for (ManagerClient *client : std::as_const(m_clients))
    {
        if (!client->logSubscribed || client->logBehind || entry.id <= client->lastLogId)
            continue;
        if (frame.isEmpty())
            frame = Event { EventName::Log, logEntryToJson(entry) }.toJson();
        if (client->sendDroppable(frame))
            client->lastLogId = entry.id;
        else
            client->logBehind = true; // caught up from the ring buffer once it drains
    }
}

void ManagerServer::pumpLog(ManagerClient *client)
{
    if (!client->logSubscribed || !client->logBehind)
        return;
    const QList<LogEntry> entries = Logger::instance().entriesAfter(client->lastLogId);
    for (const LogEntry &entry : entries)
    {
        if (!client->sendDroppable(Event { EventName::Log, logEntryToJson(entry) }.toJson()))
            return; // still congested: go on at the next drain
        client->lastLogId = entry.id;
    }
    client->logBehind = false;
}

Response ManagerServer::logSubscribe(ManagerClient *client, qint64 id, const QJsonObject &params)
{
    const QJsonValue after = params.value(QStringLiteral("after"));
    if (!after.isUndefined() && (!after.isDouble() || after.toDouble() < 0))
        return Response::failure(id, ErrorCode::InvalidParam,
            QStringLiteral("after must be a log entry id (0 or more)"), QStringLiteral("after"));
    quint64 afterId = quint64(after.toDouble(0));
    const QList<LogEntry> recent = Logger::instance().entriesAfter(0);
    const quint64 newest = recent.isEmpty() ? 0 : recent.last().id;
    bool reset = false;
    if (afterId > newest)
    {
        // The client knew a previous daemon (ids start again at 1): replay everything.
        afterId = 0;
        reset = true;
    }
    client->logSubscribed = true;
    client->lastLogId = afterId;
    client->logBehind = true; // the replay goes out as events right after this reply
    return Response::success(id,
        QJsonObject { { QStringLiteral("newestId"), double(newest) },
            { QStringLiteral("oldestId"), recent.isEmpty() ? 0.0 : double(recent.first().id) },
            { QStringLiteral("reset"), reset } });
}

Response ManagerServer::status(qint64 id) const
{
    QJsonArray listeners;
    for (const ListenerDsn &listener : m_config.listeners)
        listeners.append(QString(listener.toString() + (listener.implicitTls ? QStringLiteral(" (TLS)") : QString())));
    return Response::success(id,
        QJsonObject { { QStringLiteral("software"), QStringLiteral("tmail " TMAIL_VERSION) },
            { QStringLiteral("me"), m_config.me },
            { QStringLiteral("pid"), qint64(QCoreApplication::applicationPid()) },
            { QStringLiteral("startedAt"), m_startedAtMs },
            { QStringLiteral("uptimeSeconds"), m_uptime.isValid() ? m_uptime.elapsed() / 1000 : 0 },
            { QStringLiteral("configSource"), m_config.sourceDescription },
            { QStringLiteral("database"), m_config.db.describe() },
            { QStringLiteral("databaseDriver"), m_config.db.driverName },
            { QStringLiteral("databaseSource"), m_config.db.describeSource() },
            { QStringLiteral("managerSocket"), socketPath() }, { QStringLiteral("listeners"), listeners },
            { QStringLiteral("counters"), m_counters.toJson() } });
}

bool ManagerServer::configIsFile() const
{
    return !m_config.sourceDescription.isEmpty() && m_config.sourceDescription != QLatin1String("environment")
        && QFileInfo(m_config.sourceDescription).isFile();
}

Expected<QHash<QString, QString>> ManagerServer::currentVariables() const
{
    if (!configIsFile())
        return Config::environmentVariables();
    const Expected<Config::Source> source = Config::reread(m_config);
    if (!source)
        return Expected<QHash<QString, QString>>::failure(source);
    return source->variables;
}

Response ManagerServer::configGet(qint64 id, bool revealSecrets) const
{
    const Expected<QHash<QString, QString>> current = currentVariables();
    if (!current)
        return Response::failure(id, ErrorCode::Io, current.error());
    // Texts in English: the manager translates them with the same registry.
    constexpr ConfigVariable::Language English = ConfigVariable::Language::English;
    const QHash<QString, QString> effective = ConfigRegistry::effectiveValues(current.value());
    QJsonArray variables;
    for (const ConfigVariable &variable : ConfigRegistry::variables())
    {
        const QString value = current->value(variable.name, variable.defaultValue);
        const QString running = m_runningVariables.value(variable.name, variable.defaultValue);
        const auto shown = [&variable, revealSecrets](
                               const QString &text) { return revealSecrets ? text : variable.shownValue(text); };
        variables.append(QJsonObject { { QStringLiteral("name"), variable.name },
            { QStringLiteral("value"), shown(value) }, { QStringLiteral("running"), shown(running) },
            { QStringLiteral("default"), shown(variable.defaultValue) },
            { QStringLiteral("description"), variable.description(English) },
            { QStringLiteral("group"), variable.groupTitle(English) },
            { QStringLiteral("comment"), variable.comment(English) }, { QStringLiteral("live"), variable.live },
            { QStringLiteral("pendingRestart"), effective.value(variable.name) != running },
            { QStringLiteral("fromEnvironment"),
                !configIsFile() || m_config.environmentOverrides.contains(variable.name) } });
    }
    return Response::success(id,
        QJsonObject { { QStringLiteral("source"), m_config.sourceDescription },
            { QStringLiteral("writable"), configIsFile() }, { QStringLiteral("variables"), variables } });
}

Expected<QHash<QString, QString>> ManagerServer::changesFrom(const QJsonObject &params, Response *refusal, qint64 id)
{
    const auto refuse = [refusal, id](const QString &message, const QString &field) {
        *refusal = Response::failure(id, ErrorCode::InvalidParam, message, field);
        return Expected<QHash<QString, QString>>::failure(ErrorKind::InvalidInput, message);
    };
    const QJsonValue valuesParam = params.value(QStringLiteral("values"));
    if (!valuesParam.isObject())
        return refuse(QStringLiteral("values must be an object of NAME: value"), QStringLiteral("values"));
    QHash<QString, QString> changes;
    const QJsonObject values = valuesParam.toObject();
    for (auto it = values.begin(); it != values.end(); ++it)
    {
        if (!ConfigRegistry::variable(it.key()))
            return refuse(QStringLiteral("unknown variable %1").arg(it.key()), it.key());
        if (!it.value().isString())
            return refuse(QStringLiteral("the value of %1 must be a string").arg(it.key()), it.key());
        const QString value = it.value().toString();
        const Status fits = ConfigFile::checkValue(it.key(), value);
        if (!fits)
            return refuse(fits.error(), it.key());
        changes.insert(it.key(), value);
    }
    return changes;
}

Response ManagerServer::configCheck(qint64 id, const QJsonObject &params) const
{
    Response refusal;
    const Expected<QHash<QString, QString>> changes = changesFrom(params, &refusal, id);
    if (!changes)
        return refusal;
    const Expected<QHash<QString, QString>> current = currentVariables();
    if (!current)
        return Response::failure(id, ErrorCode::Io, current.error());
    QHash<QString, QString> merged = current.value();
    for (auto it = changes->cbegin(); it != changes->cend(); ++it)
        merged.insert(it.key(), it.value());
    QJsonArray faults;
    for (const ConfigFault &fault : Config::check(merged, m_config.baseDir))
    {
        faults.append(
            QJsonObject { { QStringLiteral("name"), fault.variable }, { QStringLiteral("message"), fault.message } });
    }
    return Response::success(id, QJsonObject { { QStringLiteral("faults"), faults } });
}

Response ManagerServer::configSet(qint64 id, const QJsonObject &params, const QString &actor)
{
    Response refusal;
    const Expected<QHash<QString, QString>> parsed = changesFrom(params, &refusal, id);
    if (!parsed)
        return refusal;
    const QHash<QString, QString> &changes = parsed.value();
    if (changes.isEmpty())
        return Response::failure(id, ErrorCode::InvalidParam, QStringLiteral("values must be an object of NAME: value"),
            QStringLiteral("values"));
    if (!configIsFile())
        return Response::failure(id, ErrorCode::ConfigReadOnly,
            QStringLiteral("tmail took its settings from the environment; there is no tmail.cfg to rewrite"));
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it)
    {
        if (m_config.environmentOverrides.contains(it.key()))
            return Response::failure(id, ErrorCode::ConfigReadOnly,
                QStringLiteral("%1 is set in tmail's environment, which wins over %2: change it where tmail is started")
                    .arg(it.key(), m_config.sourceDescription),
                it.key());
    }
    const Expected<ConfigFile> file = ConfigFile::read(m_config.sourceDescription);
    if (!file)
        return Response::failure(id, ErrorCode::ConfigInvalid, file.error());
    const QHash<QString, QString> current = file->values();
    // What the daemon would run with: the file, the environment's variables over it, and the changes.
    const Expected<QHash<QString, QString>> running = currentVariables();
    if (!running)
        return Response::failure(id, ErrorCode::ConfigInvalid, running.error());
    QHash<QString, QString> merged = running.value();
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it)
        merged.insert(it.key(), it.value());
    // The same validation as at start, with the same base directory for relative paths.
    const ConfigResult validated = Config::fromVariables(merged, m_config.baseDir);
    if (!validated)
        return Response::failure(id, ErrorCode::ConfigInvalid, validated.error(), validated.variable());

    QStringList changed;
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it)
    {
        if (!current.contains(it.key()) || current.value(it.key()) != it.value())
            changed.append(it.key());
    }
    changed.sort();
    if (!changed.isEmpty())
    {
        // Only the lines of the changed variables are rewritten; every other line stays.
        ConfigFile edited = file.value();
        Status written;
        for (const QString &name : std::as_const(changed))
        {
            if (written)
                written = edited.set(name, changes.value(name));
        }
        if (written)
            written = edited.write(m_config.sourceDescription);
        if (!written)
            return Response::failure(id, ErrorCode::Io, written.error());
        qCInfo(lcManager).noquote() << QStringLiteral("%1 rewritten from the manager (%2): %3")
                                           .arg(m_config.sourceDescription, actor, changed.join(QStringLiteral(", ")));
        emit configWritten(changed);
    }
    // The file now says what the daemon should run with: reload it as SIGHUP does, so
    // that live settings apply at once. Each changed name is then in effect (live),
    // waits for a restart, or could not be applied (failed, with the reason).
    const bool reloaded = m_reloader && !changed.isEmpty();
    const ConfigReload reload = reloaded ? m_reloader() : ConfigReload();
    QStringList live;
    QStringList restart;
    QJsonArray failed;
    const auto fail = [&failed](const QString &name, const QString &reason) {
        failed.append(QJsonObject { { QStringLiteral("name"), name }, { QStringLiteral("reason"), reason } });
    };
    for (const QString &name : std::as_const(changed))
    {
        const ConfigVariable *variable = ConfigRegistry::variable(name);
        if (reload.applied.contains(name))
            live.append(name);
        else if (reload.failed.contains(name))
            fail(name, reload.failed.value(name));
        else if (m_runningVariables.value(name) == changes.value(name).trimmed())
            continue; // back to the value the daemon runs with
        else if (reloaded && !reload.ok() && variable && variable->live)
            fail(name, reload.error);
        else
            restart.append(name);
    }
    return Response::success(id,
        QJsonObject { { QStringLiteral("changed"), QJsonArray::fromStringList(changed) },
            { QStringLiteral("live"), QJsonArray::fromStringList(live) },
            { QStringLiteral("restart"), QJsonArray::fromStringList(restart) }, { QStringLiteral("failed"), failed } });
}
