// See adminvalues.h.
#include "core/adminvalues.h"

#include "config/config.h"
#include "core/domain.h"
#include "core/iprange.h"
#include "core/mailaddress.h"

#include <QRegularExpression>
#include <QUrl>

namespace AdminValues {

namespace {

Expected<qint64> wholeNumber(const QString &text, qint64 minimum, qint64 maximum, const QString &what)
{
    bool numeric = false;
    const qint64 number = text.trimmed().toLongLong(&numeric);
    if (!numeric || number < minimum || number > maximum)
        return Expected<qint64>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not a %2: expected %3-%4").arg(text, what).arg(minimum).arg(maximum));
    return number;
}

Expected<qint64> inRange(qint64 number, qint64 minimum, qint64 maximum, const QString &what)
{
    if (number < minimum || number > maximum)
        return Expected<qint64>::failure(ErrorKind::InvalidInput,
            QStringLiteral("%1 is not a %2: expected %3-%4").arg(number).arg(what).arg(minimum).arg(maximum));
    return number;
}

} // namespace

Expected<QString> remoteHost(const QString &text)
{
    const QString host = text.trimmed();
    if (!host.contains(QLatin1Char('/')))
    {
        const Expected<IpRange> address = IpRange::parse(host);
        if (address)
            return address->network().toString();
    }
    const Expected<Domain> name = Domain::parse(host);
    if (name)
        return name->name();
    return Expected<QString>::failure(
        ErrorKind::InvalidInput, QStringLiteral("'%1' is not a host name or an IP address").arg(text));
}

Expected<quint16> port(const QString &text)
{
    const Expected<qint64> number = wholeNumber(text, MinPort, MaxPort, QStringLiteral("port"));
    if (!number)
        return Expected<quint16>::failure(number);
    return quint16(number.value());
}

Expected<quint16> port(qint64 number)
{
    const Expected<qint64> checked = inRange(number, MinPort, MaxPort, QStringLiteral("port"));
    if (!checked)
        return Expected<quint16>::failure(checked);
    return quint16(number);
}

Expected<int> priority(const QString &text)
{
    const Expected<qint64> number = wholeNumber(text, MinPriority, MaxPriority, QStringLiteral("priority"));
    if (!number)
        return Expected<int>::failure(number);
    return int(number.value());
}

Expected<int> priority(qint64 number)
{
    const Expected<qint64> checked = inRange(number, MinPriority, MaxPriority, QStringLiteral("priority"));
    if (!checked)
        return Expected<int>::failure(checked);
    return int(number);
}

Expected<qint64> routeId(const QString &text)
{
    bool numeric = false;
    const qint64 id = text.trimmed().toLongLong(&numeric);
    if (!numeric || id <= 0)
        return Expected<qint64>::failure(
            ErrorKind::InvalidInput, QStringLiteral("'%1' is not a route ID: expected a positive number").arg(text));
    return id;
}

Expected<QString> localIps(const QString &text)
{
    const QString ips = text.trimmed();
    if (ips.isEmpty())
        return QString();
    const Expected<LocalIpPolicy> policy = LocalIpPolicy::parse(ips);
    if (!policy)
        return Expected<QString>::failure(policy);
    return ips;
}

QStringList routeTlsPolicies()
{
    return { QStringLiteral("opportunistic"), QStringLiteral("required"), QStringLiteral("verify"),
        QStringLiteral("dane") };
}

Expected<QString> routeTls(const QString &text)
{
    const QString policy = text.trimmed().toLower();
    if (policy.isEmpty())
        return routeTlsPolicies().first();
    if (!routeTlsPolicies().contains(policy))
        return Expected<QString>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not a TLS policy: expected %2")
                .arg(printable(text), routeTlsPolicies().join(QStringLiteral(", "))));
    return policy;
}

Expected<QString> senderDomain(const QString &text)
{
    const QString domain = text.trimmed();
    if (domain.isEmpty())
        return QString();
    const Expected<Domain> parsed = Domain::parse(domain);
    if (!parsed)
        return Expected<QString>::failure(parsed);
    return parsed->name();
}

Expected<QString> authUser(const QString &text)
{
    const QString user = text.trimmed();
    if (user.isEmpty())
        return QString();
    const Expected<MailAddress> parsed = MailAddress::parse(user);
    if (!parsed)
        return Expected<QString>::failure(parsed);
    return parsed->toString();
}

Status credential(const QString &text, int maxLength)
{
    for (const QChar c : text)
    {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return Status::failure(ErrorKind::InvalidInput, QStringLiteral("must not contain control characters"));
    }
    if (!text.isValidUtf16())
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("must be valid Unicode"));
    if (maxLength > 0 && text.size() > maxLength)
        return Status::failure(ErrorKind::InvalidInput, QStringLiteral("must be at most %1 characters").arg(maxLength));
    return {};
}

QString printable(const QString &text, int maxLength)
{
    QString line = text.left(maxLength);
    for (QChar &c : line)
    {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c.category() == QChar::Separator_Line
            || c.category() == QChar::Separator_Paragraph)
            c = QLatin1Char('?');
    }
    if (text.size() > maxLength)
        line += QChar(0x2026);
    return line;
}

Expected<QString> queueIdPrefix(const QString &text)
{
    // Taken as given: an ID with a line break or a space around it is no ID (nothing is
    // trimmed, so a value smuggled after it never reaches a query or the log).
    const QString id = text.toLower();
    bool valid = id.size() >= MinQueueIdPrefix && id.size() <= 40;
    for (const QChar c : id)
    {
        const ushort u = c.unicode();
        valid = valid && ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'f'));
    }
    if (!valid)
        return Expected<QString>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not a message ID: expected %2 to 40 hexadecimal digits")
                .arg(printable(text, 80))
                .arg(MinQueueIdPrefix));
    return id;
}

QString adminRoleName(AdminRole role)
{
    switch (role)
    {
    case AdminRole::Viewer:
        return QStringLiteral("viewer");
    case AdminRole::Operator:
        return QStringLiteral("operator");
    case AdminRole::Admin:
        break;
    }
    return QStringLiteral("admin");
}

Expected<AdminRole> adminRole(const QString &text)
{
    const QString name = text.trimmed().toLower();
    for (const AdminRole role : { AdminRole::Viewer, AdminRole::Operator, AdminRole::Admin })
    {
        if (adminRoleName(role) == name)
            return role;
    }
    return Expected<AdminRole>::failure(ErrorKind::InvalidInput,
        QStringLiteral("'%1' is not a role; expected viewer, operator or admin").arg(printable(text, 40)));
}

Expected<QString> adminName(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9._-]*$"));
    const QString name = text.toLower();
    if (name.isEmpty())
        return Expected<QString>::failure(ErrorKind::InvalidInput, QStringLiteral("must not be empty"));
    if (name.size() > MaxAdminNameLength)
        return Expected<QString>::failure(
            ErrorKind::InvalidInput, QStringLiteral("must be at most %1 characters").arg(MaxAdminNameLength));
    if (!pattern.match(name).hasMatch())
        return Expected<QString>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not a name of letters a-z, digits, '.', '_' and '-' that starts with a letter or "
                           "digit")
                .arg(printable(text, 80)));
    return name;
}

Status adminPassword(const QString &text)
{
    if (text.size() < MinAdminPasswordLength)
        return Status::failure(
            ErrorKind::InvalidInput, QStringLiteral("must be at least %1 characters").arg(MinAdminPasswordLength));
    return credential(text, MaxAdminPasswordLength);
}

Expected<QString> queueId(const QString &text)
{
    const QString id = text.toLower();
    bool valid = id.size() == 40;
    for (const QChar c : id)
    {
        const ushort u = c.unicode();
        valid = valid && ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'f'));
    }
    if (!valid)
        return Expected<QString>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not a message ID: expected 40 hexadecimal digits").arg(text));
    return id;
}

Expected<QString> dkimDomain(const QString &text)
{
    const QString trimmed = text.trimmed();
    QString ace = QString::fromLatin1(QUrl::toAce(trimmed));
    if (ace.isEmpty())
        ace = trimmed;
    const Expected<Domain> domain = Domain::parse(ace);
    if (!domain)
        return Expected<QString>::failure(
            ErrorKind::InvalidInput, QStringLiteral("'%1' is not a domain: %2").arg(text, domain.error()));
    if (!domain->name().contains(QLatin1Char('.')))
        return Expected<QString>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not a domain: a DKIM domain has at least two labels").arg(text));
    return domain->name();
}

bool isDkimSelector(const QString &text)
{
    static const QRegularExpression label(QStringLiteral("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"));
    return label.match(text).hasMatch();
}

bool isDkimRsaBits(int bits)
{
    return bits == 2048 || bits == 3072 || bits == 4096;
}

Expected<QString> throttlePattern(const QString &text)
{
    const QString pattern = text.trimmed();
    if (pattern.isEmpty())
        return Expected<QString>::failure(
            ErrorKind::InvalidInput, QStringLiteral("'' is empty; expected a domain or *.domain"));
    const bool wildcard = pattern.startsWith(QLatin1String("*."));
    const Expected<Domain> parsed = Domain::parse(wildcard ? pattern.mid(2) : pattern);
    if (!parsed)
        return Expected<QString>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not a domain or *.domain (%2)").arg(printable(pattern), parsed.error()));
    return QString((wildcard ? QStringLiteral("*.") : QString()) + parsed->name().toLower());
}

Expected<int> throttleConcurrency(const QString &text)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    if (!ok || value < 1 || value > MaxThrottleConcurrency)
        return Expected<int>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not a whole number from 1 to %2").arg(printable(text)).arg(MaxThrottleConcurrency));
    return int(value);
}

Expected<int> throttleRate(const QString &text)
{
    static const QRegularExpression rate(QStringLiteral("^([0-9]{1,9})/([mh])$"));
    const QRegularExpressionMatch match = rate.match(text.trimmed());
    const auto invalid = [&text]() {
        return Expected<int>::failure(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is not a rate; expected N/m (per minute) or N/h (per hour), N from 1")
                .arg(printable(text)));
    };
    if (!match.hasMatch())
        return invalid();
    const qint64 count = match.captured(1).toLongLong();
    const qint64 perHour = match.captured(2) == QLatin1String("m") ? count * 60 : count;
    if (count < 1 || perHour > MaxThrottleRatePerHour)
        return invalid();
    return int(perHour);
}

QString throttleRateText(int perHour)
{
    if (perHour > 0 && perHour % 60 == 0)
        return QStringLiteral("%1/m").arg(perHour / 60);
    return QStringLiteral("%1/h").arg(perHour);
}

} // namespace AdminValues
