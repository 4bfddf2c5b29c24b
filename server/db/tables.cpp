// The configuration tables (rcpthosts, users, relay IPs, routes) as value types.
#include "db/tables.h"

#include "db/passwordhasher.h"
#include "db/secretbox.h"

#include <QDateTime>
#include <QVariant>

namespace {

// An edit plus the change serial bump, in one transaction.
Status edit(Database &db, const std::function<Status()> &work)
{
    return db.runInTransaction([&]() -> Status {
        const Status status = work();
        if (!status)
            return status;
        return db.bumpChangeSerial();
    });
}

// True when the statement finds a row for the bindings.
Expected<bool> exists(Database &db, const QString &statementName, const QVariantMap &bindings)
{
    Expected<QSqlQuery> query = db.exec(statementName, bindings);
    if (!query)
        return Expected<bool>::failure(query);
    return query.value().next();
}

Status removeOne(Database &db, const QString &statementName, const QVariantMap &bindings, const QString &missing)
{
    return edit(db, [&]() -> Status {
        Expected<QSqlQuery> query = db.exec(statementName, bindings);
        if (!query)
            return Status::failure(query);
        if (query.value().numRowsAffected() < 1)
            return Status::failure(ErrorKind::NotFound, missing);
        return {};
    });
}

Status addUnique(Database &db, const QString &selectName, const QString &insertName, const QVariantMap &bindings,
    const QString &duplicate)
{
    return edit(db, [&]() -> Status {
        const Expected<bool> found = exists(db, selectName, bindings);
        if (!found)
            return Status::failure(found);
        if (found.value())
            return Status::failure(ErrorKind::AlreadyExists, duplicate);
        const Expected<QSqlQuery> query = db.exec(insertName, bindings);
        if (!query)
            return Status::failure(query);
        return {};
    });
}

// The route's columns, its SMTP password sealed (SecretBox).
Expected<QVariantMap> routeBindings(const Route &route)
{
    const Expected<QString> password = SecretBox::seal(route.smtpPassword);
    if (!password)
        return Expected<QVariantMap>::failure(password);
    return QVariantMap {
        { QStringLiteral("recipient_domain"), route.recipientDomain.name() },
        { QStringLiteral("sender_domain"), route.senderDomain.toLower() },
        { QStringLiteral("auth_user"), route.authUser },
        { QStringLiteral("remote_host"), route.remoteHost },
        { QStringLiteral("remote_port"), int(route.remotePort) },
        { QStringLiteral("priority"), route.priority },
        { QStringLiteral("local_ips"), route.localIps },
        { QStringLiteral("smtp_user"), route.smtpUser },
        { QStringLiteral("smtp_password"), password.value() },
        { QStringLiteral("tls_policy"), route.tls },
    };
}

Expected<User> userFromRow(const QSqlQuery &query)
{
    const QString login = query.value(1).toString();
    const Expected<MailAddress> address = MailAddress::parse(login, true);
    if (!address)
        return Expected<User>::failure(
            ErrorKind::Internal, QStringLiteral("stored user '%1' is invalid: %2").arg(login, address.error()));
    User user;
    user.id = query.value(0).toLongLong();
    user.login = address.value();
    user.passwordHash = query.value(2).toString();
    user.mayRelay = query.value(3).toBool();
    user.createdAt = QDateTime::fromMSecsSinceEpoch(query.value(4).toLongLong(), Qt::UTC);
    return user;
}

Expected<Admin> adminFromRow(const QSqlQuery &query)
{
    const QString name = query.value(1).toString();
    const Expected<AdminValues::AdminRole> role = AdminValues::adminRole(query.value(2).toString());
    if (!role)
        return Expected<Admin>::failure(
            ErrorKind::Internal, QStringLiteral("stored administrator '%1' is invalid: %2").arg(name, role.error()));
    Admin admin;
    admin.id = query.value(0).toLongLong();
    admin.name = name;
    admin.role = role.value();
    admin.passwordHash = query.value(3).toString();
    admin.createdAt = QDateTime::fromMSecsSinceEpoch(query.value(4).toLongLong(), Qt::UTC);
    return admin;
}

// The slow hash of a password that is not empty; Internal when OpenSSL fails.
Expected<QString> hashOf(const QString &password, const QString &whose)
{
    if (password.isEmpty())
        return Expected<QString>::failure(
            ErrorKind::InvalidInput, QStringLiteral("the password of %1 is empty").arg(whose));
    const QString passwordHash = PasswordHasher::hash(password);
    if (passwordHash.isEmpty())
        return Expected<QString>::failure(
            ErrorKind::Internal, QStringLiteral("cannot hash the password of %1").arg(whose));
    return passwordHash;
}

} // namespace

// ---- rcpthosts

Status RcptHostTable::add(const Domain &domain, bool isLocal)
{
    return addUnique(m_db, QStringLiteral("select_rcpthost"), QStringLiteral("insert_rcpthost"),
        { { QStringLiteral("domain"), domain.name() }, { QStringLiteral("is_local"), isLocal } },
        QStringLiteral("rcpthost %1 already exists").arg(domain.name()));
}

Status RcptHostTable::remove(const Domain &domain)
{
    return removeOne(m_db, QStringLiteral("delete_rcpthost"), { { QStringLiteral("domain"), domain.name() } },
        QStringLiteral("no rcpthost %1").arg(domain.name()));
}

Expected<QList<RcptHost>> RcptHostTable::list()
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("list_rcpthosts"));
    if (!query)
        return Expected<QList<RcptHost>>::failure(query);
    QList<RcptHost> hosts;
    while (query.value().next())
    {
        const QString name = query.value().value(1).toString();
        const Expected<Domain> domain = Domain::parse(name);
        if (!domain)
            return Expected<QList<RcptHost>>::failure(
                ErrorKind::Internal, QStringLiteral("stored rcpthost '%1' is invalid: %2").arg(name, domain.error()));
        RcptHost host;
        host.id = query.value().value(0).toLongLong();
        host.domain = domain.value();
        host.isLocal = query.value().value(2).toBool();
        hosts.append(host);
    }
    return hosts;
}

// ---- users

Status UserTable::add(const MailAddress &login, const QString &password, bool mayRelay)
{
    if (password.isEmpty())
        return Status::failure(
            ErrorKind::InvalidInput, QStringLiteral("the password of %1 is empty").arg(login.toString()));
    const QString passwordHash = PasswordHasher::hash(password);
    if (passwordHash.isEmpty())
        return Status::failure(
            ErrorKind::Internal, QStringLiteral("cannot hash the password of %1").arg(login.toString()));
    return addUnique(m_db, QStringLiteral("select_user"), QStringLiteral("insert_user"),
        {
            { QStringLiteral("login"), login.toString() },
            { QStringLiteral("password_hash"), passwordHash },
            { QStringLiteral("may_relay"), mayRelay },
            { QStringLiteral("created_at"), QDateTime::currentMSecsSinceEpoch() },
        },
        QStringLiteral("user %1 already exists").arg(login.toString()));
}

Status UserTable::remove(const MailAddress &login)
{
    return removeOne(m_db, QStringLiteral("delete_user"), { { QStringLiteral("login"), login.toString() } },
        QStringLiteral("no user %1").arg(login.toString()));
}

Status UserTable::setPassword(const MailAddress &login, const QString &password)
{
    if (password.isEmpty())
        return Status::failure(
            ErrorKind::InvalidInput, QStringLiteral("the password of %1 is empty").arg(login.toString()));
    const QString passwordHash = PasswordHasher::hash(password);
    if (passwordHash.isEmpty())
        return Status::failure(
            ErrorKind::Internal, QStringLiteral("cannot hash the password of %1").arg(login.toString()));
    return removeOne(m_db, QStringLiteral("update_user_password"),
        { { QStringLiteral("login"), login.toString() }, { QStringLiteral("password_hash"), passwordHash } },
        QStringLiteral("no user %1").arg(login.toString()));
}

Expected<QList<User>> UserTable::list()
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("list_users"));
    if (!query)
        return Expected<QList<User>>::failure(query);
    QList<User> users;
    while (query.value().next())
    {
        const Expected<User> user = userFromRow(query.value());
        if (!user)
            return Expected<QList<User>>::failure(user);
        users.append(user.value());
    }
    return users;
}

Expected<std::optional<User>> UserTable::authenticate(const QString &login, const QString &password)
{
    using Result = Expected<std::optional<User>>;
    // One answer for every refusal, so a client cannot tell which logins exist; a
    // missing user still costs one hash so timing does not tell either.
    static const QString dummyHash = PasswordHasher::hash(QStringLiteral("tmail-dummy-password"));
    const Expected<MailAddress> address = MailAddress::parse(login, true);
    if (!address)
    {
        PasswordHasher::verify(password, dummyHash);
        return Result(std::nullopt);
    }
    Expected<QSqlQuery> query
        = m_db.exec(QStringLiteral("select_user"), { { QStringLiteral("login"), address->toString() } });
    if (!query)
        return Result::failure(query);
    if (!query.value().next())
    {
        PasswordHasher::verify(password, dummyHash);
        return Result(std::nullopt);
    }
    const Expected<User> user = userFromRow(query.value());
    if (!user)
        return Result::failure(user);
    if (!PasswordHasher::verify(password, user->passwordHash))
        return Result(std::nullopt);
    return Result(user.value());
}

// ---- administrators

Status AdminTable::add(const QString &name, AdminValues::AdminRole role, const QString &password)
{
    const Expected<QString> passwordHash = hashOf(password, QStringLiteral("administrator ") + name);
    if (!passwordHash)
        return Status::failure(passwordHash);
    return addUnique(m_db, QStringLiteral("select_admin"), QStringLiteral("insert_admin"),
        {
            { QStringLiteral("name"), name },
            { QStringLiteral("role"), AdminValues::adminRoleName(role) },
            { QStringLiteral("password_hash"), passwordHash.value() },
            { QStringLiteral("created_at"), QDateTime::currentMSecsSinceEpoch() },
        },
        QStringLiteral("administrator %1 already exists").arg(name));
}

Status AdminTable::remove(const QString &name)
{
    return removeOne(m_db, QStringLiteral("delete_admin"), { { QStringLiteral("name"), name } },
        QStringLiteral("no administrator %1").arg(name));
}

Status AdminTable::setPassword(const QString &name, const QString &password)
{
    const Expected<QString> passwordHash = hashOf(password, QStringLiteral("administrator ") + name);
    if (!passwordHash)
        return Status::failure(passwordHash);
    return removeOne(m_db, QStringLiteral("update_admin_password"),
        { { QStringLiteral("name"), name }, { QStringLiteral("password_hash"), passwordHash.value() } },
        QStringLiteral("no administrator %1").arg(name));
}

Expected<QList<Admin>> AdminTable::list()
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("list_admins"));
    if (!query)
        return Expected<QList<Admin>>::failure(query);
    QList<Admin> admins;
    while (query.value().next())
    {
        const Expected<Admin> admin = adminFromRow(query.value());
        if (!admin)
            return Expected<QList<Admin>>::failure(admin);
        admins.append(admin.value());
    }
    return admins;
}

Expected<std::optional<Admin>> AdminTable::authenticate(const QString &name, const QString &password)
{
    using Result = Expected<std::optional<Admin>>;
    static const QString dummyHash = PasswordHasher::hash(QStringLiteral("tmail-dummy-password"));
    const Expected<QString> canonical = AdminValues::adminName(name);
    if (!canonical)
    {
        PasswordHasher::verify(password, dummyHash);
        return Result(std::nullopt);
    }
    Expected<QSqlQuery> query
        = m_db.exec(QStringLiteral("select_admin"), { { QStringLiteral("name"), canonical.value() } });
    if (!query)
        return Result::failure(query);
    if (!query.value().next())
    {
        PasswordHasher::verify(password, dummyHash);
        return Result(std::nullopt);
    }
    const Expected<Admin> admin = adminFromRow(query.value());
    if (!admin)
        return Result::failure(admin);
    if (!PasswordHasher::verify(password, admin->passwordHash))
        return Result(std::nullopt);
    return Result(admin.value());
}

// ---- relay IPs

Status RelayIpTable::add(const IpRange &range)
{
    return addUnique(m_db, QStringLiteral("select_relay_ip"), QStringLiteral("insert_relay_ip"),
        { { QStringLiteral("ip_range"), range.toString() } },
        QStringLiteral("relay IP %1 already exists").arg(range.toString()));
}

Status RelayIpTable::remove(const IpRange &range)
{
    return removeOne(m_db, QStringLiteral("delete_relay_ip"), { { QStringLiteral("ip_range"), range.toString() } },
        QStringLiteral("no relay IP %1").arg(range.toString()));
}

Expected<QList<RelayIp>> RelayIpTable::list()
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("list_relay_ips"));
    if (!query)
        return Expected<QList<RelayIp>>::failure(query);
    QList<RelayIp> ranges;
    while (query.value().next())
    {
        const QString text = query.value().value(1).toString();
        const Expected<IpRange> range = IpRange::parse(text);
        if (!range)
            return Expected<QList<RelayIp>>::failure(
                ErrorKind::Internal, QStringLiteral("stored relay IP '%1' is invalid: %2").arg(text, range.error()));
        RelayIp relayIp;
        relayIp.id = query.value().value(0).toLongLong();
        relayIp.range = range.value();
        ranges.append(relayIp);
    }
    return ranges;
}

// ---- routes

Expected<qint64> RouteTable::add(const Route &route)
{
    const Expected<QVariantMap> bindings = routeBindings(route);
    if (!bindings)
        return Expected<qint64>::failure(bindings);
    qint64 id = 0;
    const Status status = edit(m_db, [&]() -> Status {
        Expected<QSqlQuery> query = m_db.exec(QStringLiteral("insert_route"), bindings.value());
        if (!query)
            return Status::failure(query);
        // PostgreSQL answers with RETURNING id; sqlite and MySQL report the last insert id.
        if (query.value().isSelect() && query.value().next())
            id = query.value().value(0).toLongLong();
        else
            id = query.value().lastInsertId().toLongLong();
        if (id <= 0)
            return Status::failure(
                ErrorKind::Internal, QStringLiteral("the database did not report the new route's id"));
        return {};
    });
    if (!status)
        return Expected<qint64>::failure(status);
    return id;
}

Status RouteTable::update(const Route &route)
{
    Expected<QVariantMap> bindings = routeBindings(route);
    if (!bindings)
        return Status::failure(bindings);
    bindings.value().insert(QStringLiteral("id"), route.id);
    return removeOne(
        m_db, QStringLiteral("update_route"), bindings.value(), QStringLiteral("no route %1").arg(route.id));
}

Status RouteTable::remove(qint64 id)
{
    return removeOne(
        m_db, QStringLiteral("delete_route"), { { QStringLiteral("id"), id } }, QStringLiteral("no route %1").arg(id));
}

Expected<QList<Route>> RouteTable::list()
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("list_routes"));
    if (!query)
        return Expected<QList<Route>>::failure(query);
    QList<Route> routes;
    QSqlQuery &q = query.value();
    while (q.next())
    {
        const QString domainName = q.value(1).toString();
        const Expected<Domain> domain = Domain::parse(domainName);
        if (!domain)
            return Expected<QList<Route>>::failure(ErrorKind::Internal,
                QStringLiteral("stored route domain '%1' is invalid: %2").arg(domainName, domain.error()));
        Route route;
        route.id = q.value(0).toLongLong();
        route.recipientDomain = domain.value();
        route.senderDomain = q.value(2).toString();
        route.authUser = q.value(3).toString();
        route.remoteHost = q.value(4).toString();
        route.remotePort = quint16(q.value(5).toUInt());
        route.priority = q.value(6).toInt();
        route.localIps = q.value(7).toString();
        route.smtpUser = q.value(8).toString();
        const Expected<QString> password = SecretBox::open(q.value(9).toString());
        if (!password)
            return Expected<QList<Route>>::failure(
                password.kind(), QStringLiteral("route %1: %2").arg(route.id).arg(password.error()));
        route.smtpPassword = password.value();
        route.tls = q.value(10).toString();
        routes.append(route);
    }
    return routes;
}

Status ThrottleTable::add(const Throttle &throttle)
{
    return addUnique(m_db, QStringLiteral("select_throttle"), QStringLiteral("insert_throttle"),
        { { QStringLiteral("pattern"), throttle.pattern }, { QStringLiteral("concurrency"), throttle.concurrency },
            { QStringLiteral("rate_per_hour"), throttle.ratePerHour } },
        QStringLiteral("a throttle for %1 already exists").arg(throttle.pattern));
}

Status ThrottleTable::remove(const QString &pattern)
{
    return removeOne(m_db, QStringLiteral("delete_throttle"), { { QStringLiteral("pattern"), pattern } },
        QStringLiteral("no throttle for %1").arg(pattern));
}

Expected<QList<Throttle>> ThrottleTable::list()
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("list_throttles"));
    if (!query)
        return Expected<QList<Throttle>>::failure(query);
    QList<Throttle> throttles;
    while (query.value().next())
    {
        Throttle throttle;
        throttle.id = query.value().value(0).toLongLong();
        throttle.pattern = query.value().value(1).toString();
        throttle.concurrency = query.value().value(2).toInt();
        throttle.ratePerHour = query.value().value(3).toInt();
        throttles.append(throttle);
    }
    return throttles;
}
