// See metricshistory.h. A bucket holds the minute it counts: one found holding an older
// minute is from a day ago (or more) and starts again from zero.
#include "metrics/metricshistory.h"

void MetricsHistory::add(Counter counter, qint64 count, qint64 nowMs)
{
    const qint64 minute = minuteOf(nowMs);
    std::lock_guard<std::mutex> lock(m_mutex);
    Minute &bucket = m_ring[slotOf(minute)];
    if (bucket.minute != minute)
    {
        // A clock set back leaves the newer bucket alone rather than mixing two minutes.
        if (bucket.minute > minute)
            return;
        bucket = Minute();
        bucket.minute = minute;
    }
    bucket.counts[std::size_t(counter)] += count;
}

QList<MetricsHistory::Minute> MetricsHistory::last(int minutes, qint64 nowMs) const
{
    const qint64 newest = minuteOf(nowMs);
    const int span = qBound(1, minutes, int(Minutes));
    QList<Minute> result;
    result.reserve(span);
    std::lock_guard<std::mutex> lock(m_mutex);
    for (qint64 minute = newest - span + 1; minute <= newest; ++minute)
    {
        const Minute &bucket = m_ring[slotOf(minute)];
        Minute entry;
        entry.minute = minute;
        if (bucket.minute == minute)
            entry.counts = bucket.counts;
        result.append(entry);
    }
    return result;
}
