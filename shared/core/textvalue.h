// The plain values settings are made of (booleans, bounded whole numbers, ports, bare IP
// addresses), read strictly from text: what is not exactly one of them is refused.
#pragma once

#include <optional>

#include <QHostAddress>
#include <QString>

namespace TextValue {

// true/1/yes or false/0/no, in any case, blanks around ignored.
std::optional<bool> toBool(const QString &text);

// Digits only (no sign, no blanks inside), within [minimum, maximum].
std::optional<qint64> toWholeNumber(const QString &text, qint64 minimum, qint64 maximum);

// A duration in seconds: "0", or a whole number with a unit s, m, h or d ("90s", "30m",
// "4h", "2d"; a bare number counts seconds), at most maximumSeconds.
std::optional<qint64> toDurationSeconds(const QString &text, qint64 maximumSeconds);

// 1 to 65535.
std::optional<quint16> toPort(const QString &text);

// A bare IP address: no brackets, no port, no scope id. Only the characters of an address
// are let through, as QHostAddress would take a zone after '%' and stop at a NUL.
std::optional<QHostAddress> toAddress(const QString &text);

} // namespace TextValue
