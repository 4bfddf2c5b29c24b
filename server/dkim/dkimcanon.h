// The "relaxed" canonicalisations of RFC 6376 §3.4.2 (header fields) and §3.4.4 (body),
// and the split of a message into its header fields and body.
#pragma once

#include <QByteArray>
#include <QList>

struct DkimHeaderField
{
    QByteArray name; // as written (case kept)
    QByteArray raw; // the whole field, folding and final CRLF included
};

struct DkimMessageParts
{
    QList<DkimHeaderField> headers; // in message order
    qsizetype bodyOffset = -1; // first octet of the body (the size when none); -1: malformed header
};

namespace DkimCanon {
// Splits at the first empty line. A line that does not start with WSP and has no ':'
// ends the header section (as verifiers do); such a message has no signable body split.
DkimMessageParts split(const QByteArray &message);

// "name:value" + CRLF: name lower-cased, unfolded, WSP runs to one SP, WSP around the
// colon and at the end removed. field is the raw field (name, colon, value, CRLF).
QByteArray relaxedHeader(const QByteArray &field);

// Relaxed body: WSP runs to one SP, WSP at line ends removed, empty lines at the end
// removed, a missing final CRLF added to a non-empty body; an empty body stays empty.
QByteArray relaxedBody(const QByteArray &body);

// The unfolded value of a raw field, without the name and the colon, trimmed.
QByteArray unfoldedValue(const QByteArray &field);
} // namespace DkimCanon
