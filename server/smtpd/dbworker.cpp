// Live policy reload by change-serial polling, and password checks off the event loop.
#include "smtpd/dbworker.h"

#include "db/tables.h"
#include "log/logger.h"

DbWorker::DbWorker(const DbSource &source, const QString &connectionName, int pollIntervalMs)
    : m_source(source)
    , m_connectionName(connectionName)
    , m_pollTimer(this)
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
        return Expected<RelayPolicyPtr>::failure(opened.error());
    }
    m_db.emplace(std::move(opened).value());
    const Expected<qint64> serial = m_db->changeSerial();
    if (!serial)
    {
        return Expected<RelayPolicyPtr>::failure(serial.error());
    }
    m_serial = serial.value();
    Expected<RelayPolicyPtr> policy = loadPolicy();
    if (policy)
    {
        m_pollTimer.start();
    }
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
        return Expected<RelayPolicyPtr>::failure(rcptHosts.error());
    }
    RelayIpTable relayIpTable(*m_db);
    const Expected<QList<RelayIp>> relayIps = relayIpTable.list();
    if (!relayIps)
    {
        return Expected<RelayPolicyPtr>::failure(relayIps.error());
    }
    QList<Domain> domains;
    for (const RcptHost &host : rcptHosts.value())
    {
        domains.append(host.domain);
    }
    QList<IpRange> ranges;
    for (const RelayIp &relayIp : relayIps.value())
    {
        ranges.append(relayIp.range);
    }
    return RelayPolicyPtr(std::make_shared<const RelayPolicy>(domains, ranges));
}

void DbWorker::poll()
{
    if (!m_db && m_pollFailing)
    {
        // The database server went away (QtSql does not reconnect): try a new connection.
        Expected<Database> reopened = Database::open(m_source, m_connectionName);
        if (reopened)
        {
            m_db.emplace(std::move(reopened).value());
        }
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
}

void DbWorker::authenticate(quint64 requestId, const QString &login, const QString &password)
{
    if (!m_db)
    {
        emit authenticated(requestId, false, login, false);
        return;
    }
    UserTable users(*m_db);
    const Expected<User> user = users.authenticate(login, password);
    if (!user)
    {
        emit authenticated(requestId, false, login, false);
        return;
    }
    emit authenticated(requestId, true, user->login.toString(), user->mayRelay);
}
