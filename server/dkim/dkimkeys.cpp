// OpenSSL 3 EVP: key generation, PEM in and out, and signing for DKIM.
#include "dkim/dkimkeys.h"

#include "core/adminvalues.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace {

QString opensslError(const char *what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    QString text = QString::fromLatin1(what);
    if (code != 0)
    {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        text += QStringLiteral(": ") + QString::fromLatin1(buffer);
    }
    return text;
}

struct BioDeleter
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct MdCtxDeleter
{
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};

Expected<QByteArray> publicOf(EVP_PKEY *key, DkimAlgorithm algorithm)
{
    if (algorithm == DkimAlgorithm::Ed25519Sha256)
    {
        // RFC 8463 §4.2: p= is the base64 of the raw 32-octet public key.
        unsigned char raw[64];
        size_t length = sizeof raw;
        if (EVP_PKEY_get_raw_public_key(key, raw, &length) != 1)
            return Expected<QByteArray>::failure(
                ErrorKind::InvalidInput, opensslError("cannot read the Ed25519 public key"));
        return QByteArray(reinterpret_cast<const char *>(raw), qsizetype(length)).toBase64();
    }
    // RSA: the DER SubjectPublicKeyInfo, which every verifier reads.
    unsigned char *der = nullptr;
    const int length = i2d_PUBKEY(key, &der);
    if (length <= 0)
        return Expected<QByteArray>::failure(ErrorKind::InvalidInput, opensslError("cannot encode the RSA public key"));
    const QByteArray result = QByteArray(reinterpret_cast<const char *>(der), length).toBase64();
    OPENSSL_free(der);
    return result;
}

} // namespace

namespace DkimKeys {

QString algorithmName(DkimAlgorithm algorithm)
{
    return algorithm == DkimAlgorithm::Ed25519Sha256 ? QStringLiteral("ed25519-sha256") : QStringLiteral("rsa-sha256");
}

std::optional<DkimAlgorithm> algorithmFromName(const QString &name)
{
    if (name == QLatin1String("rsa-sha256"))
        return DkimAlgorithm::RsaSha256;
    if (name == QLatin1String("ed25519-sha256"))
        return DkimAlgorithm::Ed25519Sha256;
    return std::nullopt;
}

QByteArray keyType(DkimAlgorithm algorithm)
{
    return algorithm == DkimAlgorithm::Ed25519Sha256 ? QByteArrayLiteral("ed25519") : QByteArrayLiteral("rsa");
}

Expected<DkimKeyPair> generate(DkimAlgorithm algorithm, int bits)
{
    EVP_PKEY *raw = nullptr;
    if (algorithm == DkimAlgorithm::Ed25519Sha256)
    {
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    }
    else
    {
        if (bits != 2048 && bits != 3072 && bits != 4096)
            return Expected<DkimKeyPair>::failure(
                ErrorKind::InvalidInput, QStringLiteral("RSA key size %1 is not 2048, 3072 or 4096").arg(bits));
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(bits));
    }
    if (!raw)
        return Expected<DkimKeyPair>::failure(ErrorKind::InvalidInput, opensslError("key generation failed"));
    const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw, &EVP_PKEY_free);

    const std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return Expected<DkimKeyPair>::failure(ErrorKind::InvalidInput, opensslError("cannot write the private key"));
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    DkimKeyPair pair;
    pair.privateKeyPem = QByteArray(data, qsizetype(length));
    const Expected<QByteArray> publicKey = publicOf(key.get(), algorithm);
    if (!publicKey)
        return Expected<DkimKeyPair>::failure(publicKey.kind(), publicKey.error());
    pair.publicKeyBase64 = publicKey.value();
    return pair;
}

QByteArray recordValue(DkimAlgorithm algorithm, const QByteArray &publicKeyBase64)
{
    return QByteArrayLiteral("v=DKIM1; k=") + keyType(algorithm) + QByteArrayLiteral("; p=") + publicKeyBase64;
}

QList<QByteArray> txtStrings(const QByteArray &recordValue)
{
    QList<QByteArray> strings;
    for (qsizetype pos = 0; pos < recordValue.size(); pos += 255)
        strings.append(recordValue.mid(pos, 255));
    return strings;
}

QString zoneLine(
    const QString &domain, const QString &selector, DkimAlgorithm algorithm, const QByteArray &publicKeyBase64)
{
    QStringList quoted;
    for (const QByteArray &string : txtStrings(recordValue(algorithm, publicKeyBase64)))
        quoted.append(QLatin1Char('"') + QString::fromLatin1(string) + QLatin1Char('"'));
    const QString strings = quoted.size() == 1
        ? quoted.first()
        : QStringLiteral("( ") + quoted.join(QLatin1Char(' ')) + QStringLiteral(" )");
    return QStringLiteral("%1._domainkey.%2. IN TXT %3").arg(selector, domain, strings);
}

bool isSelector(const QString &text)
{
    return AdminValues::isDkimSelector(text);
}

} // namespace DkimKeys

Expected<DkimPrivateKey> DkimPrivateKey::fromPem(const QByteArray &pem, DkimAlgorithm algorithm)
{
    const std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    EVP_PKEY *raw = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    if (!raw)
        return Expected<DkimPrivateKey>::failure(ErrorKind::InvalidInput, opensslError("cannot read the private key"));
    DkimPrivateKey key;
    key.m_key.reset(raw, &EVP_PKEY_free);
    key.m_algorithm = algorithm;
    const int id = EVP_PKEY_get_id(raw);
    const bool matches = algorithm == DkimAlgorithm::Ed25519Sha256 ? id == EVP_PKEY_ED25519 : id == EVP_PKEY_RSA;
    if (!matches)
        return Expected<DkimPrivateKey>::failure(ErrorKind::InvalidInput,
            QStringLiteral("the stored key is not a %1 key").arg(DkimKeys::algorithmName(algorithm)));
    return key;
}

Expected<QByteArray> DkimPrivateKey::sign(const QByteArray &data) const
{
    const std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    const EVP_MD *md = m_algorithm == DkimAlgorithm::Ed25519Sha256 ? nullptr : EVP_sha256();
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, m_key.get()) != 1)
        return Expected<QByteArray>::failure(ErrorKind::InvalidInput, opensslError("cannot start signing"));
    size_t length = 0;
    const auto *input = reinterpret_cast<const unsigned char *>(data.constData());
    if (EVP_DigestSign(ctx.get(), nullptr, &length, input, size_t(data.size())) != 1)
        return Expected<QByteArray>::failure(ErrorKind::InvalidInput, opensslError("cannot size the signature"));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(
            ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, input, size_t(data.size()))
        != 1)
        return Expected<QByteArray>::failure(ErrorKind::InvalidInput, opensslError("signing failed"));
    signature.truncate(qsizetype(length));
    return signature;
}

Expected<QByteArray> DkimPrivateKey::publicKeyBase64() const
{
    return publicOf(m_key.get(), m_algorithm);
}
