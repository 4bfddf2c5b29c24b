// Reply lines to SmtpReply values, with the checks a server's text must pass.
#include "deliverd/smtpreplyreader.h"

SmtpReplyReader::Step SmtpReplyReader::addLine(QByteArray line)
{
    while (line.endsWith('\n') || line.endsWith('\r'))
    {
        line.chop(1);
    }
    const auto malformed = [this, &line](const QString &why) {
        m_error = QStringLiteral("%1: %2").arg(why, QString::fromUtf8(line.left(200)));
        m_lines.clear();
        m_code = 0;
        return Step::Malformed;
    };
    if (line.size() < 3 || (line.size() > 3 && line.at(3) != ' ' && line.at(3) != '-'))
    {
        return malformed(QStringLiteral("malformed reply"));
    }
    for (int i = 0; i < 3; ++i)
    {
        if (line.at(i) < '0' || line.at(i) > '9')
        {
            return malformed(QStringLiteral("malformed reply"));
        }
    }
    const int code = (line.at(0) - '0') * 100 + (line.at(1) - '0') * 10 + (line.at(2) - '0');
    if (code < 200 || code > 599)
    {
        return malformed(QStringLiteral("reply code out of range"));
    }
    if (!m_lines.isEmpty() && code != m_code)
    {
        return malformed(QStringLiteral("reply code changed within a reply"));
    }
    if (m_lines.size() >= MaxLines)
    {
        return malformed(QStringLiteral("reply of too many lines"));
    }
    m_code = code;
    // A bare CR or another control character would break the log line or the bounce
    // the text ends up in: each one becomes a space.
    QByteArray text = line.mid(4);
    for (char &c : text)
    {
        if ((c >= 0 && c < 0x20) || c == 0x7f)
        {
            c = ' ';
        }
    }
    m_lines.append(QString::fromUtf8(text));
    return line.size() == 3 || line.at(3) == ' ' ? Step::Reply : Step::NeedMore;
}

SmtpReply SmtpReplyReader::take()
{
    SmtpReply reply;
    reply.code = m_code;
    QStringList parts;
    for (const QString &text : std::as_const(m_lines))
    {
        const QString trimmed = text.trimmed();
        if (!trimmed.isEmpty())
        {
            parts.append(trimmed);
        }
    }
    reply.text = parts.isEmpty() ? QString::number(m_code)
                                 : QString::number(m_code) + QLatin1Char(' ') + parts.join(QLatin1Char(' '));
    m_lastLines = m_lines;
    m_lines.clear();
    m_code = 0;
    return reply;
}
