// See timestamp.h.
#include "timestamp.h"

QString formatTimestamp(const QDateTime &time, TimestampPrecision precision)
{
    if (!time.isValid())
        return QString();
    const QDateTime local = time.toLocalTime();
    const int offsetMinutes = local.offsetFromUtc() / 60;
    const int absolute = qAbs(offsetMinutes);
    return local.toString(precision == TimestampPrecision::Milliseconds ? QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")
                                                                        : QStringLiteral("yyyy-MM-dd HH:mm:ss"))
        + (offsetMinutes < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        + QStringLiteral("%1:%2")
              .arg(absolute / 60, 2, 10, QLatin1Char('0'))
              .arg(absolute % 60, 2, 10, QLatin1Char('0'));
}

QString formatTimestampMs(qint64 msSinceEpoch, TimestampPrecision precision)
{
    return msSinceEpoch > 0 ? formatTimestamp(QDateTime::fromMSecsSinceEpoch(msSinceEpoch), precision) : QString();
}
