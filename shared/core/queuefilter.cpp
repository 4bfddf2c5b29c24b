// See queuefilter.h.
#include "core/queuefilter.h"

#include "core/domain.h"
#include "core/mailaddress.h"

namespace {

bool domainMatches(const QString &pattern, const QString &domain)
{
    if (pattern.startsWith(QLatin1String("*.")))
        return domain.endsWith(pattern.mid(1), Qt::CaseInsensitive);
    return domain.compare(pattern, Qt::CaseInsensitive) == 0;
}

} // namespace

Expected<QString> QueueFilter::domainPattern(const QString &text)
{
    const QString trimmed = text.trimmed();
    const bool wildcard = trimmed.startsWith(QLatin1String("*."));
    const Expected<Domain> domain = Domain::parse(wildcard ? trimmed.mid(2) : trimmed);
    if (!domain)
        return Expected<QString>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not a domain or *.domain pattern: %2").arg(text, domain.error()));
    return QString((wildcard ? QStringLiteral("*.") : QString()) + domain->name().toLower());
}

Expected<QString> QueueFilter::senderPattern(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == QLatin1String("<>"))
        return trimmed;
    if (!trimmed.contains(QLatin1Char('@')))
        return domainPattern(trimmed);
    const Expected<MailAddress> address = MailAddress::parse(trimmed, true);
    if (!address)
        return Expected<QString>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not an address, <> or a domain pattern: %2").arg(text, address.error()));
    return address->toString().toLower();
}

Expected<qint64> QueueFilter::age(const QString &text)
{
    const QString trimmed = text.trimmed();
    const auto bad = [&text]() {
        return Expected<qint64>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not an age: expected a whole number and a unit, e.g. 90s, 30m, 2h, 7d").arg(text));
    };
    if (trimmed.size() < 2)
        return bad();
    qint64 unitMs = 0;
    switch (trimmed.back().toLower().unicode())
    {
    case 's':
        unitMs = 1000;
        break;
    case 'm':
        unitMs = 60 * 1000;
        break;
    case 'h':
        unitMs = 3600 * 1000;
        break;
    case 'd':
        unitMs = 24 * 3600 * 1000;
        break;
    default:
        return bad();
    }
    const QString digits = trimmed.chopped(1);
    for (const QChar c : digits)
    {
        if (!c.isDigit() || c.unicode() > '9')
            return bad();
    }
    bool ok = false;
    const qint64 count = digits.toLongLong(&ok);
    // Ten years at most: no overflow, and no age a queued message could have.
    if (!ok || count < 1 || count * unitMs > Q_INT64_C(3650) * 24 * 3600 * 1000)
        return bad();
    return count * unitMs;
}

QStringList QueueFilter::statusNames()
{
    return { QStringLiteral("queued"), QStringLiteral("deferred"), QStringLiteral("active"), QStringLiteral("held") };
}

Expected<QString> QueueFilter::status(const QString &text)
{
    const QString name = text.trimmed().toLower();
    if (!statusNames().contains(name))
        return Expected<QString>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not a queue status: expected %2")
                .arg(text, statusNames().join(QStringLiteral(", "))));
    return name;
}

Expected<QueueFilter> QueueFilter::parse(
    const QString &domain, const QString &sender, const QString &olderThan, const QString &status)
{
    QueueFilter filter;
    const auto failed = [](const QString &field, const QString &error) {
        return Expected<QueueFilter>::failure(ErrorKind::InvalidInput, QStringLiteral("%1: %2").arg(field, error));
    };
    if (!domain.isEmpty())
    {
        const Expected<QString> parsed = domainPattern(domain);
        if (!parsed)
            return failed(QStringLiteral("domain"), parsed.error());
        filter.domain = parsed.value();
    }
    if (!sender.isEmpty())
    {
        const Expected<QString> parsed = senderPattern(sender);
        if (!parsed)
            return failed(QStringLiteral("sender"), parsed.error());
        filter.sender = parsed.value();
    }
    if (!olderThan.isEmpty())
    {
        const Expected<qint64> parsed = age(olderThan);
        if (!parsed)
            return failed(QStringLiteral("older than"), parsed.error());
        filter.olderThanMs = parsed.value();
        filter.olderThanText = olderThan.trimmed();
    }
    if (!status.isEmpty())
    {
        const Expected<QString> parsed = QueueFilter::status(status);
        if (!parsed)
            return failed(QStringLiteral("status"), parsed.error());
        filter.statusName = parsed.value();
    }
    return filter;
}

bool QueueFilter::matches(const QString &envelopeSender, const QStringList &pendingRecipientDomains, qint64 createdAtMs,
    const QString &messageStatus, qint64 nowMs) const
{
    if (!domain.isEmpty())
    {
        bool any = false;
        for (const QString &recipientDomain : pendingRecipientDomains)
            any = any || domainMatches(domain, recipientDomain);
        if (!any)
            return false;
    }
    if (!sender.isEmpty())
    {
        if (sender == QLatin1String("<>"))
        {
            if (!envelopeSender.isEmpty())
                return false;
        }
        else if (sender.contains(QLatin1Char('@')))
        {
            if (envelopeSender.compare(sender, Qt::CaseInsensitive) != 0)
                return false;
        }
        else
        {
            const int at = envelopeSender.lastIndexOf(QLatin1Char('@'));
            if (at < 0 || !domainMatches(sender, envelopeSender.mid(at + 1)))
                return false;
        }
    }
    if (olderThanMs > 0 && nowMs - createdAtMs < olderThanMs)
        return false;
    return statusName.isEmpty() || statusName == messageStatus;
}

bool QueueFilter::isEmpty() const
{
    return domain.isEmpty() && sender.isEmpty() && olderThanMs == 0 && statusName.isEmpty();
}

QString QueueFilter::describe() const
{
    QStringList parts;
    if (!domain.isEmpty())
        parts.append(QStringLiteral("domain %1").arg(domain));
    if (!sender.isEmpty())
        parts.append(QStringLiteral("sender %1").arg(sender));
    if (olderThanMs > 0)
        parts.append(QStringLiteral("older than %1").arg(olderThanText));
    if (!statusName.isEmpty())
        parts.append(QStringLiteral("status %1").arg(statusName));
    return parts.isEmpty() ? QStringLiteral("every message") : parts.join(QStringLiteral(", "));
}
