// dkim.list / add / rotate / delete / dns / check for tmail-manager.
#include "managerserver/dkimrequests.h"

#include "admin/dkimservice.h"

#include <QDateTime>
#include <QJsonArray>

using ManagerProtocol::ErrorCode;
using ManagerProtocol::Response;
namespace Method = ManagerProtocol::Method;

namespace {

Response failureFor(qint64 id, ErrorKind kind, const QString &message, const QString &field = QString())
{
    switch (kind)
    {
    case ErrorKind::InvalidInput:
        return Response::failure(id, ErrorCode::InvalidParam, message, field);
    case ErrorKind::NotFound:
        return Response::failure(id, ErrorCode::NotFound, message);
    case ErrorKind::AlreadyExists:
        return Response::failure(id, ErrorCode::AlreadyExists, message);
    case ErrorKind::Unavailable:
        return Response::failure(id, ErrorCode::Database, message);
    default:
        return Response::failure(id, ErrorCode::Internal, message);
    }
}

QJsonObject keyJson(const DkimKey &key)
{
    return {
        { QStringLiteral("domain"), key.domain },
        { QStringLiteral("selector"), key.selector },
        { QStringLiteral("algorithm"), key.algorithm },
        { QStringLiteral("bits"), key.bits },
        { QStringLiteral("createdAt"), QDateTime::fromMSecsSinceEpoch(key.createdAtMs, Qt::UTC).toString(Qt::ISODate) },
        { QStringLiteral("active"), key.active },
    };
}

QJsonArray keysJson(const QList<DkimKey> &keys)
{
    QJsonArray items;
    for (const DkimKey &key : keys)
        items.append(keyJson(key));
    return items;
}

} // namespace

namespace DkimRequests {

bool isReadOnly(const QString &method)
{
    return method == Method::DkimList || method == Method::DkimDns || method == Method::DkimCheck;
}

Response handle(Database &db, const Config &config, qint64 id, const QString &method, const QJsonObject &params)
{
    DkimService service(db);
    if (method == Method::DkimList)
    {
        const Expected<QList<DkimKey>> keys = service.list();
        if (!keys)
            return failureFor(id, keys.kind(), keys.error());
        return Response::success(id, QJsonObject { { QStringLiteral("items"), keysJson(keys.value()) } });
    }
    const QJsonValue domainValue = params.value(QStringLiteral("domain"));
    if (!domainValue.isString())
        return Response::failure(
            id, ErrorCode::InvalidParam, QStringLiteral("domain must be a string"), QStringLiteral("domain"));
    const QString domain = domainValue.toString();
    const QString selector = params.value(QStringLiteral("selector")).toString();
    if (method == Method::DkimAdd)
    {
        const QString algorithm = params.value(QStringLiteral("algorithm")).toString(QStringLiteral("both"));
        const int bits = params.value(QStringLiteral("bits")).toInt(2048);
        const Expected<QList<DkimKey>> keys = service.add(domain, selector, algorithm, bits);
        if (!keys)
            return failureFor(id, keys.kind(), keys.error(), QStringLiteral("domain"));
        return Response::success(id, QJsonObject { { QStringLiteral("items"), keysJson(keys.value()) } });
    }
    if (method == Method::DkimRotate)
    {
        const Expected<QList<DkimKey>> keys = service.rotate(domain);
        if (!keys)
            return failureFor(id, keys.kind(), keys.error(), QStringLiteral("domain"));
        return Response::success(id, QJsonObject { { QStringLiteral("items"), keysJson(keys.value()) } });
    }
    if (method == Method::DkimDelete)
    {
        const Status removed = service.remove(domain, selector);
        if (!removed)
            return failureFor(id, removed.kind(), removed.error(), QStringLiteral("selector"));
        return Response::success(id);
    }
    if (method == Method::DkimDns)
    {
        const Expected<QStringList> records = service.dnsRecords(domain);
        if (!records)
            return failureFor(id, records.kind(), records.error(), QStringLiteral("domain"));
        return Response::success(
            id, QJsonObject { { QStringLiteral("records"), QJsonArray::fromStringList(records.value()) } });
    }
    if (method == Method::DkimCheck)
    {
        const Expected<QList<DkimDnsCheck>> checks = service.check(domain, config.dnsServers);
        if (!checks)
            return failureFor(id, checks.kind(), checks.error(), QStringLiteral("domain"));
        QJsonArray items;
        for (const DkimDnsCheck &check : checks.value())
        {
            items.append(QJsonObject {
                { QStringLiteral("selector"), check.selector },
                { QStringLiteral("algorithm"), check.algorithm },
                { QStringLiteral("state"), DkimDnsCheck::stateName(check.state) },
                { QStringLiteral("detail"), check.detail },
            });
        }
        return Response::success(id, QJsonObject { { QStringLiteral("items"), items } });
    }
    return Response::failure(id, ErrorCode::UnknownMethod, QStringLiteral("unknown method %1").arg(method));
}

} // namespace DkimRequests
