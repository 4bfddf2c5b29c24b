// What a reload (SIGHUP, or config.set through the manager) did with each setting that
// differs from the running one: applied at once, left for a restart, or refused.
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

struct ConfigReload
{
    QString error; // not empty: nothing was applied (unreadable or invalid configuration)
    QString source; // what was read
    QStringList applied; // live settings now in effect
    QStringList restart; // restart-only settings that differ from the running ones
    QHash<QString, QString> failed; // live settings that could not be applied, and why (running value kept)

    bool ok() const { return error.isEmpty(); }
};
