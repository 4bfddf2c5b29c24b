// One destination's delivery attempt: next hops from routes or DNS, failover between them.
#include "deliverd/deliveryjob.h"

#include "deliverd/dnsresolver.h"
#include "deliverd/localaddresspicker.h"
#include "log/logger.h"

DeliveryJob::DeliveryJob(Delivery delivery, const DeliverySettings &settings, DnsResolver *resolver, QObject *parent)
    : QObject(parent), m_delivery(std::move(delivery)), m_settings(settings), m_resolver(resolver)
{ }

void DeliveryJob::start()
{
    m_hops.clear();
    m_hopIndex = -1;
    m_permanentWhenExhausted = false;
    m_lastError.clear();
    if (!m_delivery.routes.isEmpty()) {
        for (const Route &route : std::as_const(m_delivery.routes)) {
            Hop hop;
            hop.host = route.remoteHost;
            hop.port = route.remotePort;
            hop.user = route.smtpUser;
            hop.password = route.smtpPassword;
            hop.localIps = m_settings.localIps;
            if (!route.localIps.isEmpty()) {
                const Expected<LocalIpPolicy> policy = LocalIpPolicy::parse(route.localIps);
                if (policy) {
                    hop.localIps = policy.value();
                } else {
                    qCWarning(lcDeliverd) << "route" << route.id << "has bad local IPs:" << policy.error();
                }
            }
            m_hops.append(hop);
        }
        nextHop();
        return;
    }
    if (!m_resolver) {
        finishAll(RecipientResult::Kind::Temporary, QStringLiteral("no DNS resolver"));
        return;
    }
    m_resolver->lookupMx(m_delivery.domain, this, [this](const MxLookup &lookup) { onMx(lookup); });
}

void DeliveryJob::onMx(const MxLookup &lookup)
{
    switch (lookup.outcome) {
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
        m_hops.append({ m_delivery.domain, m_settings.mxPort, {}, {}, m_settings.localIps });
        break;
    case MxLookup::Outcome::Exchangers:
        for (const QString &exchanger : lookup.exchangers) {
            m_hops.append({ exchanger, m_settings.mxPort, {}, {}, m_settings.localIps });
        }
        break;
    }
    nextHop();
}

void DeliveryJob::nextHop()
{
    ++m_hopIndex;
    if (m_hopIndex >= m_hops.size()) {
        const bool permanent = m_permanentWhenExhausted && m_lastError.contains(QLatin1String("no address"));
        finishAll(permanent ? RecipientResult::Kind::Permanent : RecipientResult::Kind::Temporary,
            m_lastError.isEmpty() ? QStringLiteral("4.4.1 no next hop answered") : m_lastError);
        return;
    }
    const Hop &hop = m_hops.at(m_hopIndex);
    if (!m_resolver) {
        const QHostAddress literal(hop.host);
        AddressLookup lookup;
        if (!literal.isNull()) {
            lookup.outcome = AddressLookup::Outcome::Found;
            lookup.addresses.append(literal);
        }
        onAddresses(lookup);
        return;
    }
    m_resolver->lookupAddresses(hop.host, this, [this](const AddressLookup &lookup) { onAddresses(lookup); });
}

void DeliveryJob::onAddresses(const AddressLookup &lookup)
{
    const Hop &hop = m_hops.at(m_hopIndex);
    if (lookup.outcome != AddressLookup::Outcome::Found) {
        m_lastError = QStringLiteral("%1 %2: %3")
                          .arg(lookup.outcome == AddressLookup::Outcome::NotFound ? QStringLiteral("5.1.2")
                                                                                  : QStringLiteral("4.4.3"),
                              hop.host, lookup.error.isEmpty() ? QStringLiteral("no address") : lookup.error);
        nextHop();
        return;
    }
    m_permanentWhenExhausted = false;
    m_addresses = lookup.addresses;
    m_addressIndex = 0;
    m_localGroup = 0;
    m_useTls = true;
    tryAddress();
}

void DeliveryJob::tryAddress()
{
    if (m_addressIndex >= m_addresses.size()) {
        nextHop();
        return;
    }
    const Hop &hop = m_hops.at(m_hopIndex);
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
    m_client = new SmtpClient(endpoint, envelope(), this);
    m_messagesInSession = 1;
    connect(m_client, &SmtpClient::finished, this, &DeliveryJob::onSessionFinished);
    m_client->start();
}

SmtpEnvelope DeliveryJob::envelope() const
{
    SmtpEnvelope envelope;
    envelope.heloName = m_settings.me;
    envelope.sender = m_delivery.envelopeSender;
    envelope.recipients = m_delivery.recipients;
    envelope.bodyPath = m_delivery.bodyPath;
    envelope.sizeBytes = m_delivery.sizeBytes;
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
    if (m_client) {
        m_client->quit();
    }
}

void DeliveryJob::onSessionFinished()
{
    SmtpClient *client = m_client;
    const SmtpSessionResult session = client->result();
    const QString remote = client->remoteName();
    if (session.completed) {
        if (!client->isReusable()) {
            m_client = nullptr;
            client->deleteLater();
        }
        finishWith(session, remote);
        return;
    }
    m_client = nullptr;
    client->deleteLater();
    if (session.staleSession) {
        // The remote closed the session it had kept open (nothing of this message
        // went out): deliver as if it were the first message.
        qCInfo(lcDeliverd).noquote() << "message" << m_delivery.messageId << "to" << remote
                                     << "needs a new session:" << session.error;
        start();
        return;
    }
    m_lastError = QStringLiteral("4.4.1 host %1 said: %2").arg(remote, session.error);
    qCInfo(lcDeliverd).noquote() << "message" << m_delivery.messageId << "to" << remote << "failed:" << session.error;
    if (session.tlsHandshakeFailed && m_settings.tlsFallback && m_useTls) {
        m_useTls = false; // the same address again, in clear
        tryAddress();
        return;
    }
    const LocalAddressPicker picker(m_hops.at(m_hopIndex).localIps);
    if (!session.connected && m_localGroup + 1 < picker.groupCount()) {
        ++m_localGroup; // '&' failover: the next source addresses
        tryAddress();
        return;
    }
    ++m_addressIndex;
    m_localGroup = 0;
    m_useTls = true;
    tryAddress();
}

void DeliveryJob::finishWith(const SmtpSessionResult &session, const QString &remote)
{
    m_results.clear();
    for (qsizetype i = 0; i < m_delivery.recipients.size(); ++i) {
        const SmtpReply reply = i < session.recipientReplies.size() ? session.recipientReplies.at(i) : SmtpReply {};
        RecipientResult result;
        result.detail = QStringLiteral("host %1 said: %2").arg(remote, reply.text);
        if (reply.code >= 200 && reply.code < 300) {
            result.kind = RecipientResult::Kind::Delivered;
        } else if (reply.isPermanent()) {
            result.kind = RecipientResult::Kind::Permanent;
        } else {
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
    for (const QString &recipient : std::as_const(m_delivery.recipients)) {
        qCInfo(lcDeliverd).noquote() << "message" << m_delivery.messageId << "to" << recipient
                                     << (kind == RecipientResult::Kind::Permanent ? "failed:" : "deferred:") << detail;
        m_results.append({ kind, detail });
    }
    m_done = true;
    // Queued: finishAll may run inside start(), before the owner has connected finished().
    QMetaObject::invokeMethod(this, &DeliveryJob::finished, Qt::QueuedConnection);
}
