// tmail's command line: db, rcpthost, user, relayip, routes, queue and the seed's
// `smtpd addRcpthost|delRcpthost|addUser|delUser` spellings.
#include "cli/commandline.h"

#include "app/service.h"
#include "cli/texttable.h"
#include "core/timestamp.h"
#include "db/database.h"
#include "db/queuetable.h"
#include "db/tables.h"
#include "deliverd/bouncer.h"

#include <QDateTime>
#include <QFile>

namespace {

const QString DbUsage = QStringLiteral(
    "Usage: tmail db init\n"
    "  init   create the tables, or upgrade them to this version's schema\n");

const QString RcptHostUsage = QStringLiteral(
    "Usage: tmail rcpthost add [-l] DOMAIN | del DOMAIN | list\n"
    "  add DOMAIN   accept mail for DOMAIN from anyone (-l: the domain is local)\n"
    "  del DOMAIN   stop accepting mail for DOMAIN\n"
    "  list         show the accepted domains\n");

const QString UserUsage = QStringLiteral(
    "Usage: tmail user add [-r|--no-relay] EMAIL PASSWORD | del EMAIL | list | passwd EMAIL PASSWORD\n"
    "  add EMAIL PASSWORD     create an SMTP AUTH user; -r (the default): once authenticated\n"
    "                         it may relay to any domain; --no-relay: only to rcpthosts\n"
    "  del EMAIL              delete the user\n"
    "  list                   show the users\n"
    "  passwd EMAIL PASSWORD  set a new password\n");

const QString RelayIpUsage = QStringLiteral(
    "Usage: tmail relayip add IP|CIDR | del IP|CIDR | list\n"
    "  add IP|CIDR   let clients from this address or block relay to any domain\n"
    "  del IP|CIDR   remove it\n"
    "  list          show the relay addresses\n");

const QString RoutesUsage = QStringLiteral(
    "Usage: tmail routes add -d DOMAIN -rh HOST [-rp PORT] [-p PRIORITY] [-l LOCALIPS]\n"
    "                        [-u USER -pw PASSWORD] [-s SENDERDOMAIN] [-a AUTHUSER]\n"
    "       tmail routes del ID | list\n"
    "  -d DOMAIN        recipient domain the route applies to\n"
    "  -rh HOST         remote host (name or IP) to deliver to instead of the MX\n"
    "  -rp PORT         remote port (default 25)\n"
    "  -p PRIORITY      lower is tried first; equal priorities share the load (default 1)\n"
    "  -l LOCALIPS      source addresses, TMAIL_DELIVERD_LOCAL_IPS syntax (a|b, a&b)\n"
    "  -u USER -pw PASSWORD   AUTH PLAIN credentials for the remote host\n"
    "  -s SENDERDOMAIN  only for mail from this sender domain\n"
    "  -a AUTHUSER      only for mail submitted by this authenticated user\n");

const QString QueueUsage = QStringLiteral(
    "Usage: tmail queue list | show ID | discard ID | bounce ID | retry ID|--all\n"
    "  list         queued messages: id, sender, recipients, attempts, next try, last error\n"
    "  show ID      one message with its recipients\n"
    "  discard ID   delete the message without notice\n"
    "  bounce ID    give up on the message and bounce it to its sender\n"
    "  retry ID     try the message again now (--all: every message)\n");

const QString SmtpdUsage = QStringLiteral(
    "Usage: tmail smtpd addRcpthost DOMAIN | delRcpthost DOMAIN | addUser EMAIL PASSWORD | delUser EMAIL\n"
    "  The original spellings of rcpthost add/del and user add/del.\n");

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

CommandLine::CommandLine(QTextStream &out, QTextStream &err)
    : m_out(out)
    , m_err(err)
{
}

QString CommandLine::globalHelp()
{
    return QStringLiteral(
        "Usage: tmail [--config FILE] [COMMAND …]\n"
        "\n"
        "Without a command, tmail runs the mail server in the foreground.\n"
        "Settings come from the environment (TMAIL_*) when TMAIL_ME is set, else from\n"
        "--config FILE, else from conf/tmail.cfg beside the binary.\n"
        "\n"
        "Commands:\n"
        "  db init                                  create or upgrade the database tables\n"
        "  rcpthost add [-l] DOMAIN | del | list    domains tmail accepts mail for\n"
        "  user add EMAIL PASSWORD | del | list | passwd   SMTP AUTH users\n"
        "  relayip add IP|CIDR | del | list         clients allowed to relay\n"
        "  routes add -d DOMAIN -rh HOST … | del ID | list   static routes\n"
        "  queue list | show | discard | bounce | retry     the delivery queue\n"
        "  smtpd addRcpthost|delRcpthost|addUser|delUser    the original spellings\n"
        "  service install [--dry-run] | uninstall | status  run tmail as a system service\n"
        "\n"
        "Options:\n"
        "  --config FILE   read settings from FILE\n"
        "  --help          this help; `tmail COMMAND --help` for a command\n"
        "  --version       print the version\n"
        "\n"
        "Exit status: 0 done, 1 failure, 2 bad usage or input (nothing was changed).\n");
}

int CommandLine::run(const QStringList &args, const QString &configPath)
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
    if (command == QLatin1String("routes") || command == QLatin1String("route"))
        return runRoutes(rest);
    if (command == QLatin1String("queue"))
        return runQueue(rest);
    if (command == QLatin1String("smtpd"))
        return runSmtpdAliases(rest);
    if (command == QLatin1String("service")) // issue 6: systemd / launchd / SCM registration
        return Service(m_out, m_err).run(rest, configPath);
    return usageError(QStringLiteral("unknown command '%1'").arg(command), globalHelp());
}

std::optional<CommandLine::Parsed> CommandLine::parse(const QStringList &args, const QStringList &valued,
                                                      const QStringList &flags, const QString &usage)
{
    Parsed parsed;
    for (int i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == QLatin1String("--")) {
            parsed.positional += args.mid(i + 1);
            break;
        }
        if (arg.startsWith(QLatin1Char('-')) && arg.size() > 1) {
            if (valued.contains(arg)) {
                if (i + 1 >= args.size()) {
                    usageError(QStringLiteral("option %1 needs a value").arg(arg), usage);
                    return std::nullopt;
                }
                if (parsed.options.contains(arg)) {
                    usageError(QStringLiteral("option %1 is given twice").arg(arg), usage);
                    return std::nullopt;
                }
                parsed.options.insert(arg, args.at(++i));
                continue;
            }
            if (flags.contains(arg)) {
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

int CommandLine::usageError(const QString &message, const QString &usage)
{
    m_err << "tmail: " << message << "\n\n" << usage;
    m_err.flush();
    return BadUsage;
}

int CommandLine::failure(const QString &message)
{
    m_err << "tmail: " << message << '\n';
    m_err.flush();
    return Failure;
}

bool CommandLine::wantsHelp(const QStringList &args, const QString &help)
{
    if (!args.contains(QLatin1String("--help")) && !args.contains(QLatin1String("-h")))
        return false;
    m_out << help;
    m_out.flush();
    return true;
}

std::optional<Database> CommandLine::openDatabase(bool allowOldSchema)
{
    if (!m_config) {
        Expected<Config> config = Config::load(m_configPath);
        if (!config) {
            failure(config.error());
            return std::nullopt;
        }
        m_config = std::move(config).value();
    }
    Expected<Database> db = Database::open(m_config->db, QStringLiteral("cli"));
    if (!db) {
        failure(db.error());
        return std::nullopt;
    }
    if (!allowOldSchema) {
        const Expected<bool> needsUpgrade = db.value().needsUpgrade();
        if (!needsUpgrade) {
            failure(needsUpgrade.error());
            return std::nullopt;
        }
        if (needsUpgrade.value()) {
            failure(QStringLiteral("Database '%1' misses some tables; run `tmail db init` first.")
                        .arg(m_config->db.describe()));
            return std::nullopt;
        }
    }
    return std::optional<Database>(std::move(db).value());
}

template<typename Table, typename Record>
int CommandLine::printTable(const QStringList &headers, QStringList (*cells)(const Record &))
{
    std::optional<Database> db = openDatabase();
    if (!db)
        return Failure;
    const Expected<QList<Record>> rows = Table(*db).list();
    if (!rows)
        return failure(rows.error());
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
    if (args != QStringList{QStringLiteral("init")})
        return usageError(args.isEmpty() ? QStringLiteral("db needs a subcommand")
                                         : QStringLiteral("unknown db subcommand '%1'").arg(args.join(QLatin1Char(' '))),
                          DbUsage);
    std::optional<Database> db = openDatabase(true);
    if (!db)
        return Failure;
    const Status upgraded = db->upgrade();
    if (!upgraded)
        return failure(upgraded.error());
    m_out << "Database '" << m_config->db.describe() << "' is ready (schema version "
          << Database::currentSchemaVersion() << ").\n";
    return Ok;
}

int CommandLine::runRcptHost(const QStringList &args)
{
    if (wantsHelp(args, RcptHostUsage))
        return Ok;
    const std::optional<Parsed> parsed = parse(args, {}, {QStringLiteral("-l")}, RcptHostUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    const QStringList operands = parsed->positional.mid(1);

    if (sub == QLatin1String("list")) {
        if (!operands.isEmpty() || !parsed->options.isEmpty())
            return usageError(QStringLiteral("rcpthost list takes no argument"), RcptHostUsage);
        return printTable<RcptHostTable>({QStringLiteral("DOMAIN"), QStringLiteral("LOCAL")}, +[](const RcptHost &host) {
            return QStringList{host.domain.name(), yesNo(host.isLocal)};
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

    std::optional<Database> db = openDatabase();
    if (!db)
        return Failure;
    RcptHostTable table(*db);
    const Status status = sub == QLatin1String("add") ? table.add(domain.value(), parsed->options.contains(QStringLiteral("-l")))
                                                      : table.remove(domain.value());
    if (!status)
        return failure(status.error());
    m_out << "rcpthost " << domain->name()
          << (sub == QLatin1String("add") ? " added.\n" : " deleted.\n");
    return Ok;
}

int CommandLine::runUser(const QStringList &args)
{
    if (wantsHelp(args, UserUsage))
        return Ok;
    const std::optional<Parsed> parsed
        = parse(args, {}, {QStringLiteral("-r"), QStringLiteral("--no-relay")}, UserUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    const QStringList operands = parsed->positional.mid(1);

    if (sub == QLatin1String("list")) {
        if (!operands.isEmpty() || !parsed->options.isEmpty())
            return usageError(QStringLiteral("user list takes no argument"), UserUsage);
        return printTable<UserTable>({QStringLiteral("LOGIN"), QStringLiteral("MAY RELAY"), QStringLiteral("CREATED")},
                                     +[](const User &user) {
                                         return QStringList{user.login.toString(), yesNo(user.mayRelay),
                                                            formatTimestamp(user.createdAt)};
                                     });
    }

    const bool needsPassword = sub == QLatin1String("add") || sub == QLatin1String("passwd");
    if (!needsPassword && sub != QLatin1String("del"))
        return usageError(sub.isEmpty() ? QStringLiteral("user needs a subcommand")
                                        : QStringLiteral("unknown user subcommand '%1'").arg(sub),
                          UserUsage);
    if (operands.size() != (needsPassword ? 2 : 1))
        return usageError(needsPassword ? QStringLiteral("user %1 takes EMAIL PASSWORD").arg(sub)
                                        : QStringLiteral("user del takes one EMAIL"),
                          UserUsage);
    if (sub != QLatin1String("add") && !parsed->options.isEmpty())
        return usageError(QStringLiteral("user %1 takes no option").arg(sub), UserUsage);
    if (parsed->options.contains(QStringLiteral("-r")) && parsed->options.contains(QStringLiteral("--no-relay")))
        return usageError(QStringLiteral("-r and --no-relay contradict each other"), UserUsage);
    const Expected<MailAddress> login = MailAddress::parse(operands.first());
    if (!login)
        return usageError(QStringLiteral("invalid e-mail address: %1").arg(login.error()), UserUsage);
    const QString password = operands.value(1);
    if (needsPassword) {
        if (password.isEmpty())
            return usageError(QStringLiteral("the password must not be empty"), UserUsage);
        const QString problem = credentialProblem(password);
        if (!problem.isEmpty())
            return usageError(QStringLiteral("the password %1").arg(problem), UserUsage);
    }

    std::optional<Database> db = openDatabase();
    if (!db)
        return Failure;
    UserTable table(*db);
    Status status;
    if (sub == QLatin1String("add"))
        status = table.add(login.value(), password, !parsed->options.contains(QStringLiteral("--no-relay")));
    else if (sub == QLatin1String("passwd"))
        status = table.setPassword(login.value(), password);
    else
        status = table.remove(login.value());
    if (!status)
        return failure(status.error());
    const QString done = sub == QLatin1String("add") ? QStringLiteral("added")
                       : sub == QLatin1String("passwd") ? QStringLiteral("password changed")
                                                         : QStringLiteral("deleted");
    m_out << "user " << login->toString() << ' ' << done << ".\n";
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

    if (sub == QLatin1String("list")) {
        if (!operands.isEmpty())
            return usageError(QStringLiteral("relayip list takes no argument"), RelayIpUsage);
        return printTable<RelayIpTable>({QStringLiteral("IP/CIDR")},
                                        +[](const RelayIp &ip) { return QStringList{ip.range.toString()}; });
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

    std::optional<Database> db = openDatabase();
    if (!db)
        return Failure;
    RelayIpTable table(*db);
    const Status status = sub == QLatin1String("add") ? table.add(range.value()) : table.remove(range.value());
    if (!status)
        return failure(status.error());
    m_out << "relay IP " << range->toString() << (sub == QLatin1String("add") ? " added.\n" : " deleted.\n");
    return Ok;
}

int CommandLine::runRoutes(const QStringList &args)
{
    if (wantsHelp(args, RoutesUsage))
        return Ok;
    const QStringList valued = {QStringLiteral("-d"), QStringLiteral("-rh"), QStringLiteral("-rp"),
                                QStringLiteral("-p"), QStringLiteral("-l"), QStringLiteral("-u"),
                                QStringLiteral("-pw"), QStringLiteral("-s"), QStringLiteral("-a")};
    const std::optional<Parsed> parsed = parse(args, valued, {}, RoutesUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    const QStringList operands = parsed->positional.mid(1);
    const auto &options = parsed->options;

    if (sub == QLatin1String("list")) {
        if (!operands.isEmpty() || !options.isEmpty())
            return usageError(QStringLiteral("routes list takes no argument"), RoutesUsage);
        return printTable<RouteTable>(
            {QStringLiteral("ID"), QStringLiteral("DOMAIN"), QStringLiteral("REMOTE"), QStringLiteral("PRIORITY"),
             QStringLiteral("SENDER DOMAIN"), QStringLiteral("AUTH USER"), QStringLiteral("LOCAL IPS"), QStringLiteral("SMTP USER")},
            +[](const Route &route) {
                const auto orDefault = [](const QString &value, const QString &fallback) {
                    return value.isEmpty() ? fallback : value;
                };
                return QStringList{QString::number(route.id), route.recipientDomain.name(),
                                   route.remoteHost + QLatin1Char(':') + QString::number(route.remotePort),
                                   QString::number(route.priority), orDefault(route.senderDomain, QStringLiteral("*")),
                                   orDefault(route.authUser, QStringLiteral("*")), orDefault(route.localIps, QStringLiteral("-")),
                                   orDefault(route.smtpUser, QStringLiteral("-"))};
            });
    }
    if (sub == QLatin1String("del")) {
        if (operands.size() != 1 || !options.isEmpty())
            return usageError(QStringLiteral("routes del takes one ID"), RoutesUsage);
        bool numeric = false;
        const qint64 id = operands.first().toLongLong(&numeric);
        if (!numeric || id <= 0)
            return usageError(QStringLiteral("invalid route ID '%1': expected a positive number (see `tmail routes list`)")
                                  .arg(operands.first()),
                              RoutesUsage);
        std::optional<Database> db = openDatabase();
        if (!db)
            return Failure;
        const Status status = RouteTable(*db).remove(id);
        if (!status)
            return failure(status.error());
        m_out << "route " << id << " deleted.\n";
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
    const Expected<IpRange> hostIp = IpRange::parse(host);
    const bool hostIsIp = hostIp && !host.contains(QLatin1Char('/'));
    if (!hostIsIp) {
        const Expected<Domain> hostName = Domain::parse(host);
        if (!hostName)
            return usageError(QStringLiteral("invalid -rh host '%1': expected a host name or an IP address").arg(host),
                              RoutesUsage);
        route.remoteHost = hostName->name();
    } else {
        route.remoteHost = hostIp->network().toString();
    }

    if (options.contains(QStringLiteral("-rp"))) {
        bool numeric = false;
        const int port = options.value(QStringLiteral("-rp")).toInt(&numeric);
        if (!numeric || port < 1 || port > 65535)
            return usageError(QStringLiteral("invalid -rp port '%1': expected 1-65535").arg(options.value(QStringLiteral("-rp"))),
                              RoutesUsage);
        route.remotePort = quint16(port);
    }
    if (options.contains(QStringLiteral("-p"))) {
        bool numeric = false;
        const int priority = options.value(QStringLiteral("-p")).toInt(&numeric);
        if (!numeric || priority < 0 || priority > 1000000)
            return usageError(QStringLiteral("invalid -p priority '%1': expected a number from 0 to 1000000")
                                  .arg(options.value(QStringLiteral("-p"))),
                              RoutesUsage);
        route.priority = priority;
    }
    if (options.contains(QStringLiteral("-l"))) {
        const QString localIps = options.value(QStringLiteral("-l"));
        const Expected<LocalIpPolicy> policy = LocalIpPolicy::parse(localIps);
        if (!policy)
            return usageError(QStringLiteral("invalid -l local IPs: %1").arg(policy.error()), RoutesUsage);
        route.localIps = localIps;
    }
    if (options.contains(QStringLiteral("-u")) != options.contains(QStringLiteral("-pw")))
        return usageError(QStringLiteral("-u USER and -pw PASSWORD go together"), RoutesUsage);
    route.smtpUser = options.value(QStringLiteral("-u"));
    route.smtpPassword = options.value(QStringLiteral("-pw"));
    if (options.contains(QStringLiteral("-u")) && (route.smtpUser.isEmpty() || route.smtpPassword.isEmpty()))
        return usageError(QStringLiteral("-u and -pw must not be empty"), RoutesUsage);
    const QString userProblem = credentialProblem(route.smtpUser, RouteTable::MaxSmtpUserLength);
    if (!userProblem.isEmpty())
        return usageError(QStringLiteral("-u %1").arg(userProblem), RoutesUsage);
    const QString passwordProblem = credentialProblem(route.smtpPassword, RouteTable::MaxSmtpPasswordLength);
    if (!passwordProblem.isEmpty())
        return usageError(QStringLiteral("-pw %1").arg(passwordProblem), RoutesUsage);
    if (options.contains(QStringLiteral("-s"))) {
        const Expected<Domain> sender = Domain::parse(options.value(QStringLiteral("-s")));
        if (!sender)
            return usageError(QStringLiteral("invalid -s sender domain: %1").arg(sender.error()), RoutesUsage);
        route.senderDomain = sender->name();
    }
    if (options.contains(QStringLiteral("-a"))) {
        const Expected<MailAddress> user = MailAddress::parse(options.value(QStringLiteral("-a")));
        if (!user)
            return usageError(QStringLiteral("invalid -a user: %1").arg(user.error()), RoutesUsage);
        route.authUser = user->toString();
    }

    std::optional<Database> db = openDatabase();
    if (!db)
        return Failure;
    const Expected<qint64> id = RouteTable(*db).add(route);
    if (!id)
        return failure(id.error());
    m_out << "route " << id.value() << " added: " << route.recipientDomain.name() << " -> " << route.remoteHost << ':'
          << route.remotePort << " (priority " << route.priority << ").\n";
    return Ok;
}

int CommandLine::runQueue(const QStringList &args)
{
    if (wantsHelp(args, QueueUsage))
        return Ok;
    const std::optional<Parsed> parsed = parse(args, {}, {QStringLiteral("--all")}, QueueUsage);
    if (!parsed)
        return BadUsage;
    const QString sub = parsed->positional.value(0);
    const QStringList operands = parsed->positional.mid(1);
    const bool all = parsed->options.contains(QStringLiteral("--all"));

    if (sub == QLatin1String("list")) {
        if (!operands.isEmpty() || all)
            return usageError(QStringLiteral("queue list takes no argument"), QueueUsage);
        std::optional<Database> db = openDatabase();
        if (!db)
            return Failure;
        const Expected<QList<QueuedMessage>> messages = QueueTable(*db).list(0, 1000000);
        if (!messages)
            return failure(messages.error());
        TextTable table({QStringLiteral("ID"), QStringLiteral("SENDER"), QStringLiteral("RECIPIENTS"),
                         QStringLiteral("ATTEMPTS"), QStringLiteral("NEXT TRY"), QStringLiteral("LAST ERROR")});
        for (const QueuedMessage &message : messages.value()) {
            QStringList recipients;
            for (const QueuedRecipient &recipient : message.recipients)
                recipients.append(recipient.address);
            table.addRow({message.id,
                          message.envelopeSender.isEmpty() ? QStringLiteral("<>") : message.envelopeSender,
                          recipients.join(QStringLiteral(", ")), QString::number(message.attempts),
                          formatMs(message.nextAttemptAtMs), message.lastError.left(60)});
        }
        m_out << table.render();
        return Ok;
    }
    if (sub == QLatin1String("retry") && all) {
        if (!operands.isEmpty())
            return usageError(QStringLiteral("queue retry takes an ID or --all, not both"), QueueUsage);
        std::optional<Database> db = openDatabase();
        if (!db)
            return Failure;
        const Status status = QueueTable(*db).retryAll();
        if (!status)
            return failure(status.error());
        m_out << "every queued message will be tried again now.\n";
        return Ok;
    }
    const QStringList withId = {QStringLiteral("show"), QStringLiteral("discard"), QStringLiteral("bounce"),
                                QStringLiteral("retry")};
    if (!withId.contains(sub))
        return usageError(sub.isEmpty() ? QStringLiteral("queue needs a subcommand")
                                        : QStringLiteral("unknown queue subcommand '%1'").arg(sub),
                          QueueUsage);
    if (operands.size() != 1 || all)
        return usageError(QStringLiteral("queue %1 takes one message ID").arg(sub), QueueUsage);
    const QString id = operands.first().toLower();
    if (!QueueTable::isValidId(id))
        return usageError(QStringLiteral("invalid message ID '%1': expected 40 hexadecimal digits").arg(operands.first()),
                          QueueUsage);

    std::optional<Database> db = openDatabase();
    if (!db)
        return Failure;
    QueueTable queue(*db);
    const Expected<QueuedMessage> message = queue.find(id);
    if (!message)
        return failure(message.error());

    if (sub == QLatin1String("show")) {
        m_out << "id:          " << message->id << '\n'
              << "sender:      " << (message->envelopeSender.isEmpty() ? QStringLiteral("<>") : message->envelopeSender) << '\n'
              << "client:      " << message->clientIp << " (" << message->helo << ")\n"
              << "auth user:   " << (message->authUser.isEmpty() ? QStringLiteral("-") : message->authUser) << '\n'
              << "size:        " << message->sizeBytes << " bytes\n"
              << "queued at:   " << formatMs(message->createdAtMs) << '\n'
              << "attempts:    " << message->attempts << '\n'
              << "next try:    " << formatMs(message->nextAttemptAtMs) << '\n'
              << "last error:  " << (message->lastError.isEmpty() ? QStringLiteral("-") : message->lastError) << '\n';
        TextTable table({QStringLiteral("RECIPIENT"), QStringLiteral("STATUS"), QStringLiteral("LAST ERROR")});
        for (const QueuedRecipient &recipient : message->recipients) {
            const QString status = recipient.status == 1 ? QStringLiteral("delivered")
                                 : recipient.status == 2 ? QStringLiteral("failed")
                                                         : QStringLiteral("pending");
            table.addRow({recipient.address, status, recipient.lastError});
        }
        m_out << '\n' << table.render();
        return Ok;
    }
    if (sub == QLatin1String("retry")) {
        const Status status = queue.retry(id);
        if (!status)
            return failure(status.error());
        m_out << "message " << id << " will be tried again now.\n";
        return Ok;
    }
    if (sub == QLatin1String("bounce")) {
        const Status bounced = Bouncer::bounceNow(*db, *m_config, id);
        if (!bounced)
            return failure(bounced.error());
        m_out << "message " << id << " bounced to "
              << (message->envelopeSender.isEmpty() ? QStringLiteral("nobody (null sender)") : message->envelopeSender)
              << ".\n";
        return Ok;
    }

    // discard: the queue record first (the message is gone for deliverd), then its body.
    const Status removed = queue.remove(id);
    if (!removed)
        return failure(removed.error());
    if (!message->storeKey.isEmpty())
        QFile::remove(m_config->storePath + QLatin1Char('/') + message->storeKey);
    m_out << "message " << id << " discarded.\n";
    return Ok;
}

int CommandLine::runSmtpdAliases(const QStringList &args)
{
    if (wantsHelp(args, SmtpdUsage))
        return Ok;
    const QString sub = args.value(0);
    const QStringList operands = args.mid(1);
    if (sub == QLatin1String("addRcpthost"))
        return runRcptHost(QStringList{QStringLiteral("add")} + operands);
    if (sub == QLatin1String("delRcpthost"))
        return runRcptHost(QStringList{QStringLiteral("del")} + operands);
    if (sub == QLatin1String("addUser"))
        return runUser(QStringList{QStringLiteral("add")} + operands);
    if (sub == QLatin1String("delUser"))
        return runUser(QStringList{QStringLiteral("del")} + operands);
    return usageError(sub.isEmpty() ? QStringLiteral("smtpd needs a subcommand")
                                    : QStringLiteral("unknown smtpd subcommand '%1'").arg(sub),
                      SmtpdUsage);
}
