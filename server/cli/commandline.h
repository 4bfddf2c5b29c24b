// The `tmail COMMAND …` command line: parses arguments into value types, then calls the
// admin services (server/admin, server/queue) that the manager server calls too.
#pragma once

#include "config/config.h"
#include "core/expected.h"
#include "db/database.h"
#include "queue/queueactions.h"

#include <QDate>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <optional>

class CommandLine
{
public:
    enum ExitCode
    {
        Ok = 0,
        Failure = 1,
        BadUsage = 2
    };
    // The exit status of a command that failed with kind: BadUsage when the arguments
    // were at fault (nothing was changed), Failure otherwise. The one place they meet.
    static int exitStatusFor(ErrorKind kind);

    CommandLine(QTextStream &out, QTextStream &err);

    // args: the arguments after the program name and the global options
    // (--config FILE is passed separately). Returns the process exit code. A change of
    // what smtpd reads is in force in the running daemon when this returns, when the
    // daemon can be reached on its manager socket (see DaemonSync).
    int run(const QStringList &args, const QString &configPath);

    static QString globalHelp();

private:
    struct Parsed
    {
        QStringList positional;
        QHash<QString, QString> options; // flag options map to "1"
    };
    // valued: options that take a value ("-d"); flags: options without one ("-l").
    std::optional<Parsed> parse(
        const QStringList &args, const QStringList &valued, const QStringList &flags, const QString &usage);

    int dispatch(const QStringList &args, const QString &configPath);
    int runDb(const QStringList &args);
    int runRcptHost(const QStringList &args);
    int runUser(const QStringList &args);
    int runRelayIp(const QStringList &args);
    int runAdmin(const QStringList &args);
    int runRoutes(const QStringList &args);
    int runThrottle(const QStringList &args);
    // `routes test` and `tls check`: the next hops of a destination (DeliveryPlan).
    int runRoutesTest(const QStringList &args);
    int runTls(const QStringList &args);
    int runTlsReport(const QStringList &operands, const QHash<QString, QString> &options);
    int sendTlsReports(Database &db, const QString &onlyDomain, const QDate &day);
    int printPlan(const QString &domain, const QString &senderDomain, const QString &authUser, bool connect = false);
    int runQueue(const QStringList &args);
    int printQueueList(QueueActions &queue, const QueueFilter &filter, bool wide);
    int printQueueShape(QueueActions &queue);
    int failUnknownId(const Expected<QueuedMessage> &found);
    // contentOnly: the headers and/or body without the envelope summary.
    int printQueuedMessage(QueueActions &queue, const QString &id, bool headers, bool body, bool contentOnly);
    int runSmtpdAliases(const QStringList &args);

    // Loads the configuration and opens the database; the schema must be current
    // unless allowOldSchema. Failures are Unavailable (exit status 1).
    Expected<Database> openDatabase(bool allowOldSchema = false);

    // `… list`: every row Service lists as one line of a text table.
    template <typename Service, typename Record>
    int printTable(const QStringList &headers, QStringList (*cells)(const Record &));

    // Prints the failure (with usage when the input was at fault) and returns its exit status.
    int fail(const Status &failed, const QString &usage);
    template <typename T> int fail(const Expected<T> &failed, const QString &usage)
    {
        return fail(Status::failure(failed), usage);
    }
    int usageError(const QString &message, const QString &usage);
    bool wantsHelp(const QStringList &args, const QString &help);
    // A password left off the command line: one line of stdin when fromStdin, else asked
    // twice at the terminal. nullopt once the failure is printed and *exitCode set (2 when
    // there is no terminal to ask at, with usage).
    std::optional<QString> readPassword(bool fromStdin, const QString &prompt, const QString &usage, int *exitCode);

    QTextStream &m_out;
    QTextStream &m_err;
    QString m_configPath;
    std::optional<Config> m_config;
    // What a queue action changed, for the daemon's log (empty: nothing changed).
    QString m_change;
};
