// See mtastscache.h.
#include "deliverd/mtastscache.h"

#include "db/mtastspolicytable.h"

#include <QDateTime>

namespace {

// Bounds the memory of the per-domain bookkeeping (the policies expire on their own).
constexpr int MaxLoadedDomains = 100000;

} // namespace

StoredMtaStsPolicy CachedMtaStsPolicy::toStored(const QString &domain, qint64 fetchedAtMs) const
{
    StoredMtaStsPolicy stored;
    stored.domain = domain.toLower();
    stored.policyId = id;
    stored.mode = MtaStsPolicy::modeName(policy.mode);
    stored.mx = policy.mx;
    stored.maxAgeSeconds = policy.maxAgeSeconds;
    stored.fetchedAtMs = fetchedAtMs;
    stored.expiresAtMs = expiresAtMs;
    return stored;
}

std::optional<CachedMtaStsPolicy> CachedMtaStsPolicy::fromStored(const std::optional<StoredMtaStsPolicy> &stored)
{
    if (!stored || stored->expiresAtMs <= QDateTime::currentMSecsSinceEpoch())
        return std::nullopt;
    CachedMtaStsPolicy cached;
    bool known = false;
    for (const MtaStsPolicy::Mode mode :
        { MtaStsPolicy::Mode::Enforce, MtaStsPolicy::Mode::Testing, MtaStsPolicy::Mode::None })
    {
        if (stored->mode == MtaStsPolicy::modeName(mode))
        {
            cached.policy.mode = mode;
            known = true;
        }
    }
    if (!known)
        return std::nullopt;
    cached.id = stored->policyId;
    cached.policy.mx = stored->mx;
    cached.policy.maxAgeSeconds = stored->maxAgeSeconds;
    cached.expiresAtMs = stored->expiresAtMs;
    return cached;
}

const CachedMtaStsPolicy *MtaStsCache::find(const QString &domain) const
{
    const auto it = m_policies.constFind(domain.toLower());
    if (it == m_policies.constEnd() || !it->isValid(QDateTime::currentMSecsSinceEpoch()))
        return nullptr;
    return &it.value();
}

void MtaStsCache::store(const QString &domain, const QString &id, const MtaStsPolicy &policy)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const CachedMtaStsPolicy cached { id, policy, now + policy.maxAgeSeconds * 1000 };
    m_policies.insert(domain.toLower(), cached);
    if (m_backend.save)
        m_backend.save(cached.toStored(domain, now));
}

void MtaStsCache::load(const QString &domain, QObject *context, const Loaded &done)
{
    const QString key = domain.toLower();
    if (m_loaded.size() >= MaxLoadedDomains)
        m_loaded.clear();
    m_loaded.insert(key);
    if (!m_backend.load)
    {
        const CachedMtaStsPolicy *cached = find(key);
        done(cached ? std::optional<CachedMtaStsPolicy>(*cached) : std::nullopt);
        return;
    }
    m_backend.load(key, context, [this, key, done](const std::optional<CachedMtaStsPolicy> &stored) {
        if (stored)
            m_policies.insert(key, *stored);
        done(stored);
    });
}
