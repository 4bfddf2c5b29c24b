// See queueactions.h.
#include "queue/queueactions.h"

#include "core/adminvalues.h"
#include "queue/bouncer.h"
#include "queue/diskstore.h"

QueueActions::QueueActions(Database &db, const Config &config) : m_db(db), m_config(config) { }

Expected<QList<QueuedMessage>> QueueActions::list(int offset, int limit)
{
    return QueueTable(m_db).list(offset, limit);
}

Expected<int> QueueActions::count()
{
    return QueueTable(m_db).count();
}

Expected<QueuedMessage> QueueActions::find(const QString &id)
{
    const Expected<QString> valid = AdminValues::queueId(id);
    if (!valid)
        return Expected<QueuedMessage>::failure(valid);
    return QueueTable(m_db).find(valid.value());
}

Status QueueActions::retry(const QString &id)
{
    const Expected<QString> valid = AdminValues::queueId(id);
    if (!valid)
        return Status::failure(valid);
    return QueueTable(m_db).retry(valid.value());
}

Status QueueActions::retryAll()
{
    return QueueTable(m_db).retryAll();
}

Expected<QueuedMessage> QueueActions::discard(const QString &id)
{
    const Expected<QueuedMessage> message = find(id);
    if (!message)
        return message;
    const Status removed = QueueTable(m_db).remove(message->id);
    if (!removed)
        return Expected<QueuedMessage>::failure(removed);
    DiskStore(m_config.storePath).removeBody(message->storeKey);
    return message;
}

Expected<QueuedMessage> QueueActions::bounce(const QString &id)
{
    const Expected<QueuedMessage> found = find(id);
    if (!found)
        return found;
    QueuedMessage message = found.value();
    bool anyFailed = false;
    for (QueuedRecipient &recipient : message.recipients)
    {
        if (recipient.status == QueuedRecipient::Pending)
        {
            recipient.status = QueuedRecipient::Failed;
            recipient.lastError = QStringLiteral("5.0.0 bounced by the administrator");
        }
        anyFailed = anyFailed || recipient.status == QueuedRecipient::Failed;
    }
    if (anyFailed && !message.envelopeSender.isEmpty())
    {
        const Expected<QString> bounced = Bouncer(m_db, m_config).queueBounce(message);
        if (!bounced)
            return Expected<QueuedMessage>::failure(bounced);
    }
    const Status removed = QueueTable(m_db).remove(message.id);
    if (!removed)
        return Expected<QueuedMessage>::failure(removed);
    DiskStore(m_config.storePath).removeBody(message.storeKey);
    return found;
}
