// One DNS resolver of TMAIL_DNS_SERVERS: "IP[:PORT]", "[IPv6]:PORT" with a port.
#pragma once

#include "core/expected.h"

#include <QHostAddress>
#include <QList>
#include <QString>

struct DnsServer
{
    QHostAddress address;
    quint16 port = 53;

    // "IP", "IP:PORT", "IPv6", "[IPv6]" or "[IPv6]:PORT" entries separated by ',', ';' or
    // blanks; an empty text is an empty list (the system's resolvers).
    static Expected<QList<DnsServer>> parseList(const QString &text);
};
