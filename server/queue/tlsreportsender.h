// TLS reporting (RFC 8460): the daily aggregate report of one policy domain, built from
// tls_report_counts as the JSON of §4, gzipped and mailed as §5.3 says, through tmail's
// own queue (as bounces are) to the mailto: addresses of the domain's _smtp._tls record;
// deliverd posts it to the https: ones (§5.4).
#pragma once

#include "config/config.h"
#include "core/expected.h"
#include "db/database.h"
#include "db/tlsreporttable.h"

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

// Where a domain wants its TLS reports: the rua of its _smtp._tls record (RFC 8460 §3).
struct TlsReportRua
{
    QStringList mailto; // addresses
    QList<QUrl> https;
    bool isEmpty() const { return mailto.isEmpty() && https.isEmpty(); }
    void append(const TlsReportRua &other)
    {
        mailto += other.mailto;
        https += other.https;
    }
};

// One domain's report for one day, claimed for sending.
struct TlsReport
{
    QString id;
    QString policyDomain;
    QDate day;
    QByteArray json;
};

class TlsReportSender
{
public:
    TlsReportSender(Database &db, const Config &config);

    // The mailto: and https: addresses of a "v=TLSRPTv1; rua=…" TXT record (RFC 8460 §3);
    // other schemes are left out. InvalidInput when the text is not such a record.
    static Expected<TlsReportRua> parseRua(const QString &record);
    // The report of one policy domain for one UTC day (RFC 8460 §4.4), as JSON.
    static QByteArray buildJson(const QString &organization, const QString &contact, const QString &policyDomain,
        const QDate &day, const QList<TlsSessionCount> &counts);
    // The gzip (RFC 1952) of data.
    static QByteArray gzip(const QByteArray &data);
    // The whole message (CRLF lines) carrying the gzipped report (RFC 8460 §5.3).
    static QByteArray buildMessage(const QString &me, const QString &policyDomain, const QDate &day,
        const QStringList &recipients, const QByteArray &json, const QString &boundary, const QDateTime &now);

    // The policy domains with sessions counted on day and no report sent yet.
    Expected<QStringList> pendingDomains(const QDate &day);
    // Marks the report of policyDomain for day as sent and builds it, once: AlreadyExists
    // when it was claimed before, so that two nodes never both send it.
    Expected<TlsReport> claimReport(const QString &policyDomain, const QDate &day);
    // Queues a claimed report to recipients (mailto: addresses). Returns the message id.
    Expected<QString> queueReport(const TlsReport &report, const QStringList &recipients);

private:
    Database &m_db;
    const Config &m_config;
};
