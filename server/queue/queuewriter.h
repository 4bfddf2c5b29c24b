// The worker that makes received messages durable: it takes every message waiting
// at that moment as one batch, has the store make their bodies durable (disk: file
// syncs; database: chunks in the same transaction), writes their queue records in one
// transaction, and answers each session through a queued signal.
#pragma once

#include "config/dbsource.h"
#include "core/expected.h"
#include "db/database.h"
#include "db/queuetable.h"
#include "queue/messagestore.h"

#include <memory>
#include <optional>

#include <QList>
#include <QMutex>
#include <QObject>

class QueueWriter : public QObject
{
    Q_OBJECT
public:
    // storeDriver and storePath: TMAIL_STORE_DRIVER and TMAIL_STORE_SOURCE.
    QueueWriter(
        const DbSource &source, const QString &storeDriver, const QString &storePath, const QString &connectionName);
    ~QueueWriter() override;

    // Open and close the database connection; call them in the worker's thread
    // (Smtpd does it with a blocking queued call).
    Status open();
    void close();

    // Thread-safe. message.id names the body in STORE/tmp/; storeKey must be set.
    // The answer comes later as messageFinished(id, …).
    void submit(const QueuedMessage &message);

    // Messages written so far and batches (database commits) used for them.
    qint64 messagesWritten() const;
    qint64 batchesWritten() const;

    // Taken around every write transaction on the queue tables inside this process
    // (this writer, deliverd): they then wait on each other here, woken at once,
    // instead of in sqlite's busy handler, which sleeps 1 to 100 ms between tries.
    static QMutex &databaseWriteLock();

signals:
    void messageFinished(const QString &id, bool ok, const QString &error);

private:
    void flush();

    DbSource m_source;
    QString m_connectionName;
    std::unique_ptr<MessageStore> m_store;
    std::optional<Database> m_db;

    mutable QMutex m_mutex;
    QList<QueuedMessage> m_pending;
    bool m_flushScheduled = false;
    qint64 m_messagesWritten = 0;
    qint64 m_batchesWritten = 0;
};
