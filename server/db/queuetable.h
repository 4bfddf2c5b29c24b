// The queue of accepted messages waiting for delivery, shared by every tmail node:
// batches go in with one commit, nodes claim due messages under a lease.
#pragma once

#include "core/dsn.h"
#include "core/expected.h"
#include "db/database.h"

#include <functional>

#include <QList>
#include <QString>
#include <QStringList>

struct QueuedRecipient
{
    enum Status
    {
        Pending = 0,
        Delivered = 1,
        Failed = 2
    };

    // "pending", "delivered", "failed": how the command line and the manager name a status.
    static QString statusName(int status);

    QString address;
    int status = Pending;
    QString lastError;
    int dsnNotify = 0; // NOTIFY (Dsn::Notify bits); 0: not given
    QString dsnOrcpt; // ORCPT as "addr-type;address" (decoded); empty: not given
    bool delayNotified = false; // the sender was told once that this recipient is late
};

// How many messages the queue holds, and since when the oldest waits.
struct QueueStats
{
    qint64 messages = 0;
    qint64 oldestCreatedAtMs = 0; // 0 when the queue is empty
};

// A recipient domain of the queue: its messages with a pending recipient there.
struct QueueDestination
{
    QString domain; // lower case
    qint64 messages = 0;
    qint64 recipients = 0; // pending recipients in that domain
    qint64 oldestCreatedAtMs = 0; // when the oldest of those messages was accepted
};

struct QueuedMessage
{
    QString id; // 40 hex digits (QueueTable::newId())
    QString envelopeSender; // empty: the null sender <>
    QString authUser; // empty: not authenticated
    QString clientIp;
    QString helo;
    qint64 sizeBytes = 0;
    QString storeKey; // where the body is, for the store
    qint64 createdAtMs = 0;
    qint64 nextAttemptAtMs = 0;
    int attempts = 0;
    QString claimedBy; // node id; empty when not claimed
    qint64 claimExpiresAtMs = 0;
    QString lastError;
    Dsn::Ret dsnRet = Dsn::Ret::Unset; // RET of MAIL
    QString dsnEnvid; // ENVID of MAIL (decoded); empty: not given
    bool held = false; // held by an administrator: deliverd does not claim it until released
    QList<QueuedRecipient> recipients; // in RCPT order
};

class QueueTable
{
public:
    explicit QueueTable(Database &db) : m_db(db) { }

    // A fresh message id, 40 hex digits: the time in ms (12), then random ones (28), so
    // that ids sort by creation, to the millisecond of one node's clock.
    static QString newId();
    // 40 lower-case hexadecimal digits, as newId() makes them.
    static bool isValidId(const QString &id);

    // Every message of the batch in one transaction: one commit (one fsync) for all.
    // alongside, when set, runs in that transaction after each message's rows (the
    // database store writes the body there).
    Status enqueue(const QList<QueuedMessage> &batch,
        const std::function<Status(const QueuedMessage &)> &alongside = std::function<Status(const QueuedMessage &)>());
    // Renews the lease of a claim nodeId still holds (not one another node took over).
    Status renewClaim(const QString &id, const QString &nodeId, qint64 untilMs);
    // Oldest first (created_at_ms, then id).
    Expected<QList<QueuedMessage>> list(int offset, int limit);
    Expected<QueuedMessage> find(const QString &id);
    // Whether a message of that id is queued (an error says nothing either way).
    Expected<bool> contains(const QString &id);
    Status remove(const QString &id); // with its recipients
    // Every message of ids, with its recipients, in one transaction (one commit for
    // all); ids no longer queued are passed over.
    Status remove(const QStringList &ids);
    Expected<int> count();
    // Every node's messages, one read-only statement.
    Expected<QueueStats> stats();
    // The limit domains with the most messages waiting for them (pending recipients), most
    // first, then by name; held messages count. limit: 1 to 1000.
    Expected<QList<QueueDestination>> destinations(int limit);

    // Takes up to limit messages that are due (next attempt <= nowMs) and not claimed,
    // or whose claim expired, for nodeId until nowMs + leaseMs. No two connections get
    // the same message while its lease runs. While claimed, a message's next attempt
    // is its lease end, so a node that dies hands its messages back when leases expire.
    Expected<QList<QueuedMessage>> claimDue(const QString &nodeId, qint64 nowMs, qint64 leaseMs, int limit);
    // Ends a claim after a delivery attempt: counts the attempt, records the next one
    // and the error, and the recipients' statuses (recipients[i] is position i; an
    // empty list leaves them unchanged).
    Status release(
        const QString &id, qint64 nextAttemptAtMs, const QString &lastError, const QList<QueuedRecipient> &recipients);
    // Makes a message (or every waiting message) due now; claimed ones are left to their node.
    Status retry(const QString &id);
    Status retryAll();
    // Holds a message (deliverd claims it no more) or releases it; a claim in progress ends
    // as usual. NotFound when no such message is queued.
    Status setHeld(const QString &id, bool held);
    // The ids that start with prefix (lower-case hex digits), at most limit of them, sorted.
    Expected<QStringList> idsWithPrefix(const QString &prefix, int limit);

private:
    Expected<QList<QueuedRecipient>> recipientsOf(const QString &id);

    Database &m_db;
};
