// RFC 8461 §3.1 (TXT record), §3.2 (policy file) and §4.1 (MX matching).
#include "deliverd/mtastspolicy.h"

#include <QRegularExpression>

namespace {

Expected<MtaStsPolicy> invalid(const QString &why)
{
    return Expected<MtaStsPolicy>::failure(ErrorKind::InvalidInput, QStringLiteral("bad MTA-STS policy: ") + why);
}

} // namespace

Expected<MtaStsPolicy> MtaStsPolicy::parse(const QByteArray &body)
{
    if (body.size() > MaxBodyBytes)
    {
        return invalid(QStringLiteral("larger than %1 bytes").arg(MaxBodyBytes));
    }
    MtaStsPolicy policy;
    bool haveVersion = false;
    bool haveMode = false;
    bool haveMaxAge = false;
    // sts-policy-term = sts-policy-field *WSP CRLF (LF alone is accepted too, §3.2).
    const QList<QByteArray> lines = body.split('\n');
    static const QRegularExpression mxPattern(
        QStringLiteral("^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"));
    for (QByteArray line : lines)
    {
        if (line.endsWith('\r'))
        {
            line.chop(1);
        }
        if (line.trimmed().isEmpty())
        {
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
        {
            return invalid(QStringLiteral("line without a field name"));
        }
        const QByteArray name = line.left(colon);
        const QString value = QString::fromUtf8(line.mid(colon + 1)).trimmed();
        if (name == "version")
        {
            if (value != QLatin1String("STSv1") || haveVersion)
            {
                return invalid(QStringLiteral("version must be STSv1, once"));
            }
            haveVersion = true;
        }
        else if (name == "mode")
        {
            if (haveMode)
            {
                return invalid(QStringLiteral("more than one mode"));
            }
            haveMode = true;
            if (value == QLatin1String("enforce"))
            {
                policy.mode = Mode::Enforce;
            }
            else if (value == QLatin1String("testing"))
            {
                policy.mode = Mode::Testing;
            }
            else if (value == QLatin1String("none"))
            {
                policy.mode = Mode::None;
            }
            else
            {
                return invalid(QStringLiteral("unknown mode '%1'").arg(value.left(40)));
            }
        }
        else if (name == "max_age")
        {
            static const QRegularExpression digits(QStringLiteral("^[0-9]{1,10}$"));
            bool ok = false;
            const qint64 seconds = value.toLongLong(&ok);
            if (haveMaxAge || !digits.match(value).hasMatch() || !ok || seconds > MaxAgeLimit)
            {
                return invalid(QStringLiteral("max_age must be a number of seconds up to %1, once").arg(MaxAgeLimit));
            }
            haveMaxAge = true;
            policy.maxAgeSeconds = seconds;
        }
        else if (name == "mx")
        {
            const QString pattern = value.toLower();
            if (!mxPattern.match(pattern).hasMatch() || pattern.size() > 253)
            {
                return invalid(QStringLiteral("bad mx pattern '%1'").arg(value.left(80)));
            }
            policy.mx.append(pattern);
        }
        // Other fields are extensions: ignored (§3.2).
    }
    if (!haveVersion || !haveMode || !haveMaxAge)
    {
        return invalid(QStringLiteral("version, mode and max_age are required"));
    }
    if (policy.mode != Mode::None && policy.mx.isEmpty())
    {
        return invalid(QStringLiteral("no mx pattern"));
    }
    return policy;
}

Expected<QString> MtaStsPolicy::parseTxt(const QString &record)
{
    using Result = Expected<QString>;
    // sts-text-record = sts-version 1*(sts-sep sts-field) [sts-sep]; version first.
    const QStringList fields = record.split(QLatin1Char(';'));
    if (fields.isEmpty() || fields.first().trimmed() != QLatin1String("v=STSv1"))
    {
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("not an STSv1 record"));
    }
    static const QRegularExpression idPattern(QStringLiteral("^[A-Za-z0-9]{1,32}$"));
    QString id;
    for (qsizetype i = 1; i < fields.size(); ++i)
    {
        const QString field = fields.at(i).trimmed();
        if (field.isEmpty())
        {
            continue;
        }
        if (field.startsWith(QLatin1String("id=")))
        {
            if (!id.isEmpty() || !idPattern.match(field.mid(3)).hasMatch())
            {
                return Result::failure(ErrorKind::InvalidInput, QStringLiteral("bad id in MTA-STS record"));
            }
            id = field.mid(3);
        }
    }
    if (id.isEmpty())
    {
        return Result::failure(ErrorKind::InvalidInput, QStringLiteral("MTA-STS record without id"));
    }
    return id;
}

bool MtaStsPolicy::matchesMx(const QString &host) const
{
    QString name = host.toLower();
    if (name.endsWith(QLatin1Char('.')))
    {
        name.chop(1);
    }
    for (const QString &pattern : mx)
    {
        if (pattern.startsWith(QLatin1String("*.")))
        {
            const qsizetype dot = name.indexOf(QLatin1Char('.'));
            if (dot > 0 && name.mid(dot + 1) == pattern.mid(2))
            {
                return true;
            }
        }
        else if (name == pattern)
        {
            return true;
        }
    }
    return false;
}

QString MtaStsPolicy::modeName(Mode mode)
{
    switch (mode)
    {
    case Mode::Enforce:
        return QStringLiteral("enforce");
    case Mode::Testing:
        return QStringLiteral("testing");
    case Mode::None:
        break;
    }
    return QStringLiteral("none");
}
