// Every message of the manager link (daemon <-> tmail-manager) as a plain struct,
// with the handshake constants; docs/manager-protocol.md describes the wire format.
#pragma once

#include "core/adminvalues.h"
#include "core/expected.h"

#include <optional>

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace ManagerProtocol {

// Sent in both hellos; a peer with another magic is not a tmail manager link.
inline const QString Magic = QStringLiteral("tmail-manager");
// Bumped when a message changes incompatibly; the daemon denies other versions.
constexpr int Version = 1;
// Largest frame payload either side accepts (the 4-byte length prefix excluded).
constexpr quint32 MaxFrameSize = 1024 * 1024;
// The client pings this often; the daemon drops a client silent for IdleTimeoutMs.
constexpr int PingIntervalMs = 15000;
constexpr int IdleTimeoutMs = 60000;

// Optional capabilities, exchanged in the hello (the daemon answers with what it has).
namespace Feature {
inline const QString Log = QStringLiteral("log"); // log.subscribe and "log" events
inline const QString Events = QStringLiteral("events"); // "changed" and "counters" events
inline const QString Config = QStringLiteral("config"); // config.get / config.set
inline const QString Queue = QStringLiteral("queue"); // queue.*
inline const QString Bounce = QStringLiteral("queue.bounce"); // queue.bounce is available
// queue.hold/release, filters and bulk actions (ids, all, dryRun), queue.show's content
inline const QString QueueTools = QStringLiteral("queue.tools");
// The link is remote (TMAIL_MANAGER_LISTEN): "login" must succeed before any other request.
inline const QString Login = QStringLiteral("login");
} // namespace Feature

// Request methods.
namespace Method {
inline const QString Status = QStringLiteral("status");
inline const QString ConfigGet = QStringLiteral("config.get");
inline const QString ConfigSet = QStringLiteral("config.set");
// The faults the daemon would find in its settings with these changes: what the
// Configuration page shows next to each field as the user types.
inline const QString ConfigCheck = QStringLiteral("config.check");
inline const QString RcptHostsList = QStringLiteral("rcpthosts.list");
inline const QString RcptHostsAdd = QStringLiteral("rcpthosts.add");
inline const QString RcptHostsDelete = QStringLiteral("rcpthosts.delete");
inline const QString UsersList = QStringLiteral("users.list");
inline const QString UsersAdd = QStringLiteral("users.add");
inline const QString UsersDelete = QStringLiteral("users.delete");
inline const QString UsersSetPassword = QStringLiteral("users.setPassword");
inline const QString RelayIpsList = QStringLiteral("relayips.list");
inline const QString RelayIpsAdd = QStringLiteral("relayips.add");
inline const QString RelayIpsDelete = QStringLiteral("relayips.delete");
inline const QString RoutesList = QStringLiteral("routes.list");
inline const QString RoutesAdd = QStringLiteral("routes.add");
inline const QString RoutesUpdate = QStringLiteral("routes.update");
inline const QString RoutesDelete = QStringLiteral("routes.delete");
inline const QString RoutesSetPriorities = QStringLiteral("routes.setPriorities");
inline const QString QueueList = QStringLiteral("queue.list");
inline const QString QueueShow = QStringLiteral("queue.show");
inline const QString QueueRetry = QStringLiteral("queue.retry");
inline const QString QueueDiscard = QStringLiteral("queue.discard");
inline const QString QueueBounce = QStringLiteral("queue.bounce");
inline const QString QueueHold = QStringLiteral("queue.hold");
inline const QString QueueRelease = QStringLiteral("queue.release");
inline const QString DkimList = QStringLiteral("dkim.list");
inline const QString DkimAdd = QStringLiteral("dkim.add");
inline const QString DkimRotate = QStringLiteral("dkim.rotate");
inline const QString DkimDelete = QStringLiteral("dkim.delete");
inline const QString DkimDns = QStringLiteral("dkim.dns");
inline const QString DkimCheck = QStringLiteral("dkim.check");
// Administrators of the remote manager (what `tmail admin` manages): list gives {name, role,
// createdAt}; add takes {name, role, password}, setPassword {name, password}, delete {name}.
// Only the role admin may call them; the password travels only inside the manager link.
inline const QString AdminsList = QStringLiteral("admins.list");
inline const QString AdminsAdd = QStringLiteral("admins.add");
inline const QString AdminsDelete = QStringLiteral("admins.delete");
inline const QString AdminsSetPassword = QStringLiteral("admins.setPassword");
// The Dashboard: the daemon's counts per minute over the last 24 hours, the queue's top
// recipient domains, and the nodes sharing the database (as `tmail nodes`).
inline const QString StatsHistory = QStringLiteral("stats.history");
inline const QString QueueDestinations = QStringLiteral("queue.destinations");
inline const QString NodesList = QStringLiteral("nodes.list");
inline const QString LogSubscribe = QStringLiteral("log.subscribe");
inline const QString LogUnsubscribe = QStringLiteral("log.unsubscribe");
// Answers once the daemon's smtpd has read the database's latest changes: the command line
// calls it after a change so that the change holds when the command returns.
inline const QString Sync = QStringLiteral("sync");
// {user, password}: an administrator of `tmail admin`; the answer gives {user, role}.
// Needed first on a remote link; on the local socket it succeeds with the role admin.
inline const QString Login = QStringLiteral("login");
QStringList all();
// The least role that may call method; a method this list does not know needs admin.
AdminValues::AdminRole requiredRole(const QString &method);
} // namespace Method

// Events the daemon pushes.
namespace EventName {
inline const QString Log = QStringLiteral("log"); // data: one log entry
inline const QString Counters = QStringLiteral("counters"); // data: the counters
inline const QString Changed = QStringLiteral("changed"); // data: {"list": "rcpthosts"|…|"all"}
inline const QString History = QStringLiteral("history"); // data: the last minutes, as stats.history
} // namespace EventName

// Why a request failed; the GUI maps each code to a translated sentence.
enum class ErrorCode
{
    BadFrame, // the frame is not a JSON object of a known type
    FrameTooLarge, // longer than MaxFrameSize: the daemon closes the link after replying
    BadRequest, // a request without id or method, or params that are not an object
    NotReady, // a request before the hello
    UnknownMethod,
    InvalidParam, // "field" names the parameter
    NotFound,
    AlreadyExists,
    Database, // the database failed; the message says how
    ConfigInvalid, // config.set: the new settings do not validate; "field" names the variable
    ConfigReadOnly, // the daemon took its settings from the environment: nothing to rewrite
    Io, // a file could not be written
    NotSupported, // e.g. queue.bounce before deliverd can bounce
    Busy, // too many requests in flight for this client
    PermissionDenied, // the client's role may not do this
    AuthenticationRequired, // a remote client's request before a successful login
    AuthenticationFailed, // login: unknown administrator or wrong password
    TooManyFailures, // login: too many failures from this address; refused for a while
    Internal,
};
QString errorCodeName(ErrorCode code);
// The code a failure of that kind is reported with: the one place the two meet.
ErrorCode errorCodeFor(ErrorKind kind);
std::optional<ErrorCode> errorCodeFromName(const QString &name);

// Frame kinds ("type" of every frame).
namespace Type {
inline const QString Hello = QStringLiteral("hello");
inline const QString Denied = QStringLiteral("denied");
inline const QString Request = QStringLiteral("request");
inline const QString Response = QStringLiteral("response");
inline const QString Event = QStringLiteral("event");
inline const QString Ping = QStringLiteral("ping");
inline const QString Pong = QStringLiteral("pong");
} // namespace Type

// First frame of each side. The client sends its hello; the daemon answers with its own
// (software, features it grants) or with Denied and closes.
struct Hello
{
    QString magic = Magic;
    int version = Version;
    QStringList features;
    QString software; // "tmail 0.1.0" / "tmail-manager 0.1.0"

    QJsonObject toJson() const;
    static Expected<Hello> fromJson(const QJsonObject &object);
};

struct Denied
{
    QString reason; // English, for logs; the GUI shows a translated text for the code
    QString code; // "version", "magic", "uid"

    QJsonObject toJson() const;
    static Expected<Denied> fromJson(const QJsonObject &object);
};

struct Request
{
    qint64 id = 0; // chosen by the client, echoed in the response
    QString method;
    QJsonObject params;

    QJsonObject toJson() const;
    // Errors are BadRequest messages (missing id, method or params of the wrong type).
    static Expected<Request> fromJson(const QJsonObject &object);
};

struct Response
{
    std::optional<qint64> id; // empty when the request had no readable id
    bool ok = true;
    QJsonValue result; // when ok
    ErrorCode error = ErrorCode::Internal;
    QString message; // English detail
    QString field; // the parameter or variable at fault, if any

    static Response success(qint64 id, const QJsonValue &result = QJsonObject());
    static Response failure(
        std::optional<qint64> id, ErrorCode error, const QString &message, const QString &field = QString());
    // A failed operation: the code follows from its kind (errorCodeFor).
    static Response failure(std::optional<qint64> id, const Status &failed, const QString &field = QString());
    template <typename T>
    static Response failure(std::optional<qint64> id, const Expected<T> &failed, const QString &field = QString())
    {
        return failure(id, Status::failure(failed), field);
    }
    QJsonObject toJson() const;
    static Expected<Response> fromJson(const QJsonObject &object);
};

struct Event
{
    QString name;
    QJsonObject data;

    QJsonObject toJson() const;
    static Expected<Event> fromJson(const QJsonObject &object);
};

// Heartbeat: either side may ping; the other answers pong with the same id.
struct Ping
{
    qint64 id = 0;
    bool pong = false;

    QJsonObject toJson() const;
    static Expected<Ping> fromJson(const QJsonObject &object);
};

} // namespace ManagerProtocol
