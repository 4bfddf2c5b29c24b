// Answers the manager's table and queue requests; input is parsed into tmail's value
// types (Domain, MailAddress, IpRange) first, and a bad value names its field.
#include "managerserver/managerdbworker.h"

#include "config/config.h"
#include "db/queuetable.h"
#include "deliverd/bouncer.h"
#include "db/tables.h"
#include "managerserver/dkimrequests.h"
#include "log/logger.h"
#include "queue/diskstore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>

using ManagerProtocol::ErrorCode;
using ManagerProtocol::Response;
namespace Method = ManagerProtocol::Method;

namespace {

// A failure of a table call: "already exists" and "no …" become their own codes.
Response tableFailure(qint64 id, const QString &error)
{
    if (error.contains(QLatin1String("already exists")))
        return Response::failure(id, ErrorCode::AlreadyExists, error);
    if (error.startsWith(QLatin1String("no ")) || error.contains(QLatin1String("not found"))
        || error.contains(QLatin1String("does not exist")))
        return Response::failure(id, ErrorCode::NotFound, error);
    return Response::failure(id, ErrorCode::Database, error);
}

// Reads params[name] as a string; *failure is set when it is missing or not a string.
QString stringParam(
    qint64 id, const QJsonObject &params, const QString &name, std::optional<Response> *failure, bool required = true)
{
    const QJsonValue value = params.value(name);
    if (value.isUndefined() || value.isNull()) {
        if (required && !*failure)
            *failure = Response::failure(id, ErrorCode::InvalidParam, QStringLiteral("%1 is missing").arg(name), name);
        return QString();
    }
    if (!value.isString()) {
        if (!*failure)
            *failure
                = Response::failure(id, ErrorCode::InvalidParam, QStringLiteral("%1 must be a string").arg(name), name);
        return QString();
    }
    return value.toString();
}

// Reads params[name] as a whole number in [minimum, maximum], or fallback when absent.
qint64 integerParam(qint64 id, const QJsonObject &params, const QString &name, qint64 minimum, qint64 maximum,
    qint64 fallback, std::optional<Response> *failure)
{
    const QJsonValue value = params.value(name);
    if (value.isUndefined() || value.isNull())
        return fallback;
    const double number = value.toDouble(-1.5);
    if (!value.isDouble() || number != double(qint64(number)) || number < double(minimum) || number > double(maximum)) {
        if (!*failure)
            *failure = Response::failure(id, ErrorCode::InvalidParam,
                QStringLiteral("%1 must be a whole number from %2 to %3").arg(name).arg(minimum).arg(maximum), name);
        return fallback;
    }
    return qint64(number);
}

// Reads params[name] as true or false, or fallback when absent; "false" as text is a
// mistake to report, not a default to apply.
bool boolParam(
    qint64 id, const QJsonObject &params, const QString &name, bool fallback, std::optional<Response> *failure)
{
    const QJsonValue value = params.value(name);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isBool()) {
        if (!*failure)
            *failure = Response::failure(
                id, ErrorCode::InvalidParam, QStringLiteral("%1 must be true or false").arg(name), name);
        return fallback;
    }
    return value.toBool();
}

// Reads params[name] as a password or SMTP user name (see credentialProblem()).
QString credentialParam(qint64 id, const QJsonObject &params, const QString &name, int maxLength,
    std::optional<Response> *failure, bool required = true)
{
    const QString text = stringParam(id, params, name, failure, required);
    const QString problem = credentialProblem(text, maxLength);
    if (!problem.isEmpty() && !*failure)
        *failure = Response::failure(id, ErrorCode::InvalidParam, QStringLiteral("%1 %2").arg(name, problem), name);
    return text;
}

QJsonObject routeToJson(const Route &route)
{
    return { { QStringLiteral("id"), route.id }, { QStringLiteral("recipientDomain"), route.recipientDomain.name() },
        { QStringLiteral("senderDomain"), route.senderDomain }, { QStringLiteral("authUser"), route.authUser },
        { QStringLiteral("remoteHost"), route.remoteHost }, { QStringLiteral("remotePort"), int(route.remotePort) },
        { QStringLiteral("priority"), route.priority }, { QStringLiteral("localIps"), route.localIps },
        { QStringLiteral("smtpUser"), route.smtpUser },
        { QStringLiteral("hasPassword"), !route.smtpPassword.isEmpty() } };
}

QJsonObject messageToJson(const QueuedMessage &message, bool details)
{
    QJsonArray recipients;
    for (const QueuedRecipient &recipient : message.recipients) {
        if (details) {
            static const char *statuses[] = { "pending", "delivered", "failed" };
            const int status = qBound(0, recipient.status, 2);
            recipients.append(QJsonObject { { QStringLiteral("address"), recipient.address },
                { QStringLiteral("status"), QString::fromLatin1(statuses[status]) },
                { QStringLiteral("lastError"), recipient.lastError } });
        } else {
            recipients.append(recipient.address);
        }
    }
    QJsonObject object { { QStringLiteral("id"), message.id }, { QStringLiteral("sender"), message.envelopeSender },
        { QStringLiteral("recipients"), recipients }, { QStringLiteral("size"), message.sizeBytes },
        { QStringLiteral("createdAt"), message.createdAtMs },
        { QStringLiteral("nextAttemptAt"), message.nextAttemptAtMs }, { QStringLiteral("attempts"), message.attempts },
        { QStringLiteral("lastError"), message.lastError }, { QStringLiteral("claimedBy"), message.claimedBy } };
    if (details) {
        object.insert(QStringLiteral("authUser"), message.authUser);
        object.insert(QStringLiteral("clientIp"), message.clientIp);
        object.insert(QStringLiteral("helo"), message.helo);
        object.insert(QStringLiteral("storeKey"), message.storeKey);
    }
    return object;
}

// A remote host is a host name or an IP address, kept in one canonical form (as the
// command line does), so no other text reaches the routes table.
std::optional<QString> remoteHostName(const QString &text)
{
    const Expected<IpRange> address = IpRange::parse(text);
    if (address && !text.contains(QLatin1Char('/')))
        return address->network().toString();
    const Expected<Domain> name = Domain::parse(text);
    if (name)
        return name->name();
    return std::nullopt;
}

} // namespace

ManagerDbWorker::ManagerDbWorker(const Config &config)
    : m_config(config)
{
}

ManagerDbWorker::~ManagerDbWorker() = default;

bool ManagerDbWorker::handles(const QString &method)
{
    return method.startsWith(QLatin1String("rcpthosts.")) || method.startsWith(QLatin1String("users."))
        || method.startsWith(QLatin1String("relayips.")) || method.startsWith(QLatin1String("routes."))
        || method.startsWith(QLatin1String("queue.")) || method.startsWith(QLatin1String("dkim."));
}

void ManagerDbWorker::start()
{
    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(1000);
    connect(m_pollTimer, &QTimer::timeout, this, &ManagerDbWorker::poll);
    m_pollTimer->start();
    poll();
}

void ManagerDbWorker::stop()
{
    if (m_pollTimer)
        m_pollTimer->stop();
    m_db.reset(); // the connection is closed in the thread that opened it
}

Database *ManagerDbWorker::database(QString *error)
{
    if (m_db)
        return m_db.get();
    const QString name = QStringLiteral("manager-%1").arg(quintptr(QThread::currentThreadId()));
    Expected<Database> opened = Database::open(m_config.db, name);
    if (!opened) {
        *error = opened.error();
        return nullptr;
    }
    m_db = std::make_unique<Database>(std::move(opened).value());
    return m_db.get();
}

bool ManagerDbWorker::dropDeadConnection()
{
    if (!m_db || m_db->changeSerial())
        return false;
    m_db.reset();
    return true;
}

void ManagerDbWorker::poll()
{
    QString error;
    Database *db = database(&error);
    if (!db)
        return;
    const Expected<qint64> serial = db->changeSerial();
    if (!serial) {
        m_db.reset(); // QtSql does not reconnect: the next poll or request opens a new one
        return;
    }
    if (m_knownSerial >= 0 && serial.value() != m_knownSerial)
        emit changed(QStringLiteral("all"));
    m_knownSerial = serial.value();
    QueueTable queue(*db);
    const Expected<int> size = queue.count();
    if (size && size.value() != m_knownQueueSize) {
        m_knownQueueSize = size.value();
        emit queueSizeChanged(m_knownQueueSize);
    }
}

void ManagerDbWorker::handle(quint64 clientId, qint64 requestId, const QString &method, const QJsonObject &params)
{
    Response response = dispatch(requestId, method, params);
    // Failed on a connection the server dropped: once more on a new one, so the manager
    // works again as soon as the database is back.
    if (!response.ok && response.error == ErrorCode::Database && dropDeadConnection())
        response = dispatch(requestId, method, params);
    emit replied(clientId, response.toJson());
}

Response ManagerDbWorker::dispatch(qint64 id, const QString &method, const QJsonObject &params)
{
    QString error;
    if (!database(&error))
        return Response::failure(id, ErrorCode::Database, error);
    const qint64 serialBefore = m_knownSerial;
    Response response
        = Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
    QString list;
    if (method.startsWith(QLatin1String("rcpthosts."))) {
        response = rcptHosts(id, method, params);
        list = QStringLiteral("rcpthosts");
    } else if (method.startsWith(QLatin1String("users."))) {
        response = users(id, method, params);
        list = QStringLiteral("users");
    } else if (method.startsWith(QLatin1String("relayips."))) {
        response = relayIps(id, method, params);
        list = QStringLiteral("relayips");
    } else if (method.startsWith(QLatin1String("routes."))) {
        response = routes(id, method, params);
        list = QStringLiteral("routes");
    } else if (method.startsWith(QLatin1String("queue."))) {
        response = queue(id, method, params);
        list = QStringLiteral("queue");
    } else if (method.startsWith(QLatin1String("dkim."))) {
        response = DkimRequests::handle(*m_db, m_config, id, method, params);
        list = QStringLiteral("dkim");
    }
    if (response.ok && !method.endsWith(QLatin1String(".list")) && method != Method::QueueShow
        && !DkimRequests::isReadOnly(method)) {
        // Our own edit: say which list changed, and do not report it again as "all".
        const Expected<qint64> serial = m_db->changeSerial();
        if (serial && serialBefore >= 0)
            m_knownSerial = serial.value();
        emit changed(list);
    }
    return response;
}

Response ManagerDbWorker::rcptHosts(qint64 id, const QString &method, const QJsonObject &params)
{
    RcptHostTable table(*m_db);
    if (method == Method::RcptHostsList) {
        const Expected<QList<RcptHost>> hosts = table.list();
        if (!hosts)
            return tableFailure(id, hosts.error());
        QJsonArray items;
        for (const RcptHost &host : hosts.value()) {
            items.append(QJsonObject { { QStringLiteral("id"), host.id },
                { QStringLiteral("domain"), host.domain.name() }, { QStringLiteral("local"), host.isLocal } });
        }
        return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
    }
    if (method != Method::RcptHostsAdd && method != Method::RcptHostsDelete)
        return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
    std::optional<Response> failure;
    const QString text = stringParam(id, params, QStringLiteral("domain"), &failure);
    const bool isLocal = boolParam(id, params, QStringLiteral("local"), false, &failure);
    if (failure)
        return *failure;
    const Expected<Domain> domain = Domain::parse(text.trimmed());
    if (!domain)
        return Response::failure(id, ErrorCode::InvalidParam, domain.error(), QStringLiteral("domain"));
    const Status status
        = method == Method::RcptHostsAdd ? table.add(domain.value(), isLocal) : table.remove(domain.value());
    if (!status)
        return tableFailure(id, status.error());
    return Response::success(id);
}

Response ManagerDbWorker::users(qint64 id, const QString &method, const QJsonObject &params)
{
    UserTable table(*m_db);
    if (method == Method::UsersList) {
        const Expected<QList<User>> users = table.list();
        if (!users)
            return tableFailure(id, users.error());
        QJsonArray items;
        for (const User &user : users.value()) {
            items.append(QJsonObject { { QStringLiteral("id"), user.id },
                { QStringLiteral("login"), user.login.toString() }, { QStringLiteral("mayRelay"), user.mayRelay },
                { QStringLiteral("createdAt"), user.createdAt.toMSecsSinceEpoch() } });
        }
        return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
    }
    if (method != Method::UsersAdd && method != Method::UsersDelete && method != Method::UsersSetPassword)
        return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
    std::optional<Response> failure;
    const QString text = stringParam(id, params, QStringLiteral("login"), &failure);
    const QString password = method == Method::UsersDelete
        ? QString()
        : credentialParam(id, params, QStringLiteral("password"), 0, &failure);
    const bool mayRelay = boolParam(id, params, QStringLiteral("mayRelay"), true, &failure);
    if (failure)
        return *failure;
    const Expected<MailAddress> login = MailAddress::parse(text.trimmed());
    if (!login)
        return Response::failure(id, ErrorCode::InvalidParam, login.error(), QStringLiteral("login"));
    if (method != Method::UsersDelete && password.isEmpty())
        return Response::failure(
            id, ErrorCode::InvalidParam, QStringLiteral("the password is empty"), QStringLiteral("password"));
    Status status;
    if (method == Method::UsersAdd)
        status = table.add(login.value(), password, mayRelay);
    else if (method == Method::UsersDelete)
        status = table.remove(login.value());
    else
        status = table.setPassword(login.value(), password);
    if (!status)
        return tableFailure(id, status.error());
    return Response::success(id);
}

Response ManagerDbWorker::relayIps(qint64 id, const QString &method, const QJsonObject &params)
{
    RelayIpTable table(*m_db);
    if (method == Method::RelayIpsList) {
        const Expected<QList<RelayIp>> ranges = table.list();
        if (!ranges)
            return tableFailure(id, ranges.error());
        QJsonArray items;
        for (const RelayIp &range : ranges.value()) {
            items.append(QJsonObject {
                { QStringLiteral("id"), range.id }, { QStringLiteral("range"), range.range.toString() } });
        }
        return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
    }
    if (method != Method::RelayIpsAdd && method != Method::RelayIpsDelete)
        return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
    std::optional<Response> failure;
    const QString text = stringParam(id, params, QStringLiteral("range"), &failure);
    if (failure)
        return *failure;
    const Expected<IpRange> range = IpRange::parse(text.trimmed());
    if (!range)
        return Response::failure(id, ErrorCode::InvalidParam, range.error(), QStringLiteral("range"));
    const Status status = method == Method::RelayIpsAdd ? table.add(range.value()) : table.remove(range.value());
    if (!status)
        return tableFailure(id, status.error());
    return Response::success(id);
}

Response ManagerDbWorker::routes(qint64 id, const QString &method, const QJsonObject &params)
{
    RouteTable table(*m_db);
    const Expected<QList<Route>> existing = table.list();
    if (!existing)
        return tableFailure(id, existing.error());
    if (method == Method::RoutesList) {
        QJsonArray items;
        for (const Route &route : existing.value())
            items.append(routeToJson(route));
        return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
    }
    const auto findRoute = [&existing](qint64 routeId) -> std::optional<Route> {
        for (const Route &route : existing.value()) {
            if (route.id == routeId)
                return route;
        }
        return std::nullopt;
    };
    std::optional<Response> failure;
    if (method == Method::RoutesDelete) {
        const qint64 routeId = integerParam(id, params, QStringLiteral("id"), 1, Q_INT64_C(1) << 53, 0, &failure);
        if (failure)
            return *failure;
        if (routeId == 0)
            return Response::failure(
                id, ErrorCode::InvalidParam, QStringLiteral("id is missing"), QStringLiteral("id"));
        const Status status = table.remove(routeId);
        return status ? Response::success(id) : tableFailure(id, status.error());
    }
    if (method == Method::RoutesSetPriorities) {
        const QJsonValue list = params.value(QStringLiteral("priorities"));
        if (!list.isArray())
            return Response::failure(id, ErrorCode::InvalidParam,
                QStringLiteral("priorities must be a list of {id, priority}"), QStringLiteral("priorities"));
        QList<Route> updated;
        for (const QJsonValue &item : list.toArray()) {
            const QJsonObject entry = item.toObject();
            const qint64 routeId = integerParam(id, entry, QStringLiteral("id"), 1, Q_INT64_C(1) << 53, 0, &failure);
            const qint64 priority = integerParam(id, entry, QStringLiteral("priority"), 0, 1000000, -1, &failure);
            if (failure)
                return *failure;
            std::optional<Route> route = findRoute(routeId);
            if (!route)
                return Response::failure(
                    id, ErrorCode::NotFound, QStringLiteral("no route %1").arg(routeId), QStringLiteral("id"));
            if (priority < 0)
                return Response::failure(
                    id, ErrorCode::InvalidParam, QStringLiteral("priority is missing"), QStringLiteral("priority"));
            route->priority = int(priority);
            updated.append(*route);
        }
        // Each update is its own transaction (RouteTable bumps the change serial per edit).
        for (const Route &route : updated) {
            const Status one = table.update(route);
            if (!one)
                return tableFailure(id, one.error());
        }
        return Response::success(id);
    }
    if (method != Method::RoutesAdd && method != Method::RoutesUpdate)
        return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));

    Route route;
    if (method == Method::RoutesUpdate) {
        const qint64 routeId = integerParam(id, params, QStringLiteral("id"), 1, Q_INT64_C(1) << 53, 0, &failure);
        if (failure)
            return *failure;
        std::optional<Route> found = findRoute(routeId);
        if (!found)
            return Response::failure(
                id, ErrorCode::NotFound, QStringLiteral("no route %1").arg(routeId), QStringLiteral("id"));
        route = *found;
    }
    const bool adding = method == Method::RoutesAdd;
    const QString recipientDomain = stringParam(id, params, QStringLiteral("recipientDomain"), &failure, adding);
    const QString senderDomain = stringParam(id, params, QStringLiteral("senderDomain"), &failure, false);
    const QString authUser = stringParam(id, params, QStringLiteral("authUser"), &failure, false);
    const QString remoteHost = stringParam(id, params, QStringLiteral("remoteHost"), &failure, adding);
    const QString localIps = stringParam(id, params, QStringLiteral("localIps"), &failure, false);
    const QString smtpUser
        = credentialParam(id, params, QStringLiteral("smtpUser"), RouteTable::MaxSmtpUserLength, &failure, false);
    const QString smtpPassword = credentialParam(
        id, params, QStringLiteral("smtpPassword"), RouteTable::MaxSmtpPasswordLength, &failure, false);
    route.remotePort
        = quint16(integerParam(id, params, QStringLiteral("remotePort"), 1, 65535, route.remotePort, &failure));
    route.priority = int(integerParam(id, params, QStringLiteral("priority"), 0, 1000000, route.priority, &failure));
    if (failure)
        return *failure;
    const auto invalid = [id](const QString &field, const QString &message) {
        return Response::failure(id, ErrorCode::InvalidParam, message, field);
    };
    if (params.contains(QStringLiteral("recipientDomain"))) {
        const Expected<Domain> domain = Domain::parse(recipientDomain.trimmed());
        if (!domain)
            return invalid(QStringLiteral("recipientDomain"), domain.error());
        route.recipientDomain = domain.value();
    }
    if (params.contains(QStringLiteral("senderDomain"))) {
        if (!senderDomain.trimmed().isEmpty()) {
            const Expected<Domain> domain = Domain::parse(senderDomain.trimmed());
            if (!domain)
                return invalid(QStringLiteral("senderDomain"), domain.error());
            route.senderDomain = domain->name();
        } else {
            route.senderDomain.clear();
        }
    }
    if (params.contains(QStringLiteral("authUser"))) {
        if (!authUser.trimmed().isEmpty()) {
            const Expected<MailAddress> login = MailAddress::parse(authUser.trimmed());
            if (!login)
                return invalid(QStringLiteral("authUser"), login.error());
            route.authUser = login->toString();
        } else {
            route.authUser.clear();
        }
    }
    if (params.contains(QStringLiteral("remoteHost"))) {
        const std::optional<QString> host = remoteHostName(remoteHost.trimmed());
        if (!host)
            return invalid(QStringLiteral("remoteHost"),
                QStringLiteral("'%1' is not a host name or an IP address").arg(remoteHost));
        route.remoteHost = *host;
    }
    if (params.contains(QStringLiteral("localIps"))) {
        if (!localIps.trimmed().isEmpty()) {
            const Expected<LocalIpPolicy> policy = LocalIpPolicy::parse(localIps.trimmed());
            if (!policy)
                return invalid(QStringLiteral("localIps"), policy.error());
        }
        route.localIps = localIps.trimmed();
    }
    if (params.contains(QStringLiteral("smtpUser")))
        route.smtpUser = smtpUser.trimmed();
    if (params.contains(QStringLiteral("smtpPassword")))
        route.smtpPassword = smtpPassword;
    if (!route.smtpUser.isEmpty() && route.smtpPassword.isEmpty())
        return invalid(QStringLiteral("smtpPassword"), QStringLiteral("a route with an SMTP user needs a password"));

    if (adding) {
        const Expected<qint64> newId = table.add(route);
        if (!newId)
            return tableFailure(id, newId.error());
        route.id = newId.value();
        return Response::success(id, routeToJson(route));
    }
    const Status status = table.update(route);
    return status ? Response::success(id, routeToJson(route)) : tableFailure(id, status.error());
}

Response ManagerDbWorker::queue(qint64 id, const QString &method, const QJsonObject &params)
{
    QueueTable table(*m_db);
    std::optional<Response> failure;
    if (method == Method::QueueList) {
        const qint64 offset = integerParam(id, params, QStringLiteral("offset"), 0, 1 << 30, 0, &failure);
        const qint64 limit = integerParam(id, params, QStringLiteral("limit"), 1, 1000, 100, &failure);
        if (failure)
            return *failure;
        const Expected<int> total = table.count();
        if (!total)
            return tableFailure(id, total.error());
        const Expected<QList<QueuedMessage>> messages = table.list(int(offset), int(limit));
        if (!messages)
            return tableFailure(id, messages.error());
        QJsonArray items;
        for (const QueuedMessage &message : messages.value())
            items.append(messageToJson(message, false));
        return Response::success(id,
            QJsonObject { { QStringLiteral("total"), total.value() }, { QStringLiteral("offset"), offset },
                { QStringLiteral("items"), items } });
    }
    const bool all = boolParam(id, params, QStringLiteral("all"), false, &failure);
    if (failure)
        return *failure;
    if (method == Method::QueueRetry && all) {
        const Status status = table.retryAll();
        return status ? Response::success(id) : tableFailure(id, status.error());
    }
    const QString messageId = stringParam(id, params, QStringLiteral("id"), &failure).trimmed().toLower();
    if (failure)
        return *failure;
    static const QRegularExpression hexId(QStringLiteral("^[0-9a-f]{40}$"));
    if (!hexId.match(messageId).hasMatch())
        return Response::failure(id, ErrorCode::InvalidParam,
            QStringLiteral("'%1' is not a queue id (40 hex digits)").arg(messageId), QStringLiteral("id"));
    if (method == Method::QueueShow) {
        const Expected<QueuedMessage> message = table.find(messageId);
        return message ? Response::success(id, messageToJson(message.value(), true))
                       : tableFailure(id, message.error());
    }
    if (method == Method::QueueRetry) {
        const Status status = table.retry(messageId);
        return status ? Response::success(id) : tableFailure(id, status.error());
    }
    if (method == Method::QueueDiscard) {
        const Expected<QueuedMessage> message = table.find(messageId);
        if (!message)
            return tableFailure(id, message.error());
        const Status status = table.remove(messageId);
        if (!status)
            return tableFailure(id, status.error());
        DiskStore(m_config.storePath).discard(messageId);
        qCInfo(lcManager).noquote() << QStringLiteral("queue message %1 discarded from the manager").arg(messageId);
        return Response::success(id);
    }
    if (method == Method::QueueBounce) {
        // As `tmail queue bounce ID`: pending recipients fail, a DSN goes to the sender.
        const Status status = Bouncer::bounceNow(*m_db, m_config, messageId);
        if (!status)
            return tableFailure(id, status.error());
        qCInfo(lcManager).noquote() << QStringLiteral("queue message %1 bounced from the manager").arg(messageId);
        return Response::success(id);
    }
    return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
}
