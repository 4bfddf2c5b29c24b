// See throttleservice.h.
#include "admin/throttleservice.h"

#include "core/adminvalues.h"
#include "db/tables.h"

ThrottleService::ThrottleService(Database &db) : m_db(db) { }

Expected<Throttle> ThrottleService::check(const Throttle &throttle)
{
    const auto invalid = [](const QString &field, const QString &problem) {
        return Expected<Throttle>::failure(ErrorKind::InvalidInput, QStringLiteral("%1: %2").arg(field, problem));
    };
    Throttle checked = throttle;
    const Expected<QString> pattern = AdminValues::throttlePattern(throttle.pattern);
    if (!pattern)
        return invalid(QStringLiteral("destination"), pattern.error());
    checked.pattern = pattern.value();
    if (throttle.concurrency < 0 || throttle.concurrency > AdminValues::MaxThrottleConcurrency)
        return invalid(QStringLiteral("concurrency"),
            QStringLiteral("%1 is not from 1 to %2")
                .arg(throttle.concurrency)
                .arg(AdminValues::MaxThrottleConcurrency));
    if (throttle.ratePerHour < 0 || throttle.ratePerHour > AdminValues::MaxThrottleRatePerHour)
        return invalid(QStringLiteral("rate"), QStringLiteral("%1 per hour is out of range").arg(throttle.ratePerHour));
    if (throttle.concurrency == 0 && throttle.ratePerHour == 0)
        return invalid(QStringLiteral("throttle"), QStringLiteral("give a concurrency, a rate or both"));
    return checked;
}

Expected<QList<Throttle>> ThrottleService::list()
{
    return ThrottleTable(m_db).list();
}

Expected<Throttle> ThrottleService::add(const Throttle &throttle)
{
    const Expected<Throttle> checked = check(throttle);
    if (!checked)
        return checked;
    const Status added = ThrottleTable(m_db).add(checked.value());
    if (!added)
        return Expected<Throttle>::failure(added);
    return checked;
}

Status ThrottleService::remove(const QString &pattern)
{
    const Expected<QString> canonical = AdminValues::throttlePattern(pattern);
    if (!canonical)
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("destination: %1").arg(canonical.error()));
    return ThrottleTable(m_db).remove(canonical.value());
}
