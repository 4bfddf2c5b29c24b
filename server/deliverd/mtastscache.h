// MTA-STS policies deliverd has fetched, per policy domain (RFC 8461 §3.3 and §5.1):
// kept until max_age, replaced when the TXT id changes and a refetch succeeds, kept
// when a refetch fails. A copy in memory in front of a shared store (the database's
// mta_sts_policies, see Deliverd) so that every node and the next run see them.
#pragma once

#include "deliverd/mtastspolicy.h"

#include <functional>
#include <optional>

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

struct StoredMtaStsPolicy;

struct CachedMtaStsPolicy
{
    QString id; // the TXT record's id the policy was fetched under
    MtaStsPolicy policy;
    qint64 expiresAtMs = 0;

    bool isValid(qint64 nowMs) const { return nowMs < expiresAtMs; }

    // The row of mta_sts_policies for domain, and back (nullopt when absent, expired or unreadable).
    StoredMtaStsPolicy toStored(const QString &domain, qint64 fetchedAtMs) const;
    static std::optional<CachedMtaStsPolicy> fromStored(const std::optional<StoredMtaStsPolicy> &stored);
};

class MtaStsCache
{
public:
    using Loaded = std::function<void(const std::optional<CachedMtaStsPolicy> &)>;
    // The shared store: load reads one domain's row and calls done (at once or later,
    // on context's thread, not at all when context is gone); save writes one.
    struct Backend
    {
        std::function<void(const QString &domain, QObject *context, Loaded done)> load;
        std::function<void(const StoredMtaStsPolicy &policy)> save;
    };

    void setBackend(Backend backend) { m_backend = std::move(backend); }

    // The unexpired policy in memory; nullptr when none.
    const CachedMtaStsPolicy *find(const QString &domain) const;
    // Keeps a freshly fetched policy, in memory and in the shared store.
    void store(const QString &domain, const QString &id, const MtaStsPolicy &policy);
    // The domain's unexpired policy from the shared store, kept in memory too; from memory
    // alone without a store. done gets nullopt when there is none.
    void load(const QString &domain, QObject *context, const Loaded &done);
    // Whether load() already ran for domain in this process: a domain publishing no TXT
    // record needs the store only once (another node stores a policy only under a TXT id).
    bool wasLoaded(const QString &domain) const { return m_loaded.contains(domain.toLower()); }

private:
    QHash<QString, CachedMtaStsPolicy> m_policies;
    QSet<QString> m_loaded;
    Backend m_backend;
};
