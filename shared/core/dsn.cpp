// RFC 3461 parameter syntax: xtext, RET, ENVID, NOTIFY, ORCPT.
#include "core/dsn.h"

#include <QStringList>

namespace {

constexpr int MaxEnvidLength = 100; // RFC 3461 §4.4
constexpr int MaxOrcptLength = 500; // RFC 3461 §4.2

Expected<QString> bad(const QString &what)
{
    return Expected<QString>::failure(ErrorKind::InvalidInput, what);
}

bool isAtomChar(QChar c)
{
    if (c.unicode() >= 0x80)
        return false;
    return c.isLetterOrNumber() || QStringLiteral("!#$%&'*+-/=?^_`{|}~").contains(c);
}

int hexValue(QChar c)
{
    const ushort u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    return -1;
}

} // namespace

namespace Dsn {

QString xtextEncode(const QString &text)
{
    QString encoded;
    const QByteArray bytes = text.toUtf8();
    encoded.reserve(bytes.size());
    for (const char c : bytes)
    {
        const uchar octet = uchar(c);
        if (octet < '!' || octet > '~' || octet == '+' || octet == '=')
            encoded += QStringLiteral("+%1").arg(octet, 2, 16, QLatin1Char('0')).toUpper();
        else
            encoded += QLatin1Char(char(octet));
    }
    return encoded;
}

Expected<QString> xtextDecode(const QString &xtext)
{
    QByteArray decoded;
    decoded.reserve(xtext.size());
    for (qsizetype i = 0; i < xtext.size(); ++i)
    {
        const QChar c = xtext.at(i);
        if (c.unicode() < '!' || c.unicode() > '~' || c == QLatin1Char('='))
            return bad(QStringLiteral("character %1 is not allowed in xtext").arg(c.unicode()));
        if (c != QLatin1Char('+'))
        {
            decoded += char(c.unicode());
            continue;
        }
        const int high = i + 2 < xtext.size() ? hexValue(xtext.at(i + 1)) : -1;
        const int low = high >= 0 ? hexValue(xtext.at(i + 2)) : -1;
        if (low < 0)
            return bad(QStringLiteral("'+' must be followed by two hexadecimal digits"));
        const int octet = high * 16 + low;
        if (octet < 0x20 || octet == 0x7f)
            return bad(QStringLiteral("control character +%1 in xtext").arg(octet, 2, 16, QLatin1Char('0')));
        decoded += char(octet);
        i += 2;
    }
    const QString text = QString::fromUtf8(decoded);
    if (text.toUtf8() != decoded)
        return bad(QStringLiteral("the decoded xtext is not UTF-8"));
    return text;
}

Expected<Ret> parseRet(const QString &value)
{
    const QString upper = value.toUpper();
    if (upper == QLatin1String("FULL"))
        return Ret::Full;
    if (upper == QLatin1String("HDRS"))
        return Ret::Hdrs;
    return Expected<Ret>::failure(ErrorKind::InvalidInput, QStringLiteral("RET must be FULL or HDRS"));
}

Expected<QString> parseEnvid(const QString &value)
{
    if (value.isEmpty() || value.size() > MaxEnvidLength)
        return bad(QStringLiteral("ENVID must have 1 to %1 characters").arg(MaxEnvidLength));
    return xtextDecode(value);
}

Expected<int> parseNotify(const QString &value)
{
    int notify = 0;
    const QStringList words = value.toUpper().split(QLatin1Char(','));
    for (const QString &word : words)
    {
        int bit = 0;
        if (word == QLatin1String("NEVER"))
            bit = NotifyNever;
        else if (word == QLatin1String("SUCCESS"))
            bit = NotifySuccess;
        else if (word == QLatin1String("FAILURE"))
            bit = NotifyFailure;
        else if (word == QLatin1String("DELAY"))
            bit = NotifyDelay;
        if (bit == 0 || (notify & bit))
            return Expected<int>::failure(ErrorKind::InvalidInput,
                QStringLiteral("NOTIFY takes NEVER, or SUCCESS, FAILURE and DELAY each at most once"));
        notify |= bit;
    }
    if ((notify & NotifyNever) && notify != NotifyNever)
        return Expected<int>::failure(ErrorKind::InvalidInput, QStringLiteral("NOTIFY=NEVER stands alone"));
    return notify;
}

Expected<QString> parseOrcpt(const QString &value)
{
    if (value.size() > MaxOrcptLength)
        return bad(QStringLiteral("ORCPT must have at most %1 characters").arg(MaxOrcptLength));
    const qsizetype semicolon = value.indexOf(QLatin1Char(';'));
    if (semicolon <= 0)
        return bad(QStringLiteral("ORCPT must be addr-type;xtext"));
    const QString type = value.left(semicolon);
    for (const QChar c : type)
    {
        if (!isAtomChar(c))
            return bad(QStringLiteral("the address type of ORCPT must be an atom"));
    }
    const Expected<QString> address = xtextDecode(value.mid(semicolon + 1));
    if (!address)
        return address;
    if (address->isEmpty())
        return bad(QStringLiteral("ORCPT has no address"));
    return QString(type + QLatin1Char(';') + address.value());
}

QString notifyText(int notify)
{
    if (notify & NotifyNever)
        return QStringLiteral("NEVER");
    QStringList words;
    if (notify & NotifySuccess)
        words.append(QStringLiteral("SUCCESS"));
    if (notify & NotifyFailure)
        words.append(QStringLiteral("FAILURE"));
    if (notify & NotifyDelay)
        words.append(QStringLiteral("DELAY"));
    return words.join(QLatin1Char(','));
}

QString orcptParameter(const QString &orcpt)
{
    const qsizetype semicolon = orcpt.indexOf(QLatin1Char(';'));
    if (semicolon <= 0)
        return QString();
    return orcpt.left(semicolon) + QLatin1Char(';') + xtextEncode(orcpt.mid(semicolon + 1));
}

QString retText(Ret ret)
{
    switch (ret)
    {
    case Ret::Full:
        return QStringLiteral("FULL");
    case Ret::Hdrs:
        return QStringLiteral("HDRS");
    case Ret::Unset:
        break;
    }
    return QString();
}

bool wants(int notify, Notify kind)
{
    if (notify == 0)
        return kind == NotifyFailure || kind == NotifyDelay;
    return (notify & kind) != 0;
}

} // namespace Dsn
