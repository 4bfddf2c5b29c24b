// IP address / CIDR parsing and matching for relay permissions.
#include "core/iprange.h"

#include <algorithm>

namespace {

bool isAsciiHexDigit(QChar c)
{
    return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))
        || (c >= QLatin1Char('A') && c <= QLatin1Char('F'));
}

// Clients on a dual-stack socket appear as ::ffff:a.b.c.d; match them as IPv4.
QHostAddress normalised(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

} // namespace

Expected<IpRange> IpRange::parse(const QString &text)
{
    using Result = Expected<IpRange>;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("empty IP address"));
    // QHostAddress is lenient: it takes any text after '%' as an IPv6 zone ("::1%x'; DROP …")
    // and stops at a NUL. Only the characters of an address or a CIDR block go on.
    const bool plain = std::all_of(trimmed.cbegin(), trimmed.cend(), [](QChar c) {
        return isAsciiHexDigit(c) || c == QLatin1Char('.') || c == QLatin1Char(':') || c == QLatin1Char('/');
    });
    if (!plain)
        return Result::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not an IP address or CIDR block (like 192.0.2.0/24): "
                           "only hexadecimal digits, '.', ':' and '/' are allowed")
                .arg(text));
    QHostAddress address;
    int prefix = -1;
    const int slash = trimmed.indexOf(QLatin1Char('/'));
    if (slash < 0)
    {
        if (!address.setAddress(trimmed))
            return Result::failure(ErrorKind::InvalidInput, QStringLiteral("'%1' is not an IP address").arg(text));
        address = normalised(address);
        prefix = address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
    }
    else
    {
        const QPair<QHostAddress, int> subnet = QHostAddress::parseSubnet(trimmed);
        if (subnet.second < 0 || subnet.first.isNull())
            return Result::failure(ErrorKind::InvalidInput,
                QStringLiteral("'%1' is not an IP address or CIDR block (like 192.0.2.0/24)").arg(text));
        // parseSubnet also takes netmask forms and silently masks host bits; insist on
        // a plain prefix length and a clean network address so what is stored is what was meant.
        bool numeric = false;
        const int given = trimmed.mid(slash + 1).toInt(&numeric);
        QHostAddress written;
        if (!numeric || given != subnet.second || !written.setAddress(trimmed.left(slash)))
            return Result::failure(ErrorKind::InvalidInput,
                QStringLiteral("'%1' is not an IP address or CIDR block (like 192.0.2.0/24)").arg(text));
        if (!(written == subnet.first))
            return Result::failure(ErrorKind::InvalidInput,
                QStringLiteral("'%1' has host bits set; did you mean %2/%3?")
                    .arg(text, subnet.first.toString())
                    .arg(subnet.second));
        address = subnet.first;
        prefix = subnet.second;
    }
    IpRange range;
    range.m_network = address;
    range.m_prefixLength = prefix;
    return range;
}

bool IpRange::contains(const QHostAddress &address) const
{
    if (m_prefixLength < 0)
        return false;
    return normalised(address).isInSubnet(m_network, m_prefixLength);
}

QString IpRange::toString() const
{
    const int full = m_network.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
    if (m_prefixLength == full)
        return m_network.toString();
    return m_network.toString() + QLatin1Char('/') + QString::number(m_prefixLength);
}
