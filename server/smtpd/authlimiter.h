// Counts failed AUTH attempts per client address: each failure is answered later
// than the one before, and past the limit the address is refused for a while.
#pragma once

#include <QHash>
#include <QHostAddress>

class AuthLimiter
{
public:
    // maxFailures 0: never banned (the growing delay still applies).
    AuthLimiter(int maxFailures, int banSeconds);
    // New limits (a reload): they count from the next failure; bans already given keep their end.
    void setLimits(int maxFailures, int banSeconds);

    bool isBanned(const QHostAddress &client, qint64 nowMs);
    // Records a failure; returns how long to wait before answering 535, or -1 when
    // this failure reached the limit and the address is now banned.
    int recordFailure(const QHostAddress &client, qint64 nowMs);
    void recordSuccess(const QHostAddress &client);

private:
    struct Entry
    {
        int failures = 0;
        qint64 lastFailureMs = 0;
        qint64 bannedUntilMs = 0;
    };
    void forgetOld(qint64 nowMs);

    int m_maxFailures;
    qint64 m_banMs;
    QHash<QHostAddress, Entry> m_entries;
    qint64 m_lastSweepMs = 0;
};
