// The database store of message bodies (TMAIL_STORE_DRIVER=database): chunks in
// queue_bodies, written in the transaction of their queue rows, removed with them
// (ON DELETE CASCADE), so any node of a cluster can deliver any message.
#pragma once

#include "queue/messagestore.h"

class DatabaseStore : public MessageStore
{
public:
    explicit DatabaseStore(const QString &basePath);

    QString driver() const override;
    QString storeKeyFor(const QString &id) const override;
    // Nothing to do: the bodies become durable with the transaction of insert().
    Status makeDurable(const QStringList &ids) const override;
    Status insert(Database &db, QList<QueuedMessage> batch) const override;
};
