// One smtpd listener of TMAIL_SMTPD_DSNS: "IP:PORT:SSL", IPv6 as "[::1]:2525:false".
#pragma once

#include "core/expected.h"

#include <QHostAddress>
#include <QList>
#include <QString>

struct ListenerDsn
{
    QHostAddress address;
    quint16 port = 0;
    bool implicitTls = false; // true: TLS from the first byte; false: clear with STARTTLS

    // One "IP:PORT:SSL" entry; SSL is true or false (also yes/no, 1/0).
    static Expected<ListenerDsn> parse(const QString &entry);
    // Entries separated by ',' or ';', at least one, no address and port twice.
    static Expected<QList<ListenerDsn>> parseList(const QString &text);
    QString toString() const; // "127.0.0.1:2525" / "[::1]:2525"
};
