// `tmail store migrate --to database|disk`: moves the bodies of queued messages from one
// store to the other, one message per transaction, while no tmail node runs.
#pragma once

#include "core/expected.h"
#include "db/database.h"

#include <QString>

struct StoreMigrationResult
{
    qint64 messages = 0;
    qint64 bytes = 0;
};

class StoreMigration
{
public:
    StoreMigration(Database &db, const QString &storePath);

    // Refuses (ErrorKind::Unavailable) while a node's heartbeat says it runs.
    Status checkNoNodeRuns();
    // Moves every body that is not in the store named to ("database" or "disk") there.
    // Each message moves in its own transaction: an interrupted migration leaves every
    // message whole in one store or the other, and running it again finishes the job.
    Expected<StoreMigrationResult> migrateTo(const QString &to);

private:
    Status toDatabase(const QString &id, const QString &key, qint64 *bytes);
    Status toDisk(const QString &id, qint64 *bytes);

    Database &m_db;
    QString m_storePath;
};
