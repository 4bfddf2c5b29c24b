// libFuzzer target: MailAddress::parse / parsePath and Domain::parse on arbitrary text,
// with the properties the relay decision relies on checked for every accepted address.
#include "core/domain.h"
#include "core/mailaddress.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QByteArray>
#include <QString>

namespace {

void checkAddress(const MailAddress &address, bool utf8)
{
    const QString domain = address.domain().name();
    // The domain the relay check compares: lower case LDH labels only, never a route,
    // a second '@', a literal or a '%' / '!' hack.
    if (domain.isEmpty() || domain != domain.toLower())
        std::abort();
    for (QChar c : domain)
    {
        const ushort u = c.unicode();
        const bool ldh = (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '.';
        if (!ldh)
            std::abort();
    }
    for (QChar c : address.localPart())
    {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            std::abort();
    }
    // What was accepted once is accepted again, to the same address.
    const Expected<MailAddress> again = MailAddress::parse(address.toString(), utf8);
    if (!again || !(again.value() == address))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1024)
        return 0;
    const bool utf8 = data[0] & 1;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const Expected<MailAddress> address = MailAddress::parse(text, utf8);
    if (address)
        checkAddress(address.value(), utf8);
    const Expected<MailAddress> path = MailAddress::parsePath(text, utf8);
    if (path)
        checkAddress(path.value(), utf8);
    const Expected<Domain> domain = Domain::parse(text);
    if (domain)
    {
        const Expected<Domain> again = Domain::parse(domain->name());
        if (!again || !(again.value() == domain.value()))
            std::abort();
    }
    return 0;
}
