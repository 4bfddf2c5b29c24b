// RFC 6376 §3.4.2 and §3.4.4, written for bytes: headers may carry 8-bit (RFC 6532) text.
#include "dkim/dkimcanon.h"

namespace {

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

} // namespace

namespace DkimCanon {

DkimMessageParts split(const QByteArray &message)
{
    DkimMessageParts parts;
    qsizetype pos = 0;
    const qsizetype size = message.size();
    while (pos < size)
    {
        if (message.at(pos) == '\r' && pos + 1 < size && message.at(pos + 1) == '\n')
        {
            parts.bodyOffset = pos + 2;
            return parts;
        }
        // One field: its first line and every continuation line (starting with WSP).
        const qsizetype start = pos;
        qsizetype end = pos;
        while (true)
        {
            const qsizetype lf = message.indexOf('\n', end);
            if (lf < 0)
            {
                end = size;
                break;
            }
            end = lf + 1;
            if (end >= size || !isWsp(message.at(end)))
                break;
        }
        const QByteArray raw = message.mid(start, end - start);
        const qsizetype colon = raw.indexOf(':');
        const qsizetype firstLineEnd = raw.indexOf('\n');
        if (colon <= 0 || (firstLineEnd >= 0 && colon > firstLineEnd))
            return parts; // not a header field: no body split
        DkimHeaderField field;
        field.name = raw.left(colon);
        while (!field.name.isEmpty() && isWsp(field.name.back()))
            field.name.chop(1);
        field.raw = raw;
        parts.headers.append(field);
        pos = end;
    }
    parts.bodyOffset = size; // header fields only
    return parts;
}

QByteArray unfoldedValue(const QByteArray &field)
{
    const qsizetype colon = field.indexOf(':');
    QByteArray value = colon < 0 ? QByteArray() : field.mid(colon + 1);
    value.replace("\r\n", "");
    value.replace('\n', "");
    return value.trimmed();
}

QByteArray relaxedHeader(const QByteArray &field)
{
    const qsizetype colon = field.indexOf(':');
    QByteArray name = colon < 0 ? field : field.left(colon);
    while (!name.isEmpty() && isWsp(name.back()))
        name.chop(1);
    QByteArray out = name.toLower();
    out.reserve(field.size() + 2);
    out.append(':');
    bool pendingSpace = false;
    bool started = false;
    for (qsizetype i = colon < 0 ? field.size() : colon + 1; i < field.size(); ++i)
    {
        const char c = field.at(i);
        if (c == '\r' || c == '\n')
            continue; // unfold
        if (isWsp(c))
        {
            pendingSpace = started;
            continue;
        }
        if (pendingSpace)
            out.append(' ');
        pendingSpace = false;
        started = true;
        out.append(c);
    }
    out.append("\r\n");
    return out;
}

QByteArray relaxedBody(const QByteArray &body)
{
    QByteArray out;
    out.reserve(body.size() + 2);
    qsizetype emptyLinesPending = 0;
    qsizetype pos = 0;
    const qsizetype size = body.size();
    while (pos < size)
    {
        qsizetype end = body.indexOf("\r\n", pos);
        const bool hasCrlf = end >= 0;
        if (!hasCrlf)
            end = size;
        // The line [pos, end): WSP runs to one SP, trailing WSP dropped.
        QByteArray line;
        line.reserve(end - pos);
        bool pendingSpace = false;
        for (qsizetype i = pos; i < end; ++i)
        {
            const char c = body.at(i);
            if (isWsp(c))
            {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace)
                line.append(' ');
            pendingSpace = false;
            line.append(c);
        }
        if (line.isEmpty())
        {
            ++emptyLinesPending;
        }
        else
        {
            for (; emptyLinesPending > 0; --emptyLinesPending)
                out.append("\r\n");
            out.append(line);
            out.append("\r\n");
        }
        pos = hasCrlf ? end + 2 : size;
    }
    return out;
}

} // namespace DkimCanon
