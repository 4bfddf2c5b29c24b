// DANE verification of a certificate chain with OpenSSL's own DANE code (RFC 6698,
// RFC 7671, RFC 7672): an SSL object carries the TLSA records, an X509_STORE_CTX with an
// empty trust store verifies the chain as the peer sent it.
#include "deliverd/daneverifier.h"

#include <memory>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

namespace {

struct Free
{
    void operator()(SSL_CTX *p) const { SSL_CTX_free(p); }
    void operator()(SSL *p) const { SSL_free(p); }
    void operator()(X509 *p) const { X509_free(p); }
    void operator()(X509_STORE *p) const { X509_STORE_free(p); }
    void operator()(X509_STORE_CTX *p) const { X509_STORE_CTX_free(p); }
    void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};
template <typename T> using Owned = std::unique_ptr<T, Free>;

X509 *toX509(const QSslCertificate &certificate)
{
    const QByteArray der = certificate.toDer();
    const auto *data = reinterpret_cast<const unsigned char *>(der.constData());
    return d2i_X509(nullptr, &data, long(der.size()));
}

} // namespace

QList<TlsaRecord> DaneVerifier::usable(const QList<TlsaRecord> &records)
{
    QList<TlsaRecord> result;
    for (const TlsaRecord &record : records)
    {
        const bool usage = record.usage == 2 || record.usage == 3;
        const bool selector = record.selector == 0 || record.selector == 1;
        const int digest = record.matching == 1 ? 32 : (record.matching == 2 ? 64 : 0);
        const bool matching = record.matching == 0 ? !record.data.isEmpty() : (digest && record.data.size() == digest);
        if (usage && selector && matching)
        {
            result.append(record);
        }
    }
    return result;
}

Status DaneVerifier::verify(
    const QList<QSslCertificate> &chain, const QString &hostName, const QList<TlsaRecord> &records)
{
    const QList<TlsaRecord> candidates = usable(records);
    if (candidates.isEmpty())
    {
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("no usable TLSA record"));
    }
    if (chain.isEmpty())
    {
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("the server sent no certificate"));
    }
    Owned<SSL_CTX> context(SSL_CTX_new(TLS_client_method()));
    if (!context || SSL_CTX_dane_enable(context.get()) <= 0)
    {
        return Status::failure(ErrorKind::Internal, QStringLiteral("OpenSSL cannot set up DANE"));
    }
    Owned<SSL> ssl(SSL_new(context.get()));
    const QByteArray host = hostName.toUtf8();
    if (!ssl || SSL_dane_enable(ssl.get(), host.constData()) <= 0)
    {
        return Status::failure(ErrorKind::Internal, QStringLiteral("OpenSSL cannot set up DANE"));
    }
    // RFC 7672 §3.1.1: DANE-EE authenticates the key alone, whatever names the certificate has.
    SSL_dane_set_flags(ssl.get(), DANE_FLAG_NO_DANE_EE_NAMECHECKS);
    int added = 0;
    for (const TlsaRecord &record : candidates)
    {
        if (SSL_dane_tlsa_add(ssl.get(), quint8(record.usage), quint8(record.selector), quint8(record.matching),
                reinterpret_cast<const unsigned char *>(record.data.constData()), size_t(record.data.size()))
            > 0)
        {
            ++added;
        }
    }
    if (added == 0)
    {
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("no usable TLSA record"));
    }
    Owned<X509> leaf(toX509(chain.first()));
    Owned<STACK_OF(X509)> untrusted(sk_X509_new_null());
    if (!leaf || !untrusted)
    {
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("unreadable server certificate"));
    }
    for (qsizetype i = 1; i < chain.size(); ++i)
    {
        X509 *certificate = toX509(chain.at(i));
        if (certificate && !sk_X509_push(untrusted.get(), certificate))
        {
            X509_free(certificate);
        }
    }
    Owned<X509_STORE> store(X509_STORE_new()); // empty: only the TLSA records are trusted
    Owned<X509_STORE_CTX> verification(X509_STORE_CTX_new());
    if (!store || !verification
        || X509_STORE_CTX_init(verification.get(), store.get(), leaf.get(), untrusted.get()) != 1)
    {
        return Status::failure(ErrorKind::Internal, QStringLiteral("OpenSSL cannot verify a chain"));
    }
    X509_STORE_CTX_set_default(verification.get(), "ssl_server");
    X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(verification.get()), SSL_get0_param(ssl.get()));
    X509_STORE_CTX_set0_dane(verification.get(), SSL_get0_dane(ssl.get()));
    const int verified = X509_verify_cert(verification.get());
    const int error = X509_STORE_CTX_get_error(verification.get());
    if (verified == 1 && error == X509_V_OK)
    {
        return Status();
    }
    return Status::failure(ErrorKind::InvalidInput,
        QStringLiteral("the certificate does not match the TLSA records (%1)")
            .arg(QString::fromLatin1(X509_verify_cert_error_string(error))));
}
