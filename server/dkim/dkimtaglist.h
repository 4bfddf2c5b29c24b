// The tag=value lists of RFC 6376 §3.2, as found in DKIM-Signature header fields and
// in the TXT records of selector._domainkey.DOMAIN (§3.6.1).
#pragma once

#include "core/expected.h"

#include <QByteArray>
#include <QList>
#include <QPair>

class DkimTagList
{
public:
    // Fails on a tag without '=', an invalid tag name or a duplicate tag (§3.2: the
    // whole list is then invalid). FWS around tags and values is dropped.
    static Expected<DkimTagList> parse(const QByteArray &text);

    bool contains(const QByteArray &tag) const;
    QByteArray value(const QByteArray &tag) const; // empty when absent
    const QList<QPair<QByteArray, QByteArray>> &tags() const { return m_tags; }

private:
    QList<QPair<QByteArray, QByteArray>> m_tags;
};

// A DKIM key record (§3.6.1) reduced to what `dkim check` compares.
struct DkimKeyRecord
{
    QByteArray keyType = "rsa"; // k=
    QByteArray publicKey; // p= with whitespace removed (base64); empty: revoked
    // Fails when v= is present and not first or not DKIM1, or p= is missing.
    static Expected<DkimKeyRecord> parse(const QByteArray &text);
};
