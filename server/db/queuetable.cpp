// Queue records in queue_messages / queue_recipients, claims with leases.
#include "db/queuetable.h"

#include "core/adminvalues.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QVariant>

namespace {

// SQL NULL is an invalid QVariant (Database::execPrepared binds a null QString as '').
QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

QVariant nullableNumber(qint64 value)
{
    return value == 0 ? QVariant() : QVariant(value);
}

// Columns as listed in the select_*queue_message* statements.
QueuedMessage messageFromRow(const QSqlQuery &query)
{
    QueuedMessage message;
    message.id = query.value(0).toString().trimmed();
    message.envelopeSender = query.value(1).toString();
    message.authUser = query.value(2).toString();
    message.clientIp = query.value(3).toString();
    message.helo = query.value(4).toString();
    message.sizeBytes = query.value(5).toLongLong();
    message.storeKey = query.value(6).toString();
    message.createdAtMs = query.value(7).toLongLong();
    message.nextAttemptAtMs = query.value(8).toLongLong();
    message.attempts = query.value(9).toInt();
    message.claimedBy = query.value(10).isNull() ? QString() : query.value(10).toString();
    message.claimExpiresAtMs = query.value(11).isNull() ? 0 : query.value(11).toLongLong();
    message.lastError = query.value(12).toString();
    const int ret = query.value(13).toInt();
    message.dsnRet = ret == int(Dsn::Ret::Full) ? Dsn::Ret::Full
        : ret == int(Dsn::Ret::Hdrs)            ? Dsn::Ret::Hdrs
                                                : Dsn::Ret::Unset;
    message.dsnEnvid = query.value(14).toString();
    message.held = query.value(15).toInt() != 0;
    return message;
}

// Columns as listed in select_queue_recipients.
QueuedRecipient recipientFromRow(const QSqlQuery &query)
{
    QueuedRecipient recipient;
    recipient.address = query.value(0).toString();
    recipient.status = query.value(1).toInt();
    recipient.lastError = query.value(2).toString();
    recipient.dsnNotify = query.value(3).toInt();
    recipient.dsnOrcpt = query.value(4).toString();
    recipient.delayNotified = query.value(5).toInt() != 0;
    return recipient;
}

QString noMessage(const QString &id)
{
    return QStringLiteral("no queued message %1").arg(id);
}

} // namespace

QString QueueTable::newId()
{
    // 12 hex digits of the time in ms, then 28 random ones (112 bits: still unguessable).
    // Ids then sort by arrival, so every index keyed by id (the queue's primary keys)
    // grows at one end and shrinks at the other, as the queue does: an insert or a
    // removal touches the same few pages whatever the queue's size, where random ids
    // spread them over the whole index (one more page written per message and index).
    const quint64 nowMs = quint64(QDateTime::currentMSecsSinceEpoch()) & 0xffffffffffffULL;
    QString id = QStringLiteral("%1").arg(nowMs, 12, 16, QLatin1Char('0'));
    id.reserve(40);
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    id += QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex().left(28));
    return id;
}

Status QueueTable::enqueue(
    const QList<QueuedMessage> &batch, const std::function<Status(const QueuedMessage &)> &alongside)
{
    for (const QueuedMessage &message : batch)
    {
        if (!QueueTable::isValidId(message.id))
            return Status::failure(ErrorKind::InvalidInput,
                QStringLiteral("queue id '%1' is invalid: expected 40 lower-case hex digits").arg(message.id));
        if (message.recipients.isEmpty())
            return Status::failure(
                ErrorKind::InvalidInput, QStringLiteral("queued message %1 has no recipient").arg(message.id));
    }
    if (batch.isEmpty())
        return {};
    // Prepared before the transaction so they outlive its rollback (PostgreSQL refuses
    // to deallocate a statement inside an aborted transaction).
    Expected<QSqlQuery> insertMessage = m_db.prepare(QStringLiteral("insert_queue_message"));
    if (!insertMessage)
        return Status::failure(insertMessage);
    Expected<QSqlQuery> insertRecipient = m_db.prepare(QStringLiteral("insert_queue_recipient"));
    if (!insertRecipient)
        return Status::failure(insertRecipient);
    return m_db.runInTransaction([&]() -> Status {
        for (const QueuedMessage &message : batch)
        {
            const QVariantMap bindings = {
                { QStringLiteral("id"), message.id },
                { QStringLiteral("envelope_sender"), message.envelopeSender },
                { QStringLiteral("auth_user"), message.authUser },
                { QStringLiteral("client_ip"), message.clientIp },
                { QStringLiteral("helo"), message.helo },
                { QStringLiteral("size_bytes"), message.sizeBytes },
                { QStringLiteral("store_key"), message.storeKey },
                { QStringLiteral("created_at_ms"), message.createdAtMs },
                { QStringLiteral("next_attempt_at_ms"), message.nextAttemptAtMs },
                { QStringLiteral("attempts"), message.attempts },
                { QStringLiteral("claimed_by"), nullableText(message.claimedBy) },
                { QStringLiteral("claim_expires_at_ms"), nullableNumber(message.claimExpiresAtMs) },
                { QStringLiteral("last_error"), message.lastError },
                { QStringLiteral("dsn_ret"), int(message.dsnRet) },
                { QStringLiteral("dsn_envid"), message.dsnEnvid },
            };
            Status status = m_db.execPrepared(insertMessage.value(), QStringLiteral("insert_queue_message"), bindings);
            if (!status)
                return Status::failure(
                    status.kind(), QStringLiteral("queue message %1: %2").arg(message.id, status.error()));
            for (int position = 0; position < message.recipients.size(); ++position)
            {
                const QueuedRecipient &recipient = message.recipients.at(position);
                status = m_db.execPrepared(insertRecipient.value(), QStringLiteral("insert_queue_recipient"),
                    {
                        { QStringLiteral("message_id"), message.id },
                        { QStringLiteral("position"), position },
                        { QStringLiteral("address"), recipient.address },
                        { QStringLiteral("status"), recipient.status },
                        { QStringLiteral("last_error"), recipient.lastError },
                        { QStringLiteral("dsn_notify"), recipient.dsnNotify },
                        { QStringLiteral("dsn_orcpt"), recipient.dsnOrcpt },
                        { QStringLiteral("delay_notified"), recipient.delayNotified ? 1 : 0 },
                    });
                if (!status)
                    return Status::failure(
                        status.kind(), QStringLiteral("queue message %1: %2").arg(message.id, status.error()));
            }
            if (alongside)
            {
                status = alongside(message);
                if (!status)
                    return Status::failure(
                        status.kind(), QStringLiteral("queue message %1: %2").arg(message.id, status.error()));
            }
        }
        return {};
    });
}

Status QueueTable::renewClaim(const QString &id, const QString &nodeId, qint64 untilMs)
{
    const Expected<QSqlQuery> renewed = m_db.exec(QStringLiteral("renew_queue_claim"),
        { { QStringLiteral("id"), id }, { QStringLiteral("claimed_by"), nodeId },
            { QStringLiteral("claim_expires_at_ms"), untilMs } });
    if (!renewed)
        return Status::failure(renewed);
    if (renewed->numRowsAffected() < 1)
        return Status::failure(ErrorKind::NotFound,
            QStringLiteral("message %1 is no longer claimed by %2 (its lease ran out)").arg(id, nodeId));
    return {};
}

Expected<QList<QueuedRecipient>> QueueTable::recipientsOf(const QString &id)
{
    Expected<QSqlQuery> query
        = m_db.exec(QStringLiteral("select_queue_recipients"), { { QStringLiteral("message_id"), id } });
    if (!query)
        return Expected<QList<QueuedRecipient>>::failure(query);
    QList<QueuedRecipient> recipients;
    while (query.value().next())
        recipients.append(recipientFromRow(query.value()));
    return recipients;
}

Expected<QList<QueuedMessage>> QueueTable::list(int offset, int limit)
{
    if (offset < 0 || limit < 1)
        return Expected<QList<QueuedMessage>>::failure(ErrorKind::InvalidInput,
            QStringLiteral("queue list: offset %1 and limit %2 are invalid").arg(offset).arg(limit));
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("list_queue_messages"),
        { { QStringLiteral("offset"), offset }, { QStringLiteral("limit"), limit } });
    if (!query)
        return Expected<QList<QueuedMessage>>::failure(query);
    QList<QueuedMessage> messages;
    while (query.value().next())
        messages.append(messageFromRow(query.value()));
    query.value().finish();
    for (QueuedMessage &message : messages)
    {
        Expected<QList<QueuedRecipient>> recipients = recipientsOf(message.id);
        if (!recipients)
            return Expected<QList<QueuedMessage>>::failure(recipients);
        message.recipients = std::move(recipients).value();
    }
    return messages;
}

Expected<QueuedMessage> QueueTable::find(const QString &id)
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("select_queue_message"), { { QStringLiteral("id"), id } });
    if (!query)
        return Expected<QueuedMessage>::failure(query);
    if (!query.value().next())
        return Expected<QueuedMessage>::failure(ErrorKind::NotFound, noMessage(id));
    QueuedMessage message = messageFromRow(query.value());
    query.value().finish();
    Expected<QList<QueuedRecipient>> recipients = recipientsOf(message.id);
    if (!recipients)
        return Expected<QueuedMessage>::failure(recipients);
    message.recipients = std::move(recipients).value();
    return message;
}

Expected<bool> QueueTable::contains(const QString &id)
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("select_queue_message"), { { QStringLiteral("id"), id } });
    if (!query)
        return Expected<bool>::failure(query);
    const bool found = query.value().next();
    query.value().finish();
    return found;
}

Status QueueTable::remove(const QString &id)
{
    return m_db.runInTransaction([&]() -> Status {
        const Expected<QSqlQuery> recipients
            = m_db.exec(QStringLiteral("delete_queue_recipients"), { { QStringLiteral("message_id"), id } });
        if (!recipients)
            return Status::failure(recipients);
        const Expected<QSqlQuery> message
            = m_db.exec(QStringLiteral("delete_queue_message"), { { QStringLiteral("id"), id } });
        if (!message)
            return Status::failure(message);
        if (message->numRowsAffected() < 1)
            return Status::failure(ErrorKind::NotFound, noMessage(id));
        return {};
    });
}

Status QueueTable::remove(const QStringList &ids)
{
    if (ids.isEmpty())
        return {};
    // Prepared before the transaction, as in enqueue().
    Expected<QSqlQuery> recipients = m_db.prepare(QStringLiteral("delete_queue_recipients"));
    if (!recipients)
        return Status::failure(recipients);
    Expected<QSqlQuery> message = m_db.prepare(QStringLiteral("delete_queue_message"));
    if (!message)
        return Status::failure(message);
    return m_db.runInTransaction([&]() -> Status {
        for (const QString &id : ids)
        {
            Status status = m_db.execPrepared(recipients.value(), QStringLiteral("delete_queue_recipients"),
                { { QStringLiteral("message_id"), id } });
            if (status)
                status = m_db.execPrepared(
                    message.value(), QStringLiteral("delete_queue_message"), { { QStringLiteral("id"), id } });
            if (!status)
                return status;
        }
        return {};
    });
}

Expected<int> QueueTable::count()
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("count_queue_messages"));
    if (!query)
        return Expected<int>::failure(query);
    if (!query.value().next())
        return 0;
    return query.value().value(0).toInt();
}

Expected<QueueStats> QueueTable::stats()
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("queue_stats"));
    if (!query)
        return Expected<QueueStats>::failure(query);
    QueueStats stats;
    if (query.value().next())
    {
        stats.messages = query.value().value(0).toLongLong();
        stats.oldestCreatedAtMs = query.value().value(1).toLongLong();
    }
    return stats;
}

Expected<QList<QueueDestination>> QueueTable::destinations(int limit)
{
    if (limit < 1 || limit > 1000)
        return Expected<QList<QueueDestination>>::failure(
            ErrorKind::InvalidInput, QStringLiteral("queue destinations: limit %1 is not from 1 to 1000").arg(limit));
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("queue_destinations"), { { QStringLiteral("limit"), limit } });
    if (!query)
        return Expected<QList<QueueDestination>>::failure(query);
    QList<QueueDestination> destinations;
    while (query.value().next())
    {
        QueueDestination destination;
        destination.domain = query.value().value(0).toString();
        destination.messages = query.value().value(1).toLongLong();
        destination.recipients = query.value().value(2).toLongLong();
        destination.oldestCreatedAtMs = query.value().value(3).toLongLong();
        destinations.append(destination);
    }
    return destinations;
}

Expected<QList<QueuedMessage>> QueueTable::claimDue(const QString &nodeId, qint64 nowMs, qint64 leaseMs, int limit)
{
    if (nodeId.isEmpty() || nodeId.size() > 64)
        return Expected<QList<QueuedMessage>>::failure(ErrorKind::InvalidInput,
            QStringLiteral("queue claim: node id '%1' must have 1 to 64 characters").arg(nodeId));
    if (leaseMs < 1 || limit < 1)
        return Expected<QList<QueuedMessage>>::failure(ErrorKind::InvalidInput,
            QStringLiteral("queue claim: lease %1 ms and limit %2 must be positive").arg(leaseMs).arg(limit));
    const qint64 expiresAtMs = nowMs + leaseMs;
    QList<QueuedMessage> claimed;
    // PostgreSQL/MariaDB lock the selected rows (SKIP LOCKED passes over rows another
    // node is claiming); sqlite's BEGIN IMMEDIATE makes the whole claim one writer's.
    Expected<QSqlQuery> mark = m_db.prepare(QStringLiteral("claim_queue_message"));
    if (!mark)
        return Expected<QList<QueuedMessage>>::failure(mark);
    Expected<QSqlQuery> recipients = m_db.prepare(QStringLiteral("select_queue_recipients"));
    if (!recipients)
        return Expected<QList<QueuedMessage>>::failure(recipients);
    const Status status = m_db.runInTransaction([&]() -> Status {
        claimed.clear();
        {
            Expected<QSqlQuery> due = m_db.exec(QStringLiteral("select_due_queue_messages"),
                { { QStringLiteral("now"), nowMs }, { QStringLiteral("limit"), limit } });
            if (!due)
                return Status::failure(due);
            while (due.value().next())
                claimed.append(messageFromRow(due.value()));
        }
        if (claimed.isEmpty())
            return {};
        for (QueuedMessage &message : claimed)
        {
            Status marked = m_db.execPrepared(mark.value(), QStringLiteral("claim_queue_message"),
                {
                    { QStringLiteral("claimed_by"), nodeId },
                    { QStringLiteral("claim_expires_at_ms"), expiresAtMs },
                    { QStringLiteral("id"), message.id },
                });
            if (!marked)
                return marked;
            message.claimedBy = nodeId;
            message.claimExpiresAtMs = expiresAtMs;
            message.nextAttemptAtMs = expiresAtMs;
            const Status loaded = m_db.execPrepared(recipients.value(), QStringLiteral("select_queue_recipients"),
                { { QStringLiteral("message_id"), message.id } });
            if (!loaded)
                return loaded;
            while (recipients.value().next())
                message.recipients.append(recipientFromRow(recipients.value()));
        }
        return {};
    });
    if (!status)
        return Expected<QList<QueuedMessage>>::failure(status);
    return claimed;
}

Status QueueTable::release(
    const QString &id, qint64 nextAttemptAtMs, const QString &lastError, const QList<QueuedRecipient> &recipients)
{
    Expected<QSqlQuery> update = m_db.prepare(QStringLiteral("update_queue_recipient"));
    if (!update)
        return Status::failure(update);
    return m_db.runInTransaction([&]() -> Status {
        const Expected<QSqlQuery> message = m_db.exec(QStringLiteral("release_queue_message"),
            {
                { QStringLiteral("id"), id },
                { QStringLiteral("next_attempt_at_ms"), nextAttemptAtMs },
                { QStringLiteral("last_error"), lastError },
            });
        if (!message)
            return Status::failure(message);
        if (message->numRowsAffected() < 1)
            return Status::failure(ErrorKind::NotFound, noMessage(id));
        if (recipients.isEmpty())
            return {};
        for (int position = 0; position < recipients.size(); ++position)
        {
            const Status status = m_db.execPrepared(update.value(), QStringLiteral("update_queue_recipient"),
                {
                    { QStringLiteral("message_id"), id },
                    { QStringLiteral("position"), position },
                    { QStringLiteral("status"), recipients.at(position).status },
                    { QStringLiteral("last_error"), recipients.at(position).lastError },
                    { QStringLiteral("delay_notified"), recipients.at(position).delayNotified ? 1 : 0 },
                });
            if (!status)
                return status;
        }
        return {};
    });
}

Status QueueTable::retry(const QString &id)
{
    const Expected<QSqlQuery> query = m_db.exec(QStringLiteral("retry_queue_message"),
        { { QStringLiteral("id"), id }, { QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch() } });
    if (!query)
        return Status::failure(query);
    if (query->numRowsAffected() > 0)
        return {};
    // Nothing changed: either there is no such message or a node is trying it right now.
    const Expected<QueuedMessage> message = find(id);
    if (!message)
        return Status::failure(message);
    return {};
}

Status QueueTable::retryAll()
{
    const Expected<QSqlQuery> query = m_db.exec(
        QStringLiteral("retry_all_queue_messages"), { { QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch() } });
    if (!query)
        return Status::failure(query);
    return {};
}

Status QueueTable::setHeld(const QString &id, bool held)
{
    const Expected<QSqlQuery> query = m_db.exec(QStringLiteral("hold_queue_message"),
        { { QStringLiteral("id"), id }, { QStringLiteral("held"), held ? 1 : 0 } });
    if (!query)
        return Status::failure(query);
    if (query->numRowsAffected() > 0)
        return {};
    // MySQL counts changed rows only: a message already in that state is no error.
    const Expected<bool> queued = contains(id);
    if (!queued)
        return Status::failure(queued);
    return queued.value() ? Status() : Status::failure(ErrorKind::NotFound, noMessage(id));
}

Expected<QStringList> QueueTable::idsWithPrefix(const QString &prefix, int limit)
{
    // prefix holds hex digits only (AdminValues::queueIdPrefix): no LIKE wildcard in it.
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("select_queue_ids_by_prefix"),
        { { QStringLiteral("pattern"), QString(prefix + QLatin1Char('%')) }, { QStringLiteral("limit"), limit } });
    if (!query)
        return Expected<QStringList>::failure(query);
    QStringList ids;
    while (query.value().next())
        ids.append(query.value().value(0).toString().trimmed());
    return ids;
}

bool QueueTable::isValidId(const QString &id)
{
    const Expected<QString> parsed = AdminValues::queueId(id);
    return parsed && parsed.value() == id;
}

QString QueuedRecipient::statusName(int status)
{
    switch (status)
    {
    case Delivered:
        return QStringLiteral("delivered");
    case Failed:
        return QStringLiteral("failed");
    default:
        return QStringLiteral("pending");
    }
}
