// Group commit of accepted messages: one fsync per directory and one database
// transaction shared by every session that finished DATA at the same moment.
#include "queue/queuewriter.h"

#include "log/logger.h"

#include <QMetaObject>
#include <QMutexLocker>
#include <QStringList>

QueueWriter::QueueWriter(
    const DbSource &source, const QString &storeDriver, const QString &storePath, const QString &connectionName)
    : m_source(source), m_connectionName(connectionName), m_store(MessageStore::create(storeDriver, storePath))
{ }

QueueWriter::~QueueWriter() = default;

Status QueueWriter::open()
{
    const Status prepared = m_store->prepare();
    if (!prepared)
    {
        return prepared;
    }
    Expected<Database> opened = Database::open(m_source, m_connectionName);
    if (!opened)
    {
        return Status::failure(opened);
    }
    m_db.emplace(std::move(opened).value());
    return {};
}

void QueueWriter::close()
{
    m_db.reset();
}

void QueueWriter::submit(const QueuedMessage &message)
{
    QMutexLocker locker(&m_mutex);
    m_pending.append(message);
    if (!m_flushScheduled)
    {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &QueueWriter::flush, Qt::QueuedConnection);
    }
}

qint64 QueueWriter::messagesWritten() const
{
    QMutexLocker locker(&m_mutex);
    return m_messagesWritten;
}

qint64 QueueWriter::batchesWritten() const
{
    QMutexLocker locker(&m_mutex);
    return m_batchesWritten;
}

QMutex &QueueWriter::databaseWriteLock()
{
    static QMutex lock;
    return lock;
}

void QueueWriter::flush()
{
    QList<QueuedMessage> batch;
    {
        QMutexLocker locker(&m_mutex);
        batch.swap(m_pending);
        m_flushScheduled = false;
    }
    if (batch.isEmpty())
    {
        return;
    }
    QStringList ids;
    ids.reserve(batch.size());
    for (const QueuedMessage &message : std::as_const(batch))
    {
        ids.append(message.id);
    }

    if (!m_db)
    {
        // The last batch failed on the database (its server may have restarted: QtSql
        // does not reconnect by itself): try a fresh connection.
        Expected<Database> reopened = Database::open(m_source, m_connectionName);
        if (reopened)
        {
            m_db.emplace(std::move(reopened).value());
        }
    }
    Status status = m_db ? m_store->makeDurable(ids)
                         : Status::failure(ErrorKind::Unavailable, QStringLiteral("the queue database is closed"));
    bool databaseFailed = false;
    if (status)
    {
        QMutexLocker writeLocker(&databaseWriteLock());
        status = m_store->insert(*m_db, batch);
        databaseFailed = !status;
    }
    if (!status)
    {
        qCWarning(lcSmtpd).noquote() << "queue write failed for" << batch.size() << "message(s):" << status.error();
        for (const QString &id : std::as_const(ids))
        {
            m_store->discard(id);
        }
        if (databaseFailed)
        {
            m_db.reset();
        }
    }
    else
    {
        QMutexLocker locker(&m_mutex);
        m_messagesWritten += batch.size();
        ++m_batchesWritten;
    }
    for (const QString &id : std::as_const(ids))
    {
        emit messageFinished(id, status.ok(), status.error());
    }
}
