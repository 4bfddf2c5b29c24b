// The nodes of a cluster (table nodes): each daemon's heartbeat row, and what
// `tmail nodes` and the migration read from it.
#pragma once

#include "core/expected.h"
#include "db/database.h"

#include <QList>
#include <QString>

struct NodeRecord
{
    QString id; // TMAIL_NODE_ID
    QString host;
    QString version;
    qint64 startedAtMs = 0;
    qint64 lastBeatAtMs = 0;
    qint64 stoppedAtMs = 0; // 0 while it runs (or when it died without stopping)
    int claims = 0; // queue claims it holds now (leases not run out)

    // Running: not stopped and its last beat is recent (a node beats every few seconds).
    bool isLive(qint64 nowMs) const { return stoppedAtMs == 0 && nowMs - lastBeatAtMs < LiveBeatAgeMs; }
    // "running", "stopped" (cleanly) or "silent" (no heartbeat for LiveBeatAgeMs: its claims
    // go to the other nodes when their lease runs out), as `tmail nodes` and the manager say.
    QString stateName(qint64 nowMs) const;
    // Whole seconds since the last heartbeat.
    qint64 lastBeatAgeSeconds(qint64 nowMs) const { return qMax<qint64>(0, nowMs - lastBeatAtMs) / 1000; }
    static constexpr qint64 LiveBeatAgeMs = 30000;
};

class NodeTable
{
public:
    explicit NodeTable(Database &db) : m_db(db) { }

    // Inserts or updates the row of nodeId (and marks it running).
    Status beat(const QString &nodeId, const QString &host, const QString &version, qint64 startedAtMs, qint64 nowMs,
        int claims);
    // Marks nodeId stopped cleanly.
    Status stop(const QString &nodeId, qint64 nowMs);
    // Every node, by id, with the claims each holds at nowMs.
    Expected<QList<NodeRecord>> list(qint64 nowMs);

private:
    Database &m_db;
};
