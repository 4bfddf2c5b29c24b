// An IPv4/IPv6 address or CIDR block, as used for relay IPs.
#pragma once

#include "core/expected.h"

#include <QHostAddress>
#include <QString>

class IpRange
{
public:
    IpRange() = default;
    // "192.0.2.1", "192.0.2.0/24", "2001:db8::/32"; host bits must be zero.
    static Expected<IpRange> parse(const QString &text);

    bool contains(const QHostAddress &address) const;
    QString toString() const;
    const QHostAddress &network() const { return m_network; }
    int prefixLength() const { return m_prefixLength; }
    bool operator==(const IpRange &other) const
    {
        return m_network == other.m_network && m_prefixLength == other.m_prefixLength;
    }

private:
    QHostAddress m_network;
    int m_prefixLength = -1;
};
