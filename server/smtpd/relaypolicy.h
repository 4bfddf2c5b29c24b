// An immutable snapshot of who may receive mail here (rcpthosts) and who may relay
// (relay IPs), published by the database worker and read by every session.
#pragma once

#include "core/domain.h"
#include "core/iprange.h"

#include <QHostAddress>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

class RelayPolicy
{
public:
    RelayPolicy() = default;
    RelayPolicy(const QList<Domain> &rcptHosts, const QList<IpRange> &relayIps);

    bool isRcptHost(const Domain &domain) const;
    bool isRelayIp(const QHostAddress &address) const;

    // A recipient is accepted when its domain is a rcpthost, the client is a relay IP,
    // or the client authenticated as a user allowed to relay.
    bool allows(const Domain &recipientDomain, const QHostAddress &client, bool authenticatedMayRelay) const;

    qsizetype rcptHostCount() const { return m_rcptHosts.size(); }

    // The rcpthosts added with -l (delivered here, over LMTP) and the users' logins, for
    // the recipient check of TMAIL_LMTP_VERIFY=users.
    void setLocal(const QList<Domain> &localDomains, const QStringList &userLogins);
    bool isLocalDomain(const Domain &domain) const;
    bool isUser(const QString &address) const;

private:
    QSet<QString> m_localDomains; // lower case
    QSet<QString> m_users; // lower case
    QSet<QString> m_rcptHosts; // lower case
    QList<IpRange> m_relayIps;
};
