// What an administrator does to queued messages, from the command line or the manager:
// look, retry, bounce, discard. Each action takes the id as typed and checks it here.
#pragma once

#include "config/config.h"
#include "core/expected.h"
#include "db/queuetable.h"

#include <QList>
#include <QString>

class Database;

class QueueActions
{
public:
    QueueActions(Database &db, const Config &config);

    // Oldest first; offset >= 0, limit >= 1.
    Expected<QList<QueuedMessage>> list(int offset, int limit);
    Expected<int> count();
    // InvalidInput for a malformed id, NotFound when no such message is queued.
    Expected<QueuedMessage> find(const QString &id);
    // Makes the message due now (claimed ones are left to their node).
    Status retry(const QString &id);
    Status retryAll();
    // Removes the message without notice: its queue record (deliverd no longer sees
    // it), then its body. Returns the message as it was.
    Expected<QueuedMessage> discard(const QString &id);
    // Every pending recipient fails with "bounced by the administrator", a bounce goes
    // to the sender (unless it is <>), then the message and its body are removed.
    // Returns the message as it was.
    Expected<QueuedMessage> bounce(const QString &id);

private:
    Database &m_db;
    const Config &m_config;
};
