// One destination's delivery attempt: next hops from routes or DNS, failover between them.
#include "deliverd/deliveryjob.h"

#include "deliverd/daneverifier.h"
#include "deliverd/dnsresolver.h"
#include "deliverd/localaddresspicker.h"
#include "deliverd/mtastscache.h"
#include "deliverd/mtastsfetcher.h"
#include "log/logger.h"
#include "metrics/metrics.h"

#include <QRegularExpression>

namespace {

// The enhanced status code (RFC 3463) of a remote's reply: its own when it gives one of
// the reply's class, else X.0.0 of that class.
QString statusOfReply(const SmtpReply &reply)
{
    static const QRegularExpression enhanced(QStringLiteral("^(\\d)\\d\\d[ -]([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b"));
    const QRegularExpressionMatch match = enhanced.match(reply.text);
    if (match.hasMatch() && match.captured(1) == match.captured(2))
        return QStringLiteral("%1.%2.%3").arg(match.captured(2), match.captured(3), match.captured(4));
    const int klass = reply.code / 100;
    return QStringLiteral("%1.0.0").arg(klass == 2 || klass == 5 ? klass : 4);
}

} // namespace

void takeDeliverySettings(const Config &config, DeliverySettings *settings)
{
    settings->localIps = config.deliverdLocalIps;
    settings->timeoutSeconds = config.deliverdRemoteTimeoutSeconds;
    settings->tlsSkipVerify = config.deliverdRemoteTlsSkipVerify;
    settings->tlsFallback = config.deliverdRemoteTlsFallback;
    settings->dane = config.deliverdDane;
    settings->mtaSts = config.deliverdMtaSts;
    const Expected<QList<QSslCertificate>> ca = MtaStsFetcher::loadCaFile(config.deliverdTlsCaFile);
    if (!ca)
    {
        qCWarning(lcDeliverd).noquote() << "TMAIL_DELIVERD_TLS_CA_FILE:" << ca.error();
    }
    settings->caCertificates = ca ? ca.value() : QList<QSslCertificate>();
    settings->tlsCiphers = config.tlsCiphers;
}

DeliveryJob::DeliveryJob(Delivery delivery, const DeliverySettings &settings, DnsResolver *resolver, QObject *parent)
    : QObject(parent), m_delivery(std::move(delivery)), m_settings(settings), m_resolver(resolver)
{ }

void DeliveryJob::setMtaSts(MtaStsFetcher *fetcher, MtaStsCache *cache)
{
    m_mtaStsFetcher = fetcher;
    m_mtaStsCache = cache;
}

void DeliveryJob::start()
{
    m_mtaSts.reset();
    m_hops.clear();
    m_hopIndex = -1;
    m_permanentWhenExhausted = false;
    m_domainUnresolvable = false;
    m_lastError.clear();
    if (m_delivery.lmtpTarget.isSet() && !m_planReport)
    {
        startLmtp();
        return;
    }
    if (!m_delivery.routes.isEmpty())
    {
        for (const Route &route : std::as_const(m_delivery.routes))
        {
            Hop hop;
            hop.host = route.remoteHost;
            hop.port = route.remotePort;
            hop.user = route.smtpUser;
            hop.password = route.smtpPassword;
            hop.localIps = m_settings.localIps;
            hop.routeId = route.id;
            // The route's own TLS policy (`tmail routes add --tls`); opportunistic keeps
            // the TMAIL_DELIVERD_REMOTE_TLS_* settings.
            if (route.tls == QLatin1String("required"))
            {
                hop.tlsPolicy = SmtpEndpoint::TlsPolicy::Encrypt;
            }
            else if (route.tls == QLatin1String("verify"))
            {
                hop.tlsPolicy = SmtpEndpoint::TlsPolicy::Verify;
            }
            else if (route.tls == QLatin1String("dane"))
            {
                hop.tlsPolicy = SmtpEndpoint::TlsPolicy::Dane;
                hop.routeDane = true;
            }
            if (!route.localIps.isEmpty())
            {
                const Expected<LocalIpPolicy> policy = LocalIpPolicy::parse(route.localIps);
                if (policy)
                {
                    hop.localIps = policy.value();
                }
                else
                {
                    qCWarning(lcDeliverd) << "route" << route.id << "has bad local IPs:" << policy.error();
                }
            }
            m_hops.append(hop);
        }
        nextHop();
        return;
    }
    if (!m_resolver)
    {
        finishAll(RecipientResult::Kind::Temporary, QStringLiteral("4.4.3 no DNS resolver"));
        return;
    }
    m_resolver->lookupMx(m_delivery.domain, this, [this](const MxLookup &lookup) { onMx(lookup); });
}

void DeliveryJob::onMx(const MxLookup &lookup)
{
    m_mxAuthenticated = lookup.authenticated;
    switch (lookup.outcome)
    {
    case MxLookup::Outcome::NullMx:
        finishAll(
            RecipientResult::Kind::Permanent, QStringLiteral("5.1.10 %1: %2").arg(m_delivery.domain, lookup.error));
        return;
    case MxLookup::Outcome::NotFound:
        finishAll(
            RecipientResult::Kind::Permanent, QStringLiteral("5.1.2 %1: %2").arg(m_delivery.domain, lookup.error));
        return;
    case MxLookup::Outcome::Temporary:
        finishAll(
            RecipientResult::Kind::Temporary, QStringLiteral("4.4.3 %1: %2").arg(m_delivery.domain, lookup.error));
        return;
    case MxLookup::Outcome::NoMx:
        m_permanentWhenExhausted = true;
        m_hops.append({ m_delivery.domain, m_settings.mxPort, {}, {}, m_settings.localIps, true,
            SmtpEndpoint::TlsPolicy::Opportunistic, {} });
        break;
    case MxLookup::Outcome::Exchangers:
        m_mxHost = lookup.exchangers.value(0).toLower();
        for (const QString &exchanger : lookup.exchangers)
        {
            m_hops.append({ exchanger, m_settings.mxPort, {}, {}, m_settings.localIps, true,
                SmtpEndpoint::TlsPolicy::Opportunistic, {} });
        }
        lookupMtaSts();
        return;
    }
    nextHop();
}

void DeliveryJob::lookupMtaSts()
{
    if (!m_settings.mtaSts || !m_mtaStsFetcher || !m_mtaStsCache || !m_resolver)
    {
        nextHop();
        return;
    }
    m_resolver->lookupTxt(QStringLiteral("_mta-sts.") + m_delivery.domain, this,
        [this](const TxtLookup &lookup) { onMtaStsTxt(lookup); });
}

void DeliveryJob::onMtaStsTxt(const TxtLookup &lookup)
{
    QStringList ids;
    for (const QString &text : lookup.texts)
    {
        if (text.startsWith(QLatin1String("v=STSv1")))
        {
            const Expected<QString> id = MtaStsPolicy::parseTxt(text);
            ids.append(id ? id.value() : QString());
        }
    }
    // RFC 8461 §3.1: not exactly one valid STSv1 record means no (new) policy; §5.1: a
    // cached policy that has not expired still holds.
    const QString id = ids.size() == 1 ? ids.first() : QString();
    const CachedMtaStsPolicy *cached = m_mtaStsCache->find(m_delivery.domain);
    if (cached && (id.isEmpty() || cached->id == id))
    {
        useMtaStsPolicy(&cached->policy);
        return;
    }
    if (!cached && id.isEmpty() && m_mtaStsCache->wasLoaded(m_delivery.domain))
    {
        useMtaStsPolicy(nullptr);
        return;
    }
    // Not in memory, or the TXT id is new to this node: another node, or this one before
    // a restart, may have stored the policy.
    m_mtaStsCache->load(m_delivery.domain, this, [this, id](const std::optional<CachedMtaStsPolicy> &stored) {
        if (id.isEmpty() || (stored && stored->id == id))
        {
            useMtaStsPolicy(stored ? &stored->policy : nullptr);
            return;
        }
        fetchMtaSts(id, stored);
    });
}

void DeliveryJob::fetchMtaSts(const QString &id, const std::optional<CachedMtaStsPolicy> &stored)
{
    m_mtaStsFetcher->fetch(m_delivery.domain, this, [this, id, stored](const Expected<MtaStsPolicy> &fetched) {
        if (fetched)
        {
            m_mtaStsCache->store(m_delivery.domain, id, fetched.value());
            useMtaStsPolicy(&fetched.value());
            return;
        }
        qCInfo(lcDeliverd).noquote() << "MTA-STS policy of" << m_delivery.domain << "not fetched:" << fetched.error();
        // RFC 8461 §5.1: a failed refetch keeps the cached policy. RFC 8460 §4.3: the failure
        // is reported, under that cached policy when there is one; a policy that was
        // served but not valid (bad syntax, too large, wrong type) is told apart from one
        // that could not be fetched at all.
        if (stored && stored->policy.mode != MtaStsPolicy::Mode::None)
        {
            m_mtaSts = stored->policy;
        }
        Hop noHost; // the failure concerns the policy, not an MX host
        noHost.mx = true;
        reportTls(noHost, QString(),
            fetched.kind() == ErrorKind::InvalidInput ? QStringLiteral("sts-policy-invalid")
                                                      : QStringLiteral("sts-policy-fetch-error"),
            TlsSessionOutcome::Kind::Failed);
        useMtaStsPolicy(stored ? &stored->policy : nullptr);
    });
}

void DeliveryJob::useMtaStsPolicy(const MtaStsPolicy *policy)
{
    if (policy && policy->mode != MtaStsPolicy::Mode::None)
    {
        m_mtaSts = *policy;
        for (Hop &hop : m_hops)
        {
            if (policy->mode == MtaStsPolicy::Mode::Enforce)
            {
                hop.tlsPolicy = SmtpEndpoint::TlsPolicy::Verify;
            }
        }
    }
    nextHop();
}

void DeliveryJob::nextHop()
{
    ++m_hopIndex;
    if (m_hopIndex >= m_hops.size())
    {
        const bool permanent = m_permanentWhenExhausted && m_domainUnresolvable;
        finishAll(permanent ? RecipientResult::Kind::Permanent : RecipientResult::Kind::Temporary,
            m_lastError.isEmpty() ? QStringLiteral("4.4.4 no next hop for %1").arg(m_delivery.domain) : m_lastError);
        return;
    }
    const Hop &hop = m_hops.at(m_hopIndex);
    if (hop.mx && m_mtaSts && !m_mtaSts->matchesMx(hop.host))
    {
        const QString why = QStringLiteral("4.7.5 %1: not an MX host of the MTA-STS policy of %2 (%3)")
                                .arg(hop.host, m_delivery.domain, MtaStsPolicy::modeName(m_mtaSts->mode));
        if (!m_planReport)
        {
            qCInfo(lcDeliverd).noquote() << "message" << m_delivery.messageId << why;
        }
        reportTls(hop, QString(), QStringLiteral("validation-failure"), TlsSessionOutcome::Kind::Failed);
        if (m_mtaSts->mode == MtaStsPolicy::Mode::Enforce)
        {
            skipHop(why);
            return;
        }
    }
    if (!m_resolver)
    {
        const QHostAddress literal(hop.host);
        AddressLookup lookup;
        if (!literal.isNull())
        {
            lookup.outcome = AddressLookup::Outcome::Found;
            lookup.addresses.append(literal);
        }
        onAddresses(lookup);
        return;
    }
    if ((hop.mx && m_settings.dane && m_mxAuthenticated) || hop.routeDane)
    {
        // RFC 7672 §2.2.2: DANE applies only when the host's address is secure too.
        m_resolver->lookupAddressesSecure(hop.host, this, [this](const AddressLookup &lookup) { onAddresses(lookup); });
        return;
    }
    m_resolver->lookupAddresses(hop.host, this, [this](const AddressLookup &lookup) { onAddresses(lookup); });
}

void DeliveryJob::onAddresses(const AddressLookup &lookup)
{
    Hop &hop = m_hops[m_hopIndex];
    if (lookup.outcome != AddressLookup::Outcome::Found)
    {
        const QString why = lookup.error.isEmpty() ? QStringLiteral("no address found") : lookup.error;
        if (lookup.outcome == AddressLookup::Outcome::Temporary)
        {
            // RFC 3463 X.4.3: directory server failure.
            skipHop(QStringLiteral("4.4.3 DNS lookup of %1 failed: %2").arg(hop.host, why));
        }
        else if (m_permanentWhenExhausted)
        {
            // RFC 5321 §5.1: no MX, and the domain itself has no address: nowhere to send.
            m_domainUnresolvable = true;
            skipHop(QStringLiteral("5.1.2 %1 has no MX and no address").arg(hop.host));
        }
        else
        {
            // RFC 3463 X.4.4: unable to route. A next hop without an address may get one
            // (a DNS change, a typo fixed in a route): the message waits.
            skipHop(QStringLiteral("4.4.4 cannot route to %1:%2: %3").arg(hop.host).arg(hop.port).arg(why));
        }
        return;
    }
    m_permanentWhenExhausted = false;
    m_addresses = lookup.addresses;
    hop.addressAuthenticated = lookup.authenticated;
    if (hop.routeDane)
    {
        // RFC 7672 §2.2.2: TLSA records count only under a DNSSEC-validated address.
        if (!lookup.authenticated || !m_resolver)
        {
            skipHop(QStringLiteral("4.7.5 %1: DANE: the host's address is not DNSSEC-validated").arg(hop.host));
            return;
        }
        m_resolver->lookupTlsa(hop.host, hop.port, this, [this](const TlsaLookup &tlsa) { onTlsa(tlsa); });
        return;
    }
    if (hop.mx && m_settings.dane && m_mxAuthenticated && lookup.authenticated && m_resolver)
    {
        m_resolver->lookupTlsa(hop.host, hop.port, this, [this](const TlsaLookup &tlsa) { onTlsa(tlsa); });
        return;
    }
    startAddresses();
}

void DeliveryJob::onTlsa(const TlsaLookup &lookup)
{
    Hop &hop = m_hops[m_hopIndex];
    if (lookup.outcome == TlsaLookup::Outcome::Temporary)
    {
        // RFC 7672 §2.2: a failed TLSA lookup (a bogus answer is a SERVFAIL from the
        // validator) makes the host unusable; never fall back to another mode.
        const QString why = QStringLiteral("4.7.5 %1: DANE: %2").arg(hop.host, lookup.error);
        if (!m_planReport)
        {
            qCInfo(lcDeliverd).noquote() << "message" << m_delivery.messageId << "not sent to" << hop.host << "-"
                                         << why;
        }
        if (hop.mx)
        {
            hop.tlsPolicy = SmtpEndpoint::TlsPolicy::Dane; // reported as a DANE (tlsa) failure
            reportTls(hop, QString(), QStringLiteral("dnssec-invalid"), TlsSessionOutcome::Kind::Failed);
        }
        skipHop(why);
        return;
    }
    if (hop.routeDane)
    {
        hop.tlsa = lookup.outcome == TlsaLookup::Outcome::Found && lookup.authenticated
            ? DaneVerifier::usable(lookup.records)
            : QList<TlsaRecord>();
        if (hop.tlsa.isEmpty())
        {
            skipHop(QStringLiteral("4.7.5 %1: DANE: no usable DNSSEC-validated TLSA record for port %2")
                        .arg(hop.host)
                        .arg(hop.port));
            return;
        }
        startAddresses();
        return;
    }
    if (lookup.outcome == TlsaLookup::Outcome::Found && lookup.authenticated)
    {
        hop.tlsa = DaneVerifier::usable(lookup.records);
        // RFC 7672 §2.2: TLSA records that are all unusable still make TLS mandatory.
        // DANE wins over MTA-STS (RFC 8461 §2); unusable records alone do not weaken it.
        if (!hop.tlsa.isEmpty())
        {
            hop.tlsPolicy = SmtpEndpoint::TlsPolicy::Dane;
        }
        else if (hop.tlsPolicy == SmtpEndpoint::TlsPolicy::Opportunistic)
        {
            hop.tlsPolicy = SmtpEndpoint::TlsPolicy::Encrypt;
        }
    }
    startAddresses();
}

void DeliveryJob::startAddresses()
{
    m_addressIndex = 0;
    m_localGroup = 0;
    m_useTls = true;
    tryAddress();
}

void DeliveryJob::tryAddress()
{
    if (m_addressIndex >= m_addresses.size())
    {
        nextHop();
        return;
    }
    const Hop &hop = m_hops.at(m_hopIndex);
    if (m_planReport)
    {
        m_planReport(plan(hop, QString()));
        nextHop(); // every hop is listed, as failover would reach them
        return;
    }
    const QHostAddress &address = m_addresses.at(m_addressIndex);
    SmtpEndpoint endpoint;
    endpoint.hostName = hop.host;
    endpoint.address = address;
    endpoint.port = hop.port;
    endpoint.localAddress = LocalAddressPicker(hop.localIps).pick(m_localGroup, address.protocol());
    endpoint.user = hop.user;
    endpoint.password = hop.password;
    endpoint.useTls = m_useTls;
    endpoint.tlsSkipVerify = m_settings.tlsSkipVerify;
    endpoint.tlsFallback = m_settings.tlsFallback;
    endpoint.tlsCiphers = m_settings.tlsCiphers;
    endpoint.timeoutSeconds = m_settings.timeoutSeconds;
    endpoint.tlsPolicy = hop.tlsPolicy;
    endpoint.tlsa = hop.tlsa;
    endpoint.caCertificates = m_settings.caCertificates;
    m_client = new SmtpClient(endpoint, envelope(), this);
    m_messagesInSession = 1;
    connect(m_client, &SmtpClient::finished, this, &DeliveryJob::onSessionFinished);
    m_client->start();
}

void DeliveryJob::skipHop(const QString &why)
{
    m_lastError = why;
    if (m_planReport)
    {
        m_planReport(plan(m_hops.at(m_hopIndex), why));
    }
    nextHop();
}

HopPlan DeliveryJob::plan(const Hop &hop, const QString &skipped) const
{
    HopPlan plan;
    plan.host = hop.host;
    plan.port = hop.port;
    plan.routeId = hop.routeId;
    plan.addresses = skipped.isEmpty() ? m_addresses : QList<QHostAddress>();
    plan.mxAuthenticated = hop.mx && m_mxAuthenticated;
    plan.addressAuthenticated = hop.addressAuthenticated;
    plan.tlsa = hop.tlsa;
    plan.mtaSts = hop.mx ? m_mtaSts : std::nullopt;
    plan.tlsPolicy = hop.tlsPolicy;
    plan.skipped = skipped;
    return plan;
}

QString tlsPolicyHolding(const QString &lastError)
{
    if (!lastError.startsWith(QLatin1String("4.7.5 ")))
    {
        return {};
    }
    if (lastError.contains(QLatin1String(": DANE: ")))
    {
        return QStringLiteral("dane");
    }
    if (lastError.contains(QLatin1String("of the MTA-STS policy of")))
    {
        return QStringLiteral("mta-sts");
    }
    static const QRegularExpression named(QStringLiteral("TLS policy ([a-z-]+) not met"));
    const QRegularExpressionMatch match = named.match(lastError);
    return match.hasMatch() ? match.captured(1) : QString();
}

QString HopPlan::tlsPolicyName(SmtpEndpoint::TlsPolicy policy)
{
    switch (policy)
    {
    case SmtpEndpoint::TlsPolicy::Dane:
        return QStringLiteral("dane");
    case SmtpEndpoint::TlsPolicy::Verify:
        return QStringLiteral("mta-sts");
    case SmtpEndpoint::TlsPolicy::Encrypt:
        return QStringLiteral("encrypt");
    case SmtpEndpoint::TlsPolicy::Opportunistic:
        break;
    }
    return QStringLiteral("opportunistic");
}

void DeliveryJob::reportTls(
    const Hop &hop, const QString &receivingIp, const QString &resultType, TlsSessionOutcome::Kind kind)
{
    if (!hop.mx || m_planReport)
    {
        return;
    }
    TlsSessionOutcome outcome;
    outcome.policyDomain = m_delivery.domain.toLower();
    outcome.mxHost = hop.host;
    outcome.receivingIp = receivingIp;
    outcome.resultType = resultType;
    outcome.kind = kind;
    if (hop.tlsPolicy == SmtpEndpoint::TlsPolicy::Dane || !hop.tlsa.isEmpty())
    {
        outcome.policyType = QStringLiteral("tlsa");
        for (const TlsaRecord &record : hop.tlsa)
        {
            outcome.policyString.append(QStringLiteral("%1 %2 %3 %4")
                                            .arg(record.usage)
                                            .arg(record.selector)
                                            .arg(record.matching)
                                            .arg(QString::fromLatin1(record.data.toHex())));
        }
    }
    else if (m_mtaSts)
    {
        outcome.policyType = QStringLiteral("sts");
        outcome.policyString
            = { QStringLiteral("version: STSv1"), QStringLiteral("mode: ") + MtaStsPolicy::modeName(m_mtaSts->mode) };
        for (const QString &mx : m_mtaSts->mx)
        {
            outcome.policyString.append(QStringLiteral("mx: ") + mx);
        }
        outcome.policyString.append(QStringLiteral("max_age: %1").arg(m_mtaSts->maxAgeSeconds));
    }
    else
    {
        outcome.policyType = QStringLiteral("no-policy-found");
    }
    emit tlsSession(outcome);
}

SmtpEnvelope DeliveryJob::envelope() const
{
    SmtpEnvelope envelope;
    envelope.heloName = m_settings.me;
    envelope.sender = m_delivery.envelopeSender;
    envelope.recipients = m_delivery.recipients;
    envelope.bodyPath = m_delivery.bodyPath;
    envelope.sizeBytes = m_delivery.sizeBytes;
    envelope.ret = m_delivery.ret;
    envelope.envid = m_delivery.envid;
    envelope.notify = m_delivery.notify;
    envelope.orcpt = m_delivery.orcpt;
    return envelope;
}

bool DeliveryJob::canContinue() const
{
    return m_client && m_client->isReusable();
}

void DeliveryJob::continueWith(Delivery next)
{
    m_delivery = std::move(next);
    m_results.clear();
    m_done = false;
    m_lastError.clear();
    ++m_messagesInSession;
    m_client->deliverNext(envelope());
}

void DeliveryJob::endSession()
{
    if (m_client)
    {
        m_client->quit();
    }
}

void DeliveryJob::onSessionFinished()
{
    SmtpClient *client = m_client;
    const SmtpSessionResult session = client->result();
    const QString remote = client->remoteName();
    const QString receivingIp
        = m_addressIndex < m_addresses.size() ? m_addresses.at(m_addressIndex).toString() : QString();
    // Each connection that carried mail (to an MX or a route) once, for the TLS share of
    // the daemon's history.
    if (session.completed && m_messagesInSession == 1 && !m_planReport)
        Metrics::instance().countDeliverySession(session.usedTls);
    if (session.completed && m_messagesInSession == 1 && m_hopIndex >= 0 && m_hopIndex < m_hops.size())
    {
        const Hop &hop = m_hops.at(m_hopIndex);
        TlsSessionOutcome::Kind kind = TlsSessionOutcome::Kind::Clear;
        if (session.usedTls)
        {
            kind = hop.tlsPolicy == SmtpEndpoint::TlsPolicy::Dane  ? TlsSessionOutcome::Kind::Dane
                : hop.tlsPolicy == SmtpEndpoint::TlsPolicy::Verify ? TlsSessionOutcome::Kind::MtaSts
                                                                   : TlsSessionOutcome::Kind::OpportunisticTls;
        }
        reportTls(hop, receivingIp, session.usedTls ? QString() : QStringLiteral("starttls-not-supported"), kind);
    }
    else if (session.tlsPolicyFailed && m_hopIndex >= 0 && m_hopIndex < m_hops.size())
    {
        reportTls(m_hops.at(m_hopIndex), receivingIp, session.tlsFailureType, TlsSessionOutcome::Kind::Failed);
    }
    if (session.completed)
    {
        if (!client->isReusable())
        {
            m_client = nullptr;
            client->deleteLater();
        }
        finishWith(session, remote);
        return;
    }
    m_client = nullptr;
    client->deleteLater();
    if (session.staleSession)
    {
        // The remote closed the session it had kept open (nothing of this message
        // went out): deliver as if it were the first message.
        qCInfo(lcDeliverd).noquote() << "message" << m_delivery.messageId << "to" << remote
                                     << "needs a new session:" << session.error;
        start();
        return;
    }
    m_lastError = session.status + QLatin1Char(' ') + session.error;
    if (session.tlsPolicyFailed)
    {
        // RFC 7672 §2.2 and RFC 8461 §5: never in clear, never another mode; the next
        // address or MX host may meet the policy.
        const Hop &hop = m_hops.at(m_hopIndex);
        QString policy = QStringLiteral("dane"); // Encrypt on an MX: TLSA records, none usable
        if (hop.tlsPolicy == SmtpEndpoint::TlsPolicy::Verify)
        {
            policy = hop.routeId != 0 ? QStringLiteral("verify") : QStringLiteral("mta-sts");
        }
        else if (hop.tlsPolicy == SmtpEndpoint::TlsPolicy::Encrypt && hop.routeId != 0)
        {
            policy = QStringLiteral("required");
        }
        m_lastError = QStringLiteral("4.7.5 TLS policy %1 not met (%2) with %3: %4")
                          .arg(policy, session.tlsFailureType, remote, session.error);
    }
    qCInfo(lcDeliverd).noquote() << "message" << m_delivery.messageId << "to" << remote << "failed:" << m_lastError;
    if (session.tlsHandshakeFailed && m_settings.tlsFallback && m_useTls && !session.tlsPolicyFailed)
    {
        m_useTls = false; // the same address again, in clear
        tryAddress();
        return;
    }
    const LocalAddressPicker picker(m_hops.at(m_hopIndex).localIps);
    if (!session.connected && m_localGroup + 1 < picker.groupCount())
    {
        ++m_localGroup; // '&' failover: the next source addresses
        tryAddress();
        return;
    }
    ++m_addressIndex;
    m_localGroup = 0;
    m_useTls = true;
    tryAddress();
}

void DeliveryJob::startLmtp()
{
    m_lmtpClient
        = new LmtpClient(m_delivery.lmtpTarget, envelope(), LmtpClient::Mode::Deliver, m_settings.timeoutSeconds, this);
    m_messagesInSession = 1;
    connect(m_lmtpClient, &LmtpClient::finished, this, &DeliveryJob::onLmtpFinished);
    m_lmtpClient->start();
}

void DeliveryJob::onLmtpFinished()
{
    LmtpClient *client = m_lmtpClient;
    m_lmtpClient = nullptr;
    client->deleteLater();
    const SmtpSessionResult session = client->result();
    if (session.completed)
    {
        finishWith(session, client->remoteName());
        return;
    }
    // The one LMTP server did not answer: every recipient waits for the next attempt.
    qCInfo(lcDeliverd).noquote() << "message" << m_delivery.messageId << "to" << client->remoteName()
                                 << "failed:" << session.error;
    finishAll(RecipientResult::Kind::Temporary,
        QStringLiteral("4.4.1 LMTP server %1: %2").arg(m_delivery.lmtpTarget.toString(), session.error));
}

void DeliveryJob::finishWith(const SmtpSessionResult &session, const QString &remote)
{
    m_results.clear();
    for (qsizetype i = 0; i < m_delivery.recipients.size(); ++i)
    {
        const SmtpReply reply = i < session.recipientReplies.size() ? session.recipientReplies.at(i) : SmtpReply {};
        RecipientResult result;
        result.detail = QStringLiteral("%1 host %2 said: %3").arg(statusOfReply(reply), remote, reply.text);
        result.dsnPassed = session.dsn;
        if (reply.code >= 200 && reply.code < 300)
        {
            result.kind = RecipientResult::Kind::Delivered;
            // The LMTP server's 2xx after the data: the message is in this recipient's
            // mailbox (a "delivered" DSN, RFC 3461 §4.1 NOTIFY=SUCCESS, starts from here).
            result.finalDelivery = m_delivery.lmtpTarget.isSet();
        }
        else if (reply.isPermanent())
        {
            result.kind = RecipientResult::Kind::Permanent;
        }
        else
        {
            result.kind = RecipientResult::Kind::Temporary;
        }
        const QString verdict = result.kind == RecipientResult::Kind::Delivered
            ? QStringLiteral("delivered")
            : (result.kind == RecipientResult::Kind::Permanent ? QStringLiteral("failed") : QStringLiteral("deferred"));
        qCInfo(lcDeliverd).noquote() << "message" << m_delivery.messageId << "to" << m_delivery.recipients.at(i)
                                     << QString(verdict
                                            + (session.usedTls ? QStringLiteral(" over TLS:") : QStringLiteral(":")))
                                     << result.detail;
        m_results.append(result);
    }
    m_done = true;
    emit finished();
}

void DeliveryJob::finishAll(RecipientResult::Kind kind, const QString &detail)
{
    m_results.clear();
    for (const QString &recipient : std::as_const(m_delivery.recipients))
    {
        if (!m_planReport)
        {
            qCInfo(lcDeliverd).noquote() << "message" << m_delivery.messageId << "to" << recipient
                                         << (kind == RecipientResult::Kind::Permanent ? "failed:" : "deferred:")
                                         << detail;
        }
        m_results.append({ kind, detail, false });
    }
    m_done = true;
    // Queued: finishAll may run inside start(), before the owner has connected finished().
    QMetaObject::invokeMethod(this, &DeliveryJob::finished, Qt::QueuedConnection);
}
