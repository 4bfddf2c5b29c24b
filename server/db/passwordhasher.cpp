// PBKDF2-HMAC-SHA256 password hashes with OpenSSL's primitives.
#include "db/passwordhasher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <QStringList>

namespace {

// About 45 ms for one verify on the 2-core build machines (measured in tst_passwordhasher):
// slow enough to make offline guessing expensive, fast enough for SMTP AUTH bursts.
constexpr int Iterations = 200000;
constexpr int MinIterations = 1000;
constexpr int MaxIterations = 10000000;
constexpr int SaltBytes = 16;
constexpr int HashBytes = 32;

const QString &prefix()
{
    static const QString text = QStringLiteral("$pbkdf2-sha256$");
    return text;
}

QByteArray derive(const QString &password, const QByteArray &salt, int iterations)
{
    const QByteArray secret = password.toUtf8();
    QByteArray out(HashBytes, Qt::Uninitialized);
    if (PKCS5_PBKDF2_HMAC(secret.constData(), int(secret.size()),
            reinterpret_cast<const unsigned char *>(salt.constData()), int(salt.size()), iterations, EVP_sha256(),
            HashBytes, reinterpret_cast<unsigned char *>(out.data()))
        != 1)
        return {};
    return out;
}

bool decodeBase64(const QString &text, QByteArray *out)
{
    const auto result = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return false;
    *out = *result;
    return true;
}

} // namespace

namespace PasswordHasher {

QString hash(const QString &password)
{
    QByteArray salt(SaltBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(salt.data()), SaltBytes) != 1)
        return {}; // no entropy: an empty hash never verifies
    const QByteArray derived = derive(password, salt, Iterations);
    if (derived.isEmpty())
        return {};
    return prefix() + QString::number(Iterations) + QLatin1Char('$') + QString::fromLatin1(salt.toBase64())
        + QLatin1Char('$') + QString::fromLatin1(derived.toBase64());
}

bool verify(const QString &password, const QString &storedHash)
{
    if (!storedHash.startsWith(prefix()))
        return false;
    const QStringList parts = storedHash.mid(prefix().size()).split(QLatin1Char('$'));
    if (parts.size() != 3)
        return false;
    bool ok = false;
    const int iterations = parts.at(0).toInt(&ok);
    if (!ok || iterations < MinIterations || iterations > MaxIterations)
        return false;
    QByteArray salt;
    QByteArray expected;
    if (!decodeBase64(parts.at(1), &salt) || !decodeBase64(parts.at(2), &expected))
        return false;
    if (salt.size() < 8 || expected.size() != HashBytes)
        return false;
    const QByteArray derived = derive(password, salt, iterations);
    if (derived.size() != HashBytes)
        return false;
    return CRYPTO_memcmp(derived.constData(), expected.constData(), HashBytes) == 0;
}

} // namespace PasswordHasher
