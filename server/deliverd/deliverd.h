// The delivery agent: claims due messages from the queue, sends them to their next
// hops with at most TMAIL_DELIVERD_MAX_IN_FLIGHT SMTP sessions, retries and bounces.
#pragma once

#include "config/config.h"
#include "core/expected.h"
#include "db/mtastspolicytable.h"
#include "db/queuetable.h"
#include "db/records.h"
#include "db/tlsreporttable.h"
#include "deliverd/deliveryjob.h"
#include "deliverd/mtastscache.h"
#include "deliverd/retryschedule.h"
#include "queue/tlsreportsender.h"

#include <deque>
#include <memory>

#include <QDate>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUrl>

class DeliveryWorker;
class DnsResolver;
class MtaStsFetcher;
class QThread;

class Deliverd : public QObject
{
    Q_OBJECT
public:
    explicit Deliverd(const Config &config, QObject *parent = nullptr);
    ~Deliverd() override;

    // Opens the database (on deliverd's own thread) and starts polling the queue.
    Status start();
    // Aborts the sessions in progress, hands their messages back to the queue (due
    // now), closes the database, then emits stopped().
    void stop();

    // Tuning, before start(): the tests shorten them.
    void setRetrySchedule(const RetrySchedule &schedule) { m_retrySchedule = schedule; }
    void setPollIntervalMs(int ms) { m_pollIntervalMs = ms; }
    void setMxPort(quint16 port) { m_settings.mxPort = port; }
    void setNodeId(const QString &nodeId) { m_nodeId = nodeId; }
    void setLeaseMs(qint64 ms) { m_leaseMs = ms; }
    // TMAIL_DELIVERD_DEST_CONCURRENCY until the next reload.
    void setPerDestinationLimit(int limit) { m_config.deliverdDestConcurrency = limit; }
    const QString &nodeId() const { return m_nodeId; }
    // The MTA-STS policies fetched so far (RFC 8461 §5.1).
    MtaStsCache &mtaStsCache() { return m_mtaStsCache; }

    // A reload: the live settings of next (Config::takeLiveSettings) apply to the
    // deliveries started from now on and to the next outcome recorded (queue lifetime);
    // sessions in progress finish with the settings they started with. Main thread only.
    void applySettings(const Config &next);

    // Looks at the queue now (connect smtpd's "message queued" here).
    void wake();
    // Queues the TLS reports (RFC 8460) of day still unsent, to the domains that publish
    // an _smtp._tls record; deliverd does it for the previous UTC day once a day.
    void sendTlsReports(const QDate &day);
    // Successful MX deliveries since start, per TLS outcome (int(TlsSessionOutcome::Kind)),
    // for the manager's dashboard.
    const QHash<int, qint64> &tlsOutcomes() const { return m_tlsOutcomes; }

signals:
    void stopped();
    // The outcome of an attempt on messageId is in the database (tests wait for it).
    void attemptRecorded(const QString &messageId);
    // Counters for the manager: recipients a remote accepted; messages given up on
    // (a bounce goes to the sender unless it is <>).
    void recipientsDelivered(int count);
    void messageBounced(const QString &messageId);
    // An MX delivery session ended with this TLS outcome (int(TlsSessionOutcome::Kind)).
    void tlsOutcomeCounted(int kind);

private:
    // The limits that apply to a delivery's destination: the throttle whose pattern matches
    // its domain (or its MX host, once known), else the global settings. key names the
    // destination whose sessions and rate are counted: the domain, or the throttle's pattern.
    struct DestinationLimits
    {
        QString key;
        int concurrency = 10;
        double ratePerHour = 0; // 0: no limit
    };
    // What deliverd counts per destination.
    struct DestinationState
    {
        int running = 0;
        double nextStartAtMs = 0; // the rate: no new message before
        int reducedConcurrency = 0; // > 0 while a peer said "too many" (until reducedUntilMs)
        qint64 reducedUntilMs = 0;
        qint64 reducedAtMs = 0;
    };

    struct HeldMessage
    {
        QueuedMessage message;
        int jobsLeft = 0;
        bool recording = false;
        QString lastError;
        QList<int> relayed; // positions delivered to a next hop without DSN that asked for NOTIFY=SUCCESS
        QList<int> delivered; // positions an LMTP server put in the mailbox that asked for NOTIFY=SUCCESS
    };

    void claimMore();
    void sweepStore();
    void refreshQueueStats();
    void onClaimed(const QList<QueuedMessage> &messages, const QList<Route> &routes, bool routesChanged);
    void onClaimFailed(const QString &error);
    void onRecorded(const QString &messageId);
    void dispatch();
    DestinationLimits limitsFor(const QString &domain) const;
    int concurrencyOf(const DestinationState &state, const DestinationLimits &limits, qint64 nowMs) const;
    // Takes a message's start from the destination's rate; false when it is not due yet
    // (*dueAtMs set).
    bool takeRate(DestinationState &state, const DestinationLimits &limits, qint64 nowMs, qint64 *dueAtMs);
    // A 421 or a "too many" 4xx among job's answers halves its destination's concurrency.
    void concurrencyFeedback(DeliveryJob *job);
    void onJobFinished(DeliveryJob *job);
    void recordResults(DeliveryJob *job);
    void finishMessage(HeldMessage &held);
    void renewLeases();
    void beat();
    void finishStop();
    void onTlsSession(const TlsSessionOutcome &outcome);
    void flushTlsCounts();
    void sendDueTlsReports();
    void postTlsReport(const TlsReport &report, const QList<QUrl> &urls);
    // The MTA-STS cache's shared store, on the worker's thread (see MtaStsCache::Backend).
    void loadMtaStsPolicy(const QString &domain, QObject *context, const MtaStsCache::Loaded &done);
    void onMtaStsPolicyLoaded(const QString &domain, const std::optional<StoredMtaStsPolicy> &stored);

    Config m_config;
    DeliverySettings m_settings;
    RetrySchedule m_retrySchedule;
    QString m_nodeId;
    int m_pollIntervalMs = 1000;
    qint64 m_leaseMs = 60 * 1000; // TMAIL_DELIVERD_LEASE

    std::unique_ptr<DnsResolver> m_resolver;
    std::unique_ptr<MtaStsFetcher> m_mtaStsFetcher;
    MtaStsCache m_mtaStsCache;
    // TLS sessions counted since the last flush to tls_report_counts, by row.
    QHash<QString, TlsSessionCount> m_tlsCounts;
    QTimer m_tlsFlushTimer;
    QTimer m_tlsReportTimer; // once an hour: the previous day's reports, if not yet sent
    QDate m_tlsReportsDoneFor;
    QHash<int, qint64> m_tlsOutcomes;
    // Jobs waiting for a domain's row of mta_sts_policies, per domain (one read each).
    QHash<QString, QList<QPair<QPointer<QObject>, MtaStsCache::Loaded>>> m_mtaStsWaiting;
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<DeliveryWorker> m_worker;
    QTimer m_pollTimer;
    QTimer m_sweepTimer; // the store's unreferenced files (DeliveryWorker::sweepStore)
    QTimer m_queueStatsTimer; // the queue's size for the metrics (DeliveryWorker::refreshQueueStats)
    QTimer m_renewTimer;
    QTimer m_heartbeatTimer; // this node's row in nodes (DeliveryWorker::beat)
    qint64 m_startedAtMs = 0;
    // Claims are write transactions (one fsync each): under load, wake-ups and finished
    // jobs are coalesced into at most one claim per MinClaimGapMs.
    QTimer m_claimDelay;
    QElapsedTimer m_sinceClaim;
    bool m_running = false;
    bool m_stopFinished = false;
    bool m_claiming = false;
    int m_claimLimit = 0;

    QList<Route> m_routes;
    QSet<QString> m_localDomains; // rcpthosts added with -l: over LMTP when TMAIL_LMTP_TARGET is set
    QHash<QString, HeldMessage> m_held;
    std::deque<Delivery> m_waiting;
    QHash<QString, DestinationState> m_destinations; // by DestinationLimits::key
    QList<Throttle> m_throttles; // `tmail throttle`
    QHash<QString, QString> m_mxHosts; // a domain's first MX host, as its last job found it
    QTimer m_rateTimer; // the next rate-limited delivery due
    QList<DeliveryJob *> m_jobs; // children of this object while they run
};
