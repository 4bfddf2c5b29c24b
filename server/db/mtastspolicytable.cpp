// mta_sts_policies: one row per policy domain, replaced in one transaction.
#include "db/mtastspolicytable.h"

#include <QSqlQuery>
#include <QVariant>

Status MtaStsPolicyTable::store(const StoredMtaStsPolicy &policy)
{
    const QString domain = policy.domain.toLower();
    return m_db.runInTransaction([&]() -> Status {
        const Expected<QSqlQuery> removed
            = m_db.exec(QStringLiteral("delete_mta_sts_policy"), { { QStringLiteral(":domain"), domain } });
        if (!removed)
            return Status::failure(removed);
        const Expected<QSqlQuery> inserted = m_db.exec(QStringLiteral("insert_mta_sts_policy"),
            { { QStringLiteral(":domain"), domain }, { QStringLiteral(":policy_id"), policy.policyId },
                { QStringLiteral(":mode"), policy.mode }, { QStringLiteral(":mx"), policy.mx.join(QLatin1Char('\n')) },
                { QStringLiteral(":max_age"), policy.maxAgeSeconds },
                { QStringLiteral(":fetched_at_ms"), policy.fetchedAtMs },
                { QStringLiteral(":expires_at_ms"), policy.expiresAtMs } });
        if (!inserted)
            return Status::failure(inserted);
        return Status();
    });
}

Expected<std::optional<StoredMtaStsPolicy>> MtaStsPolicyTable::find(const QString &domain)
{
    using Result = Expected<std::optional<StoredMtaStsPolicy>>;
    Expected<QSqlQuery> query
        = m_db.exec(QStringLiteral("select_mta_sts_policy"), { { QStringLiteral(":domain"), domain.toLower() } });
    if (!query)
        return Result::failure(query.kind(), query.error());
    QSqlQuery &q = query.value();
    if (!q.next())
        return std::optional<StoredMtaStsPolicy>();
    StoredMtaStsPolicy policy;
    policy.domain = domain.toLower();
    policy.policyId = q.value(0).toString();
    policy.mode = q.value(1).toString();
    policy.mx = q.value(2).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    policy.maxAgeSeconds = q.value(3).toLongLong();
    policy.fetchedAtMs = q.value(4).toLongLong();
    policy.expiresAtMs = q.value(5).toLongLong();
    return std::optional<StoredMtaStsPolicy>(policy);
}

Status MtaStsPolicyTable::remove(const QString &domain)
{
    const Expected<QSqlQuery> removed
        = m_db.exec(QStringLiteral("delete_mta_sts_policy"), { { QStringLiteral(":domain"), domain.toLower() } });
    return removed ? Status() : Status::failure(removed);
}
