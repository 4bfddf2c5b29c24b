// Domain name validation (RFC 1035 / 5321 "Domain"), case folded, IDN to A-labels.
#include "core/domain.h"

#include <QUrl>

namespace {

bool isLdh(QChar c)
{
    const ushort u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-';
}

} // namespace

Expected<Domain> Domain::parse(const QString &text)
{
    QString name = text;
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    if (name.isEmpty())
        return Expected<Domain>::failure(ErrorKind::InvalidInput, QStringLiteral("empty domain"));

    bool ascii = true;
    for (QChar c : name)
        ascii = ascii && c.unicode() < 0x80;
    if (!ascii)
    {
        // Internationalised names are compared in their A-label form, so a look-alike
        // made of other scripts never equals the ASCII domain it imitates.
        const QByteArray ace = QUrl::toAce(name, QUrl::AceTransitionalProcessing);
        if (ace.isEmpty())
            return Expected<Domain>::failure(
                ErrorKind::InvalidInput, QStringLiteral("'%1' is not a valid internationalised domain name").arg(text));
        name = QString::fromLatin1(ace);
    }
    if (name.size() > 253)
        return Expected<Domain>::failure(
            ErrorKind::InvalidInput, QStringLiteral("domain '%1' is longer than 253 characters").arg(text));

    const QStringList labels = name.split(QLatin1Char('.'));
    for (const QString &label : labels)
    {
        if (label.isEmpty())
            return Expected<Domain>::failure(
                ErrorKind::InvalidInput, QStringLiteral("domain '%1' has an empty label").arg(text));
        if (label.size() > 63)
            return Expected<Domain>::failure(
                ErrorKind::InvalidInput, QStringLiteral("domain '%1' has a label longer than 63 characters").arg(text));
        if (label.startsWith(QLatin1Char('-')) || label.endsWith(QLatin1Char('-')))
            return Expected<Domain>::failure(ErrorKind::InvalidInput,
                QStringLiteral("domain '%1' has a label that starts or ends with '-'").arg(text));
        for (QChar c : label)
        {
            if (!isLdh(c))
                return Expected<Domain>::failure(ErrorKind::InvalidInput,
                    QStringLiteral("domain '%1' contains '%2': only letters, digits, '-' and '.' are allowed")
                        .arg(text, c));
        }
    }
    // A numeric last label would make "1.2.3.4" a domain: IP addresses are not domains
    // (RFC 1123 §2.1 keeps top-level labels alphabetic), so refuse it.
    bool numericTop = true;
    for (QChar c : labels.last())
        numericTop = numericTop && c.isDigit();
    if (numericTop)
        return Expected<Domain>::failure(
            ErrorKind::InvalidInput, QStringLiteral("'%1' looks like an IP address, not a domain").arg(text));
    return Domain(name.toLower());
}
