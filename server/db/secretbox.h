// The routes' SMTP passwords at rest: AES-256-GCM under a 32-byte key kept in a file of its
// own (TMAIL_SECRET_KEY, conf/secret.key), so that a copy of the database alone does not
// reveal them. The key file is made (mode 0600) the first time a password is sealed; every
// node of a cluster needs the same file (README: Secrets).
#pragma once

#include "core/expected.h"

#include <QString>

namespace SecretBox {

// The key file of this process (set once the configuration is read). Without one, values
// are stored and read as they are.
void setKeyFile(const QString &path);
QString keyFile();

// "enc1:" + base64(nonce | ciphertext | tag); an empty value stays empty.
Expected<QString> seal(const QString &plain);
// The value seal() made, or a value stored before encryption (no "enc1:" prefix) as it is.
Expected<QString> open(const QString &stored);

} // namespace SecretBox
