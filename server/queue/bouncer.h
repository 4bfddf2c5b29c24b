// Builds RFC 3464 delivery status notifications (failed, delayed, relayed, delivered)
// from the templates in tpl/ and queues them, with the null sender, to the sender of the
// message they report on, as the recipients' RFC 3461 NOTIFY, RET and ENVID ask.
#pragma once

#include "config/config.h"
#include "core/expected.h"
#include "db/database.h"
#include "db/queuetable.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

class QIODevice;

class Bouncer
{
public:
    // The Action of a notice (RFC 3464 §2.3.3).
    enum class Action
    {
        Failed, // tpl/bounce.tpl
        Delayed, // tpl/delay.tpl
        Delivered, // tpl/success.tpl
        Relayed // tpl/success.tpl
    };

    Bouncer(Database &db, const Config &config);

    // Queues a bounce for the recipients of original whose status is Failed (their
    // lastError is the diagnostic) and whose NOTIFY asks for failures. Returns the new
    // message's id, or an empty id when there is nobody to tell (the null sender, or
    // NOTIFY=NEVER / without FAILURE for every failed recipient). Blocking (fsync).
    Expected<QString> queueBounce(const QueuedMessage &original);
    // Queues a notice with that Action for the recipients of original at positions, to
    // its sender (never to <>: an empty id then). The caller chose the recipients (see
    // wants()); their lastError is the diagnostic. Returns the new message's id.
    Expected<QString> queueNotice(const QueuedMessage &original, Action action, const QList<int> &positions);
    // Whether recipient's NOTIFY asks for a notice with that Action (RFC 3461 §4.1:
    // SUCCESS covers delivered and relayed).
    static bool wants(const QueuedRecipient &recipient, Action action);

    // The whole notice (CRLF lines) for the recipients of original at positions;
    // returned is what goes in the third part: the original's headers, or the whole
    // message when fullMessage (RET=FULL on a failure). Public for tests.
    static QByteArray buildReport(Action action, const QString &me, const QString &templateText,
        const QueuedMessage &original, const QList<int> &positions, const QByteArray &returned, bool fullMessage,
        const QString &boundary, const QDateTime &now, const QDateTime &retryUntil = QDateTime());
    // The template of action under baseDir/tpl, or the built-in copy when it is missing.
    static QString loadTemplate(const QString &baseDir, Action action = Action::Failed);
    // The header block of a stored message (up to the first empty line, capped).
    static QByteArray readHeaders(const QString &bodyPath);
    static QByteArray readHeaders(QIODevice &body);

private:
    Database &m_db;
    const Config &m_config;
};
