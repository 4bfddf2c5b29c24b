// Slows down and then refuses password guessing from one address.
#include "smtpd/authlimiter.h"

namespace {

constexpr int BaseDelayMs = 250;
constexpr int MaxDelayMs = 5000;

} // namespace

AuthLimiter::AuthLimiter(int maxFailures, int banSeconds)
    : m_maxFailures(maxFailures), m_banMs(qint64(banSeconds) * 1000)
{ }

void AuthLimiter::setLimits(int maxFailures, int banSeconds)
{
    m_maxFailures = maxFailures;
    m_banMs = qint64(banSeconds) * 1000;
}

void AuthLimiter::forgetOld(qint64 nowMs)
{
    // An address that stopped failing for a whole ban period starts afresh; the sweep
    // keeps the table small against many addresses failing once.
    if (nowMs - m_lastSweepMs < 60000 && m_entries.size() < 10000)
    {
        return;
    }
    m_lastSweepMs = nowMs;
    for (auto it = m_entries.begin(); it != m_entries.end();)
    {
        if (it->bannedUntilMs <= nowMs && nowMs - it->lastFailureMs > qMax<qint64>(m_banMs, 60000))
        {
            it = m_entries.erase(it);
        }
        else
        {
            ++it;
        }
    }
}

bool AuthLimiter::isBanned(const QHostAddress &client, qint64 nowMs)
{
    forgetOld(nowMs);
    const auto it = m_entries.constFind(client);
    return it != m_entries.cend() && it->bannedUntilMs > nowMs;
}

int AuthLimiter::recordFailure(const QHostAddress &client, qint64 nowMs)
{
    Entry &entry = m_entries[client];
    if (entry.bannedUntilMs != 0 && entry.bannedUntilMs <= nowMs)
    {
        entry = Entry(); // the ban is over: a new series
    }
    ++entry.failures;
    entry.lastFailureMs = nowMs;
    if (m_maxFailures > 0 && entry.failures >= m_maxFailures)
    {
        entry.bannedUntilMs = nowMs + m_banMs;
        return -1;
    }
    const int shift = qMin(entry.failures - 1, 5);
    return qMin(BaseDelayMs << shift, MaxDelayMs);
}

void AuthLimiter::recordSuccess(const QHostAddress &client)
{
    const auto it = m_entries.find(client);
    if (it != m_entries.end() && it->bannedUntilMs == 0)
    {
        m_entries.erase(it);
    }
}
