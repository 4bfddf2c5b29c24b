// libFuzzer target: what an LMTP (or SMTP) server sends, line by line through
// SmtpReplyReader as LmtpClient reads it: greetings, LHLO keywords, the one reply per
// recipient after the data (RFC 2033 §4.2), multi-line replies, garbage.
#include "deliverd/smtpreplyreader.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QByteArray>
#include <QString>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    SmtpReplyReader reader;
    int replies = 0;
    for (const QByteArray &line : input.split('\n'))
    {
        // LmtpClient reads lines of at most 4096 bytes.
        const SmtpReplyReader::Step step = reader.addLine(line.left(4096));
        if (step == SmtpReplyReader::Step::Malformed)
        {
            if (reader.error().isEmpty())
                std::abort();
            continue;
        }
        if (step != SmtpReplyReader::Step::Reply)
            continue;
        const SmtpReply reply = reader.take();
        ++replies;
        // A reply has a code of 2xx to 5xx, its text starts with it and holds no line end.
        if (reply.code < 200 || reply.code > 599)
            std::abort();
        if (!reply.text.startsWith(QString::number(reply.code)))
            std::abort();
        if (reply.text.contains(QLatin1Char('\n')) || reply.text.contains(QLatin1Char('\r')))
            std::abort();
        if (reader.lastLines().isEmpty() || reader.lastLines().size() > SmtpReplyReader::MaxLines)
            std::abort();
        if (reply.isPositive() && reply.isPermanent())
            std::abort();
    }
    (void)replies;
    return 0;
}
