// TMAIL_SMTPD_TLS_CIPHERS: an OpenSSL cipher string, expanded once into the suites Qt offers.
#pragma once

#include "core/expected.h"

#include <QList>
#include <QSslCipher>
#include <QString>

namespace TlsCiphers {

// Mozilla's "intermediate" profile for TLS 1.2 without the DHE suites (their strength
// depends on parameters scanners grade down): forward secrecy with AES-GCM or
// ChaCha20-Poly1305 only. TLS 1.3 suites are all of that kind and stay OpenSSL's.
inline const QString intermediate
    = QStringLiteral("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                     "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");

// The TLS 1.2 suites the OpenSSL cipher string selects (keywords like HIGH, !aNULL or
// ECDHE+AESGCM work as in `openssl ciphers`), as Qt ciphers. A string that selects
// none that Qt's backend knows is InvalidInput.
Expected<QList<QSslCipher>> parse(const QString &openSslString);

} // namespace TlsCiphers
