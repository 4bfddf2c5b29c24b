// Signs a whole message (header and body, as stored) with every active key of the domain
// of its From: header (RFC 6376 §5, c=relaxed/relaxed; RFC 8463 for Ed25519).
#pragma once

#include "dkim/dkimcanon.h"
#include "dkim/dkimkeyring.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

struct DkimSignResult
{
    enum class Outcome
    {
        Signed, // headers holds the DKIM-Signature fields, CRLF-terminated, to put on top
        NoKey, // the From: domain (and its parents) has no active key
        NotSignable, // no single From: address: reason says why
        Failed, // OpenSSL refused: reason says why
    };
    Outcome outcome = Outcome::NoKey;
    QByteArray headers;
    QString domain; // the From: domain
    QStringList selectors;
    QString reason;
};

class DkimSigner
{
public:
    // The header fields named in h=, besides every List-* field present (RFC 2369, 2919, 8058).
    static const QList<QByteArray> &signedHeaderNames();

    // The domain of the single address of the single From: field, lower-case A-labels;
    // a failure (InvalidInput) says why there is none.
    static Expected<QString> fromDomain(const DkimMessageParts &parts);

    // The h= list for this message: each field as often as present, From and Subject once
    // more (over-signing, RFC 6376 §8.15), List-* fields that are present.
    static QList<QByteArray> headerList(const DkimMessageParts &parts);

    static DkimSignResult sign(const QByteArray &message, const DkimKeyring &keyring, qint64 unixTime);

    // One signature with one key, for a message already split (tests and the benchmark).
    static Expected<QByteArray> signatureField(const QByteArray &message, const DkimMessageParts &parts,
        const DkimSigningKey &key, qint64 unixTime, const QByteArray &bodyHash);
};
