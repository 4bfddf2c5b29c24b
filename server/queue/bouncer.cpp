// RFC 3464 notices: a human part from a template, a message/delivery-status part with
// a block per reported recipient, and the original headers (or the whole message).
#include "queue/bouncer.h"

#include "log/logger.h"
#include "metrics/metrics.h"
#include "queue/diskstore.h"

#include <QBuffer>
#include <QFile>
#include <QLocale>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSaveFile>

namespace {

constexpr qint64 MaxHeaderBytes = 256 * 1024;
// Header lines are folded before this many characters (RFC 5322 §2.1.1 recommends 78).
constexpr int FoldAt = 76;

const char *const BuiltInBounce = "This is the mail system at host {{ME}}.\n"
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

const char *const BuiltInDelay = "This is the mail system at host {{ME}}.\n"
                                 "\n"
                                 "This is a warning only: you do not need to send your message again.\n"
                                 "\n"
                                 "Your message could not be delivered yet to the recipients below.\n"
                                 "It was received on {{ARRIVAL}} and will be tried again until\n"
                                 "{{UNTIL}}; you will be told if it still fails then.\n"
                                 "\n"
                                 "{{RECIPIENTS}}\n";

const char *const BuiltInSuccess = "This is the mail system at host {{ME}}.\n"
                                   "\n"
                                   "Your message was successfully sent to the recipients below, as\n"
                                   "you asked. When it was relayed to a server that does not report on\n"
                                   "deliveries (RFC 3461), this is the last notice about it.\n"
                                   "\n"
                                   "{{RECIPIENTS}}\n";

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

QByteArray crlf(const QByteArray &bytes)
{
    QByteArray normalized = bytes;
    normalized.replace("\r\n", "\n");
    normalized.replace('\r', '\n');
    normalized.replace("\n", "\r\n");
    return normalized;
}

// "5.1.1 host mx[1.2.3.4]:25 said: 550 5.1.1 …" → ("mx", "550 5.1.1 …")
bool splitRemote(const QString &detail, QString *remoteMta, QString *reply)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(?:[245]\\.\\d{1,3}\\.\\d{1,3} )?host (\\S+?)(?:\\[[^\\]]*\\])?(?::\\d+)? said: (.*?)(?: "
                       "\\(in reply to [^)]*\\))?$"));
    const QRegularExpressionMatch match = pattern.match(detail);
    if (!match.hasMatch())
    {
        return false;
    }
    *remoteMta = match.captured(1);
    *reply = match.captured(2);
    return true;
}

// The Status field: the first enhanced code of the detail, in the class of the action
// (a failed recipient reports 5.x.x even when it expired on a 4.x.x, a late one 4.x.x).
QString statusOf(const QString &detail, Bouncer::Action action)
{
    if (action == Bouncer::Action::Delivered || action == Bouncer::Action::Relayed)
    {
        return QStringLiteral("2.0.0");
    }
    const QChar klass = action == Bouncer::Action::Failed ? QLatin1Char('5') : QLatin1Char('4');
    static const QRegularExpression enhanced(QStringLiteral("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b"));
    const QRegularExpressionMatch match = enhanced.match(detail);
    if (match.hasMatch())
    {
        return QStringLiteral("%1.%2.%3").arg(klass).arg(match.captured(2), match.captured(3));
    }
    return QStringLiteral("%1.0.0").arg(klass);
}

QString oneLine(QString text)
{
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text;
}

// "Name: value" folded at spaces (RFC 5322 §2.2.3), the value kept whole.
QString field(const QString &name, const QString &value)
{
    QString out = name + QStringLiteral(": ");
    int lineLength = int(out.size());
    const QStringList words = oneLine(value).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < words.size(); ++i)
    {
        const QString &word = words.at(i);
        if (i > 0)
        {
            if (lineLength + 1 + word.size() > FoldAt)
            {
                out += QStringLiteral("\n ");
                lineLength = 1;
            }
            else
            {
                out += QLatin1Char(' ');
                ++lineLength;
            }
        }
        out += word;
        lineLength += int(word.size());
    }
    return out + QLatin1Char('\n');
}

QString actionName(Bouncer::Action action)
{
    switch (action)
    {
    case Bouncer::Action::Delayed:
        return QStringLiteral("delayed");
    case Bouncer::Action::Delivered:
        return QStringLiteral("delivered");
    case Bouncer::Action::Relayed:
        return QStringLiteral("relayed");
    case Bouncer::Action::Failed:
        break;
    }
    return QStringLiteral("failed");
}

QString subjectOf(Bouncer::Action action)
{
    switch (action)
    {
    case Bouncer::Action::Delayed:
        return QStringLiteral("Delayed Mail (still being retried)");
    case Bouncer::Action::Delivered:
    case Bouncer::Action::Relayed:
        return QStringLiteral("Successful Mail Delivery Report");
    case Bouncer::Action::Failed:
        break;
    }
    return QStringLiteral("Undelivered Mail Returned to Sender");
}

} // namespace

Bouncer::Bouncer(Database &db, const Config &config) : m_db(db), m_config(config) { }

bool Bouncer::wants(const QueuedRecipient &recipient, Action action)
{
    switch (action)
    {
    case Action::Failed:
        return Dsn::wants(recipient.dsnNotify, Dsn::NotifyFailure);
    case Action::Delayed:
        return Dsn::wants(recipient.dsnNotify, Dsn::NotifyDelay);
    case Action::Delivered:
    case Action::Relayed:
        break;
    }
    return Dsn::wants(recipient.dsnNotify, Dsn::NotifySuccess);
}

QString Bouncer::loadTemplate(const QString &baseDir, Action action)
{
    QString name = QStringLiteral("bounce.tpl");
    const char *builtIn = BuiltInBounce;
    if (action == Action::Delayed)
    {
        name = QStringLiteral("delay.tpl");
        builtIn = BuiltInDelay;
    }
    else if (action == Action::Delivered || action == Action::Relayed)
    {
        name = QStringLiteral("success.tpl");
        builtIn = BuiltInSuccess;
    }
    QFile file(baseDir + QStringLiteral("/tpl/") + name);
    if (file.open(QIODevice::ReadOnly))
    {
        return QString::fromUtf8(file.readAll());
    }
    return QString::fromUtf8(builtIn);
}

QByteArray Bouncer::readHeaders(const QString &bodyPath)
{
    QFile file(bodyPath);
    if (!file.open(QIODevice::ReadOnly))
    {
        Metrics::instance().countStoreError(Metrics::StoreOperation::Read);
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

QByteArray Bouncer::buildReport(Action action, const QString &me, const QString &templateText,
    const QueuedMessage &original, const QList<int> &positions, const QByteArray &returned, bool fullMessage,
    const QString &boundary, const QDateTime &now, const QDateTime &retryUntil)
{
    QStringList lines;
    QString statusFields;
    for (const int position : positions)
    {
        if (position < 0 || position >= original.recipients.size())
        {
            continue;
        }
        const QueuedRecipient &recipient = original.recipients.at(position);
        const QString detail = oneLine(recipient.lastError);
        lines.append(detail.isEmpty() ? QStringLiteral("<%1>").arg(recipient.address)
                                      : QStringLiteral("<%1>: %2").arg(recipient.address, detail));
        statusFields += QLatin1Char('\n');
        if (!recipient.dsnOrcpt.isEmpty())
        {
            // RFC 3461 §6.3: the ORCPT given for this recipient, "addr-type;address".
            statusFields += field(QStringLiteral("Original-Recipient"), recipient.dsnOrcpt);
        }
        statusFields += field(QStringLiteral("Final-Recipient"), QStringLiteral("rfc822; ") + recipient.address);
        statusFields += field(QStringLiteral("Action"), actionName(action));
        statusFields += field(QStringLiteral("Status"), statusOf(detail, action));
        QString remoteMta;
        QString reply;
        if (splitRemote(detail, &remoteMta, &reply))
        {
            statusFields += field(QStringLiteral("Remote-MTA"), QStringLiteral("dns; ") + remoteMta);
            statusFields += field(QStringLiteral("Diagnostic-Code"), QStringLiteral("smtp; ") + reply);
        }
        else if (!detail.isEmpty())
        {
            statusFields += field(QStringLiteral("Diagnostic-Code"), QStringLiteral("X-tmail; ") + detail);
        }
        if (action == Action::Delayed && retryUntil.isValid())
        {
            statusFields += field(QStringLiteral("Will-Retry-Until"), rfc5322Date(retryUntil));
        }
    }
    const QDateTime arrival = QDateTime::fromMSecsSinceEpoch(original.createdAtMs);
    QString human = templateText;
    human.replace(QStringLiteral("{{ME}}"), me);
    human.replace(QStringLiteral("{{ERRORS}}"), lines.join(QLatin1Char('\n')));
    human.replace(QStringLiteral("{{RECIPIENTS}}"), lines.join(QLatin1Char('\n')));
    human.replace(QStringLiteral("{{ARRIVAL}}"), rfc5322Date(arrival));
    human.replace(QStringLiteral("{{UNTIL}}"), retryUntil.isValid() ? rfc5322Date(retryUntil) : QString());

    QString head;
    head += QStringLiteral("From: Mail Delivery System <MAILER-DAEMON@%1>\n").arg(me);
    head += QStringLiteral("To: <%1>\n").arg(original.envelopeSender);
    head += QStringLiteral("Subject: %1\n").arg(subjectOf(action));
    head += QStringLiteral("Date: %1\n").arg(rfc5322Date(now));
    head += QStringLiteral("Message-ID: <%1.%2@%3>\n")
                .arg(original.id, action == Action::Failed ? QStringLiteral("bounce") : actionName(action), me);
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
    head += field(QStringLiteral("Reporting-MTA"), QStringLiteral("dns; ") + me);
    if (!original.dsnEnvid.isEmpty())
    {
        // RFC 3461 §6.3: the ENVID of the original MAIL command.
        head += field(QStringLiteral("Original-Envelope-Id"), original.dsnEnvid);
    }
    head += field(QStringLiteral("X-Tmail-Queue-ID"), original.id);
    head += field(QStringLiteral("Arrival-Date"), rfc5322Date(arrival));
    head += statusFields;
    const bool undelivered = action == Action::Failed || action == Action::Delayed;
    if (fullMessage)
    {
        head += QStringLiteral("\n--%1\nContent-Description: Undelivered Message\nContent-Type: message/rfc822\n\n")
                    .arg(boundary);
    }
    else
    {
        head
            += QStringLiteral("\n--%1\nContent-Description: %2\nContent-Type: text/rfc822-headers\n\n")
                   .arg(boundary,
                       undelivered ? QStringLiteral("Undelivered Message Headers") : QStringLiteral("Message Headers"));
    }
    QByteArray message = crlf(head);
    QByteArray content = crlf(returned);
    if (!content.isEmpty() && !content.endsWith('\n'))
    {
        content += "\r\n";
    }
    message += content;
    message += crlf(QStringLiteral("\n--%1--\n").arg(boundary));
    return message;
}

Expected<QString> Bouncer::queueBounce(const QueuedMessage &original)
{
    QList<int> positions;
    for (int position = 0; position < original.recipients.size(); ++position)
    {
        const QueuedRecipient &recipient = original.recipients.at(position);
        if (recipient.status == QueuedRecipient::Failed && wants(recipient, Action::Failed))
        {
            positions.append(position);
        }
    }
    if (positions.isEmpty())
    {
        qCInfo(lcDeliverd).noquote() << "message" << original.id << "failed; its recipients' NOTIFY asks for no bounce";
        return QString();
    }
    return queueNotice(original, Action::Failed, positions);
}

Expected<QString> Bouncer::queueNotice(const QueuedMessage &original, Action action, const QList<int> &positions)
{
    if (original.envelopeSender.isEmpty() || positions.isEmpty())
    {
        return QString(); // RFC 3461 §6.2: never a notice to the null sender
    }
    const std::unique_ptr<MessageStore> store = MessageStore::create(m_config.storeDriver, m_config.storePath);
    const Status prepared = store->prepare();
    if (!prepared)
    {
        return Expected<QString>::failure(prepared);
    }
    const QString id = QueueTable::newId();
    const QString boundary = QStringLiteral("%1/%2").arg(id.left(16), m_config.me);
    // RFC 3461 §4.3: RET=FULL returns the whole message with a failure, never with
    // another kind of notice.
    const bool fullMessage = action == Action::Failed && original.dsnRet == Dsn::Ret::Full;
    // Else the headers: twice the header limit, readHeaders() stops at the blank line or the limit.
    const Expected<QByteArray> head = store->readHead(m_db, original, fullMessage ? -1 : 2 * MaxHeaderBytes);
    if (!head)
    {
        Metrics::instance().countStoreError(Metrics::StoreOperation::Read);
        if (fullMessage)
        {
            return Expected<QString>::failure(ErrorKind::Unavailable,
                QStringLiteral("cannot read message %1 to return it: %2").arg(original.id, head.error()));
        }
    }
    QByteArray returned = head ? head.value() : QByteArray();
    if (!fullMessage)
    {
        QBuffer headBuffer(&returned);
        headBuffer.open(QIODevice::ReadOnly);
        const QByteArray headers = readHeaders(headBuffer);
        headBuffer.close();
        returned = headers;
    }
    const QDateTime retryUntil
        = QDateTime::fromMSecsSinceEpoch(original.createdAtMs + qint64(m_config.deliverdQueueLifetimeMinutes) * 60000);
    const QByteArray report = buildReport(action, m_config.me, loadTemplate(m_config.baseDir, action), original,
        positions, returned, fullMessage, boundary, QDateTime::currentDateTime(), retryUntil);
    QFile file(store->tmpPath(id));
    if (!file.open(QIODevice::WriteOnly) || file.write(report) != report.size() || !file.flush())
    {
        const QString error = file.errorString();
        file.close();
        store->discard(id);
        return Expected<QString>::failure(
            ErrorKind::Unavailable, QStringLiteral("cannot write notice %1: %2").arg(id, error));
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
    if (action == Action::Failed)
    {
        qCInfo(lcDeliverd).noquote() << "message" << original.id << "bounced to" << original.envelopeSender << "as"
                                     << id;
    }
    else
    {
        qCInfo(lcDeliverd).noquote() << "message" << original.id
                                     << QStringLiteral("notice (%1) to").arg(actionName(action))
                                     << original.envelopeSender << "queued as" << id;
    }
    return id;
}
