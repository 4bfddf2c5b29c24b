// Chooses the routes that carry a recipient domain's mail instead of its MX.
#pragma once

#include "db/records.h"

#include <QList>
#include <QString>

class RouteSelector
{
public:
    // The routes for recipientDomain, given the message's sender domain and authenticated
    // user. Routes naming a sender domain or user that match beat generic ones; the result
    // is ordered by priority (lowest first), equal priorities in random order (load sharing).
    // Empty: no route, use the MX.
    static QList<Route> select(const QList<Route> &routes, const QString &recipientDomain, const QString &senderDomain,
        const QString &authUser);
};
