// Salted, slow password hashes (PBKDF2-HMAC-SHA256 from OpenSSL) for SMTP users.
#pragma once

#include <QByteArray>
#include <QString>

namespace PasswordHasher {

// "$pbkdf2-sha256$ITERATIONS$SALT_B64$HASH_B64", 16-byte random salt.
QString hash(const QString &password);
// Constant-time comparison; false for a malformed stored hash.
bool verify(const QString &password, const QString &storedHash);

} // namespace PasswordHasher
