// The daemon's last 24 hours minute by minute: what smtpd and deliverd counted in each
// minute, in a ring of 1440 buckets kept in memory, for the manager's throughput chart.
#pragma once

#include <array>
#include <mutex>

#include <QList>
#include <QtGlobal>

class MetricsHistory
{
public:
    static constexpr int Minutes = 1440;

    // What one bucket counts; the TLS shares are of accepted messages and of delivery sessions.
    enum class Counter
    {
        Accepted, // messages smtpd accepted
        AcceptedTls, // of which over TLS (STARTTLS or implicit TLS)
        Delivered, // recipients delivered
        Deferred, // recipient attempts that failed temporarily
        Bounced, // recipients given up on
        Refused, // senders, recipients and messages smtpd refused
        DeliverySessions, // SMTP connections deliverd made that carried mail (MX or route)
        DeliverySessionsTls, // of which over TLS
    };
    static constexpr int CounterCount = 8;

    struct Minute
    {
        qint64 minute = 0; // minutes since the epoch (UTC)
        std::array<qint64, CounterCount> counts {};

        qint64 count(Counter counter) const { return counts[std::size_t(counter)]; }
    };

    // Adds count to counter in the minute of nowMs; any thread.
    void add(Counter counter, qint64 count, qint64 nowMs);
    // The last `minutes` minutes (1 to Minutes) up to the minute of nowMs, oldest first, one
    // entry per minute (zeros where nothing was counted).
    QList<Minute> last(int minutes, qint64 nowMs) const;

    // The minute of a time in ms since the epoch.
    static qint64 minuteOf(qint64 ms) { return ms >= 0 ? ms / 60000 : (ms - 59999) / 60000; }

private:
    static std::size_t slotOf(qint64 minute) { return std::size_t(((minute % Minutes) + Minutes) % Minutes); }

    mutable std::mutex m_mutex;
    std::array<Minute, Minutes> m_ring {}; // minute m in m_ring[m % Minutes] while m is recent
};
