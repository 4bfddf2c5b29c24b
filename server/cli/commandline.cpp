// tmail's command line: db, rcpthost, user, relayip, routes, queue and the older
// `smtpd addRcpthost|delRcpthost|addUser|delUser` spellings.
#include "cli/commandline.h"

#include "cli/commanddatabase.h"

#include "admin/adminservice.h"
#include "admin/rcpthostservice.h"
#include "admin/relayipservice.h"
#include "admin/routeservice.h"
#include "admin/throttleservice.h"
#include "admin/userservice.h"
#include "app/service.h"
#include "cli/clustercommand.h"
#include "cli/configcommand.h"
#include "cli/daemonsync.h"
#include "cli/deliveryplan.h"
#include "cli/dkimcommand.h"
#include "cli/passwordinput.h"
#include "cli/sendmailcommand.h"
#include "cli/texttable.h"
#include "config/configfile.h"
#include "core/adminvalues.h"
#include "core/mailaddress.h"
#include "core/timestamp.h"
#include "db/database.h"
#include "db/secretbox.h"
#include "db/tlsreporttable.h"
#include "deliverd/dnsresolver.h"
#include "deliverd/mtastsfetcher.h"
#include "deliverd/routeselector.h"
#include "queue/queueactions.h"
#include "queue/tlsreportsender.h"

#include <QDateTime>
#include <QEventLoop>
#include <QMap>
#include <QTimer>

#include <algorithm>
#include <optional>

namespace {

const QString DbUsage = QStringLiteral("Usage: tmail db init\n"
                                       "  init   create the tables, or upgrade them to this version's schema\n");

const QString ThrottleUsage
    = QStringLiteral("Usage: tmail throttle add -d PATTERN [--concurrency N] [--rate N/m|N/h] | del -d PATTERN | list\n"
                     "  PATTERN      a recipient domain (example.com) or an MX host pattern (*.google.com)\n"
                     "  --concurrency N   sessions at once to that destination (1-100000)\n"
                     "  --rate N/m|N/h    messages per minute or per hour to that destination\n"
                     "  Without one of them the global TMAIL_DELIVERD_DEST_CONCURRENCY or\n"
                     "  TMAIL_DELIVERD_DEST_RATE applies.\n");
const QString RcptHostUsage
    = QStringLiteral("Usage: tmail rcpthost add [-l] DOMAIN | del DOMAIN | list\n"
                     "  add DOMAIN   accept mail for DOMAIN from anyone (-l: the domain is local)\n"
                     "  del DOMAIN   stop accepting mail for DOMAIN\n"
                     "  list         show the accepted domains\n");

const QString AdminUsage
    = QStringLiteral("Usage: tmail admin add NAME --role viewer|operator|admin [--password-stdin]\n"
                     "       tmail admin del NAME | list | passwd [--password-stdin] NAME\n"
                     "  Administrators of the remote manager (TMAIL_MANAGER_LISTEN); the local manager\n"
                     "  socket needs none.\n"
                     "  add NAME       create an administrator with a role:\n"
                     "                   viewer    reads everything except secrets\n"
                     "                   operator  also acts on the queue and changes domains, users,\n"
                     "                             relay IPs, routes and DKIM keys\n"
                     "                   admin     also changes the configuration\n"
                     "  del NAME       delete the administrator\n"
                     "  list           show the administrators and their roles\n"
                     "  passwd NAME    set a new password\n"
                     "  NAME: letters a-z, digits, '.', '_' and '-'. The password (at least 8 characters)\n"
                     "  is asked twice at the terminal, without echo, or read as one line of standard\n"
                     "  input with --password-stdin; never from the arguments.\n");

const QString UserUsage
    = QStringLiteral("Usage: tmail user add [-r|--no-relay] [--password-stdin] EMAIL | del EMAIL | list\n"
                     "       tmail user passwd [--password-stdin] EMAIL\n"
                     "  add EMAIL      create an SMTP AUTH user; -r (the default): once authenticated\n"
                     "                 it may relay to any domain; --no-relay: only to rcpthosts\n"
                     "  del EMAIL      delete the user\n"
                     "  list           show the users\n"
                     "  passwd EMAIL   set a new password\n"
                     "  The password is asked twice at the terminal, without echo, or read as one line of\n"
                     "  standard input with --password-stdin. `add EMAIL PASSWORD` and `passwd EMAIL PASSWORD`\n"
                     "  still work, but show the password to every local user (ps).\n");

const QString RelayIpUsage
    = QStringLiteral("Usage: tmail relayip add IP|CIDR | del IP|CIDR | list\n"
                     "  add IP|CIDR   let clients from this address or block relay to any domain\n"
                     "  del IP|CIDR   remove it\n"
                     "  list          show the relay addresses\n");

const QString RoutesUsage
    = QStringLiteral("Usage: tmail routes add -d DOMAIN -rh HOST [-rp PORT] [-p PRIORITY] [-l LOCALIPS]\n"
                     "                        [-u USER [--password-stdin]] [-s SENDERDOMAIN] [-a AUTHUSER]\n"
                     "                        [--tls opportunistic|required|verify|dane]\n"
                     "       tmail routes del ID | list\n"
                     "  -d DOMAIN        recipient domain the route applies to\n"
                     "  -rh HOST         remote host (name or IP) to deliver to instead of the MX\n"
                     "  -rp PORT         remote port (default 25)\n"
                     "  -p PRIORITY      lower is tried first; equal priorities share the load (default 1)\n"
                     "  -l LOCALIPS      source addresses, TMAIL_DELIVERD_LOCAL_IPS syntax (a|b, a&b)\n"
                     "  -u USER          AUTH PLAIN user for the remote host; its password is asked twice at\n"
                     "                   the terminal, or read from standard input with --password-stdin\n"
                     "                   (-pw PASSWORD still works, but shows it to every local user)\n"
                     "  -s SENDERDOMAIN  only for mail from this sender domain\n"
                     "  -a AUTHUSER      only for mail submitted by this authenticated user\n"
                     "  --tls POLICY     TLS towards the remote host: opportunistic (default: STARTTLS when\n"
                     "                   offered, as TMAIL_DELIVERD_REMOTE_TLS_* say), required (STARTTLS or\n"
                     "                   defer, any certificate), verify (STARTTLS with a certificate valid\n"
                     "                   for HOST from the system CAs or TMAIL_DELIVERD_TLS_CA_FILE), dane\n"
                     "                   (the certificate must match HOST's DNSSEC-signed TLSA records;\n"
                     "                   without usable ones the mail is deferred)\n");

const QString RoutesTestUsage
    = QStringLiteral("Usage: tmail routes test ADDRESS [--sender ADDRESS] [--user LOGIN]\n"
                     "  The routes or MX hosts deliverd would try for mail to ADDRESS, in order, with the\n"
                     "  TLS each must have (DANE, MTA-STS), looked up as deliverd does; nothing is sent.\n"
                     "  --sender ADDRESS  the envelope sender (routes limited to a sender domain)\n"
                     "  --user LOGIN      the authenticated user (routes limited to a user)\n"
                     "  Exit status 0 when a next hop would be tried, 1 when none would.\n");

const QString TlsUsage
    = QStringLiteral("Usage: tmail tls check DOMAIN [--connect]\n"
                     "       tmail tls report [DOMAIN] [--day YYYY-MM-DD] [--send]\n"
                     "  The TLS policy of mail to DOMAIN, per next host: DNSSEC status of the MX and\n"
                     "  addresses, DANE TLSA records, the MTA-STS policy (cached by deliverd, else fetched\n"
                     "  now), and the result: dane, mta-sts, encrypt or opportunistic. Nothing is sent.\n"
                     "  --connect  also a real STARTTLS handshake to each address of each host: protocol,\n"
                     "             cipher, certificate subject and whether the policy is met (then QUIT)\n"
                     "  Exit status 0 when the policy can be met by a host, 1 when not.\n"
                     "  report     TLS sessions to MX hosts counted per policy domain for a UTC day (default\n"
                     "             today): successes and failures by RFC 8460 result type\n"
                     "  --send     queue the RFC 8460 report of each domain that publishes a mailto: rua in\n"
                     "             _smtp._tls.DOMAIN, once per domain and day (default day: yesterday);\n"
                     "             the daemon does this by itself for the previous day\n");

// How long `routes test` and `tls check` wait for DNS and the MTA-STS policy.
constexpr int PlanTimeoutMs = 60000;
// How long `tls check --connect` waits for each address's STARTTLS handshake.
constexpr int ProbeTimeoutMs = 15000;

const QString QueueUsage
    = QStringLiteral("Usage: tmail queue list [--wide] [FILTER…] | show ID [--headers|--body] | summary\n"
                     "       tmail queue retry|bounce|discard|hold|release ID… | --all | FILTER… [--dry-run]\n"
                     "  list           one line per message: short ID, age, status, sender, recipients,\n"
                     "                 attempts, last error (cut with …); --wide: everything, whole\n"
                     "  show ID        one message: envelope, recipients, then its headers and body\n"
                     "                 (--headers or --body: only that part, as stored)\n"
                     "  summary        pending recipients by domain and age in minutes (as Postfix's qshape)\n"
                     "  retry          try again now (a held message: once released)\n"
                     "  bounce         give up and bounce to the sender\n"
                     "  discard        delete without notice\n"
                     "  hold           keep queued, never tried, until released\n"
                     "  release        let deliverd try a held message again\n"
                     "  ID             a message ID, or its first digits (at least 8) when no other message\n"
                     "                 starts with them\n"
                     "  FILTER         --domain D       a pending recipient in D (*.D: its subdomains)\n"
                     "                 --sender S       sender address, <> or domain (*.D)\n"
                     "                 --older-than T   queued at least T ago (90s, 30m, 2h, 7d)\n"
                     "                 --status S       queued, deferred, active or held\n"
                     "  --dry-run      print the messages an action would touch, and change nothing\n"
                     "  Bad input (unknown ID, bad filter) exits with status 2 and touches nothing.\n");

const QString SmtpdUsage = QStringLiteral(
    "Usage: tmail smtpd addRcpthost DOMAIN | delRcpthost DOMAIN | addUser [--password-stdin] EMAIL | delUser EMAIL\n"
    "  The original spellings of rcpthost add/del and user add/del (addUser EMAIL PASSWORD still works).\n");

QString yesNo(bool value)
{
    return value ? QStringLiteral("yes") : QStringLiteral("no");
}

QString formatMs(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    return formatTimestampMs(ms);
}

} // namespace

CommandLine::CommandLine(QTextStream &out, QTextStream &err) : m_out(out), m_err(err) { }

// Every setting with its default and description, from the registry tmail.cfg.base follows.
static QString settingsHelp()
{
    constexpr ConfigVariable::Language English = ConfigVariable::Language::English;
    QString help
        = QStringLiteral("\nSettings (environment variables, or lines of tmail.cfg; * = a reload applies it):\n");
    for (const ConfigVariable &variable : ConfigRegistry::variables())
    {
        help += QStringLiteral("  %1=%2%3\n      %4\n")
                    .arg(variable.name, ConfigFile::quote(variable.defaultValue),
                        variable.live ? QStringLiteral(" *") : QString(),
                        QStringList { variable.description(English), variable.accepted(English) }
                            .join(QLatin1Char(' '))
                            .trimmed());
    }
    return help;
}

QString CommandLine::globalHelp()
{
    return QStringLiteral(
               "Usage: tmail [--config FILE] [COMMAND …]\n"
               "\n"
               "Without a command, tmail runs the mail server in the foreground.\n"
               "Settings come from --config FILE when given (TMAIL_* variables of the environment\n"
               "win over its lines), else from the environment when TMAIL_ME is set, else from\n"
               "conf/tmail.cfg beside the binary.\n"
               "\n"
               "Commands:\n"
               "  db init                                  create or upgrade the database tables\n"
               "  rcpthost add [-l] DOMAIN | del | list    domains tmail accepts mail for\n"
               "  user add EMAIL | del | list | passwd EMAIL      SMTP AUTH users\n"
               "  admin add NAME --role R | del | list | passwd    remote manager administrators\n"
               "  relayip add IP|CIDR | del | list         clients allowed to relay\n"
               "  routes add -d DOMAIN -rh HOST … | del ID | list   static routes\n"
               "  routes test ADDRESS [--sender S] [--user U]      where mail to ADDRESS would go\n"
               "  throttle add -d PATTERN [--concurrency N] [--rate N/m|N/h] | del | list  limits per destination\n"
               "  tls check DOMAIN                         the TLS policy (DANE, MTA-STS) of DOMAIN\n"
               "  queue list | show | summary | retry | bounce | discard | hold | release   the queue\n"
               "  smtpd addRcpthost|delRcpthost|addUser|delUser    the original spellings\n"
               "  config check [FILE] | show [--all]        validate or print the settings\n")
        + DkimCommand::helpLine() + ClusterCommand::helpLines()
        + QStringLiteral(
            "  service install [--dry-run] | uninstall | status  run tmail as a system service\n"
            "  sendmail [-t] [-i] [-f SENDER] [RCPT...]         submit a message from stdin (sysexits codes)\n"
            "\n"
            "Options:\n"
            "  --config FILE   read settings from FILE\n"
            "  --help          this help; `tmail COMMAND --help` for a command\n"
            "  --version       print the version\n"
            "\n"
            "Exit status: 0 done, 1 failure, 2 bad usage or input (nothing was changed).\n")
        + settingsHelp();
}

namespace {

// How long a command waits for the daemon to apply its change (DaemonSync).
constexpr int SyncTimeoutMs = 5000;

// The arguments of a command: its words (command, subcommand, operands) and -d's domain,
// options and their values left out.
struct Words
{
    QStringList positional;
    QString domain;
};

Words wordsOf(const QStringList &args)
{
    // The options that take a value, per command (rcpthost's -l is a flag, routes' a value).
    static const QStringList routeValued = { QStringLiteral("-d"), QStringLiteral("-rh"), QStringLiteral("-rp"),
        QStringLiteral("-p"), QStringLiteral("-l"), QStringLiteral("-u"), QStringLiteral("-pw"), QStringLiteral("-s"),
        QStringLiteral("-a"), QStringLiteral("--tls") };
    static const QStringList dkimValued = { QStringLiteral("-s"), QStringLiteral("-a"), QStringLiteral("--bits") };
    static const QStringList throttleValued
        = { QStringLiteral("-d"), QStringLiteral("--concurrency"), QStringLiteral("--rate") };
    static const QStringList adminValued = { QStringLiteral("--role") };
    const QString command = args.value(0);
    const QStringList valued = command.startsWith(QLatin1String("route")) ? routeValued
        : command == QLatin1String("dkim")                                ? dkimValued
        : command.startsWith(QLatin1String("throttle"))                   ? throttleValued
        : command == QLatin1String("admin")                               ? adminValued
                                                                          : QStringList();
    Words words;
    for (int i = 0; i < args.size(); ++i)
    {
        const QString &arg = args.at(i);
        if (arg == QLatin1String("-d") && i + 1 < args.size())
            words.domain = args.at(i + 1);
        if (valued.contains(arg))
            ++i;
        else if (!arg.startsWith(QLatin1Char('-')))
            words.positional.append(arg);
    }
    return words;
}

// Commands that change what tmail keeps (domains, users, relay IPs, routes, DKIM keys, the
// queue): the running daemon applies the change before the command returns, and logs it.
bool isChange(const QStringList &args)
{
    static const QStringList commands = { QStringLiteral("rcpthost"), QStringLiteral("rcpthosts"),
        QStringLiteral("user"), QStringLiteral("users"), QStringLiteral("relayip"), QStringLiteral("relayips"),
        QStringLiteral("routes"), QStringLiteral("route"), QStringLiteral("smtpd"), QStringLiteral("dkim"),
        QStringLiteral("queue"), QStringLiteral("throttle"), QStringLiteral("admin") };
    static const QStringList readOnly = { QStringLiteral("list"), QStringLiteral("show"), QStringLiteral("test"),
        QStringLiteral("dns"), QStringLiteral("check") };
    const Words words = wordsOf(args);
    return commands.contains(words.positional.value(0)) && words.positional.size() >= 2
        && !readOnly.contains(words.positional.at(1));
}

// What the daemon's log says of a change: the command, its subcommand and what it acts on
// (a domain, an address, a range, an id), never a password.
QString describeChange(const QStringList &args)
{
    const Words words = wordsOf(args);
    QStringList said = words.positional.mid(0, 3);
    if (!words.domain.isEmpty())
        said.append(words.domain);
    return said.join(QLatin1Char(' '));
}

} // namespace

int CommandLine::run(const QStringList &args, const QString &configPath)
{
    const int status = dispatch(args, configPath);
    const bool queueCommand = args.value(0) == QLatin1String("queue");
    if (status == Ok && (queueCommand ? !m_change.isEmpty() : isChange(args)))
    {
        if (!m_config)
        {
            Expected<Config> config = Config::load(m_configPath);
            if (config)
                m_config = std::move(config).value();
        }
        if (m_config)
            DaemonSync::run(m_config->managerSocket, queueCommand ? m_change : describeChange(args), SyncTimeoutMs);
    }
    return status;
}

int CommandLine::dispatch(const QStringList &args, const QString &configPath)
{
    m_configPath = configPath;
    const QString command = args.value(0);
    const QStringList rest = args.mid(1);
    if (command == QLatin1String("db"))
        return runDb(rest);
    if (command == QLatin1String("rcpthost") || command == QLatin1String("rcpthosts"))
        return runRcptHost(rest);
    if (command == QLatin1String("user") || command == QLatin1String("users"))
        return runUser(rest);
    if (command == QLatin1String("relayip") || command == QLatin1String("relayips"))
        return runRelayIp(rest);
    if (command == QLatin1String("admin"))
        return runAdmin(rest);
    if (command == QLatin1String("routes") || command == QLatin1String("route"))
        return runRoutes(rest);
    if (command == QLatin1String("queue"))
        return runQueue(rest);
    if (command == QLatin1String("throttle") || command == QLatin1String("throttles"))
        return runThrottle(rest);
    if (command == QLatin1String("smtpd"))
        return runSmtpdAliases(rest);
    if (command == QLatin1String("tls"))
        return runTls(rest);
    if (command == QLatin1String("config"))
        return ConfigCommand(m_out, m_err, configPath).run(rest);
    if (command == QLatin1String("dkim"))
        return DkimCommand(m_out, m_err, configPath).run(rest);
    if (command == QLatin1String("service")) // systemd / launchd / SCM registration
        return Service(m_out, m_err).run(rest, configPath);
    if (command == QLatin1String("sendmail"))
        return SendmailCommand(m_out, m_err).run(rest, configPath);
    if (command == QLatin1String("nodes"))
        return ClusterCommand(m_out, m_err, configPath).runNodes(rest);
    if (command == QLatin1String("store"))
        return ClusterCommand(m_out, m_err, configPath).runStore(rest);
    return usageError(QStringLiteral("unknown command '%1'").arg(command), globalHelp());
}

std::optional<CommandLine::Parsed> CommandLine::parse(
    const QStringList &args, const QStringList &valued, const QStringList &flags, const QString &usage)
{
    Parsed parsed;
    for (int i = 0; i < args.size(); ++i)
    {
        const QString &arg = args.at(i);
        if (arg == QLatin1String("--"))
        {
            parsed.positional += args.mid(i + 1);
            break;
        }
        if (arg.startsWith(QLatin1Char('-')) && arg.size() > 1)
        {
            if (valued.contains(arg))
            {
                if (i + 1 >= args.size())
                {
                    usageError(QStringLiteral("option %1 needs a value").arg(arg), usage);
                    return std::nullopt;
                }
                if (parsed.options.contains(arg))
                {
                    usageError(QStringLiteral("option %1 is given twice").arg(arg), usage);
                    return std::nullopt;
                }
                parsed.options.insert(arg, args.at(++i));
                continue;
            }
            if (flags.contains(arg))
            {
                parsed.options.insert(arg, QStringLiteral("1"));
                continue;
            }
            usageError(QStringLiteral("unknown option '%1'").arg(arg), usage);
            return std::nullopt;
        }
        parsed.positional.append(arg);
    }
    return parsed;
}

int CommandLine::exitStatusFor(ErrorKind kind)
{
    switch (kind)
    {
    case ErrorKind::InvalidInput:
        return BadUsage;
    case ErrorKind::NotFound:
    case ErrorKind::AlreadyExists:
    case ErrorKind::Unavailable:
    case ErrorKind::PermissionDenied:
    case ErrorKind::Internal:
        break;
    }
    return Failure;
}

int CommandLine::fail(const Status &failed, const QString &usage)
{
    m_err << "tmail: " << failed.error() << '\n';
    if (failed.kind() == ErrorKind::InvalidInput && !usage.isEmpty())
        m_err << '\n' << usage;
    m_err.flush();
    return exitStatusFor(failed.kind());
}

int CommandLine::usageError(const QString &message, const QString &usage)
{
    return fail(Status::failure(ErrorKind::InvalidInput, message), usage);
}

std::optional<QString> CommandLine::readPassword(
    bool fromStdin, const QString &prompt, const QString &usage, int *exitCode)
{
    if (!fromStdin && !PasswordInput::hasTerminal())
    {
        *exitCode = usageError(QStringLiteral("no password given, and standard input is not a terminal to ask for "
                                              "it; give it with --password-stdin (one line on standard input)"),
            usage);
        return std::nullopt;
    }
    // A password to store: asked twice, as passwd(1) does, so that a typo is not saved.
    const Expected<QString> given
        = fromStdin ? PasswordInput::fromStdin() : PasswordInput::fromTerminal(m_err, prompt, true);
    if (!given)
    {
        *exitCode = fail(given, QString());
        return std::nullopt;
    }
    return given.value();
}

bool CommandLine::wantsHelp(const QStringList &args, const QString &help)
{
    if (!args.contains(QLatin1String("--help")) && !args.contains(QLatin1String("-h")))
        return false;
    m_out << help;
    m_out.flush();
    return true;
}

Expected<Database> CommandLine::openDatabase(bool allowOldSchema)
{
    return openCommandDatabase(m_configPath, &m_config, allowOldSchema);
}

template <typename Service, typename Record>
int CommandLine::printTable(const QStringList &headers, QStringList (*cells)(const Record &))
{
    Expected<Database> db = openDatabase();
    if (!db)
        return fail(db, QString());
    const Expected<QList<Record>> rows = Service(db.value()).list();
    if (!rows)
        return fail(rows, QString());
    TextTable table(headers);
    for (const Record &row : rows.value())
        table.addRow(cells(row));
    m_out << table.render();
    return Ok;
}

int CommandLine::runDb(const QStringList &args)
{
    if (wantsHelp(args, DbUsage))
        return Ok;
    if (args != QStringList { QStringLiteral("init") })
        return usageError(args.isEmpty()
                ? QStringLiteral("db needs a subcommand")
                : QStringLiteral("unknown db subcommand '%1'").arg(args.join(QLatin1Char(' '))),
            DbUsage);
    Expected<Database> db = openDatabase(true);
    if (!db)
        return fail(db, DbUsage);
    const Status upgraded = db.value().upgrade();
    if (!upgraded)
        return fail(upgraded, DbUsage);
    m_out << "Database '" << m_config->db.describe() << "' is ready (schema version "
          << Database::currentSchemaVersion() << ").\n";
    return Ok;
}

int CommandLine::runRcptHost(const QStringList &args)
{
    if (wantsHelp(args, RcptHostUsage))
        return Ok;
    const std::optional<Parsed> parsed = parse(args, {}, { QStringLiteral("-l") }, RcptHostUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    const QStringList operands = parsed->positional.mid(1);

    if (sub == QLatin1String("list"))
    {
        if (!operands.isEmpty() || !parsed->options.isEmpty())
            return usageError(QStringLiteral("rcpthost list takes no argument"), RcptHostUsage);
        return printTable<RcptHostService>(
            { QStringLiteral("DOMAIN"), QStringLiteral("LOCAL") }, +[](const RcptHost &host) {
                return QStringList { host.domain.name(), yesNo(host.isLocal) };
            });
    }
    if (sub != QLatin1String("add") && sub != QLatin1String("del"))
        return usageError(sub.isEmpty() ? QStringLiteral("rcpthost needs a subcommand")
                                        : QStringLiteral("unknown rcpthost subcommand '%1'").arg(sub),
            RcptHostUsage);
    if (operands.size() != 1)
        return usageError(QStringLiteral("rcpthost %1 takes one DOMAIN").arg(sub), RcptHostUsage);
    if (sub == QLatin1String("del") && !parsed->options.isEmpty())
        return usageError(QStringLiteral("rcpthost del takes no option"), RcptHostUsage);
    const Expected<Domain> domain = Domain::parse(operands.first());
    if (!domain)
        return usageError(QStringLiteral("invalid domain: %1").arg(domain.error()), RcptHostUsage);

    Expected<Database> db = openDatabase();
    if (!db)
        return fail(db, RcptHostUsage);
    RcptHostService service(db.value());
    const Status status = sub == QLatin1String("add")
        ? service.add(domain.value(), parsed->options.contains(QStringLiteral("-l")))
        : service.remove(domain.value());
    if (!status)
        return fail(status, RcptHostUsage);
    m_out << "rcpthost " << domain->name() << (sub == QLatin1String("add") ? " added.\n" : " deleted.\n");
    return Ok;
}

int CommandLine::runThrottle(const QStringList &args)
{
    if (wantsHelp(args, ThrottleUsage))
        return Ok;
    const std::optional<Parsed> parsed = parse(
        args, { QStringLiteral("-d"), QStringLiteral("--concurrency"), QStringLiteral("--rate") }, {}, ThrottleUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    if (parsed->positional.size() > 1)
        return usageError(QStringLiteral("throttle %1 takes no operand").arg(sub), ThrottleUsage);
    if (sub == QLatin1String("list"))
    {
        if (!parsed->options.isEmpty())
            return usageError(QStringLiteral("throttle list takes no option"), ThrottleUsage);
        return printTable<ThrottleService>(
            { QStringLiteral("DESTINATION"), QStringLiteral("CONCURRENCY"), QStringLiteral("RATE") },
            +[](const Throttle &throttle) {
                return QStringList { throttle.pattern,
                    throttle.concurrency > 0 ? QString::number(throttle.concurrency) : QStringLiteral("default"),
                    throttle.ratePerHour > 0 ? AdminValues::throttleRateText(throttle.ratePerHour)
                                             : QStringLiteral("default") };
            });
    }
    if (sub != QLatin1String("add") && sub != QLatin1String("del"))
        return usageError(sub.isEmpty() ? QStringLiteral("throttle needs a subcommand")
                                        : QStringLiteral("unknown throttle subcommand '%1'").arg(sub),
            ThrottleUsage);
    if (!parsed->options.contains(QStringLiteral("-d")))
        return usageError(QStringLiteral("throttle %1 needs -d PATTERN").arg(sub), ThrottleUsage);
    const QString pattern = parsed->options.value(QStringLiteral("-d"));
    if (sub == QLatin1String("del"))
    {
        if (parsed->options.size() > 1)
            return usageError(QStringLiteral("throttle del takes only -d PATTERN"), ThrottleUsage);
        Expected<Database> db = openDatabase();
        if (!db)
            return fail(db, ThrottleUsage);
        const Status removed = ThrottleService(db.value()).remove(pattern);
        if (!removed)
            return fail(removed, ThrottleUsage);
        m_out << "throttle " << AdminValues::throttlePattern(pattern).value() << " deleted.\n";
        return Ok;
    }
    Throttle throttle;
    throttle.pattern = pattern;
    if (parsed->options.contains(QStringLiteral("--concurrency")))
    {
        const Expected<int> concurrency
            = AdminValues::throttleConcurrency(parsed->options.value(QStringLiteral("--concurrency")));
        if (!concurrency)
            return usageError(QStringLiteral("--concurrency: %1").arg(concurrency.error()), ThrottleUsage);
        throttle.concurrency = concurrency.value();
    }
    if (parsed->options.contains(QStringLiteral("--rate")))
    {
        const Expected<int> rate = AdminValues::throttleRate(parsed->options.value(QStringLiteral("--rate")));
        if (!rate)
            return usageError(QStringLiteral("--rate: %1").arg(rate.error()), ThrottleUsage);
        throttle.ratePerHour = rate.value();
    }
    const Expected<Throttle> checked = ThrottleService::check(throttle);
    if (!checked)
        return fail(checked, ThrottleUsage);
    Expected<Database> db = openDatabase();
    if (!db)
        return fail(db, ThrottleUsage);
    const Expected<Throttle> added = ThrottleService(db.value()).add(checked.value());
    if (!added)
        return fail(added, ThrottleUsage);
    m_out << "throttle " << added->pattern << " added.\n";
    return Ok;
}

int CommandLine::runUser(const QStringList &args)
{
    if (wantsHelp(args, UserUsage))
        return Ok;
    const std::optional<Parsed> parsed = parse(args, {},
        { QStringLiteral("-r"), QStringLiteral("--no-relay"), QStringLiteral("--password-stdin") }, UserUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    const QStringList operands = parsed->positional.mid(1);

    if (sub == QLatin1String("list"))
    {
        if (!operands.isEmpty() || !parsed->options.isEmpty())
            return usageError(QStringLiteral("user list takes no argument"), UserUsage);
        return printTable<UserService>(
            { QStringLiteral("LOGIN"), QStringLiteral("MAY RELAY"), QStringLiteral("CREATED") }, +[](const User &user) {
                return QStringList { user.login.toString(), yesNo(user.mayRelay), formatTimestamp(user.createdAt) };
            });
    }

    const bool needsPassword = sub == QLatin1String("add") || sub == QLatin1String("passwd");
    if (!needsPassword && sub != QLatin1String("del"))
        return usageError(sub.isEmpty() ? QStringLiteral("user needs a subcommand")
                                        : QStringLiteral("unknown user subcommand '%1'").arg(sub),
            UserUsage);
    const bool passwordFromStdin = parsed->options.contains(QStringLiteral("--password-stdin"));
    if (needsPassword ? operands.isEmpty() || operands.size() > 2 : operands.size() != 1)
        return usageError(needsPassword ? QStringLiteral("user %1 takes EMAIL (and the password, which is asked "
                                                         "for when left out)")
                                              .arg(sub)
                                        : QStringLiteral("user del takes one EMAIL"),
            UserUsage);
    if (sub == QLatin1String("del") && !parsed->options.isEmpty())
        return usageError(QStringLiteral("user del takes no option"), UserUsage);
    if (sub == QLatin1String("passwd") && parsed->options.size() != (passwordFromStdin ? 1 : 0))
        return usageError(QStringLiteral("user passwd takes no option but --password-stdin"), UserUsage);
    if (passwordFromStdin && operands.size() == 2)
        return usageError(
            QStringLiteral("give the password either as an argument or with --password-stdin, not both"), UserUsage);
    if (parsed->options.contains(QStringLiteral("-r")) && parsed->options.contains(QStringLiteral("--no-relay")))
        return usageError(QStringLiteral("-r and --no-relay contradict each other"), UserUsage);
    const Expected<MailAddress> login = MailAddress::parse(operands.first());
    if (!login)
        return usageError(QStringLiteral("invalid e-mail address: %1").arg(login.error()), UserUsage);
    QString password = operands.value(1);
    if (needsPassword && operands.size() == 1)
    {
        int exitCode = Ok;
        const std::optional<QString> given = readPassword(
            passwordFromStdin, QStringLiteral("Password for %1: ").arg(login->toString()), UserUsage, &exitCode);
        if (!given)
            return exitCode;
        password = *given;
    }
    if (needsPassword)
    {
        // Checked before the database is opened, as every other argument.
        const Status usable = UserService::checkPassword(password);
        if (!usable)
            return usageError(QStringLiteral("the password %1").arg(usable.error()), UserUsage);
    }

    Expected<Database> db = openDatabase();
    if (!db)
        return fail(db, UserUsage);
    UserService service(db.value());
    Status status;
    if (sub == QLatin1String("add"))
        status = service.add(login.value(), password, !parsed->options.contains(QStringLiteral("--no-relay")));
    else if (sub == QLatin1String("passwd"))
        status = service.setPassword(login.value(), password);
    else
        status = service.remove(login.value());
    if (!status)
        return fail(status, UserUsage);
    const QString done = sub == QLatin1String("add") ? QStringLiteral("added")
        : sub == QLatin1String("passwd")             ? QStringLiteral("password changed")
                                                     : QStringLiteral("deleted");
    m_out << "user " << login->toString() << ' ' << done << ".\n";
    return Ok;
}

int CommandLine::runAdmin(const QStringList &args)
{
    if (wantsHelp(args, AdminUsage))
        return Ok;
    const std::optional<Parsed> parsed
        = parse(args, { QStringLiteral("--role") }, { QStringLiteral("--password-stdin") }, AdminUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    const QStringList operands = parsed->positional.mid(1);
    const bool hasRole = parsed->options.contains(QStringLiteral("--role"));
    const bool passwordFromStdin = parsed->options.contains(QStringLiteral("--password-stdin"));

    if (sub == QLatin1String("list"))
    {
        if (!operands.isEmpty() || !parsed->options.isEmpty())
            return usageError(QStringLiteral("admin list takes no argument"), AdminUsage);
        return printTable<AdminService>(
            { QStringLiteral("NAME"), QStringLiteral("ROLE"), QStringLiteral("CREATED") }, +[](const Admin &admin) {
                return QStringList { admin.name, AdminValues::adminRoleName(admin.role),
                    formatTimestamp(admin.createdAt) };
            });
    }
    const bool needsPassword = sub == QLatin1String("add") || sub == QLatin1String("passwd");
    if (!needsPassword && sub != QLatin1String("del"))
        return usageError(sub.isEmpty() ? QStringLiteral("admin needs a subcommand")
                                        : QStringLiteral("unknown admin subcommand '%1'").arg(sub),
            AdminUsage);
    if (operands.size() != 1)
        return usageError(needsPassword ? QStringLiteral("admin %1 takes one NAME; the password is never an argument "
                                                         "(it is asked at the terminal, or read with --password-stdin)")
                                              .arg(sub)
                                        : QStringLiteral("admin del takes one NAME"),
            AdminUsage);
    if (sub == QLatin1String("add") && !hasRole)
        return usageError(QStringLiteral("admin add needs --role viewer|operator|admin"), AdminUsage);
    if (sub != QLatin1String("add") && hasRole)
        return usageError(QStringLiteral("--role goes with admin add"), AdminUsage);
    if (!needsPassword && passwordFromStdin)
        return usageError(QStringLiteral("admin del takes no option"), AdminUsage);
    const Expected<QString> name = AdminValues::adminName(operands.first());
    if (!name)
        return usageError(QStringLiteral("invalid administrator name: %1").arg(name.error()), AdminUsage);
    AdminValues::AdminRole role = AdminValues::AdminRole::Viewer;
    if (hasRole)
    {
        const Expected<AdminValues::AdminRole> parsedRole
            = AdminValues::adminRole(parsed->options.value(QStringLiteral("--role")));
        if (!parsedRole)
            return usageError(QStringLiteral("--role %1").arg(parsedRole.error()), AdminUsage);
        role = parsedRole.value();
    }
    QString password;
    if (needsPassword)
    {
        int exitCode = Ok;
        const std::optional<QString> given = readPassword(passwordFromStdin,
            QStringLiteral("Password for administrator %1: ").arg(name.value()), AdminUsage, &exitCode);
        if (!given)
            return exitCode;
        password = *given;
        // Checked before the database is opened, as every other argument.
        const Status usable = AdminValues::adminPassword(password);
        if (!usable)
            return usageError(QStringLiteral("the password %1").arg(usable.error()), AdminUsage);
    }

    Expected<Database> db = openDatabase();
    if (!db)
        return fail(db, AdminUsage);
    AdminService service(db.value());
    Status status;
    if (sub == QLatin1String("add"))
        status = service.add(name.value(), role, password);
    else if (sub == QLatin1String("passwd"))
        status = service.setPassword(name.value(), password);
    else
        status = service.remove(name.value());
    if (!status)
        return fail(status, AdminUsage);
    if (sub == QLatin1String("add"))
        m_out << "administrator " << name.value() << " added with the role " << AdminValues::adminRoleName(role)
              << ".\n";
    else
        m_out << "administrator " << name.value()
              << (sub == QLatin1String("passwd") ? " password changed.\n" : " deleted.\n");
    return Ok;
}

int CommandLine::runRelayIp(const QStringList &args)
{
    if (wantsHelp(args, RelayIpUsage))
        return Ok;
    const std::optional<Parsed> parsed = parse(args, {}, {}, RelayIpUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    const QStringList operands = parsed->positional.mid(1);

    if (sub == QLatin1String("list"))
    {
        if (!operands.isEmpty())
            return usageError(QStringLiteral("relayip list takes no argument"), RelayIpUsage);
        return printTable<RelayIpService>(
            { QStringLiteral("IP/CIDR") }, +[](const RelayIp &ip) { return QStringList { ip.range.toString() }; });
    }
    if (sub != QLatin1String("add") && sub != QLatin1String("del"))
        return usageError(sub.isEmpty() ? QStringLiteral("relayip needs a subcommand")
                                        : QStringLiteral("unknown relayip subcommand '%1'").arg(sub),
            RelayIpUsage);
    if (operands.size() != 1)
        return usageError(QStringLiteral("relayip %1 takes one IP or CIDR").arg(sub), RelayIpUsage);
    const Expected<IpRange> range = IpRange::parse(operands.first());
    if (!range)
        return usageError(QStringLiteral("invalid IP: %1").arg(range.error()), RelayIpUsage);

    Expected<Database> db = openDatabase();
    if (!db)
        return fail(db, RelayIpUsage);
    RelayIpService service(db.value());
    const Status status = sub == QLatin1String("add") ? service.add(range.value()) : service.remove(range.value());
    if (!status)
        return fail(status, RelayIpUsage);
    m_out << "relay IP " << range->toString() << (sub == QLatin1String("add") ? " added.\n" : " deleted.\n");
    return Ok;
}

int CommandLine::runRoutes(const QStringList &args)
{
    if (args.value(0) == QLatin1String("test"))
        return runRoutesTest(args.mid(1));
    if (wantsHelp(args, RoutesUsage))
        return Ok;
    const QStringList valued = { QStringLiteral("-d"), QStringLiteral("-rh"), QStringLiteral("-rp"),
        QStringLiteral("-p"), QStringLiteral("-l"), QStringLiteral("-u"), QStringLiteral("-pw"), QStringLiteral("-s"),
        QStringLiteral("-a"), QStringLiteral("--tls") };
    const std::optional<Parsed> parsed = parse(args, valued, { QStringLiteral("--password-stdin") }, RoutesUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    const QStringList operands = parsed->positional.mid(1);
    const auto &options = parsed->options;

    if (sub == QLatin1String("list"))
    {
        if (!operands.isEmpty() || !options.isEmpty())
            return usageError(QStringLiteral("routes list takes no argument"), RoutesUsage);
        return printTable<RouteService>(
            { QStringLiteral("ID"), QStringLiteral("DOMAIN"), QStringLiteral("REMOTE"), QStringLiteral("PRIORITY"),
                QStringLiteral("SENDER DOMAIN"), QStringLiteral("AUTH USER"), QStringLiteral("LOCAL IPS"),
                QStringLiteral("SMTP USER"), QStringLiteral("TLS") },
            +[](const Route &route) {
                const auto orDefault
                    = [](const QString &value, const QString &fallback) { return value.isEmpty() ? fallback : value; };
                return QStringList { QString::number(route.id), route.recipientDomain.name(),
                    route.remoteHost + QLatin1Char(':') + QString::number(route.remotePort),
                    QString::number(route.priority), orDefault(route.senderDomain, QStringLiteral("*")),
                    orDefault(route.authUser, QStringLiteral("*")), orDefault(route.localIps, QStringLiteral("-")),
                    orDefault(route.smtpUser, QStringLiteral("-")), route.tls };
            });
    }
    if (sub == QLatin1String("del"))
    {
        if (operands.size() != 1 || !options.isEmpty())
            return usageError(QStringLiteral("routes del takes one ID"), RoutesUsage);
        const Expected<qint64> id = AdminValues::routeId(operands.first());
        if (!id)
            return usageError(
                QStringLiteral("invalid route ID: %1 (see `tmail routes list`)").arg(id.error()), RoutesUsage);
        Expected<Database> db = openDatabase();
        if (!db)
            return fail(db, RoutesUsage);
        const Status status = RouteService(db.value()).remove(id.value());
        if (!status)
            return fail(status, RoutesUsage);
        m_out << "route " << id.value() << " deleted.\n";
        return Ok;
    }
    if (sub != QLatin1String("add"))
        return usageError(sub.isEmpty() ? QStringLiteral("routes needs a subcommand")
                                        : QStringLiteral("unknown routes subcommand '%1'").arg(sub),
            RoutesUsage);
    if (!operands.isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(operands.first()), RoutesUsage);

    Route route;
    const Expected<Domain> domain = Domain::parse(options.value(QStringLiteral("-d")));
    if (!options.contains(QStringLiteral("-d")))
        return usageError(QStringLiteral("routes add needs -d DOMAIN"), RoutesUsage);
    if (!domain)
        return usageError(QStringLiteral("invalid -d domain: %1").arg(domain.error()), RoutesUsage);
    route.recipientDomain = domain.value();

    const QString host = options.value(QStringLiteral("-rh"));
    if (host.isEmpty())
        return usageError(QStringLiteral("routes add needs -rh HOST"), RoutesUsage);
    const Expected<QString> remoteHost = AdminValues::remoteHost(host);
    if (!remoteHost)
        return usageError(QStringLiteral("invalid -rh host: %1").arg(remoteHost.error()), RoutesUsage);
    route.remoteHost = remoteHost.value();

    if (options.contains(QStringLiteral("-rp")))
    {
        const Expected<quint16> port = AdminValues::port(options.value(QStringLiteral("-rp")));
        if (!port)
            return usageError(QStringLiteral("invalid -rp port: %1").arg(port.error()), RoutesUsage);
        route.remotePort = port.value();
    }
    if (options.contains(QStringLiteral("-p")))
    {
        const Expected<int> priority = AdminValues::priority(options.value(QStringLiteral("-p")));
        if (!priority)
            return usageError(QStringLiteral("invalid -p priority: %1").arg(priority.error()), RoutesUsage);
        route.priority = priority.value();
    }
    if (options.contains(QStringLiteral("-l")))
    {
        const Expected<QString> localIps = AdminValues::localIps(options.value(QStringLiteral("-l")));
        if (!localIps)
            return usageError(QStringLiteral("invalid -l local IPs: %1").arg(localIps.error()), RoutesUsage);
        route.localIps = localIps.value();
    }
    const bool hasUser = options.contains(QStringLiteral("-u"));
    const bool passwordFromStdin = options.contains(QStringLiteral("--password-stdin"));
    if (options.contains(QStringLiteral("-pw")) && !hasUser)
        return usageError(QStringLiteral("-pw PASSWORD goes with -u USER"), RoutesUsage);
    if (passwordFromStdin && !hasUser)
        return usageError(QStringLiteral("--password-stdin goes with -u USER"), RoutesUsage);
    if (passwordFromStdin && options.contains(QStringLiteral("-pw")))
        return usageError(
            QStringLiteral("give the password either with -pw or with --password-stdin, not both"), RoutesUsage);
    route.smtpUser = options.value(QStringLiteral("-u"));
    route.smtpPassword = options.value(QStringLiteral("-pw"));
    if (hasUser
        && (route.smtpUser.isEmpty() || (options.contains(QStringLiteral("-pw")) && route.smtpPassword.isEmpty())))
        return usageError(QStringLiteral("-u and -pw must not be empty"), RoutesUsage);
    const Status user = AdminValues::credential(route.smtpUser, AdminValues::MaxSmtpUserLength);
    if (!user)
        return usageError(QStringLiteral("-u %1").arg(user.error()), RoutesUsage);
    const Status password = AdminValues::credential(route.smtpPassword, AdminValues::MaxSmtpPasswordLength);
    if (!password)
        return usageError(QStringLiteral("-pw %1").arg(password.error()), RoutesUsage);
    if (options.contains(QStringLiteral("-s")))
    {
        const Expected<QString> sender = AdminValues::senderDomain(options.value(QStringLiteral("-s")));
        if (!sender || sender->isEmpty())
            return usageError(QStringLiteral("invalid -s sender domain: %1")
                                  .arg(sender ? QStringLiteral("empty domain") : sender.error()),
                RoutesUsage);
        route.senderDomain = sender.value();
    }
    if (options.contains(QStringLiteral("-a")))
    {
        const Expected<QString> authUser = AdminValues::authUser(options.value(QStringLiteral("-a")));
        if (!authUser || authUser->isEmpty())
            return usageError(QStringLiteral("invalid -a user: %1")
                                  .arg(authUser ? QStringLiteral("empty address") : authUser.error()),
                RoutesUsage);
        route.authUser = authUser.value();
    }
    if (options.contains(QStringLiteral("--tls")))
    {
        const Expected<QString> tls = AdminValues::routeTls(options.value(QStringLiteral("--tls")));
        if (!tls || options.value(QStringLiteral("--tls")).trimmed().isEmpty())
            return usageError(
                QStringLiteral("invalid --tls policy: %1").arg(tls ? QStringLiteral("empty policy") : tls.error()),
                RoutesUsage);
        route.tls = tls.value();
    }
    // Asked for last, once every argument is known to be right.
    if (hasUser && !options.contains(QStringLiteral("-pw")))
    {
        int exitCode = Ok;
        const std::optional<QString> given = readPassword(passwordFromStdin,
            QStringLiteral("Password for %1 at %2: ").arg(route.smtpUser, route.remoteHost), RoutesUsage, &exitCode);
        if (!given)
            return exitCode;
        const Status usable = AdminValues::credential(*given, AdminValues::MaxSmtpPasswordLength);
        if (!usable)
            return fail(Status::failure(ErrorKind::InvalidInput, QStringLiteral("the password %1").arg(usable.error())),
                QString());
        route.smtpPassword = *given;
    }

    Expected<Database> db = openDatabase();
    if (!db)
        return fail(db, RoutesUsage);
    const Expected<Route> added = RouteService(db.value()).add(route);
    if (!added)
        return fail(added, RoutesUsage);
    m_out << "route " << added->id << " added: " << added->recipientDomain.name() << " -> " << added->remoteHost << ':'
          << added->remotePort << " (priority " << added->priority << ", TLS " << added->tls << ").\n";
    return Ok;
}

int CommandLine::runRoutesTest(const QStringList &args)
{
    if (wantsHelp(args, RoutesTestUsage))
        return Ok;
    const std::optional<Parsed> parsed
        = parse(args, { QStringLiteral("--sender"), QStringLiteral("--user") }, {}, RoutesTestUsage);
    if (!parsed)
        return BadUsage;
    if (parsed->positional.size() != 1)
        return usageError(QStringLiteral("routes test takes one address"), RoutesTestUsage);
    const QString text = parsed->positional.first();
    const Expected<MailAddress> address = MailAddress::parse(text, true);
    if (!address)
        return usageError(QStringLiteral("'%1' is not an address: %2").arg(text, address.error()), RoutesTestUsage);
    QString senderDomain;
    if (parsed->options.contains(QStringLiteral("--sender")))
    {
        const QString senderText = parsed->options.value(QStringLiteral("--sender"));
        const Expected<MailAddress> sender = MailAddress::parse(senderText, true);
        if (!sender)
            return usageError(
                QStringLiteral("--sender '%1' is not an address: %2").arg(senderText, sender.error()), RoutesTestUsage);
        senderDomain = sender->domain().name();
    }
    const QString authUser = parsed->options.value(QStringLiteral("--user"));
    return printPlan(address->domain().name(), senderDomain, authUser);
}

int CommandLine::runTls(const QStringList &args)
{
    if (wantsHelp(args, TlsUsage))
        return Ok;
    const std::optional<Parsed> parsed
        = parse(args, { QStringLiteral("--day") }, { QStringLiteral("--connect"), QStringLiteral("--send") }, TlsUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    if (sub == QLatin1String("report"))
        return runTlsReport(parsed->positional.mid(1), parsed->options);
    if (sub != QLatin1String("check") || parsed->positional.size() != 2)
        return usageError(QStringLiteral("use tls check DOMAIN or tls report [DOMAIN]"), TlsUsage);
    if (parsed->options.contains(QStringLiteral("--day")) || parsed->options.contains(QStringLiteral("--send")))
        return usageError(QStringLiteral("--day and --send go with tls report"), TlsUsage);
    const Expected<Domain> domain = Domain::parse(parsed->positional.at(1).trimmed());
    if (!domain)
        return usageError(
            QStringLiteral("'%1' is not a domain: %2").arg(parsed->positional.at(1), domain.error()), TlsUsage);
    return printPlan(domain->name(), QString(), QString(), parsed->options.contains(QStringLiteral("--connect")));
}

int CommandLine::runTlsReport(const QStringList &operands, const QHash<QString, QString> &options)
{
    if (operands.size() > 1)
        return usageError(QStringLiteral("tls report takes at most one domain"), TlsUsage);
    if (options.contains(QStringLiteral("--connect")))
        return usageError(QStringLiteral("--connect goes with tls check"), TlsUsage);
    QString domain;
    if (!operands.isEmpty())
    {
        const Expected<Domain> parsedDomain = Domain::parse(operands.first().trimmed());
        if (!parsedDomain)
            return usageError(
                QStringLiteral("'%1' is not a domain: %2").arg(operands.first(), parsedDomain.error()), TlsUsage);
        domain = parsedDomain->name();
    }
    const bool send = options.contains(QStringLiteral("--send"));
    const QDate today = QDateTime::currentDateTimeUtc().date();
    QDate day = send ? today.addDays(-1) : today;
    if (options.contains(QStringLiteral("--day")))
    {
        day = QDate::fromString(options.value(QStringLiteral("--day")), Qt::ISODate);
        if (!day.isValid() || options.value(QStringLiteral("--day")).size() != 10)
            return usageError(
                QStringLiteral("--day '%1' is not a date (YYYY-MM-DD)").arg(options.value(QStringLiteral("--day"))),
                TlsUsage);
    }
    const QString dayText = day.toString(Qt::ISODate);
    Expected<Database> db = openDatabase();
    if (!db)
        return fail(db, QString());
    if (send)
        return sendTlsReports(db.value(), domain, day);
    const Expected<QList<TlsSessionCount>> counts = TlsReportTable(db.value()).list(dayText, dayText);
    if (!counts)
        return fail(counts, QString());
    TextTable table({ QStringLiteral("DAY"), QStringLiteral("DOMAIN"), QStringLiteral("POLICY"), QStringLiteral("MX"),
        QStringLiteral("IP"), QStringLiteral("RESULT"), QStringLiteral("SESSIONS") });
    QMap<QString, QPair<qint64, qint64>> totals; // domain: successful, failed
    for (const TlsSessionCount &count : counts.value())
    {
        if (!domain.isEmpty() && count.policyDomain != domain)
            continue;
        table.addRow({ count.day, count.policyDomain, count.policyType,
            count.mxHost.isEmpty() ? QStringLiteral("-") : count.mxHost,
            count.receivingIp.isEmpty() ? QStringLiteral("-") : count.receivingIp,
            count.resultType.isEmpty() ? QStringLiteral("success") : count.resultType,
            QString::number(count.sessions) });
        QPair<qint64, qint64> &total = totals[count.policyDomain];
        (count.resultType.isEmpty() ? total.first : total.second) += count.sessions;
    }
    m_out << table.render();
    for (auto it = totals.cbegin(); it != totals.cend(); ++it)
        m_out << it.key() << ": " << it->first << " successful, " << it->second << " failed TLS session(s) on "
              << dayText << ".\n";
    return Ok;
}

int CommandLine::sendTlsReports(Database &db, const QString &onlyDomain, const QDate &day)
{
    TlsReportSender sender(db, *m_config);
    const Expected<QStringList> pending = sender.pendingDomains(day);
    if (!pending)
        return fail(pending, QString());
    DnsResolver resolver(m_config->dnsServers);
    if (!resolver.isValid())
        return fail(Status::failure(ErrorKind::Unavailable, resolver.error()), QString());
    const Expected<QList<QSslCertificate>> caCertificates = MtaStsFetcher::loadCaFile(m_config->deliverdTlsCaFile);
    if (!caCertificates)
        return fail(caCertificates, QString());
    int failures = 0;
    int queued = 0;
    for (const QString &domain : pending.value())
    {
        if (!onlyDomain.isEmpty() && domain != onlyDomain)
            continue;
        // RFC 8460 §3: where the domain wants its reports.
        std::optional<TxtLookup> txt;
        QEventLoop loop;
        resolver.lookupTxt(QStringLiteral("_smtp._tls.") + domain, &loop, [&txt, &loop](const TxtLookup &lookup) {
            txt = lookup;
            loop.quit();
        });
        QTimer::singleShot(PlanTimeoutMs, &loop, &QEventLoop::quit);
        if (!txt)
            loop.exec();
        TlsReportRua rua;
        for (const QString &text : txt ? txt->texts : QStringList())
        {
            const Expected<TlsReportRua> found = TlsReportSender::parseRua(text);
            if (found)
                rua.append(found.value());
        }
        if (rua.isEmpty())
        {
            m_out << domain << ": no TLS report wanted (no mailto: or https: rua in _smtp._tls." << domain << ").\n";
            continue;
        }
        const Expected<TlsReport> report = sender.claimReport(domain, day);
        if (!report)
        {
            m_err << "tmail: TLS report of " << domain << ": " << report.error() << '\n';
            ++failures;
            continue;
        }
        if (!rua.mailto.isEmpty())
        {
            const Expected<QString> id = sender.queueReport(report.value(), rua.mailto);
            if (!id)
            {
                m_err << "tmail: TLS report of " << domain << ": " << id.error() << '\n';
                ++failures;
            }
            else
            {
                ++queued;
                m_out << "TLS report of " << domain << " for " << day.toString(Qt::ISODate) << " queued as "
                      << id.value() << " to " << rua.mailto.join(QStringLiteral(", ")) << ".\n";
            }
        }
        if (!rua.https.isEmpty())
        {
            // RFC 8460 §5.4: posted now, with deliverd's HTTPS client and CA store.
            MtaStsFetcher poster(&resolver, caCertificates.value());
            const QByteArray gzipped = TlsReportSender::gzip(report->json);
            for (const QUrl &url : rua.https)
            {
                std::optional<Status> posted;
                QEventLoop loop;
                poster.postReport(url, gzipped, &loop, [&posted, &loop](const Status &result) {
                    posted = result;
                    loop.quit();
                });
                QTimer::singleShot(PlanTimeoutMs + 5000, &loop, &QEventLoop::quit); // past the fetcher's own limit
                if (!posted)
                    loop.exec();
                if (!posted || !posted.value())
                {
                    m_err << "tmail: TLS report of " << domain << " not posted to " << url.toDisplayString() << ": "
                          << (posted ? posted->error() : QStringLiteral("no answer")) << '\n';
                    ++failures;
                    continue;
                }
                ++queued;
                m_out << "TLS report of " << domain << " for " << day.toString(Qt::ISODate) << " posted to "
                      << url.toDisplayString() << ".\n";
            }
        }
    }
    if (queued == 0 && failures == 0)
        m_out << "No TLS report to send for " << day.toString(Qt::ISODate) << ".\n";
    m_err.flush();
    return failures == 0 ? Ok : Failure;
}

int CommandLine::printPlan(const QString &domain, const QString &senderDomain, const QString &authUser, bool connect)
{
    Expected<Database> db = openDatabase();
    if (!db)
        return fail(db, QString());
    const Expected<QList<Route>> routes = RouteService(db.value()).list();
    if (!routes)
        return fail(routes, QString());
    DeliveryPlan::Result plan = DeliveryPlan::resolve(*m_config, domain,
        RouteSelector::select(routes.value(), domain, senderDomain, authUser), PlanTimeoutMs, &db.value());
    if (connect)
        DeliveryPlan::connect(&plan, *m_config, ProbeTimeoutMs);
    DeliveryPlan::print(plan, m_out);
    return plan.deliverable() ? Ok : Failure;
}

namespace {

QString senderText(const QString &sender)
{
    return sender.isEmpty() ? QStringLiteral("<>") : sender;
}

// text in at most width characters, its end replaced by "…" when cut.
QString elided(const QString &text, int width)
{
    const QString line = QString(text).replace(QLatin1Char('\n'), QLatin1Char(' ')).simplified();
    if (width < 1 || line.size() <= width)
        return line;
    return line.left(width - 1) + QStringLiteral("…");
}

// A message's age, short: 45s, 12m, 3h, 2d.
QString shortAge(qint64 ageMs)
{
    const qint64 seconds = qMax<qint64>(0, ageMs / 1000);
    if (seconds < 60)
        return QStringLiteral("%1s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1m").arg(seconds / 60);
    if (seconds < 48 * 3600)
        return QStringLiteral("%1h").arg(seconds / 3600);
    return QStringLiteral("%1d").arg(seconds / 86400);
}

// How many leading digits tell every id of the list apart: at least 12 (the creation
// time in ms; ids of one millisecond need a few random digits more).
int shortIdLength(const QList<QueuedMessage> &messages)
{
    QStringList ids;
    for (const QueuedMessage &message : messages)
        ids.append(message.id);
    ids.sort();
    int length = 12;
    for (int i = 1; i < ids.size(); ++i)
    {
        int common = 0;
        while (common < 40 && ids.at(i - 1).at(common) == ids.at(i).at(common))
            ++common;
        length = qMax(length, qMin(40, common + 1));
    }
    return length;
}

QString recipientsText(const QueuedMessage &message)
{
    QStringList recipients;
    for (const QueuedRecipient &recipient : message.recipients)
        recipients.append(recipient.address);
    return recipients.join(QStringLiteral(", "));
}

// Lists bounded for the daemon's log: the ids of the first messages, then how many more.
constexpr int MaxLoggedIds = 200;

} // namespace

int CommandLine::runQueue(const QStringList &args)
{
    if (wantsHelp(args, QueueUsage))
        return Ok;
    const QString domainOption = QStringLiteral("--domain");
    const QString senderOption = QStringLiteral("--sender");
    const QString olderOption = QStringLiteral("--older-than");
    const QString statusOption = QStringLiteral("--status");
    const std::optional<Parsed> parsed = parse(args, { domainOption, senderOption, olderOption, statusOption },
        { QStringLiteral("--all"), QStringLiteral("--dry-run"), QStringLiteral("--wide"), QStringLiteral("--headers"),
            QStringLiteral("--body") },
        QueueUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    const QStringList operands = parsed->positional.mid(1);
    const auto has = [&parsed](const char *option) { return parsed->options.contains(QLatin1String(option)); };
    const bool all = has("--all");
    const bool dryRun = has("--dry-run");
    const bool filtered = has("--domain") || has("--sender") || has("--older-than") || has("--status");
    const std::optional<QueueActions::Action> action = QueueActions::actionNamed(sub);
    const QStringList known = { QStringLiteral("list"), QStringLiteral("show"), QStringLiteral("summary") };
    if (!action && !known.contains(sub))
        return usageError(sub.isEmpty() ? QStringLiteral("queue needs a subcommand")
                                        : QStringLiteral("unknown queue subcommand '%1'").arg(sub),
            QueueUsage);
    // Each option where it means something, so that a typo is not silently ignored.
    const auto refuse = [&](const char *option, bool allowed) {
        return !allowed && has(option) ? std::optional<int>(usageError(
                   QStringLiteral("option %1 does not go with queue %2").arg(QLatin1String(option), sub), QueueUsage))
                                       : std::nullopt;
    };
    const bool isList = sub == QLatin1String("list");
    const bool isShow = sub == QLatin1String("show");
    for (const auto &[option, allowed] :
        std::initializer_list<std::pair<const char *, bool>> { { "--all", bool(action) }, { "--dry-run", bool(action) },
            { "--wide", isList }, { "--headers", isShow }, { "--body", isShow }, { "--domain", isList || action },
            { "--sender", isList || action }, { "--older-than", isList || action }, { "--status", isList || action } })
    {
        if (const std::optional<int> refused = refuse(option, allowed))
            return *refused;
    }
    if ((isList || sub == QLatin1String("summary")) && !operands.isEmpty())
        return usageError(QStringLiteral("queue %1 takes no argument").arg(sub), QueueUsage);
    if (isShow && operands.size() != 1)
        return usageError(QStringLiteral("queue show takes one message ID"), QueueUsage);
    if (action && operands.isEmpty() && !all && !filtered)
        return usageError(
            QStringLiteral("queue %1 needs message IDs, --all or a filter (--domain, --sender, --older-than, --status)")
                .arg(sub),
            QueueUsage);
    if (action && !operands.isEmpty() && (all || filtered))
        return usageError(QStringLiteral("queue %1 takes message IDs or --all/filters, not both").arg(sub), QueueUsage);
    if (all && filtered)
        return usageError(QStringLiteral("--all selects every message: leave the filters out"), QueueUsage);
    // Checked before the database is opened, as every other argument.
    for (const QString &operand : operands)
    {
        const Expected<QString> id = AdminValues::queueIdPrefix(operand);
        if (!id)
            return usageError(QStringLiteral("invalid message ID: %1").arg(id.error()), QueueUsage);
    }
    const Expected<QueueFilter> filter = QueueFilter::parse(parsed->options.value(domainOption),
        parsed->options.value(senderOption), parsed->options.value(olderOption), parsed->options.value(statusOption));
    if (!filter)
        return usageError(QStringLiteral("invalid filter: %1").arg(filter.error()), QueueUsage);
    if (has("--domain") && filter->domain.isEmpty())
        return usageError(QStringLiteral("--domain needs a domain"), QueueUsage);
    if (has("--sender") && filter->sender.isEmpty())
        return usageError(QStringLiteral("--sender needs an address, <> or a domain"), QueueUsage);
    if ((has("--older-than") && filter->olderThanMs == 0) || (has("--status") && filter->statusName.isEmpty()))
        return usageError(QStringLiteral("--older-than and --status need a value"), QueueUsage);

    Expected<Database> db = openDatabase();
    if (!db)
        return fail(db, QueueUsage);
    QueueActions queue(db.value(), *m_config);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();

    if (isList)
        return printQueueList(queue, filter.value(), has("--wide"));
    if (sub == QLatin1String("summary"))
        return printQueueShape(queue);
    if (isShow)
        return printQueuedMessage(queue, operands.first(), !has("--body") || has("--headers"),
            !has("--headers") || has("--body"), has("--headers") || has("--body"));

    // An action: every message it will touch is known, and every ID valid and unique,
    // before the first is touched.
    QList<QueuedMessage> targets;
    if (!operands.isEmpty())
    {
        for (const QString &operand : operands)
        {
            const Expected<QueuedMessage> message = queue.find(operand);
            if (!message)
                return failUnknownId(message);
            if (std::none_of(targets.cbegin(), targets.cend(),
                    [&message](const QueuedMessage &target) { return target.id == message->id; }))
                targets.append(message.value());
        }
    }
    else
    {
        const Expected<QList<QueuedMessage>> selected = queue.select(filter.value());
        if (!selected)
            return fail(selected, QString());
        targets = selected.value();
    }
    const QString done = QueueActions::actionDone(*action);
    if (dryRun)
    {
        m_out << "dry run: " << sub << " would touch " << targets.size() << " message(s):\n";
        for (const QueuedMessage &message : targets)
            m_out << "  " << message.id << "  " << senderText(message.envelopeSender) << " -> "
                  << recipientsText(message) << "  (" << QueueActions::statusOf(message, nowMs) << ")\n";
        m_out << "nothing was changed.\n";
        return Ok;
    }
    QStringList touched;
    QStringList failures;
    for (const QueuedMessage &message : targets)
    {
        const Expected<QueuedMessage> result = queue.apply(*action, message.id);
        if (!result)
        {
            // Delivered or removed by another hand since it was selected: said, not fatal.
            failures.append(QStringLiteral("%1: %2").arg(message.id, result.error()));
            continue;
        }
        touched.append(message.id);
        if (*action == QueueActions::Action::Bounce)
            m_out << "message " << message.id << " bounced to "
                  << (message.envelopeSender.isEmpty() ? QStringLiteral("nobody (null sender)")
                                                       : message.envelopeSender)
                  << ".\n";
        else if (*action == QueueActions::Action::Retry)
            m_out << "message " << message.id << " will be tried again now"
                  << (message.held ? " (held: once released)" : "") << ".\n";
        else
            m_out << "message " << message.id << ' ' << done << ".\n";
    }
    if (operands.isEmpty())
        m_out << sub << ": " << touched.size() << " message(s) " << done << " (" << filter->describe() << ").\n";
    for (const QString &failure : failures)
        m_err << "tmail: " << failure << '\n';
    // What the daemon's log says: the action, how messages were chosen, and their ids.
    QString change = QStringLiteral("queue %1").arg(sub);
    if (operands.isEmpty())
        change += QStringLiteral(" (%1)").arg(filter->describe());
    change += QStringLiteral(": %1 message(s)").arg(touched.size());
    if (!touched.isEmpty())
        change += QStringLiteral(" ") + touched.mid(0, MaxLoggedIds).join(QLatin1Char(' '));
    if (touched.size() > MaxLoggedIds)
        change += QStringLiteral(" and %1 more").arg(touched.size() - MaxLoggedIds);
    m_change = change;
    return failures.isEmpty() ? Ok : Failure;
}

int CommandLine::failUnknownId(const Expected<QueuedMessage> &found)
{
    // An ID that names no queued message is bad input like a malformed one: exit status
    // 2, nothing touched (usage left out: the syntax was right).
    const ErrorKind kind = found.kind() == ErrorKind::NotFound ? ErrorKind::InvalidInput : found.kind();
    return fail(Status::failure(kind, found.error()), QString());
}

int CommandLine::printQueueList(QueueActions &queue, const QueueFilter &filter, bool wide)
{
    const Expected<QList<QueuedMessage>> messages = queue.select(filter);
    if (!messages)
        return fail(messages, QueueUsage);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (wide)
    {
        TextTable table({ QStringLiteral("ID"), QStringLiteral("STATUS"), QStringLiteral("SENDER"),
            QStringLiteral("RECIPIENTS"), QStringLiteral("ATTEMPTS"), QStringLiteral("QUEUED AT"),
            QStringLiteral("NEXT TRY"), QStringLiteral("LAST ERROR") });
        for (const QueuedMessage &message : messages.value())
            table.addRow({ message.id, QueueActions::statusOf(message, nowMs), senderText(message.envelopeSender),
                recipientsText(message), QString::number(message.attempts), formatMs(message.createdAtMs),
                formatMs(message.nextAttemptAtMs), message.lastError });
        m_out << table.render();
        return Ok;
    }
    // One line of at most 100 columns per message: the last error gets what is left.
    constexpr int LineWidth = 100;
    constexpr int AddressWidth = 20;
    const int idLength = shortIdLength(messages.value());
    TextTable table({ QStringLiteral("ID"), QStringLiteral("AGE"), QStringLiteral("STATUS"), QStringLiteral("SENDER"),
        QStringLiteral("RECIPIENTS"), QStringLiteral("TRIES"), QStringLiteral("LAST ERROR") });
    // ID, AGE (4), STATUS (8), SENDER, RECIPIENTS, TRIES (5), and two spaces between each.
    const int errorWidth = qMax(10, LineWidth - (idLength + 4 + 8 + 2 * AddressWidth + 5 + 6 * 2));
    for (const QueuedMessage &message : messages.value())
    {
        QString recipients = message.recipients.value(0).address;
        if (message.recipients.size() > 1)
        {
            const QString more = QStringLiteral(" +%1").arg(message.recipients.size() - 1);
            recipients = elided(recipients, AddressWidth - int(more.size())) + more;
        }
        table.addRow(
            { message.id.left(idLength), shortAge(nowMs - message.createdAtMs), QueueActions::statusOf(message, nowMs),
                elided(senderText(message.envelopeSender), AddressWidth), elided(recipients, AddressWidth),
                QString::number(message.attempts), elided(message.lastError, errorWidth) });
    }
    m_out << table.render();
    return Ok;
}

int CommandLine::printQueueShape(QueueActions &queue)
{
    const Expected<QueueActions::Shape> shape = queue.shape(QDateTime::currentMSecsSinceEpoch());
    if (!shape)
        return fail(shape, QString());
    QStringList headers { QStringLiteral("DOMAIN"), QStringLiteral("T") };
    for (int limit : shape->bucketLimits)
        headers.append(QString::number(limit));
    headers.append(QStringLiteral("%1+").arg(shape->bucketLimits.last()));
    // Right-aligned numbers, as qshape prints them.
    QList<QStringList> lines;
    const auto cells = [](const QueueActions::Shape::Row &row) {
        QStringList cells { row.domain, QString::number(row.total) };
        for (qint64 count : row.counts)
            cells.append(QString::number(count));
        return cells;
    };
    lines.append(headers);
    lines.append(cells(shape->all));
    for (const QueueActions::Shape::Row &row : shape->rows)
        lines.append(cells(row));
    QList<int> widths(headers.size(), 0);
    for (const QStringList &line : lines)
    {
        for (int i = 0; i < line.size(); ++i)
            widths[i] = qMax(widths[i], int(line.at(i).size()));
    }
    m_out << "Pending recipients by domain and age of their message, in minutes (as qshape):\n";
    for (const QStringList &line : lines)
    {
        QString text = line.at(0).leftJustified(widths.at(0));
        for (int i = 1; i < line.size(); ++i)
            text += QLatin1Char(' ') + line.at(i).rightJustified(widths.at(i));
        m_out << text << '\n';
    }
    return Ok;
}

int CommandLine::printQueuedMessage(QueueActions &queue, const QString &id, bool headers, bool body, bool contentOnly)
{
    const Expected<QueuedMessage> message = queue.find(id);
    if (!message)
        return failUnknownId(message);
    const Expected<QByteArray> content = queue.content(message->id);
    if (!content)
        return fail(content, QString());
    if (!contentOnly)
    {
        m_out << "id:          " << message->id << '\n'
              << "status:      " << QueueActions::statusOf(message.value(), QDateTime::currentMSecsSinceEpoch()) << '\n'
              << "sender:      " << senderText(message->envelopeSender) << '\n'
              << "client:      " << message->clientIp << " (" << message->helo << ")\n"
              << "auth user:   " << (message->authUser.isEmpty() ? QStringLiteral("-") : message->authUser) << '\n'
              << "size:        " << message->sizeBytes << " bytes\n"
              << "queued at:   " << formatMs(message->createdAtMs) << '\n'
              << "attempts:    " << message->attempts << '\n'
              << "next try:    " << formatMs(message->nextAttemptAtMs) << '\n'
              << "last error:  " << (message->lastError.isEmpty() ? QStringLiteral("-") : message->lastError) << '\n';
        TextTable table({ QStringLiteral("RECIPIENT"), QStringLiteral("STATUS"), QStringLiteral("LAST ERROR") });
        for (const QueuedRecipient &recipient : message->recipients)
            table.addRow({ recipient.address, QueuedRecipient::statusName(recipient.status), recipient.lastError });
        m_out << '\n' << table.render() << '\n';
    }
    // As postcat -q: the headers, then the body, with a marker line before each when
    // both are shown; lines end as the terminal expects.
    QByteArray text = content.value();
    text.replace("\r\n", "\n");
    qsizetype split = text.startsWith('\n') ? 0 : text.indexOf("\n\n");
    const QByteArray headerPart = split < 0 ? text : text.left(split + 1);
    const QByteArray bodyPart = split < 0 ? QByteArray() : text.mid(split + (split == 0 ? 1 : 2));
    m_out.flush();
    if (headers)
    {
        if (body)
            m_out << "*** HEADERS ***\n";
        m_out << QString::fromUtf8(headerPart);
    }
    if (body)
    {
        if (headers)
            m_out << "*** BODY ***\n";
        m_out << QString::fromUtf8(bodyPart);
    }
    return Ok;
}

int CommandLine::runSmtpdAliases(const QStringList &args)
{
    if (wantsHelp(args, SmtpdUsage))
        return Ok;
    const QString sub = args.value(0);
    const QStringList operands = args.mid(1);
    if (sub == QLatin1String("addRcpthost"))
        return runRcptHost(QStringList { QStringLiteral("add") } + operands);
    if (sub == QLatin1String("delRcpthost"))
        return runRcptHost(QStringList { QStringLiteral("del") } + operands);
    if (sub == QLatin1String("addUser"))
        return runUser(QStringList { QStringLiteral("add") } + operands);
    if (sub == QLatin1String("delUser"))
        return runUser(QStringList { QStringLiteral("del") } + operands);
    return usageError(sub.isEmpty() ? QStringLiteral("smtpd needs a subcommand")
                                    : QStringLiteral("unknown smtpd subcommand '%1'").arg(sub),
        SmtpdUsage);
}
