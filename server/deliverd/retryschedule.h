// When a message that could not be delivered yet is tried again.
#pragma once

#include <QList>

class RetrySchedule
{
public:
    // The default: 1, 5, 15, 30, 60 minutes, then every 2 hours.
    RetrySchedule();
    explicit RetrySchedule(QList<qint64> delaysMs);

    // Delay after the attempts-th failed attempt (1 = the first); the last entry repeats.
    qint64 delayMs(int attempts) const;

private:
    QList<qint64> m_delaysMs;
};
