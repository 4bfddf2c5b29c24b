// The MTA-STS policies deliverd has fetched (RFC 8461 §5.1), shared by every node of
// the database: one row per policy domain, kept until expires_at_ms.
#pragma once

#include "core/expected.h"
#include "db/database.h"

#include <QString>
#include <QStringList>

#include <optional>

struct StoredMtaStsPolicy
{
    QString domain; // lower case
    QString policyId; // the id of the _mta-sts TXT record it was fetched under
    QString mode; // "enforce", "testing" or "none"
    QStringList mx; // the mx patterns
    qint64 maxAgeSeconds = 0;
    qint64 fetchedAtMs = 0;
    qint64 expiresAtMs = 0;
};

class MtaStsPolicyTable
{
public:
    explicit MtaStsPolicyTable(Database &db) : m_db(db) { }
    // Replaces the domain's policy.
    Status store(const StoredMtaStsPolicy &policy);
    // The domain's policy, expired or not (the caller compares expiresAtMs); nullopt when none.
    Expected<std::optional<StoredMtaStsPolicy>> find(const QString &domain);
    Status remove(const QString &domain);

private:
    Database &m_db;
};
