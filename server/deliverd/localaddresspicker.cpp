// Source address choice: '|' random weighted by repetition, '&' ordered failover.
#include "deliverd/localaddresspicker.h"

#include <QRandomGenerator>

LocalAddressPicker::LocalAddressPicker(LocalIpPolicy policy) : m_policy(std::move(policy)) { }

int LocalAddressPicker::groupCount() const
{
    return std::max<int>(1, int(m_policy.failoverGroups.size()));
}

QHostAddress LocalAddressPicker::pick(int group, QAbstractSocket::NetworkLayerProtocol family) const
{
    if (group < 0 || group >= m_policy.failoverGroups.size())
    {
        return {};
    }
    QList<QHostAddress> candidates;
    for (const QHostAddress &address : m_policy.failoverGroups.at(group))
    {
        if (address.protocol() == family || (family == QAbstractSocket::AnyIPProtocol))
        {
            candidates.append(address);
        }
    }
    if (candidates.isEmpty())
    {
        return {};
    }
    const QHostAddress chosen = candidates.at(QRandomGenerator::global()->bounded(int(candidates.size())));
    if (chosen == QHostAddress(QHostAddress::AnyIPv4) || chosen == QHostAddress(QHostAddress::AnyIPv6))
    {
        return {};
    }
    return chosen;
}
