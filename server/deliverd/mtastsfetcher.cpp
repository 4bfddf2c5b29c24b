// HTTPS GET of https://mta-sts.DOMAIN/.well-known/mta-sts.txt (RFC 8461 §3.3).
#include "deliverd/mtastsfetcher.h"

#include "deliverd/dnsresolver.h"

#include <memory>

#include <QFile>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QUrl>

MtaStsFetcher::MtaStsFetcher(DnsResolver *resolver, QList<QSslCertificate> extraCaCertificates, QObject *parent)
    : QObject(parent), m_resolver(resolver), m_caCertificates(std::move(extraCaCertificates))
{
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

Expected<QList<QSslCertificate>> MtaStsFetcher::loadCaFile(const QString &path)
{
    using Result = Expected<QList<QSslCertificate>>;
    if (path.isEmpty())
    {
        return QList<QSslCertificate>();
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
    {
        return Result::failure(ErrorKind::NotFound, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty())
    {
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("%1 holds no PEM certificate").arg(path));
    }
    return certificates;
}

void MtaStsFetcher::resolve(
    const QString &host, QObject *context, std::function<void(const Expected<QHostAddress> &)> done)
{
    using Result = Expected<QHostAddress>;
    QPointer<QObject> guard(context);
    if (!m_resolver)
    {
        QMetaObject::invokeMethod(
            this,
            [guard, done]() {
                if (guard)
                {
                    done(Result::failure(ErrorKind::Unavailable, QStringLiteral("no DNS resolver")));
                }
            },
            Qt::QueuedConnection);
        return;
    }
    m_resolver->lookupAddresses(host, this, [guard, done](const AddressLookup &lookup) {
        if (!guard)
        {
            return;
        }
        if (lookup.outcome != AddressLookup::Outcome::Found)
        {
            done(Result::failure(ErrorKind::Unavailable, lookup.error));
            return;
        }
        done(lookup.addresses.first());
    });
}

QNetworkRequest MtaStsFetcher::request(const QString &host, const QHostAddress &address, const QUrl &target) const
{
    // The connection goes to the address; the name is used for SNI, the certificate and Host.
    QUrl url = target;
    url.setHost(address.toString());
    QNetworkRequest request(url);
    request.setPeerVerifyName(host); // certificate check and SNI for the name, not the address
    request.setRawHeader("Host", host.toUtf8());
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    tls.setCaCertificates(QSslConfiguration::systemCaCertificates() + m_caCertificates);
    request.setSslConfiguration(tls);
    return request;
}

void MtaStsFetcher::postReport(
    const QUrl &url, const QByteArray &gzipped, QObject *context, std::function<void(const Status &)> done)
{
    QPointer<QObject> guard(context);
    auto finish = [guard, done = std::move(done)](const Status &result) {
        if (guard)
        {
            done(result);
        }
    };
    const QString host = url.host().toLower();
    if (url.scheme() != QLatin1String("https") || host.isEmpty())
    {
        QMetaObject::invokeMethod(
            this,
            [finish, url]() {
                finish(Status::failure(
                    ErrorKind::InvalidInput, QStringLiteral("%1 is not an https: URL").arg(url.toDisplayString())));
            },
            Qt::QueuedConnection);
        return;
    }
    resolve(host, this, [this, host, url, gzipped, finish](const Expected<QHostAddress> &address) {
        if (!address)
        {
            finish(Status::failure(ErrorKind::Unavailable, QStringLiteral("%1: %2").arg(host, address.error())));
            return;
        }
        QNetworkRequest post = request(host, address.value(), url);
        post.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/tlsrpt+gzip"));
        QNetworkReply *reply = m_network.post(post, gzipped);
        connect(reply, &QNetworkReply::finished, this, [reply, host, finish]() {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (reply->error() != QNetworkReply::NoError || status < 200 || status > 299)
            {
                finish(Status::failure(ErrorKind::Unavailable,
                    QStringLiteral("%1: %2").arg(host,
                        reply->error() != QNetworkReply::NoError ? reply->errorString()
                                                                 : QStringLiteral("HTTP status %1").arg(status))));
                return;
            }
            finish(Status());
        });
    });
}

void MtaStsFetcher::fetch(
    const QString &domain, QObject *context, std::function<void(const Expected<MtaStsPolicy> &)> done)
{
    using Result = Expected<MtaStsPolicy>;
    const QString host = QStringLiteral("mta-sts.") + domain.toLower();
    QPointer<QObject> guard(context);
    auto finish = [guard, done = std::move(done)](const Result &result) {
        if (guard)
        {
            done(result);
        }
    };
    resolve(host, this, [this, host, finish](const Expected<QHostAddress> &address) {
        if (!address)
        {
            finish(Result::failure(ErrorKind::Unavailable, QStringLiteral("%1: %2").arg(host, address.error())));
            return;
        }
        QUrl url;
        url.setScheme(QStringLiteral("https"));
        url.setHost(host);
        url.setPort(m_port);
        url.setPath(QStringLiteral("/.well-known/mta-sts.txt"));
        const QNetworkRequest request = this->request(host, address.value(), url);
        QNetworkReply *reply = m_network.get(request);
        auto tooBig = std::make_shared<bool>(false);
        connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, tooBig]() {
            const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
            if (length > MtaStsPolicy::MaxBodyBytes)
            {
                *tooBig = true;
                reply->abort();
            }
        });
        connect(reply, &QNetworkReply::downloadProgress, reply, [reply, tooBig](qint64 received, qint64) {
            if (received > MtaStsPolicy::MaxBodyBytes)
            {
                *tooBig = true;
                reply->abort();
            }
        });
        connect(reply, &QNetworkReply::finished, this, [reply, host, finish, tooBig]() {
            reply->deleteLater();
            if (*tooBig)
            {
                finish(Result::failure(ErrorKind::InvalidInput,
                    QStringLiteral("%1: policy larger than %2 bytes").arg(host).arg(MtaStsPolicy::MaxBodyBytes)));
                return;
            }
            if (reply->error() != QNetworkReply::NoError)
            {
                finish(
                    Result::failure(ErrorKind::Unavailable, QStringLiteral("%1: %2").arg(host, reply->errorString())));
                return;
            }
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status != 200)
            {
                // RFC 8461 §3.3: only a 200 is a policy; redirects are not followed.
                finish(Result::failure(
                    ErrorKind::Unavailable, QStringLiteral("%1: HTTP status %2").arg(host).arg(status)));
                return;
            }
            const QString type = reply->header(QNetworkRequest::ContentTypeHeader).toString().toLower();
            if (!type.startsWith(QLatin1String("text/plain")))
            {
                finish(Result::failure(ErrorKind::InvalidInput,
                    QStringLiteral("%1: Content-Type %2, expected text/plain").arg(host, type.left(60))));
                return;
            }
            const Result policy = MtaStsPolicy::parse(reply->readAll());
            if (!policy)
            {
                finish(Result::failure(ErrorKind::InvalidInput, QStringLiteral("%1: %2").arg(host, policy.error())));
                return;
            }
            finish(policy);
        });
    });
}
