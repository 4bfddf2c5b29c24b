// Per-destination delivery limits (`tmail throttle`): list, add, remove. A throttle is
// checked whole here (AdminValues) before it is stored.
#pragma once

#include "core/expected.h"
#include "db/records.h"

#include <QList>

class Database;

class ThrottleService
{
public:
    explicit ThrottleService(Database &db);

    Expected<QList<Throttle>> list(); // by pattern
    // Returns the throttle as stored (canonical pattern). At least one limit must be set.
    Expected<Throttle> add(const Throttle &throttle);
    // pattern as typed; NotFound when no throttle has it.
    Status remove(const QString &pattern);

    // The throttle in canonical form, or InvalidInput naming what is wrong with it.
    static Expected<Throttle> check(const Throttle &throttle);

private:
    Database &m_db;
};
