// After the command line changed the database, the running daemon applies the change before
// the command returns: "sync" on the manager socket (docs/manager-protocol.md) answers once
// smtpd has read the database again. A daemon that cannot be reached (not running, a socket
// this user may not open) finds the change at its next poll of the change serial, within a
// second, so a failed sync is not an error.
#pragma once

#include <QString>

namespace DaemonSync {

// True when the daemon answered within timeoutMs. change names what was changed, for the
// daemon's log ("rcpthost add example.com"); it must hold no secret.
bool run(const QString &socketName, const QString &change, int timeoutMs);

} // namespace DaemonSync
