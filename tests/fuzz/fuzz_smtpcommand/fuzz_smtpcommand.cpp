// libFuzzer target: one SMTP command line through SmtpCommand and, for MAIL/RCPT,
// the path through MailAddress, as SmtpSession does with a line from the network.
#include "core/mailaddress.h"
#include "smtpd/smtpcommand.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QByteArray>
#include <QString>

namespace {

// A parsed address must never carry what could break a header or a log line.
void checkSafe(const QString &text)
{
    for (QChar c : text)
    {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0; // the session refuses lines over 512 octets anyway
    QByteArray line(reinterpret_cast<const char *>(data), qsizetype(size));
    // The session splits on LF: a line never holds one.
    line.replace('\n', ' ');
    const QString text = QString::fromUtf8(line);
    const SmtpCommand command = SmtpCommand::parse(text);
    (void)command.verb();
    for (const QString &prefix : { QStringLiteral("FROM"), QStringLiteral("TO") })
    {
        QString path;
        QList<QPair<QString, QString>> parameters;
        if (!command.splitPath(prefix, &path, &parameters))
            continue;
        if (!path.startsWith(QLatin1Char('<')) || !path.endsWith(QLatin1Char('>')))
            std::abort();
        for (const auto &parameter : std::as_const(parameters))
        {
            if (parameter.first.isEmpty() || parameter.first.contains(QLatin1Char(' ')))
                std::abort();
        }
        for (bool utf8 : { false, true })
        {
            const Expected<MailAddress> address = MailAddress::parsePath(path, utf8);
            if (address)
            {
                checkSafe(address->toString());
                if (address->toString().contains(QLatin1Char('>'))
                    && !address->localPart().startsWith(QLatin1Char('"')))
                    std::abort();
            }
        }
    }
    return 0;
}
