// Fetches MTA-STS policies (RFC 8461 §3.3) over HTTPS with Qt Network. The name
// mta-sts.DOMAIN is resolved with deliverd's own resolver (the servers of
// TMAIL_DNS_SERVERS, as for MX delivery) and the request goes to that address while the
// certificate is verified, and SNI sent, for the name: the system CA store plus the
// certificates of TMAIL_DELIVERD_TLS_CA_FILE. No redirects, a 64 KiB body limit and a
// time limit, as §3.3 says. The same client posts TLS reports to the https: addresses
// of a domain's TLSRPT record (RFC 8460 §5.4).
#pragma once

#include "core/expected.h"
#include "deliverd/mtastspolicy.h"

#include <functional>

#include <QHostAddress>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QUrl>

class DnsResolver;

class MtaStsFetcher : public QObject
{
    Q_OBJECT
public:
    MtaStsFetcher(DnsResolver *resolver, QList<QSslCertificate> extraCaCertificates, QObject *parent = nullptr);

    // RFC 8461 §3.3 leaves the limit to the sender; one minute by default.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setPort(quint16 port) { m_port = port; } // 443; tests may change it

    // done runs later from the event loop, only while context lives: the policy, or
    // Unavailable (no answer, TLS or HTTP failure) or InvalidInput (not a policy).
    void fetch(const QString &domain, QObject *context, std::function<void(const Expected<MtaStsPolicy> &)> done);

    // POSTs a gzipped TLS report to an https: URL (RFC 8460 §5.4): Content-Type
    // application/tlsrpt+gzip, the certificate verified for the URL's host, no redirect.
    // done runs later, only while context lives: success on a 2xx answer, else Unavailable.
    void postReport(
        const QUrl &url, const QByteArray &gzipped, QObject *context, std::function<void(const Status &)> done);

    // The certificates of a PEM file; an empty path gives none.
    static Expected<QList<QSslCertificate>> loadCaFile(const QString &path);

private:
    // The first address of host, from deliverd's resolver.
    void resolve(const QString &host, QObject *context, std::function<void(const Expected<QHostAddress> &)> done);
    // A request for target (an https: URL naming host) sent to address.
    QNetworkRequest request(const QString &host, const QHostAddress &address, const QUrl &target) const;

    QPointer<DnsResolver> m_resolver;
    QList<QSslCertificate> m_caCertificates;
    QNetworkAccessManager m_network;
    int m_timeoutMs = 60000;
    quint16 m_port = 443;
};
