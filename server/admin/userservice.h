// SMTP AUTH users: list, add, remove, new password. Passwords are checked here (not
// empty, AdminValues::credential) before anything is hashed or stored.
#pragma once

#include "core/expected.h"
#include "db/records.h"

#include <QList>

class Database;

class UserService
{
public:
    explicit UserService(Database &db);

    Expected<QList<User>> list();
    // InvalidInput when the password is empty or not usable (the message reads after
    // "the password"); AlreadyExists when the login is taken.
    Status add(const MailAddress &login, const QString &password, bool mayRelay);
    Status remove(const MailAddress &login);
    Status setPassword(const MailAddress &login, const QString &password);

    // Whether password can be stored: InvalidInput with the end of a sentence otherwise.
    static Status checkPassword(const QString &password);

private:
    Database &m_db;
};
