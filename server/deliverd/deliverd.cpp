// Scheduling of deliverd: claims, grouping by destination, concurrency limits,
// retries on a growing schedule and the hand-over of outcomes to the database thread.
#include "deliverd/deliverd.h"

#include "deliverd/deliveryworker.h"
#include "deliverd/dnsresolver.h"
#include "deliverd/mtastsfetcher.h"
#include "deliverd/routeselector.h"
#include "log/logger.h"
#include "metrics/metrics.h"
#include "queue/bouncer.h"
#include "queue/diskstore.h"
#include "queue/tlsreportsender.h"

#include <algorithm>
#include <cmath>

#include <QDateTime>
#include <QMap>
#include <QRegularExpression>
#include <QSysInfo>
#include <QThread>

namespace {

constexpr int MaxClaimBatch = 200;
// TLS reporting: counts are written at most this often; the previous day's reports are
// looked for this often (and sent once).
constexpr int TlsCountFlushMs = 2000;
constexpr int TlsReportCheckIntervalMs = 3600 * 1000;
constexpr int MinClaimGapMs = 50;
constexpr int DrainTimeoutMs = 20000;
constexpr int StoreSweepIntervalMs = 6 * 3600 * 1000;
// How often this node writes its heartbeat row (at least three times per lease).
constexpr qint64 HeartbeatIntervalMs = 5000;
// How often the queue is counted for the metrics (only when TMAIL_METRICS_LISTEN is set).
constexpr int QueueStatsIntervalMs = 5000;
// Messages one SMTP session carries before it is closed and another one opened (as
// OpenSMTPD's max-mail-per-session), so that no session lives for ever.
constexpr int MaxMessagesPerSession = 100;
// Destination concurrency feedback: how long a halved concurrency holds after the last
// "too many".
constexpr qint64 FeedbackHoldMs = 5 * 60 * 1000;
// How far a destination's rate may catch up on starts it fell behind with.
constexpr qint64 RateBurstMs = 1000;
// Domains whose MX host deliverd remembers for "*.suffix" throttles.
constexpr int MaxMxHostsKept = 100000;

QString domainOf(const QString &address)
{
    return address.mid(address.lastIndexOf(QLatin1Char('@')) + 1).toLower();
}

// The routes of a delivery as a set (equal priorities come shuffled).
QList<qint64> routeIds(const Delivery &delivery)
{
    QList<qint64> ids;
    for (const Route &route : delivery.routes)
    {
        ids.append(route.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace

Deliverd::Deliverd(const Config &config, QObject *parent) : QObject(parent), m_config(config)
{
    m_settings.me = config.me;
    takeDeliverySettings(config, &m_settings);
    // Stable across restarts, so that a restarted node takes its own claims back at once.
    m_nodeId = config.nodeId.isEmpty() ? QStringLiteral("%1/%2").arg(QSysInfo::machineHostName(), config.me).left(64)
                                       : config.nodeId;
    m_leaseMs = qint64(config.deliverdLeaseSeconds) * 1000;
    connect(&m_pollTimer, &QTimer::timeout, this, &Deliverd::claimMore);
    connect(&m_renewTimer, &QTimer::timeout, this, &Deliverd::renewLeases);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &Deliverd::beat);
    m_claimDelay.setSingleShot(true);
    connect(&m_claimDelay, &QTimer::timeout, this, &Deliverd::claimMore);
    m_tlsFlushTimer.setSingleShot(true);
    connect(&m_tlsFlushTimer, &QTimer::timeout, this, &Deliverd::flushTlsCounts);
    connect(&m_tlsReportTimer, &QTimer::timeout, this, &Deliverd::sendDueTlsReports);
    connect(&m_sweepTimer, &QTimer::timeout, this, &Deliverd::sweepStore);
    connect(&m_queueStatsTimer, &QTimer::timeout, this, &Deliverd::refreshQueueStats);
    // Rates are kept to the millisecond: a coarse timer may fire 5 % late.
    m_rateTimer.setSingleShot(true);
    m_rateTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_rateTimer, &QTimer::timeout, this, &Deliverd::dispatch);
}

Deliverd::~Deliverd()
{
    m_running = false;
    qDeleteAll(m_jobs);
    m_jobs.clear();
    if (m_thread && m_thread->isRunning())
    {
        DeliveryWorker *worker = m_worker.get();
        QMetaObject::invokeMethod(
            worker, [worker]() { worker->close(); }, Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
    }
    m_worker.reset();
}

Status Deliverd::start()
{
    if (m_running)
    {
        return {};
    }
    m_resolver = std::make_unique<DnsResolver>(m_config.dnsServers);
    if (!m_resolver->isValid() || !m_resolver->error().isEmpty())
    {
        return Status::failure(ErrorKind::Unavailable, m_resolver->error());
    }
    m_mtaStsFetcher = std::make_unique<MtaStsFetcher>(m_resolver.get(), m_settings.caCertificates);
    m_mtaStsCache.setBackend({ [this](const QString &domain, QObject *context, MtaStsCache::Loaded done) {
                                  loadMtaStsPolicy(domain, context, done);
                              },
        [this](const StoredMtaStsPolicy &policy) {
            DeliveryWorker *worker = m_worker.get();
            if (worker)
            {
                QMetaObject::invokeMethod(worker, [worker, policy]() { worker->saveMtaStsPolicy(policy); });
            }
        } });
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("deliverd-db"));
    m_worker = std::make_unique<DeliveryWorker>(m_config, QStringLiteral("deliverd-") + m_nodeId);
    m_worker->moveToThread(m_thread.get());
    connect(m_worker.get(), &DeliveryWorker::claimed, this, &Deliverd::onClaimed);
    connect(m_worker.get(), &DeliveryWorker::claimFailed, this, &Deliverd::onClaimFailed);
    connect(m_worker.get(), &DeliveryWorker::localDomainsRead, this,
        [this](const QStringList &domains) { m_localDomains = QSet<QString>(domains.cbegin(), domains.cend()); });
    connect(m_worker.get(), &DeliveryWorker::throttlesRead, this, [this](const QList<Throttle> &throttles) {
        m_throttles = throttles;
        if (m_running)
        {
            dispatch();
        }
    });
    connect(m_worker.get(), &DeliveryWorker::recorded, this, &Deliverd::onRecorded);
    connect(m_thread.get(), &QThread::finished, this, &Deliverd::stopped);
    m_thread->start();
    Status opened;
    DeliveryWorker *worker = m_worker.get();
    // Once, at start: wait for the connection so that a bad database is reported here.
    const QString nodeId = m_nodeId;
    QMetaObject::invokeMethod(
        worker, [worker, nodeId, &opened]() { opened = worker->open(nodeId); }, Qt::BlockingQueuedConnection);
    if (!opened)
    {
        m_thread->quit();
        m_thread->wait();
        return Status::failure(ErrorKind::Unavailable, QStringLiteral("deliverd: %1").arg(opened.error()));
    }
    m_running = true;
    m_stopFinished = false;
    m_pollTimer.start(m_pollIntervalMs);
    m_renewTimer.start(int(m_leaseMs / 3));
    m_startedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_heartbeatTimer.start(int(std::min<qint64>(HeartbeatIntervalMs, m_leaseMs / 3)));
    beat();
    m_sweepTimer.start(StoreSweepIntervalMs);
    if (m_config.metricsPort != 0)
    {
        m_queueStatsTimer.start(QueueStatsIntervalMs);
        refreshQueueStats();
    }
    m_tlsReportTimer.start(TlsReportCheckIntervalMs);
    qCInfo(lcDeliverd).noquote() << "deliverd launched";
    claimMore();
    sweepStore();
    return {};
}

void Deliverd::sweepStore()
{
    DeliveryWorker *worker = m_worker.get();
    QMetaObject::invokeMethod(
        worker, [worker]() { worker->sweepStore(); }, Qt::QueuedConnection);
}

void Deliverd::refreshQueueStats()
{
    DeliveryWorker *worker = m_worker.get();
    QMetaObject::invokeMethod(
        worker, [worker]() { worker->refreshQueueStats(); }, Qt::QueuedConnection);
}

void Deliverd::stop()
{
    if (!m_thread || !m_thread->isRunning())
    {
        QMetaObject::invokeMethod(this, &Deliverd::stopped, Qt::QueuedConnection);
        return;
    }
    if (!m_running)
    {
        return; // already stopping
    }
    m_running = false;
    m_pollTimer.stop();
    m_renewTimer.stop();
    m_heartbeatTimer.stop();
    m_sweepTimer.stop();
    m_queueStatsTimer.stop();
    m_tlsReportTimer.stop();
    m_claimDelay.stop();
    m_rateTimer.stop();
    m_waiting.clear(); // not started: handed back below
    if (m_jobs.isEmpty())
    {
        finishStop();
        return;
    }
    // Sessions in progress finish (their remote may already hold the message: cutting
    // them would send it twice), but no longer than DrainTimeoutMs.
    qCInfo(lcDeliverd).noquote()
        << QStringLiteral("deliverd stopping: waiting for %1 delivery session(s)").arg(m_jobs.size());
    QTimer::singleShot(DrainTimeoutMs, this, [this]() {
        if (!m_jobs.isEmpty())
        {
            qCWarning(lcDeliverd).noquote()
                << QStringLiteral("deliverd: %1 delivery session(s) cut by the shutdown").arg(m_jobs.size());
            finishStop();
        }
    });
}

void Deliverd::finishStop()
{
    if (m_stopFinished)
    {
        return;
    }
    m_stopFinished = true;
    qDeleteAll(m_jobs);
    m_jobs.clear();
    m_destinations.clear();
    DeliveryWorker *worker = m_worker.get();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (HeldMessage &held : m_held)
    {
        if (held.recording)
        {
            continue;
        }
        // Due again at once; recipients already delivered keep that status.
        AttemptOutcome outcome;
        outcome.message = held.message;
        outcome.nextAttemptAtMs = now;
        outcome.lastError = QStringLiteral("interrupted by shutdown");
        QMetaObject::invokeMethod(worker, [worker, outcome]() { worker->record(outcome); });
    }
    m_held.clear();
    flushTlsCounts();
    QMetaObject::invokeMethod(worker, [worker]() {
        worker->close();
        QThread::currentThread()->quit();
    });
    qCInfo(lcDeliverd).noquote() << "deliverd stopping";
}

void Deliverd::applySettings(const Config &next)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_config.takeLiveSettings(next);
    takeDeliverySettings(m_config, &m_settings);
    if (m_running)
    {
        // A higher TMAIL_DELIVERD_MAX_IN_FLIGHT lets waiting deliveries start now.
        dispatch();
        claimMore();
    }
}

void Deliverd::wake()
{
    claimMore();
}

void Deliverd::claimMore()
{
    if (!m_running || m_claiming)
    {
        return;
    }
    // Hold more than can run, so that a slow destination (capped per destination)
    // leaves room for messages to other ones.
    const int capacity = std::max(4 * m_config.deliverdMaxInFlight, 100) - int(m_held.size());
    if (capacity <= 0)
    {
        return;
    }
    if (m_sinceClaim.isValid() && m_sinceClaim.elapsed() < MinClaimGapMs)
    {
        if (!m_claimDelay.isActive())
        {
            m_claimDelay.start(int(MinClaimGapMs - m_sinceClaim.elapsed()));
        }
        return;
    }
    m_sinceClaim.start();
    m_claiming = true;
    m_claimLimit = std::min(capacity, MaxClaimBatch);
    DeliveryWorker *worker = m_worker.get();
    const QString nodeId = m_nodeId;
    const qint64 lease = m_leaseMs;
    const int limit = m_claimLimit;
    QMetaObject::invokeMethod(worker, [worker, nodeId, lease, limit]() { worker->claim(nodeId, lease, limit); });
}

void Deliverd::onClaimFailed(const QString &error)
{
    m_claiming = false;
    qCWarning(lcDeliverd).noquote() << "cannot claim queued messages:" << error;
}

void Deliverd::onClaimed(const QList<QueuedMessage> &messages, const QList<Route> &routes, bool routesChanged)
{
    if (routesChanged)
    {
        m_routes = routes;
    }
    if (!m_claiming)
    {
        return; // the routes of a failed claim
    }
    m_claiming = false;
    if (!m_running)
    {
        return;
    }
    const DiskStore store(m_config.storePath); // bodyPath() reads disk and database keys alike
    for (const QueuedMessage &message : messages)
    {
        if (m_held.contains(message.id))
        {
            continue;
        }
        HeldMessage &held = m_held[message.id];
        held.message = message;
        const QString senderDomain = message.envelopeSender.isEmpty() ? QString() : domainOf(message.envelopeSender);
        QMap<QString, Delivery> byDomain;
        for (int position = 0; position < message.recipients.size(); ++position)
        {
            const QueuedRecipient &recipient = message.recipients.at(position);
            if (recipient.status != QueuedRecipient::Pending)
            {
                continue;
            }
            const QString domain = domainOf(recipient.address);
            Delivery &delivery = byDomain[domain];
            if (delivery.recipients.isEmpty())
            {
                delivery.messageId = message.id;
                delivery.envelopeSender = message.envelopeSender;
                delivery.bodyPath = store.bodyPath(message);
                delivery.sizeBytes = message.sizeBytes;
                delivery.domain = domain;
                if (m_config.lmtpTarget.isSet() && m_localDomains.contains(domain))
                {
                    delivery.lmtpTarget = m_config.lmtpTarget;
                }
                else
                {
                    delivery.routes = RouteSelector::select(m_routes, domain, senderDomain, message.authUser);
                }
                delivery.ret = message.dsnRet;
                delivery.envid = message.dsnEnvid;
            }
            delivery.recipients.append(recipient.address);
            delivery.positions.append(position);
            delivery.notify.append(recipient.dsnNotify);
            delivery.orcpt.append(recipient.dsnOrcpt);
        }
        held.jobsLeft = int(byDomain.size());
        for (const Delivery &delivery : std::as_const(byDomain))
        {
            m_waiting.push_back(delivery);
        }
        if (held.jobsLeft == 0)
        {
            finishMessage(held);
        }
    }
    dispatch();
    if (messages.size() >= m_claimLimit)
    {
        QMetaObject::invokeMethod(this, &Deliverd::claimMore, Qt::QueuedConnection);
    }
}

Deliverd::DestinationLimits Deliverd::limitsFor(const QString &domain) const
{
    DestinationLimits limits;
    limits.key = domain;
    limits.concurrency = m_config.deliverdDestConcurrency;
    limits.ratePerHour = m_config.deliverdDestRate * 60.0;
    // The domain's own throttle first, else the longest wildcard that matches the domain
    // or its MX host: "*.google.com" holds gmail.com and every domain Google serves.
    const Throttle *match = nullptr;
    bool hasMxPatterns = false;
    const QString mx = m_mxHosts.value(domain);
    for (const Throttle &throttle : m_throttles)
    {
        if (throttle.pattern == domain)
        {
            match = &throttle;
            break;
        }
        if (!throttle.pattern.startsWith(QLatin1String("*.")))
        {
            continue;
        }
        hasMxPatterns = true;
        const QString suffix = throttle.pattern.mid(1); // ".google.com"
        const bool matches = domain.endsWith(suffix) || (!mx.isEmpty() && mx.endsWith(suffix));
        if (matches && (!match || throttle.pattern.size() > match->pattern.size()))
        {
            match = &throttle;
        }
    }
    if (hasMxPatterns && !m_mxHosts.contains(domain) && !(match && match->pattern == domain))
    {
        // A "*.suffix" throttle may hold this domain once its MX host is known: its first
        // delivery, alone, finds out.
        limits.concurrency = 1;
    }
    if (match)
    {
        limits.key = match->pattern;
        if (match->concurrency > 0)
        {
            limits.concurrency = match->concurrency;
        }
        if (match->ratePerHour > 0)
        {
            limits.ratePerHour = match->ratePerHour;
        }
    }
    return limits;
}

int Deliverd::concurrencyOf(const DestinationState &state, const DestinationLimits &limits, qint64 nowMs) const
{
    if (state.reducedConcurrency > 0 && nowMs < state.reducedUntilMs)
    {
        return std::min(limits.concurrency, state.reducedConcurrency);
    }
    return limits.concurrency;
}

bool Deliverd::takeRate(DestinationState &state, const DestinationLimits &limits, qint64 nowMs, qint64 *dueAtMs)
{
    if (limits.ratePerHour <= 0)
    {
        return true;
    }
    if (state.nextStartAtMs > nowMs)
    {
        *dueAtMs = qint64(std::ceil(state.nextStartAtMs));
        return false;
    }
    // Evenly spaced starts, as a token bucket one second deep: a busy event loop that
    // starts a message late catches up within the second (the rate over a minute holds),
    // an idle destination saves up no more than that, a new one none.
    const double interval = 3600000.0 / limits.ratePerHour;
    const double start = state.nextStartAtMs <= 0
        ? double(nowMs)
        : std::max(state.nextStartAtMs, double(nowMs) - std::max(interval, double(RateBurstMs)));
    state.nextStartAtMs = start + interval;
    return true;
}

void Deliverd::dispatch()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 nextDue = 0;
    for (auto it = m_waiting.begin(); it != m_waiting.end() && m_jobs.size() < m_config.deliverdMaxInFlight;)
    {
        const DestinationLimits limits = limitsFor(it->domain);
        DestinationState &destination = m_destinations[limits.key];
        qint64 due = 0;
        if (destination.running >= concurrencyOf(destination, limits, now))
        {
            ++it;
            continue;
        }
        if (!takeRate(destination, limits, now, &due))
        {
            nextDue = nextDue == 0 ? due : std::min(nextDue, due);
            ++it;
            continue;
        }
        ++destination.running;
        it->destination = limits.key;
        it->startedAtMs = now;
        auto *job = new DeliveryJob(*it, m_settings, m_resolver.get(), this);
        job->setMtaSts(m_mtaStsFetcher.get(), &m_mtaStsCache);
        m_jobs.append(job);
        connect(job, &DeliveryJob::finished, this, [this, job]() { onJobFinished(job); });
        connect(job, &DeliveryJob::tlsSession, this, &Deliverd::onTlsSession);
        it = m_waiting.erase(it);
        job->start();
    }
    if (nextDue > 0 && (!m_rateTimer.isActive() || m_rateTimer.remainingTime() > nextDue - now))
    {
        m_rateTimer.start(int(std::max<qint64>(1, nextDue - now)));
    }
}

void Deliverd::concurrencyFeedback(DeliveryJob *job)
{
    // RFC 5321 §4.2.3: 421 is the server closing the channel; a 4xx that says "too many"
    // (connections, sessions, messages) asks for the same. As Postfix's destination
    // concurrency feedback does, fewer sessions go there for a while.
    static const QRegularExpression tooBusy(
        QStringLiteral("(?:^|\\s)(?:421[ -]|4[0-9][0-9][ -].*too many)"), QRegularExpression::CaseInsensitiveOption);
    QString said;
    for (const RecipientResult &result : job->results())
    {
        if (result.kind == RecipientResult::Kind::Temporary && tooBusy.match(result.detail).hasMatch())
        {
            said = result.detail;
            break;
        }
    }
    if (said.isEmpty())
    {
        return;
    }
    const QString key = job->delivery().destination;
    const DestinationLimits limits = limitsFor(job->delivery().domain);
    DestinationState &destination = m_destinations[key];
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Only a session started after the last halving tells something new: the others
    // were refused with the concurrency already halved for them.
    if (job->delivery().startedAtMs < destination.reducedAtMs)
    {
        destination.reducedUntilMs = now + FeedbackHoldMs;
        return;
    }
    const int halved = std::max(1, concurrencyOf(destination, limits, now) / 2);
    destination.reducedConcurrency = halved;
    destination.reducedAtMs = now;
    destination.reducedUntilMs = now + FeedbackHoldMs;
    qCWarning(lcDeliverd).noquote() << QStringLiteral("destination %1 is busy (%2): concurrency halved to %3 for %4 s")
                                           .arg(key, said, QString::number(halved),
                                               QString::number(FeedbackHoldMs / 1000));
}

void Deliverd::onJobFinished(DeliveryJob *job)
{
    recordResults(job);
    concurrencyFeedback(job);
    // Empty for a route, LMTP or a failed lookup: known, and matched by the domain alone.
    if (m_mxHosts.size() >= MaxMxHostsKept)
    {
        m_mxHosts.clear();
    }
    m_mxHosts.insert(job->delivery().domain, job->mxHost());
    const QString key = job->delivery().destination;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // The session may carry the next message waiting for the same destination: no new
    // connection, greeting, EHLO or TLS handshake for it.
    // It suits a delivery to the same domain through the same routes (or the same MX),
    // within the destination's limits (a halved concurrency closes sessions over it).
    if (m_running && job->canContinue() && job->messagesInSession() < MaxMessagesPerSession)
    {
        const QString domain = job->delivery().domain;
        const QList<qint64> routes = routeIds(job->delivery());
        const DestinationLimits limits = limitsFor(domain);
        DestinationState &destination = m_destinations[key];
        const auto next = std::find_if(m_waiting.begin(), m_waiting.end(),
            [&](const Delivery &waiting) { return waiting.domain == domain && routeIds(waiting) == routes; });
        qint64 due = 0;
        // A domain whose MX host matched a "*.suffix" throttle since the session began
        // is counted under the pattern from its next message on.
        if (next != m_waiting.end() && limits.key == key
            && destination.running <= concurrencyOf(destination, limits, now)
            && takeRate(destination, limits, now, &due))
        {
            Delivery delivery = std::move(*next);
            m_waiting.erase(next);
            delivery.destination = key;
            delivery.startedAtMs = now;
            job->continueWith(std::move(delivery));
            claimMore();
            return;
        }
    }
    m_jobs.removeOne(job);
    job->endSession();
    job->deleteLater();
    auto destination = m_destinations.find(key);
    if (destination != m_destinations.end() && --destination->running <= 0 && destination->reducedUntilMs < now
        && destination->nextStartAtMs < now)
    {
        m_destinations.erase(destination);
    }
    if (!m_running)
    {
        if (m_jobs.isEmpty())
        {
            finishStop();
        }
        return;
    }
    dispatch();
    claimMore();
}

void Deliverd::recordResults(DeliveryJob *job)
{
    const Delivery &delivery = job->delivery();
    auto found = m_held.find(delivery.messageId);
    if (found != m_held.end())
    {
        HeldMessage &held = found.value();
        const QList<RecipientResult> &results = job->results();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        int delivered = 0;
        for (qsizetype i = 0; i < results.size() && i < delivery.positions.size(); ++i)
        {
            QueuedRecipient &recipient = held.message.recipients[delivery.positions.at(i)];
            const RecipientResult &result = results.at(i);
            recipient.lastError = result.detail;
            if (result.kind == RecipientResult::Kind::Delivered)
            {
                recipient.status = QueuedRecipient::Delivered;
                ++delivered;
                // RFC 3461 §5.2.2: a success the sender asked for, once the LMTP server put the
                // message in the mailbox. §5.2.3: a next hop without DSN cannot report it:
                // tmail says it relayed the message.
                if (result.finalDelivery && Bouncer::wants(recipient, Bouncer::Action::Delivered))
                {
                    held.delivered.append(delivery.positions.at(i));
                }
                else if (!result.finalDelivery && !result.dsnPassed
                    && Bouncer::wants(recipient, Bouncer::Action::Relayed))
                {
                    held.relayed.append(delivery.positions.at(i));
                }
                Metrics::instance().observeDeliveryLatency(now - held.message.createdAtMs);
            }
            else if (result.kind == RecipientResult::Kind::Permanent)
            {
                recipient.status = QueuedRecipient::Failed;
                Metrics::instance().countBounced(Metrics::failureOf(result.detail));
            }
            else
            {
                held.lastError = result.detail;
            }
        }
        Metrics::instance().countDelivered(delivered);
        if (delivered > 0)
        {
            emit recipientsDelivered(delivered);
        }
        if (--held.jobsLeft <= 0)
        {
            finishMessage(held);
        }
    }
}

void Deliverd::finishMessage(HeldMessage &held)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool expired = now - held.message.createdAtMs >= qint64(m_config.deliverdQueueLifetimeMinutes) * 60000;
    bool pending = false;
    bool failed = false;
    for (QueuedRecipient &recipient : held.message.recipients)
    {
        if (recipient.status != QueuedRecipient::Pending)
        {
            failed = failed || recipient.status == QueuedRecipient::Failed;
            continue;
        }
        if (expired)
        {
            failed = true;
            Metrics::instance().countBounced(Metrics::Failure::Expired);
            recipient.status = QueuedRecipient::Failed;
            recipient.lastError
                = QStringLiteral("5.4.7 delivery time expired, last error: %1").arg(recipient.lastError);
        }
        else
        {
            pending = true;
            Metrics::instance().countDeferred(Metrics::failureOf(recipient.lastError));
        }
    }
    // RFC 3464 Action: delayed, once per recipient, after TMAIL_DELIVERD_DELAY_WARNING;
    // never to <> (RFC 3461 §6.2) nor for a NOTIFY without DELAY.
    QList<int> delayed;
    const qint64 warnAfterMs = m_config.deliverdDelayWarningSeconds * 1000;
    if (pending && warnAfterMs > 0 && now - held.message.createdAtMs >= warnAfterMs
        && !held.message.envelopeSender.isEmpty())
    {
        for (int position = 0; position < held.message.recipients.size(); ++position)
        {
            QueuedRecipient &recipient = held.message.recipients[position];
            if (recipient.status == QueuedRecipient::Pending && !recipient.delayNotified
                && Bouncer::wants(recipient, Bouncer::Action::Delayed))
            {
                recipient.delayNotified = true;
                delayed.append(position);
            }
        }
    }
    AttemptOutcome outcome;
    outcome.message = held.message;
    outcome.relayed = held.relayed;
    outcome.delivered = held.delivered;
    outcome.delayed = delayed;
    outcome.finished = !pending;
    outcome.nextAttemptAtMs = now + m_retrySchedule.delayMs(held.message.attempts + 1);
    outcome.lastError = held.lastError;
    held.recording = true;
    if (!pending && failed)
    {
        emit messageBounced(held.message.id);
    }
    DeliveryWorker *worker = m_worker.get();
    QMetaObject::invokeMethod(worker, [worker, outcome]() { worker->record(outcome); });
}

void Deliverd::onRecorded(const QString &messageId)
{
    m_held.remove(messageId);
    emit attemptRecorded(messageId);
    claimMore();
}

void Deliverd::renewLeases()
{
    QStringList ids;
    for (const HeldMessage &held : std::as_const(m_held))
    {
        if (!held.recording)
        {
            ids.append(held.message.id);
        }
    }
    if (ids.isEmpty())
    {
        return;
    }
    DeliveryWorker *worker = m_worker.get();
    const QString nodeId = m_nodeId;
    const qint64 until = QDateTime::currentMSecsSinceEpoch() + m_leaseMs;
    QMetaObject::invokeMethod(worker, [worker, ids, nodeId, until]() { worker->renew(ids, nodeId, until); });
}

void Deliverd::loadMtaStsPolicy(const QString &domain, QObject *context, const MtaStsCache::Loaded &done)
{
    QList<QPair<QPointer<QObject>, MtaStsCache::Loaded>> &waiting = m_mtaStsWaiting[domain];
    waiting.append({ QPointer<QObject>(context), done });
    if (waiting.size() > 1)
    {
        return; // one read answers every job waiting for the domain
    }
    DeliveryWorker *worker = m_worker.get();
    QMetaObject::invokeMethod(worker, [this, worker, domain]() {
        const std::optional<StoredMtaStsPolicy> stored = worker->loadMtaStsPolicy(domain);
        // Deliverd outlives its worker's thread: the answer reaches it or is dropped with it.
        QMetaObject::invokeMethod(this, [this, domain, stored]() { onMtaStsPolicyLoaded(domain, stored); });
    });
}

void Deliverd::onMtaStsPolicyLoaded(const QString &domain, const std::optional<StoredMtaStsPolicy> &stored)
{
    const QList<QPair<QPointer<QObject>, MtaStsCache::Loaded>> waiting = m_mtaStsWaiting.take(domain);
    const std::optional<CachedMtaStsPolicy> policy = CachedMtaStsPolicy::fromStored(stored);
    for (const auto &[context, done] : waiting)
    {
        if (context)
        {
            done(policy);
        }
    }
}

void Deliverd::onTlsSession(const TlsSessionOutcome &outcome)
{
    if (outcome.kind != TlsSessionOutcome::Kind::Failed)
    {
        ++m_tlsOutcomes[int(outcome.kind)];
        emit tlsOutcomeCounted(int(outcome.kind));
    }
    TlsSessionCount count;
    count.policyDomain = outcome.policyDomain;
    count.day = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
    count.policyType = outcome.policyType;
    count.policyString = outcome.policyString.join(QLatin1Char('\n'));
    count.mxHost = outcome.mxHost;
    count.receivingIp = outcome.receivingIp;
    count.resultType = outcome.resultType;
    const QString key = QStringList { count.policyDomain, count.day, count.policyType, count.policyString, count.mxHost,
        count.receivingIp, count.resultType }
                            .join(QLatin1Char('\x1f'));
    TlsSessionCount &row = m_tlsCounts[key];
    if (row.sessions == 0)
    {
        row = count;
    }
    ++row.sessions;
    // Counts are written in batches: one write transaction for the sessions of a while.
    if (!m_tlsFlushTimer.isActive())
    {
        m_tlsFlushTimer.start(TlsCountFlushMs);
    }
}

void Deliverd::flushTlsCounts()
{
    m_tlsFlushTimer.stop();
    if (m_tlsCounts.isEmpty() || !m_worker)
    {
        return;
    }
    const QList<TlsSessionCount> counts = m_tlsCounts.values();
    m_tlsCounts.clear();
    DeliveryWorker *worker = m_worker.get();
    QMetaObject::invokeMethod(worker, [worker, counts]() { worker->recordTlsSessions(counts); });
}

void Deliverd::sendDueTlsReports()
{
    const QDate yesterday = QDateTime::currentDateTimeUtc().date().addDays(-1);
    if (m_tlsReportsDoneFor == yesterday)
    {
        return;
    }
    m_tlsReportsDoneFor = yesterday;
    sendTlsReports(yesterday);
}

void Deliverd::sendTlsReports(const QDate &day)
{
    if (!m_running || !m_resolver)
    {
        return;
    }
    flushTlsCounts();
    DeliveryWorker *worker = m_worker.get();
    QMetaObject::invokeMethod(worker, [this, worker, day]() {
        const QStringList domains = worker->pendingTlsReports(day);
        QMetaObject::invokeMethod(this, [this, worker, day, domains]() {
            for (const QString &domain : domains)
            {
                // RFC 8460 §3: the reporting policy is the TXT record of _smtp._tls.DOMAIN.
                m_resolver->lookupTxt(
                    QStringLiteral("_smtp._tls.") + domain, this, [this, worker, day, domain](const TxtLookup &lookup) {
                        TlsReportRua rua;
                        for (const QString &text : lookup.texts)
                        {
                            const Expected<TlsReportRua> found = TlsReportSender::parseRua(text);
                            if (found)
                            {
                                rua.append(found.value());
                            }
                        }
                        if (rua.isEmpty())
                        {
                            return; // no report wanted
                        }
                        QMetaObject::invokeMethod(worker, [this, worker, domain, day, rua]() {
                            const std::optional<TlsReport> report = worker->claimTlsReport(domain, day, rua.mailto);
                            if (report && !rua.https.isEmpty())
                            {
                                QMetaObject::invokeMethod(
                                    this, [this, report, rua]() { postTlsReport(*report, rua.https); });
                            }
                        });
                    });
            }
        });
    });
}

void Deliverd::postTlsReport(const TlsReport &report, const QList<QUrl> &urls)
{
    if (!m_mtaStsFetcher)
    {
        return;
    }
    const QByteArray gzipped = TlsReportSender::gzip(report.json);
    for (const QUrl &url : urls)
    {
        // RFC 8460 §5.4: an HTTP POST of the gzipped JSON; the report was claimed already,
        // so a failure is logged and not retried (as for a bounced report by mail).
        m_mtaStsFetcher->postReport(url, gzipped, this, [report, url](const Status &posted) {
            if (posted)
            {
                qCInfo(lcDeliverd).noquote()
                    << "TLS report of" << report.policyDomain << "for" << report.day.toString(Qt::ISODate)
                    << "posted to" << url.toDisplayString();
            }
            else
            {
                qCWarning(lcDeliverd).noquote() << "TLS report of" << report.policyDomain << "not posted to"
                                                << url.toDisplayString() << ":" << posted.error();
            }
        });
    }
}

void Deliverd::beat()
{
    DeliveryWorker *worker = m_worker.get();
    const QString nodeId = m_nodeId;
    const qint64 started = m_startedAtMs;
    const int claims = int(m_held.size());
    QMetaObject::invokeMethod(worker, [worker, nodeId, started, claims]() { worker->beat(nodeId, started, claims); });
}
