// RFC 3464 bounces: a human part from the template, a message/delivery-status part
// per failed recipient, and the original headers; queued like any other message.
#include "queue/bouncer.h"

#include "log/logger.h"
#include "queue/diskstore.h"

#include <QBuffer>
#include <QFile>
#include <QLocale>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSaveFile>

namespace {

constexpr qint64 MaxHeaderBytes = 256 * 1024;

const char *const BuiltInTemplate = "This is the mail system at host {{ME}}.\n"
                                    "\n"
                                    "I'm sorry to have to inform you that your message could not\n"
                                    "be delivered to one or more recipients. It's attached below.\n"
                                    "\n"
                                    "For further assistance, please send mail to postmaster.\n"
                                    "\n"
                                    "If you do so, please include this problem report. You can\n"
                                    "delete your own text from the attached returned message.\n"
                                    "\n"
                                    "{{ERRORS}}\n";

QString rfc5322Date(const QDateTime &time)
{
    const int offset = time.offsetFromUtc() / 60;
    return QLocale::c().toString(time, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss "))
        + QStringLiteral("%1%2%3")
              .arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
              .arg(qAbs(offset) / 60, 2, 10, QLatin1Char('0'))
              .arg(qAbs(offset) % 60, 2, 10, QLatin1Char('0'));
}

// Every line ends with CRLF, whatever the source used.
QByteArray crlf(const QString &text)
{
    QString normalized = text;
    normalized.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    normalized.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    normalized.replace(QStringLiteral("\n"), QStringLiteral("\r\n"));
    return normalized.toUtf8();
}

// "host mx[1.2.3.4] said: 550 5.1.1 …" → ("mx", "550 5.1.1 …")
bool splitRemote(const QString &detail, QString *remoteMta, QString *reply)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(?:[245]\\.\\d{1,3}\\.\\d{1,3} )?host (\\S+?)(?:\\[[^\\]]*\\])? said: (.*)$"));
    const QRegularExpressionMatch match = pattern.match(detail);
    if (!match.hasMatch())
    {
        return false;
    }
    *remoteMta = match.captured(1);
    *reply = match.captured(2);
    return true;
}

QString statusOf(const QString &detail)
{
    static const QRegularExpression enhanced(QStringLiteral("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b"));
    const QRegularExpressionMatch match = enhanced.match(detail);
    if (match.hasMatch())
    {
        // A failed recipient always reports a permanent class (expired 4.x.x → 5.x.x).
        return QStringLiteral("5.%1.%2").arg(match.captured(2), match.captured(3));
    }
    return QStringLiteral("5.0.0");
}

QString oneLine(QString text)
{
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text.left(900);
}

} // namespace

Bouncer::Bouncer(Database &db, const Config &config) : m_db(db), m_config(config) { }

QString Bouncer::loadTemplate(const QString &baseDir)
{
    QFile file(baseDir + QStringLiteral("/tpl/bounce.tpl"));
    if (file.open(QIODevice::ReadOnly))
    {
        return QString::fromUtf8(file.readAll());
    }
    return QString::fromUtf8(BuiltInTemplate);
}

QByteArray Bouncer::readHeaders(const QString &bodyPath)
{
    QFile file(bodyPath);
    if (!file.open(QIODevice::ReadOnly))
    {
        return {};
    }
    return readHeaders(file);
}

QByteArray Bouncer::readHeaders(QIODevice &file)
{
    QByteArray headers;
    while (!file.atEnd() && headers.size() < MaxHeaderBytes)
    {
        const QByteArray line = file.readLine(8192);
        if (line == "\r\n" || line == "\n")
        {
            break;
        }
        headers += line;
    }
    return headers;
}

QByteArray Bouncer::buildReport(const QString &me, const QString &templateText, const QueuedMessage &original,
    const QByteArray &originalHeaders, const QString &boundary, const QDateTime &now)
{
    QStringList errors;
    QString statusFields;
    for (const QueuedRecipient &recipient : original.recipients)
    {
        if (recipient.status != QueuedRecipient::Failed)
        {
            continue;
        }
        const QString detail = oneLine(recipient.lastError);
        errors.append(QStringLiteral("<%1>: %2").arg(recipient.address, detail));
        statusFields += QStringLiteral("\nFinal-Recipient: rfc822; %1\nAction: failed\nStatus: %2\n")
                            .arg(recipient.address, statusOf(detail));
        QString remoteMta;
        QString reply;
        if (splitRemote(detail, &remoteMta, &reply))
        {
            statusFields += QStringLiteral("Remote-MTA: dns; %1\nDiagnostic-Code: smtp; %2\n").arg(remoteMta, reply);
        }
        else
        {
            statusFields += QStringLiteral("Diagnostic-Code: X-tmail; %1\n").arg(detail);
        }
    }
    QString human = templateText;
    human.replace(QStringLiteral("{{ME}}"), me);
    human.replace(QStringLiteral("{{ERRORS}}"), errors.join(QLatin1Char('\n')));
    const QDateTime arrival = QDateTime::fromMSecsSinceEpoch(original.createdAtMs);

    QString head;
    head += QStringLiteral("From: Mail Delivery System <MAILER-DAEMON@%1>\n").arg(me);
    head += QStringLiteral("To: <%1>\n").arg(original.envelopeSender);
    head += QStringLiteral("Subject: Undelivered Mail Returned to Sender\n");
    head += QStringLiteral("Date: %1\n").arg(rfc5322Date(now));
    head += QStringLiteral("Message-ID: <%1.bounce@%2>\n").arg(original.id, me);
    head += QStringLiteral("Auto-Submitted: auto-replied\n");
    head += QStringLiteral("MIME-Version: 1.0\n");
    head += QStringLiteral("Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"%1\"\n")
                .arg(boundary);
    head += QStringLiteral("\nThis is a MIME-encapsulated message.\n\n");
    head += QStringLiteral("--%1\nContent-Description: Notification\nContent-Type: text/plain; charset=utf-8\n\n")
                .arg(boundary);
    head += human;
    if (!human.endsWith(QLatin1Char('\n')))
    {
        head += QLatin1Char('\n');
    }
    head += QStringLiteral("\n--%1\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n")
                .arg(boundary);
    head += QStringLiteral("Reporting-MTA: dns; %1\nX-Tmail-Queue-ID: %2\nArrival-Date: %3\n")
                .arg(me, original.id, rfc5322Date(arrival));
    head += statusFields;
    head += QStringLiteral(
        "\n--%1\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n")
                .arg(boundary);
    QByteArray message = crlf(head);
    QByteArray headers = originalHeaders;
    if (!headers.isEmpty() && !headers.endsWith('\n'))
    {
        headers += "\r\n";
    }
    message += crlf(QString::fromUtf8(headers));
    message += crlf(QStringLiteral("\n--%1--\n").arg(boundary));
    return message;
}

Expected<QString> Bouncer::queueBounce(const QueuedMessage &original)
{
    const std::unique_ptr<MessageStore> store = MessageStore::create(m_config.storeDriver, m_config.storePath);
    const Status prepared = store->prepare();
    if (!prepared)
    {
        return Expected<QString>::failure(prepared);
    }
    const QString id = QueueTable::newId();
    const QString boundary = QStringLiteral("%1/%2").arg(id.left(16), m_config.me);
    // Twice the header limit: readHeaders() stops at the blank line or the limit.
    const Expected<QByteArray> head = store->readHead(m_db, original, 2 * MaxHeaderBytes);
    QByteArray headText = head ? head.value() : QByteArray();
    QBuffer headBuffer(&headText);
    headBuffer.open(QIODevice::ReadOnly);
    const QByteArray report = buildReport(m_config.me, loadTemplate(m_config.baseDir), original,
        readHeaders(headBuffer), boundary, QDateTime::currentDateTime());
    QFile file(store->tmpPath(id));
    if (!file.open(QIODevice::WriteOnly) || file.write(report) != report.size() || !file.flush())
    {
        const QString error = file.errorString();
        file.close();
        store->discard(id);
        return Expected<QString>::failure(
            ErrorKind::Unavailable, QStringLiteral("cannot write bounce %1: %2").arg(id, error));
    }
    file.close();
    const Status committed = store->makeDurable({ id });
    if (!committed)
    {
        store->discard(id);
        return Expected<QString>::failure(committed);
    }
    QueuedMessage bounce;
    bounce.id = id;
    bounce.helo = m_config.me;
    bounce.sizeBytes = report.size();
    bounce.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    bounce.nextAttemptAtMs = bounce.createdAtMs;
    QueuedRecipient recipient;
    recipient.address = original.envelopeSender;
    bounce.recipients.append(recipient);
    const Status queued = store->insert(m_db, { bounce });
    if (!queued)
    {
        store->discard(id);
        return Expected<QString>::failure(queued);
    }
    qCInfo(lcDeliverd).noquote() << "message" << original.id << "bounced to" << original.envelopeSender << "as" << id;
    return id;
}
