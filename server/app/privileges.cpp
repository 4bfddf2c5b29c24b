// getpwnam/initgroups/setgid/setuid with the checks that make the switch final.
#include "app/privileges.h"

#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace {

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

Expected<Privileges::Account> Privileges::resolve(const QString &userName)
{
    errno = 0;
    const QByteArray name = userName.toLocal8Bit();
    const struct passwd *entry = ::getpwnam(name.constData());
    if (!entry)
    {
        const QString reason = errno != 0 ? QStringLiteral(" (%1)").arg(systemError()) : QString();
        return Expected<Account>::failure(ErrorKind::PermissionDenied,
            QStringLiteral("TMAIL_USER: unknown user '%1'%2; create it (useradd --system --no-create-home tmail) "
                           "or leave TMAIL_USER empty")
                .arg(userName, reason));
    }
    Account account;
    account.name = userName;
    account.uid = entry->pw_uid;
    account.gid = entry->pw_gid;
    return account;
}

bool Privileges::runningAsRoot()
{
    return ::geteuid() == 0;
}

Status Privileges::dropTo(const Account &account)
{
    const QByteArray name = account.name.toLocal8Bit();
    // Groups first: once the user id changes, the group ids can no longer be changed.
    if (::initgroups(name.constData(), account.gid) != 0)
    {
        return Status::failure(ErrorKind::PermissionDenied,
            QStringLiteral("cannot set the groups of %1: %2").arg(account.name, systemError()));
    }
    if (::setresgid(account.gid, account.gid, account.gid) != 0)
    {
        return Status::failure(ErrorKind::PermissionDenied,
            QStringLiteral("cannot switch to group %1: %2").arg(account.gid).arg(systemError()));
    }
    // glibc applies this to every thread of the process (its setxid broadcast).
    if (::setresuid(account.uid, account.uid, account.uid) != 0)
    {
        return Status::failure(ErrorKind::PermissionDenied,
            QStringLiteral("cannot switch to user %1: %2").arg(account.name, systemError()));
    }
    uid_t ruid = 0, euid = 0, suid = 0;
    gid_t rgid = 0, egid = 0, sgid = 0;
    if (::getresuid(&ruid, &euid, &suid) != 0 || ::getresgid(&rgid, &egid, &sgid) != 0 || ruid != account.uid
        || euid != account.uid || suid != account.uid || rgid != account.gid || egid != account.gid
        || sgid != account.gid)
    {
        return Status::failure(
            ErrorKind::PermissionDenied, QStringLiteral("the switch to user %1 did not take effect").arg(account.name));
    }
    // Unless the target is root itself, getting root back must be impossible.
    if (account.uid != 0 && (::setuid(0) == 0 || ::seteuid(0) == 0))
    {
        return Status::failure(ErrorKind::PermissionDenied,
            QStringLiteral("after switching to %1, root could be regained; refusing to run").arg(account.name));
    }
    if (account.gid != 0 && (::setgid(0) == 0 || ::setegid(0) == 0))
    {
        return Status::failure(ErrorKind::PermissionDenied,
            QStringLiteral("after switching to %1, group root could be regained; refusing to run").arg(account.name));
    }
    return {};
}

Status Privileges::checkWritable(const QStringList &paths, const QString &userName)
{
    QStringList refused;
    for (const QString &path : paths)
    {
        if (path.isEmpty())
        {
            continue;
        }
        // A file or directory tmail will create must have a writable parent.
        QFileInfo existing(path);
        while (!existing.exists() && existing.absolutePath() != existing.absoluteFilePath())
        {
            existing = QFileInfo(existing.absolutePath());
        }
        const QByteArray native = existing.absoluteFilePath().toLocal8Bit();
        if (::access(native.constData(), W_OK) != 0)
        {
            refused.append(path);
        }
    }
    if (refused.isEmpty())
    {
        return {};
    }
    return Status::failure(ErrorKind::PermissionDenied,
        QStringLiteral("user %1 cannot write %2; give it to that user (chown -R %1 …)")
            .arg(userName, refused.join(QStringLiteral(", "))));
}
