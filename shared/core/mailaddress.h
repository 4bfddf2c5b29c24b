// An RFC 5321 mailbox (local-part@domain), parsed once at the edge.
#pragma once

#include "core/domain.h"
#include "core/expected.h"

#include <QString>

class MailAddress
{
public:
    MailAddress() = default;
    // Parses "local@domain" (no angle brackets). The local part is a dot-atom or a
    // quoted string; the domain must be a valid Domain. A second '@' outside quotes,
    // an address literal, or anything else outside RFC 5321 is refused.
    // With allowUtf8 (SMTPUTF8), UTF-8 is allowed in the local part and domain.
    static Expected<MailAddress> parse(const QString &text, bool allowUtf8 = false);

    // Parses an SMTP path as found after "MAIL FROM:" / "RCPT TO:": "<addr>", with an
    // optional source route ("<@a,@b:addr>") that is dropped. "<>" is refused here:
    // callers that accept the null sender check for it first.
    static Expected<MailAddress> parsePath(const QString &path, bool allowUtf8 = false);

    const QString &localPart() const { return m_localPart; }
    const Domain &domain() const { return m_domain; }
    QString toString() const { return m_localPart + QLatin1Char('@') + m_domain.name(); }
    bool isEmpty() const { return m_localPart.isEmpty(); }
    bool operator==(const MailAddress &other) const
    {
        return m_localPart == other.m_localPart && m_domain == other.m_domain;
    }

private:
    QString m_localPart;
    Domain m_domain;
};
