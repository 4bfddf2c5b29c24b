// Parsing of SMTP command lines (RFC 5321 4.1): verbs, paths and ESMTP parameters.
#include "smtpd/smtpcommand.h"

SmtpCommand SmtpCommand::parse(const QString &line)
{
    SmtpCommand command;
    const qsizetype space = line.indexOf(QLatin1Char(' '));
    const QString verb = (space < 0 ? line : line.left(space)).toUpper();
    command.m_argument = space < 0 ? QString() : line.mid(space + 1).trimmed();

    static const QList<QPair<QString, Verb>> verbs = {
        { QStringLiteral("HELO"), Verb::Helo },
        { QStringLiteral("EHLO"), Verb::Ehlo },
        { QStringLiteral("MAIL"), Verb::Mail },
        { QStringLiteral("RCPT"), Verb::Rcpt },
        { QStringLiteral("DATA"), Verb::Data },
        { QStringLiteral("RSET"), Verb::Rset },
        { QStringLiteral("NOOP"), Verb::Noop },
        { QStringLiteral("VRFY"), Verb::Vrfy },
        { QStringLiteral("HELP"), Verb::Help },
        { QStringLiteral("QUIT"), Verb::Quit },
        { QStringLiteral("STARTTLS"), Verb::StartTls },
        { QStringLiteral("AUTH"), Verb::Auth },
    };
    for (const auto &entry : verbs)
    {
        if (entry.first == verb)
        {
            command.m_verb = entry.second;
            break;
        }
    }
    return command;
}

bool SmtpCommand::splitPath(const QString &prefix, QString *path, QList<QPair<QString, QString>> *parameters) const
{
    // "FROM:" then the path; one space after the colon is tolerated, as most servers do.
    if (!m_argument.startsWith(prefix + QLatin1Char(':'), Qt::CaseInsensitive))
    {
        return false;
    }
    QString rest = m_argument.mid(prefix.size() + 1);
    if (rest.startsWith(QLatin1Char(' ')))
    {
        rest.remove(0, 1);
    }
    if (!rest.startsWith(QLatin1Char('<')))
    {
        // "MAIL FROM: user@domain" without brackets, as people type it in a telnet session.
        const qsizetype space = rest.indexOf(QLatin1Char(' '));
        const QString bare = space < 0 ? rest : rest.left(space);
        if (bare.isEmpty() || bare.contains(QLatin1Char('<')) || bare.contains(QLatin1Char('>')))
        {
            return false;
        }
        rest = QLatin1Char('<') + bare + QLatin1Char('>') + (space < 0 ? QString() : rest.mid(space));
    }
    // Find the closing '>' outside any quoted string of the local part.
    bool quoted = false;
    qsizetype end = -1;
    for (qsizetype i = 1; i < rest.size(); ++i)
    {
        const QChar c = rest.at(i);
        if (quoted && c == QLatin1Char('\\'))
        {
            ++i;
            continue;
        }
        if (c == QLatin1Char('"'))
        {
            quoted = !quoted;
        }
        else if (!quoted && c == QLatin1Char('>'))
        {
            end = i;
            break;
        }
    }
    if (end < 0)
    {
        return false;
    }
    *path = rest.left(end + 1);
    const QString tail = rest.mid(end + 1);
    if (!tail.isEmpty() && !tail.startsWith(QLatin1Char(' ')))
    {
        return false;
    }
    parameters->clear();
    const QStringList words = tail.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &word : words)
    {
        const qsizetype equals = word.indexOf(QLatin1Char('='));
        const QString name = (equals < 0 ? word : word.left(equals)).toUpper();
        if (name.isEmpty())
        {
            return false;
        }
        parameters->append({ name, equals < 0 ? QString() : word.mid(equals + 1) });
    }
    return true;
}
