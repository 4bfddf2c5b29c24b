// The daemon's counters and gauges for TMAIL_METRICS_LISTEN: atomics that smtpd, deliverd
// and their worker threads update without a lock, read by the metrics listener's thread
// and written out in the Prometheus text exposition format 0.0.4.
#pragma once

#include "metrics/metricshistory.h"

#include <array>
#include <atomic>

#include <QByteArray>
#include <QSsl>
#include <QtGlobal>

class Metrics
{
public:
    // Why smtpd refused a sender, a recipient or a message (the reason label of
    // tmail_messages_refused_total): each names replies smtpd already gives.
    enum class Refusal
    {
        RelayDenied, // 554 5.7.1 to RCPT: not a rcpthost, and the client may not relay
        Size, // 552 5.3.4: SIZE= over the limit, or a message that grew over it
        BadSyntax, // 501/555 to MAIL or RCPT: address, SIZE or BODY syntax, unknown option
        BadData, // 550/500 5.5.2 after DATA: bare CR or LF, a line too long
        TooManyRecipients, // 452 4.5.3 (TMAIL_SMTPD_MAX_RCPT)
        TooManyHops, // 554 5.4.6: a mail loop (TMAIL_SMTPD_MAX_HOPS)
        QueueError, // 451 4.3.0: the message could not be written to the queue
        UnknownRecipient, // 550 5.1.1 to RCPT: no such user in a local domain (TMAIL_LMTP_VERIFY)
    };
    static constexpr int RefusalCount = 8;

    // Why deliverd deferred or bounced a recipient, read from its result (the enhanced
    // status code tmail puts first, RFC 3463, or the remote server's own reply).
    enum class Failure
    {
        Remote, // the remote server's reply to the transaction ("host … said: 4xx/5xx …")
        TlsPolicy, // 4.7.5: DANE or MTA-STS not met
        Dns, // 4.4.3, 4.4.4, 5.1.2, 5.1.10: lookup failed, no address, no such domain, null MX
        Connection, // 4.4.1, 4.4.2: no answer (refused, timeout) or the connection lost
        Expired, // 5.4.7: TMAIL_DELIVERD_QUEUE_LIFETIME passed
        Other,
    };
    static constexpr int FailureCount = 6;
    static Failure failureOf(const QString &detail);

    enum class TlsVersion
    {
        Tls1_0,
        Tls1_1,
        Tls1_2,
        Tls1_3,
        Other,
    };
    static constexpr int TlsVersionCount = 5;

    // What the body store failed to do (the operation label of tmail_store_errors_total).
    enum class StoreOperation
    {
        Write, // making received bodies durable before the 250
        Read, // opening a queued body to deliver or bounce it
        Remove, // deleting a delivered message's body
    };
    static constexpr int StoreOperationCount = 3;

    // Upper bounds of the delivery latency histogram, in seconds (+Inf follows).
    static constexpr std::array<qint64, 7> LatencyBucketsSeconds = { 1, 10, 60, 300, 1800, 3600, 86400 };

    // The one registry of the process.
    static Metrics &instance();

    // smtpd (main thread).
    void setSmtpSessions(int sessions) { m_smtpSessions.store(sessions, std::memory_order_relaxed); }
    // tls: the session was encrypted (STARTTLS or implicit TLS).
    void countAccepted(bool tls);
    void countRefused(Refusal reason);
    void countTlsHandshake(QSsl::SslProtocol protocol);
    // deliverd's STARTTLS handshakes with next hops.
    void countOutboundTlsHandshake(QSsl::SslProtocol protocol);
    void countAuthSuccess() { m_authSuccesses.fetch_add(1, std::memory_order_relaxed); }
    void countAuthFailure() { m_authFailures.fetch_add(1, std::memory_order_relaxed); }

    // deliverd: recipients after an attempt; the latency of one delivered recipient.
    void countDelivered(int recipients);
    void countDeferred(Failure reason);
    void countBounced(Failure reason);
    // A connection of deliverd's that carried mail (to an MX or a route), over TLS or not:
    // only the history keeps it.
    void countDeliverySession(bool tls);
    void observeDeliveryLatency(qint64 milliseconds);

    // Any thread: a database statement, transaction or connection that failed, and a
    // body store operation that failed.
    void countDatabaseError() { m_databaseErrors.fetch_add(1, std::memory_order_relaxed); }
    void countStoreError(StoreOperation operation)
    {
        m_storeErrors[std::size_t(operation)].fetch_add(1, std::memory_order_relaxed);
    }

    // The queue as deliverd's database thread last counted it (every node's messages).
    // oldestCreatedAtMs: the acceptance time of the oldest one, 0 when the queue is empty.
    void setQueue(qint64 messages, qint64 oldestCreatedAtMs);

    // Every metric, HELP and TYPE lines first; nowMs dates the oldest message's age.
    QByteArray exposition(qint64 nowMs) const;

    // The counts of the last 24 hours, minute by minute (the manager's throughput chart).
    const MetricsHistory &history() const { return m_history; }

    static QByteArray contentType() { return QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"); }

private:
    Metrics() = default;

    std::atomic<qint64> m_smtpSessions { 0 };
    std::atomic<quint64> m_accepted { 0 };
    std::array<std::atomic<quint64>, RefusalCount> m_refused {};
    std::array<std::atomic<quint64>, TlsVersionCount> m_tlsHandshakes {};
    std::array<std::atomic<quint64>, TlsVersionCount> m_outboundTlsHandshakes {};
    std::atomic<quint64> m_authSuccesses { 0 };
    std::atomic<quint64> m_authFailures { 0 };
    std::atomic<quint64> m_delivered { 0 };
    std::array<std::atomic<quint64>, FailureCount> m_deferred {};
    std::array<std::atomic<quint64>, FailureCount> m_bounced {};
    // Per bucket (not cumulative), the last one for latencies above every bound.
    std::array<std::atomic<quint64>, LatencyBucketsSeconds.size() + 1> m_latencyBuckets {};
    std::atomic<quint64> m_latencySumMs { 0 };
    std::atomic<qint64> m_queueMessages { 0 };
    std::atomic<qint64> m_queueOldestCreatedAtMs { 0 };
    std::atomic<quint64> m_databaseErrors { 0 };
    std::array<std::atomic<quint64>, StoreOperationCount> m_storeErrors {};
    MetricsHistory m_history;
};
