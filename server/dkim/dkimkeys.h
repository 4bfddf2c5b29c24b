// DKIM key pairs made in-process with OpenSSL's EVP API: RSA (RFC 6376 §3.3.1, 2048 bits
// and up, as RFC 8301 asks) and Ed25519 (RFC 8463), and the TXT records that publish them.
#pragma once

#include "core/expected.h"

#include <memory>
#include <optional>

#include <QByteArray>
#include <QString>
#include <QStringList>

typedef struct evp_pkey_st EVP_PKEY;

enum class DkimAlgorithm
{
    RsaSha256,
    Ed25519Sha256,
};

struct DkimKeyPair
{
    QByteArray privateKeyPem; // PKCS#8 PEM: stays in the database and the daemon
    QByteArray publicKeyBase64; // the p= value
};

namespace DkimKeys {
// "rsa-sha256" / "ed25519-sha256": the a= value, also stored in the database.
QString algorithmName(DkimAlgorithm algorithm);
std::optional<DkimAlgorithm> algorithmFromName(const QString &name);
// "rsa" / "ed25519": the k= value.
QByteArray keyType(DkimAlgorithm algorithm);

// bits: 2048, 3072 or 4096 for RSA; ignored for Ed25519.
Expected<DkimKeyPair> generate(DkimAlgorithm algorithm, int bits);

// "v=DKIM1; k=rsa; p=…"
QByteArray recordValue(DkimAlgorithm algorithm, const QByteArray &publicKeyBase64);
// The character-strings of a TXT record: at most 255 octets each (RFC 1035 §3.3).
QList<QByteArray> txtStrings(const QByteArray &recordValue);
// SELECTOR._domainkey.DOMAIN. IN TXT ( "…" "…" ): one zone-file line.
QString zoneLine(
    const QString &domain, const QString &selector, DkimAlgorithm algorithm, const QByteArray &publicKeyBase64);

// True when text is one DNS label (LDH, 1-63 octets): what a selector may be here.
bool isSelector(const QString &text);
} // namespace DkimKeys

// A private key loaded once and shared by the signing threads (EVP_PKEY is read-only here).
class DkimPrivateKey
{
public:
    static Expected<DkimPrivateKey> fromPem(const QByteArray &pem, DkimAlgorithm algorithm);

    DkimAlgorithm algorithm() const { return m_algorithm; }
    // RSASSA-PKCS1-v1_5 with SHA-256 over data (RSA); pure Ed25519 over data (the caller
    // passes the SHA-256 digest, as RFC 8463 §3 says).
    Expected<QByteArray> sign(const QByteArray &data) const;
    // The p= value of this key's public half.
    Expected<QByteArray> publicKeyBase64() const;

private:
    std::shared_ptr<EVP_PKEY> m_key;
    DkimAlgorithm m_algorithm = DkimAlgorithm::RsaSha256;
};
