// One SMTP command line split into its verb and arguments, and the MAIL/RCPT
// path-and-parameters syntax; pure parsing, no session state.
#pragma once

#include <QList>
#include <QPair>
#include <QString>

class SmtpCommand
{
public:
    enum class Verb
    {
        Helo,
        Ehlo,
        Mail,
        Rcpt,
        Data,
        Rset,
        Noop,
        Vrfy,
        Help,
        Quit,
        StartTls,
        Auth,
        Unknown,
    };

    // line: one command without its CRLF.
    static SmtpCommand parse(const QString &line);

    Verb verb() const { return m_verb; }
    const QString &argument() const { return m_argument; } // after the verb, trimmed

    // For MAIL and RCPT: "FROM:<path> PARAM=VALUE …" / "TO:<path> …" (prefix "FROM" or
    // "TO"). Fills the path with its angle brackets and the ESMTP parameters (names upper
    // case). False when the syntax is wrong.
    bool splitPath(const QString &prefix, QString *path, QList<QPair<QString, QString>> *parameters) const;

private:
    Verb m_verb = Verb::Unknown;
    QString m_argument;
};
