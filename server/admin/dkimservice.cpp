// DKIM key administration on top of DkimKeyTable, with the keys made by OpenSSL here.
#include "admin/dkimservice.h"

#include "core/adminvalues.h"
#include "deliverd/dnsresolver.h"
#include "dkim/dkimkeys.h"
#include "dkim/dkimtaglist.h"

namespace {

QList<DkimKey> withoutPrivateKeys(QList<DkimKey> keys)
{
    for (DkimKey &key : keys)
        key.privateKey.clear();
    return keys;
}

// How long `dkim check` waits for each selector's TXT answer.
constexpr int DnsCheckTimeoutMs = 10000;

QString suffixFor(const QString &algorithm)
{
    return algorithm == QLatin1String("rsa") ? QStringLiteral("-rsa") : QStringLiteral("-ed");
}

} // namespace

QString DkimDnsCheck::stateName(State state)
{
    switch (state)
    {
    case State::Published:
        return QStringLiteral("published");
    case State::Missing:
        return QStringLiteral("missing");
    case State::DifferentKey:
        return QStringLiteral("different key");
    case State::Unavailable:
        return QStringLiteral("unavailable");
    }
    return {};
}

Expected<QString> DkimService::normaliseDomain(const QString &text)
{
    return AdminValues::dkimDomain(text);
}

Expected<QList<DkimKey>> DkimService::keysOf(const QString &domain)
{
    Expected<QList<DkimKey>> all = DkimKeyTable(m_db).list();
    if (!all)
        return all;
    QList<DkimKey> keys;
    for (const DkimKey &key : all.value())
    {
        if (key.domain == domain)
            keys.append(key);
    }
    return keys;
}

Status DkimService::checkAddInput(
    const QString &domainText, const QString &selector, const QString &algorithm, int bits)
{
    const Expected<QString> domain = normaliseDomain(domainText);
    if (!domain)
        return Status::failure(domain);
    QStringList algorithms;
    if (algorithm == QLatin1String("both"))
        algorithms = { QStringLiteral("rsa"), QStringLiteral("ed25519") };
    else if (algorithm == QLatin1String("rsa") || algorithm == QLatin1String("ed25519"))
        algorithms = { algorithm };
    else
        return Status::failure(ErrorKind::InvalidInput,
            QStringLiteral("unknown algorithm '%1': expected rsa, ed25519 or both").arg(algorithm));
    if (!AdminValues::isDkimRsaBits(bits))
        return Status::failure(
            ErrorKind::InvalidInput, QStringLiteral("RSA key size %1 is not 2048, 3072 or 4096").arg(bits));
    if (!selector.isEmpty())
    {
        // With two keys each gets a suffix: check the longest name the selector makes.
        const QString longest = algorithms.size() > 1 ? selector + QStringLiteral("-rsa") : selector;
        if (!DkimKeys::isSelector(selector) || !DkimKeys::isSelector(longest))
            return Status::failure(ErrorKind::InvalidInput,
                QStringLiteral("'%1' is not a selector: a DNS label of letters, digits and '-', "
                               "at most 63 characters%2")
                    .arg(selector, algorithms.size() > 1 ? QStringLiteral(" with its -rsa/-ed suffix") : QString()));
    }
    return {};
}

Expected<QList<DkimKey>> DkimService::add(
    const QString &domainText, const QString &selector, const QString &algorithm, int bits, const QDateTime &now)
{
    const Expected<QString> domain = normaliseDomain(domainText);
    if (!domain)
        return Expected<QList<DkimKey>>::failure(domain.kind(), domain.error());
    const Status input = checkAddInput(domainText, selector, algorithm, bits);
    if (!input)
        return Expected<QList<DkimKey>>::failure(input.kind(), input.error());
    const QStringList algorithms = algorithm == QLatin1String("both")
        ? QStringList { QStringLiteral("rsa"), QStringLiteral("ed25519") }
        : QStringList { algorithm };
    return makeKeys(domain.value(), selector, algorithms, bits, now, false);
}

Expected<QList<DkimKey>> DkimService::makeKeys(const QString &domain, const QString &selector,
    const QStringList &algorithms, int bits, const QDateTime &now, bool rotation)
{
    DkimKeyTable table(m_db);
    // A default selector names the month; a second one in the same month gets a letter.
    QString base = selector;
    if (base.isEmpty())
    {
        const QString month = QStringLiteral("tmail") + now.toUTC().toString(QStringLiteral("yyyyMM"));
        for (int letter = 0; letter <= 26 && base.isEmpty(); ++letter)
        {
            const QString candidate = letter == 0 ? month : month + QChar(QLatin1Char('a' + letter));
            bool free = true;
            for (const QString &algorithm : algorithms)
            {
                Status error;
                const QString name = algorithms.size() > 1 ? candidate + suffixFor(algorithm) : candidate;
                if (table.selectorTaken(domain, name, &error))
                    free = false;
                if (!error)
                    return Expected<QList<DkimKey>>::failure(error.kind(), error.error());
            }
            if (free)
                base = candidate;
        }
        if (base.isEmpty())
            return Expected<QList<DkimKey>>::failure(ErrorKind::AlreadyExists,
                QStringLiteral("every default selector of this month is taken for %1: give one with -s").arg(domain));
    }
    QList<DkimKey> keys;
    for (const QString &algorithm : algorithms)
    {
        const DkimAlgorithm kind
            = algorithm == QLatin1String("rsa") ? DkimAlgorithm::RsaSha256 : DkimAlgorithm::Ed25519Sha256;
        const Expected<DkimKeyPair> pair = DkimKeys::generate(kind, bits);
        if (!pair)
            return Expected<QList<DkimKey>>::failure(pair.kind(), pair.error());
        DkimKey key;
        key.domain = domain;
        key.selector = algorithms.size() > 1 ? base + suffixFor(algorithm) : base;
        key.algorithm = DkimKeys::algorithmName(kind);
        key.bits = kind == DkimAlgorithm::RsaSha256 ? bits : 256;
        key.privateKey = pair->privateKeyPem;
        key.publicKey = pair->publicKeyBase64;
        key.createdAtMs = now.toMSecsSinceEpoch();
        key.active = true;
        keys.append(key);
    }
    const Status added = table.add(keys, rotation);
    if (!added)
        return Expected<QList<DkimKey>>::failure(added.kind(), added.error());
    return withoutPrivateKeys(keys);
}

Expected<QList<DkimKey>> DkimService::rotate(const QString &domainText, const QDateTime &now)
{
    const Expected<QString> domain = normaliseDomain(domainText);
    if (!domain)
        return Expected<QList<DkimKey>>::failure(domain.kind(), domain.error());
    const Expected<QList<DkimKey>> existing = keysOf(domain.value());
    if (!existing)
        return existing;
    bool rsa = false;
    bool ed25519 = false;
    int bits = 2048;
    for (const DkimKey &key : existing.value())
    {
        if (!key.active)
            continue;
        if (key.algorithm == QLatin1String("rsa-sha256"))
        {
            rsa = true;
            bits = key.bits;
        }
        else
        {
            ed25519 = true;
        }
    }
    QStringList algorithms;
    if (rsa)
        algorithms.append(QStringLiteral("rsa"));
    if (ed25519)
        algorithms.append(QStringLiteral("ed25519"));
    if (algorithms.isEmpty())
        return Expected<QList<DkimKey>>::failure(ErrorKind::NotFound,
            QStringLiteral("domain %1 has no active DKIM key to rotate: use `dkim add`").arg(domain.value()));
    std::sort(algorithms.begin(), algorithms.end(),
        [](const QString &a, const QString &b) { return a == QLatin1String("rsa") && b != a; });
    return makeKeys(domain.value(), QString(), algorithms, bits, now, true);
}

Status DkimService::remove(const QString &domainText, const QString &selector)
{
    const Expected<QString> domain = normaliseDomain(domainText);
    if (!domain)
        return Status::failure(domain);
    if (!selector.isEmpty() && !DkimKeys::isSelector(selector))
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("'%1' is not a selector").arg(selector));
    return DkimKeyTable(m_db).remove(domain.value(), selector);
}

Expected<QList<DkimKey>> DkimService::list()
{
    return DkimKeyTable(m_db).list();
}

Expected<QStringList> DkimService::dnsRecords(const QString &domainText)
{
    const Expected<QString> domain = normaliseDomain(domainText);
    if (!domain)
        return Expected<QStringList>::failure(domain.kind(), domain.error());
    const Expected<QList<DkimKey>> keys = keysOf(domain.value());
    if (!keys)
        return Expected<QStringList>::failure(keys.kind(), keys.error());
    if (keys->isEmpty())
        return Expected<QStringList>::failure(
            ErrorKind::NotFound, QStringLiteral("domain %1 has no DKIM key").arg(domain.value()));
    QStringList lines;
    for (const DkimKey &key : keys.value())
    {
        const auto algorithm = DkimKeys::algorithmFromName(key.algorithm).value_or(DkimAlgorithm::RsaSha256);
        lines.append(DkimKeys::zoneLine(key.domain, key.selector, algorithm, key.publicKey));
    }
    return lines;
}

Expected<QList<DkimDnsCheck>> DkimService::check(const QString &domainText, const QList<DnsServer> &dnsServers)
{
    const Expected<QString> domain = normaliseDomain(domainText);
    if (!domain)
        return Expected<QList<DkimDnsCheck>>::failure(domain.kind(), domain.error());
    const Expected<QList<DkimKey>> keys = keysOf(domain.value());
    if (!keys)
        return Expected<QList<DkimDnsCheck>>::failure(keys.kind(), keys.error());
    if (keys->isEmpty())
        return Expected<QList<DkimDnsCheck>>::failure(
            ErrorKind::NotFound, QStringLiteral("domain %1 has no DKIM key").arg(domain.value()));
    QList<DkimDnsCheck> results;
    for (const DkimKey &key : keys.value())
    {
        DkimDnsCheck result;
        result.domain = key.domain;
        result.selector = key.selector;
        result.algorithm = key.algorithm;
        const QString name = key.selector + QStringLiteral("._domainkey.") + key.domain;
        const TxtLookup lookup = DnsResolver::lookupTxtAndWait(dnsServers, name, DnsCheckTimeoutMs);
        if (lookup.outcome == TxtLookup::Outcome::Temporary)
        {
            result.state = DkimDnsCheck::State::Unavailable;
            result.detail = lookup.error;
        }
        else if (lookup.outcome == TxtLookup::Outcome::None)
        {
            result.state = DkimDnsCheck::State::Missing;
            result.detail = QStringLiteral("no TXT record at %1").arg(name);
        }
        else
        {
            result.state = DkimDnsCheck::State::DifferentKey;
            result.detail = QStringLiteral("the TXT record at %1 has another key").arg(name);
            for (const QString &text : lookup.texts)
            {
                const Expected<DkimKeyRecord> record = DkimKeyRecord::parse(text.toUtf8());
                if (record && record->publicKey == key.publicKey)
                {
                    result.state = DkimDnsCheck::State::Published;
                    result.detail = name;
                }
            }
        }
        results.append(result);
    }
    return results;
}
