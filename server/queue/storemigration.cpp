// Moving bodies between the disk store and the database store.
#include "queue/storemigration.h"

#include "db/nodetable.h"
#include "queue/diskstore.h"

#include <QDateTime>
#include <QFile>
#include <QList>
#include <QVariant>

StoreMigration::StoreMigration(Database &db, const QString &storePath) : m_db(db), m_storePath(storePath) { }

Status StoreMigration::checkNoNodeRuns()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Expected<QList<NodeRecord>> nodes = NodeTable(m_db).list(now);
    if (!nodes)
        return Status::failure(nodes);
    for (const NodeRecord &node : nodes.value())
    {
        if (node.isLive(now))
            return Status::failure(ErrorKind::Unavailable,
                QStringLiteral("node %1 runs (last heartbeat %2 s ago): stop every tmail node before a migration")
                    .arg(node.id)
                    .arg((now - node.lastBeatAtMs) / 1000));
    }
    return {};
}

Expected<StoreMigrationResult> StoreMigration::migrateTo(const QString &to)
{
    if (to != QLatin1String("database") && to != QLatin1String("disk"))
        return Expected<StoreMigrationResult>::failure(
            ErrorKind::InvalidInput, QStringLiteral("unknown store '%1'; expected database or disk").arg(to));
    const Status prepared = DiskStore(m_storePath).prepare();
    if (!prepared)
        return Expected<StoreMigrationResult>::failure(prepared);
    struct Entry
    {
        QString id;
        QString key;
    };
    QList<Entry> entries;
    {
        Expected<QSqlQuery> query = m_db.exec(QStringLiteral("list_queue_store_keys"));
        if (!query)
            return Expected<StoreMigrationResult>::failure(query);
        while (query.value().next())
            entries.append({ query.value().value(0).toString().trimmed(), query.value().value(1).toString() });
    }
    const bool toDatabaseStore = to == QLatin1String("database");
    StoreMigrationResult result;
    for (const Entry &entry : std::as_const(entries))
    {
        if (MessageStore::isDatabaseKey(entry.key) == toDatabaseStore)
            continue; // already there
        qint64 bytes = 0;
        const Status moved = toDatabaseStore ? toDatabase(entry.id, entry.key, &bytes) : toDisk(entry.id, &bytes);
        if (!moved)
            return Expected<StoreMigrationResult>::failure(moved.kind(),
                QStringLiteral("%1 (%2 message(s), %3 bytes moved before it)")
                    .arg(moved.error())
                    .arg(result.messages)
                    .arg(result.bytes));
        ++result.messages;
        result.bytes += bytes;
    }
    return result;
}

Status StoreMigration::toDatabase(const QString &id, const QString &key, qint64 *bytes)
{
    const DiskStore disk(m_storePath);
    QFile file(disk.pathForKey(key));
    if (!file.open(QIODevice::ReadOnly))
        return Status::failure(ErrorKind::Unavailable,
            QStringLiteral("cannot read the body of %1 (%2): %3").arg(id, file.fileName(), file.errorString()));
    Expected<QSqlQuery> insert = m_db.prepare(QStringLiteral("insert_queue_body_chunk"));
    if (!insert)
        return Status::failure(insert);
    const Status moved = m_db.runInTransaction([&]() -> Status {
        // Chunks a previous, interrupted run may have left are replaced.
        const Expected<QSqlQuery> cleared
            = m_db.exec(QStringLiteral("delete_queue_body"), { { QStringLiteral("message_id"), id } });
        if (!cleared)
            return Status::failure(cleared);
        const Expected<qint64> written = MessageStore::insertChunks(m_db, insert.value(), id, file);
        if (!written)
            return Status::failure(written);
        *bytes = written.value();
        const Expected<QSqlQuery> rekeyed = m_db.exec(QStringLiteral("update_queue_store_key"),
            { { QStringLiteral("id"), id }, { QStringLiteral("store_key"), MessageStore::databaseKey() } });
        return rekeyed ? Status() : Status::failure(rekeyed);
    });
    if (!moved)
        return moved;
    file.close();
    disk.removeBody(key); // the row names the database now: the file is unreferenced
    return {};
}

Status StoreMigration::toDisk(const QString &id, qint64 *bytes)
{
    const DiskStore disk(m_storePath);
    QFile file(disk.tmpPath(id));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Status::failure(
            ErrorKind::Unavailable, QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    const Expected<qint64> written = MessageStore::readChunks(m_db, id, file);
    const bool flushed = file.flush();
    file.close();
    if (!written || !flushed)
    {
        disk.discard(id);
        return written ? Status::failure(ErrorKind::Unavailable, QStringLiteral("cannot write %1").arg(file.fileName()))
                       : Status::failure(written);
    }
    // The file is durable under its key before the row names it (fsync, rename, fsync).
    const Status durable = disk.commit({ id });
    if (!durable)
    {
        disk.discard(id);
        return durable;
    }
    *bytes = written.value();
    return m_db.runInTransaction([&]() -> Status {
        const Expected<QSqlQuery> rekeyed = m_db.exec(QStringLiteral("update_queue_store_key"),
            { { QStringLiteral("id"), id }, { QStringLiteral("store_key"), DiskStore::keyFor(id) } });
        if (!rekeyed)
            return Status::failure(rekeyed);
        const Expected<QSqlQuery> removed
            = m_db.exec(QStringLiteral("delete_queue_body"), { { QStringLiteral("message_id"), id } });
        return removed ? Status() : Status::failure(removed);
    });
}
