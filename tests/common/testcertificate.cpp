// One way to make test keys and certificates (see testcertificate.h).
#include "testcertificate.h"

#include <QDir>
#include <QFile>
#include <QProcess>

namespace {

Status openssl(const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForStarted(10000))
        return Status::failure(ErrorKind::Unavailable, QStringLiteral("openssl could not be started"));
    if (!process.waitForFinished(60000))
    {
        process.kill();
        process.waitForFinished(5000);
        return Status::failure(ErrorKind::Unavailable, QStringLiteral("openssl did not finish within 60 s"));
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
    {
        return Status::failure(ErrorKind::Internal,
            QStringLiteral("openssl %1 failed: %2")
                .arg(arguments.join(QLatin1Char(' ')), QString::fromLocal8Bit(process.readAll())));
    }
    return Status();
}

} // namespace

Status TestCertificate::make(const QString &directory, const QString &name) const
{
    const QDir dir(directory);
    const QString key = dir.filePath(name + QStringLiteral(".key"));
    const QString certificate = dir.filePath(name + QStringLiteral(".crt"));
    QStringList keyOptions { QStringLiteral("-newkey") };
    if (this->key == Key::EcP256)
        keyOptions << QStringLiteral("ec") << QStringLiteral("-pkeyopt")
                   << QStringLiteral("ec_paramgen_curve:prime256v1");
    else
        keyOptions << QStringLiteral("rsa:2048");
    QStringList extensions;
    if (isCa)
        extensions << QStringLiteral("basicConstraints=critical,CA:TRUE")
                   << QStringLiteral("keyUsage=critical,keyCertSign,cRLSign");
    if (!dnsNames.isEmpty())
    {
        QStringList names;
        for (const QString &dnsName : dnsNames)
            names << QStringLiteral("DNS:") + dnsName;
        extensions << QStringLiteral("subjectAltName=") + names.join(QLatin1Char(','));
    }
    const QString subject = QStringLiteral("/CN=") + commonName;

    if (issuer.isEmpty())
    {
        QStringList arguments { QStringLiteral("req"), QStringLiteral("-x509") };
        arguments << keyOptions << QStringLiteral("-nodes") << QStringLiteral("-subj") << subject
                  << QStringLiteral("-days") << QStringLiteral("1") << QStringLiteral("-keyout") << key
                  << QStringLiteral("-out") << certificate;
        for (const QString &extension : extensions)
            arguments << QStringLiteral("-addext") << extension;
        return openssl(arguments);
    }

    // A request, then the issuer's signature; the extensions travel in a file.
    const QString request = dir.filePath(name + QStringLiteral(".csr"));
    const QString extensionFile = dir.filePath(name + QStringLiteral(".ext"));
    QStringList arguments { QStringLiteral("req") };
    arguments << keyOptions << QStringLiteral("-nodes") << QStringLiteral("-subj") << subject
              << QStringLiteral("-keyout") << key << QStringLiteral("-out") << request;
    Status status = openssl(arguments);
    if (!status)
        return status;
    QFile file(extensionFile);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(ErrorKind::Unavailable, QStringLiteral("cannot write %1").arg(extensionFile));
    file.write(extensions.join(QLatin1Char('\n')).toUtf8() + '\n');
    file.close();
    status = openssl({ QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), request,
        QStringLiteral("-CA"), dir.filePath(issuer + QStringLiteral(".crt")), QStringLiteral("-CAkey"),
        dir.filePath(issuer + QStringLiteral(".key")), QStringLiteral("-CAcreateserial"), QStringLiteral("-days"),
        QStringLiteral("1"), QStringLiteral("-extfile"), extensionFile, QStringLiteral("-out"), certificate });
    QFile::remove(request);
    QFile::remove(extensionFile);
    return status;
}
