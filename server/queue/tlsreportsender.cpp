// See tlsreportsender.h.
#include "queue/tlsreportsender.h"

#include "db/queuetable.h"
#include "log/logger.h"
#include "queue/messagestore.h"

#include <zlib.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QTimeZone>
#include <QUrl>

namespace {

QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

QByteArray crlf(const QString &text)
{
    QByteArray out = text.toUtf8();
    out.replace("\r\n", "\n");
    out.replace("\n", "\r\n");
    return out;
}

} // namespace

TlsReportSender::TlsReportSender(Database &db, const Config &config) : m_db(db), m_config(config) { }

Expected<TlsReportRua> TlsReportSender::parseRua(const QString &record)
{
    const QStringList tags = record.split(QLatin1Char(';'));
    if (tags.isEmpty() || tags.first().trimmed() != QLatin1String("v=TLSRPTv1"))
        return Expected<TlsReportRua>::failure(ErrorKind::InvalidInput, QStringLiteral("not a TLSRPTv1 record"));
    TlsReportRua rua;
    bool hasRua = false;
    for (const QString &tag : tags.mid(1))
    {
        const QString trimmed = tag.trimmed();
        if (!trimmed.startsWith(QLatin1String("rua=")))
            continue;
        hasRua = true;
        for (const QString &uri : trimmed.mid(4).split(QLatin1Char(',')))
        {
            const QString value = uri.trimmed();
            if (value.startsWith(QLatin1String("mailto:"), Qt::CaseInsensitive))
            {
                const QString address = QUrl::fromPercentEncoding(value.mid(7).toUtf8());
                if (address.contains(QLatin1Char('@')) && !address.contains(QLatin1Char(' ')))
                    rua.mailto.append(address);
            }
            else if (value.startsWith(QLatin1String("https:"), Qt::CaseInsensitive))
            {
                const QUrl url(value, QUrl::StrictMode);
                if (url.isValid() && !url.host().isEmpty() && url.userInfo().isEmpty())
                    rua.https.append(url);
            }
        }
    }
    if (!hasRua)
        return Expected<TlsReportRua>::failure(ErrorKind::InvalidInput, QStringLiteral("the record has no rua"));
    return rua;
}

QByteArray TlsReportSender::buildJson(const QString &organization, const QString &contact, const QString &policyDomain,
    const QDate &day, const QList<TlsSessionCount> &counts)
{
    const QDateTime start(day, QTime(0, 0), QTimeZone::utc());
    const QDateTime end(day, QTime(23, 59, 59), QTimeZone::utc());
    // One policy entry per (type, policy) of the day (RFC 8460 §4.4).
    QMap<QPair<QString, QString>, QList<TlsSessionCount>> policies;
    for (const TlsSessionCount &count : counts)
    {
        if (count.policyDomain == policyDomain && count.day == day.toString(Qt::ISODate))
            policies[{ count.policyType, count.policyString }].append(count);
    }
    QJsonArray policyArray;
    for (auto it = policies.cbegin(); it != policies.cend(); ++it)
    {
        qint64 successful = 0;
        qint64 failed = 0;
        QJsonArray failures;
        QStringList mxHosts;
        for (const TlsSessionCount &count : it.value())
        {
            if (!count.mxHost.isEmpty() && !mxHosts.contains(count.mxHost))
                mxHosts.append(count.mxHost);
            if (count.resultType.isEmpty())
            {
                successful += count.sessions;
                continue;
            }
            failed += count.sessions;
            QJsonObject detail { { QStringLiteral("result-type"), count.resultType },
                { QStringLiteral("failed-session-count"), count.sessions } };
            if (!count.mxHost.isEmpty())
                detail.insert(QStringLiteral("receiving-mx-hostname"), count.mxHost);
            if (!count.receivingIp.isEmpty())
                detail.insert(QStringLiteral("receiving-ip"), count.receivingIp);
            failures.append(detail);
        }
        QJsonObject policy { { QStringLiteral("policy-type"), it.key().first },
            { QStringLiteral("policy-domain"), policyDomain } };
        if (!it.key().second.isEmpty())
            policy.insert(QStringLiteral("policy-string"),
                QJsonArray::fromStringList(it.key().second.split(QLatin1Char('\n'), Qt::SkipEmptyParts)));
        if (!mxHosts.isEmpty())
            policy.insert(QStringLiteral("mx-host"), QJsonArray::fromStringList(mxHosts));
        QJsonObject entry { { QStringLiteral("policy"), policy },
            { QStringLiteral("summary"),
                QJsonObject { { QStringLiteral("total-successful-session-count"), successful },
                    { QStringLiteral("total-failure-session-count"), failed } } } };
        if (!failures.isEmpty())
            entry.insert(QStringLiteral("failure-details"), failures);
        policyArray.append(entry);
    }
    const QJsonObject report { { QStringLiteral("organization-name"), organization },
        { QStringLiteral("date-range"),
            QJsonObject { { QStringLiteral("start-datetime"), isoTime(start) },
                { QStringLiteral("end-datetime"), isoTime(end) } } },
        { QStringLiteral("contact-info"), contact },
        { QStringLiteral("report-id"), QStringLiteral("%1_%2").arg(isoTime(start), policyDomain) },
        { QStringLiteral("policies"), policyArray } };
    return QJsonDocument(report).toJson(QJsonDocument::Compact);
}

QByteArray TlsReportSender::gzip(const QByteArray &data)
{
    z_stream stream {};
    // 16 + MAX_WBITS: a gzip header and trailer around the deflate stream.
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(int(deflateBound(&stream, uLong(data.size()))) + 32, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int result = deflate(&stream, Z_FINISH);
    const qsizetype written = qsizetype(stream.total_out);
    deflateEnd(&stream);
    if (result != Z_STREAM_END)
        return {};
    out.truncate(written);
    return out;
}

QByteArray TlsReportSender::buildMessage(const QString &me, const QString &policyDomain, const QDate &day,
    const QStringList &recipients, const QByteArray &json, const QString &boundary, const QDateTime &now)
{
    const QDateTime start(day, QTime(0, 0), QTimeZone::utc());
    const QDateTime end = start.addDays(1);
    const QString reportId = QStringLiteral("%1_%2@%3").arg(isoTime(start), policyDomain, me);
    // RFC 8460 §5.3: sender!policy-domain!begin-timestamp!end-timestamp[!unique-id].json.gz
    const QString fileName = QStringLiteral("%1!%2!%3!%4.json.gz")
                                 .arg(me, policyDomain)
                                 .arg(start.toSecsSinceEpoch())
                                 .arg(end.toSecsSinceEpoch() - 1);
    QString text;
    text += QStringLiteral("From: TLS reporting <postmaster@%1>\n").arg(me);
    text += QStringLiteral("To: %1\n").arg(recipients.join(QStringLiteral(", ")));
    text
        += QStringLiteral("Subject: Report Domain: %1 Submitter: %2 Report-ID: <%3>\n").arg(policyDomain, me, reportId);
    text += QStringLiteral("Date: %1\n").arg(now.toString(Qt::RFC2822Date));
    text += QStringLiteral("Message-ID: <%1>\n").arg(reportId);
    text += QStringLiteral("TLS-Report-Domain: %1\n").arg(policyDomain);
    text += QStringLiteral("TLS-Report-Submitter: %1\n").arg(me);
    text += QStringLiteral("MIME-Version: 1.0\n");
    text
        += QStringLiteral("Content-Type: multipart/report; report-type=\"tlsrpt\";\n\tboundary=\"%1\"\n").arg(boundary);
    text += QStringLiteral("\nThis is a MIME-formatted message.\n\n--%1\n").arg(boundary);
    text += QStringLiteral("Content-Type: text/plain; charset=utf-8\n\n");
    text += QStringLiteral("This is an aggregate TLS report from %1 for %2, %3 (UTC).\n\n--%4\n")
                .arg(me, policyDomain, day.toString(Qt::ISODate), boundary);
    text += QStringLiteral("Content-Type: application/tlsrpt+gzip\n");
    text += QStringLiteral("Content-Transfer-Encoding: base64\n");
    text += QStringLiteral("Content-Disposition: attachment;\n\tfilename=\"%1\"\n\n").arg(fileName);
    const QByteArray encoded = gzip(json).toBase64();
    for (qsizetype at = 0; at < encoded.size(); at += 76)
        text += QString::fromLatin1(encoded.mid(at, 76)) + QLatin1Char('\n');
    text += QStringLiteral("\n--%1--\n").arg(boundary);
    return crlf(text);
}

Expected<QStringList> TlsReportSender::pendingDomains(const QDate &day)
{
    const QString dayText = day.toString(Qt::ISODate);
    const Expected<QList<TlsSessionCount>> counts = TlsReportTable(m_db).list(dayText, dayText);
    if (!counts)
        return Expected<QStringList>::failure(counts);
    QStringList domains;
    for (const TlsSessionCount &count : counts.value())
    {
        if (domains.contains(count.policyDomain))
            continue;
        const Expected<std::optional<QString>> sent = TlsReportTable(m_db).sentReport(count.policyDomain, dayText);
        if (!sent)
            return Expected<QStringList>::failure(sent);
        if (!sent.value())
            domains.append(count.policyDomain);
    }
    return domains;
}

Expected<TlsReport> TlsReportSender::claimReport(const QString &policyDomain, const QDate &day)
{
    const QString dayText = day.toString(Qt::ISODate);
    const Expected<QList<TlsSessionCount>> counts = TlsReportTable(m_db).list(dayText, dayText);
    if (!counts)
        return Expected<TlsReport>::failure(counts);
    TlsReport report;
    report.id = QueueTable::newId();
    report.policyDomain = policyDomain.toLower();
    report.day = day;
    const Status marked = TlsReportTable(m_db).markSent(report.policyDomain, dayText, report.id);
    if (!marked)
        return Expected<TlsReport>::failure(marked);
    report.json
        = buildJson(m_config.me, QStringLiteral("postmaster@") + m_config.me, report.policyDomain, day, counts.value());
    return report;
}

Expected<QString> TlsReportSender::queueReport(const TlsReport &report, const QStringList &recipients)
{
    const QString &id = report.id;
    const QString &policyDomain = report.policyDomain;
    const QString dayText = report.day.toString(Qt::ISODate);
    if (recipients.isEmpty())
        return Expected<QString>::failure(
            ErrorKind::InvalidInput, QStringLiteral("%1 names no mailto: address for TLS reports").arg(policyDomain));
    const std::unique_ptr<MessageStore> store = MessageStore::create(m_config.storeDriver, m_config.storePath);
    const Status prepared = store->prepare();
    if (!prepared)
        return Expected<QString>::failure(prepared);
    const QString boundary = QStringLiteral("%1/%2").arg(id.left(16), m_config.me);
    const QByteArray message = buildMessage(
        m_config.me, policyDomain, report.day, recipients, report.json, boundary, QDateTime::currentDateTimeUtc());
    QFile file(store->tmpPath(id));
    if (!file.open(QIODevice::WriteOnly) || file.write(message) != message.size() || !file.flush())
    {
        const QString error = file.errorString();
        file.close();
        store->discard(id);
        return Expected<QString>::failure(
            ErrorKind::Unavailable, QStringLiteral("cannot write TLS report %1: %2").arg(id, error));
    }
    file.close();
    const Status committed = store->makeDurable({ id });
    if (!committed)
    {
        store->discard(id);
        return Expected<QString>::failure(committed);
    }
    QueuedMessage queued;
    queued.id = id;
    queued.helo = m_config.me;
    // RFC 8460 §5.3 asks for a sender at the submitting domain; bounces of it come back here.
    queued.envelopeSender = QStringLiteral("postmaster@") + m_config.me;
    queued.sizeBytes = message.size();
    queued.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    queued.nextAttemptAtMs = queued.createdAtMs;
    for (const QString &address : recipients)
    {
        QueuedRecipient recipient;
        recipient.address = address;
        queued.recipients.append(recipient);
    }
    // The store sets the message's key and writes its rows (and, for the database store, its body).
    const Status inserted = store->insert(m_db, { queued });
    if (!inserted)
    {
        store->discard(id);
        return Expected<QString>::failure(inserted);
    }
    qCInfo(lcDeliverd).noquote() << "TLS report of" << policyDomain << "for" << dayText << "queued as" << id << "to"
                                 << recipients.join(QStringLiteral(", "));
    return id;
}
