// The dkim command's argument parsing and output; the work is DkimService's.
#include "cli/dkimcommand.h"

#include "cli/commanddatabase.h"

#include "admin/dkimservice.h"
#include "cli/texttable.h"
#include "db/database.h"
#include "dkim/dkimkeys.h"

#include <QDateTime>

DkimCommand::DkimCommand(QTextStream &out, QTextStream &err, const QString &configPath)
    : m_out(out), m_err(err), m_configPath(configPath)
{ }

QString DkimCommand::usage()
{
    return QStringLiteral(
        "Usage: tmail dkim add DOMAIN [-s SELECTOR] [-a rsa|ed25519|both] [--bits 2048|3072|4096]\n"
        "       tmail dkim dns DOMAIN | list | del DOMAIN [-s SELECTOR] | rotate DOMAIN | check DOMAIN\n"
        "  add DOMAIN     make DKIM key pairs for DOMAIN (default: both, RSA 2048, selector\n"
        "                 tmail<yyyymm>, with -rsa/-ed suffixes when both); they sign at once\n"
        "  dns DOMAIN     the TXT records to publish for DOMAIN's keys\n"
        "  list           every key: domain, selector, algorithm, created, active\n"
        "  del DOMAIN     delete DOMAIN's keys (-s: only that selector)\n"
        "  rotate DOMAIN  new keys under a new selector sign from now on; the old ones stay\n"
        "                 published (in `dns`) until deleted\n"
        "  check DOMAIN   look the records up in DNS (TMAIL_DNS_SERVERS): published, missing\n"
        "                 or different key, per selector\n");
}

QString DkimCommand::helpLine()
{
    return QStringLiteral("  dkim add DOMAIN | dns | list | del | rotate | check   DKIM signing keys\n");
}

int DkimCommand::usageError(const QString &message)
{
    m_err << "tmail: " << message << "\n\n" << usage();
    m_err.flush();
    return 2;
}

int DkimCommand::failed(ErrorKind kind, const QString &message)
{
    m_err << "tmail: " << message << '\n';
    m_err.flush();
    switch (kind)
    {
    case ErrorKind::InvalidInput:
    case ErrorKind::NotFound:
    case ErrorKind::AlreadyExists:
        return 2; // the input was wrong; nothing was changed
    default:
        return 1;
    }
}

std::optional<Database> DkimCommand::openDatabase()
{
    Expected<Database> db = openCommandDatabase(m_configPath, &m_config);
    if (!db)
    {
        failed(db.kind(), db.error());
        return std::nullopt;
    }
    return std::optional<Database>(std::move(db).value());
}

int DkimCommand::run(const QStringList &args)
{
    if (args.isEmpty())
        return usageError(QStringLiteral("dkim needs a subcommand"));
    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h")))
    {
        m_out << usage();
        return 0;
    }
    const QString sub = args.first();
    QStringList positional;
    QString selector;
    QString algorithm = QStringLiteral("both");
    QString bitsText = QStringLiteral("2048");
    bool selectorGiven = false;
    bool algorithmGiven = false;
    bool bitsGiven = false;
    for (int i = 1; i < args.size(); ++i)
    {
        const QString &arg = args.at(i);
        QString *target = nullptr;
        bool *given = nullptr;
        if (arg == QLatin1String("-s"))
        {
            target = &selector;
            given = &selectorGiven;
        }
        else if (arg == QLatin1String("-a"))
        {
            target = &algorithm;
            given = &algorithmGiven;
        }
        else if (arg == QLatin1String("--bits"))
        {
            target = &bitsText;
            given = &bitsGiven;
        }
        else if (arg.startsWith(QLatin1Char('-')) && arg.size() > 1)
        {
            return usageError(QStringLiteral("unknown option '%1'").arg(arg));
        }
        else
        {
            positional.append(arg);
            continue;
        }
        if (*given)
            return usageError(QStringLiteral("option %1 is given twice").arg(arg));
        if (i + 1 >= args.size())
            return usageError(QStringLiteral("option %1 needs a value").arg(arg));
        *target = args.at(++i);
        *given = true;
    }
    const bool takesDomain = sub != QLatin1String("list");
    const bool known = sub == QLatin1String("add") || sub == QLatin1String("dns") || sub == QLatin1String("list")
        || sub == QLatin1String("del") || sub == QLatin1String("rotate") || sub == QLatin1String("check");
    if (!known)
        return usageError(QStringLiteral("unknown dkim subcommand '%1'").arg(sub));
    if (positional.size() != (takesDomain ? 1 : 0))
        return usageError(takesDomain ? QStringLiteral("dkim %1 takes one DOMAIN").arg(sub)
                                      : QStringLiteral("dkim list takes no argument"));
    if ((algorithmGiven || bitsGiven) && sub != QLatin1String("add"))
        return usageError(QStringLiteral("-a and --bits go with dkim add"));
    if (selectorGiven && sub != QLatin1String("add") && sub != QLatin1String("del"))
        return usageError(QStringLiteral("-s goes with dkim add and dkim del"));
    bool bitsOk = false;
    const int bits = bitsText.toInt(&bitsOk);
    if (!bitsOk)
        return usageError(QStringLiteral("--bits takes 2048, 3072 or 4096, not '%1'").arg(bitsText));
    const QString domain = positional.value(0);
    // Input errors are caught before the database is opened where the service allows it.
    if (takesDomain)
    {
        const Expected<QString> parsed = DkimService::normaliseDomain(domain);
        if (!parsed)
            return usageError(parsed.error());
    }
    if (sub == QLatin1String("add"))
    {
        const Status input = DkimService::checkAddInput(domain, selector, algorithm, bits);
        if (!input)
            return usageError(input.error());
    }
    if (sub == QLatin1String("del") && selectorGiven && !DkimKeys::isSelector(selector))
        return usageError(QStringLiteral("'%1' is not a selector").arg(selector));

    std::optional<Database> db = openDatabase();
    if (!db)
        return 1;
    DkimService service(*db);

    if (sub == QLatin1String("add") || sub == QLatin1String("rotate"))
    {
        const Expected<QList<DkimKey>> keys
            = sub == QLatin1String("add") ? service.add(domain, selector, algorithm, bits) : service.rotate(domain);
        if (!keys)
            return failed(keys.kind(), keys.error());
        for (const DkimKey &key : keys.value())
            m_out << "DKIM key " << key.selector << " (" << key.algorithm << ") added for " << key.domain << '\n';
        m_out << "Publish these records (tmail dkim dns " << domain << "):\n";
        const Expected<QStringList> records = service.dnsRecords(domain);
        if (records)
        {
            for (const QString &line : records.value())
                m_out << line << '\n';
        }
        return 0;
    }
    if (sub == QLatin1String("dns"))
    {
        const Expected<QStringList> records = service.dnsRecords(domain);
        if (!records)
            return failed(records.kind(), records.error());
        for (const QString &line : records.value())
            m_out << line << '\n';
        return 0;
    }
    if (sub == QLatin1String("list"))
    {
        const Expected<QList<DkimKey>> keys = service.list();
        if (!keys)
            return failed(keys.kind(), keys.error());
        TextTable table({ QStringLiteral("DOMAIN"), QStringLiteral("SELECTOR"), QStringLiteral("ALGORITHM"),
            QStringLiteral("BITS"), QStringLiteral("CREATED"), QStringLiteral("ACTIVE") });
        for (const DkimKey &key : keys.value())
        {
            table.addRow({ key.domain, key.selector, key.algorithm, QString::number(key.bits),
                QDateTime::fromMSecsSinceEpoch(key.createdAtMs, Qt::UTC)
                    .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss")),
                key.active ? QStringLiteral("yes") : QStringLiteral("no") });
        }
        m_out << table.render();
        return 0;
    }
    if (sub == QLatin1String("del"))
    {
        const Status removed = service.remove(domain, selector);
        if (!removed)
            return failed(removed.kind(), removed.error());
        m_out << "DKIM key(s) of " << domain
              << (selector.isEmpty() ? QString() : QStringLiteral(" selector ") + selector) << " deleted\n";
        return 0;
    }
    // check
    const Expected<QList<DkimDnsCheck>> checks = service.check(domain, m_config->dnsServers);
    if (!checks)
        return failed(checks.kind(), checks.error());
    TextTable table(
        { QStringLiteral("SELECTOR"), QStringLiteral("ALGORITHM"), QStringLiteral("DNS"), QStringLiteral("DETAIL") });
    bool allPublished = true;
    for (const DkimDnsCheck &check : checks.value())
    {
        table.addRow({ check.selector, check.algorithm, DkimDnsCheck::stateName(check.state), check.detail });
        allPublished = allPublished && check.state == DkimDnsCheck::State::Published;
    }
    m_out << table.render();
    return allPublished ? 0 : 1;
}
