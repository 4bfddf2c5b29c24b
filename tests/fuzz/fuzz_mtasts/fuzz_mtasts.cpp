// libFuzzer target: the MTA-STS policy file parser (RFC 8461 §3.2), the TXT record
// parser (§3.1) and MX matching (§4.1). Nothing must crash, and an accepted policy
// must hold what the RFC allows.
#include "deliverd/mtastspolicy.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const Expected<MtaStsPolicy> policy = MtaStsPolicy::parse(bytes);
    if (policy)
    {
        if (bytes.size() > MtaStsPolicy::MaxBodyBytes || policy->maxAgeSeconds < 0
            || policy->maxAgeSeconds > MtaStsPolicy::MaxAgeLimit
            || (policy->mode != MtaStsPolicy::Mode::None && policy->mx.isEmpty()))
        {
            abort();
        }
        for (const QString &pattern : policy->mx)
        {
            const QString host
                = pattern.startsWith(QLatin1String("*.")) ? QStringLiteral("x") + pattern.mid(1) : pattern;
            if (!policy->matchesMx(host))
            {
                abort(); // every pattern matches a name made from it
            }
        }
        policy->matchesMx(QString::fromUtf8(bytes.left(300)));
    }
    const Expected<QString> id = MtaStsPolicy::parseTxt(QString::fromUtf8(bytes));
    if (id && (id->isEmpty() || id->size() > 32))
    {
        abort();
    }
    return 0;
}
