// See queueactions.h.
#include "queue/queueactions.h"

#include "core/adminvalues.h"
#include "queue/bouncer.h"
#include "queue/diskstore.h"
#include "queue/messagestore.h"

#include <QDateTime>
#include <QFile>
#include <QHash>

#include <algorithm>

namespace {

// Enough to list every queued message at once (the command line's `list` does the same).
constexpr int WholeQueue = 1000000;

QString domainOf(const QString &address)
{
    return address.mid(address.lastIndexOf(QLatin1Char('@')) + 1).toLower();
}

QStringList pendingDomains(const QueuedMessage &message)
{
    QStringList domains;
    for (const QueuedRecipient &recipient : message.recipients)
    {
        if (recipient.status == QueuedRecipient::Pending && !domains.contains(domainOf(recipient.address)))
            domains.append(domainOf(recipient.address));
    }
    return domains;
}

} // namespace

QString QueueActions::actionName(Action action)
{
    switch (action)
    {
    case Action::Retry:
        return QStringLiteral("retry");
    case Action::Bounce:
        return QStringLiteral("bounce");
    case Action::Discard:
        return QStringLiteral("discard");
    case Action::Hold:
        return QStringLiteral("hold");
    case Action::Release:
        return QStringLiteral("release");
    }
    return QString();
}

std::optional<QueueActions::Action> QueueActions::actionNamed(const QString &name)
{
    for (Action action : { Action::Retry, Action::Bounce, Action::Discard, Action::Hold, Action::Release })
    {
        if (actionName(action) == name)
            return action;
    }
    return std::nullopt;
}

QString QueueActions::actionDone(Action action)
{
    switch (action)
    {
    case Action::Retry:
        return QStringLiteral("retried");
    case Action::Bounce:
        return QStringLiteral("bounced");
    case Action::Discard:
        return QStringLiteral("discarded");
    case Action::Hold:
        return QStringLiteral("held");
    case Action::Release:
        return QStringLiteral("released");
    }
    return QString();
}

QueueActions::QueueActions(Database &db, const Config &config) : m_db(db), m_config(config) { }

QString QueueActions::statusOf(const QueuedMessage &message, qint64 nowMs)
{
    if (message.held)
        return QStringLiteral("held");
    if (!message.claimedBy.isEmpty() && message.claimExpiresAtMs > nowMs)
        return QStringLiteral("active");
    return message.attempts > 0 ? QStringLiteral("deferred") : QStringLiteral("queued");
}

Expected<QList<QueuedMessage>> QueueActions::list(int offset, int limit)
{
    return QueueTable(m_db).list(offset, limit);
}

Expected<int> QueueActions::count()
{
    return QueueTable(m_db).count();
}

Expected<QList<QueuedMessage>> QueueActions::select(const QueueFilter &filter)
{
    Expected<QList<QueuedMessage>> all = QueueTable(m_db).list(0, WholeQueue);
    if (!all || filter.isEmpty())
        return all;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    QList<QueuedMessage> selected;
    for (const QueuedMessage &message : all.value())
    {
        if (filter.matches(
                message.envelopeSender, pendingDomains(message), message.createdAtMs, statusOf(message, nowMs), nowMs))
            selected.append(message);
    }
    return selected;
}

Expected<QString> QueueActions::resolveId(const QString &text)
{
    const Expected<QString> prefix = AdminValues::queueIdPrefix(text);
    if (!prefix)
        return prefix;
    if (prefix->size() == 40)
        return prefix;
    // A few more than one: enough to name the clash.
    const Expected<QStringList> ids = QueueTable(m_db).idsWithPrefix(prefix.value(), 5);
    if (!ids)
        return Expected<QString>::failure(ids);
    if (ids->isEmpty())
        return Expected<QString>::failure(
            ErrorKind::NotFound, QStringLiteral("no queued message has an ID starting with %1").arg(prefix.value()));
    if (ids->size() > 1)
        return Expected<QString>::failure(ErrorKind::InvalidInput,
            QStringLiteral("ID %1 is ambiguous: it starts %2%3; give more digits")
                .arg(prefix.value(), ids->join(QStringLiteral(", ")),
                    ids->size() == 5 ? QStringLiteral(" and more") : QString()));
    return ids->first();
}

Expected<QueuedMessage> QueueActions::find(const QString &id)
{
    const Expected<QString> valid = resolveId(id);
    if (!valid)
        return Expected<QueuedMessage>::failure(valid);
    return QueueTable(m_db).find(valid.value());
}

Expected<QByteArray> QueueActions::content(const QString &id)
{
    const Expected<QueuedMessage> message = find(id);
    if (!message)
        return Expected<QByteArray>::failure(message);
    // Disk and database keys alike (a node reads what another node accepted).
    const std::unique_ptr<MessageStore> store = MessageStore::create(m_config.storeDriver, m_config.storePath);
    const Expected<QByteArray> body = store->readHead(m_db, message.value(), -1);
    if (!body)
        return Expected<QByteArray>::failure(
            ErrorKind::Unavailable, QStringLiteral("message %1: %2").arg(message->id, body.error()));
    return body;
}

Status QueueActions::retry(const QString &id)
{
    const Expected<QString> valid = resolveId(id);
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

Expected<QueuedMessage> QueueActions::hold(const QString &id)
{
    const Expected<QueuedMessage> message = find(id);
    if (!message)
        return message;
    const Status held = QueueTable(m_db).setHeld(message->id, true);
    return held ? message : Expected<QueuedMessage>::failure(held);
}

Expected<QueuedMessage> QueueActions::release(const QString &id)
{
    const Expected<QueuedMessage> message = find(id);
    if (!message)
        return message;
    const Status released = QueueTable(m_db).setHeld(message->id, false);
    return released ? message : Expected<QueuedMessage>::failure(released);
}

Expected<QueuedMessage> QueueActions::apply(Action action, const QString &id)
{
    switch (action)
    {
    case Action::Retry:
    {
        const Expected<QueuedMessage> message = find(id);
        if (!message)
            return message;
        const Status retried = QueueTable(m_db).retry(message->id);
        return retried ? message : Expected<QueuedMessage>::failure(retried);
    }
    case Action::Bounce:
        return bounce(id);
    case Action::Discard:
        return discard(id);
    case Action::Hold:
        return hold(id);
    case Action::Release:
        return release(id);
    }
    return Expected<QueuedMessage>::failure(ErrorKind::Internal, QStringLiteral("unknown queue action"));
}

Expected<QueueActions::Shape> QueueActions::shape(qint64 nowMs)
{
    Shape shape;
    shape.bucketLimits = { 5, 10, 20, 40, 80, 160, 320, 640, 1280 };
    const int columns = int(shape.bucketLimits.size()) + 1;
    shape.all.domain = QStringLiteral("TOTAL");
    shape.all.counts = QList<qint64>(columns, 0);
    const Expected<QList<QueuedMessage>> messages = QueueTable(m_db).list(0, WholeQueue);
    if (!messages)
        return Expected<Shape>::failure(messages);
    QHash<QString, Shape::Row> rows;
    for (const QueuedMessage &message : messages.value())
    {
        const qint64 ageMinutes = qMax<qint64>(0, nowMs - message.createdAtMs) / 60000;
        int column = 0;
        while (column < shape.bucketLimits.size() && ageMinutes >= shape.bucketLimits.at(column))
            ++column;
        for (const QueuedRecipient &recipient : message.recipients)
        {
            if (recipient.status != QueuedRecipient::Pending)
                continue;
            Shape::Row &row = rows[domainOf(recipient.address)];
            if (row.counts.isEmpty())
            {
                row.domain = domainOf(recipient.address);
                row.counts = QList<qint64>(columns, 0);
            }
            ++row.total;
            ++row.counts[column];
            ++shape.all.total;
            ++shape.all.counts[column];
        }
    }
    shape.rows = rows.values();
    std::sort(shape.rows.begin(), shape.rows.end(), [](const Shape::Row &a, const Shape::Row &b) {
        return a.total != b.total ? a.total > b.total : a.domain < b.domain;
    });
    return shape;
}
