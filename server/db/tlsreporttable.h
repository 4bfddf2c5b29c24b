// TLS reporting (RFC 8460): per policy domain and UTC day, how many TLS sessions
// succeeded and how many failed with which result type, shared by every node; and which
// daily reports were already sent.
#pragma once

#include "core/expected.h"
#include "db/database.h"

#include <QList>
#include <QString>

#include <optional>

struct TlsSessionCount
{
    QString policyDomain; // lower case
    QString day; // YYYY-MM-DD, UTC
    QString policyType; // "tlsa", "sts" or "no-policy-found" (RFC 8460 §4.3)
    QString policyString; // the policy as RFC 8460 §4.4 lists it, lines joined by '\n'
    QString mxHost;
    QString receivingIp;
    QString resultType; // empty: successful sessions; else the RFC 8460 §4.3 failure type
    qint64 sessions = 0;
};

class TlsReportTable
{
public:
    explicit TlsReportTable(Database &db) : m_db(db) { }
    // Adds each count to its row (policy domain, day, policy type, MX, IP, result), in one
    // transaction.
    Status add(const QList<TlsSessionCount> &counts);
    // The rows of the days from firstDay to lastDay (YYYY-MM-DD), all domains.
    Expected<QList<TlsSessionCount>> list(const QString &firstDay, const QString &lastDay);
    // The id of the message that carried a domain's report for day, if one was sent.
    Expected<std::optional<QString>> sentReport(const QString &policyDomain, const QString &day);
    // Records that messageId carries the report; AlreadyExists when one was recorded.
    Status markSent(const QString &policyDomain, const QString &day, const QString &messageId);

private:
    Database &m_db;
};
