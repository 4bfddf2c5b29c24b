// Live policy reload by change-serial polling, and password checks off the event loop.
#include "smtpd/dbworker.h"

#include "db/dkimkeytable.h"
#include "db/tables.h"
#include "log/logger.h"

DbWorker::DbWorker(const DbSource &source, const QString &connectionName, int pollIntervalMs)
    : m_source(source), m_connectionName(connectionName), m_pollTimer(this)
{
    m_pollTimer.setInterval(pollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &DbWorker::poll);
}

DbWorker::~DbWorker() = default;

Expected<RelayPolicyPtr> DbWorker::open()
{
    Expected<Database> opened = Database::open(m_source, m_connectionName);
    if (!opened)
    {
        return Expected<RelayPolicyPtr>::failure(opened);
    }
    m_db.emplace(std::move(opened).value());
    const Expected<qint64> serial = m_db->changeSerial();
    if (!serial)
    {
        return Expected<RelayPolicyPtr>::failure(serial);
    }
    m_serial = serial.value();
    Expected<RelayPolicyPtr> policy = loadPolicy();
    if (!policy)
    {
        return policy;
    }
    const Expected<DkimKeyringPtr> keyring = loadKeyring();
    if (!keyring)
    {
        return Expected<RelayPolicyPtr>::failure(keyring.kind(), keyring.error());
    }
    m_keyring = keyring.value();
    m_pollTimer.start();
    return policy;
}

void DbWorker::close()
{
    m_pollTimer.stop();
    m_db.reset();
}

Expected<RelayPolicyPtr> DbWorker::loadPolicy()
{
    RcptHostTable rcptHostTable(*m_db);
    const Expected<QList<RcptHost>> rcptHosts = rcptHostTable.list();
    if (!rcptHosts)
    {
        return Expected<RelayPolicyPtr>::failure(rcptHosts);
    }
    RelayIpTable relayIpTable(*m_db);
    const Expected<QList<RelayIp>> relayIps = relayIpTable.list();
    if (!relayIps)
    {
        return Expected<RelayPolicyPtr>::failure(relayIps);
    }
    const Expected<QList<User>> users = UserTable(*m_db).list();
    if (!users)
    {
        return Expected<RelayPolicyPtr>::failure(users);
    }
    QList<Domain> domains;
    QList<Domain> localDomains;
    for (const RcptHost &host : rcptHosts.value())
    {
        domains.append(host.domain);
        if (host.isLocal)
        {
            localDomains.append(host.domain);
        }
    }
    QList<IpRange> ranges;
    for (const RelayIp &relayIp : relayIps.value())
    {
        ranges.append(relayIp.range);
    }
    QStringList logins;
    for (const User &user : users.value())
    {
        logins.append(user.login.toString());
    }
    auto policy = std::make_shared<RelayPolicy>(domains, ranges);
    policy->setLocal(localDomains, logins);
    return RelayPolicyPtr(std::move(policy));
}

Expected<DkimKeyringPtr> DbWorker::loadKeyring()
{
    const Expected<QList<DkimKey>> keys = DkimKeyTable(*m_db).activeKeys();
    if (!keys)
    {
        return Expected<DkimKeyringPtr>::failure(
            keys.kind(), QStringLiteral("cannot load the DKIM keys: %1").arg(keys.error()));
    }
    auto keyring = std::make_shared<DkimKeyring>();
    for (const DkimKey &key : keys.value())
    {
        const std::optional<DkimAlgorithm> algorithm = DkimKeys::algorithmFromName(key.algorithm);
        const Expected<DkimPrivateKey> privateKey = algorithm
            ? DkimPrivateKey::fromPem(key.privateKey, *algorithm)
            : Expected<DkimPrivateKey>::failure(
                ErrorKind::Internal, QStringLiteral("unknown algorithm %1").arg(key.algorithm));
        if (!privateKey)
        {
            // The reason only: the key itself is never logged.
            qCWarning(lcSmtpd).noquote() << "DKIM key" << key.selector << "of" << key.domain
                                         << "is not used:" << privateKey.error();
            continue;
        }
        keyring->add({ key.domain, key.selector, privateKey.value() });
    }
    return DkimKeyringPtr(std::move(keyring));
}

void DbWorker::poll()
{
    if (!m_db && m_pollFailing)
    {
        reconnect();
    }
    if (!m_db)
    {
        return;
    }
    const Expected<qint64> serial = m_db->changeSerial();
    if (!serial)
    {
        if (!m_pollFailing)
        {
            qCWarning(lcSmtpd).noquote() << "cannot read the change serial:" << serial.error();
            m_pollFailing = true;
        }
        m_db.reset();
        return;
    }
    if (serial.value() == m_serial)
    {
        return;
    }
    const Expected<RelayPolicyPtr> policy = loadPolicy();
    if (!policy)
    {
        if (!m_pollFailing)
        {
            qCWarning(lcSmtpd).noquote() << "cannot reload rcpthosts and relay IPs:" << policy.error();
            m_pollFailing = true;
        }
        return;
    }
    m_pollFailing = false;
    m_serial = serial.value();
    qCDebug(lcSmtpd) << "policy reloaded:" << policy.value()->rcptHostCount() << "rcpthost(s)";
    emit policyChanged(policy.value());
    const Expected<DkimKeyringPtr> keyring = loadKeyring();
    if (!keyring)
    {
        qCWarning(lcSmtpd).noquote() << keyring.error();
        return;
    }
    m_keyring = keyring.value();
    qCDebug(lcSmtpd) << "DKIM keys reloaded:" << m_keyring->keyCount() << "key(s)";
    emit keyringChanged(m_keyring);
}

bool DbWorker::reconnect()
{
    m_db.reset(); // first: the new connection takes the same name
    Expected<Database> reopened = Database::open(m_source, m_connectionName);
    if (!reopened)
    {
        return false;
    }
    m_db.emplace(std::move(reopened).value());
    return true;
}

void DbWorker::authenticate(quint64 requestId, const QString &login, const QString &password)
{
    // After a database restart the first query on the old connection fails: ask once
    // more on a new one, so that AUTH works again as soon as the server is back.
    for (int attempt = 0; attempt < 2; ++attempt)
    {
        if ((!m_db || attempt > 0) && !reconnect())
        {
            break;
        }
        UserTable users(*m_db);
        const Expected<std::optional<User>> user = users.authenticate(login, password);
        if (user && user.value())
        {
            const User &accepted = *user.value();
            emit authenticated(requestId, AuthOutcome::Accepted, accepted.login.toString(), accepted.mayRelay);
            return;
        }
        if (user)
        {
            emit authenticated(requestId, AuthOutcome::Refused, login, false);
            return;
        }
        if (attempt == 0)
        {
            qCWarning(lcSmtpd).noquote() << "cannot check a password:" << user.error();
        }
    }
    // Still no database: the poller keeps trying, and the client gets a temporary failure.
    m_db.reset();
    m_pollFailing = true;
    emit authenticated(requestId, AuthOutcome::Unavailable, login, false);
}
