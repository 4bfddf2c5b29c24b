// Durable placement of message bodies with POSIX fdatasync/rename/fsync.
#include "queue/diskstore.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSet>

namespace {

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// fsync (or fdatasync) of a file or directory by path.
Status syncPath(const QString &path, bool dataOnly)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
    {
        return Status::failure(QStringLiteral("cannot open %1: %2").arg(path, errnoText()));
    }
    const int rc = dataOnly ? ::fdatasync(fd) : ::fsync(fd);
    const QString error = rc != 0 ? errnoText() : QString();
    ::close(fd);
    if (rc != 0)
    {
        return Status::failure(QStringLiteral("cannot sync %1: %2").arg(path, error));
    }
    return {};
}

} // namespace

DiskStore::DiskStore(const QString &basePath)
    : m_basePath(basePath)
{
}

Status DiskStore::prepare() const
{
    if (!QDir().mkpath(m_basePath + QStringLiteral("/tmp")))
    {
        return Status::failure(QStringLiteral("cannot create the store directory %1/tmp").arg(m_basePath));
    }
    return {};
}

QString DiskStore::newId()
{
    quint32 words[5];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex());
}

QString DiskStore::tmpPath(const QString &id) const
{
    return m_basePath + QStringLiteral("/tmp/") + id;
}

QString DiskStore::keyFor(const QString &id)
{
    return id.left(2) + QLatin1Char('/') + id;
}

QString DiskStore::pathForKey(const QString &key) const
{
    return m_basePath + QLatin1Char('/') + key;
}

Status DiskStore::commit(const QStringList &ids) const
{
    QSet<QString> touchedDirectories;
    for (const QString &id : ids)
    {
        const Status synced = syncPath(tmpPath(id), true);
        if (!synced)
        {
            return synced;
        }
        const QString directory = m_basePath + QLatin1Char('/') + id.left(2);
        if (!QFile::exists(directory))
        {
            if (!QDir().mkpath(directory))
            {
                return Status::failure(QStringLiteral("cannot create %1").arg(directory));
            }
            touchedDirectories.insert(m_basePath); // the new directory's own entry
        }
        const QByteArray from = QFile::encodeName(tmpPath(id));
        const QByteArray to = QFile::encodeName(pathForKey(keyFor(id)));
        if (::rename(from.constData(), to.constData()) != 0)
        {
            return Status::failure(QStringLiteral("cannot move %1 into the store: %2").arg(id, errnoText()));
        }
        touchedDirectories.insert(directory);
        touchedDirectories.insert(m_basePath + QStringLiteral("/tmp"));
    }
    for (const QString &directory : std::as_const(touchedDirectories))
    {
        const Status synced = syncPath(directory, false);
        if (!synced)
        {
            return synced;
        }
    }
    return {};
}

void DiskStore::discard(const QString &id) const
{
    QFile::remove(tmpPath(id));
    QFile::remove(pathForKey(keyFor(id)));
}
