// libFuzzer target: one SMTP command line through SmtpCommand and, for MAIL/RCPT,
// the path through MailAddress and the DSN parameters (RFC 3461: RET, ENVID, NOTIFY,
// ORCPT) through Dsn, as SmtpSession does with a line from the network.
#include "core/dsn.h"
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

// A DSN parameter that parses goes into DSN header fields and to the next hop: no control
// character, and what tmail sends on parses back to the same value.
void checkDsnParameter(const QString &name, const QString &value)
{
    if (name == QLatin1String("RET"))
    {
        const Expected<Dsn::Ret> ret = Dsn::parseRet(value);
        if (ret && Dsn::parseRet(Dsn::retText(ret.value())).value() != ret.value())
            std::abort();
    }
    else if (name == QLatin1String("ENVID"))
    {
        const Expected<QString> envid = Dsn::parseEnvid(value);
        if (!envid)
            return;
        checkSafe(envid.value());
        const Expected<QString> again = Dsn::xtextDecode(Dsn::xtextEncode(envid.value()));
        if (!again || again.value() != envid.value())
            std::abort();
    }
    else if (name == QLatin1String("NOTIFY"))
    {
        const Expected<int> notify = Dsn::parseNotify(value);
        if (!notify)
            return;
        if (notify.value() == 0 || ((notify.value() & Dsn::NotifyNever) && notify.value() != Dsn::NotifyNever))
            std::abort();
        const Expected<int> again = Dsn::parseNotify(Dsn::notifyText(notify.value()));
        if (!again || again.value() != notify.value())
            std::abort();
    }
    else if (name == QLatin1String("ORCPT"))
    {
        const Expected<QString> orcpt = Dsn::parseOrcpt(value);
        if (!orcpt)
            return;
        checkSafe(orcpt.value());
        const Expected<QString> again = Dsn::parseOrcpt(Dsn::orcptParameter(orcpt.value()));
        if (!again || again.value() != orcpt.value())
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
            checkDsnParameter(parameter.first, parameter.second);
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
