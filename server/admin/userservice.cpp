// See userservice.h.
#include "admin/userservice.h"

#include "core/adminvalues.h"
#include "db/tables.h"

UserService::UserService(Database &db) : m_db(db) { }

Status UserService::checkPassword(const QString &password)
{
    if (password.isEmpty())
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("must not be empty"));
    return AdminValues::credential(password);
}

Expected<QList<User>> UserService::list()
{
    return UserTable(m_db).list();
}

Status UserService::add(const MailAddress &login, const QString &password, bool mayRelay)
{
    const Status usable = checkPassword(password);
    if (!usable)
        return usable;
    return UserTable(m_db).add(login, password, mayRelay);
}

Status UserService::remove(const MailAddress &login)
{
    return UserTable(m_db).remove(login);
}

Status UserService::setPassword(const MailAddress &login, const QString &password)
{
    const Status usable = checkPassword(password);
    if (!usable)
        return usable;
    return UserTable(m_db).setPassword(login, password);
}
