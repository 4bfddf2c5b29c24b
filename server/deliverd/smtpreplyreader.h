// Assembles SMTP and LMTP replies (RFC 5321 §4.2) from the lines a server sends:
// "250-first", "250 last"; every line of one reply has the same code.
#pragma once

#include "deliverd/smtpclient.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

class SmtpReplyReader
{
public:
    enum class Step
    {
        NeedMore, // a continuation line ("250-…"): the reply goes on
        Reply, // the last line of a reply: take() it
        Malformed // not a reply line, or too many lines: error() says why; the reader is reset
    };

    static constexpr int MaxLines = 100;

    // One line, with or without its CRLF.
    Step addLine(QByteArray line);
    // The reply completed by the last addLine(); the reader is ready for the next one.
    SmtpReply take();
    // The text after the code of each line of the reply taken last (EHLO/LHLO keywords).
    const QStringList &lastLines() const { return m_lastLines; }
    const QString &error() const { return m_error; }

private:
    int m_code = 0;
    QStringList m_lines;
    QStringList m_lastLines;
    QString m_error;
};
