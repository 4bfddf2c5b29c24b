// Where the bodies of queued messages live, behind one interface (TMAIL_STORE_DRIVER):
// DiskStore keeps one file per message, DatabaseStore keeps them in the queue's database.
// Both receive into the spool STORE/tmp/ID; what differs is how a batch of received
// messages is made durable with its queue rows, and where a body is read back from.
#pragma once

#include "core/expected.h"
#include "db/database.h"
#include "db/queuetable.h"

#include <memory>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

class QIODevice;

class MessageStore
{
public:
    explicit MessageStore(const QString &basePath);
    virtual ~MessageStore() = default;

    // The store of a driver ("disk" or "database"); basePath is TMAIL_STORE_SOURCE.
    static std::unique_ptr<MessageStore> create(const QString &driver, const QString &basePath);

    // The storeKey of a body kept in the database (a disk key is "XX/ID").
    static QString databaseKey();
    static bool isDatabaseKey(const QString &key);

    virtual QString driver() const = 0;
    // The key under which this store keeps the body of a new message.
    virtual QString storeKeyFor(const QString &id) const = 0;
    // Creates STORE/tmp (the spool of receptions) and STORE/work.
    Status prepare() const;
    // Where a reception writes the body of message id.
    QString tmpPath(const QString &id) const;

    // Makes every received body of batch (tmpPath(id)) durable outside the database
    // transaction: the disk store syncs and renames the files here; blocking, and
    // called without the database write lock.
    virtual Status makeDurable(const QStringList &ids) const = 0;
    // Then writes the queue rows of batch (and, for the database store, the bodies) in
    // one transaction. Each message's storeKey is set here. On success the spool files
    // are gone (or renamed); on failure call discard() for every id.
    virtual Status insert(Database &db, QList<QueuedMessage> batch) const = 0;
    // Removes whatever a failed batch left of message id: its spool file, its disk file.
    void discard(const QString &id) const;

    // Where deliverd reads the body of message from: its disk file, or for a database
    // key the working copy fetchBody() writes (STORE/work/ID).
    QString bodyPath(const QueuedMessage &message) const;
    // Makes bodyPath(message) readable: a copy of the chunks of a database key (no sync:
    // the database holds the body), nothing for a disk key. releaseBody() removes it.
    Status fetchBody(Database &db, const QueuedMessage &message) const;
    void releaseBody(const QString &id) const;
    // Removes every working copy (at start and stop: the claims they served are gone).
    void clearWorkingCopies() const;
    // The first maxBytes (at most; < 0: all) of the body: notices quote the original
    // headers, or return the whole message.
    Expected<QByteArray> readHead(Database &db, const QueuedMessage &message, qint64 maxBytes) const;

    // The chunks of a body in the database, at most ChunkBytes each: half of the 1 MiB a
    // MariaDB max_allowed_packet is commonly set to at the least (16 MiB by default), so
    // a statement never exceeds it, whatever the body's size.
    static constexpr qint64 ChunkBytes = 512 * 1024;
    // Inserts the body read from source as chunks of message id (inside the caller's
    // transaction; the queue_messages row must exist). Returns the bytes written.
    static Expected<qint64> insertChunks(Database &db, QSqlQuery &insert, const QString &id, QIODevice &source);
    // Writes the chunks of message id to target, up to maxBytes (< 0: all). Returns the bytes written.
    static Expected<qint64> readChunks(Database &db, const QString &id, QIODevice &target, qint64 maxBytes = -1);

    const QString &basePath() const { return m_basePath; }

protected:
    QString workPath(const QString &id) const;

    QString m_basePath;
};
