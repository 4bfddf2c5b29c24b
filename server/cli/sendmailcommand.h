// `tmail sendmail` (and tmail run as `sendmail`): the local submission interface of
// Postfix's and Exim's sendmail, handing the message to the running daemon over SMTP.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTextStream>

class SendmailCommand
{
public:
    // sysexits.h, which cron, PHP's mail() and mailers read.
    enum ExitCode
    {
        Ok = 0,
        Usage = 64, // EX_USAGE: bad option or no recipient
        DataError = 65, // EX_DATAERR: a header address that cannot be read, message refused
        NoUser = 67, // EX_NOUSER: every recipient refused
        Unavailable = 69, // EX_UNAVAILABLE: refused permanently for another reason
        Software = 70, // EX_SOFTWARE
        TempFail = 75, // EX_TEMPFAIL: daemon not reachable or temporary refusal; try again later
    };

    SendmailCommand(QTextStream &out, QTextStream &err);

    // args without the program name; the message is read from standard input.
    int run(const QStringList &args, const QString &configPath);

    static QString help();

private:
    int fail(int code, const QString &message);

    QTextStream &m_out;
    QTextStream &m_err;
};
