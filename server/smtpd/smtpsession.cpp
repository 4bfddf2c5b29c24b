// The SMTP state machine of one connection: it reads only complete lines (or DATA
// bytes), answers in order, and never reads ahead while a worker holds a command.
#include "smtpd/smtpsession.h"

#include "core/dsn.h"
#include "core/mailaddress.h"
#include "db/queuetable.h"
#include "log/logger.h"
#include "queue/diskstore.h"
#include "smtpd/authlimiter.h"
#include "smtpd/relaypolicy.h"
#include "smtpd/smtpcommand.h"
#include "smtpd/smtpd.h"
#include "smtpd/tlshandshakepool.h"

#include <algorithm>

#include <QDateTime>
#include <QHostInfo>
#include <QLocale>
#include <QSslCipher>

namespace {

constexpr qsizetype MaxCommandLine = 512; // octets with CRLF (RFC 5321 4.5.3.1.4)
// RFC 3461 §4: ENVID lengthens MAIL by up to 100 octets, ORCPT RCPT by up to 500.
constexpr qsizetype MaxMailLine = MaxCommandLine + 100;
constexpr qsizetype MaxRcptLine = MaxCommandLine + 500;

// The longest line a command may have, from its first octets.
qsizetype maxLineFor(const QByteArray &line)
{
    const QByteArray verb = line.left(5).toUpper();
    if (verb == "MAIL ")
        return MaxMailLine;
    if (verb == "RCPT ")
        return MaxRcptLine;
    return MaxCommandLine;
}
constexpr qsizetype ReadChunk = 16 * 1024;
constexpr qint64 SocketReadBuffer = 64 * 1024; // TCP back-pressure beyond this
constexpr qint64 MaxPendingOutput = 64 * 1024; // stop reading while the client does not read
constexpr qsizetype BodyWriteChunk = 32 * 1024;
constexpr int CloseGraceMs = 10000;

// HELO arguments and reverse names go into a header: printable ASCII only, bounded.
QString headerSafe(const QString &text)
{
    QString safe;
    const QString bounded = text.left(255);
    for (const QChar c : bounded)
    {
        const ushort u = c.unicode();
        safe.append(u > 32 && u < 127 && c != QLatin1Char('(') && c != QLatin1Char(')') ? c : QLatin1Char('?'));
    }
    return safe.isEmpty() ? QStringLiteral("unknown") : safe;
}

// RFC 5322 date-time: "Mon, 02 Feb 2015 15:51:30 +0100".
QString rfc5322Date(const QDateTime &now)
{
    const int offset = now.offsetFromUtc();
    const int minutes = qAbs(offset) / 60;
    return QLocale::c().toString(now, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss "))
        + (offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        + QStringLiteral("%1%2").arg(minutes / 60, 2, 10, QLatin1Char('0')).arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

bool isDigits(const QString &text)
{
    if (text.isEmpty() || text.size() > 18)
    {
        return false;
    }
    for (const QChar c : text)
    {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
        {
            return false;
        }
    }
    return true;
}

} // namespace

SmtpSession::SmtpSession(QSslSocket *socket, bool implicitTls, Smtpd *smtpd)
    : QObject(smtpd)
    , m_smtpd(smtpd)
    , m_socket(socket)
    , m_implicitTls(implicitTls)
    , m_id(DiskStore::newId())
    , m_idleTimer(this)
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(SocketReadBuffer);
    m_socket->setSslConfiguration(m_smtpd->tlsConfiguration());

    // An IPv4 client seen through a dual-stack socket is shown and matched as IPv4.
    m_peer = m_socket->peerAddress();
    bool isV4 = false;
    const quint32 v4 = m_peer.toIPv4Address(&isV4);
    if (isV4)
    {
        m_peer = QHostAddress(v4);
    }
    m_peerText = m_peer.toString();

    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(qMax(1, m_smtpd->config().serverTimeoutSeconds) * 1000);
    connect(&m_idleTimer, &QTimer::timeout, this, &SmtpSession::onTimeout);
    connectSocket();
}

void SmtpSession::connectSocket()
{
    connect(m_socket, &QSslSocket::readyRead, this, [this]() {
        // Only a complete line counts as activity: a client dribbling one byte at a
        // time (slowloris) must still finish each line within the timeout.
        if (!m_waiting && m_socket->canReadLine())
        {
            m_idleTimer.start();
        }
        processInput();
    });
    connect(m_socket, &QSslSocket::bytesWritten, this, [this]() {
        if (m_socket->bytesToWrite() < MaxPendingOutput / 2)
        {
            processInput();
        }
    });
    connect(m_socket, &QSslSocket::disconnected, this, &SmtpSession::finish);
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
        {
            qCDebug(lcSmtpd).noquote() << m_id << m_peerText << "socket error:" << m_socket->errorString();
        }
        if (m_socket->state() != QAbstractSocket::ConnectedState)
        {
            finish();
        }
    });
}

SmtpSession::~SmtpSession()
{
    if (m_handshaking)
    {
        m_smtpd->tlsPool().abort(m_socket); // not our child while away: the pool deletes it
    }
    if (m_lookupId >= 0)
    {
        QHostInfo::abortHostLookup(m_lookupId);
    }
    discardBody();
}

QString SmtpSession::me() const
{
    return m_smtpd->config().me;
}

void SmtpSession::start()
{
    qCInfo(lcSmtpd).noquote() << "new connection from" << m_peerText << "session" << m_id;
    m_lookupId = QHostInfo::lookupHost(m_peerText, this, &SmtpSession::onReverseLookup);
    m_idleTimer.start();
    if (m_implicitTls)
    {
        startHandshake();
        return;
    }
    reply(QStringLiteral("220 %1 tmail ESMTP %2").arg(me(), m_id));
}

// The socket goes to a TLS worker (see TlsHandshakePool): until it is back this session
// neither reads nor writes it; what the client sends meanwhile waits in the socket.
void SmtpSession::startHandshake()
{
    m_handshaking = true;
    disconnect(m_socket, nullptr, this, nullptr);
    m_smtpd->tlsPool().handshake(m_socket, this, [this](bool encrypted) { onHandshakeDone(encrypted); });
}

void SmtpSession::onHandshakeDone(bool encrypted)
{
    m_handshaking = false;
    m_socket->setParent(this);
    connectSocket();
    if (m_closing)
    {
        m_socket->abort(); // timed out or aborted while away
        finish();
        return;
    }
    if (!encrypted || m_socket->state() != QAbstractSocket::ConnectedState)
    {
        qCDebug(lcSmtpd).noquote() << m_id << m_peerText << "TLS handshake failed:" << m_socket->errorString();
        m_socket->abort();
        finish();
        return;
    }
    onEncrypted();
}

void SmtpSession::onReverseLookup(const QHostInfo &info)
{
    m_lookupId = -1;
    if (info.error() == QHostInfo::NoError && !info.hostName().isEmpty() && info.hostName() != m_peerText)
    {
        m_reverseName = headerSafe(info.hostName());
    }
}

void SmtpSession::onEncrypted()
{
    m_tls = true;
    Metrics::instance().countTlsHandshake(m_socket->sessionProtocol());
    qCDebug(lcSmtpd).noquote() << m_id << "TLS established:" << m_socket->sessionProtocol()
                               << m_socket->sessionCipher().name();
    if (m_implicitTls)
    {
        reply(QStringLiteral("220 %1 tmail ESMTP %2").arg(me(), m_id));
    }
    processInput();
}

bool SmtpSession::isBusy() const
{
    return m_waiting || m_mode == Mode::Data;
}

void SmtpSession::shutdown()
{
    m_shutdownRequested = true;
    if (m_handshaking)
    {
        abort(); // no clear 421 inside a TLS handshake
        return;
    }
    if (!isBusy() && !m_closing)
    {
        replyAndClose(QStringLiteral("421 4.7.0 %1 Service shutting down, closing transmission channel").arg(me()));
    }
}

void SmtpSession::abort()
{
    m_closing = true;
    if (m_handshaking)
    {
        m_smtpd->tlsPool().abort(m_socket); // comes back through onHandshakeDone
    }
    else
    {
        m_socket->abort();
    }
    finish();
}

void SmtpSession::onTimeout()
{
    if (m_closing)
    {
        return;
    }
    if (m_waiting)
    {
        m_idleTimer.start(); // our own worker is slow, not the client
        return;
    }
    qCInfo(lcSmtpd).noquote() << m_id << m_peerText << "timeout";
    if (m_handshaking)
    {
        abort();
        return;
    }
    replyAndClose(QStringLiteral("421 4.4.2 %1 Timeout, closing connection").arg(me()));
}

void SmtpSession::reply(const QString &text)
{
    if (m_closing || m_handshaking)
    {
        return;
    }
    qCDebug(lcSmtpd).noquote() << m_id << "<" << text;
    m_socket->write(text.toUtf8() + QByteArrayLiteral("\r\n"));
}

void SmtpSession::refuse(Metrics::Refusal reason, const QString &text)
{
    Metrics::instance().countRefused(reason);
    reply(text);
}

void SmtpSession::replyAndClose(const QString &text)
{
    reply(text);
    closeConnection();
}

void SmtpSession::closeConnection()
{
    if (m_closing)
    {
        return;
    }
    if (m_handshaking)
    {
        abort(); // the socket is on a TLS worker: nothing to flush
        return;
    }
    m_closing = true;
    m_idleTimer.stop();
    m_socket->disconnectFromHost(); // sends what is buffered first
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
    {
        finish();
        return;
    }
    QTimer::singleShot(CloseGraceMs, this, [this]() {
        m_socket->abort();
        finish();
    });
}

void SmtpSession::finish()
{
    if (m_finished)
    {
        return;
    }
    m_finished = true;
    m_closing = true;
    m_idleTimer.stop();
    discardBody();
    qCDebug(lcSmtpd).noquote() << m_id << m_peerText << "closed";
    emit closed(this);
}

void SmtpSession::processInput()
{
    if (m_processing)
    {
        return; // a reply written from inside the loop may re-enter through bytesWritten
    }
    m_processing = true;
    while (!m_waiting && !m_closing && !m_handshaking)
    {
        if (m_socket->bytesToWrite() > MaxPendingOutput)
        {
            break; // resumed by bytesWritten
        }
        if (m_mode == Mode::Data)
        {
            if (m_input.isEmpty())
            {
                m_input = m_socket->read(ReadChunk);
                if (m_input.isEmpty())
                {
                    break;
                }
            }
            const qsizetype used = m_reader->feed(m_input.constData(), m_input.size());
            m_input.remove(0, used);
            writeBody(false);
            if (m_reader->finished())
            {
                endOfData();
            }
            continue;
        }

        const qsizetype newline = m_input.indexOf('\n');
        if (newline < 0)
        {
            if (m_input.size() >= maxLineFor(m_input))
            {
                // Too long for a command: drop it up to its end, then say so.
                m_discardingLongLine = true;
                m_input.clear();
            }
            const QByteArray more = m_socket->read(ReadChunk - m_input.size());
            if (more.isEmpty())
            {
                break;
            }
            m_input.append(more);
            continue;
        }
        QByteArray line = m_input.left(newline + 1);
        m_input.remove(0, newline + 1);
        if (m_discardingLongLine || line.size() > maxLineFor(line))
        {
            m_discardingLongLine = false;
            reply(QStringLiteral("500 5.5.2 Error: line too long"));
            continue;
        }
        line.chop(line.endsWith("\r\n") ? 2 : 1);
        handleLine(line);
    }
    m_processing = false;
}

void SmtpSession::handleLine(const QByteArray &line)
{
    const QString text = QString::fromUtf8(line);
    switch (m_mode)
    {
    case Mode::AuthPlain:
    case Mode::AuthLoginUser:
    case Mode::AuthLoginPassword:
        handleAuthResponse(text);
        return;
    case Mode::Command:
    case Mode::Data:
        break;
    }
    qCDebug(lcSmtpd).noquote() << m_id << ">"
                               << (text.startsWith(QLatin1String("AUTH"), Qt::CaseInsensitive)
                                          ? QStringLiteral("AUTH …")
                                          : text);
    handleCommand(text);
}

void SmtpSession::handleCommand(const QString &line)
{
    const SmtpCommand command = SmtpCommand::parse(line);
    switch (command.verb())
    {
    case SmtpCommand::Verb::Helo:
        handleHelo(command.argument(), false);
        return;
    case SmtpCommand::Verb::Ehlo:
        handleHelo(command.argument(), true);
        return;
    case SmtpCommand::Verb::Mail:
        handleMail(command);
        return;
    case SmtpCommand::Verb::Rcpt:
        handleRcpt(command);
        return;
    case SmtpCommand::Verb::Data:
        if (!command.argument().isEmpty())
        {
            reply(QStringLiteral("501 5.5.4 Syntax: DATA"));
            return;
        }
        handleData();
        return;
    case SmtpCommand::Verb::Rset:
        resetTransaction();
        reply(QStringLiteral("250 2.0.0 Ok"));
        return;
    case SmtpCommand::Verb::Noop:
        reply(QStringLiteral("250 2.0.0 Ok"));
        return;
    case SmtpCommand::Verb::Vrfy:
        reply(QStringLiteral("252 2.5.2 Cannot VRFY user, but will accept message and attempt delivery"));
        return;
    case SmtpCommand::Verb::Help:
        reply(QStringLiteral("214 2.0.0 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT STARTTLS AUTH"));
        return;
    case SmtpCommand::Verb::Quit:
        replyAndClose(QStringLiteral("221 2.0.0 Bye"));
        return;
    case SmtpCommand::Verb::StartTls:
        handleStartTls(command.argument());
        return;
    case SmtpCommand::Verb::Auth:
        handleAuth(command.argument());
        return;
    case SmtpCommand::Verb::Unknown:
        break;
    }
    reply(QStringLiteral("502 5.5.2 Error: command not recognized"));
}

void SmtpSession::handleHelo(const QString &argument, bool extended)
{
    if (argument.isEmpty() || argument.contains(QLatin1Char(' ')))
    {
        reply(extended ? QStringLiteral("501 5.5.4 Syntax: EHLO hostname")
                       : QStringLiteral("501 5.5.4 Syntax: HELO hostname"));
        return;
    }
    resetTransaction();
    m_helo = headerSafe(argument);
    m_extended = extended;
    if (!extended)
    {
        reply(QStringLiteral("250 %1").arg(me()));
        return;
    }
    const qint64 maxBytes = m_smtpd->config().maxDataBytes;
    QStringList lines = {
        me(),
        QStringLiteral("PIPELINING"),
        maxBytes > 0 ? QStringLiteral("SIZE %1").arg(maxBytes) : QStringLiteral("SIZE"),
        QStringLiteral("8BITMIME"),
        QStringLiteral("ENHANCEDSTATUSCODES"),
        QStringLiteral("DSN"),
    };
    if (!m_tls && m_smtpd->tlsAvailable())
    {
        lines.append(QStringLiteral("STARTTLS"));
    }
    if (m_tls)
    {
        lines.append(QStringLiteral("AUTH PLAIN LOGIN"));
    }
    lines.append(QStringLiteral("SMTPUTF8"));
    QString text;
    for (qsizetype i = 0; i < lines.size(); ++i)
    {
        text += (i + 1 < lines.size() ? QStringLiteral("250-") : QStringLiteral("250 ")) + lines.at(i);
        if (i + 1 < lines.size())
        {
            text += QStringLiteral("\r\n");
        }
    }
    reply(text);
}

void SmtpSession::handleMail(const SmtpCommand &command)
{
    if (m_helo.isEmpty())
    {
        reply(QStringLiteral("503 5.5.1 Error: send HELO/EHLO first"));
        return;
    }
    if (m_mailSeen)
    {
        reply(QStringLiteral("503 5.5.1 Error: nested MAIL command"));
        return;
    }
    QString path;
    QList<QPair<QString, QString>> parameters;
    if (!command.splitPath(QStringLiteral("FROM"), &path, &parameters))
    {
        refuse(Metrics::Refusal::BadSyntax, QStringLiteral("501 5.5.4 Syntax: MAIL FROM:<address>"));
        return;
    }
    bool smtpUtf8 = false;
    Dsn::Ret ret = Dsn::Ret::Unset;
    QString envid;
    bool envidSeen = false;
    for (const auto &parameter : std::as_const(parameters))
    {
        const QString &name = parameter.first;
        const QString &value = parameter.second;
        if (!m_extended)
        {
            refuse(Metrics::Refusal::BadSyntax, QStringLiteral("555 5.5.4 Error: parameters need EHLO"));
            return;
        }
        if (name == QLatin1String("SIZE"))
        {
            if (!isDigits(value))
            {
                refuse(Metrics::Refusal::BadSyntax, QStringLiteral("501 5.5.4 Bad message size syntax"));
                return;
            }
            const qint64 maxBytes = m_smtpd->config().maxDataBytes;
            if (maxBytes > 0 && value.toLongLong() > maxBytes)
            {
                refuse(Metrics::Refusal::Size, QStringLiteral("552 5.3.4 Message size exceeds fixed limit"));
                return;
            }
        }
        else if (name == QLatin1String("BODY"))
        {
            const QString body = value.toUpper();
            if (body != QLatin1String("7BIT") && body != QLatin1String("8BITMIME"))
            {
                refuse(Metrics::Refusal::BadSyntax, QStringLiteral("501 5.5.4 Bad BODY parameter"));
                return;
            }
        }
        else if (name == QLatin1String("SMTPUTF8") && value.isEmpty())
        {
            smtpUtf8 = true;
        }
        else if (name == QLatin1String("AUTH"))
        {
            // RFC 4954 5: we do not trust another server's word; accepted and ignored.
        }
        else if (name == QLatin1String("RET"))
        {
            // RFC 3461 §4.3
            const Expected<Dsn::Ret> parsed = Dsn::parseRet(value);
            if (ret != Dsn::Ret::Unset || !parsed)
            {
                refuse(Metrics::Refusal::BadSyntax,
                    ret != Dsn::Ret::Unset ? QStringLiteral("501 5.5.4 Error: RET given twice")
                                           : QStringLiteral("501 5.5.4 Bad RET parameter: ") + parsed.error());
                return;
            }
            ret = parsed.value();
        }
        else if (name == QLatin1String("ENVID"))
        {
            // RFC 3461 §4.4
            const Expected<QString> parsed = Dsn::parseEnvid(value);
            if (envidSeen || !parsed)
            {
                refuse(Metrics::Refusal::BadSyntax,
                    envidSeen ? QStringLiteral("501 5.5.4 Error: ENVID given twice")
                              : QStringLiteral("501 5.5.4 Bad ENVID parameter: ") + parsed.error());
                return;
            }
            envidSeen = true;
            envid = parsed.value();
        }
        else
        {
            refuse(Metrics::Refusal::BadSyntax, QStringLiteral("555 5.5.4 Unsupported option: %1").arg(name));
            return;
        }
    }
    QString sender;
    if (path != QLatin1String("<>"))
    {
        const Expected<MailAddress> address = MailAddress::parsePath(path, smtpUtf8);
        if (!address)
        {
            refuse(Metrics::Refusal::BadSyntax, QStringLiteral("501 5.5.4 Bad sender address syntax"));
            return;
        }
        sender = address->toString();
    }
    m_mailSeen = true;
    m_sender = sender;
    m_smtpUtf8 = smtpUtf8;
    m_dsnRet = int(ret);
    m_dsnEnvid = envid;
    m_recipients.clear();
    m_recipientNotify.clear();
    m_recipientOrcpt.clear();
    m_maxDataBytes = m_smtpd->config().maxDataBytes;
    m_maxHops = m_smtpd->config().maxHops;
    m_maxRcpt = m_smtpd->config().maxRcpt;
    reply(QStringLiteral("250 ok"));
}

void SmtpSession::handleRcpt(const SmtpCommand &command)
{
    if (!m_mailSeen)
    {
        reply(QStringLiteral("503 5.5.1 Error: need MAIL command"));
        return;
    }
    QString path;
    QList<QPair<QString, QString>> parameters;
    if (!command.splitPath(QStringLiteral("TO"), &path, &parameters))
    {
        refuse(Metrics::Refusal::BadSyntax, QStringLiteral("501 5.5.4 Syntax: RCPT TO:<address>"));
        return;
    }
    int notify = 0;
    QString orcpt;
    bool orcptSeen = false;
    for (const auto &parameter : std::as_const(parameters))
    {
        const QString &name = parameter.first;
        if (!m_extended)
        {
            refuse(Metrics::Refusal::BadSyntax, QStringLiteral("555 5.5.4 Error: parameters need EHLO"));
            return;
        }
        if (name == QLatin1String("NOTIFY"))
        {
            // RFC 3461 §4.1
            const Expected<int> parsed = Dsn::parseNotify(parameter.second);
            if (notify != 0 || !parsed)
            {
                refuse(Metrics::Refusal::BadSyntax,
                    notify != 0 ? QStringLiteral("501 5.5.4 Error: NOTIFY given twice")
                                : QStringLiteral("501 5.5.4 Bad NOTIFY parameter: ") + parsed.error());
                return;
            }
            notify = parsed.value();
        }
        else if (name == QLatin1String("ORCPT"))
        {
            // RFC 3461 §4.2
            const Expected<QString> parsed = Dsn::parseOrcpt(parameter.second);
            if (orcptSeen || !parsed)
            {
                refuse(Metrics::Refusal::BadSyntax,
                    orcptSeen ? QStringLiteral("501 5.5.4 Error: ORCPT given twice")
                              : QStringLiteral("501 5.5.4 Bad ORCPT parameter: ") + parsed.error());
                return;
            }
            orcptSeen = true;
            orcpt = parsed.value();
        }
        else
        {
            refuse(Metrics::Refusal::BadSyntax, QStringLiteral("555 5.5.4 Unsupported option: %1").arg(name));
            return;
        }
    }
    const Expected<MailAddress> address = MailAddress::parsePath(path, m_smtpUtf8);
    if (!address)
    {
        refuse(Metrics::Refusal::BadSyntax, QStringLiteral("501 5.5.4 Bad recipient address syntax"));
        return;
    }
    if (m_maxRcpt > 0 && m_recipients.size() >= m_maxRcpt)
    {
        refuse(Metrics::Refusal::TooManyRecipients, QStringLiteral("452 4.5.3 Error: too many recipients"));
        return;
    }
    if (!m_smtpd->relayPolicy().allows(address->domain(), m_peer, !m_authUser.isEmpty() && m_authMayRelay))
    {
        qCInfo(lcSmtpd).noquote() << m_id << m_peerText << "relay access denied to" << address->toString();
        refuse(Metrics::Refusal::RelayDenied,
            QStringLiteral("554 5.7.1 <%1>: Relay access denied.").arg(address->toString()));
        ++m_badRecipients;
        const int maxBad = m_smtpd->config().maxBadRcpt;
        if (maxBad > 0 && m_badRecipients >= maxBad)
        {
            replyAndClose(QStringLiteral("421 4.7.0 %1 Error: too many refused recipients").arg(me()));
        }
        return;
    }
    const Config &config = m_smtpd->config();
    if (config.lmtpVerify != Config::LmtpVerify::Off && m_smtpd->relayPolicy().isLocalDomain(address->domain()))
    {
        verifyLocalRecipient(address->toString(), notify, orcpt);
        return;
    }
    acceptRecipient(address->toString(), notify, orcpt);
}

void SmtpSession::acceptRecipient(const QString &address, int notify, const QString &orcpt)
{
    if (!m_recipients.contains(address))
    {
        m_recipients.append(address);
        m_recipientNotify.append(notify);
        m_recipientOrcpt.append(orcpt);
    }
    reply(QStringLiteral("250 ok"));
}

void SmtpSession::refuseUnknownRecipient(const QString &address, const QString &why)
{
    qCInfo(lcSmtpd).noquote() << m_id << m_peerText << "unknown local recipient" << address << "-" << why;
    refuse(Metrics::Refusal::UnknownRecipient,
        QStringLiteral("550 5.1.1 <%1>: Recipient address rejected: User unknown").arg(address));
    ++m_badRecipients;
    const int maxBad = m_smtpd->config().maxBadRcpt;
    if (maxBad > 0 && m_badRecipients >= maxBad)
    {
        replyAndClose(QStringLiteral("421 4.7.0 %1 Error: too many refused recipients").arg(me()));
    }
}

void SmtpSession::verifyLocalRecipient(const QString &address, int notify, const QString &orcpt)
{
    const Config &config = m_smtpd->config();
    if (config.lmtpVerify == Config::LmtpVerify::Users)
    {
        if (m_smtpd->relayPolicy().isUser(address))
        {
            acceptRecipient(address, notify, orcpt);
        }
        else
        {
            refuseUnknownRecipient(address, QStringLiteral("not in the users table"));
        }
        return;
    }
    // The probe runs on the event loop; the session reads no further command meanwhile
    // (pipelined RCPTs are answered in order).
    m_waiting = true;
    m_idleTimer.stop();
    // The client waits at RCPT meanwhile: a silent LMTP server costs it at most 30 s.
    const int timeoutSeconds = std::min(30, config.deliverdRemoteTimeoutSeconds);
    m_smtpd->lmtpVerifier().verify(address, config.lmtpTarget, me(), timeoutSeconds, this,
        [this, address, notify, orcpt](LmtpVerifier::Verdict verdict, const QString &text) {
            m_waiting = false;
            switch (verdict)
            {
            case LmtpVerifier::Verdict::Exists:
                acceptRecipient(address, notify, orcpt);
                break;
            case LmtpVerifier::Verdict::Unknown:
                refuseUnknownRecipient(address, text);
                break;
            case LmtpVerifier::Verdict::Unavailable:
                // RFC 5321 §4.2.5: nothing is known, the client tries again later.
                reply(QStringLiteral("451 4.4.1 <%1>: Recipient address cannot be verified now, try again later")
                          .arg(address));
                break;
            }
            if (m_closing)
            {
                return;
            }
            if (m_shutdownRequested)
            {
                shutdown();
                return;
            }
            m_idleTimer.start();
            processInput();
        });
}

void SmtpSession::handleData()
{
    if (!m_mailSeen)
    {
        reply(QStringLiteral("503 5.5.1 Error: need MAIL command"));
        return;
    }
    if (m_recipients.isEmpty())
    {
        reply(QStringLiteral("503 5.5.1 Error: need RCPT command"));
        return;
    }
    m_messageId = DiskStore::newId();
    m_body = std::make_unique<QFile>(m_smtpd->store().tmpPath(m_messageId));
    m_bodyWriteFailed = false;
    m_bodyBytes = 0;
    if (!m_body->open(QIODevice::WriteOnly | QIODevice::NewOnly) || m_body->write(receivedHeader().toUtf8()) < 0)
    {
        qCWarning(lcSmtpd).noquote() << m_id << "cannot create" << m_body->fileName() << ":" << m_body->errorString();
        discardBody();
        refuse(Metrics::Refusal::QueueError, QStringLiteral("451 4.3.0 Error: queue file write error"));
        return;
    }
    m_reader = std::make_unique<DataReader>(m_maxDataBytes, m_maxHops);
    m_mode = Mode::Data;
    reply(QStringLiteral("354 End data with <CR><LF>.<CR><LF>"));
}

QString SmtpSession::receivedHeader() const
{
    QString with = m_extended ? QStringLiteral("ESMTP") : QStringLiteral("SMTP");
    if (m_tls)
    {
        with += QLatin1Char('S');
    }
    if (!m_authUser.isEmpty())
    {
        with += QLatin1Char('A');
    }
    QString header = QStringLiteral("Received: from %1 (%2 [%3])\r\n\tby %4 (tmail) with %5 id %6")
                         .arg(m_helo, m_reverseName, m_peerText, me(), with, m_messageId);
    const QString date = rfc5322Date(QDateTime::currentDateTime());
    if (m_recipients.size() == 1)
    {
        header += QStringLiteral("\r\n\tfor <%1>; %2\r\n").arg(m_recipients.first(), date);
    }
    else
    {
        header += QStringLiteral(";\r\n\t%1\r\n").arg(date);
    }
    return header;
}

void SmtpSession::writeBody(bool all)
{
    if (!m_body || !m_reader)
    {
        return;
    }
    if (!all && m_reader->pendingOutput() < BodyWriteChunk)
    {
        return;
    }
    const QByteArray output = m_reader->takeOutput();
    if (m_bodyWriteFailed || output.isEmpty())
    {
        return;
    }
    if (m_body->write(output) != output.size())
    {
        qCWarning(lcSmtpd).noquote() << m_id << "cannot write" << m_body->fileName() << ":" << m_body->errorString();
        m_bodyWriteFailed = true;
    }
    m_bodyBytes += output.size();
}

void SmtpSession::discardBody()
{
    if (m_body)
    {
        m_body->close();
        m_body->remove();
        m_body.reset();
    }
}

void SmtpSession::endOfData()
{
    writeBody(true);
    const DataReader::Verdict verdict = m_reader->verdict();
    const qint64 size = m_reader->messageBytes();
    m_reader.reset();
    m_mode = Mode::Command;
    if (!m_bodyWriteFailed && !m_body->flush())
    {
        m_bodyWriteFailed = true;
    }

    QString refusal;
    Metrics::Refusal reason = Metrics::Refusal::BadData;
    switch (verdict)
    {
    case DataReader::Verdict::Accepted:
        break;
    case DataReader::Verdict::BareNewline:
        refusal = QStringLiteral("550 5.5.2 Error: bare <CR> or <LF> received in message data");
        break;
    case DataReader::Verdict::LineTooLong:
        refusal = QStringLiteral("500 5.5.2 Error: line too long in message data");
        break;
    case DataReader::Verdict::TooBig:
        refusal = QStringLiteral("552 5.3.4 Error: message file too big");
        reason = Metrics::Refusal::Size;
        break;
    case DataReader::Verdict::TooManyHops:
        refusal = QStringLiteral("554 5.4.6 Error: too many hops");
        reason = Metrics::Refusal::TooManyHops;
        break;
    }
    if (refusal.isEmpty() && m_bodyWriteFailed)
    {
        refusal = QStringLiteral("451 4.3.0 Error: queue file write error");
        reason = Metrics::Refusal::QueueError;
    }
    if (!refusal.isEmpty())
    {
        qCInfo(lcSmtpd).noquote() << m_id << m_peerText << "message refused:" << refusal;
        discardBody();
        resetTransaction();
        refuse(reason, refusal);
        if (m_shutdownRequested)
        {
            shutdown();
        }
        return;
    }
    m_body->close();
    m_body.reset(); // from now on the file belongs to the queue writer

    QueuedMessage message;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    message.id = m_messageId;
    message.envelopeSender = m_sender;
    message.authUser = m_authUser;
    message.clientIp = m_peerText;
    message.helo = m_helo;
    message.sizeBytes = size;
    message.storeKey = DiskStore::keyFor(m_messageId);
    message.createdAtMs = now;
    message.nextAttemptAtMs = now;
    message.attempts = 0;
    message.claimExpiresAtMs = 0;
    message.dsnRet = Dsn::Ret(m_dsnRet);
    message.dsnEnvid = m_dsnEnvid;
    for (qsizetype i = 0; i < m_recipients.size(); ++i)
    {
        QueuedRecipient queued;
        queued.address = m_recipients.at(i);
        queued.status = QueuedRecipient::Pending;
        queued.dsnNotify = m_recipientNotify.value(i);
        queued.dsnOrcpt = m_recipientOrcpt.value(i);
        message.recipients.append(queued);
    }
    m_waiting = true;
    m_idleTimer.stop();
    // Outbound mail (RFC 6409 submission or a trusted relay client) is DKIM-signed;
    // mail accepted only because its recipients are rcpthosts is not.
    const bool outbound = !m_authUser.isEmpty() || m_smtpd->relayPolicy().isRelayIp(m_peer);
    m_smtpd->enqueue(this, message, outbound);
}

void SmtpSession::queueFinished(bool ok, const QString &error)
{
    m_waiting = false;
    if (ok)
    {
        qCInfo(lcSmtpd).noquote() << m_id << m_peerText << "message" << m_messageId << "queued from"
                                  << (m_sender.isEmpty() ? QStringLiteral("<>") : m_sender) << "to"
                                  << m_recipients.join(QLatin1Char(','));
        Metrics::instance().countAccepted(m_tls);
        reply(QStringLiteral("250 2.0.0 Ok: queued %1").arg(m_messageId));
    }
    else
    {
        qCWarning(lcSmtpd).noquote() << m_id << "message not queued:" << error;
        refuse(Metrics::Refusal::QueueError, QStringLiteral("451 4.3.0 Error: queue file write error"));
    }
    resetTransaction();
    if (m_shutdownRequested)
    {
        shutdown();
        return;
    }
    m_idleTimer.start();
    processInput();
}

void SmtpSession::handleStartTls(const QString &argument)
{
    if (!argument.isEmpty())
    {
        reply(QStringLiteral("501 5.5.4 Syntax: STARTTLS"));
        return;
    }
    if (m_tls)
    {
        reply(QStringLiteral("503 5.5.1 Error: TLS already active"));
        return;
    }
    if (!m_smtpd->tlsAvailable())
    {
        reply(QStringLiteral("454 4.7.0 TLS not available"));
        return;
    }
    reply(QStringLiteral("220 2.0.0 Ready to start TLS"));
    // Whatever the client pipelined in clear after STARTTLS is discarded, never run
    // as if it had come over TLS (CVE-2011-0411 and its kin).
    m_input.clear();
    m_discardingLongLine = false;
    m_socket->readAll();
    resetSession();
    m_socket->setSslConfiguration(m_smtpd->tlsConfiguration()); // a certificate reloaded since the connection
    startHandshake();
}

void SmtpSession::resetTransaction()
{
    discardBody();
    m_mailSeen = false;
    m_sender.clear();
    m_recipients.clear();
    m_recipientNotify.clear();
    m_recipientOrcpt.clear();
    m_dsnRet = 0;
    m_dsnEnvid.clear();
    m_smtpUtf8 = false;
    m_messageId.clear();
}

void SmtpSession::resetSession()
{
    resetTransaction();
    m_helo.clear();
    m_extended = false;
    m_authUser.clear();
    m_authMayRelay = false;
    m_mode = Mode::Command;
}

void SmtpSession::handleAuth(const QString &argument)
{
    if (!m_tls)
    {
        reply(QStringLiteral("538 5.7.11 Encryption required for requested authentication mechanism"));
        return;
    }
    if (!m_extended)
    {
        reply(QStringLiteral("503 5.5.1 Error: send EHLO first"));
        return;
    }
    if (!m_authUser.isEmpty())
    {
        reply(QStringLiteral("503 5.5.1 Error: already authenticated"));
        return;
    }
    if (m_mailSeen)
    {
        reply(QStringLiteral("503 5.5.1 Error: MAIL transaction in progress"));
        return;
    }
    if (m_smtpd->authLimiter().isBanned(m_peer, QDateTime::currentMSecsSinceEpoch()))
    {
        replyAndClose(QStringLiteral("421 4.7.0 %1 Error: too many failed authentications, try again later").arg(me()));
        return;
    }
    const QStringList words = argument.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty() || words.size() > 2)
    {
        reply(QStringLiteral("501 5.5.4 Syntax: AUTH mechanism"));
        return;
    }
    const QString mechanism = words.first().toUpper();
    if (mechanism == QLatin1String("PLAIN"))
    {
        m_mode = Mode::AuthPlain;
        if (words.size() == 2)
        {
            handleAuthResponse(words.at(1));
        }
        else
        {
            reply(QStringLiteral("334 "));
        }
        return;
    }
    if (mechanism == QLatin1String("LOGIN"))
    {
        m_mode = Mode::AuthLoginUser;
        if (words.size() == 2)
        {
            handleAuthResponse(words.at(1));
        }
        else
        {
            reply(QStringLiteral("334 VXNlcm5hbWU6"));
        }
        return;
    }
    reply(QStringLiteral("504 5.5.4 Unrecognized authentication type"));
}

void SmtpSession::handleAuthResponse(const QString &line)
{
    const Mode mode = m_mode;
    m_mode = Mode::Command;
    if (line == QLatin1String("*"))
    {
        reply(QStringLiteral("501 5.7.0 Authentication aborted"));
        return;
    }
    // "=" is an empty initial response (RFC 4954 4).
    const auto decoded = QByteArray::fromBase64Encoding(
        line == QLatin1String("=") ? QByteArray() : line.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
    {
        reply(QStringLiteral("501 5.5.2 Error: cannot decode response"));
        return;
    }
    const QByteArray &data = decoded.decoded;
    switch (mode)
    {
    case Mode::AuthPlain:
    {
        // authzid NUL authcid NUL passwd (RFC 4616); no proxy authorisation.
        const QList<QByteArray> parts = data.split('\0');
        if (parts.size() != 3 || parts.at(1).isEmpty() || (!parts.at(0).isEmpty() && parts.at(0) != parts.at(1)))
        {
            Metrics::instance().countAuthFailure();
            reply(QStringLiteral("535 5.7.8 Error: authentication failed"));
            return;
        }
        verifyCredentials(QString::fromUtf8(parts.at(1)), QString::fromUtf8(parts.at(2)));
        return;
    }
    case Mode::AuthLoginUser:
        m_authLogin = QString::fromUtf8(data);
        m_mode = Mode::AuthLoginPassword;
        reply(QStringLiteral("334 UGFzc3dvcmQ6"));
        return;
    case Mode::AuthLoginPassword:
        verifyCredentials(m_authLogin, QString::fromUtf8(data));
        m_authLogin.clear();
        return;
    case Mode::Command:
    case Mode::Data:
        break;
    }
}

void SmtpSession::verifyCredentials(const QString &login, const QString &password)
{
    m_waiting = true;
    m_idleTimer.stop();
    m_smtpd->authenticate(this, login, password);
}

void SmtpSession::authFinished(DbWorker::AuthOutcome outcome, const QString &login, bool mayRelay)
{
    if (outcome == DbWorker::AuthOutcome::Accepted)
    {
        m_smtpd->authLimiter().recordSuccess(m_peer);
        Metrics::instance().countAuthSuccess();
        m_authUser = login;
        m_authMayRelay = mayRelay;
        m_waiting = false;
        qCInfo(lcSmtpd).noquote() << m_id << m_peerText << "authenticated as" << login;
        reply(QStringLiteral("235 2.7.0 Authentication successful"));
        m_idleTimer.start();
        processInput();
        return;
    }
    if (outcome == DbWorker::AuthOutcome::Unavailable)
    {
        // The database did not answer: the client may try again, and is not penalised.
        qCWarning(lcSmtpd).noquote() << m_id << m_peerText << "authentication unavailable for" << login;
        m_waiting = false;
        reply(QStringLiteral("454 4.7.0 Temporary authentication failure"));
        if (m_shutdownRequested)
        {
            shutdown();
            return;
        }
        m_idleTimer.start();
        processInput();
        return;
    }
    qCInfo(lcSmtpd).noquote() << m_id << m_peerText << "authentication failed for" << login;
    Metrics::instance().countAuthFailure();
    const int delay = m_smtpd->authLimiter().recordFailure(m_peer, QDateTime::currentMSecsSinceEpoch());
    if (delay < 0)
    {
        qCWarning(lcSmtpd).noquote() << m_peerText << "banned from AUTH after repeated failures";
        m_waiting = false;
        replyAndClose(QStringLiteral("421 4.7.0 %1 Error: too many failed authentications, try again later").arg(me()));
        return;
    }
    // The answer is held back, and the session reads nothing meanwhile.
    QTimer::singleShot(delay, this, [this]() {
        m_waiting = false;
        reply(QStringLiteral("535 5.7.8 Error: authentication failed"));
        if (m_shutdownRequested)
        {
            shutdown();
            return;
        }
        m_idleTimer.start();
        processInput();
    });
}
