// Parsing of "a|b&c" local address policies.
#include "core/localippolicy.h"

#include "core/textvalue.h"

Expected<LocalIpPolicy> LocalIpPolicy::parse(const QString &text)
{
    using Result = Expected<LocalIpPolicy>;
    if (text.trimmed().isEmpty())
        return Result::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is empty; expected IP addresses separated by '|' or '&' (like 0.0.0.0)").arg(text));
    LocalIpPolicy policy;
    for (const QString &group : text.split(QLatin1Char('&')))
    {
        QList<QHostAddress> addresses;
        for (const QString &rawEntry : group.split(QLatin1Char('|')))
        {
            QString entry = rawEntry.trimmed();
            if (entry.startsWith(QLatin1Char('[')) && entry.endsWith(QLatin1Char(']')))
                entry = entry.mid(1, entry.size() - 2);
            const std::optional<QHostAddress> address = TextValue::toAddress(entry);
            if (!address)
            {
                if (entry.isEmpty())
                    return Result::failure(ErrorKind::InvalidInput,
                        QStringLiteral("'%1' has an empty entry; expected IP addresses separated by '|' or '&'")
                            .arg(text));
                return Result::failure(ErrorKind::InvalidInput,
                    QStringLiteral("'%1' has '%2', which is not an IP address").arg(text, entry));
            }
            addresses.append(*address);
        }
        policy.failoverGroups.append(addresses);
    }
    return policy;
}
