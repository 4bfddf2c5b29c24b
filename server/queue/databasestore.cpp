// Bodies and queue rows in one transaction: a crash leaves either both or neither.
#include "queue/databasestore.h"

#include <memory>
#include <vector>

#include <QFile>

DatabaseStore::DatabaseStore(const QString &basePath) : MessageStore(basePath) { }

QString DatabaseStore::driver() const
{
    return QStringLiteral("database");
}

QString DatabaseStore::storeKeyFor(const QString &id) const
{
    Q_UNUSED(id);
    return databaseKey();
}

Status DatabaseStore::makeDurable(const QStringList &ids) const
{
    Q_UNUSED(ids);
    return {};
}

Status DatabaseStore::insert(Database &db, QList<QueuedMessage> batch) const
{
    // Every spool file is opened before the transaction: a missing one fails the batch
    // before the database is touched. The size recorded is the one stored.
    std::vector<std::unique_ptr<QFile>> files;
    files.reserve(size_t(batch.size()));
    for (QueuedMessage &message : batch)
    {
        auto file = std::make_unique<QFile>(tmpPath(message.id));
        if (!file->open(QIODevice::ReadOnly))
            return Status::failure(ErrorKind::Unavailable,
                QStringLiteral("cannot read %1: %2").arg(file->fileName(), file->errorString()));
        message.storeKey = storeKeyFor(message.id);
        message.sizeBytes = file->size();
        files.push_back(std::move(file));
    }
    // Prepared before the transaction, as QueueTable::enqueue does with its own.
    Expected<QSqlQuery> insertChunk = db.prepare(QStringLiteral("insert_queue_body_chunk"));
    if (!insertChunk)
        return Status::failure(insertChunk);
    qsizetype next = 0;
    const Status queued = QueueTable(db).enqueue(batch, [&](const QueuedMessage &message) -> Status {
        QFile &file = *files.at(size_t(next++));
        file.seek(0); // the transaction may be tried again from the start
        const Expected<qint64> written = insertChunks(db, insertChunk.value(), message.id, file);
        if (!written)
            return Status::failure(written);
        if (written.value() != message.sizeBytes)
            return Status::failure(ErrorKind::Unavailable,
                QStringLiteral("the spool file of %1 changed while it was stored").arg(message.id));
        return {};
    });
    if (!queued)
        return queued;
    for (const QueuedMessage &message : std::as_const(batch))
        QFile::remove(tmpPath(message.id));
    return {};
}
