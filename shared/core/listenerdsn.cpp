// Parsing of smtpd listener entries ("IP:PORT:SSL") and lists of them.
#include "core/listenerdsn.h"

#include "core/textvalue.h"

#include <QRegularExpression>
#include <QSet>

Expected<ListenerDsn> ListenerDsn::parse(const QString &entry)
{
    using Result = Expected<ListenerDsn>;
    const int lastColon = entry.lastIndexOf(QLatin1Char(':'));
    const int portColon = lastColon > 0 ? entry.lastIndexOf(QLatin1Char(':'), lastColon - 1) : -1;
    if (portColon <= 0)
        return Result::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not of the form IP:PORT:SSL (like 127.0.0.1:2525:false)").arg(entry));
    QString host = entry.left(portColon);
    const QString portText = entry.mid(portColon + 1, lastColon - portColon - 1);
    const QString sslText = entry.mid(lastColon + 1);

    ListenerDsn dsn;
    if (host.startsWith(QLatin1Char('[')))
    {
        if (!host.endsWith(QLatin1Char(']')))
            return Result::failure(ErrorKind::InvalidInput,
                QStringLiteral("'%1' has an unclosed '['; expected [IPv6]:PORT:SSL").arg(entry));
        host = host.mid(1, host.size() - 2);
        const std::optional<QHostAddress> address = TextValue::toAddress(host);
        if (!address || address->protocol() != QAbstractSocket::IPv6Protocol)
            return Result::failure(ErrorKind::InvalidInput,
                QStringLiteral("'%1' has '%2' in brackets, which is not an IPv6 address").arg(entry, host));
        dsn.address = *address;
    }
    else
    {
        const std::optional<QHostAddress> address = TextValue::toAddress(host);
        if (!address)
            return Result::failure(
                ErrorKind::InvalidInput, QStringLiteral("'%1' has '%2', which is not an IP address").arg(entry, host));
        if (address->protocol() == QAbstractSocket::IPv6Protocol)
            return Result::failure(ErrorKind::InvalidInput,
                QStringLiteral("'%1': write IPv6 addresses in brackets, like [%2]:PORT:SSL").arg(entry, host));
        dsn.address = *address;
    }
    const std::optional<quint16> port = TextValue::toPort(portText);
    if (!port)
        return Result::failure(
            ErrorKind::InvalidInput, QStringLiteral("'%1' has port %2; expected 1-65535").arg(entry, portText));
    dsn.port = *port;
    const std::optional<bool> ssl = TextValue::toBool(sslText);
    if (!ssl)
        return Result::failure(
            ErrorKind::InvalidInput, QStringLiteral("'%1' has SSL '%2'; expected true or false").arg(entry, sslText));
    dsn.implicitTls = *ssl;
    return dsn;
}

Expected<QList<ListenerDsn>> ListenerDsn::parseList(const QString &text)
{
    using Result = Expected<QList<ListenerDsn>>;
    static const QRegularExpression separators(QStringLiteral("[,;]"));
    if (text.trimmed().isEmpty())
        return Result::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is empty; expected at least one IP:PORT:SSL listener").arg(text));

    QList<ListenerDsn> listeners;
    QSet<QString> seen;
    for (const QString &rawEntry : text.split(separators))
    {
        const QString entry = rawEntry.trimmed();
        if (entry.isEmpty())
            return Result::failure(ErrorKind::InvalidInput,
                QStringLiteral("'%1' has an empty entry; expected IP:PORT:SSL entries separated by ',' or ';'")
                    .arg(text));
        const Expected<ListenerDsn> dsn = parse(entry);
        if (!dsn)
            return Result::failure(dsn.kind(), dsn.error());
        const QString key = dsn->toString();
        if (seen.contains(key))
            return Result::failure(
                ErrorKind::InvalidInput, QStringLiteral("'%1' lists %2 more than once").arg(text, key));
        seen.insert(key);
        listeners.append(dsn.value());
    }
    return listeners;
}

QString ListenerDsn::toString() const
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QLatin1Char('[') + address.toString() + QStringLiteral("]:") + QString::number(port);
    return address.toString() + QLatin1Char(':') + QString::number(port);
}
