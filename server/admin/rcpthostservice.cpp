// See rcpthostservice.h.
#include "admin/rcpthostservice.h"

#include "db/tables.h"

RcptHostService::RcptHostService(Database &db) : m_db(db) { }

Expected<QList<RcptHost>> RcptHostService::list()
{
    return RcptHostTable(m_db).list();
}

Status RcptHostService::add(const Domain &domain, bool isLocal)
{
    if (domain.isEmpty())
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("empty domain"));
    return RcptHostTable(m_db).add(domain, isLocal);
}

Status RcptHostService::remove(const Domain &domain)
{
    return RcptHostTable(m_db).remove(domain);
}
