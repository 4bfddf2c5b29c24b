// Durable placement of message bodies with POSIX fdatasync/rename/fsync.
#include "queue/diskstore.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include "db/queuetable.h"
#include "log/logger.h"
#include "metrics/metrics.h"

namespace {

// QueueTable::newId(): 12 digits of time, then the random ones.
constexpr qsizetype RandomDigitsAt = 12;

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
        return Status::failure(ErrorKind::Unavailable, QStringLiteral("cannot open %1: %2").arg(path, errnoText()));
    }
    const int rc = dataOnly ? ::fdatasync(fd) : ::fsync(fd);
    const QString error = rc != 0 ? errnoText() : QString();
    ::close(fd);
    if (rc != 0)
    {
        return Status::failure(ErrorKind::Unavailable, QStringLiteral("cannot sync %1: %2").arg(path, error));
    }
    return {};
}

struct SyncTarget
{
    QString path;
    bool dataOnly = true;
};

// Syncs every target, several at once: the block layer merges the cache flushes of
// syncs that are in flight together (as it does for Postfix's parallel processes),
// where one sync after the other pays one flush each.
Status syncAll(const QList<SyncTarget> &targets)
{
    constexpr qsizetype MaxParallelSyncs = 16;
    const qsizetype threads = std::min(targets.size(), MaxParallelSyncs);
    if (threads <= 1)
    {
        for (const SyncTarget &target : targets)
        {
            const Status synced = syncPath(target.path, target.dataOnly);
            if (!synced)
            {
                return synced;
            }
        }
        return {};
    }
    std::atomic<qsizetype> next { 0 };
    QList<Status> results(targets.size());
    std::vector<std::thread> pool;
    pool.reserve(size_t(threads));
    for (qsizetype i = 0; i < threads; ++i)
    {
        pool.emplace_back([&]() {
            for (qsizetype index = next++; index < targets.size(); index = next++)
            {
                results[index] = syncPath(targets.at(index).path, targets.at(index).dataOnly);
            }
        });
    }
    for (std::thread &thread : pool)
    {
        thread.join();
    }
    for (const Status &result : std::as_const(results))
    {
        if (!result)
        {
            return result;
        }
    }
    return {};
}

} // namespace

DiskStore::DiskStore(const QString &basePath) : MessageStore(basePath) { }

QString DiskStore::driver() const
{
    return QStringLiteral("disk");
}

QString DiskStore::storeKeyFor(const QString &id) const
{
    return keyFor(id);
}

Status DiskStore::makeDurable(const QStringList &ids) const
{
    return commit(ids);
}

Status DiskStore::insert(Database &db, QList<QueuedMessage> batch) const
{
    for (QueuedMessage &message : batch)
        message.storeKey = keyFor(message.id);
    return QueueTable(db).enqueue(batch);
}

QString DiskStore::newId()
{
    return QueueTable::newId();
}

QString DiskStore::keyFor(const QString &id)
{
    // Ids start with their time: the first random digits spread them evenly.
    return id.mid(RandomDigitsAt, 2) + QLatin1Char('/') + id;
}

QString DiskStore::pathForKey(const QString &key) const
{
    return m_basePath + QLatin1Char('/') + key;
}

QList<DiskStore::StoredFile> DiskStore::filesWrittenBefore(qint64 cutoffMs) const
{
    QList<StoredFile> files;
    const QDir base(m_basePath);
    const QStringList directories = base.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks);
    for (const QString &directory : directories)
    {
        if (directory == QLatin1String("work"))
            continue; // working copies of database bodies (MessageStore::clearWorkingCopies)
        const QFileInfoList entries = QDir(base.filePath(directory)).entryInfoList(QDir::Files | QDir::NoSymLinks);
        for (const QFileInfo &entry : entries)
        {
            const QString id = entry.fileName();
            if (!QueueTable::isValidId(id) || entry.lastModified().toMSecsSinceEpoch() >= cutoffMs)
            {
                continue;
            }
            files.append({ directory + QLatin1Char('/') + id, id, directory == QLatin1String("tmp") });
        }
    }
    return files;
}

Status DiskStore::commit(const QStringList &ids) const
{
    const Status status = moveAndSync(ids);
    if (!status)
        Metrics::instance().countStoreError(Metrics::StoreOperation::Write);
    return status;
}

Status DiskStore::moveAndSync(const QStringList &ids) const
{
    // Start the write-back of every body first, move them all, then sync bodies and
    // directories together (see syncAll). A crash before the syncs end leaves at most
    // unreferenced files: no queue row exists yet.
    for (const QString &id : ids)
    {
        const QByteArray native = QFile::encodeName(tmpPath(id));
        const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
        {
            return Status::failure(
                ErrorKind::Unavailable, QStringLiteral("cannot open %1: %2").arg(tmpPath(id), errnoText()));
        }
        ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        ::close(fd);
    }
    QSet<QString> touchedDirectories;
    for (const QString &id : ids)
    {
        const QString key = keyFor(id);
        const QString directory = pathForKey(key.left(key.lastIndexOf(QLatin1Char('/'))));
        if (!QFile::exists(directory))
        {
            if (!QDir().mkpath(directory))
            {
                return Status::failure(ErrorKind::Unavailable, QStringLiteral("cannot create %1").arg(directory));
            }
            touchedDirectories.insert(m_basePath); // the new directory's own entry
        }
        const QByteArray from = QFile::encodeName(tmpPath(id));
        const QByteArray to = QFile::encodeName(pathForKey(key));
        if (::rename(from.constData(), to.constData()) != 0)
        {
            return Status::failure(
                ErrorKind::Unavailable, QStringLiteral("cannot move %1 into the store: %2").arg(id, errnoText()));
        }
        touchedDirectories.insert(directory);
    }
    QList<SyncTarget> targets;
    targets.reserve(ids.size() + touchedDirectories.size());
    for (const QString &id : ids)
    {
        targets.append({ pathForKey(keyFor(id)), true });
    }
    for (const QString &directory : std::as_const(touchedDirectories))
    {
        targets.append({ directory, false });
    }
    return syncAll(targets);
}

void DiskStore::removeBody(const QString &key) const
{
    if (key.isEmpty() || isDatabaseKey(key))
        return; // a database body goes with its row
    const QByteArray path = QFile::encodeName(pathForKey(key));
    if (::unlink(path.constData()) != 0 && errno != ENOENT)
    {
        Metrics::instance().countStoreError(Metrics::StoreOperation::Remove);
        qCWarning(lcDeliverd).noquote() << "cannot remove the body" << pathForKey(key) << ":" << errnoText();
    }
}
