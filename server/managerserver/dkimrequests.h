// The manager's dkim.* methods: JSON in and out around DkimService, the functions the
// command line calls too. Replies carry public keys and DNS records, never a private key.
#pragma once

#include "config/config.h"
#include "db/database.h"
#include "manager/managerprotocol.h"

#include <QJsonObject>

namespace DkimRequests {
// dkim.list, dkim.dns and dkim.check change nothing.
bool isReadOnly(const QString &method);
// Runs on the manager's database worker thread (dkim.check waits for DNS there).
ManagerProtocol::Response handle(
    Database &db, const Config &config, qint64 id, const QString &method, const QJsonObject &params);
} // namespace DkimRequests
