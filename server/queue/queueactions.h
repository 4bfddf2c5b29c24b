// What an administrator does to queued messages, from the command line or the manager:
// look, retry, bounce, discard, hold and release, one message or every message a filter
// selects. Each action takes the id (or a unique prefix of it) as typed and checks it here.
#pragma once

#include "config/config.h"
#include "core/expected.h"
#include "core/queuefilter.h"
#include "db/queuetable.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

class Database;

class QueueActions
{
public:
    enum class Action
    {
        Retry,
        Bounce,
        Discard,
        Hold,
        Release
    };
    // "retry", "bounce"…: how the command line and the manager name an action.
    static QString actionName(Action action);
    static std::optional<Action> actionNamed(const QString &name);
    // Past tense for messages and logs: "retried", "bounced"…
    static QString actionDone(Action action);

    // Recipient domains × age, as Postfix's qshape: pending recipients per domain, by the
    // age of their message in minutes (bucketLimits; the last column is older than all).
    struct Shape
    {
        struct Row
        {
            QString domain;
            qint64 total = 0;
            QList<qint64> counts; // one per bucketLimits entry, then one for older
        };
        QList<int> bucketLimits; // minutes: 5, 10, 20 … 1280
        Row all; // "TOTAL"
        QList<Row> rows; // most recipients first
    };

    QueueActions(Database &db, const Config &config);

    // The state of a message as statusNames() names it.
    static QString statusOf(const QueuedMessage &message, qint64 nowMs);

    // Oldest first; offset >= 0, limit >= 1.
    Expected<QList<QueuedMessage>> list(int offset, int limit);
    Expected<int> count();
    // Every message the filter selects, oldest first.
    Expected<QList<QueuedMessage>> select(const QueueFilter &filter);
    // The full id of the message whose id starts with text: InvalidInput for a malformed
    // id or a prefix several messages share (the error names them), NotFound for none.
    Expected<QString> resolveId(const QString &text);
    // InvalidInput for a malformed id, NotFound when no such message is queued.
    Expected<QueuedMessage> find(const QString &id);
    // The message as stored (headers and body, CRLF line ends).
    Expected<QByteArray> content(const QString &id);
    // Makes the message due now (claimed ones are left to their node; a held one stays
    // held and is tried once released).
    Status retry(const QString &id);
    Status retryAll();
    // Removes the message without notice: its queue record (deliverd no longer sees
    // it), then its body. Returns the message as it was.
    Expected<QueuedMessage> discard(const QString &id);
    // Every pending recipient fails with "bounced by the administrator", a bounce goes
    // to the sender (unless it is <>), then the message and its body are removed.
    // Returns the message as it was.
    Expected<QueuedMessage> bounce(const QString &id);
    // deliverd claims a held message no more until it is released.
    Expected<QueuedMessage> hold(const QString &id);
    Expected<QueuedMessage> release(const QString &id);
    // One action on one message (id or unique prefix); returns the message as it was.
    Expected<QueuedMessage> apply(Action action, const QString &id);
    Expected<Shape> shape(qint64 nowMs);

private:
    Database &m_db;
    const Config &m_config;
};
