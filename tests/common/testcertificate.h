// Keys and certificates for tests, made by the openssl command line: a fresh key and a
// certificate valid for one day, self-signed or signed by a test CA made the same way.
#pragma once

#include "core/expected.h"

#include <QString>
#include <QStringList>

struct TestCertificate
{
    enum class Key
    {
        Rsa2048,
        EcP256
    };

    QString commonName = QStringLiteral("localhost");
    QStringList dnsNames; // subjectAltName entries, none by default
    Key key = Key::Rsa2048;
    bool isCa = false; // basicConstraints CA:TRUE, to sign others with
    // Basename (in the same directory) of a CA made before: signs this one instead of itself.
    QString issuer;

    // Writes DIR/NAME.key (unencrypted PEM) and DIR/NAME.crt; DIR must exist.
    Status make(const QString &directory, const QString &name = QStringLiteral("server")) const;
};
