// Reads the message as sendmail does, then speaks SMTP to the first listener of the local
// daemon, so the message is queued, signed and delivered like any other (RFC 5321, 6409).
#include "cli/sendmailcommand.h"

#include "config/config.h"
#include "config/configfile.h"
#include "config/configregistry.h"
#include "core/mailaddress.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSslSocket>
#include <QSysInfo>
#include <QUuid>

#include <cstdio>
#include <optional>
#include <pwd.h>
#include <unistd.h>

namespace {

constexpr int TimeoutMs = 60000;

struct Options
{
    bool fromHeaders = false; // -t
    bool ignoreDots = false; // -i, -oi
    QString sender; // -f
    QString fullName; // -F
    QStringList recipients;
};

struct Settings
{
    QString me;
    QString dsns;
};

// TMAIL_ME and TMAIL_SMTPD_DSNS only: sendmail runs as any local user (cron's, the web
// server's), who cannot read the rest of the configuration and needs none of it.
Settings readSettings(const QString &configPath)
{
    const QString dsnsName = QStringLiteral("TMAIL_SMTPD_DSNS");
    const QString meName = QStringLiteral("TMAIL_ME");
    Settings settings;
    settings.dsns = ConfigRegistry::variable(dsnsName)->defaultValue;
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (environment.contains(meName))
    {
        settings.me = environment.value(meName);
        settings.dsns = environment.value(dsnsName, settings.dsns);
        return settings;
    }
    const QString path = configPath.isEmpty()
        ? QCoreApplication::applicationDirPath() + QStringLiteral("/conf/tmail.cfg")
        : configPath;
    const Expected<QHash<QString, QString>> variables = ConfigFile::readValues(path);
    if (variables)
    {
        settings.me = variables->value(meName);
        settings.dsns = variables->value(dsnsName, settings.dsns);
    }
    return settings;
}

// RFC 5322 address lists: the addr-spec of each mailbox, groups flattened.
QStringList addressesIn(const QString &value)
{
    QStringList addresses;
    QString current;
    bool quoted = false;
    int comment = 0;
    bool angle = false;
    QString angleText;
    const auto flush = [&]() {
        const QString address = angleText.isEmpty() ? current.trimmed() : angleText.trimmed();
        if (!address.isEmpty())
            addresses.append(address);
        current.clear();
        angleText.clear();
    };
    for (int i = 0; i < value.size(); ++i)
    {
        const QChar c = value.at(i);
        if (quoted)
        {
            if (c == QLatin1Char('\\') && i + 1 < value.size())
                ++i;
            else if (c == QLatin1Char('"'))
                quoted = false;
            continue; // display names are not addresses
        }
        if (comment > 0)
        {
            if (c == QLatin1Char('('))
                ++comment;
            else if (c == QLatin1Char(')'))
                --comment;
            continue;
        }
        if (c == QLatin1Char('"'))
        {
            quoted = true;
        }
        else if (c == QLatin1Char('('))
        {
            comment = 1;
        }
        else if (c == QLatin1Char('<'))
        {
            angle = true;
            angleText.clear();
        }
        else if (c == QLatin1Char('>'))
        {
            angle = false;
        }
        else if (angle)
        {
            angleText += c;
        }
        else if (c == QLatin1Char(':'))
        {
            current.clear(); // "group name:" starts a group
        }
        else if (c == QLatin1Char(',') || c == QLatin1Char(';'))
        {
            flush();
        }
        else
        {
            current += c;
        }
    }
    flush();
    return addresses;
}

QString defaultSender(const Settings &settings)
{
    const struct passwd *entry = ::getpwuid(::getuid());
    const QString user = entry ? QString::fromLocal8Bit(entry->pw_name) : QStringLiteral("nobody");
    const QString host = settings.me.isEmpty() ? QSysInfo::machineHostName() : settings.me;
    return user + QLatin1Char('@') + host;
}

struct Reply
{
    int code = 0;
    QString text;
};

class SmtpLink
{
public:
    bool open(const ListenerDsn &listener, QString *error)
    {
        QHostAddress address = listener.address;
        if (address == QHostAddress::AnyIPv4 || address == QHostAddress::Any)
            address = QHostAddress::LocalHost;
        else if (address == QHostAddress::AnyIPv6)
            address = QHostAddress::LocalHostIPv6;
        m_where = QStringLiteral("%1 port %2").arg(address.toString()).arg(listener.port);
        if (listener.implicitTls)
        {
            m_socket.setPeerVerifyMode(QSslSocket::VerifyNone); // our own daemon, on loopback
            m_socket.connectToHostEncrypted(address.toString(), listener.port);
            if (!m_socket.waitForEncrypted(TimeoutMs))
            {
                *error = m_socket.errorString();
                return false;
            }
        }
        else
        {
            m_socket.connectToHost(address, listener.port);
            if (!m_socket.waitForConnected(TimeoutMs))
            {
                *error = m_socket.errorString();
                return false;
            }
        }
        return true;
    }

    QString where() const { return m_where; }

    Reply command(const QByteArray &line)
    {
        if (!line.isEmpty())
            m_socket.write(line + "\r\n");
        return read();
    }

    void send(const QByteArray &data) { m_socket.write(data); }

    Reply read()
    {
        Reply reply;
        QStringList lines;
        while (true)
        {
            while (!m_socket.canReadLine())
            {
                if (!m_socket.waitForReadyRead(TimeoutMs))
                    return { 0, m_socket.errorString() };
            }
            const QByteArray line = m_socket.readLine().trimmed();
            lines.append(QString::fromUtf8(line));
            if (line.size() < 4 || line.at(3) != '-')
            {
                reply.code = line.left(3).toInt();
                reply.text = lines.join(QLatin1Char(' '));
                return reply;
            }
        }
    }

private:
    QSslSocket m_socket;
    QString m_where;
};

} // namespace

SendmailCommand::SendmailCommand(QTextStream &out, QTextStream &err) : m_out(out), m_err(err) { }

QString SendmailCommand::help()
{
    return QStringLiteral("Usage: tmail sendmail [-t] [-i] [-f SENDER] [-F NAME] [RECIPIENT...] < message\n"
                          "       (or tmail run under the name sendmail, e.g. the dist/sendmail link)\n"
                          "Hands a message read from standard input to the local tmail daemon over SMTP.\n"
                          "  -t          recipients also from the To, Cc and Bcc headers (Bcc is removed)\n"
                          "  -i, -oi     a line with a single dot does not end the message\n"
                          "  -f SENDER   envelope sender (default: USER@TMAIL_ME)\n"
                          "  -F NAME     full name for the From header tmail adds when there is none\n"
                          "  -bm         deliver mail (the default); other -o options are ignored\n"
                          "The daemon must let 127.0.0.1 relay: tmail relayip add 127.0.0.1\n"
                          "Exit status (sysexits.h): 0 queued, 64 bad usage, 65 bad message, 67 recipients\n"
                          "refused, 69 refused, 75 daemon unreachable or temporary refusal (try again).\n");
}

int SendmailCommand::fail(int code, const QString &message)
{
    m_err << "sendmail: " << message << '\n';
    m_err.flush();
    return code;
}

int SendmailCommand::run(const QStringList &args, const QString &configPath)
{
    Options options;
    bool optionsDone = false;
    for (int i = 0; i < args.size(); ++i)
    {
        const QString arg = args.at(i);
        if (optionsDone || !arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-"))
        {
            options.recipients.append(arg);
            continue;
        }
        if (arg == QLatin1String("--"))
        {
            optionsDone = true;
        }
        else if (arg == QLatin1String("--help") || arg == QLatin1String("-h"))
        {
            m_out << help();
            return Ok;
        }
        else if (arg == QLatin1String("-t"))
        {
            options.fromHeaders = true;
        }
        else if (arg == QLatin1String("-i") || arg == QLatin1String("-oi"))
        {
            options.ignoreDots = true;
        }
        else if (arg == QLatin1String("-bm") || arg == QLatin1String("-U") || arg == QLatin1String("-v"))
        {
            // -bm: deliver (the only mode); -U: initial submission; -v: nothing more to say.
        }
        else if (arg.startsWith(QLatin1String("-f")) || arg.startsWith(QLatin1String("-r"))
            || arg.startsWith(QLatin1String("-F")))
        {
            QString value = arg.mid(2);
            if (value.isEmpty())
            {
                if (i + 1 >= args.size())
                    return fail(Usage, QStringLiteral("%1 needs a value\n\n").arg(arg) + help());
                value = args.at(++i);
            }
            if (arg.startsWith(QLatin1String("-F")))
                options.fullName = value;
            else
                options.sender = value;
        }
        else if (arg.startsWith(QLatin1String("-o")) && arg.size() > 2)
        {
            // -oem, -odb, -oQ…: sendmail options tmail has no use for (Postfix ignores them too).
            if (arg == QLatin1String("-oA") || arg == QLatin1String("-oQ") || arg == QLatin1String("-oL"))
                ++i; // those take a separate value
        }
        else
        {
            return fail(Usage, QStringLiteral("unknown or unsupported option '%1'\n\n").arg(arg) + help());
        }
    }

    const Settings settings = readSettings(configPath);
    QString sender = options.sender.isEmpty() ? defaultSender(settings) : options.sender;
    if (sender == QLatin1String("<>"))
        sender.clear();
    if (!sender.isEmpty() && !MailAddress::parse(sender))
        return fail(Usage, QStringLiteral("-f '%1' is not an email address").arg(sender));

    // The message, as sendmail reads it: LF or CRLF lines, a lone dot ends it unless -i.
    QFile input;
    if (!input.open(stdin, QIODevice::ReadOnly))
        return fail(Software, QStringLiteral("cannot read standard input"));
    QList<QByteArray> lines;
    QByteArray pending;
    bool ended = false;
    while (!ended)
    {
        const QByteArray chunk = input.read(64 * 1024);
        if (chunk.isEmpty() && (input.atEnd() || input.error() != QFileDevice::NoError))
            break;
        pending += chunk;
        qsizetype newline;
        while ((newline = pending.indexOf('\n')) >= 0)
        {
            QByteArray line = pending.left(newline);
            pending.remove(0, newline + 1);
            if (line.endsWith('\r'))
                line.chop(1);
            if (!options.ignoreDots && line == ".")
            {
                ended = true;
                break;
            }
            lines.append(line);
        }
    }
    if (!ended && !pending.isEmpty())
        lines.append(pending.endsWith('\r') ? pending.chopped(1) : pending);

    // Headers: up to the first empty line; continuation lines belong to the one above.
    qsizetype bodyStart = lines.size();
    for (qsizetype i = 0; i < lines.size(); ++i)
    {
        if (lines.at(i).isEmpty())
        {
            bodyStart = i;
            break;
        }
    }
    QList<QByteArray> headers = lines.mid(0, bodyStart);
    const QList<QByteArray> body = lines.mid(bodyStart);
    QStringList recipients = options.recipients;
    bool hasFrom = false, hasDate = false, hasMessageId = false;
    QList<QByteArray> kept;
    for (qsizetype i = 0; i < headers.size();)
    {
        QByteArray field = headers.at(i);
        qsizetype next = i + 1;
        while (next < headers.size() && !headers.at(next).isEmpty()
            && (headers.at(next).at(0) == ' ' || headers.at(next).at(0) == '\t'))
            ++next;
        QByteArray unfolded = field;
        for (qsizetype j = i + 1; j < next; ++j)
            unfolded += ' ' + headers.at(j).trimmed();
        const qsizetype colon = unfolded.indexOf(':');
        const QByteArray name = colon > 0 ? unfolded.left(colon).trimmed().toLower() : QByteArray();
        const QString value = colon > 0 ? QString::fromUtf8(unfolded.mid(colon + 1)) : QString();
        hasFrom = hasFrom || name == "from";
        hasDate = hasDate || name == "date";
        hasMessageId = hasMessageId || name == "message-id";
        if (options.fromHeaders && (name == "to" || name == "cc" || name == "bcc"))
            recipients += addressesIn(value);
        if (!(options.fromHeaders && name == "bcc"))
        {
            for (qsizetype j = i; j < next; ++j)
                kept.append(headers.at(j));
        }
        i = next;
    }
    if (recipients.isEmpty())
        return fail(Usage, QStringLiteral("no recipients: name them as arguments, or use -t with To/Cc/Bcc headers"));
    QStringList envelopeRecipients;
    for (const QString &recipient : std::as_const(recipients))
    {
        const Expected<MailAddress> parsed = MailAddress::parse(recipient.trimmed());
        if (!parsed)
            return fail(
                DataError, QStringLiteral("recipient '%1' is not an email address: %2").arg(recipient, parsed.error()));
        if (!envelopeRecipients.contains(parsed->toString(), Qt::CaseInsensitive))
            envelopeRecipients.append(parsed->toString());
    }
    // What Postfix's cleanup adds to a local submission that lacks them (RFC 5322 3.6).
    const QString fromAddress = sender.isEmpty() ? defaultSender(settings) : sender;
    if (!hasFrom)
        kept.prepend(
            (options.fullName.isEmpty() ? QStringLiteral("From: %1").arg(fromAddress)
                                        : QStringLiteral("From: \"%1\" <%2>").arg(options.fullName, fromAddress))
                .toUtf8());
    if (!hasDate)
        kept.append(QLocale::c()
                        .toString(QDateTime::currentDateTime(), QStringLiteral("'Date: 'ddd, dd MMM yyyy HH:mm:ss t"))
                        .toUtf8());
    if (!hasMessageId)
    {
        const QString domain = fromAddress.mid(fromAddress.lastIndexOf(QLatin1Char('@')) + 1);
        kept.append(QStringLiteral("Message-ID: <%1@%2>")
                        .arg(QUuid::createUuid().toString(QUuid::WithoutBraces), domain)
                        .toUtf8());
    }

    // The daemon: its first listener (0.0.0.0 is reached on 127.0.0.1).
    const Expected<QList<ListenerDsn>> listeners = ListenerDsn::parseList(settings.dsns);
    if (!listeners || listeners->isEmpty())
        return fail(
            TempFail, QStringLiteral("TMAIL_SMTPD_DSNS '%1' names no listener to submit to").arg(settings.dsns));
    SmtpLink link;
    QString error;
    if (!link.open(listeners->first(), &error))
        return fail(TempFail,
            QStringLiteral("cannot reach the tmail daemon at %1 (TMAIL_SMTPD_DSNS): %2; is it running?")
                .arg(link.where(), error));
    const auto refused = [this, &link](const QString &step, const Reply &reply, int permanentCode) {
        const int code = reply.code >= 500 ? permanentCode : TempFail;
        return fail(code,
            QStringLiteral("%1 refused by %2: %3")
                .arg(step, link.where(), reply.text.isEmpty() ? QStringLiteral("no answer") : reply.text));
    };
    Reply reply = link.read();
    if (reply.code != 220)
        return refused(QStringLiteral("connection"), reply, Unavailable);
    reply = link.command("EHLO localhost");
    if (reply.code != 250)
        return refused(QStringLiteral("EHLO"), reply, Unavailable);
    reply = link.command("MAIL FROM:<" + sender.toUtf8() + '>');
    if (reply.code != 250)
        return refused(QStringLiteral("sender <%1>").arg(sender), reply, DataError);
    int accepted = 0;
    Reply lastRefusal;
    for (const QString &recipient : std::as_const(envelopeRecipients))
    {
        reply = link.command("RCPT TO:<" + recipient.toUtf8() + '>');
        if (reply.code == 250 || reply.code == 251)
        {
            ++accepted;
            continue;
        }
        lastRefusal = reply;
        m_err << "sendmail: recipient <" << recipient << "> refused: " << reply.text << '\n';
        if (reply.code < 500)
        {
            link.command("QUIT");
            return refused(QStringLiteral("recipient <%1>").arg(recipient), reply, NoUser);
        }
    }
    if (accepted == 0)
    {
        link.command("QUIT");
        return fail(NoUser,
            QStringLiteral("every recipient was refused; if they are not local, let this host relay: "
                           "tmail relayip add 127.0.0.1"));
    }
    reply = link.command("DATA");
    if (reply.code != 354)
        return refused(QStringLiteral("DATA"), reply, Unavailable);
    QByteArray data;
    const auto appendLine = [&data](const QByteArray &line) {
        if (line.startsWith('.'))
            data += '.'; // RFC 5321 4.5.2
        data += line;
        data += "\r\n";
    };
    for (const QByteArray &line : std::as_const(kept))
        appendLine(line);
    for (const QByteArray &line : body)
        appendLine(line);
    if (body.isEmpty())
        data += "\r\n";
    data += ".\r\n";
    link.send(data);
    reply = link.read();
    if (reply.code != 250)
        return refused(QStringLiteral("message"), reply, DataError);
    link.command("QUIT");
    // A partial refusal still queued the message for the others, as sendmail reports it.
    return accepted == envelopeRecipients.size() ? Ok : NoUser;
}
