// Files that hold secrets (the configuration, the TLS key, the sqlite database, queued
// bodies) stay the daemon user's own: new files are made 0600 and directories 0700.
#pragma once

#include <QString>
#include <QStringList>

class SecretFiles
{
public:
    // umask 077 for this process: whatever the shell's umask, every file tmail creates
    // (sqlite database and journal, store bodies and directories, log) is private.
    static void restrictNewFiles();

    // One line per file that exists and can be read by others than the user tmail
    // runs as: world-readable, or group-readable with a group other than tmail's own
    // (root:tmail 0640, the service's config, is fine). Missing files are skipped.
    static QStringList exposedWarnings(const QStringList &paths);
};
