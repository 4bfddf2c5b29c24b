// Administrators of the remote manager: list, add, remove, new password. Names, roles and
// passwords are checked here (AdminValues) before anything is hashed or stored.
#pragma once

#include "core/adminvalues.h"
#include "core/expected.h"
#include "db/records.h"

#include <QList>

#include <optional>

class Database;

class AdminService
{
public:
    explicit AdminService(Database &db);

    Expected<QList<Admin>> list();
    // InvalidInput when the name or the password is not usable; AlreadyExists when the
    // name is taken.
    Status add(const QString &name, AdminValues::AdminRole role, const QString &password);
    Status remove(const QString &name);
    Status setPassword(const QString &name, const QString &password);
    // The administrator when name and password match (slow by design: PBKDF2), nullopt
    // when they do not.
    Expected<std::optional<Admin>> authenticate(const QString &name, const QString &password);

private:
    Database &m_db;
};
