// Builds RFC 3464 delivery status notifications from tpl/bounce.tpl and queues
// them, with the null sender, to the sender of a message that failed.
#pragma once

#include "config/config.h"
#include "core/expected.h"
#include "db/database.h"
#include "db/queuetable.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

class QIODevice;

class Bouncer
{
public:
    Bouncer(Database &db, const Config &config);

    // Queues a bounce for the recipients of original whose status is Failed (their
    // lastError is the diagnostic). Returns the new message's id. Blocking (fsync).
    Expected<QString> queueBounce(const QueuedMessage &original);

    // The whole bounce message (CRLF lines). Public for tests.
    static QByteArray buildReport(const QString &me, const QString &templateText, const QueuedMessage &original,
        const QByteArray &originalHeaders, const QString &boundary, const QDateTime &now);
    // tpl/bounce.tpl under baseDir, or the built-in copy when it is missing.
    static QString loadTemplate(const QString &baseDir);
    // The header block of a stored message (up to the first empty line, capped).
    static QByteArray readHeaders(const QString &bodyPath);
    static QByteArray readHeaders(QIODevice &body);

private:
    Database &m_db;
    const Config &m_config;
};
