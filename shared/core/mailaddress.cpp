// RFC 5321 mailbox and path parsing: the one place addresses are checked.
#include "core/mailaddress.h"

#include <QStringList>

namespace {

constexpr int MaxLocalPartLength = 64;
constexpr int MaxAddressLength = 254;

bool isAtext(QChar c, bool allowUtf8)
{
    const ushort u = c.unicode();
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9'))
        return true;
    if (u >= 0x80)
        return allowUtf8;
    return QStringLiteral("!#$%&'*+-/=?^_`{|}~").contains(c);
}

// Dot-string: atoms separated by single dots.
bool isDotString(const QString &text, bool allowUtf8)
{
    if (text.isEmpty() || text.startsWith(QLatin1Char('.')) || text.endsWith(QLatin1Char('.')))
        return false;
    QChar previous;
    for (QChar c : text)
    {
        if (c == QLatin1Char('.'))
        {
            if (previous == QLatin1Char('.'))
                return false;
        }
        else if (!isAtext(c, allowUtf8))
        {
            return false;
        }
        previous = c;
    }
    return true;
}

// Quoted-string: '"' *(qtextSMTP / quoted-pairSMTP) '"'; returns the index after it or -1.
int quotedStringEnd(const QString &text, bool allowUtf8)
{
    if (!text.startsWith(QLatin1Char('"')))
        return -1;
    for (int i = 1; i < text.size(); ++i)
    {
        const ushort u = text.at(i).unicode();
        if (u == '"')
            return i + 1;
        if (u == '\\')
        {
            ++i;
            if (i >= text.size())
                return -1;
            const ushort escaped = text.at(i).unicode();
            if (escaped < 32 || escaped > 126)
                return -1;
            continue;
        }
        if (u >= 0x80 ? !allowUtf8 : (u < 32 || u > 126))
            return -1;
    }
    return -1;
}

} // namespace

Expected<MailAddress> MailAddress::parse(const QString &text, bool allowUtf8)
{
    using Result = Expected<MailAddress>;
    if (text.isEmpty())
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("empty address"));
    if (text.size() > MaxAddressLength)
        return Result::failure(
            ErrorKind::InvalidInput, QStringLiteral("address is longer than %1 characters").arg(MaxAddressLength));

    int at = -1;
    if (text.startsWith(QLatin1Char('"')))
    {
        const int end = quotedStringEnd(text, allowUtf8);
        if (end < 0 || end >= text.size() || text.at(end) != QLatin1Char('@'))
            return Result::failure(
                ErrorKind::InvalidInput, QStringLiteral("'%1' has a malformed quoted local part").arg(text));
        at = end;
    }
    else
    {
        at = text.indexOf(QLatin1Char('@'));
        if (at < 0)
            return Result::failure(ErrorKind::InvalidInput, QStringLiteral("'%1' has no '@domain'").arg(text));
        if (!isDotString(text.left(at), allowUtf8))
            return Result::failure(ErrorKind::InvalidInput, QStringLiteral("'%1' has an invalid local part").arg(text));
    }
    const QString localPart = text.left(at);
    const QString domainText = text.mid(at + 1);
    if (localPart.toUtf8().size() > MaxLocalPartLength)
        return Result::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' has a local part longer than %2 octets").arg(text).arg(MaxLocalPartLength));
    if (domainText.contains(QLatin1Char('@')))
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("'%1' has more than one '@'").arg(text));
    if (domainText.startsWith(QLatin1Char('[')))
        return Result::failure(
            ErrorKind::InvalidInput, QStringLiteral("'%1': address literals are not accepted").arg(text));
    if (domainText.endsWith(QLatin1Char('.')))
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("'%1': the domain ends with a dot").arg(text));
    if (!allowUtf8)
    {
        for (QChar c : domainText)
        {
            if (c.unicode() >= 0x80)
                return Result::failure(ErrorKind::InvalidInput,
                    QStringLiteral("'%1' has non-ASCII characters without SMTPUTF8").arg(text));
        }
    }
    const Expected<Domain> domain = Domain::parse(domainText);
    if (!domain)
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("'%1': %2").arg(text, domain.error()));

    // Checked again on the form that goes on the wire: an internationalised domain grows
    // when it becomes A-labels (fuzz_mailaddress regression).
    if (localPart.toUtf8().size() + 1 + domain->name().size() > MaxAddressLength)
        return Result::failure(
            ErrorKind::InvalidInput, QStringLiteral("address is longer than %1 characters").arg(MaxAddressLength));

    MailAddress address;
    address.m_localPart = localPart;
    address.m_domain = domain.value();
    return address;
}

Expected<MailAddress> MailAddress::parsePath(const QString &path, bool allowUtf8)
{
    using Result = Expected<MailAddress>;
    if (path.size() < 2 || !path.startsWith(QLatin1Char('<')) || !path.endsWith(QLatin1Char('>')))
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("the address must be enclosed in <>"));
    QString inner = path.mid(1, path.size() - 2);
    if (inner.startsWith(QLatin1Char('@')))
    {
        // A-d-l source route (RFC 5321 §4.1.2, C.): each hop must be a domain; it is then ignored.
        const int colon = inner.indexOf(QLatin1Char(':'));
        if (colon < 0)
            return Result::failure(ErrorKind::InvalidInput, QStringLiteral("malformed source route"));
        const QStringList hops = inner.left(colon).split(QLatin1Char(','));
        for (const QString &hop : hops)
        {
            if (!hop.startsWith(QLatin1Char('@')) || !Domain::parse(hop.mid(1)))
                return Result::failure(ErrorKind::InvalidInput, QStringLiteral("malformed source route"));
        }
        inner = inner.mid(colon + 1);
    }
    return parse(inner, allowUtf8);
}
