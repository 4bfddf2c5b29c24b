// Answers the manager's table and queue requests; input is parsed into tmail's value
// types (Domain, MailAddress, IpRange) first, and a bad value names its field.
#include "managerserver/managerdbworker.h"

#include "admin/adminservice.h"

#include "admin/rcpthostservice.h"
#include "admin/relayipservice.h"
#include "admin/routeservice.h"
#include "admin/userservice.h"
#include "config/config.h"
#include "core/adminvalues.h"
#include "db/nodetable.h"
#include "db/queuetable.h"
#include "deliverd/deliveryjob.h"
#include "log/logger.h"
#include "managerserver/dkimrequests.h"
#include "queue/queueactions.h"

#include <QDateTime>
#include <QJsonArray>
#include <QThread>
#include <QTimer>

using ManagerProtocol::ErrorCode;
using ManagerProtocol::Response;
namespace Method = ManagerProtocol::Method;

namespace {

Response invalidParam(qint64 id, const QString &name, const QString &message)
{
    return Response::failure(id, ErrorCode::InvalidParam, message, name);
}

// params[name] as a string; a missing one is empty unless required.
Expected<QString> stringParam(const QJsonObject &params, const QString &name, bool required = true)
{
    const QJsonValue value = params.value(name);
    if (value.isUndefined() || value.isNull())
    {
        if (required)
            return Expected<QString>::failure(ErrorKind::InvalidInput, QStringLiteral("%1 is missing").arg(name));
        return QString();
    }
    if (!value.isString())
        return Expected<QString>::failure(ErrorKind::InvalidInput, QStringLiteral("%1 must be a string").arg(name));
    return value.toString();
}

// params[name] as a whole number in [minimum, maximum], or fallback when absent.
Expected<qint64> integerParam(
    const QJsonObject &params, const QString &name, qint64 minimum, qint64 maximum, qint64 fallback)
{
    const QJsonValue value = params.value(name);
    if (value.isUndefined() || value.isNull())
        return fallback;
    const double number = value.toDouble(-1.5);
    if (!value.isDouble() || number != double(qint64(number)) || number < double(minimum) || number > double(maximum))
        return Expected<qint64>::failure(ErrorKind::InvalidInput,
            QStringLiteral("%1 must be a whole number from %2 to %3").arg(name).arg(minimum).arg(maximum));
    return qint64(number);
}

// params[name] as true or false, or fallback when absent; "false" as text is a
// mistake to report, not a default to apply.
Expected<bool> boolParam(const QJsonObject &params, const QString &name, bool fallback)
{
    const QJsonValue value = params.value(name);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isBool())
        return Expected<bool>::failure(ErrorKind::InvalidInput, QStringLiteral("%1 must be true or false").arg(name));
    return value.toBool();
}

// A stored message shown in the manager: what a frame holds with room to spare.
constexpr qsizetype MaxContentBytes = 512 * 1024;
// Message ids one queue request may name.
constexpr int MaxIdsPerRequest = 1000;

// Largest whole number a JSON double holds exactly (route ids).
constexpr qint64 MaxJsonInteger = Q_INT64_C(1) << 53;

QJsonObject routeToJson(const Route &route)
{
    return { { QStringLiteral("id"), route.id }, { QStringLiteral("recipientDomain"), route.recipientDomain.name() },
        { QStringLiteral("senderDomain"), route.senderDomain }, { QStringLiteral("authUser"), route.authUser },
        { QStringLiteral("remoteHost"), route.remoteHost }, { QStringLiteral("remotePort"), int(route.remotePort) },
        { QStringLiteral("priority"), route.priority }, { QStringLiteral("localIps"), route.localIps },
        { QStringLiteral("smtpUser"), route.smtpUser }, { QStringLiteral("tls"), route.tls },
        { QStringLiteral("hasPassword"), !route.smtpPassword.isEmpty() } };
}

QJsonObject messageToJson(const QueuedMessage &message, bool details, qint64 nowMs)
{
    QJsonArray recipients;
    for (const QueuedRecipient &recipient : message.recipients)
    {
        if (details)
        {
            recipients.append(QJsonObject { { QStringLiteral("address"), recipient.address },
                { QStringLiteral("status"), QueuedRecipient::statusName(recipient.status) },
                { QStringLiteral("lastError"), recipient.lastError } });
        }
        else
        {
            recipients.append(recipient.address);
        }
    }
    QJsonObject object { { QStringLiteral("id"), message.id }, { QStringLiteral("sender"), message.envelopeSender },
        { QStringLiteral("recipients"), recipients }, { QStringLiteral("size"), message.sizeBytes },
        { QStringLiteral("createdAt"), message.createdAtMs },
        { QStringLiteral("nextAttemptAt"), message.nextAttemptAtMs }, { QStringLiteral("attempts"), message.attempts },
        { QStringLiteral("lastError"), message.lastError }, { QStringLiteral("claimedBy"), message.claimedBy },
        // The TLS policy holding the message back (deliverd's 4.7.5), as a code the GUI names.
        { QStringLiteral("heldByTlsPolicy"), tlsPolicyHolding(message.lastError) },
        { QStringLiteral("held"), message.held },
        { QStringLiteral("status"), QueueActions::statusOf(message, nowMs) } };
    if (details)
    {
        object.insert(QStringLiteral("authUser"), message.authUser);
        object.insert(QStringLiteral("clientIp"), message.clientIp);
        object.insert(QStringLiteral("helo"), message.helo);
        object.insert(QStringLiteral("storeKey"), message.storeKey);
    }
    return object;
}

} // namespace

ManagerDbWorker::ManagerDbWorker(const Config &config) : m_config(config) { }

ManagerDbWorker::~ManagerDbWorker() = default;

bool ManagerDbWorker::handles(const QString &method)
{
    return method.startsWith(QLatin1String("rcpthosts.")) || method.startsWith(QLatin1String("users."))
        || method.startsWith(QLatin1String("relayips.")) || method.startsWith(QLatin1String("routes."))
        || method.startsWith(QLatin1String("queue.")) || method.startsWith(QLatin1String("dkim."))
        || method.startsWith(QLatin1String("admins.")) || method == Method::NodesList;
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

Expected<Database *> ManagerDbWorker::database()
{
    if (m_db)
        return m_db.get();
    const QString name = QStringLiteral("manager-%1").arg(quintptr(QThread::currentThreadId()));
    Expected<Database> opened = Database::open(m_config.db, name);
    if (!opened)
        return Expected<Database *>::failure(opened);
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
    const Expected<Database *> db = database();
    if (!db)
        return;
    const Expected<qint64> serial = db.value()->changeSerial();
    if (!serial)
    {
        m_db.reset(); // QtSql does not reconnect: the next poll or request opens a new one
        return;
    }
    if (m_knownSerial >= 0 && serial.value() != m_knownSerial)
        emit changed(QStringLiteral("all"));
    m_knownSerial = serial.value();
    const Expected<int> size = QueueActions(*db.value(), m_config).count();
    if (size && size.value() != m_knownQueueSize)
    {
        m_knownQueueSize = size.value();
        emit queueSizeChanged(m_knownQueueSize);
    }
}

void ManagerDbWorker::authenticate(quint64 clientId, qint64 requestId, const QString &name, const QString &password)
{
    Expected<std::optional<Admin>> admin = Expected<std::optional<Admin>>::failure(ErrorKind::Internal, QString());
    for (int attempt = 0; attempt < 2; ++attempt)
    {
        const Expected<Database *> db = database();
        if (!db)
        {
            emit authenticated(clientId, requestId, QString(), 0, db.error());
            return;
        }
        admin = AdminService(*db.value()).authenticate(name, password);
        if (admin || !dropDeadConnection())
            break;
    }
    if (!admin)
        emit authenticated(clientId, requestId, QString(), 0, admin.error());
    else if (!admin.value())
        emit authenticated(clientId, requestId, QString(), 0, QString());
    else
        emit authenticated(clientId, requestId, admin.value()->name, int(admin.value()->role), QString());
}

void ManagerDbWorker::handle(
    quint64 clientId, qint64 requestId, const QString &method, const QJsonObject &params, const QString &actor)
{
    Response response = dispatch(requestId, method, params);
    // Failed on a connection the server dropped: once more on a new one, so the manager
    // works again as soon as the database is back.
    if (!response.ok && response.error == ErrorCode::Database && dropDeadConnection())
        response = dispatch(requestId, method, params);
    const QJsonObject result = response.result.toObject();
    const bool dryRun = result.value(QStringLiteral("dryRun")).toBool();
    if (response.ok && isChange(method) && result.contains(QStringLiteral("ids")) && !dryRun)
    {
        // A queue action names how the messages were chosen and every message it touched.
        QStringList ids;
        for (const QJsonValue &touched : result.value(QStringLiteral("ids")).toArray())
            ids.append(touched.toString());
        const QString selection = result.value(QStringLiteral("selection")).toString();
        qCInfo(lcManager).noquote() << QStringLiteral("change from manager client %1: %2%3: %4 message(s) %5")
                                           .arg(clientId)
                                           .arg(method,
                                               selection.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(selection))
                                           .arg(ids.size())
                                           .arg(AdminValues::printable(ids.join(QLatin1Char(' ')), 9000));
    }
    else if (response.ok && isChange(method) && !dryRun)
    {
        // Every administrative change leaves a line with its source; what it names, never
        // a password.
        QString subject;
        for (const char *key : { "domain", "login", "range", "recipientDomain", "id", "name" })
        {
            const QJsonValue value = params.value(QLatin1String(key));
            if (value.isString() || value.isDouble())
            {
                subject = value.isString() ? value.toString() : QString::number(value.toInteger());
                break;
            }
        }
        qCInfo(lcManager).noquote()
            << QStringLiteral("change from %1: %2 %3").arg(actor, method, AdminValues::printable(subject));
    }
    emit replied(clientId, response.toJson());
}

bool ManagerDbWorker::isChange(const QString &method)
{
    return !method.endsWith(QLatin1String(".list")) && method != Method::QueueShow
        && method != Method::QueueDestinations && !DkimRequests::isReadOnly(method);
}

Response ManagerDbWorker::dispatch(qint64 id, const QString &method, const QJsonObject &params)
{
    const Expected<Database *> db = database();
    if (!db)
        return Response::failure(id, db);
    const qint64 serialBefore = m_knownSerial;
    Response response
        = Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
    QString list;
    if (method == Method::QueueDestinations || method == Method::NodesList)
    {
        response = dashboard(id, method, params);
    }
    else if (method.startsWith(QLatin1String("rcpthosts.")))
    {
        response = rcptHosts(id, method, params);
        list = QStringLiteral("rcpthosts");
    }
    else if (method.startsWith(QLatin1String("users.")))
    {
        response = users(id, method, params);
        list = QStringLiteral("users");
    }
    else if (method.startsWith(QLatin1String("relayips.")))
    {
        response = relayIps(id, method, params);
        list = QStringLiteral("relayips");
    }
    else if (method.startsWith(QLatin1String("routes.")))
    {
        response = routes(id, method, params);
        list = QStringLiteral("routes");
    }
    else if (method.startsWith(QLatin1String("queue.")))
    {
        response = queue(id, method, params);
        list = QStringLiteral("queue");
    }
    else if (method.startsWith(QLatin1String("dkim.")))
    {
        response = DkimRequests::handle(*m_db, m_config, id, method, params);
        list = QStringLiteral("dkim");
    }
    else if (method.startsWith(QLatin1String("admins.")))
    {
        response = admins(id, method, params);
        list = QStringLiteral("admins");
    }
    if (response.ok && isChange(method))
    {
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
    RcptHostService service(*m_db);
    if (method == Method::RcptHostsList)
    {
        const Expected<QList<RcptHost>> hosts = service.list();
        if (!hosts)
            return Response::failure(id, hosts);
        QJsonArray items;
        for (const RcptHost &host : hosts.value())
        {
            items.append(QJsonObject { { QStringLiteral("id"), host.id },
                { QStringLiteral("domain"), host.domain.name() }, { QStringLiteral("local"), host.isLocal } });
        }
        return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
    }
    if (method != Method::RcptHostsAdd && method != Method::RcptHostsDelete)
        return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
    const Expected<QString> text = stringParam(params, QStringLiteral("domain"));
    if (!text)
        return Response::failure(id, text, QStringLiteral("domain"));
    const Expected<bool> isLocal = boolParam(params, QStringLiteral("local"), false);
    if (!isLocal)
        return Response::failure(id, isLocal, QStringLiteral("local"));
    const Expected<Domain> domain = Domain::parse(text->trimmed());
    if (!domain)
        return Response::failure(id, domain, QStringLiteral("domain"));
    const Status status = method == Method::RcptHostsAdd ? service.add(domain.value(), isLocal.value())
                                                         : service.remove(domain.value());
    return status ? Response::success(id) : Response::failure(id, status, QStringLiteral("domain"));
}

Response ManagerDbWorker::users(qint64 id, const QString &method, const QJsonObject &params)
{
    UserService service(*m_db);
    if (method == Method::UsersList)
    {
        const Expected<QList<User>> users = service.list();
        if (!users)
            return Response::failure(id, users);
        QJsonArray items;
        for (const User &user : users.value())
        {
            items.append(QJsonObject { { QStringLiteral("id"), user.id },
                { QStringLiteral("login"), user.login.toString() }, { QStringLiteral("mayRelay"), user.mayRelay },
                { QStringLiteral("createdAt"), user.createdAt.toMSecsSinceEpoch() } });
        }
        return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
    }
    if (method != Method::UsersAdd && method != Method::UsersDelete && method != Method::UsersSetPassword)
        return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
    const Expected<QString> text = stringParam(params, QStringLiteral("login"));
    if (!text)
        return Response::failure(id, text, QStringLiteral("login"));
    const Expected<QString> password = stringParam(params, QStringLiteral("password"), method != Method::UsersDelete);
    if (!password)
        return Response::failure(id, password, QStringLiteral("password"));
    const Expected<bool> mayRelay = boolParam(params, QStringLiteral("mayRelay"), true);
    if (!mayRelay)
        return Response::failure(id, mayRelay, QStringLiteral("mayRelay"));
    const Expected<MailAddress> login = MailAddress::parse(text->trimmed());
    if (!login)
        return Response::failure(id, login, QStringLiteral("login"));
    if (method == Method::UsersDelete)
    {
        const Status status = service.remove(login.value());
        return status ? Response::success(id) : Response::failure(id, status, QStringLiteral("login"));
    }
    const Status usable = UserService::checkPassword(password.value());
    if (!usable)
        return invalidParam(id, QStringLiteral("password"), QStringLiteral("the password %1").arg(usable.error()));
    const Status status = method == Method::UsersAdd ? service.add(login.value(), password.value(), mayRelay.value())
                                                     : service.setPassword(login.value(), password.value());
    return status ? Response::success(id) : Response::failure(id, status, QStringLiteral("password"));
}

Response ManagerDbWorker::admins(qint64 id, const QString &method, const QJsonObject &params)
{
    AdminService service(*m_db);
    if (method == Method::AdminsList)
    {
        const Expected<QList<Admin>> admins = service.list();
        if (!admins)
            return Response::failure(id, admins);
        QJsonArray items;
        for (const Admin &admin : admins.value())
        {
            // Never the password hash.
            items.append(QJsonObject { { QStringLiteral("id"), admin.id }, { QStringLiteral("name"), admin.name },
                { QStringLiteral("role"), AdminValues::adminRoleName(admin.role) },
                { QStringLiteral("createdAt"), admin.createdAt.toMSecsSinceEpoch() } });
        }
        return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
    }
    if (method != Method::AdminsAdd && method != Method::AdminsDelete && method != Method::AdminsSetPassword)
        return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
    // Every parameter is checked before the database is touched, as `tmail admin` does.
    const Expected<QString> text = stringParam(params, QStringLiteral("name"));
    if (!text)
        return Response::failure(id, text, QStringLiteral("name"));
    const Expected<QString> name = AdminValues::adminName(text.value());
    if (!name)
        return invalidParam(id, QStringLiteral("name"), QStringLiteral("the name %1").arg(name.error()));
    AdminValues::AdminRole role = AdminValues::AdminRole::Viewer;
    if (method == Method::AdminsAdd)
    {
        const Expected<QString> roleText = stringParam(params, QStringLiteral("role"));
        if (!roleText)
            return Response::failure(id, roleText, QStringLiteral("role"));
        const Expected<AdminValues::AdminRole> parsedRole = AdminValues::adminRole(roleText.value());
        if (!parsedRole)
            return invalidParam(id, QStringLiteral("role"), parsedRole.error());
        role = parsedRole.value();
    }
    if (method == Method::AdminsDelete)
    {
        const Status status = service.remove(name.value());
        return status ? Response::success(id) : Response::failure(id, status, QStringLiteral("name"));
    }
    const Expected<QString> password = stringParam(params, QStringLiteral("password"));
    if (!password)
        return Response::failure(id, password, QStringLiteral("password"));
    const Status usable = AdminValues::adminPassword(password.value());
    if (!usable)
        return invalidParam(id, QStringLiteral("password"), QStringLiteral("the password %1").arg(usable.error()));
    const Status status = method == Method::AdminsAdd ? service.add(name.value(), role, password.value())
                                                      : service.setPassword(name.value(), password.value());
    return status ? Response::success(id) : Response::failure(id, status, QStringLiteral("name"));
}

Response ManagerDbWorker::relayIps(qint64 id, const QString &method, const QJsonObject &params)
{
    RelayIpService service(*m_db);
    if (method == Method::RelayIpsList)
    {
        const Expected<QList<RelayIp>> ranges = service.list();
        if (!ranges)
            return Response::failure(id, ranges);
        QJsonArray items;
        for (const RelayIp &range : ranges.value())
        {
            items.append(QJsonObject {
                { QStringLiteral("id"), range.id }, { QStringLiteral("range"), range.range.toString() } });
        }
        return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
    }
    if (method != Method::RelayIpsAdd && method != Method::RelayIpsDelete)
        return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
    const Expected<QString> text = stringParam(params, QStringLiteral("range"));
    if (!text)
        return Response::failure(id, text, QStringLiteral("range"));
    const Expected<IpRange> range = IpRange::parse(text->trimmed());
    if (!range)
        return Response::failure(id, range, QStringLiteral("range"));
    const Status status = method == Method::RelayIpsAdd ? service.add(range.value()) : service.remove(range.value());
    return status ? Response::success(id) : Response::failure(id, status, QStringLiteral("range"));
}

Response ManagerDbWorker::routes(qint64 id, const QString &method, const QJsonObject &params)
{
    RouteService service(*m_db);
    if (method == Method::RoutesList)
    {
        const Expected<QList<Route>> routes = service.list();
        if (!routes)
            return Response::failure(id, routes);
        QJsonArray items;
        for (const Route &route : routes.value())
            items.append(routeToJson(route));
        return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
    }
    if (method == Method::RoutesDelete)
    {
        const Expected<qint64> routeId = integerParam(params, QStringLiteral("id"), 1, MaxJsonInteger, 0);
        if (!routeId)
            return Response::failure(id, routeId, QStringLiteral("id"));
        if (routeId.value() == 0)
            return invalidParam(id, QStringLiteral("id"), QStringLiteral("id is missing"));
        const Status status = service.remove(routeId.value());
        return status ? Response::success(id) : Response::failure(id, status, QStringLiteral("id"));
    }
    if (method == Method::RoutesSetPriorities)
    {
        const QJsonValue list = params.value(QStringLiteral("priorities"));
        if (!list.isArray())
            return invalidParam(
                id, QStringLiteral("priorities"), QStringLiteral("priorities must be a list of {id, priority}"));
        QList<QPair<qint64, int>> priorities;
        for (const QJsonValue &item : list.toArray())
        {
            const QJsonObject entry = item.toObject();
            const Expected<qint64> routeId = integerParam(entry, QStringLiteral("id"), 1, MaxJsonInteger, 0);
            if (!routeId)
                return Response::failure(id, routeId, QStringLiteral("id"));
            const Expected<qint64> priority = integerParam(
                entry, QStringLiteral("priority"), AdminValues::MinPriority, AdminValues::MaxPriority, -1);
            if (!priority)
                return Response::failure(id, priority, QStringLiteral("priority"));
            if (priority.value() < 0)
                return invalidParam(id, QStringLiteral("priority"), QStringLiteral("priority is missing"));
            priorities.append({ routeId.value(), int(priority.value()) });
        }
        const Status status = service.setPriorities(priorities);
        return status ? Response::success(id) : Response::failure(id, status, QStringLiteral("id"));
    }
    if (method != Method::RoutesAdd && method != Method::RoutesUpdate)
        return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));

    const bool adding = method == Method::RoutesAdd;
    Route route;
    if (!adding)
    {
        const Expected<qint64> routeId = integerParam(params, QStringLiteral("id"), 1, MaxJsonInteger, 0);
        if (!routeId)
            return Response::failure(id, routeId, QStringLiteral("id"));
        const Expected<Route> found = service.find(routeId.value());
        if (!found)
            return Response::failure(id, found, QStringLiteral("id"));
        route = found.value();
    }
    // Each field present is parsed with the parser the command line and the GUI use; a
    // missing one keeps its value (update) or default (add).
    const auto text = [&](const QString &name, bool required) -> Expected<std::optional<QString>> {
        if (!required && !params.contains(name))
            return std::optional<QString>();
        const Expected<QString> value = stringParam(params, name, required);
        if (!value)
            return Expected<std::optional<QString>>::failure(value);
        return std::optional<QString>(value.value());
    };
    const auto field = [&](const QString &name, bool required, auto parse, auto &target) -> std::optional<Response> {
        const Expected<std::optional<QString>> value = text(name, required);
        if (!value)
            return Response::failure(id, value, name);
        if (!value.value())
            return std::nullopt;
        const auto parsed = parse(*value.value());
        if (!parsed)
            return Response::failure(id, parsed, name);
        target = parsed.value();
        return std::nullopt;
    };
    const auto domain = [](const QString &value) { return Domain::parse(value.trimmed()); };
    // SMTP credentials are sent as typed (a password may start with a space) but never
    // hold control characters: they go into AUTH lines (RFC 4954).
    const auto credential = [](int maxLength, bool trim) {
        return [maxLength, trim](const QString &value) -> Expected<QString> {
            const QString typed = trim ? value.trimmed() : value;
            const Status valid = AdminValues::credential(typed, maxLength);
            if (!valid)
                return Expected<QString>::failure(valid);
            return typed;
        };
    };
    if (const std::optional<Response> failed
        = field(QStringLiteral("recipientDomain"), adding, domain, route.recipientDomain))
        return *failed;
    if (const std::optional<Response> failed
        = field(QStringLiteral("remoteHost"), adding, AdminValues::remoteHost, route.remoteHost))
        return *failed;
    if (const std::optional<Response> failed
        = field(QStringLiteral("senderDomain"), false, AdminValues::senderDomain, route.senderDomain))
        return *failed;
    if (const std::optional<Response> failed
        = field(QStringLiteral("authUser"), false, AdminValues::authUser, route.authUser))
        return *failed;
    if (const std::optional<Response> failed
        = field(QStringLiteral("localIps"), false, AdminValues::localIps, route.localIps))
        return *failed;
    if (const std::optional<Response> failed = field(QStringLiteral("tls"), false, AdminValues::routeTls, route.tls))
        return *failed;
    if (const std::optional<Response> failed
        = field(QStringLiteral("smtpUser"), false, credential(AdminValues::MaxSmtpUserLength, true), route.smtpUser))
        return *failed;
    if (const std::optional<Response> failed = field(QStringLiteral("smtpPassword"), false,
            credential(AdminValues::MaxSmtpPasswordLength, false), route.smtpPassword))
        return *failed;
    const Expected<qint64> port = integerParam(
        params, QStringLiteral("remotePort"), AdminValues::MinPort, AdminValues::MaxPort, route.remotePort);
    if (!port)
        return Response::failure(id, port, QStringLiteral("remotePort"));
    route.remotePort = quint16(port.value());
    const Expected<qint64> priority = integerParam(
        params, QStringLiteral("priority"), AdminValues::MinPriority, AdminValues::MaxPriority, route.priority);
    if (!priority)
        return Response::failure(id, priority, QStringLiteral("priority"));
    route.priority = int(priority.value());

    const Expected<Route> stored = adding ? service.add(route) : service.update(route);
    return stored ? Response::success(id, routeToJson(stored.value())) : Response::failure(id, stored);
}

Response ManagerDbWorker::dashboard(qint64 id, const QString &method, const QJsonObject &params)
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    QJsonArray items;
    if (method == Method::QueueDestinations)
    {
        const Expected<qint64> limit = integerParam(params, QStringLiteral("limit"), 1, 1000, 10);
        if (!limit)
            return Response::failure(id, limit, QStringLiteral("limit"));
        const Expected<QList<QueueDestination>> destinations = QueueTable(*m_db).destinations(int(limit.value()));
        if (!destinations)
            return Response::failure(id, destinations);
        for (const QueueDestination &destination : destinations.value())
        {
            items.append(QJsonObject { { QStringLiteral("domain"), destination.domain },
                { QStringLiteral("messages"), destination.messages },
                { QStringLiteral("recipients"), destination.recipients },
                { QStringLiteral("oldestCreatedAt"), destination.oldestCreatedAtMs },
                { QStringLiteral("oldestAgeSeconds"),
                    qMax<qint64>(0, nowMs - destination.oldestCreatedAtMs) / 1000 } });
        }
        return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
    }
    // nodes.list: the rows `tmail nodes` prints, in the same words.
    const Expected<QList<NodeRecord>> nodes = NodeTable(*m_db).list(nowMs);
    if (!nodes)
        return Response::failure(id, nodes);
    for (const NodeRecord &node : nodes.value())
    {
        items.append(QJsonObject { { QStringLiteral("id"), node.id }, { QStringLiteral("host"), node.host },
            { QStringLiteral("version"), node.version }, { QStringLiteral("startedAt"), node.startedAtMs },
            { QStringLiteral("lastBeatAt"), node.lastBeatAtMs },
            { QStringLiteral("lastBeatAgeSeconds"), node.lastBeatAgeSeconds(nowMs) },
            { QStringLiteral("stoppedAt"), node.stoppedAtMs }, { QStringLiteral("state"), node.stateName(nowMs) },
            { QStringLiteral("claims"), node.claims } });
    }
    return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
}

Response ManagerDbWorker::queue(qint64 id, const QString &method, const QJsonObject &params)
{
    QueueActions actions(*m_db, m_config);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    // The filter fields, checked by the parser the command line uses (QueueFilter).
    QStringList filterText;
    for (const char *name : { "domain", "sender", "olderThan", "status" })
    {
        const Expected<QString> text = stringParam(params, QLatin1String(name), false);
        if (!text)
            return Response::failure(id, text, QLatin1String(name));
        filterText.append(text.value());
    }
    const Expected<QueueFilter> filter
        = QueueFilter::parse(filterText.at(0), filterText.at(1), filterText.at(2), filterText.at(3));
    if (!filter)
    {
        // Which field: parsed one at a time, the first that fails.
        static const char *const names[] = { "domain", "sender", "olderThan", "status" };
        for (int i = 0; i < 4; ++i)
        {
            QStringList only(4, QString());
            only[i] = filterText.at(i);
            if (!QueueFilter::parse(only.at(0), only.at(1), only.at(2), only.at(3)))
                return Response::failure(id, filter, QLatin1String(names[i]));
        }
        return Response::failure(id, filter);
    }
    if (method == Method::QueueList)
    {
        const Expected<qint64> offset = integerParam(params, QStringLiteral("offset"), 0, 1 << 30, 0);
        if (!offset)
            return Response::failure(id, offset, QStringLiteral("offset"));
        const Expected<qint64> limit = integerParam(params, QStringLiteral("limit"), 1, 1000, 100);
        if (!limit)
            return Response::failure(id, limit, QStringLiteral("limit"));
        int total = 0;
        QList<QueuedMessage> page;
        if (filter->isEmpty())
        {
            const Expected<int> count = actions.count();
            if (!count)
                return Response::failure(id, count);
            total = count.value();
            const Expected<QList<QueuedMessage>> messages = actions.list(int(offset.value()), int(limit.value()));
            if (!messages)
                return Response::failure(id, messages);
            page = messages.value();
        }
        else
        {
            const Expected<QList<QueuedMessage>> messages = actions.select(filter.value());
            if (!messages)
                return Response::failure(id, messages);
            total = int(messages->size());
            page = messages->mid(offset.value(), limit.value());
        }
        QJsonArray items;
        for (const QueuedMessage &message : page)
            items.append(messageToJson(message, false, nowMs));
        return Response::success(id,
            QJsonObject { { QStringLiteral("total"), total }, { QStringLiteral("offset"), offset.value() },
                { QStringLiteral("items"), items } });
    }
    if (method == Method::QueueShow)
    {
        const Expected<QString> messageId = stringParam(params, QStringLiteral("id"));
        if (!messageId)
            return Response::failure(id, messageId, QStringLiteral("id"));
        const Expected<bool> withContent = boolParam(params, QStringLiteral("content"), false);
        if (!withContent)
            return Response::failure(id, withContent, QStringLiteral("content"));
        const Expected<QueuedMessage> message = actions.find(messageId.value());
        if (!message)
            return Response::failure(id, message, QStringLiteral("id"));
        QJsonObject object = messageToJson(message.value(), true, nowMs);
        if (withContent.value())
        {
            const Expected<QByteArray> content = actions.content(message->id);
            if (!content)
                return Response::failure(id, content);
            // Headers whole; the body up to what a frame holds beside them.
            const qsizetype split = content->indexOf("\r\n\r\n");
            const QByteArray headers = split < 0 ? content.value() : content->left(split + 2);
            const QByteArray body = split < 0 ? QByteArray() : content->mid(split + 4);
            const qsizetype room = qMax<qsizetype>(0, MaxContentBytes - headers.size());
            object.insert(QStringLiteral("headers"), QString::fromUtf8(headers.left(MaxContentBytes)));
            object.insert(QStringLiteral("body"), QString::fromUtf8(body.left(room)));
            object.insert(QStringLiteral("truncated"), headers.size() > MaxContentBytes || body.size() > room);
        }
        return Response::success(id, object);
    }
    const std::optional<QueueActions::Action> action
        = QueueActions::actionNamed(method.mid(int(QStringLiteral("queue.").size())));
    if (!action)
        return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
    const Expected<bool> all = boolParam(params, QStringLiteral("all"), false);
    if (!all)
        return Response::failure(id, all, QStringLiteral("all"));
    const Expected<bool> dryRun = boolParam(params, QStringLiteral("dryRun"), false);
    if (!dryRun)
        return Response::failure(id, dryRun, QStringLiteral("dryRun"));
    if (*action == QueueActions::Action::Retry && all.value() && !dryRun.value())
    {
        const Status status = actions.retryAll();
        return status ? Response::success(id, QJsonObject { { QStringLiteral("selection"), QStringLiteral("all") } })
                      : Response::failure(id, status);
    }
    // The messages the action touches: ids (or one id), or what the filter (or all) selects;
    // every one known to be there before the first is touched, as on the command line.
    QStringList given;
    if (params.contains(QStringLiteral("ids")))
    {
        const QJsonValue ids = params.value(QStringLiteral("ids"));
        if (!ids.isArray() || ids.toArray().isEmpty() || ids.toArray().size() > MaxIdsPerRequest)
            return invalidParam(id, QStringLiteral("ids"),
                QStringLiteral("ids must be a list of 1 to %1 message ids").arg(MaxIdsPerRequest));
        for (const QJsonValue &value : ids.toArray())
        {
            if (!value.isString())
                return invalidParam(id, QStringLiteral("ids"), QStringLiteral("ids must be strings"));
            given.append(value.toString());
        }
    }
    else if (params.contains(QStringLiteral("id")))
    {
        const Expected<QString> messageId = stringParam(params, QStringLiteral("id"));
        if (!messageId)
            return Response::failure(id, messageId, QStringLiteral("id"));
        given.append(messageId.value());
    }
    const bool selecting = all.value() || !filter->isEmpty();
    if (given.isEmpty() == !selecting)
        return invalidParam(id, QStringLiteral("id"),
            QStringLiteral("give an id (or ids), or all or a filter (domain, sender, olderThan, status), not both"));
    QList<QueuedMessage> targets;
    for (const QString &text : given)
    {
        Expected<QueuedMessage> message = actions.find(text);
        if (!message)
            return Response::failure(id, message, QStringLiteral("id"));
        targets.append(std::move(message).value());
    }
    if (selecting)
    {
        Expected<QList<QueuedMessage>> selected = actions.select(filter.value());
        if (!selected)
            return Response::failure(id, selected);
        targets = std::move(selected).value();
    }
    QJsonArray touched;
    QJsonArray failed;
    for (const QueuedMessage &message : targets)
    {
        if (dryRun.value())
        {
            touched.append(message.id);
            continue;
        }
        const Expected<QueuedMessage> done = actions.apply(*action, message.id);
        if (done)
            touched.append(message.id);
        else
            failed.append(
                QJsonObject { { QStringLiteral("id"), message.id }, { QStringLiteral("error"), done.error() } });
    }
    if (given.size() == 1 && !failed.isEmpty())
        return Response::failure(id, ErrorCode::NotFound,
            failed.first().toObject().value(QStringLiteral("error")).toString(), QStringLiteral("id"));
    return Response::success(id,
        QJsonObject { { QStringLiteral("ids"), touched }, { QStringLiteral("failed"), failed },
            { QStringLiteral("dryRun"), dryRun.value() },
            { QStringLiteral("selection"), selecting ? filter->describe() : QString() } });
}
