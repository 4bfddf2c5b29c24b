// Trust on first use for remote daemons: the SHA-256 fingerprint of each server's
// certificate, accepted once by the user, kept in the manager's settings (QSettings) and
// compared on every connection. Passwords are never stored.
#pragma once

#include <QByteArray>
#include <QString>

class QSslCertificate;

namespace CertificatePins {

// "host:port" ("[v6]:port" for IPv6), the key a server is known by.
QString serverName(const QString &host, quint16 port);
// The SHA-256 digest of the certificate (DER), raw bytes; empty for a null certificate.
QByteArray fingerprint(const QSslCertificate &certificate);
// As people compare it: "AB:CD:…" in upper case, as the daemon's log and openssl print it.
QString display(const QByteArray &fingerprint);
// The pinned fingerprint of server, empty when none was accepted yet.
QByteArray pinned(const QString &server);
void pin(const QString &server, const QByteArray &fingerprint);

} // namespace CertificatePins
