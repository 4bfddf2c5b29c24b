// The source addresses of outgoing connections (TMAIL_DELIVERD_LOCAL_IPS, a route's local IPs).
#pragma once

#include "core/expected.h"

#include <QHostAddress>
#include <QList>
#include <QString>

// Groups separated by '&' are tried in order (failover); inside a group, addresses
// separated by '|' are picked at random, weighted by repetition: "a|a|b&c".
struct LocalIpPolicy
{
    QList<QList<QHostAddress>> failoverGroups;

    // IPv4 or IPv6 addresses (IPv6 may be bracketed), blanks around each ignored.
    static Expected<LocalIpPolicy> parse(const QString &text);
};
