// Leaving root for TMAIL_USER once the listeners are bound (the Postfix and OpenSMTPD way).
#pragma once

#include "core/expected.h"

#include <QString>
#include <QStringList>

#include <sys/types.h>

class Privileges
{
public:
    // The system account tmail switches to, looked up once at start.
    struct Account
    {
        QString name;
        uid_t uid = 0;
        gid_t gid = 0;
    };

    // Looks the name up in the system's user database (getpwnam).
    static Expected<Account> resolve(const QString &userName);

    static bool runningAsRoot();

    // initgroups, setgid, setuid (real, effective and saved ids), then checks that
    // neither root's user nor its group can be regained. A failure leaves the caller
    // in an unknown state: it must exit.
    static Status dropTo(const Account &account);

    // After the switch: every path (or, for one not made yet, its nearest existing
    // parent) must be writable by the current user; the error names each one that is not.
    static Status checkWritable(const QStringList &paths, const QString &userName);
};
