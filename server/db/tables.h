// One class per table (Mumble's server style): each takes an open Database and
// returns value types. Every edit bumps the change serial in the same transaction.
#pragma once

#include "core/expected.h"
#include "db/database.h"
#include "db/records.h"

#include <QList>

#include <optional>

class RcptHostTable
{
public:
    explicit RcptHostTable(Database &db) : m_db(db) { }
    Status add(const Domain &domain, bool isLocal); // fails if it already exists
    Status remove(const Domain &domain); // fails if it does not exist
    Expected<QList<RcptHost>> list();

private:
    Database &m_db;
};

class UserTable
{
public:
    explicit UserTable(Database &db) : m_db(db) { }
    Status add(const MailAddress &login, const QString &password, bool mayRelay);
    Status remove(const MailAddress &login);
    Status setPassword(const MailAddress &login, const QString &password);
    Expected<QList<User>> list();
    // The user when login exists and password matches, nullopt when not (one answer for a
    // wrong login and a wrong password, slow by design); a failure when the database did
    // not answer, which is no verdict on the client.
    Expected<std::optional<User>> authenticate(const QString &login, const QString &password);

private:
    Database &m_db;
};

class AdminTable
{
public:
    explicit AdminTable(Database &db) : m_db(db) { }
    // name and role must be valid already (AdminService checks them).
    Status add(const QString &name, AdminValues::AdminRole role, const QString &password);
    Status remove(const QString &name);
    Status setPassword(const QString &name, const QString &password);
    Expected<QList<Admin>> list();
    // The administrator when name exists and password matches, nullopt when not (one
    // answer for both, a missing name costs one hash too); a failure when the database
    // did not answer.
    Expected<std::optional<Admin>> authenticate(const QString &name, const QString &password);

private:
    Database &m_db;
};

class RelayIpTable
{
public:
    explicit RelayIpTable(Database &db) : m_db(db) { }
    Status add(const IpRange &range);
    Status remove(const IpRange &range);
    Expected<QList<RelayIp>> list();

private:
    Database &m_db;
};

class RouteTable
{
public:
    explicit RouteTable(Database &db) : m_db(db) { }
    // The route must be valid already (RouteService::check).
    Expected<qint64> add(const Route &route); // returns the new id
    Status update(const Route &route); // by route.id
    Status remove(qint64 id);
    Expected<QList<Route>> list(); // ordered by domain, priority, id
private:
    Database &m_db;
};

class ThrottleTable
{
public:
    explicit ThrottleTable(Database &db) : m_db(db) { }
    Status add(const Throttle &throttle); // fails if one has that pattern already
    Status remove(const QString &pattern); // fails if none has it
    Expected<QList<Throttle>> list(); // by pattern

private:
    Database &m_db;
};
