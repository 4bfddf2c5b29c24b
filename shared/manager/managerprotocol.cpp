// JSON forms of the manager messages; every reader checks types so that a bad frame
// becomes an error value, never a crash.
#include "manager/managerprotocol.h"

#include <QJsonArray>

namespace ManagerProtocol {

namespace {

const QString KeyType = QStringLiteral("type");

struct ErrorName
{
    ErrorCode code;
    const char *name;
};

const ErrorName errorNames[] = {
    { ErrorCode::BadFrame, "bad_frame" },
    { ErrorCode::FrameTooLarge, "frame_too_large" },
    { ErrorCode::BadRequest, "bad_request" },
    { ErrorCode::NotReady, "not_ready" },
    { ErrorCode::UnknownMethod, "unknown_method" },
    { ErrorCode::InvalidParam, "invalid_param" },
    { ErrorCode::NotFound, "not_found" },
    { ErrorCode::AlreadyExists, "already_exists" },
    { ErrorCode::Database, "database" },
    { ErrorCode::ConfigInvalid, "config_invalid" },
    { ErrorCode::ConfigReadOnly, "config_read_only" },
    { ErrorCode::Io, "io" },
    { ErrorCode::NotSupported, "not_supported" },
    { ErrorCode::Busy, "busy" },
    { ErrorCode::PermissionDenied, "permission_denied" },
    { ErrorCode::AuthenticationRequired, "authentication_required" },
    { ErrorCode::AuthenticationFailed, "authentication_failed" },
    { ErrorCode::TooManyFailures, "too_many_failures" },
    { ErrorCode::Internal, "internal" },
};

// A JSON number that is a whole number fitting in qint64.
std::optional<qint64> integerOf(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    // Out of qint64's range the cast below is undefined (fuzz_managerframe regression).
    if (!(number >= -9223372036854775808.0 && number < 9223372036854775808.0))
        return std::nullopt;
    if (number != double(qint64(number)))
        return std::nullopt;
    return qint64(number);
}

bool hasType(const QJsonObject &object, const QString &type)
{
    return object.value(KeyType).toString() == type;
}

} // namespace

QStringList Method::all()
{
    return { Status, ConfigGet, ConfigSet, ConfigCheck, RcptHostsList, RcptHostsAdd, RcptHostsDelete, UsersList,
        UsersAdd, UsersDelete, UsersSetPassword, RelayIpsList, RelayIpsAdd, RelayIpsDelete, RoutesList, RoutesAdd,
        RoutesUpdate, RoutesDelete, RoutesSetPriorities, QueueList, QueueShow, QueueRetry, QueueDiscard, QueueBounce,
        QueueHold, QueueRelease, DkimList, DkimAdd, DkimRotate, DkimDelete, DkimDns, DkimCheck, AdminsList, AdminsAdd,
        AdminsDelete, AdminsSetPassword, StatsHistory, QueueDestinations, NodesList, LogSubscribe, LogUnsubscribe, Sync,
        Login };
}

AdminValues::AdminRole Method::requiredRole(const QString &method)
{
    using AdminValues::AdminRole;
    // Reading: everything a viewer sees (secrets are masked for it where they are sent).
    static const QStringList reads = { Status, ConfigGet, RcptHostsList, UsersList, RelayIpsList, RoutesList, QueueList,
        QueueShow, ConfigCheck, DkimList, DkimDns, DkimCheck, StatsHistory, QueueDestinations, NodesList, LogSubscribe,
        LogUnsubscribe, Login };
    // Running the mail system: the queue and the tables smtpd and deliverd read.
    static const QStringList operates = { RcptHostsAdd, RcptHostsDelete, UsersAdd, UsersDelete, UsersSetPassword,
        RelayIpsAdd, RelayIpsDelete, RoutesAdd, RoutesUpdate, RoutesDelete, RoutesSetPriorities, QueueRetry,
        QueueDiscard, QueueBounce, QueueHold, QueueRelease, DkimAdd, DkimRotate, DkimDelete, Sync };
    if (reads.contains(method))
        return AdminRole::Viewer;
    if (operates.contains(method))
        return AdminRole::Operator;
    // config.set and the administrators (even their list: it names who may log in), and
    // whatever comes next until it is placed above.
    return AdminRole::Admin;
}

QString errorCodeName(ErrorCode code)
{
    for (const ErrorName &entry : errorNames)
    {
        if (entry.code == code)
            return QString::fromLatin1(entry.name);
    }
    return QStringLiteral("internal");
}

ErrorCode errorCodeFor(ErrorKind kind)
{
    switch (kind)
    {
    case ErrorKind::InvalidInput:
        return ErrorCode::InvalidParam;
    case ErrorKind::NotFound:
        return ErrorCode::NotFound;
    case ErrorKind::AlreadyExists:
        return ErrorCode::AlreadyExists;
    case ErrorKind::Unavailable:
        return ErrorCode::Database;
    case ErrorKind::PermissionDenied:
        return ErrorCode::PermissionDenied;
    case ErrorKind::Internal:
        break;
    }
    return ErrorCode::Internal;
}

std::optional<ErrorCode> errorCodeFromName(const QString &name)
{
    for (const ErrorName &entry : errorNames)
    {
        if (name == QLatin1String(entry.name))
            return entry.code;
    }
    return std::nullopt;
}

QJsonObject Hello::toJson() const
{
    return { { KeyType, Type::Hello }, { QStringLiteral("magic"), magic }, { QStringLiteral("version"), version },
        { QStringLiteral("features"), QJsonArray::fromStringList(features) },
        { QStringLiteral("software"), software } };
}

Expected<Hello> Hello::fromJson(const QJsonObject &object)
{
    if (!hasType(object, Type::Hello))
        return Expected<Hello>::failure(ErrorKind::InvalidInput, QStringLiteral("not a hello"));
    Hello hello;
    hello.magic = object.value(QStringLiteral("magic")).toString();
    const std::optional<qint64> version = integerOf(object.value(QStringLiteral("version")));
    if (!version)
        return Expected<Hello>::failure(ErrorKind::InvalidInput, QStringLiteral("the hello has no version number"));
    hello.version = int(*version);
    const QJsonValue features = object.value(QStringLiteral("features"));
    if (!features.isUndefined() && !features.isArray())
        return Expected<Hello>::failure(ErrorKind::InvalidInput, QStringLiteral("the hello's features are not a list"));
    for (const QJsonValue &feature : features.toArray())
        hello.features.append(feature.toString());
    hello.software = object.value(QStringLiteral("software")).toString();
    return hello;
}

QJsonObject Denied::toJson() const
{
    return { { KeyType, Type::Denied }, { QStringLiteral("reason"), reason }, { QStringLiteral("code"), code } };
}

Expected<Denied> Denied::fromJson(const QJsonObject &object)
{
    if (!hasType(object, Type::Denied))
        return Expected<Denied>::failure(ErrorKind::InvalidInput, QStringLiteral("not a denied"));
    Denied denied;
    denied.reason = object.value(QStringLiteral("reason")).toString();
    denied.code = object.value(QStringLiteral("code")).toString();
    return denied;
}

QJsonObject Request::toJson() const
{
    return { { KeyType, Type::Request }, { QStringLiteral("id"), id }, { QStringLiteral("method"), method },
        { QStringLiteral("params"), params } };
}

Expected<Request> Request::fromJson(const QJsonObject &object)
{
    using Result = Expected<Request>;
    if (!hasType(object, Type::Request))
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("not a request"));
    Request request;
    const std::optional<qint64> id = integerOf(object.value(QStringLiteral("id")));
    if (!id)
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("the request has no whole-number id"));
    request.id = *id;
    const QJsonValue method = object.value(QStringLiteral("method"));
    if (!method.isString() || method.toString().isEmpty())
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("the request has no method"));
    request.method = method.toString();
    const QJsonValue params = object.value(QStringLiteral("params"));
    if (!params.isUndefined() && !params.isNull() && !params.isObject())
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("the request's params are not an object"));
    request.params = params.toObject();
    return request;
}

Response Response::success(qint64 id, const QJsonValue &result)
{
    Response response;
    response.id = id;
    response.ok = true;
    response.result = result;
    return response;
}

Response Response::failure(std::optional<qint64> id, ErrorCode error, const QString &message, const QString &field)
{
    Response response;
    response.id = id;
    response.ok = false;
    response.error = error;
    response.message = message;
    response.field = field;
    return response;
}

Response Response::failure(std::optional<qint64> id, const Status &failed, const QString &field)
{
    return failure(
        id, errorCodeFor(failed.kind()), failed.error(), failed.kind() == ErrorKind::InvalidInput ? field : QString());
}

QJsonObject Response::toJson() const
{
    QJsonObject object { { KeyType, Type::Response }, { QStringLiteral("ok"), ok } };
    object.insert(QStringLiteral("id"), id ? QJsonValue(*id) : QJsonValue());
    if (ok)
    {
        object.insert(QStringLiteral("result"), result);
    }
    else
    {
        QJsonObject errorObject { { QStringLiteral("code"), errorCodeName(error) },
            { QStringLiteral("message"), message } };
        if (!field.isEmpty())
            errorObject.insert(QStringLiteral("field"), field);
        object.insert(QStringLiteral("error"), errorObject);
    }
    return object;
}

Expected<Response> Response::fromJson(const QJsonObject &object)
{
    using Result = Expected<Response>;
    if (!hasType(object, Type::Response))
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("not a response"));
    Response response;
    response.id = integerOf(object.value(QStringLiteral("id")));
    const QJsonValue ok = object.value(QStringLiteral("ok"));
    if (!ok.isBool())
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("the response has no ok flag"));
    response.ok = ok.toBool();
    if (response.ok)
    {
        response.result = object.value(QStringLiteral("result"));
        return response;
    }
    const QJsonObject error = object.value(QStringLiteral("error")).toObject();
    response.error = errorCodeFromName(error.value(QStringLiteral("code")).toString()).value_or(ErrorCode::Internal);
    response.message = error.value(QStringLiteral("message")).toString();
    response.field = error.value(QStringLiteral("field")).toString();
    return response;
}

QJsonObject Event::toJson() const
{
    return { { KeyType, Type::Event }, { QStringLiteral("name"), name }, { QStringLiteral("data"), data } };
}

Expected<Event> Event::fromJson(const QJsonObject &object)
{
    if (!hasType(object, Type::Event))
        return Expected<Event>::failure(ErrorKind::InvalidInput, QStringLiteral("not an event"));
    const QJsonValue name = object.value(QStringLiteral("name"));
    if (!name.isString() || name.toString().isEmpty())
        return Expected<Event>::failure(ErrorKind::InvalidInput, QStringLiteral("the event has no name"));
    Event event;
    event.name = name.toString();
    event.data = object.value(QStringLiteral("data")).toObject();
    return event;
}

QJsonObject Ping::toJson() const
{
    return { { KeyType, pong ? Type::Pong : Type::Ping }, { QStringLiteral("id"), id } };
}

Expected<Ping> Ping::fromJson(const QJsonObject &object)
{
    const bool isPing = hasType(object, Type::Ping);
    if (!isPing && !hasType(object, Type::Pong))
        return Expected<Ping>::failure(ErrorKind::InvalidInput, QStringLiteral("not a ping"));
    Ping ping;
    ping.pong = !isPing;
    ping.id = integerOf(object.value(QStringLiteral("id"))).value_or(0);
    return ping;
}

} // namespace ManagerProtocol
