// See managertlslistener.h.
#include "managerserver/managertlslistener.h"

#include "config/tlsciphers.h"
#include "log/logger.h"

#include <QDateTime>
#include <QFile>
#include <QPointer>
#include <QSslKey>
#include <QSslSocket>
#include <QTimer>

ManagerTlsListener::ManagerTlsListener(QObject *parent) : QTcpServer(parent) { }

Status ManagerTlsListener::start(const Config &config)
{
    const auto unusable = [&config](const QString &why) {
        return Status::failure(ErrorKind::Unavailable,
            QStringLiteral("the remote manager (TMAIL_MANAGER_LISTEN) needs a usable TLS certificate and key: %1 "
                           "(certificate %2, key %3)")
                .arg(why, config.managerTlsCertPath, config.managerTlsKeyPath));
    };
    if (!QSslSocket::supportsSsl())
        return unusable(QStringLiteral("this Qt has no TLS backend"));
    QFile certFile(config.managerTlsCertPath);
    QFile keyFile(config.managerTlsKeyPath);
    if (config.managerTlsCertPath.isEmpty() || !certFile.open(QIODevice::ReadOnly))
        return unusable(QStringLiteral("the certificate cannot be read"));
    if (!keyFile.open(QIODevice::ReadOnly))
        return unusable(QStringLiteral("the key cannot be read"));
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.read(1024 * 1024), QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return unusable(QStringLiteral("the certificate is not PEM"));
    const QByteArray keyPem = keyFile.read(1024 * 1024);
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec })
    {
        key = QSslKey(keyPem, algorithm, QSsl::Pem);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return unusable(QStringLiteral("the key is not an unencrypted PEM RSA or EC key"));
    if (chain.first().publicKey().algorithm() != key.algorithm())
        return unusable(QStringLiteral("the key does not belong to the certificate"));
    if (chain.first().expiryDate() < QDateTime::currentDateTimeUtc())
        return unusable(
            QStringLiteral("the certificate expired on %1").arg(chain.first().expiryDate().toString(Qt::ISODate)));
    const Expected<QList<QSslCipher>> ciphers = TlsCiphers::parse(TlsCiphers::intermediate);
    if (!ciphers)
        return unusable(ciphers.error());

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    tls.setCiphers(ciphers.value());
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    tls.setCaCertificates({});
    tls.setSslOption(QSsl::SslOptionDisableSessionSharing, true);
    m_tls = tls;

    if (!listen(config.managerAddress, config.managerPort))
        return Status::failure(ErrorKind::Unavailable,
            QStringLiteral("cannot listen on TMAIL_MANAGER_LISTEN %1 port %2: %3")
                .arg(config.managerAddress.toString())
                .arg(config.managerPort)
                .arg(errorString()));
    qCInfo(lcManager).noquote() << QStringLiteral(
        "remote manager listening on %1 port %2 (TLS, certificate SHA-256 %3)")
                                       .arg(serverAddress().toString())
                                       .arg(serverPort())
                                       .arg(QString::fromLatin1(
                                           chain.first().digest(QCryptographicHash::Sha256).toHex(':').toUpper()));
    return {};
}

void ManagerTlsListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor))
    {
        delete socket;
        return;
    }
    socket->setSslConfiguration(m_tls);
    const QString peer = socket->peerAddress().toString();
    connect(socket, &QSslSocket::encrypted, this, [this, socket]() { emit encrypted(socket); });
    connect(socket, &QSslSocket::sslErrors, socket, [socket, peer](const QList<QSslError> &errors) {
        qCInfo(lcManager).noquote() << QStringLiteral("remote manager connection from %1: TLS failed: %2")
                                           .arg(peer, errors.value(0).errorString());
        socket->abort();
    });
    connect(socket, &QAbstractSocket::errorOccurred, socket, [socket, peer](QAbstractSocket::SocketError error) {
        if (socket->isEncrypted() || error == QAbstractSocket::RemoteHostClosedError)
            return;
        // Not TLS (a plain TCP client), or a TLS the profile does not allow: nothing usable.
        qCInfo(lcManager).noquote()
            << QStringLiteral("remote manager connection from %1 refused: %2").arg(peer, socket->errorString());
        socket->abort();
        socket->deleteLater();
    });
    // Before the hand-over the socket is ours; afterwards ManagerServer's client owns it.
    connect(socket, &QAbstractSocket::disconnected, socket, [socket]() {
        if (!socket->isEncrypted())
            socket->deleteLater();
    });
    // The whole opening (TLS, then the manager hello) has HandshakeTimeoutMs; a client that
    // connects and sends nothing, or dribbles, is dropped.
    QTimer::singleShot(HandshakeTimeoutMs, socket, [this, socket, peer]() {
        if (socket->isEncrypted() && m_isDone && m_isDone(socket))
            return;
        qCInfo(lcManager).noquote() << QStringLiteral("remote manager connection from %1: no %2 within %3 s; closing")
                                           .arg(peer,
                                               socket->isEncrypted() ? QStringLiteral("manager hello")
                                                                     : QStringLiteral("TLS handshake"))
                                           .arg(HandshakeTimeoutMs / 1000);
        socket->abort();
        if (!socket->isEncrypted())
            socket->deleteLater();
    });
    socket->startServerEncryption();
}
