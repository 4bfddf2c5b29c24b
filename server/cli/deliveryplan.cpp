// DeliveryPlan: a DeliveryJob in plan mode, run to its end, and its report as text.
#include "cli/deliveryplan.h"

#include "db/mtastspolicytable.h"
#include "deliverd/dnsresolver.h"
#include "deliverd/mtastscache.h"
#include "deliverd/mtastsfetcher.h"

#include <algorithm>

#include <QEventLoop>
#include <QTimer>

namespace DeliveryPlan {

bool Result::deliverable() const
{
    for (qsizetype i = 0; i < hops.size(); ++i)
    {
        if (!hops.at(i).skipped.isEmpty())
            continue;
        if (!probed)
            return true;
        for (const Probe &probe : probes.value(i))
        {
            if (probe.meetsPolicy)
                return true;
        }
    }
    return false;
}

void connect(Result *result, const Config &config, int timeoutMs)
{
    DeliverySettings settings;
    takeDeliverySettings(config, &settings);
    result->probed = true;
    result->probes.clear();
    for (const HopPlan &hop : std::as_const(result->hops))
    {
        QList<Probe> probes;
        for (const QHostAddress &address : hop.skipped.isEmpty() ? hop.addresses : QList<QHostAddress>())
        {
            SmtpEndpoint endpoint;
            endpoint.hostName = hop.host;
            endpoint.address = address;
            endpoint.port = hop.port;
            endpoint.tlsSkipVerify = settings.tlsSkipVerify;
            endpoint.tlsFallback = settings.tlsFallback;
            endpoint.tlsCiphers = settings.tlsCiphers;
            endpoint.timeoutSeconds = std::max(1, timeoutMs / 1000);
            endpoint.tlsPolicy = hop.tlsPolicy;
            endpoint.tlsa = hop.tlsa;
            endpoint.caCertificates = settings.caCertificates;
            endpoint.probe = true;
            SmtpEnvelope envelope;
            envelope.heloName = config.me;
            SmtpClient client(endpoint, envelope);
            Probe probe;
            probe.address = address;
            QEventLoop loop;
            QObject::connect(&client, &SmtpClient::finished, &loop, [&probe, &client, &loop]() {
                probe.answered = true;
                probe.session = client.result();
                loop.quit();
            });
            QTimer::singleShot(timeoutMs + 1000, &loop, &QEventLoop::quit);
            client.start();
            if (!probe.answered)
                loop.exec();
            if (!probe.answered)
                client.abort();
            const SmtpSessionResult &session = probe.session;
            // Opportunistic TLS goes on in clear when STARTTLS fails (unless fallback is off).
            probe.meetsPolicy = probe.answered
                && (session.completed
                    || (hop.tlsPolicy == SmtpEndpoint::TlsPolicy::Opportunistic && session.tlsHandshakeFailed
                        && settings.tlsFallback));
            probes.append(probe);
        }
        result->probes.append(probes);
    }
}

Result resolve(const Config &config, const QString &domain, const QList<Route> &routes, int timeoutMs, Database *db)
{
    Result result;
    result.domain = domain;
    DeliverySettings settings;
    settings.me = config.me;
    takeDeliverySettings(config, &settings);
    DnsResolver resolver(config.dnsServers);
    MtaStsFetcher fetcher(&resolver, settings.caCertificates);
    MtaStsCache cache; // this command's own, in front of deliverd's when db is given
    if (db)
    {
        cache.setBackend({ [db](const QString &policyDomain, QObject *, const MtaStsCache::Loaded &done) {
                              const Expected<std::optional<StoredMtaStsPolicy>> found
                                  = MtaStsPolicyTable(*db).find(policyDomain);
                              done(CachedMtaStsPolicy::fromStored(found ? found.value() : std::nullopt));
                          },
            {} });
    }
    Delivery delivery;
    delivery.domain = domain;
    delivery.recipients = { QStringLiteral("postmaster@") + domain };
    delivery.routes = routes;
    DeliveryJob job(delivery, settings, resolver.isValid() ? &resolver : nullptr);
    job.setMtaSts(&fetcher, &cache);
    job.setPlanOnly([&result](const HopPlan &hop) { result.hops.append(hop); });
    QEventLoop loop;
    QObject::connect(&job, &DeliveryJob::finished, &loop, [&result, &job, &loop]() {
        result.answered = true;
        if (!job.results().isEmpty())
        {
            result.kind = job.results().first().kind;
            result.detail = job.results().first().detail;
        }
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    if (!result.answered)
        result.detail = QStringLiteral("no answer within %1 s").arg(timeoutMs / 1000);
    return result;
}

namespace {

QString yesNo(bool value)
{
    return value ? QStringLiteral("yes") : QStringLiteral("no");
}

QString describe(const HopPlan &hop)
{
    QStringList addresses;
    for (const QHostAddress &address : hop.addresses)
        addresses.append(address.toString());
    QString line = QStringLiteral("%1:%2").arg(hop.host).arg(hop.port);
    line += hop.routeId > 0 ? QStringLiteral(" (route %1)").arg(hop.routeId) : QStringLiteral(" (MX)");
    if (!hop.skipped.isEmpty())
        return line + QStringLiteral("\n      not used: ") + hop.skipped;
    line += QStringLiteral(" [%1]").arg(addresses.join(QStringLiteral(", ")));
    if (hop.routeId != 0 && hop.tlsPolicy == SmtpEndpoint::TlsPolicy::Verify)
        line
            += QStringLiteral("\n      TLS: verify (route; STARTTLS required, certificate valid for %1)").arg(hop.host);
    else if (hop.routeId != 0 && hop.tlsPolicy == SmtpEndpoint::TlsPolicy::Encrypt)
        line += QStringLiteral("\n      TLS: required (route; STARTTLS required, any certificate)");
    else
        line += QStringLiteral("\n      TLS: ") + HopPlan::tlsPolicyName(hop.tlsPolicy);
    const bool routeOwnPolicy = hop.routeId != 0
        && (hop.tlsPolicy == SmtpEndpoint::TlsPolicy::Verify || hop.tlsPolicy == SmtpEndpoint::TlsPolicy::Encrypt);
    switch (routeOwnPolicy ? SmtpEndpoint::TlsPolicy::Opportunistic : hop.tlsPolicy)
    {
    case SmtpEndpoint::TlsPolicy::Dane:
        line += QStringLiteral(" (STARTTLS required, certificate must match %1 TLSA record(s))").arg(hop.tlsa.size());
        break;
    case SmtpEndpoint::TlsPolicy::Verify:
        line += QStringLiteral(" (STARTTLS required, certificate valid for %1)").arg(hop.host);
        break;
    case SmtpEndpoint::TlsPolicy::Encrypt:
        line += QStringLiteral(" (STARTTLS required: TLSA records exist but none is usable)");
        break;
    case SmtpEndpoint::TlsPolicy::Opportunistic:
        if (!routeOwnPolicy)
            line += QStringLiteral(" (STARTTLS when offered; clear text otherwise)");
        break;
    }
    if (hop.routeId == 0)
    {
        line += QStringLiteral("\n      DNSSEC: MX %1, address %2")
                    .arg(yesNo(hop.mxAuthenticated), yesNo(hop.addressAuthenticated));
    }
    return line;
}

QString describeProbe(const Probe &probe)
{
    QString line = QStringLiteral("connect %1: ").arg(probe.address.toString());
    const SmtpSessionResult &session = probe.session;
    if (!probe.answered)
        return line + QStringLiteral("no answer in time; policy NOT met");
    if (!session.tlsProtocol.isEmpty())
        line += QStringLiteral("%1, %2, certificate subject \"%3\"; ")
                    .arg(session.tlsProtocol, session.tlsCipher, session.peerSubject);
    else if (session.completed)
        line += QStringLiteral("no STARTTLS, clear text; ");
    if (probe.meetsPolicy)
        return line
            + (session.completed ? QStringLiteral("policy met")
                                 : QStringLiteral("policy met in clear text (TLS failed: %1)").arg(session.error));
    if (session.tlsPolicyFailed)
        return line + QStringLiteral("policy NOT met (%1): %2").arg(session.tlsFailureType, session.error);
    return line + QStringLiteral("policy NOT met: %1").arg(session.error);
}

} // namespace

void print(const Result &result, QTextStream &out)
{
    out << "Destination: " << result.domain << '\n';
    const HopPlan *first = result.hops.isEmpty() ? nullptr : &result.hops.first();
    if (first && first->routeId == 0)
    {
        const std::optional<MtaStsPolicy> &policy = first->mtaSts;
        out << "MTA-STS: "
            << (policy ? QStringLiteral("%1 (max_age %2 s, mx: %3)")
                             .arg(MtaStsPolicy::modeName(policy->mode))
                             .arg(policy->maxAgeSeconds)
                             .arg(policy->mx.join(QStringLiteral(", ")))
                       : QStringLiteral("none"))
            << '\n';
    }
    out << "Next hops, in the order they are tried:\n";
    if (result.hops.isEmpty())
        out << "  none\n";
    for (qsizetype i = 0; i < result.hops.size(); ++i)
    {
        out << "  " << (i + 1) << ". " << describe(result.hops.at(i)) << '\n';
        for (const Probe &probe : result.probes.value(i))
            out << "      " << describeProbe(probe) << '\n';
    }
    if (result.deliverable())
        out << "Verdict: deliverable\n";
    else if (result.probed && std::any_of(result.hops.cbegin(), result.hops.cend(), [](const HopPlan &hop) {
                 return hop.skipped.isEmpty();
             }))
        out << "Verdict: not deliverable: no host met its TLS policy\n";
    else
        out << "Verdict: not deliverable: " << result.detail << '\n';
    out.flush();
}

} // namespace DeliveryPlan
