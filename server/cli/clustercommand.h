// `tmail nodes` (the nodes sharing this database, from their heartbeats) and
// `tmail store migrate --to database|disk` (StoreMigration, tmail stopped).
#pragma once

#include "config/config.h"
#include "core/expected.h"

#include <QString>
#include <QStringList>
#include <QTextStream>

#include <optional>

class Database;

class ClusterCommand
{
public:
    ClusterCommand(QTextStream &out, QTextStream &err, const QString &configPath);

    // args: what follows `nodes` or `store`. Returns the exit status: 0 done, 1 failure,
    // 2 bad input (nothing was changed).
    int runNodes(const QStringList &args);
    int runStore(const QStringList &args);

    static QString nodesUsage();
    static QString storeUsage();
    // The lines of `tmail --help`.
    static QString helpLines();

private:
    std::optional<Database> openDatabase();
    int usageError(const QString &message, const QString &usage);
    int failed(ErrorKind kind, const QString &message);

    QTextStream &m_out;
    QTextStream &m_err;
    QString m_configPath;
    std::optional<Config> m_config;
};
