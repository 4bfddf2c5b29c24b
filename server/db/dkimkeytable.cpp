// dkim_keys: every edit bumps the change serial in its transaction, so that running
// daemons load the new keys within a poll.
#include "db/dkimkeytable.h"

#include <QVariant>

namespace {

DkimKey keyFromRow(const QSqlQuery &query, bool withPrivateKey)
{
    DkimKey key;
    key.id = query.value(0).toLongLong();
    key.domain = query.value(1).toString();
    key.selector = query.value(2).toString();
    key.algorithm = query.value(3).toString();
    key.bits = query.value(4).toInt();
    key.publicKey = query.value(5).toString().toLatin1();
    key.createdAtMs = query.value(6).toLongLong();
    key.active = query.value(7).toBool();
    if (withPrivateKey)
        key.privateKey = query.value(8).toString().toLatin1();
    return key;
}

} // namespace

bool DkimKeyTable::selectorTaken(const QString &domain, const QString &selector, Status *error)
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("select_dkim_key"),
        { { QStringLiteral("domain"), domain }, { QStringLiteral("selector"), selector } });
    if (!query)
    {
        *error = Status::failure(ErrorKind::Unavailable, query.error());
        return false;
    }
    return query.value().next();
}

Status DkimKeyTable::add(const QList<DkimKey> &keys, bool deactivateOthers)
{
    return m_db.runInTransaction([&]() -> Status {
        for (const DkimKey &key : keys)
        {
            Status error;
            if (selectorTaken(key.domain, key.selector, &error))
                return Status::failure(ErrorKind::AlreadyExists,
                    QStringLiteral("domain %1 already has a key with selector %2").arg(key.domain, key.selector));
            if (!error)
                return error;
        }
        QStringList domains;
        for (const DkimKey &key : keys)
        {
            if (!domains.contains(key.domain))
                domains.append(key.domain);
        }
        for (const QString &domain : std::as_const(domains))
        {
            if (!deactivateOthers)
                break;
            const Expected<QSqlQuery> query = m_db.exec(QStringLiteral("deactivate_dkim_keys_of_domain"),
                { { QStringLiteral("domain"), domain }, { QStringLiteral("active"), false } });
            if (!query)
                return Status::failure(ErrorKind::Unavailable, query.error());
        }
        for (const DkimKey &key : keys)
        {
            const Expected<QSqlQuery> query = m_db.exec(QStringLiteral("insert_dkim_key"),
                {
                    { QStringLiteral("domain"), key.domain },
                    { QStringLiteral("selector"), key.selector },
                    { QStringLiteral("algorithm"), key.algorithm },
                    { QStringLiteral("bits"), key.bits },
                    { QStringLiteral("private_key"), QString::fromLatin1(key.privateKey) },
                    { QStringLiteral("public_key"), QString::fromLatin1(key.publicKey) },
                    { QStringLiteral("created_at_ms"), key.createdAtMs },
                    { QStringLiteral("active"), key.active },
                });
            if (!query)
                return Status::failure(ErrorKind::Unavailable, query.error());
        }
        return m_db.bumpChangeSerial();
    });
}

Status DkimKeyTable::remove(const QString &domain, const QString &selector)
{
    return m_db.runInTransaction([&]() -> Status {
        const Expected<QSqlQuery> query = selector.isEmpty()
            ? m_db.exec(QStringLiteral("delete_dkim_keys_of_domain"), { { QStringLiteral("domain"), domain } })
            : m_db.exec(QStringLiteral("delete_dkim_key"),
                { { QStringLiteral("domain"), domain }, { QStringLiteral("selector"), selector } });
        if (!query)
            return Status::failure(ErrorKind::Unavailable, query.error());
        if (query.value().numRowsAffected() < 1)
            return Status::failure(ErrorKind::NotFound,
                selector.isEmpty()
                    ? QStringLiteral("domain %1 has no DKIM key").arg(domain)
                    : QStringLiteral("domain %1 has no DKIM key with selector %2").arg(domain, selector));
        return m_db.bumpChangeSerial();
    });
}

Expected<QList<DkimKey>> DkimKeyTable::list()
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("list_dkim_keys"));
    if (!query)
        return Expected<QList<DkimKey>>::failure(ErrorKind::Unavailable, query.error());
    QList<DkimKey> keys;
    while (query.value().next())
        keys.append(keyFromRow(query.value(), false));
    return keys;
}

Expected<QList<DkimKey>> DkimKeyTable::activeKeys()
{
    Expected<QSqlQuery> query
        = m_db.exec(QStringLiteral("list_active_dkim_keys"), { { QStringLiteral("active"), true } });
    if (!query)
        return Expected<QList<DkimKey>>::failure(ErrorKind::Unavailable, query.error());
    QList<DkimKey> keys;
    while (query.value().next())
        keys.append(keyFromRow(query.value(), true));
    return keys;
}
