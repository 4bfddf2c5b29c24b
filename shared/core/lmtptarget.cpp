// Parsing of TMAIL_LMTP_TARGET.
#include "core/lmtptarget.h"

#include "core/domain.h"
#include "core/textvalue.h"

QString LmtpTarget::toString() const
{
    if (isUnix())
        return QStringLiteral("unix:") + socketPath;
    if (!isSet())
        return QString();
    return (host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host) + QLatin1Char(':')
        + QString::number(port);
}

Expected<LmtpTarget> LmtpTarget::parse(const QString &text)
{
    using Result = Expected<LmtpTarget>;
    const QString expected = QStringLiteral("expected unix:/PATH, HOST:PORT or [IPv6]:PORT");
    const auto invalid = [&text, &expected](const QString &what) {
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("'%1' %2; %3").arg(text, what, expected));
    };
    LmtpTarget target;
    if (text.isEmpty())
        return target;
    for (QChar c : text)
    {
        if (c.unicode() <= 32 || c.unicode() == 127)
            return invalid(QStringLiteral("contains a blank or a control character"));
    }
    if (text.startsWith(QLatin1String("unix:")))
    {
        target.socketPath = text.mid(5);
        if (!target.socketPath.startsWith(QLatin1Char('/')))
            return invalid(QStringLiteral("is not an absolute socket path"));
        return target;
    }
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return invalid(QStringLiteral("has no port"));
    QString host = text.left(colon);
    const bool bracketed = host.startsWith(QLatin1Char('['));
    if (bracketed)
    {
        if (!host.endsWith(QLatin1Char(']')))
            return invalid(QStringLiteral("has an unclosed '['"));
        host = host.mid(1, host.size() - 2);
        const std::optional<QHostAddress> address = TextValue::toAddress(host);
        if (!address || address->protocol() != QAbstractSocket::IPv6Protocol)
            return invalid(QStringLiteral("has '%1' in brackets, which is not an IPv6 address").arg(host));
    }
    else if (host.contains(QLatin1Char(':')))
    {
        return invalid(QStringLiteral("has an IPv6 address without brackets"));
    }
    else if (!TextValue::toAddress(host) && !Domain::parse(host))
    {
        return invalid(QStringLiteral("has '%1', which is neither an IP address nor a host name").arg(host));
    }
    const std::optional<quint16> port = TextValue::toPort(text.mid(colon + 1));
    if (!port)
        return invalid(QStringLiteral("has port '%1'").arg(text.mid(colon + 1)));
    target.host = host;
    target.port = *port;
    return target;
}
