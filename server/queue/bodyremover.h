// Removes the bodies of messages that left the queue, off the caller's thread and
// several at once.
#pragma once

#include "queue/diskstore.h"

#include <QString>
#include <QStringList>
#include <QThreadPool>

class BodyRemover
{
public:
    explicit BodyRemover(const QString &storePath);
    ~BodyRemover(); // waits for the removals in progress

    BodyRemover(const BodyRemover &) = delete;
    BodyRemover &operator=(const BodyRemover &) = delete;

    // Queues the removal of the bodies stored under keys; their queue rows must be
    // gone already (a crash before the removal then leaves only unreferenced files).
    void remove(const QStringList &keys);
    // Returns once every removal queued so far is done.
    void waitForDone();

private:
    DiskStore m_store;
    QThreadPool m_pool;
};
