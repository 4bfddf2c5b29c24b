// See relayipservice.h.
#include "admin/relayipservice.h"

#include "db/tables.h"

RelayIpService::RelayIpService(Database &db) : m_db(db) { }

Expected<QList<RelayIp>> RelayIpService::list()
{
    return RelayIpTable(m_db).list();
}

Status RelayIpService::add(const IpRange &range)
{
    return RelayIpTable(m_db).add(range);
}

Status RelayIpService::remove(const IpRange &range)
{
    return RelayIpTable(m_db).remove(range);
}
