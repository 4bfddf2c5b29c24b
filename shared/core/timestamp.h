// One way to write a point in time for people, in the command line and the manager alike:
// RFC 3339 with a space for the "T" (as `date --rfc-3339=seconds` prints it), in local time
// with its offset from UTC, so that a time read on one machine means the same on another.
#pragma once

#include <QDateTime>
#include <QString>

enum class TimestampPrecision
{
    Seconds,
    Milliseconds
};

// "2026-12-02 18:14:06+01:00" (or "2026-12-02 18:14:06.123+01:00"); empty when invalid.
QString formatTimestamp(const QDateTime &time, TimestampPrecision precision = TimestampPrecision::Seconds);
// The same from milliseconds since the epoch; empty for 0 or less (a time never set).
QString formatTimestampMs(qint64 msSinceEpoch, TimestampPrecision precision = TimestampPrecision::Seconds);
