// SecretBox: OpenSSL's EVP AES-256-GCM with a random 96-bit nonce per value (NIST SP 800-38D).
#include "db/secretbox.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QTemporaryFile>

#include <cerrno>
#include <cstring>
#include <memory>

#include <unistd.h>

namespace SecretBox {

namespace {

constexpr int KeySize = 32;
constexpr int NonceSize = 12;
constexpr int TagSize = 16;
const QString Prefix = QStringLiteral("enc1:");

QMutex keyMutex;
QString keyPath;
QByteArray keyBytes; // loaded or made once

struct CipherFree
{
    void operator()(EVP_CIPHER_CTX *context) const { EVP_CIPHER_CTX_free(context); }
};
using Cipher = std::unique_ptr<EVP_CIPHER_CTX, CipherFree>;

Expected<QByteArray> failure(const QString &message)
{
    return Expected<QByteArray>::failure(ErrorKind::Unavailable, message);
}

// The key, read from its file, or made and written there when create and the file is missing.
Expected<QByteArray> key(bool create)
{
    const QMutexLocker locker(&keyMutex);
    if (!keyBytes.isEmpty())
        return keyBytes;
    if (keyPath.isEmpty())
        return failure(QStringLiteral("no TMAIL_SECRET_KEY file is set"));
    QFile file(keyPath);
    if (file.exists())
    {
        if (!file.open(QIODevice::ReadOnly))
            return failure(
                QStringLiteral("cannot read the key file %1 (TMAIL_SECRET_KEY): %2").arg(keyPath, file.errorString()));
        const QByteArray decoded = QByteArray::fromBase64(file.readAll().trimmed());
        if (decoded.size() != KeySize)
            return failure(
                QStringLiteral("the key file %1 (TMAIL_SECRET_KEY) does not hold a 256-bit key").arg(keyPath));
        keyBytes = decoded;
        return keyBytes;
    }
    if (!create)
        return failure(QStringLiteral("the key file %1 (TMAIL_SECRET_KEY) is missing: copy it from the node that "
                                      "stored the route passwords")
                           .arg(keyPath));
    QByteArray made(KeySize, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(made.data()), KeySize) != 1)
        return failure(QStringLiteral("cannot make a key: OpenSSL has no random bytes"));
    // Written whole to a file of its own, then linked into place: link() never replaces a
    // key another process (the daemon, another command) made meanwhile; that one is used.
    QDir().mkpath(QFileInfo(keyPath).absolutePath());
    QTemporaryFile out(keyPath + QStringLiteral(".XXXXXX"));
    if (!out.open() || !out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || out.write(made.toBase64() + '\n') < 0 || !out.flush() || ::fsync(out.handle()) != 0)
        return failure(
            QStringLiteral("cannot write the key file %1 (TMAIL_SECRET_KEY): %2").arg(keyPath, out.errorString()));
    if (::link(QFile::encodeName(out.fileName()).constData(), QFile::encodeName(keyPath).constData()) == 0)
    {
        keyBytes = made;
        return keyBytes;
    }
    if (errno != EEXIST)
        return failure(QStringLiteral("cannot write the key file %1 (TMAIL_SECRET_KEY): %2")
                           .arg(keyPath, QString::fromLocal8Bit(std::strerror(errno))));
    QFile existing(keyPath);
    const QByteArray decoded
        = existing.open(QIODevice::ReadOnly) ? QByteArray::fromBase64(existing.readAll().trimmed()) : QByteArray();
    if (decoded.size() != KeySize)
        return failure(QStringLiteral("the key file %1 (TMAIL_SECRET_KEY) does not hold a 256-bit key").arg(keyPath));
    keyBytes = decoded;
    return keyBytes;
}

} // namespace

void setKeyFile(const QString &path)
{
    const QMutexLocker locker(&keyMutex);
    if (path != keyPath)
        keyBytes.clear();
    keyPath = path;
}

QString keyFile()
{
    const QMutexLocker locker(&keyMutex);
    return keyPath;
}

Expected<QString> seal(const QString &plain)
{
    if (plain.isEmpty() || keyFile().isEmpty())
        return plain;
    const Expected<QByteArray> secret = key(true);
    if (!secret)
        return Expected<QString>::failure(secret);
    const QByteArray text = plain.toUtf8();
    QByteArray out(NonceSize + text.size() + TagSize, Qt::Uninitialized);
    auto *bytes = reinterpret_cast<unsigned char *>(out.data());
    if (RAND_bytes(bytes, NonceSize) != 1)
        return Expected<QString>::failure(ErrorKind::Unavailable, QStringLiteral("OpenSSL has no random bytes"));
    const Cipher context(EVP_CIPHER_CTX_new());
    int length = 0;
    const bool ok = context
        && EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr,
               reinterpret_cast<const unsigned char *>(secret->constData()), bytes)
            == 1
        && EVP_EncryptUpdate(context.get(), bytes + NonceSize, &length,
               reinterpret_cast<const unsigned char *>(text.constData()), int(text.size()))
            == 1
        && EVP_EncryptFinal_ex(context.get(), bytes + NonceSize + length, &length) == 1
        && EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, TagSize, bytes + NonceSize + text.size()) == 1;
    if (!ok)
        return Expected<QString>::failure(ErrorKind::Internal, QStringLiteral("cannot encrypt a route password"));
    return QString(Prefix + QString::fromLatin1(out.toBase64()));
}

Expected<QString> open(const QString &stored)
{
    if (!stored.startsWith(Prefix))
        return stored;
    const Expected<QByteArray> secret = key(false);
    if (!secret)
        return Expected<QString>::failure(secret);
    const QByteArray in = QByteArray::fromBase64(stored.mid(Prefix.size()).toLatin1());
    if (in.size() < NonceSize + TagSize)
        return Expected<QString>::failure(ErrorKind::Internal, QStringLiteral("a stored route password is damaged"));
    const auto *bytes = reinterpret_cast<const unsigned char *>(in.constData());
    const int textSize = int(in.size()) - NonceSize - TagSize;
    QByteArray text(textSize, Qt::Uninitialized);
    QByteArray tag = in.right(TagSize);
    const Cipher context(EVP_CIPHER_CTX_new());
    int length = 0;
    const bool ok = context
        && EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr,
               reinterpret_cast<const unsigned char *>(secret->constData()), bytes)
            == 1
        && EVP_DecryptUpdate(
               context.get(), reinterpret_cast<unsigned char *>(text.data()), &length, bytes + NonceSize, textSize)
            == 1
        && EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, TagSize, tag.data()) == 1
        && EVP_DecryptFinal_ex(context.get(), reinterpret_cast<unsigned char *>(text.data()) + length, &length) == 1;
    if (!ok)
        return Expected<QString>::failure(ErrorKind::Unavailable,
            QStringLiteral("a stored route password does not open with %1 (TMAIL_SECRET_KEY): another node's key?")
                .arg(keyFile()));
    return QString::fromUtf8(text);
}

} // namespace SecretBox
