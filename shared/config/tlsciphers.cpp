// Lets OpenSSL itself read the cipher string, so that its syntax is the one operators know.
#include "config/tlsciphers.h"

#include <memory>

#include <openssl/ssl.h>

namespace TlsCiphers {

Expected<QList<QSslCipher>> parse(const QString &openSslString)
{
    using Result = Expected<QList<QSslCipher>>;
    const QString text = openSslString.trimmed();
    if (text.isEmpty())
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("is empty; expected an OpenSSL cipher string"));
    const std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
    if (!context)
        return Result::failure(
            ErrorKind::Internal, QStringLiteral("cannot be checked: OpenSSL could not make a context"));
    // Returns 0 when the string selects no TLS 1.2 suite at all.
    if (SSL_CTX_set_cipher_list(context.get(), text.toLatin1().constData()) != 1)
        return Result::failure(ErrorKind::InvalidInput,
            QStringLiteral("selects no cipher; expected an OpenSSL cipher string like the default "
                           "(see `openssl ciphers -v 'STRING'`)"));
    QList<QSslCipher> ciphers;
    const STACK_OF(SSL_CIPHER) *selected = SSL_CTX_get_ciphers(context.get());
    for (int i = 0; i < sk_SSL_CIPHER_num(selected); ++i)
    {
        const SSL_CIPHER *cipher = sk_SSL_CIPHER_value(selected, i);
        // TLS 1.3 suites come from SSL_CTX_set_ciphersuites, not from this string.
        if (qstrcmp(SSL_CIPHER_get_version(cipher), "TLSv1.3") == 0)
            continue;
        const QSslCipher qtCipher(QString::fromLatin1(SSL_CIPHER_get_name(cipher)));
        if (!qtCipher.isNull())
            ciphers.append(qtCipher);
    }
    if (ciphers.isEmpty())
        return Result::failure(
            ErrorKind::InvalidInput, QStringLiteral("selects no TLS 1.2 cipher this build supports"));
    return ciphers;
}

} // namespace TlsCiphers
