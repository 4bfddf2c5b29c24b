// See adminservice.h.
#include "admin/adminservice.h"

#include "db/tables.h"

AdminService::AdminService(Database &db) : m_db(db) { }

Expected<QList<Admin>> AdminService::list()
{
    return AdminTable(m_db).list();
}

Status AdminService::add(const QString &name, AdminValues::AdminRole role, const QString &password)
{
    const Expected<QString> canonical = AdminValues::adminName(name);
    if (!canonical)
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("the name %1").arg(canonical.error()));
    const Status usable = AdminValues::adminPassword(password);
    if (!usable)
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("the password %1").arg(usable.error()));
    return AdminTable(m_db).add(canonical.value(), role, password);
}

Status AdminService::remove(const QString &name)
{
    const Expected<QString> canonical = AdminValues::adminName(name);
    if (!canonical)
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("the name %1").arg(canonical.error()));
    return AdminTable(m_db).remove(canonical.value());
}

Status AdminService::setPassword(const QString &name, const QString &password)
{
    const Expected<QString> canonical = AdminValues::adminName(name);
    if (!canonical)
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("the name %1").arg(canonical.error()));
    const Status usable = AdminValues::adminPassword(password);
    if (!usable)
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("the password %1").arg(usable.error()));
    return AdminTable(m_db).setPassword(canonical.value(), password);
}

Expected<std::optional<Admin>> AdminService::authenticate(const QString &name, const QString &password)
{
    return AdminTable(m_db).authenticate(name, password);
}
