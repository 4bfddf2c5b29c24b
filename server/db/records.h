// Plain value types for the rows of tmail's tables, as the daemon, the CLI and
// the manager see them (never QSqlQuery).
#pragma once

#include "core/adminvalues.h"
#include "core/domain.h"
#include "core/iprange.h"
#include "core/mailaddress.h"

#include <QDateTime>
#include <QString>

struct RcptHost
{
    qint64 id = 0;
    Domain domain;
    bool isLocal = false; // -l: mail for it stays here (local delivery), else it is relayed
};

struct User
{
    qint64 id = 0;
    MailAddress login;
    QString passwordHash;
    bool mayRelay = true;
    QDateTime createdAt;
};

// An administrator of the remote manager (TMAIL_MANAGER_LISTEN).
struct Admin
{
    qint64 id = 0;
    QString name; // AdminValues::adminName
    AdminValues::AdminRole role = AdminValues::AdminRole::Viewer;
    QString passwordHash;
    QDateTime createdAt;
};

struct RelayIp
{
    qint64 id = 0;
    IpRange range;
};

struct Route
{
    qint64 id = 0;
    Domain recipientDomain;
    QString senderDomain; // empty: any sender
    QString authUser; // empty: any (or no) authenticated user
    QString remoteHost; // host name or IP of the next hop
    quint16 remotePort = 25;
    int priority = 1; // lower first; equal priorities share the load
    QString localIps; // TMAIL_DELIVERD_LOCAL_IPS syntax; empty: the global setting
    QString smtpUser; // credentials for AUTH PLAIN to the next hop
    QString smtpPassword;
    QString tls = QStringLiteral("opportunistic"); // AdminValues::routeTls: opportunistic|required|verify|dane
};

// Limits for one destination (`tmail throttle`): 0 for "the global setting"
// (TMAIL_DELIVERD_DEST_CONCURRENCY, TMAIL_DELIVERD_DEST_RATE).
struct Throttle
{
    qint64 id = 0;
    QString pattern; // a recipient domain, or "*.example.com" for MX hosts below it
    int concurrency = 0;
    int ratePerHour = 0;
};
