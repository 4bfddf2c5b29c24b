// DeliveryPlan: a DeliveryJob in plan mode, run to its end, and its report as text.
#include "cli/deliveryplan.h"

#include "deliverd/dnsresolver.h"
#include "deliverd/mtastscache.h"
#include "deliverd/mtastsfetcher.h"

#include <QEventLoop>
#include <QTimer>

namespace DeliveryPlan {

bool Result::deliverable() const
{
    for (const HopPlan &hop : hops)
    {
        if (hop.skipped.isEmpty())
            return true;
    }
    return false;
}

Result resolve(const Config &config, const QString &domain, const QList<Route> &routes, int timeoutMs)
{
    Result result;
    result.domain = domain;
    DeliverySettings settings;
    settings.me = config.me;
    takeDeliverySettings(config, &settings);
    DnsResolver resolver(config.dnsServers);
    MtaStsFetcher fetcher(&resolver, settings.caCertificates);
    MtaStsCache cache; // this command's own: what a delivery without a cached policy sees
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
    line += QStringLiteral("\n      TLS: ") + HopPlan::tlsPolicyName(hop.tlsPolicy);
    switch (hop.tlsPolicy)
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
        out << "  " << (i + 1) << ". " << describe(result.hops.at(i)) << '\n';
    if (result.deliverable())
        out << "Verdict: deliverable\n";
    else
        out << "Verdict: not deliverable: " << result.detail << '\n';
    out.flush();
}

} // namespace DeliveryPlan
