// See tlsreporttable.h.
#include "db/tlsreporttable.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

Status TlsReportTable::add(const QList<TlsSessionCount> &counts)
{
    if (counts.isEmpty())
        return {};
    return m_db.runInTransaction([&]() -> Status {
        for (const TlsSessionCount &count : counts)
        {
            const Expected<QSqlQuery> added = m_db.exec(QStringLiteral("add_tls_report_count"),
                { { QStringLiteral(":policy_domain"), count.policyDomain.toLower() },
                    { QStringLiteral(":day"), count.day }, { QStringLiteral(":policy_type"), count.policyType },
                    { QStringLiteral(":policy_string"), count.policyString },
                    { QStringLiteral(":mx_host"), count.mxHost.toLower() },
                    { QStringLiteral(":receiving_ip"), count.receivingIp },
                    { QStringLiteral(":result_type"), count.resultType },
                    { QStringLiteral(":sessions"), count.sessions } });
            if (!added)
                return Status::failure(added);
        }
        return Status();
    });
}

Expected<QList<TlsSessionCount>> TlsReportTable::list(const QString &firstDay, const QString &lastDay)
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("list_tls_report_counts"),
        { { QStringLiteral(":first_day"), firstDay }, { QStringLiteral(":last_day"), lastDay } });
    if (!query)
        return Expected<QList<TlsSessionCount>>::failure(query);
    QList<TlsSessionCount> counts;
    QSqlQuery &q = query.value();
    while (q.next())
    {
        TlsSessionCount count;
        count.policyDomain = q.value(0).toString();
        count.day = q.value(1).toString();
        count.policyType = q.value(2).toString();
        count.policyString = q.value(3).toString();
        count.mxHost = q.value(4).toString();
        count.receivingIp = q.value(5).toString();
        count.resultType = q.value(6).toString();
        count.sessions = q.value(7).toLongLong();
        counts.append(count);
    }
    return counts;
}

Expected<std::optional<QString>> TlsReportTable::sentReport(const QString &policyDomain, const QString &day)
{
    using Result = Expected<std::optional<QString>>;
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("select_tls_report_sent"),
        { { QStringLiteral(":policy_domain"), policyDomain.toLower() }, { QStringLiteral(":day"), day } });
    if (!query)
        return Result::failure(query);
    QSqlQuery &q = query.value();
    if (!q.next())
        return std::optional<QString>();
    return std::optional<QString>(q.value(0).toString());
}

Status TlsReportTable::markSent(const QString &policyDomain, const QString &day, const QString &messageId)
{
    return m_db.runInTransaction([&]() -> Status {
        const Expected<std::optional<QString>> sent = sentReport(policyDomain, day);
        if (!sent)
            return Status::failure(sent);
        if (sent.value())
            return Status::failure(ErrorKind::AlreadyExists,
                QStringLiteral("the TLS report of %1 for %2 was sent as %3").arg(policyDomain, day, *sent.value()));
        const Expected<QSqlQuery> inserted = m_db.exec(QStringLiteral("insert_tls_report_sent"),
            { { QStringLiteral(":policy_domain"), policyDomain.toLower() }, { QStringLiteral(":day"), day },
                { QStringLiteral(":message_id"), messageId },
                { QStringLiteral(":sent_at_ms"), QDateTime::currentMSecsSinceEpoch() } });
        return inserted ? Status() : Status::failure(inserted);
    });
}
