// Heartbeat rows in nodes.
#include "db/nodetable.h"

#include <QVariant>

Status NodeTable::beat(
    const QString &nodeId, const QString &host, const QString &version, qint64 startedAtMs, qint64 nowMs, int claims)
{
    const Expected<QSqlQuery> beaten = m_db.exec(QStringLiteral("beat_node"),
        {
            { QStringLiteral("id"), nodeId },
            { QStringLiteral("host"), host },
            { QStringLiteral("version"), version },
            { QStringLiteral("started_at_ms"), startedAtMs },
            { QStringLiteral("now"), nowMs },
            { QStringLiteral("claims"), claims },
        });
    return beaten ? Status() : Status::failure(beaten);
}

Status NodeTable::stop(const QString &nodeId, qint64 nowMs)
{
    const Expected<QSqlQuery> stopped = m_db.exec(
        QStringLiteral("stop_node"), { { QStringLiteral("id"), nodeId }, { QStringLiteral("now"), nowMs } });
    return stopped ? Status() : Status::failure(stopped);
}

QString NodeRecord::stateName(qint64 nowMs) const
{
    if (stoppedAtMs != 0)
        return QStringLiteral("stopped");
    return isLive(nowMs) ? QStringLiteral("running") : QStringLiteral("silent");
}

Expected<QList<NodeRecord>> NodeTable::list(qint64 nowMs)
{
    Expected<QSqlQuery> query = m_db.exec(QStringLiteral("list_nodes"), { { QStringLiteral("now"), nowMs } });
    if (!query)
        return Expected<QList<NodeRecord>>::failure(query);
    QList<NodeRecord> nodes;
    while (query.value().next())
    {
        NodeRecord node;
        node.id = query.value().value(0).toString();
        node.host = query.value().value(1).toString();
        node.version = query.value().value(2).toString();
        node.startedAtMs = query.value().value(3).toLongLong();
        node.lastBeatAtMs = query.value().value(4).toLongLong();
        node.stoppedAtMs = query.value().value(5).isNull() ? 0 : query.value().value(5).toLongLong();
        node.claims = query.value().value(6).toInt();
        nodes.append(node);
    }
    return nodes;
}
