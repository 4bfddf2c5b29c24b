// Parsing of DNS resolver lists.
#include "core/dnsserver.h"

#include "core/textvalue.h"

#include <QRegularExpression>

Expected<QList<DnsServer>> DnsServer::parseList(const QString &text)
{
    using Result = Expected<QList<DnsServer>>;
    const auto invalid = [&text](const QString &what) {
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("'%1' %2").arg(text, what));
    };

    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    QList<DnsServer> servers;
    for (const QString &entry : text.split(separators, Qt::SkipEmptyParts))
    {
        QString host = entry;
        QString portText;
        if (entry.startsWith(QLatin1Char('[')))
        {
            const int close = entry.indexOf(QLatin1Char(']'));
            if (close < 0)
                return invalid(QStringLiteral("has '%1' with an unclosed '['").arg(entry));
            host = entry.mid(1, close - 1);
            const QString rest = entry.mid(close + 1);
            if (!rest.isEmpty())
            {
                if (!rest.startsWith(QLatin1Char(':')))
                    return invalid(QStringLiteral("has '%1'; expected [IPv6]:PORT").arg(entry));
                portText = rest.mid(1);
                if (portText.isEmpty())
                    portText = rest; // reported below as a bad port
            }
        }
        else if (entry.count(QLatin1Char(':')) == 1)
        {
            const int colon = entry.indexOf(QLatin1Char(':'));
            host = entry.left(colon);
            portText = entry.mid(colon + 1);
            if (portText.isEmpty())
                portText = QStringLiteral("(none)");
        }
        DnsServer server;
        const std::optional<QHostAddress> address = TextValue::toAddress(host);
        if (!address)
            return invalid(QStringLiteral("has '%1', which is not an IP address; expected IP[:PORT] entries "
                                          "separated by ',', ';' or spaces")
                               .arg(host));
        server.address = *address;
        if (!portText.isNull())
        {
            const std::optional<quint16> port = TextValue::toPort(portText);
            if (!port)
                return invalid(QStringLiteral("has port %1 in '%2'; expected 1-65535").arg(portText, entry));
            server.port = *port;
        }
        servers.append(server);
    }
    return servers;
}
