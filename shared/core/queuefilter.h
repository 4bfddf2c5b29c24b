// Which queued messages an administrator means: by recipient domain, sender, age and
// status. Parsed once from the command line's options or the manager's fields, so that
// `tmail queue … --domain D` and the manager's filters accept and refuse the same text.
#pragma once

#include "core/expected.h"

#include <QString>
#include <QStringList>

class QueueFilter
{
public:
    // "example.com" (that domain) or "*.example.com" (its subdomains), in lower case.
    static Expected<QString> domainPattern(const QString &text);
    // "<>" (the null sender), an address (that sender) or a domain pattern (senders of
    // that domain), in lower case.
    static Expected<QString> senderPattern(const QString &text);
    // A whole number with a unit: 90s, 30m, 2h, 7d. Returns milliseconds (> 0).
    static Expected<qint64> age(const QString &text);
    // The states a queued message can be in, as the command line and the manager name
    // them: queued (not tried yet), deferred (tried, waiting for the next attempt),
    // active (a node is trying it now), held (an administrator held it).
    static QStringList statusNames();
    static Expected<QString> status(const QString &text);

    // Each given option parsed, the first bad one named in the error. Empty text: no
    // condition on that field.
    static Expected<QueueFilter> parse(
        const QString &domain, const QString &sender, const QString &olderThan, const QString &status = QString());

    // Whether a message matches every condition: a recipient still to deliver
    // (pendingRecipientDomains) in the domain, the sender, at least olderThan old, the status.
    bool matches(const QString &envelopeSender, const QStringList &pendingRecipientDomains, qint64 createdAtMs,
        const QString &messageStatus, qint64 nowMs) const;
    bool isEmpty() const;
    // "domain example.com, older than 2h": for messages and logs.
    QString describe() const;

    QString domain;
    QString sender;
    qint64 olderThanMs = 0;
    QString olderThanText;
    QString statusName;
};
