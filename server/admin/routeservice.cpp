// See routeservice.h.
#include "admin/routeservice.h"

#include "core/adminvalues.h"
#include "db/tables.h"

namespace {

Expected<Route> invalid(const QString &field, const QString &problem)
{
    return Expected<Route>::failure(ErrorKind::InvalidInput, QStringLiteral("%1: %2").arg(field, problem));
}

} // namespace

RouteService::RouteService(Database &db) : m_db(db) { }

Expected<Route> RouteService::check(const Route &route)
{
    Route checked = route;
    if (route.recipientDomain.isEmpty())
        return invalid(QStringLiteral("recipient domain"), QStringLiteral("a route needs one"));
    const Expected<QString> host = AdminValues::remoteHost(route.remoteHost);
    if (!host)
        return invalid(QStringLiteral("remote host"), host.error());
    checked.remoteHost = host.value();
    const Expected<quint16> port = AdminValues::port(route.remotePort);
    if (!port)
        return invalid(QStringLiteral("remote port"), port.error());
    const Expected<int> priority = AdminValues::priority(route.priority);
    if (!priority)
        return invalid(QStringLiteral("priority"), priority.error());
    const Expected<QString> sender = AdminValues::senderDomain(route.senderDomain);
    if (!sender)
        return invalid(QStringLiteral("sender domain"), sender.error());
    checked.senderDomain = sender.value();
    const Expected<QString> authUser = AdminValues::authUser(route.authUser);
    if (!authUser)
        return invalid(QStringLiteral("authenticated user"), authUser.error());
    checked.authUser = authUser.value();
    const Expected<QString> localIps = AdminValues::localIps(route.localIps);
    if (!localIps)
        return invalid(QStringLiteral("local IPs"), localIps.error());
    checked.localIps = localIps.value();
    const Expected<QString> tls = AdminValues::routeTls(route.tls);
    if (!tls)
        return invalid(QStringLiteral("TLS"), tls.error());
    checked.tls = tls.value();
    const Status user = AdminValues::credential(route.smtpUser, AdminValues::MaxSmtpUserLength);
    if (!user)
        return invalid(QStringLiteral("SMTP user"), user.error());
    const Status password = AdminValues::credential(route.smtpPassword, AdminValues::MaxSmtpPasswordLength);
    if (!password)
        return invalid(QStringLiteral("SMTP password"), password.error());
    if (!route.smtpUser.isEmpty() && route.smtpPassword.isEmpty())
        return invalid(QStringLiteral("SMTP password"), QStringLiteral("a route with an SMTP user needs a password"));
    return checked;
}

Expected<QList<Route>> RouteService::list()
{
    return RouteTable(m_db).list();
}

Expected<Route> RouteService::find(qint64 id)
{
    const Expected<QList<Route>> routes = list();
    if (!routes)
        return Expected<Route>::failure(routes);
    for (const Route &route : routes.value())
    {
        if (route.id == id)
            return route;
    }
    return Expected<Route>::failure(ErrorKind::NotFound, QStringLiteral("no route %1").arg(id));
}

Expected<Route> RouteService::add(const Route &route)
{
    Expected<Route> checked = check(route);
    if (!checked)
        return checked;
    const Expected<qint64> id = RouteTable(m_db).add(checked.value());
    if (!id)
        return Expected<Route>::failure(id);
    checked.value().id = id.value();
    return checked;
}

Expected<Route> RouteService::update(const Route &route)
{
    const Expected<Route> checked = check(route);
    if (!checked)
        return checked;
    const Status updated = RouteTable(m_db).update(checked.value());
    if (!updated)
        return Expected<Route>::failure(updated);
    return checked;
}

Status RouteService::remove(qint64 id)
{
    return RouteTable(m_db).remove(id);
}

Status RouteService::setPriorities(const QList<QPair<qint64, int>> &priorities)
{
    const Expected<QList<Route>> routes = list();
    if (!routes)
        return Status::failure(routes);
    QList<Route> updated;
    for (const auto &[id, priority] : priorities)
    {
        const Expected<int> valid = AdminValues::priority(priority);
        if (!valid)
            return Status::failure(valid);
        const auto found
            = std::find_if(routes->cbegin(), routes->cend(), [id = id](const Route &route) { return route.id == id; });
        if (found == routes->cend())
            return Status::failure(ErrorKind::NotFound, QStringLiteral("no route %1").arg(id));
        updated.append(*found);
        updated.last().priority = priority;
    }
    // Each update is its own transaction (RouteTable bumps the change serial per edit).
    for (const Route &route : updated)
    {
        const Status one = RouteTable(m_db).update(route);
        if (!one)
            return one;
    }
    return {};
}
