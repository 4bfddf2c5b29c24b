// Delivers one message's recipients of one destination: route or MX lookup, then
// each next hop and each of its addresses in turn until one gives answers. The session
// that answered may then carry further messages to the same destination.
#pragma once

#include "config/config.h"
#include "db/records.h"
#include "deliverd/dnsresolver.h"
#include "deliverd/lmtpclient.h"
#include "deliverd/mtastscache.h"
#include "deliverd/mtastspolicy.h"
#include "deliverd/smtpclient.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <optional>

class DnsResolver;
class MtaStsFetcher;

// What deliverd knows of the outcome for one recipient after an attempt.
struct RecipientResult
{
    enum class Kind
    {
        Delivered,
        Temporary,
        Permanent
    };
    Kind kind = Kind::Temporary;
    // Starts with an enhanced status code (RFC 3463): "5.1.1 host mx.example[192.0.2.1]:25
    // said: 550 5.1.1 …" for a remote's reply, else tmail's reason ("4.4.1 connection to
    // mx.example[192.0.2.1]:25 refused").
    QString detail;
    // Delivered to a server that advertised DSN (RFC 3461): it took the parameters on and
    // any success notice is now its business.
    bool dsnPassed = false;
    // Delivered into the mailbox by the LMTP server of a local domain, not relayed on:
    // where a delivery status notification says "delivered" (RFC 3464 §2.3.3).
    bool finalDelivery = false;
};

// The work of one job.
struct Delivery
{
    QString messageId;
    QString envelopeSender;
    QString bodyPath;
    qint64 sizeBytes = 0;
    QString domain; // the recipients' domain
    QStringList recipients;
    QList<int> positions; // each recipient's position in the queued message
    // RFC 3461 parameters of the message and of each recipient, for the next hop.
    Dsn::Ret ret = Dsn::Ret::Unset;
    QString envid;
    QList<int> notify;
    QStringList orcpt;
    QList<Route> routes; // in the order to try; empty: the domain's MX
    LmtpTarget lmtpTarget; // set: a local domain (rcpthost -l), delivered there over LMTP
    QString destination; // what deliverd counts its sessions and rate under (Deliverd::limitsFor)
    qint64 startedAtMs = 0; // when deliverd started it (ms since the epoch)
};

// One TLS session (or an MX passed over by policy) towards an MX host of the
// recipients' domain: the policy in force and its result, for TLS reporting (RFC 8460)
// and the manager's share of deliveries per TLS outcome.
struct TlsSessionOutcome
{
    enum class Kind
    {
        Dane, // delivered over TLS under DANE
        MtaSts, // under an enforced MTA-STS policy
        OpportunisticTls, // over TLS without a policy that required it
        Clear, // in clear text
        Failed // a policy failure: nothing sent that way
    };
    QString policyDomain;
    QString policyType; // "tlsa", "sts" or "no-policy-found" (RFC 8460 §4.3)
    QStringList policyString; // the TLSA records or the MTA-STS policy lines
    QString mxHost;
    QString receivingIp;
    QString resultType; // empty: a successful TLS session; else the RFC 8460 failure type
    Kind kind = Kind::Failed;
};

// The TLS policy a deferral (a RecipientResult detail starting "4.7.5") says was not met:
// "dane", "mta-sts", "required" or "verify" (a route's); empty for any other reason.
QString tlsPolicyHolding(const QString &lastError);

// Settings every job shares.
struct DeliverySettings
{
    QString me;
    LocalIpPolicy localIps;
    int timeoutSeconds = 300;
    bool tlsSkipVerify = true;
    bool tlsFallback = true;
    QList<QSslCipher> tlsCiphers; // TMAIL_SMTPD_TLS_CIPHERS
    quint16 mxPort = 25; // RFC 5321: 25; tests may change it
    // DANE (RFC 7672) for MX delivery when the resolver authenticates the answers.
    bool dane = true;
    // MTA-STS (RFC 8461) for MX delivery; caCertificates are trusted besides the system's
    // for the MX certificates an enforced policy requires.
    bool mtaSts = true;
    QList<QSslCertificate> caCertificates;
};

// The settings of the configuration every new job copies, but me (not live: see
// ConfigRegistry::variables()) and mxPort.
void takeDeliverySettings(const Config &config, DeliverySettings *settings);

// One next hop as a job in plan mode sees it (`tmail routes test`, `tmail tls check`): where
// the message would go and with which TLS policy, or why that hop would be passed over.
struct HopPlan
{
    QString host;
    quint16 port = 25;
    qint64 routeId = 0; // 0: from the domain's MX (or the domain itself)
    QList<QHostAddress> addresses;
    bool mxAuthenticated = false; // the MX answer was DNSSEC-validated
    bool addressAuthenticated = false; // so were the host's A/AAAA answers
    QList<TlsaRecord> tlsa; // the usable TLSA records (DANE)
    std::optional<MtaStsPolicy> mtaSts; // the MTA-STS policy in force for the domain
    SmtpEndpoint::TlsPolicy tlsPolicy = SmtpEndpoint::TlsPolicy::Opportunistic;
    QString skipped; // why the hop would not be used; empty: it would be tried

    static QString tlsPolicyName(SmtpEndpoint::TlsPolicy policy);
};

class DeliveryJob : public QObject
{
    Q_OBJECT
public:
    DeliveryJob(Delivery delivery, const DeliverySettings &settings, DnsResolver *resolver, QObject *parent = nullptr);

    // MTA-STS needs both (owned by deliverd, shared by its jobs); without them it is off.
    void setMtaSts(MtaStsFetcher *fetcher, MtaStsCache *cache);
    void start();
    // Plan mode: the job resolves everything as for a delivery (routes, MX, MTA-STS,
    // addresses, TLSA) but connects to nothing; report gets each hop in the order it would
    // be tried, then finished() comes with the result a delivery would have had if no hop
    // answered (a null MX or an unknown domain still gives their permanent result).
    void setPlanOnly(std::function<void(const HopPlan &)> report) { m_planReport = std::move(report); }
    const Delivery &delivery() const { return m_delivery; }
    // One per recipient of delivery().recipients, valid after finished().
    const QList<RecipientResult> &results() const { return m_results; }

    // After finished(): whether the session to the destination is still open and ready
    // for another message (see SmtpClient::isReusable), and how many it carried.
    bool canContinue() const;
    int messagesInSession() const { return m_messagesInSession; }
    // The domain's first MX host (lower case), once the MX lookup answered.
    const QString &mxHost() const { return m_mxHost; }
    // Delivers next, a delivery to the same destination (same domain and routes), on
    // the open session; when that session turns out to be gone before answering, from
    // the start on a new one. finished() follows, as after start().
    void continueWith(Delivery next);
    // Ends the open session, if any (QUIT).
    void endSession();

signals:
    void finished();
    // MX deliveries only (routes have their own policy and no policy domain).
    void tlsSession(const TlsSessionOutcome &outcome);

private:
    struct Hop
    {
        QString host;
        quint16 port = 25;
        QString user;
        QString password;
        LocalIpPolicy localIps;
        bool mx = false; // from the domain's MX (or the domain itself): DANE may apply
        SmtpEndpoint::TlsPolicy tlsPolicy = SmtpEndpoint::TlsPolicy::Opportunistic;
        QList<TlsaRecord> tlsa;
        qint64 routeId = 0;
        bool addressAuthenticated = false;
        bool routeDane = false; // a route with --tls dane: the host's TLSA records or nothing
    };

    void onMx(const MxLookup &lookup);
    void lookupMtaSts();
    void onMtaStsTxt(const TxtLookup &lookup);
    void fetchMtaSts(const QString &id, const std::optional<CachedMtaStsPolicy> &stored);
    void useMtaStsPolicy(const MtaStsPolicy *policy);
    void nextHop();
    void onAddresses(const AddressLookup &lookup);
    void onTlsa(const TlsaLookup &lookup);
    void startAddresses();
    void tryAddress();
    void skipHop(const QString &why); // m_lastError = why, reported in plan mode, next hop
    HopPlan plan(const Hop &hop, const QString &skipped) const;
    void onSessionFinished();
    void startLmtp();
    void onLmtpFinished();
    void finishAll(RecipientResult::Kind kind, const QString &detail);
    void finishWith(const SmtpSessionResult &session, const QString &remote);
    SmtpEnvelope envelope() const;
    void reportTls(const Hop &hop, const QString &receivingIp, const QString &resultType, TlsSessionOutcome::Kind kind);

    Delivery m_delivery;
    DeliverySettings m_settings;
    QPointer<DnsResolver> m_resolver;
    QList<Hop> m_hops;
    int m_hopIndex = -1;
    QList<QHostAddress> m_addresses;
    bool m_mxAuthenticated = false;
    MtaStsFetcher *m_mtaStsFetcher = nullptr;
    MtaStsCache *m_mtaStsCache = nullptr;
    std::optional<MtaStsPolicy> m_mtaSts; // the policy in force for this delivery
    int m_addressIndex = 0;
    int m_localGroup = 0;
    bool m_useTls = true;
    bool m_permanentWhenExhausted = false; // the only hop is the domain itself (no MX)
    bool m_domainUnresolvable = false; // and it has no address: bounce
    QString m_lastError;
    SmtpClient *m_client = nullptr;
    LmtpClient *m_lmtpClient = nullptr;
    int m_messagesInSession = 0;
    QString m_mxHost;
    QList<RecipientResult> m_results;
    bool m_done = false;
    std::function<void(const HopPlan &)> m_planReport;
};
