// The relay decision (README, Receiving), on a snapshot that never changes once built.
#include "smtpd/relaypolicy.h"

RelayPolicy::RelayPolicy(const QList<Domain> &rcptHosts, const QList<IpRange> &relayIps) : m_relayIps(relayIps)
{
    for (const Domain &domain : rcptHosts)
    {
        m_rcptHosts.insert(domain.name().toLower());
    }
}

bool RelayPolicy::isRcptHost(const Domain &domain) const
{
    return m_rcptHosts.contains(domain.name().toLower());
}

bool RelayPolicy::isRelayIp(const QHostAddress &address) const
{
    // An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d) is matched as IPv4.
    QHostAddress client = address;
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
    {
        client = QHostAddress(v4);
    }
    for (const IpRange &range : m_relayIps)
    {
        if (range.contains(client))
        {
            return true;
        }
    }
    return false;
}

bool RelayPolicy::allows(const Domain &recipientDomain, const QHostAddress &client, bool authenticatedMayRelay) const
{
    return authenticatedMayRelay || isRcptHost(recipientDomain) || isRelayIp(client);
}

void RelayPolicy::setLocal(const QList<Domain> &localDomains, const QStringList &userLogins)
{
    for (const Domain &domain : localDomains)
    {
        m_localDomains.insert(domain.name().toLower());
    }
    for (const QString &login : userLogins)
    {
        m_users.insert(login.toLower());
    }
}

bool RelayPolicy::isLocalDomain(const Domain &domain) const
{
    return m_localDomains.contains(domain.name().toLower());
}

bool RelayPolicy::isUser(const QString &address) const
{
    return m_users.contains(address.toLower());
}
