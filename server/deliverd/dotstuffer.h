// The transparency procedure of RFC 5321 §4.5.2 (LMTP, RFC 2033, uses it too): a line of the
// body that starts with '.' gets one more '.' before it is sent.
#pragma once

#include <QByteArray>

// Stuffs chunk, the next piece of a body; atLineStart carries from one chunk to the next
// (true before the first one).
inline QByteArray dotStuffed(const QByteArray &chunk, bool &atLineStart)
{
    QByteArray stuffed;
    stuffed.reserve(chunk.size() + chunk.size() / 64 + 8);
    for (const char c : chunk)
    {
        if (atLineStart && c == '.')
        {
            stuffed.append('.');
        }
        stuffed.append(c);
        atLineStart = (c == '\n');
    }
    return stuffed;
}
