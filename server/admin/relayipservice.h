// The client addresses allowed to relay to any domain: list, add, remove.
#pragma once

#include "core/expected.h"
#include "db/records.h"

#include <QList>

class Database;

class RelayIpService
{
public:
    explicit RelayIpService(Database &db);

    Expected<QList<RelayIp>> list();
    // AlreadyExists when the range is there.
    Status add(const IpRange &range);
    // NotFound when it is not.
    Status remove(const IpRange &range);

private:
    Database &m_db;
};
