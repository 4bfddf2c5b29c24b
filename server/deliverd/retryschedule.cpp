// The growing retry delays of deliverd.
#include "deliverd/retryschedule.h"

#include <algorithm>

RetrySchedule::RetrySchedule() : m_delaysMs { 60000, 300000, 900000, 1800000, 3600000, 7200000 } { }

RetrySchedule::RetrySchedule(QList<qint64> delaysMs) : m_delaysMs(std::move(delaysMs))
{
    if (m_delaysMs.isEmpty())
    {
        m_delaysMs.append(60000);
    }
}

qint64 RetrySchedule::delayMs(int attempts) const
{
    const qsizetype index = std::clamp<qsizetype>(attempts - 1, 0, m_delaysMs.size() - 1);
    return m_delaysMs.at(index);
}
