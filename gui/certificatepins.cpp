// See certificatepins.h.
#include "certificatepins.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QSettings>
#include <QSslCertificate>

namespace CertificatePins {

namespace {

const QString Group = QStringLiteral("pinnedCertificates");

// QSettings keys treat '/' and '\' specially; a server name has neither, but ':' and
// brackets are kept readable by percent-encoding only what could be special.
QString keyOf(const QString &server)
{
    return QString::fromLatin1(server.toUtf8().toPercentEncoding("[]:.-"));
}

} // namespace

QString serverName(const QString &host, quint16 port)
{
    const QHostAddress address(host);
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host.toLower()).arg(port);
}

QByteArray fingerprint(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    return certificate.digest(QCryptographicHash::Sha256);
}

QString display(const QByteArray &fingerprint)
{
    return QString::fromLatin1(fingerprint.toHex(':').toUpper());
}

QByteArray pinned(const QString &server)
{
    QSettings settings(QStringLiteral("tmail"), QStringLiteral("tmail-manager"));
    settings.beginGroup(Group);
    return QByteArray::fromHex(settings.value(keyOf(server)).toString().toLatin1());
}

void pin(const QString &server, const QByteArray &fingerprint)
{
    QSettings settings(QStringLiteral("tmail"), QStringLiteral("tmail-manager"));
    settings.beginGroup(Group);
    settings.setValue(keyOf(server), QString::fromLatin1(fingerprint.toHex()));
    settings.sync();
}

} // namespace CertificatePins
