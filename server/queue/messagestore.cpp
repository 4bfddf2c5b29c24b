// What both stores share: the spool of receptions, reading a body back by its key
// (either store reads both kinds of key, so a store switched without a migration still
// delivers what was queued before), and the chunks of bodies kept in the database.
#include "queue/messagestore.h"

#include "queue/databasestore.h"
#include "queue/diskstore.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QVariant>

namespace {

const QString &workDirectory()
{
    static const QString name = QStringLiteral("work");
    return name;
}

} // namespace

MessageStore::MessageStore(const QString &basePath) : m_basePath(basePath) { }

std::unique_ptr<MessageStore> MessageStore::create(const QString &driver, const QString &basePath)
{
    if (driver == QLatin1String("database"))
        return std::make_unique<DatabaseStore>(basePath);
    return std::make_unique<DiskStore>(basePath);
}

QString MessageStore::databaseKey()
{
    return QStringLiteral("database");
}

bool MessageStore::isDatabaseKey(const QString &key)
{
    return key == databaseKey();
}

Status MessageStore::prepare() const
{
    for (const QString &directory : { QStringLiteral("tmp"), workDirectory() })
    {
        if (!QDir().mkpath(m_basePath + QLatin1Char('/') + directory))
            return Status::failure(ErrorKind::Unavailable,
                QStringLiteral("cannot create the store directory %1/%2").arg(m_basePath, directory));
    }
    return {};
}

QString MessageStore::tmpPath(const QString &id) const
{
    return m_basePath + QStringLiteral("/tmp/") + id;
}

QString MessageStore::workPath(const QString &id) const
{
    return m_basePath + QLatin1Char('/') + workDirectory() + QLatin1Char('/') + id;
}

void MessageStore::discard(const QString &id) const
{
    QFile::remove(tmpPath(id));
    QFile::remove(m_basePath + QLatin1Char('/') + DiskStore::keyFor(id));
}

QString MessageStore::bodyPath(const QueuedMessage &message) const
{
    if (isDatabaseKey(message.storeKey))
        return workPath(message.id);
    return m_basePath + QLatin1Char('/') + message.storeKey;
}

Status MessageStore::fetchBody(Database &db, const QueuedMessage &message) const
{
    if (!isDatabaseKey(message.storeKey))
        return {};
    // A working copy is rewritten whole from the database after a crash (start clears
    // them): no fsync, it lives in the page cache for the length of the attempt.
    QFile copy(workPath(message.id));
    if (!copy.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Status::failure(
            ErrorKind::Unavailable, QStringLiteral("cannot write %1: %2").arg(copy.fileName(), copy.errorString()));
    const Expected<qint64> written = readChunks(db, message.id, copy);
    const bool flushed = copy.flush();
    copy.close();
    if (!written || !flushed || written.value() != message.sizeBytes)
    {
        QFile::remove(copy.fileName());
        if (!written)
            return Status::failure(written);
        if (!flushed)
            return Status::failure(ErrorKind::Unavailable, QStringLiteral("cannot write %1").arg(copy.fileName()));
        return Status::failure(ErrorKind::Unavailable,
            QStringLiteral("the body of %1 in the database has %2 bytes, not %3")
                .arg(message.id)
                .arg(written.value())
                .arg(message.sizeBytes));
    }
    return {};
}

void MessageStore::releaseBody(const QString &id) const
{
    QFile::remove(workPath(id));
}

void MessageStore::clearWorkingCopies() const
{
    QDir work(m_basePath + QLatin1Char('/') + workDirectory());
    for (const QString &name : work.entryList(QDir::Files | QDir::NoDotAndDotDot))
        work.remove(name);
}

Expected<QByteArray> MessageStore::readHead(Database &db, const QueuedMessage &message, qint64 maxBytes) const
{
    if (isDatabaseKey(message.storeKey))
    {
        QByteArray head;
        QBuffer buffer(&head);
        buffer.open(QIODevice::WriteOnly);
        const Expected<qint64> read = readChunks(db, message.id, buffer, maxBytes);
        if (!read)
            return Expected<QByteArray>::failure(read);
        return head;
    }
    QFile file(bodyPath(message));
    if (!file.open(QIODevice::ReadOnly))
        return Expected<QByteArray>::failure(
            ErrorKind::Unavailable, QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
    return maxBytes < 0 ? file.readAll() : file.read(maxBytes);
}

Expected<qint64> MessageStore::insertChunks(Database &db, QSqlQuery &insert, const QString &id, QIODevice &source)
{
    qint64 total = 0;
    // An empty body still gets its chunk 0, so that "no chunk" always means "no body".
    for (int chunk = 0;; ++chunk)
    {
        const QByteArray data = source.read(ChunkBytes);
        if (data.isEmpty() && chunk > 0)
        {
            if (!source.atEnd())
                return Expected<qint64>::failure(ErrorKind::Unavailable,
                    QStringLiteral("cannot read the body of %1: %2").arg(id, source.errorString()));
            break;
        }
        const Status inserted = db.execPrepared(insert, QStringLiteral("insert_queue_body_chunk"),
            { { QStringLiteral("message_id"), id }, { QStringLiteral("chunk"), chunk },
                { QStringLiteral("data"), data } });
        if (!inserted)
            return Expected<qint64>::failure(inserted);
        total += data.size();
        if (data.size() < ChunkBytes)
            break;
    }
    return total;
}

Expected<qint64> MessageStore::readChunks(Database &db, const QString &id, QIODevice &target, qint64 maxBytes)
{
    // One chunk per statement: never more than ChunkBytes in the client's memory.
    Expected<QSqlQuery> select = db.prepare(QStringLiteral("select_queue_body_chunk"));
    if (!select)
        return Expected<qint64>::failure(select);
    qint64 total = 0;
    for (int chunk = 0; maxBytes < 0 || total < maxBytes; ++chunk)
    {
        const Status run = db.execPrepared(select.value(), QStringLiteral("select_queue_body_chunk"),
            { { QStringLiteral("message_id"), id }, { QStringLiteral("chunk"), chunk } });
        if (!run)
            return Expected<qint64>::failure(run);
        if (!select.value().next())
        {
            if (chunk == 0)
                return Expected<qint64>::failure(
                    ErrorKind::NotFound, QStringLiteral("the database holds no body for message %1").arg(id));
            break;
        }
        QByteArray data = select.value().value(0).toByteArray();
        select.value().finish();
        if (maxBytes >= 0 && total + data.size() > maxBytes)
            data.truncate(maxBytes - total);
        if (target.write(data) != data.size())
            return Expected<qint64>::failure(ErrorKind::Unavailable,
                QStringLiteral("cannot write the body of %1: %2").arg(id, target.errorString()));
        total += data.size();
        if (data.size() < ChunkBytes)
            break;
    }
    return total;
}
