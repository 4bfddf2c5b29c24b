// libFuzzer target: DKIM's relaxed canonicalisations, the split of a message into header
// fields and body, the From: domain and h= choice, the tag-list and key-record parsers,
// and a whole Ed25519 signature of the input taken as a message.
#include "dkim/dkimcanon.h"
#include "dkim/dkimkeys.h"
#include "dkim/dkimsigner.h"
#include "dkim/dkimtaglist.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QByteArray>

namespace {

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

const DkimKeyring &keyring()
{
    static const DkimKeyring ring = [] {
        DkimKeyring made;
        const Expected<DkimKeyPair> pair = DkimKeys::generate(DkimAlgorithm::Ed25519Sha256, 0);
        if (!pair)
            std::abort();
        const Expected<DkimPrivateKey> key = DkimPrivateKey::fromPem(pair->privateKeyPem, DkimAlgorithm::Ed25519Sha256);
        if (!key)
            std::abort();
        made.add({ QStringLiteral("example.test"), QStringLiteral("fuzz"), key.value() });
        return made;
    }();
    return ring;
}

void checkBody(const QByteArray &input)
{
    const QByteArray body = DkimCanon::relaxedBody(input);
    // Empty, or CRLF-terminated lines with no WSP before a CRLF and no empty line at the end.
    if (!body.isEmpty() && (!body.endsWith("\r\n") || body.endsWith("\r\n\r\n")))
        std::abort();
    for (qsizetype i = body.indexOf("\r\n"); i >= 0; i = body.indexOf("\r\n", i + 2))
    {
        if (i > 0 && isWsp(body.at(i - 1)))
            std::abort();
    }
    if (body.contains("  ") || body.contains('\t'))
        std::abort();
    // Canonical text is its own canonical form.
    if (DkimCanon::relaxedBody(body) != body)
        std::abort();
}

void checkHeader(const QByteArray &field)
{
    // A field as split() makes them: a name of printable characters (RFC 5322 ftext,
    // WSP allowed before the colon) on the first line.
    const qsizetype nameEnd = field.indexOf(':');
    if (nameEnd <= 0)
        return;
    QByteArray name = field.left(nameEnd);
    while (!name.isEmpty() && isWsp(name.back()))
        name.chop(1);
    for (const char c : name)
    {
        if (c <= ' ' || c >= 127)
            return;
    }
    const QByteArray canonical = DkimCanon::relaxedHeader(field);
    if (!canonical.endsWith("\r\n"))
        std::abort();
    const QByteArray line = canonical.chopped(2);
    if (line.contains('\r') || line.contains('\n') || line.contains('\t') || line.contains("  "))
        std::abort();
    const qsizetype colon = line.indexOf(':');
    if (colon < 0 || line.left(colon) != line.left(colon).toLower())
        std::abort();
    if (DkimCanon::relaxedHeader(canonical) != canonical)
        std::abort();
}

void checkTagList(const QByteArray &text)
{
    const Expected<DkimTagList> list = DkimTagList::parse(text);
    if (list)
    {
        const auto &tags = list->tags();
        for (qsizetype i = 0; i < tags.size(); ++i)
        {
            for (qsizetype j = i + 1; j < tags.size(); ++j)
            {
                if (tags.at(i).first == tags.at(j).first)
                    std::abort();
            }
        }
    }
    const Expected<DkimKeyRecord> record = DkimKeyRecord::parse(text);
    if (record && (record->publicKey.contains(' ') || record->publicKey.contains('\t')))
        std::abort();
}

void checkSignature(const QByteArray &message)
{
    const DkimMessageParts parts = DkimCanon::split(message);
    qsizetype offset = 0;
    for (const DkimHeaderField &field : parts.headers)
    {
        if (message.mid(offset, field.raw.size()) != field.raw)
            std::abort(); // fields are the message's own octets, in order
        offset += field.raw.size();
    }
    if (parts.bodyOffset >= 0 && parts.bodyOffset < offset)
        std::abort();
    const QList<QByteArray> names = DkimSigner::headerList(parts);
    if (names.count("from") < 1 || names.count("subject") < 1)
        std::abort(); // always over-signed
    const DkimSignResult result = DkimSigner::sign(message, keyring(), 1796233515);
    if (result.outcome != DkimSignResult::Outcome::Signed)
        return;
    // One folded field, every line under 78 columns, a valid tag list.
    const QByteArray field = result.headers;
    if (!field.startsWith("DKIM-Signature: ") || !field.endsWith("\r\n"))
        std::abort();
    for (const QByteArray &line : field.chopped(2).split('\n'))
    {
        if (line.size() > 78)
            std::abort();
    }
    const Expected<DkimTagList> tags = DkimTagList::parse(DkimCanon::unfoldedValue(field));
    if (!tags || tags->value("d") != "example.test" || tags->value("b").isEmpty() || tags->contains("l"))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 4)
    {
    case 0:
        checkBody(input);
        break;
    case 1:
        checkHeader(input);
        break;
    case 2:
        checkTagList(input);
        break;
    default:
        checkSignature(input);
        break;
    }
    return 0;
}
