// The disk store of message bodies (TMAIL_STORE_DRIVER=disk): STORE/tmp/ID while a
// message is received, STORE/XX/ID once queued (XX: the first two random hex digits of
// ID, after its 12 digits of time; each message's key is recorded in the queue).
#pragma once

#include "core/expected.h"
#include "queue/messagestore.h"

#include <QString>
#include <QStringList>

class DiskStore : public MessageStore
{
public:
    explicit DiskStore(const QString &basePath);

    // A new message id (QueueTable::newId()).
    static QString newId();

    // The key recorded in the queue ("XX/ID") and the file it names.
    static QString keyFor(const QString &id);
    QString pathForKey(const QString &key) const;

    QString driver() const override;
    QString storeKeyFor(const QString &id) const override;
    // commit(ids).
    Status makeDurable(const QStringList &ids) const override;
    Status insert(Database &db, QList<QueuedMessage> batch) const override;

    // Makes the received files of ids durable under their keys: fdatasync of each file,
    // rename from tmp/, then one fsync per touched directory. Blocking: call it from a
    // worker thread. On failure some files may have moved: call discard() for all ids.
    Status commit(const QStringList &ids) const;

    // Removes the body stored under key (one unlink; blocking on a discard-mounted disk:
    // BodyRemover calls it on a pool of threads). The queue row must be gone already.
    void removeBody(const QString &key) const;

    // The message files (named by a valid id) last written before cutoffMs: in tmp/ (a
    // reception that never ended) or under a key. Files of other names are left alone.
    struct StoredFile
    {
        QString key; // "tmp/ID" or "XX/ID", for pathForKey()
        QString id;
        bool received = false; // under tmp/
    };
    QList<StoredFile> filesWrittenBefore(qint64 cutoffMs) const;

private:
    Status moveAndSync(const QStringList &ids) const;
};
