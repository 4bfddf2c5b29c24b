// The nodes and store commands' argument parsing and output; the work is NodeTable's
// and StoreMigration's.
#include "cli/clustercommand.h"

#include "cli/commanddatabase.h"

#include "cli/texttable.h"
#include "core/timestamp.h"
#include "db/database.h"
#include "db/nodetable.h"
#include "queue/storemigration.h"

#include <QDateTime>
#include <QLocalSocket>

namespace {

// How long the store command waits to see whether the local daemon answers.
constexpr int DaemonProbeMs = 1000;

} // namespace

ClusterCommand::ClusterCommand(QTextStream &out, QTextStream &err, const QString &configPath)
    : m_out(out), m_err(err), m_configPath(configPath)
{ }

QString ClusterCommand::nodesUsage()
{
    return QStringLiteral("Usage: tmail nodes\n"
                          "  every tmail node that shares this database: its id (TMAIL_NODE_ID), host, version,\n"
                          "  start, last heartbeat, state (running, stopped, or silent: no heartbeat for 30 s,\n"
                          "  its claims go to the other nodes when their lease runs out) and the claims it holds\n");
}

QString ClusterCommand::storeUsage()
{
    return QStringLiteral("Usage: tmail store migrate --to database|disk\n"
                          "  moves the bodies of queued messages into the database or onto the disk store\n"
                          "  (TMAIL_STORE_SOURCE), then set TMAIL_STORE_DRIVER to match; every tmail node must\n"
                          "  be stopped. Prints how many messages and bytes moved.\n");
}

QString ClusterCommand::helpLines()
{
    return QStringLiteral("  nodes                                    the nodes sharing this database\n"
                          "  store migrate --to database|disk         move queued bodies (tmail stopped)\n");
}

int ClusterCommand::usageError(const QString &message, const QString &usage)
{
    m_err << "tmail: " << message << "\n\n" << usage;
    m_err.flush();
    return 2;
}

int ClusterCommand::failed(ErrorKind kind, const QString &message)
{
    m_err << "tmail: " << message << '\n';
    m_err.flush();
    return kind == ErrorKind::InvalidInput ? 2 : 1;
}

std::optional<Database> ClusterCommand::openDatabase()
{
    Expected<Database> db = openCommandDatabase(m_configPath, &m_config);
    if (!db)
    {
        failed(db.kind(), db.error());
        return std::nullopt;
    }
    return std::optional<Database>(std::move(db).value());
}

int ClusterCommand::runNodes(const QStringList &args)
{
    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h")))
    {
        m_out << nodesUsage();
        return 0;
    }
    if (!args.isEmpty())
        return usageError(QStringLiteral("nodes takes no argument"), nodesUsage());
    std::optional<Database> db = openDatabase();
    if (!db)
        return 1;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const Expected<QList<NodeRecord>> nodes = NodeTable(*db).list(now);
    if (!nodes)
        return failed(nodes.kind(), nodes.error());
    TextTable table(
        { QStringLiteral("NODE"), QStringLiteral("HOST"), QStringLiteral("VERSION"), QStringLiteral("STARTED"),
            QStringLiteral("LAST HEARTBEAT"), QStringLiteral("STATE"), QStringLiteral("CLAIMS") });
    for (const NodeRecord &node : nodes.value())
    {
        table.addRow({ node.id, node.host, node.version, formatTimestampMs(node.startedAtMs),
            QStringLiteral("%1 (%2 s ago)").arg(formatTimestampMs(node.lastBeatAtMs)).arg(node.lastBeatAgeSeconds(now)),
            node.stateName(now), QString::number(node.claims) });
    }
    m_out << table.render();
    return 0;
}

int ClusterCommand::runStore(const QStringList &args)
{
    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h")))
    {
        m_out << storeUsage();
        return 0;
    }
    if (args.value(0) != QLatin1String("migrate"))
        return usageError(args.isEmpty() ? QStringLiteral("store needs a subcommand")
                                         : QStringLiteral("unknown store subcommand '%1'").arg(args.value(0)),
            storeUsage());
    if (args.size() != 3 || args.at(1) != QLatin1String("--to"))
        return usageError(QStringLiteral("store migrate takes --to database|disk"), storeUsage());
    const QString to = args.at(2);
    if (to != QLatin1String("database") && to != QLatin1String("disk"))
        return usageError(QStringLiteral("unknown store '%1'; expected database or disk").arg(to), storeUsage());
    std::optional<Database> db = openDatabase();
    if (!db)
        return 1;
    // The local daemon answers on its manager socket; the other nodes show by their heartbeat.
    QLocalSocket probe;
    probe.connectToServer(m_config->managerSocket);
    if (probe.waitForConnected(DaemonProbeMs))
        return failed(ErrorKind::Unavailable,
            QStringLiteral("tmail is running (its manager socket %1 answers): stop it before a migration")
                .arg(m_config->managerSocket));
    StoreMigration migration(*db, m_config->storePath);
    const Status quiet = migration.checkNoNodeRuns();
    if (!quiet)
        return failed(quiet.kind(), quiet.error());
    const Expected<StoreMigrationResult> moved = migration.migrateTo(to);
    if (!moved)
        return failed(moved.kind(), moved.error());
    m_out << QStringLiteral("%1 message(s), %2 bytes moved to the %3 store.\n")
                 .arg(moved->messages)
                 .arg(moved->bytes)
                 .arg(to);
    if (m_config->storeDriver != to)
        m_out << QStringLiteral("Set TMAIL_STORE_DRIVER=%1 before starting tmail.\n").arg(to);
    return 0;
}
