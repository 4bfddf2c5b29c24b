// Route matching and ordering for deliverd.
#include "deliverd/routeselector.h"

#include <algorithm>

#include <QRandomGenerator>

QList<Route> RouteSelector::select(
    const QList<Route> &routes, const QString &recipientDomain, const QString &senderDomain, const QString &authUser)
{
    QList<Route> matching;
    int bestSpecificity = -1;
    for (const Route &route : routes)
    {
        if (route.recipientDomain.name().compare(recipientDomain, Qt::CaseInsensitive) != 0)
        {
            continue;
        }
        if (!route.senderDomain.isEmpty() && route.senderDomain.compare(senderDomain, Qt::CaseInsensitive) != 0)
        {
            continue;
        }
        if (!route.authUser.isEmpty() && route.authUser.compare(authUser, Qt::CaseInsensitive) != 0)
        {
            continue;
        }
        const int specificity = (route.senderDomain.isEmpty() ? 0 : 1) + (route.authUser.isEmpty() ? 0 : 1);
        if (specificity > bestSpecificity)
        {
            matching.clear();
            bestSpecificity = specificity;
        }
        if (specificity == bestSpecificity)
        {
            matching.append(route);
        }
    }
    for (qsizetype i = matching.size() - 1; i > 0; --i)
    {
        std::swap(matching[i], matching[QRandomGenerator::global()->bounded(i + 1)]);
    }
    std::stable_sort(
        matching.begin(), matching.end(), [](const Route &a, const Route &b) { return a.priority < b.priority; });
    return matching;
}
