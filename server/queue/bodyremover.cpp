// Unlinks on a pool of threads: on a filesystem mounted with discard (and no journal to
// defer it) each unlink waits for the device to discard the file's blocks. One after
// the other on the database thread they cost a device round trip per delivered message
// between two of its transactions; in flight together the device overlaps them.
#include "queue/bodyremover.h"

namespace {

constexpr int MaxParallelRemovals = 16;

} // namespace

BodyRemover::BodyRemover(const QString &storePath) : m_store(storePath)
{
    m_pool.setMaxThreadCount(MaxParallelRemovals);
}

BodyRemover::~BodyRemover()
{
    waitForDone();
}

void BodyRemover::remove(const QStringList &keys)
{
    for (const QString &key : keys)
    {
        m_pool.start([store = m_store, key]() { store.removeBody(key); });
    }
}

void BodyRemover::waitForDone()
{
    m_pool.waitForDone();
}
