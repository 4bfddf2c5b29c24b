// libFuzzer target: DNS answers read for DANE: the TLSA records of a message (names
// possibly compressed, RFC 1035 §4.1.4), its AD bit, and the choice of usable records
// (RFC 7672 §3.1.3). Nothing must crash; records must lie inside the message.
#include "deliverd/daneverifier.h"
#include "deliverd/dnsresolver.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray message(reinterpret_cast<const char *>(data), qsizetype(size));
    DnsResolver::authenticatedData(message);
    QList<TlsaRecord> records;
    if (DnsResolver::parseTlsaAnswer(message, &records))
    {
        qsizetype total = 0;
        for (const TlsaRecord &record : records)
        {
            if (record.usage < 0 || record.usage > 255 || record.selector > 255 || record.matching > 255)
            {
                abort();
            }
            total += record.data.size() + 3;
        }
        if (total > message.size())
        {
            abort();
        }
        for (const TlsaRecord &record : DaneVerifier::usable(records))
        {
            if ((record.usage != 2 && record.usage != 3) || record.selector > 1 || record.matching > 2)
            {
                abort();
            }
        }
    }
    else if (!records.isEmpty() && message.size() < 12)
    {
        abort();
    }
    return 0;
}
