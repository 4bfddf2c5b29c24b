// The domains tmail accepts mail for (rcpthosts): list, add, remove.
#pragma once

#include "core/expected.h"
#include "db/records.h"

#include <QList>

class Database;

class RcptHostService
{
public:
    explicit RcptHostService(Database &db);

    Expected<QList<RcptHost>> list();
    // AlreadyExists when the domain is there.
    Status add(const Domain &domain, bool isLocal);
    // NotFound when it is not.
    Status remove(const Domain &domain);

private:
    Database &m_db;
};
