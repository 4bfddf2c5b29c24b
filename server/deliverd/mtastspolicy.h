// MTA-STS (RFC 8461): the _mta-sts TXT record and the policy file, parsed as the RFC
// says, and the MX pattern match of §4.1.
#pragma once

#include "core/expected.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

struct MtaStsPolicy
{
    enum class Mode
    {
        Enforce,
        Testing,
        None
    };
    Mode mode = Mode::None;
    QStringList mx; // patterns: "mx.example.com" or "*.example.com", lower case
    qint64 maxAgeSeconds = 0;

    // RFC 8461 §3.3: a policy body larger than this is not a policy.
    static constexpr qint64 MaxBodyBytes = 64 * 1024;
    // RFC 8461 §3.2: max_age is at most 31557600 (about a year).
    static constexpr qint64 MaxAgeLimit = 31557600;

    // The policy of a body served at /.well-known/mta-sts.txt; InvalidInput when it is not one.
    static Expected<MtaStsPolicy> parse(const QByteArray &body);
    // The id of a "v=STSv1; id=…" TXT record (RFC 8461 §3.1); InvalidInput when it is not one.
    static Expected<QString> parseTxt(const QString &record);
    // RFC 8461 §4.1: exact names, or "*." matching exactly one leftmost label.
    bool matchesMx(const QString &host) const;
    static QString modeName(Mode mode);
};
