// The registry's counters and their exposition (the Prometheus text format 0.0.4: one
// HELP and one TYPE line per metric, then its samples; counters end in _total).
#include "metrics/metrics.h"

#include <QByteArrayList>
#include <QDateTime>
#include <QRegularExpression>

namespace {

const char *const RefusalNames[Metrics::RefusalCount] = {
    "relay_denied",
    "size",
    "bad_syntax",
    "bad_data",
    "too_many_recipients",
    "too_many_hops",
    "queue_error",
    "unknown_recipient",
};

const char *const FailureNames[Metrics::FailureCount] = {
    "remote",
    "tls_policy",
    "dns",
    "connection",
    "expired",
    "other",
};

const char *const TlsVersionNames[Metrics::TlsVersionCount] = {
    "TLSv1.0",
    "TLSv1.1",
    "TLSv1.2",
    "TLSv1.3",
    "other",
};

const char *const StoreOperationNames[Metrics::StoreOperationCount] = {
    "write",
    "read",
    "remove",
};

// A label value: backslash, double quote and line feed escaped.
QByteArray labelValue(const QByteArray &value)
{
    QByteArray escaped;
    for (const char c : value)
    {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

// Appends the HELP and TYPE lines of one metric.
void describe(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += QByteArray("# HELP ") + name + ' ' + help + '\n';
    out += QByteArray("# TYPE ") + name + ' ' + type + '\n';
}

void sample(QByteArray &out, const QByteArray &name, qint64 value)
{
    out += name + ' ' + QByteArray::number(value) + '\n';
}

// One sample per label value: NAME{LABEL="value"} count.
template <std::size_t N>
void labelledSamples(QByteArray &out, const char *name, const char *label, const char *const (&values)[N],
    const std::array<std::atomic<quint64>, N> &counts)
{
    for (std::size_t i = 0; i < N; ++i)
    {
        sample(out, QByteArray(name) + '{' + label + "=\"" + values[i] + "\"}",
            qint64(counts[i].load(std::memory_order_relaxed)));
    }
}

Metrics::TlsVersion versionOf(QSsl::SslProtocol protocol)
{
    switch (protocol)
    {
    case QSsl::TlsV1_2:
        return Metrics::TlsVersion::Tls1_2;
    case QSsl::TlsV1_3:
        return Metrics::TlsVersion::Tls1_3;
    default:
        // TLS 1.0 and 1.1 are deprecated enumerators in Qt 6: compared by value.
        if (int(protocol) == 0)
            return Metrics::TlsVersion::Tls1_0;
        if (int(protocol) == 1)
            return Metrics::TlsVersion::Tls1_1;
        return Metrics::TlsVersion::Other;
    }
}

// Seconds from milliseconds, without a floating-point detour: "12.345".
QByteArray seconds(quint64 milliseconds)
{
    QByteArray fraction = QByteArray::number(milliseconds % 1000);
    return QByteArray::number(milliseconds / 1000) + '.' + fraction.rightJustified(3, '0');
}

} // namespace

Metrics &Metrics::instance()
{
    static Metrics metrics;
    return metrics;
}

Metrics::Failure Metrics::failureOf(const QString &detail)
{
    // A remote's reply: "5.1.1 host mx.example[192.0.2.1]:25 said: 550 5.1.1 …".
    static const QRegularExpression remote(QStringLiteral("^(?:[245]\\.\\d{1,3}\\.\\d{1,3} )?host \\S+ said: "));
    if (detail.startsWith(QLatin1String("5.4.7")))
        return Failure::Expired;
    if (remote.match(detail).hasMatch())
        return Failure::Remote;
    if (detail.startsWith(QLatin1String("4.7.5")))
        return Failure::TlsPolicy;
    if (detail.startsWith(QLatin1String("4.4.3")) || detail.startsWith(QLatin1String("4.4.4"))
        || detail.startsWith(QLatin1String("5.1.2")) || detail.startsWith(QLatin1String("5.1.10")))
        return Failure::Dns;
    if (detail.startsWith(QLatin1String("4.4.1")) || detail.startsWith(QLatin1String("4.4.2")))
        return Failure::Connection;
    return Failure::Other;
}

// Each counter the history keeps is added to it where the total grows, in the minute it happens.
void Metrics::countAccepted(bool tls)
{
    m_accepted.fetch_add(1, std::memory_order_relaxed);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_history.add(MetricsHistory::Counter::Accepted, 1, now);
    if (tls)
        m_history.add(MetricsHistory::Counter::AcceptedTls, 1, now);
}

void Metrics::countRefused(Refusal reason)
{
    m_refused[std::size_t(reason)].fetch_add(1, std::memory_order_relaxed);
    m_history.add(MetricsHistory::Counter::Refused, 1, QDateTime::currentMSecsSinceEpoch());
}

void Metrics::countDelivered(int recipients)
{
    if (recipients <= 0)
        return;
    m_delivered.fetch_add(quint64(recipients), std::memory_order_relaxed);
    m_history.add(MetricsHistory::Counter::Delivered, recipients, QDateTime::currentMSecsSinceEpoch());
}

void Metrics::countDeferred(Failure reason)
{
    m_deferred[std::size_t(reason)].fetch_add(1, std::memory_order_relaxed);
    m_history.add(MetricsHistory::Counter::Deferred, 1, QDateTime::currentMSecsSinceEpoch());
}

void Metrics::countBounced(Failure reason)
{
    m_bounced[std::size_t(reason)].fetch_add(1, std::memory_order_relaxed);
    m_history.add(MetricsHistory::Counter::Bounced, 1, QDateTime::currentMSecsSinceEpoch());
}

void Metrics::countDeliverySession(bool tls)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_history.add(MetricsHistory::Counter::DeliverySessions, 1, now);
    if (tls)
        m_history.add(MetricsHistory::Counter::DeliverySessionsTls, 1, now);
}

void Metrics::countTlsHandshake(QSsl::SslProtocol protocol)
{
    m_tlsHandshakes[std::size_t(versionOf(protocol))].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::countOutboundTlsHandshake(QSsl::SslProtocol protocol)
{
    m_outboundTlsHandshakes[std::size_t(versionOf(protocol))].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::observeDeliveryLatency(qint64 milliseconds)
{
    const qint64 bounded = qMax<qint64>(0, milliseconds);
    std::size_t bucket = 0;
    while (bucket < LatencyBucketsSeconds.size() && bounded > LatencyBucketsSeconds[bucket] * 1000)
        ++bucket;
    m_latencySumMs.fetch_add(quint64(bounded), std::memory_order_relaxed);
    m_latencyBuckets[bucket].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::setQueue(qint64 messages, qint64 oldestCreatedAtMs)
{
    m_queueMessages.store(messages, std::memory_order_relaxed);
    m_queueOldestCreatedAtMs.store(oldestCreatedAtMs, std::memory_order_relaxed);
}

QByteArray Metrics::exposition(qint64 nowMs) const
{
    const auto load = [](const auto &value) { return qint64(value.load(std::memory_order_relaxed)); };
    QByteArray out;
    out.reserve(4096);

    describe(out, "tmail_build_info", "gauge", "The version of this tmail, as a label; always 1.");
    out += "tmail_build_info{version=\"" + labelValue(TMAIL_VERSION) + "\"} 1\n";

    describe(out, "tmail_smtpd_sessions", "gauge", "SMTP sessions open now.");
    sample(out, "tmail_smtpd_sessions", load(m_smtpSessions));

    describe(out, "tmail_messages_accepted_total", "counter", "Messages smtpd accepted into the queue.");
    sample(out, "tmail_messages_accepted_total", load(m_accepted));

    describe(
        out, "tmail_messages_refused_total", "counter", "Senders, recipients and messages smtpd refused, by reason.");
    labelledSamples(out, "tmail_messages_refused_total", "reason", RefusalNames, m_refused);

    describe(out, "tmail_recipients_delivered_total", "counter", "Recipients a remote server accepted.");
    sample(out, "tmail_recipients_delivered_total", load(m_delivered));
    describe(out, "tmail_recipients_deferred_total", "counter",
        "Recipient delivery attempts that failed temporarily and will be retried, by reason.");
    labelledSamples(out, "tmail_recipients_deferred_total", "reason", FailureNames, m_deferred);
    describe(out, "tmail_recipients_bounced_total", "counter",
        "Recipients given up on: refused for good or expired in the queue, by reason.");
    labelledSamples(out, "tmail_recipients_bounced_total", "reason", FailureNames, m_bounced);

    describe(out, "tmail_queue_messages", "gauge", "Messages in the queue (every node's).");
    sample(out, "tmail_queue_messages", load(m_queueMessages));
    describe(out, "tmail_queue_oldest_message_age_seconds", "gauge",
        "Seconds since the oldest queued message was accepted; 0 when the queue is empty.");
    const qint64 oldest = load(m_queueOldestCreatedAtMs);
    sample(out, "tmail_queue_oldest_message_age_seconds", oldest > 0 ? qMax<qint64>(0, nowMs - oldest) / 1000 : 0);

    describe(out, "tmail_delivery_latency_seconds", "histogram",
        "Seconds from a message's acceptance to the delivery of a recipient.");
    quint64 cumulative = 0;
    for (std::size_t bucket = 0; bucket < m_latencyBuckets.size(); ++bucket)
    {
        cumulative += quint64(load(m_latencyBuckets[bucket]));
        const QByteArray bound = bucket < LatencyBucketsSeconds.size()
            ? QByteArray::number(LatencyBucketsSeconds[bucket])
            : QByteArrayLiteral("+Inf");
        sample(out, "tmail_delivery_latency_seconds_bucket{le=\"" + bound + "\"}", qint64(cumulative));
    }
    out += "tmail_delivery_latency_seconds_sum " + seconds(quint64(load(m_latencySumMs))) + '\n';
    sample(out, "tmail_delivery_latency_seconds_count", qint64(cumulative));

    describe(out, "tmail_tls_handshakes_total", "counter",
        "TLS handshakes smtpd completed (STARTTLS and implicit TLS), by protocol version.");
    labelledSamples(out, "tmail_tls_handshakes_total", "version", TlsVersionNames, m_tlsHandshakes);
    describe(out, "tmail_outbound_tls_handshakes_total", "counter",
        "STARTTLS handshakes deliverd completed with next hops, by protocol version.");
    labelledSamples(out, "tmail_outbound_tls_handshakes_total", "version", TlsVersionNames, m_outboundTlsHandshakes);

    describe(out, "tmail_auth_successes_total", "counter", "SMTP AUTH attempts that succeeded.");
    sample(out, "tmail_auth_successes_total", load(m_authSuccesses));
    describe(out, "tmail_auth_failures_total", "counter", "SMTP AUTH attempts refused for bad credentials.");
    sample(out, "tmail_auth_failures_total", load(m_authFailures));

    describe(out, "tmail_database_errors_total", "counter",
        "Database statements, transactions and connections that failed (a server down, a lock timeout).");
    sample(out, "tmail_database_errors_total", load(m_databaseErrors));
    describe(out, "tmail_store_errors_total", "counter",
        "Message body store operations that failed, by operation (write, read, remove).");
    labelledSamples(out, "tmail_store_errors_total", "operation", StoreOperationNames, m_storeErrors);
    return out;
}
