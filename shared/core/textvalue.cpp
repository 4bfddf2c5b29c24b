// Strict readers of the plain values settings are made of.
#include "core/textvalue.h"

#include <algorithm>

namespace TextValue {

std::optional<bool> toBool(const QString &text)
{
    const QString value = text.trimmed().toLower();
    if (value == QLatin1String("true") || value == QLatin1String("1") || value == QLatin1String("yes"))
        return true;
    if (value == QLatin1String("false") || value == QLatin1String("0") || value == QLatin1String("no"))
        return false;
    return std::nullopt;
}

std::optional<qint64> toWholeNumber(const QString &text, qint64 minimum, qint64 maximum)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    for (QChar c : text)
    {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return std::nullopt;
    }
    const qint64 value = text.toLongLong();
    if (value < minimum || value > maximum)
        return std::nullopt;
    return value;
}

std::optional<qint64> toDurationSeconds(const QString &text, qint64 maximumSeconds)
{
    QString digits = text.trimmed().toLower();
    qint64 unit = 1;
    if (!digits.isEmpty() && !digits.back().isDigit())
    {
        const QChar suffix = digits.back();
        if (suffix == QLatin1Char('m'))
            unit = 60;
        else if (suffix == QLatin1Char('h'))
            unit = 3600;
        else if (suffix == QLatin1Char('d'))
            unit = 86400;
        else if (suffix != QLatin1Char('s'))
            return std::nullopt;
        digits.chop(1);
    }
    const std::optional<qint64> count = toWholeNumber(digits, 0, maximumSeconds / unit);
    if (!count)
        return std::nullopt;
    return *count * unit;
}

std::optional<quint16> toPort(const QString &text)
{
    const std::optional<qint64> port = toWholeNumber(text, 1, 65535);
    if (!port)
        return std::nullopt;
    return static_cast<quint16>(*port);
}

std::optional<QHostAddress> toAddress(const QString &text)
{
    const auto addressCharacter = [](QChar c) {
        return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))
            || (c >= QLatin1Char('A') && c <= QLatin1Char('F')) || c == QLatin1Char('.') || c == QLatin1Char(':');
    };
    if (text.isEmpty() || !std::all_of(text.cbegin(), text.cend(), addressCharacter))
        return std::nullopt;
    QHostAddress address;
    if (!address.setAddress(text))
        return std::nullopt;
    return address;
}

} // namespace TextValue
