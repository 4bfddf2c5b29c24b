// The queue and store operations of deliverd, run on its database thread.
#include "deliverd/deliveryworker.h"

#include "db/nodetable.h"
#include "db/tables.h"
#include "log/logger.h"
#include "metrics/metrics.h"
#include "queue/bouncer.h"
#include "queue/queuewriter.h"
#include "queue/tlsreportsender.h"

#include <QDateTime>
#include <QMutexLocker>
#include <QSysInfo>
#include <QTimer>

namespace {

constexpr int RecordBatchDelayMs = 0;
// No reception or commit lasts a day: an older file without a row is garbage.
constexpr qint64 SweepAgeMs = 24 * 3600 * 1000;

} // namespace

DeliveryWorker::DeliveryWorker(const Config &config, const QString &connectionName)
    : m_config(config), m_connectionName(connectionName), m_bodyRemover(config.storePath), m_store(config.storePath)
{ }

DeliveryWorker::~DeliveryWorker()
{
    close();
}

Status DeliveryWorker::open(const QString &nodeId)
{
    Expected<Database> db = Database::open(m_config.db, m_connectionName);
    if (!db)
    {
        return Status::failure(db);
    }
    m_db.emplace(std::move(db).value());
    m_nodeId = nodeId;
    m_routesSerial = -1;
    const Status prepared = m_store.prepare();
    if (!prepared)
    {
        return prepared;
    }
    m_store.clearWorkingCopies(); // of a previous run's claims, handed back below
    QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
    const Expected<QSqlQuery> released = m_db->exec(QStringLiteral("release_node_claims"),
        { { QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch() }, { QStringLiteral("claimed_by"), nodeId } });
    if (!released)
    {
        return Status::failure(released);
    }
    if (released->numRowsAffected() > 0)
    {
        qCInfo(lcDeliverd).noquote() << released->numRowsAffected()
                                     << "message(s) left in flight by a previous run are queued again";
    }
    return {};
}

void DeliveryWorker::sweepStore()
{
    if (!m_db)
    {
        return;
    }
    const DiskStore store(m_config.storePath);
    QueueTable queue(*m_db);
    QStringList orphans;
    for (const DiskStore::StoredFile &file : store.filesWrittenBefore(QDateTime::currentMSecsSinceEpoch() - SweepAgeMs))
    {
        if (!file.received)
        {
            const Expected<bool> queued = queue.contains(file.id);
            if (!queued)
            {
                qCWarning(lcDeliverd).noquote() << "store sweep stopped, nothing removed:" << queued.error();
                return;
            }
            if (queued.value())
            {
                continue;
            }
        }
        orphans.append(file.key);
    }
    if (!orphans.isEmpty())
    {
        qCInfo(lcDeliverd).noquote() << QStringLiteral(
            "store sweep: removing %1 file(s) older than a day that no queued message names")
                                            .arg(orphans.size());
        m_bodyRemover.remove(orphans);
    }
}

void DeliveryWorker::refreshQueueStats()
{
    if (!m_db)
    {
        return;
    }
    QueueTable queue(*m_db);
    const Expected<QueueStats> stats = queue.stats();
    if (!stats)
    {
        qCWarning(lcDeliverd).noquote() << "cannot count the queue for the metrics:" << stats.error();
        return;
    }
    Metrics::instance().setQueue(stats->messages, stats->oldestCreatedAtMs);
}

void DeliveryWorker::close()
{
    flushOutcomes(); // statuses of recipients already delivered must not be lost
    if (m_db && !m_nodeId.isEmpty())
    {
        QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
        // Claims that arrived after stop() began: due again at once, for any node.
        m_db->exec(QStringLiteral("release_node_claims"),
            { { QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch() },
                { QStringLiteral("claimed_by"), m_nodeId } });
        NodeTable(*m_db).stop(m_nodeId, QDateTime::currentMSecsSinceEpoch());
    }
    m_db.reset();
    m_nodeId.clear(); // closed for good: claim() must not reconnect
    m_bodyRemover.waitForDone();
    m_store.clearWorkingCopies();
}

void DeliveryWorker::claim(const QString &nodeId, qint64 leaseMs, int limit)
{
    if (!m_db && !m_nodeId.isEmpty())
    {
        // The last claim failed and dropped its connection: try a fresh one.
        Expected<Database> fresh = Database::open(m_config.db, m_connectionName);
        if (fresh)
        {
            m_db.emplace(std::move(fresh).value());
            m_routesSerial = -1;
        }
    }
    if (!m_db)
    {
        emit claimFailed(QStringLiteral("database is closed"));
        return;
    }
    QList<Route> routes;
    bool routesChanged = false;
    const Expected<qint64> serial = m_db->changeSerial();
    if (serial && serial.value() != m_routesSerial)
    {
        RouteTable table(*m_db);
        Expected<QList<Route>> list = table.list();
        if (list)
        {
            routes = std::move(list).value();
            routesChanged = true;
            m_routesSerial = serial.value();
            readLocalDomains();
        }
        else
        {
            qCWarning(lcDeliverd).noquote() << "cannot read routes:" << list.error();
            if (m_routesSerial < 0)
            {
                // Never read yet: claiming now would send routed mail to the MX instead.
                emit claimFailed(QStringLiteral("cannot read routes: ") + list.error());
                return;
            }
        }
    }
    QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
    QueueTable queue(*m_db);
    Expected<QList<QueuedMessage>> due = queue.claimDue(nodeId, QDateTime::currentMSecsSinceEpoch(), leaseMs, limit);
    if (!due)
    {
        writeLocker.unlock();
        // A database server that restarted leaves this connection dead (QtSql does not
        // reconnect): drop it, the next claim opens a new one.
        m_db.reset();
        emit claimFailed(due.error());
        if (routesChanged)
        {
            emit claimed({}, routes, true);
        }
        return;
    }
    // Bodies kept in the database are copied out for the SMTP client; one that cannot be
    // fails its attempt (a temporary error) and is tried again later.
    for (const QueuedMessage &message : std::as_const(due.value()))
    {
        const Status fetched = m_store.fetchBody(*m_db, message);
        if (!fetched)
        {
            qCWarning(lcDeliverd).noquote() << "cannot read the body of" << message.id << ":" << fetched.error();
        }
    }
    emit claimed(due.value(), routes, routesChanged);
}

void DeliveryWorker::beat(const QString &nodeId, qint64 startedAtMs, int claims)
{
    if (!m_db)
    {
        return;
    }
    QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
    const Status beaten = NodeTable(*m_db).beat(nodeId, QSysInfo::machineHostName(), QStringLiteral(TMAIL_VERSION),
        startedAtMs, QDateTime::currentMSecsSinceEpoch(), claims);
    if (!beaten)
    {
        qCWarning(lcDeliverd).noquote() << "cannot write the heartbeat of node" << nodeId << ":" << beaten.error();
    }
}

void DeliveryWorker::readLocalDomains()
{
    const Expected<QList<RcptHost>> hosts = RcptHostTable(*m_db).list();
    if (!hosts)
    {
        qCWarning(lcDeliverd).noquote() << "cannot read the local domains:" << hosts.error();
        return;
    }
    QStringList domains;
    for (const RcptHost &host : hosts.value())
    {
        if (host.isLocal)
        {
            domains.append(host.domain.name().toLower());
        }
    }
    emit localDomainsRead(domains);
    const Expected<QList<Throttle>> throttles = ThrottleTable(*m_db).list();
    if (!throttles)
    {
        qCWarning(lcDeliverd).noquote() << "cannot read the throttles:" << throttles.error();
        return;
    }
    emit throttlesRead(throttles.value());
}

void DeliveryWorker::renew(const QStringList &ids, const QString &nodeId, qint64 untilMs)
{
    if (!m_db)
    {
        return;
    }
    // Moves the lease end (and the next attempt) of the messages this node still holds.
    QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
    QueueTable queue(*m_db);
    for (const QString &id : ids)
    {
        const Status renewed = queue.renewClaim(id, nodeId, untilMs);
        if (!renewed)
        {
            qCWarning(lcDeliverd).noquote() << "cannot renew the claim of" << id << ":" << renewed.error();
        }
    }
}

void DeliveryWorker::record(const AttemptOutcome &outcome)
{
    m_outcomes.append(outcome);
    if (!m_flushScheduled)
    {
        m_flushScheduled = true;
        // Outcomes already waiting in this thread's queue share one transaction; no timer
        // wait on top: every millisecond between a remote's 250 and this commit is a
        // window in which a crash makes the message go out twice.
        QTimer::singleShot(RecordBatchDelayMs, this, &DeliveryWorker::flushOutcomes);
    }
}

void DeliveryWorker::flushOutcomes()
{
    m_flushScheduled = false;
    QList<AttemptOutcome> outcomes;
    outcomes.swap(m_outcomes);
    QList<QueuedMessage> delivered;
    for (AttemptOutcome &outcome : outcomes)
    {
        queueNotices(outcome);
        m_store.releaseBody(outcome.message.id); // the working copy, if any
        bool anyFailed = false;
        for (const QueuedRecipient &recipient : outcome.message.recipients)
        {
            anyFailed = anyFailed || recipient.status == QueuedRecipient::Failed;
        }
        if (m_db && outcome.finished && !anyFailed)
        {
            delivered.append(outcome.message);
        }
        else
        {
            recordOne(outcome);
        }
    }
    if (!delivered.isEmpty())
    {
        removeMessages(delivered);
    }
    if (m_config.metricsPort != 0 && !outcomes.isEmpty())
    {
        refreshQueueStats(); // the gauges follow deliveries at once, not at the next tick
    }
}

void DeliveryWorker::queueNotices(AttemptOutcome &outcome)
{
    if (outcome.relayed.isEmpty() && outcome.delivered.isEmpty() && outcome.delayed.isEmpty())
    {
        return;
    }
    const QueuedMessage &message = outcome.message;
    if (m_db)
    {
        QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
        Bouncer bouncer(*m_db, m_config);
        const Expected<QString> relayed = bouncer.queueNotice(message, Bouncer::Action::Relayed, outcome.relayed);
        if (!relayed)
        {
            // The message itself went out: only the courtesy notice is lost.
            qCWarning(lcDeliverd).noquote()
                << "cannot queue the relayed notice of" << message.id << ":" << relayed.error();
        }
        const Expected<QString> delivered = bouncer.queueNotice(message, Bouncer::Action::Delivered, outcome.delivered);
        if (!delivered)
        {
            qCWarning(lcDeliverd).noquote()
                << "cannot queue the delivered notice of" << message.id << ":" << delivered.error();
        }
        const Expected<QString> delayed = bouncer.queueNotice(message, Bouncer::Action::Delayed, outcome.delayed);
        if (delayed)
        {
            return;
        }
        qCWarning(lcDeliverd).noquote() << "cannot queue the delay notice of" << message.id << ":" << delayed.error();
    }
    for (const int position : std::as_const(outcome.delayed))
    {
        outcome.message.recipients[position].delayNotified = false;
    }
}

void DeliveryWorker::recordOne(const AttemptOutcome &outcome)
{
    const QueuedMessage &message = outcome.message;
    if (!m_db)
    {
        emit recorded(message.id);
        return;
    }
    QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
    QueueTable queue(*m_db);
    if (!outcome.finished)
    {
        const Status released
            = queue.release(message.id, outcome.nextAttemptAtMs, outcome.lastError, message.recipients);
        if (!released)
        {
            qCWarning(lcDeliverd).noquote() << "cannot release message" << message.id << ":" << released.error();
        }
        emit recorded(message.id);
        return;
    }
    bool anyFailed = false;
    for (const QueuedRecipient &recipient : message.recipients)
    {
        anyFailed = anyFailed || recipient.status == QueuedRecipient::Failed;
    }
    if (anyFailed && message.envelopeSender.isEmpty())
    {
        qCInfo(lcDeliverd).noquote() << "message" << message.id
                                     << "failed and has the null sender: dropped without a bounce";
    }
    else if (anyFailed)
    {
        Bouncer bouncer(*m_db, m_config);
        const Expected<QString> bounce = bouncer.queueBounce(message); // as the recipients' NOTIFY says
        if (!bounce)
        {
            // Keep the message (and its failures) so that the bounce is tried again.
            qCWarning(lcDeliverd).noquote() << "cannot queue the bounce of" << message.id << ":" << bounce.error();
            queue.release(message.id, QDateTime::currentMSecsSinceEpoch() + 60000, bounce.error(), message.recipients);
            emit recorded(message.id);
            return;
        }
    }
    removeMessage(message);
    emit recorded(message.id);
}

void DeliveryWorker::removeMessages(const QList<QueuedMessage> &messages)
{
    // One transaction (one fsync) for every message delivered since the last batch.
    QStringList ids;
    QStringList keys;
    for (const QueuedMessage &message : messages)
    {
        ids.append(message.id);
        keys.append(message.storeKey);
    }
    Status removed;
    {
        QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
        removed = QueueTable(*m_db).remove(ids);
    }
    if (!removed)
    {
        for (const QueuedMessage &message : messages)
        {
            QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
            removeMessage(message); // one by one, so that one bad row does not hold the others
            emit recorded(message.id);
        }
        return;
    }
    // The rows are gone: a crash from here on leaves at most unreferenced files.
    m_bodyRemover.remove(keys);
    for (const QueuedMessage &message : messages)
    {
        qCInfo(lcDeliverd).noquote() << "message" << message.id << "left the queue";
        emit recorded(message.id);
    }
}

// Called with QueueWriter::databaseWriteLock() held.
void DeliveryWorker::removeMessage(const QueuedMessage &message)
{
    QueueTable queue(*m_db);
    const Status removed = queue.remove(message.id);
    if (!removed)
    {
        qCWarning(lcDeliverd).noquote() << "cannot remove message" << message.id << ":" << removed.error();
        return;
    }
    m_bodyRemover.remove({ message.storeKey });
    qCInfo(lcDeliverd).noquote() << "message" << message.id << "left the queue";
}

std::optional<StoredMtaStsPolicy> DeliveryWorker::loadMtaStsPolicy(const QString &domain)
{
    if (!m_db)
    {
        return std::nullopt;
    }
    const Expected<std::optional<StoredMtaStsPolicy>> found = MtaStsPolicyTable(*m_db).find(domain);
    if (!found)
    {
        qCWarning(lcDeliverd).noquote() << "MTA-STS policy of" << domain << "not read:" << found.error();
        return std::nullopt;
    }
    return found.value();
}

void DeliveryWorker::saveMtaStsPolicy(const StoredMtaStsPolicy &policy)
{
    if (!m_db)
    {
        return;
    }
    QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
    const Status stored = MtaStsPolicyTable(*m_db).store(policy);
    if (!stored)
    {
        qCWarning(lcDeliverd).noquote() << "MTA-STS policy of" << policy.domain << "not stored:" << stored.error();
    }
}

void DeliveryWorker::recordTlsSessions(const QList<TlsSessionCount> &counts)
{
    if (!m_db)
    {
        return;
    }
    QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
    const Status added = TlsReportTable(*m_db).add(counts);
    if (!added)
    {
        qCWarning(lcDeliverd).noquote() << "TLS report counts not recorded:" << added.error();
    }
}

QStringList DeliveryWorker::pendingTlsReports(const QDate &day)
{
    if (!m_db)
    {
        return {};
    }
    const Expected<QStringList> pending = TlsReportSender(*m_db, m_config).pendingDomains(day);
    if (!pending)
    {
        qCWarning(lcDeliverd).noquote() << "TLS reports of" << day.toString(Qt::ISODate)
                                        << "not read:" << pending.error();
        return {};
    }
    return pending.value();
}

std::optional<TlsReport> DeliveryWorker::claimTlsReport(
    const QString &policyDomain, const QDate &day, const QStringList &recipients)
{
    if (!m_db)
    {
        return std::nullopt;
    }
    QMutexLocker writeLocker(&QueueWriter::databaseWriteLock());
    TlsReportSender sender(*m_db, m_config);
    const Expected<TlsReport> report = sender.claimReport(policyDomain, day);
    if (!report)
    {
        if (report.kind() != ErrorKind::AlreadyExists)
        {
            qCWarning(lcDeliverd).noquote() << "TLS report of" << policyDomain << "not claimed:" << report.error();
        }
        return std::nullopt;
    }
    if (!recipients.isEmpty())
    {
        const Expected<QString> queued = sender.queueReport(report.value(), recipients);
        if (!queued)
        {
            qCWarning(lcDeliverd).noquote() << "TLS report of" << policyDomain << "not queued:" << queued.error();
        }
    }
    return report.value();
}
