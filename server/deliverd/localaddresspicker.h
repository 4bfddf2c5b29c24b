// Picks the source address of an outgoing connection from a LocalIpPolicy
// (TMAIL_DELIVERD_LOCAL_IPS or a route's own list).
#pragma once

#include "config/config.h"

#include <QAbstractSocket>
#include <QHostAddress>

class LocalAddressPicker
{
public:
    explicit LocalAddressPicker(LocalIpPolicy policy = {});

    // How many '&' failover groups there are (at least 1).
    int groupCount() const;
    // A random address of group `group` (weighted by repetition) of the target's family.
    // A null address means "do not bind": 0.0.0.0/::, no policy, or no address of that family.
    QHostAddress pick(int group, QAbstractSocket::NetworkLayerProtocol family) const;

private:
    LocalIpPolicy m_policy;
};
