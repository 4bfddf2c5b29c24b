// The `tmail COMMAND …` command line: parses arguments, validates them into value
// types before anything is opened, then edits the database through the table classes.
#pragma once

#include "config/config.h"
#include "core/expected.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <optional>

class Database;

class CommandLine
{
public:
    enum ExitCode { Ok = 0, Failure = 1, BadUsage = 2 };

    CommandLine(QTextStream &out, QTextStream &err);

    // args: the arguments after the program name and the global options
    // (--config FILE is passed separately). Returns the process exit code.
    int run(const QStringList &args, const QString &configPath);

    static QString globalHelp();

private:
    struct Parsed
    {
        QStringList positional;
        QHash<QString, QString> options; // flag options map to "1"
    };
    // valued: options that take a value ("-d"); flags: options without one ("-l").
    std::optional<Parsed> parse(const QStringList &args, const QStringList &valued, const QStringList &flags,
                                const QString &usage);

    int runDb(const QStringList &args);
    int runRcptHost(const QStringList &args);
    int runUser(const QStringList &args);
    int runRelayIp(const QStringList &args);
    int runRoutes(const QStringList &args);
    int runQueue(const QStringList &args);
    int runSmtpdAliases(const QStringList &args);

    // Loads the configuration and opens the database; the schema must be current
    // unless allowOldSchema. Prints the reason and returns nullopt on failure.
    std::optional<Database> openDatabase(bool allowOldSchema = false);

    // `… list`: every row of Table as one line of a text table.
    template<typename Table, typename Record>
    int printTable(const QStringList &headers, QStringList (*cells)(const Record &));

    int usageError(const QString &message, const QString &usage);
    int failure(const QString &message);
    bool wantsHelp(const QStringList &args, const QString &help);

    QTextStream &m_out;
    QTextStream &m_err;
    QString m_configPath;
    std::optional<Config> m_config;
};
