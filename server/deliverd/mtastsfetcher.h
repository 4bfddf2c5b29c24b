// Fetches MTA-STS policies (RFC 8461 §3.3) over HTTPS with Qt Network. The name
// mta-sts.DOMAIN is resolved with deliverd's own resolver (the servers of
// TMAIL_DNS_SERVERS, as for MX delivery) and the request goes to that address while the
// certificate is verified, and SNI sent, for the name: the system CA store plus the
// certificates of TMAIL_DELIVERD_TLS_CA_FILE. No redirects, a 64 KiB body limit and a
// time limit, as §3.3 says.
#pragma once

#include "core/expected.h"
#include "deliverd/mtastspolicy.h"

#include <functional>

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>

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

    // The certificates of a PEM file; an empty path gives none.
    static Expected<QList<QSslCertificate>> loadCaFile(const QString &path);

private:
    QPointer<DnsResolver> m_resolver;
    QList<QSslCertificate> m_caCertificates;
    QNetworkAccessManager m_network;
    int m_timeoutMs = 60000;
    quint16 m_port = 443;
};
