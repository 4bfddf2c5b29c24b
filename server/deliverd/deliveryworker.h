// deliverd's database side, on its own thread with its own connection: claims,
// lease renewals, releases, removals and bounces (all blocking work lives here).
#pragma once

#include "config/config.h"
#include "db/database.h"
#include "db/queuetable.h"
#include "db/records.h"
#include "queue/bodyremover.h"

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
    // Outcomes are recorded in batches: every outcome waiting when the worker gets to
    // them, and the removals of all delivered messages in one transaction.
    void record(const AttemptOutcome &outcome);
    // Removes the store's files that no queue row names and that were last written more
    // than a day ago: a crash between a body's rename and its row's commit leaves one,
    // and so does a reception cut by a crash (tmp/). Read-only on the database.
    void sweepStore();
    // Counts the queue for the metrics (Metrics::setQueue). Read-only on the database.
    void refreshQueueStats();

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
    void recordOne(const AttemptOutcome &outcome);
    void removeMessages(const QList<QueuedMessage> &messages);
    void removeMessage(const QueuedMessage &message);

    Config m_config;
    QString m_connectionName;
    std::optional<Database> m_db;
    BodyRemover m_bodyRemover;
    QString m_nodeId;
    qint64 m_routesSerial = -1;
    QList<AttemptOutcome> m_outcomes;
    bool m_flushScheduled = false;
};
