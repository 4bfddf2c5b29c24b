// deliverd's database side, on its own thread with its own connection: claims,
// lease renewals, releases, removals and bounces (all blocking work lives here).
#pragma once

#include "config/config.h"
#include "db/database.h"
#include "db/mtastspolicytable.h"
#include "db/queuetable.h"
#include "db/records.h"
#include "db/tlsreporttable.h"
#include "queue/bodyremover.h"
#include "queue/diskstore.h"
#include "queue/tlsreportsender.h"

#include <optional>

#include <QList>
#include <QObject>
#include <QStringList>

// What an attempt did to a message, handed to the worker to record.
struct AttemptOutcome
{
    QueuedMessage message; // recipients with their statuses and errors after the attempt
    bool finished = false; // no recipient is pending any more
    qint64 nextAttemptAtMs = 0;
    QString lastError;
    // Notices the attempt calls for (RFC 3464), by recipient position: Action: relayed
    // (delivered to a next hop without DSN, NOTIFY=SUCCESS) and Action: delayed (late
    // recipients, already marked delayNotified in message).
    QList<int> relayed;
    QList<int> delivered; // Action: delivered (an LMTP server's 2xx, NOTIFY=SUCCESS)
    QList<int> delayed;
};

class DeliveryWorker : public QObject
{
    Q_OBJECT
public:
    DeliveryWorker(const Config &config, const QString &connectionName);
    ~DeliveryWorker() override;

    // Each runs on the worker's thread. open() also hands back the claims nodeId still
    // holds: messages a previous run of this node left in flight when it crashed.
    Status open(const QString &nodeId);
    // Hands back whatever this node still holds, then closes the connection.
    void close();
    void claim(const QString &nodeId, qint64 leaseMs, int limit);
    void renew(const QStringList &ids, const QString &nodeId, qint64 untilMs);
    // Writes this node's row in nodes: host, version, start, now, claims held.
    void beat(const QString &nodeId, qint64 startedAtMs, int claims);
    // Outcomes are recorded in batches: every outcome waiting when the worker gets to
    // them, and the removals of all delivered messages in one transaction.
    void record(const AttemptOutcome &outcome);
    // Removes the store's files that no queue row names and that were last written more
    // than a day ago: a crash between a body's rename and its row's commit leaves one,
    // and so does a reception cut by a crash (tmp/). Read-only on the database.
    void sweepStore();
    // Counts the queue for the metrics (Metrics::setQueue). Read-only on the database.
    void refreshQueueStats();
    // The shared MTA-STS policy cache (mta_sts_policies): one domain's row, or nullopt
    // when it has none or cannot be read (a failure is logged: no policy is then known).
    std::optional<StoredMtaStsPolicy> loadMtaStsPolicy(const QString &domain);
    void saveMtaStsPolicy(const StoredMtaStsPolicy &policy);
    // TLS reporting (RFC 8460): adds session counts to tls_report_counts; the policy
    // domains of day whose report is not sent yet; queues one domain's report.
    void recordTlsSessions(const QList<TlsSessionCount> &counts);
    QStringList pendingTlsReports(const QDate &day);
    // Claims the report of policyDomain for day (once among all nodes) and queues it to
    // the mailto: recipients, if any; the claimed report, for the https: ones.
    std::optional<TlsReport> claimTlsReport(
        const QString &policyDomain, const QDate &day, const QStringList &recipients);

signals:
    // routes is the full route table when routesChanged.
    void claimed(const QList<QueuedMessage> &messages, const QList<Route> &routes, bool routesChanged);
    void claimFailed(const QString &error);
    // The rcpthosts added with -l (lower case) and the throttles, read with the routes,
    // before claimed().
    void localDomainsRead(const QStringList &domains);
    void throttlesRead(const QList<Throttle> &throttles);
    void recorded(const QString &messageId);

private:
    void readLocalDomains();
    void flushOutcomes();
    // Queues the relayed and delayed notices of outcome; a delay notice that could not
    // be queued is unmarked, so that the next attempt tries it again.
    void queueNotices(AttemptOutcome &outcome);
    void recordOne(const AttemptOutcome &outcome);
    void removeMessages(const QList<QueuedMessage> &messages);
    void removeMessage(const QueuedMessage &message);

    Config m_config;
    QString m_connectionName;
    std::optional<Database> m_db;
    BodyRemover m_bodyRemover;
    DiskStore m_store; // spool and working copies; reads disk and database keys alike
    QString m_nodeId;
    qint64 m_routesSerial = -1;
    QList<AttemptOutcome> m_outcomes;
    bool m_flushScheduled = false;
};
