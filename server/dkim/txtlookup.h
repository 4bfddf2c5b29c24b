// A blocking TXT lookup through c-ares, for `tmail dkim check` (the command line and the
// manager server's worker thread, never an event loop that serves mail).
#pragma once

#include "config/config.h"

#include <QByteArray>
#include <QList>
#include <QString>

struct TxtLookup
{
    enum class Outcome
    {
        Found, // records holds each TXT record, its strings joined
        NotFound, // NXDOMAIN or no TXT record
        Temporary // SERVFAIL, timeout…
    };
    Outcome outcome = Outcome::Temporary;
    QList<QByteArray> records;
    QString error;

    // servers: empty = the system's resolvers.
    static TxtLookup run(const QString &name, const QList<DnsServer> &servers, int timeoutMs = 5000);
};
