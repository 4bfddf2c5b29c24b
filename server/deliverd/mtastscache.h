// MTA-STS policies deliverd has fetched, per policy domain (RFC 8461 §3.3 and §5.1):
// kept until max_age, replaced when the TXT id changes and a refetch succeeds, kept
// when a refetch fails.
#pragma once

#include "deliverd/mtastspolicy.h"

#include <QDateTime>
#include <QHash>
#include <QString>

struct CachedMtaStsPolicy
{
    QString id; // the TXT record's id the policy was fetched under
    MtaStsPolicy policy;
    qint64 expiresAtMs = 0;

    bool isValid(qint64 nowMs) const { return nowMs < expiresAtMs; }
};

class MtaStsCache
{
public:
    const CachedMtaStsPolicy *find(const QString &domain) const
    {
        const auto it = m_policies.constFind(domain.toLower());
        if (it == m_policies.constEnd() || !it->isValid(QDateTime::currentMSecsSinceEpoch()))
        {
            return nullptr;
        }
        return &it.value();
    }
    void store(const QString &domain, const QString &id, const MtaStsPolicy &policy)
    {
        m_policies.insert(
            domain.toLower(), { id, policy, QDateTime::currentMSecsSinceEpoch() + policy.maxAgeSeconds * 1000 });
    }

private:
    QHash<QString, CachedMtaStsPolicy> m_policies;
};
