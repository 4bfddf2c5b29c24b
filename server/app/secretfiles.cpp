// umask and the start-up check of the modes of secret-holding files (POSIX).
#include "app/secretfiles.h"

#include <QFile>

#include <sys/stat.h>
#include <unistd.h>

void SecretFiles::restrictNewFiles()
{
    ::umask(S_IRWXG | S_IRWXO);
}

QStringList SecretFiles::exposedWarnings(const QStringList &paths)
{
    QStringList warnings;
    for (const QString &path : paths)
    {
        if (path.isEmpty())
            continue;
        struct stat info = {};
        if (::stat(QFile::encodeName(path).constData(), &info) != 0 || !S_ISREG(info.st_mode))
            continue;
        const bool worldReadable = (info.st_mode & S_IROTH) != 0;
        const bool foreignGroup = (info.st_mode & S_IRGRP) != 0 && info.st_gid != ::getegid();
        if (!worldReadable && !foreignGroup)
            continue;
        warnings.append(
            QStringLiteral("%1 holds secrets and is readable by %2 (mode %3); run: chmod 600 %1")
                .arg(path, worldReadable ? QStringLiteral("every user") : QStringLiteral("group %1").arg(info.st_gid))
                .arg(info.st_mode & 0777, 4, 8, QLatin1Char('0')));
    }
    return warnings;
}
