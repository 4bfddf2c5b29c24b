// Where local domains are delivered over LMTP (RFC 2033): TMAIL_LMTP_TARGET.
#pragma once

#include "core/expected.h"

#include <QString>

struct LmtpTarget
{
    QString socketPath; // "unix:/path": an absolute path; empty for a TCP target
    QString host; // "host:port" or "[IPv6]:port": an IP address or a host name
    quint16 port = 0;

    bool isSet() const { return !socketPath.isEmpty() || port != 0; }
    bool isUnix() const { return !socketPath.isEmpty(); }
    // As written in the configuration ("unix:/run/dovecot/lmtp", "127.0.0.1:24").
    QString toString() const;

    // "unix:/absolute/path", "HOST:PORT" or "[IPv6]:PORT"; an empty text is no target.
    static Expected<LmtpTarget> parse(const QString &text);
};
