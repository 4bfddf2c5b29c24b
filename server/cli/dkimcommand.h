// `tmail dkim add|dns|list|del|rotate|check`: parses the arguments, then calls DkimService,
// the same functions the manager server calls.
#pragma once

#include "config/config.h"

#include <QString>
#include <QStringList>
#include <QTextStream>

#include <optional>

class Database;

class DkimCommand
{
public:
    DkimCommand(QTextStream &out, QTextStream &err, const QString &configPath);

    // args: what follows `dkim`. Returns the exit status: 0 done, 1 failure, 2 bad input
    // (nothing was changed).
    int run(const QStringList &args);

    static QString usage();
    // The line of `tmail --help`.
    static QString helpLine();

private:
    std::optional<Database> openDatabase();
    int usageError(const QString &message);
    int failed(ErrorKind kind, const QString &message);

    QTextStream &m_out;
    QTextStream &m_err;
    QString m_configPath;
    std::optional<Config> m_config;
};
