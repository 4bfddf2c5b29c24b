// The SMTP client state machine of deliverd (RFC 5321, 3207 STARTTLS, 4954 AUTH,
// 2920 PIPELINING, 1870 SIZE), never blocking the event loop.
#include "deliverd/smtpclient.h"

#include "deliverd/dotstuffer.h"

#include "deliverd/daneverifier.h"
#include "metrics/metrics.h"

#include <algorithm>

#include <QRegularExpression>
#include <QSslConfiguration>

namespace {

constexpr qint64 MaxReplyLine = 4096;
constexpr qint64 BodyChunk = 64 * 1024;
constexpr qint64 WriteHighWater = 256 * 1024;

QByteArray path(const QString &address)
{
    return '<' + address.toUtf8() + '>';
}

// The enhanced status code a deferral on that reply carries: the reply's own when it has
// one of its class, else X.0.0 (RFC 3463); always of class 4, since the session is over
// before any recipient got a final answer and the message will be tried again.
QString deferralStatus(const SmtpReply &reply)
{
    static const QRegularExpression enhanced(QStringLiteral("^\\d{3}[ -]4\\.(\\d{1,3})\\.(\\d{1,3})\\b"));
    const QRegularExpressionMatch match = enhanced.match(reply.text);
    if (match.hasMatch())
        return QStringLiteral("4.%1.%2").arg(match.captured(1), match.captured(2));
    return QStringLiteral("4.0.0");
}

} // namespace

SmtpClient::SmtpClient(SmtpEndpoint endpoint, SmtpEnvelope envelope, QObject *parent)
    : QObject(parent), m_endpoint(std::move(endpoint)), m_envelope(std::move(envelope))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SmtpClient::onTimeout);
}

SmtpClient::~SmtpClient()
{
    abort();
}

QString SmtpClient::remoteName() const
{
    const QString address = m_endpoint.address.toString();
    const QString port = QLatin1Char(':') + QString::number(m_endpoint.port);
    const QString shown = m_endpoint.address.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + address + QLatin1Char(']')
        : address;
    if (m_endpoint.hostName.isEmpty() || m_endpoint.hostName == address)
    {
        return shown + port;
    }
    return m_endpoint.hostName + QLatin1Char('[') + address + QLatin1Char(']') + port;
}

void SmtpClient::start()
{
    m_socket = std::make_unique<QSslSocket>();
    QSslSocket *socket = m_socket.get();
    connect(socket, &QSslSocket::connected, this, &SmtpClient::onConnected);
    connect(socket, &QSslSocket::readyRead, this, &SmtpClient::onReadyRead);
    connect(socket, &QSslSocket::errorOccurred, this, &SmtpClient::onError);
    connect(socket, &QSslSocket::encrypted, this, &SmtpClient::onEncrypted);
    connect(socket, &QSslSocket::bytesWritten, this, &SmtpClient::writeMoreBody);
    connect(socket, &QSslSocket::encryptedBytesWritten, this, &SmtpClient::writeMoreBody);
    connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        m_sslErrors = errors;
        // DANE checks the chain itself once encrypted; Encrypt authenticates nothing.
        const bool ignore = m_endpoint.tlsPolicy == SmtpEndpoint::TlsPolicy::Dane
            || m_endpoint.tlsPolicy == SmtpEndpoint::TlsPolicy::Encrypt
            || (m_endpoint.tlsPolicy == SmtpEndpoint::TlsPolicy::Opportunistic && m_endpoint.tlsSkipVerify);
        if (ignore && m_socket)
        {
            m_socket->ignoreSslErrors();
        }
    });
    connect(socket, &QSslSocket::disconnected, this, [this]() {
        if (m_state != State::Done)
        {
            fail(QStringLiteral("4.4.2"), QStringLiteral("connection to %1 closed by the remote").arg(remoteName()));
        }
    });
    m_state = State::Connecting;
    if (!m_endpoint.localAddress.isNull() && !socket->bind(m_endpoint.localAddress))
    {
        fail(QStringLiteral("4.4.1"),
            QStringLiteral("cannot bind to %1 to reach %2: %3")
                .arg(m_endpoint.localAddress.toString(), remoteName(), socket->errorString()));
        return;
    }
    armTimer();
    socket->connectToHost(m_endpoint.address, m_endpoint.port);
}

bool SmtpClient::isReusable() const
{
    return m_state == State::Ready && m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void SmtpClient::deliverNext(SmtpEnvelope envelope)
{
    m_envelope = std::move(envelope);
    const bool usedTls = m_result.usedTls;
    m_result = SmtpSessionResult();
    m_result.connected = true;
    m_result.usedTls = usedTls;
    m_reused = true;
    m_answered = false;
    m_replyLines.clear();
    m_rcptAnswered = 0;
    m_rcptSent = 0;
    // From here a lost connection ends this transaction (as a stale session).
    m_state = State::Transaction;
    armTimer();
    // On the next turn of the event loop, so that finished() never comes from inside
    // this call (the caller is usually a slot of the previous finished()).
    QMetaObject::invokeMethod(
        this,
        [this]() {
            if (m_state != State::Transaction)
            {
                return;
            }
            if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
            {
                fail(
                    QStringLiteral("4.4.2"), QStringLiteral("connection to %1 closed by the remote").arg(remoteName()));
                return;
            }
            startTransaction();
        },
        Qt::QueuedConnection);
}

void SmtpClient::quit()
{
    if (m_state == State::Ready)
    {
        closeWithQuit();
    }
}

void SmtpClient::closeWithQuit()
{
    m_timer.stop();
    m_state = State::Done;
    if (m_socket)
    {
        m_socket->disconnect(this);
        if (m_socket->state() == QAbstractSocket::ConnectedState)
        {
            m_socket->write("QUIT\r\n");
            m_socket->flush();
        }
        m_socket->disconnectFromHost();
    }
}

void SmtpClient::abort()
{
    m_timer.stop();
    if (m_socket)
    {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket.reset();
    }
    m_state = State::Done;
}

void SmtpClient::armTimer()
{
    m_timer.start(std::max(1, m_endpoint.timeoutSeconds) * 1000);
}

void SmtpClient::onConnected()
{
    // TCP_NODELAY: commands and TLS flights are written whole; Nagle's algorithm would hold
    // their last segment until the server's delayed ACK.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_result.connected = true;
    m_state = State::Greeting;
    armTimer();
}

void SmtpClient::onReadyRead()
{
    while (m_socket && m_state != State::Done && m_socket->canReadLine())
    {
        QByteArray line = m_socket->readLine(MaxReplyLine);
        while (line.endsWith('\n') || line.endsWith('\r'))
        {
            line.chop(1);
        }
        bool numeric = false;
        const int code = line.left(3).toInt(&numeric);
        if (line.size() < 3 || (line.size() > 3 && line.at(3) != ' ' && line.at(3) != '-') || !numeric)
        {
            fail(QStringLiteral("4.5.0"),
                QStringLiteral("malformed reply from %1: %2").arg(remoteName(), QString::fromUtf8(line.left(200))));
            return;
        }
        m_replyLines.append(QString::fromUtf8(line));
        if (line.size() == 3 || line.at(3) == ' ')
        {
            SmtpReply reply;
            reply.code = code;
            reply.text = m_replyLines.join(QLatin1Char(' ')).trimmed();
            armTimer();
            m_answered = true;
            handleReply(reply);
            m_replyLines.clear();
        }
    }
    if (m_socket && m_state != State::Done && m_socket->bytesAvailable() > MaxReplyLine)
    {
        fail(QStringLiteral("4.5.0"), QStringLiteral("reply line from %1 too long").arg(remoteName()));
    }
}

void SmtpClient::onError(QAbstractSocket::SocketError error)
{
    if (m_state == State::Done || !m_socket)
    {
        return;
    }
    const QString reason = m_socket->errorString();
    switch (m_state)
    {
    case State::Connecting:
        // RFC 3463 X.4.1: no answer from the host.
        if (error == QAbstractSocket::ConnectionRefusedError)
            fail(QStringLiteral("4.4.1"), QStringLiteral("connection to %1 refused").arg(remoteName()));
        else if (error == QAbstractSocket::SocketTimeoutError)
            fail(QStringLiteral("4.4.1"), QStringLiteral("connection to %1 timed out").arg(remoteName()));
        else
            fail(QStringLiteral("4.4.1"), QStringLiteral("cannot connect to %1: %2").arg(remoteName(), reason));
        break;
    case State::TlsHandshake:
        m_result.tlsHandshakeFailed = true;
        if (tlsMandatory())
        {
            QString type = QStringLiteral("validation-failure");
            for (const QSslError &error : std::as_const(m_sslErrors))
            {
                if (error.error() == QSslError::HostNameMismatch)
                {
                    type = QStringLiteral("certificate-host-mismatch");
                }
                else if (error.error() == QSslError::CertificateExpired)
                {
                    type = QStringLiteral("certificate-expired");
                }
                else if (error.error() == QSslError::SelfSignedCertificate
                    || error.error() == QSslError::SelfSignedCertificateInChain
                    || error.error() == QSslError::UnableToGetLocalIssuerCertificate
                    || error.error() == QSslError::CertificateUntrusted)
                {
                    type = QStringLiteral("certificate-not-trusted");
                }
            }
            failPolicy(type, QStringLiteral("TLS handshake with %1 failed: %2").arg(remoteName(), reason));
            break;
        }
        fail(QStringLiteral("4.7.0"), QStringLiteral("TLS handshake with %1 failed: %2").arg(remoteName(), reason));
        break;
    default:
        // RFC 3463 X.4.2: bad connection.
        if (error == QAbstractSocket::RemoteHostClosedError)
            fail(QStringLiteral("4.4.2"), QStringLiteral("connection to %1 closed by the remote").arg(remoteName()));
        else
            fail(QStringLiteral("4.4.2"), QStringLiteral("connection to %1 lost: %2").arg(remoteName(), reason));
        break;
    }
}

void SmtpClient::onEncrypted()
{
    Metrics::instance().countOutboundTlsHandshake(m_socket->sessionProtocol());
    const QSslCipher cipher = m_socket->sessionCipher();
    m_result.tlsProtocol = cipher.protocolString();
    m_result.tlsCipher = cipher.name();
    const QSslCertificate peer = m_socket->peerCertificate();
    m_result.peerSubject = peer.isNull() ? QString() : peer.subjectDisplayName();
    if (m_endpoint.tlsPolicy == SmtpEndpoint::TlsPolicy::Dane)
    {
        const Status matched
            = DaneVerifier::verify(m_socket->peerCertificateChain(), m_endpoint.hostName, m_endpoint.tlsa);
        if (!matched)
        {
            failPolicy(QStringLiteral("tlsa-invalid"), matched.error());
            return;
        }
    }
    m_result.usedTls = true;
    m_esmtp = m_pipelining = m_startTls = m_authPlain = m_dsn = false;
    m_maxSize = 0;
    m_state = State::Ehlo;
    send("EHLO " + m_envelope.heloName.toUtf8());
}

void SmtpClient::onTimeout()
{
    if (m_state == State::Connecting)
    {
        fail(QStringLiteral("4.4.1"),
            QStringLiteral("no answer from %1: connection timed out after %2 s")
                .arg(remoteName())
                .arg(m_endpoint.timeoutSeconds));
        return;
    }
    const char *waitingFor = "a reply";
    switch (m_state)
    {
    case State::Greeting:
        waitingFor = "the greeting";
        break;
    case State::Ehlo:
    case State::Helo:
        waitingFor = "the reply to EHLO/HELO";
        break;
    case State::StartTls:
    case State::TlsHandshake:
        waitingFor = "the TLS handshake";
        break;
    case State::Auth:
        waitingFor = "the reply to AUTH";
        break;
    case State::Transaction:
        waitingFor = "the reply to MAIL, RCPT or DATA";
        break;
    case State::Body:
        waitingFor = "the message body to be taken";
        break;
    case State::DataEnd:
        waitingFor = "the reply to the end of the message";
        break;
    default:
        break;
    }
    fail(QStringLiteral("4.4.2"),
        QStringLiteral("%1 timed out after %2 s waiting for %3")
            .arg(remoteName())
            .arg(m_endpoint.timeoutSeconds)
            .arg(QLatin1String(waitingFor)));
}

void SmtpClient::send(const QByteArray &line)
{
    if (!m_socket)
    {
        return;
    }
    m_socket->write(line + "\r\n");
    armTimer();
}

void SmtpClient::handleReply(const SmtpReply &reply)
{
    switch (m_state)
    {
    case State::Greeting:
        if (reply.code / 100 != 2)
        {
            failOnReply(reply, "the greeting");
            return;
        }
        m_state = State::Ehlo;
        send("EHLO " + m_envelope.heloName.toUtf8());
        return;
    case State::Ehlo:
        if (reply.code / 100 == 2)
        {
            handleEhlo(reply);
            return;
        }
        if (reply.isPermanent() && !m_socket->isEncrypted())
        {
            m_state = State::Helo;
            send("HELO " + m_envelope.heloName.toUtf8());
            return;
        }
        failOnReply(reply, "EHLO");
        return;
    case State::Helo:
        if (reply.code / 100 != 2)
        {
            failOnReply(reply, "HELO");
            return;
        }
        m_esmtp = false;
        afterGreetingOrTls();
        return;
    case State::StartTls:
        if (reply.code == 220)
        {
            m_state = State::TlsHandshake;
            const bool verify = m_endpoint.tlsPolicy == SmtpEndpoint::TlsPolicy::Verify
                || (m_endpoint.tlsPolicy == SmtpEndpoint::TlsPolicy::Opportunistic && !m_endpoint.tlsSkipVerify);
            m_socket->setPeerVerifyMode(verify ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
            m_socket->setPeerVerifyName(m_endpoint.hostName);
            QSslConfiguration tls = m_socket->sslConfiguration();
            if (verify && !m_endpoint.caCertificates.isEmpty())
                tls.setCaCertificates(QSslConfiguration::systemCaCertificates() + m_endpoint.caCertificates);
            if (!m_endpoint.tlsCiphers.isEmpty())
                tls.setCiphers(m_endpoint.tlsCiphers);
            m_socket->setSslConfiguration(tls);
            m_socket->startClientEncryption();
            armTimer();
            return;
        }
        if (tlsMandatory())
        {
            failPolicy(QStringLiteral("starttls-not-supported"),
                QStringLiteral("host %1 said: %2 (in reply to STARTTLS)").arg(remoteName(), reply.text));
            return;
        }
        if (!m_endpoint.tlsFallback)
        {
            failOnReply(reply, "STARTTLS");
            return;
        }
        m_startTls = false; // go on in clear
        afterGreetingOrTls();
        return;
    case State::Auth:
        if (reply.code != 235)
        {
            failOnReply(reply, "AUTH");
            return;
        }
        startTransaction();
        return;
    case State::Transaction:
    case State::DataEnd:
        handleTransactionReply(reply);
        return;
    default:
        fail(QStringLiteral("4.5.0"), QStringLiteral("unexpected reply from %1: %2").arg(remoteName(), reply.text));
        return;
    }
}

void SmtpClient::handleEhlo(const SmtpReply &)
{
    m_esmtp = true;
    for (qsizetype i = 1; i < m_replyLines.size(); ++i)
    {
        const QStringList words = m_replyLines.at(i).mid(4).toUpper().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (words.isEmpty())
        {
            continue;
        }
        const QString &keyword = words.first();
        if (keyword == QLatin1String("PIPELINING"))
        {
            m_pipelining = true;
        }
        else if (keyword == QLatin1String("STARTTLS"))
        {
            m_startTls = true;
        }
        else if (keyword == QLatin1String("DSN"))
        {
            m_dsn = true;
        }
        else if (keyword == QLatin1String("SIZE") && words.size() > 1)
        {
            m_maxSize = words.at(1).toLongLong();
        }
        else if (keyword == QLatin1String("AUTH") || keyword.startsWith(QLatin1String("AUTH=")))
        {
            if (words.contains(QLatin1String("PLAIN")) || keyword == QLatin1String("AUTH=PLAIN"))
            {
                m_authPlain = true;
            }
        }
    }
    afterGreetingOrTls();
}

void SmtpClient::afterGreetingOrTls()
{
    if (m_esmtp && m_startTls && (m_endpoint.useTls || tlsMandatory()) && !m_socket->isEncrypted())
    {
        m_state = State::StartTls;
        send("STARTTLS");
        return;
    }
    if (tlsMandatory() && !m_socket->isEncrypted())
    {
        failPolicy(QStringLiteral("starttls-not-supported"), QStringLiteral("%1 offers no STARTTLS").arg(remoteName()));
        return;
    }
    if (m_endpoint.probe)
    {
        m_result.completed = true;
        closeWithQuit();
        emit finished();
        return;
    }
    if (!m_endpoint.user.isEmpty())
    {
        if (!m_authPlain)
        {
            fail(QStringLiteral("4.7.0"),
                QStringLiteral("%1 offers no AUTH PLAIN for the route's credentials").arg(remoteName()));
            return;
        }
        m_state = State::Auth;
        const QByteArray token
            = QByteArray(1, '\0') + m_endpoint.user.toUtf8() + QByteArray(1, '\0') + m_endpoint.password.toUtf8();
        send("AUTH PLAIN " + token.toBase64());
        return;
    }
    startTransaction();
}

void SmtpClient::startTransaction()
{
    const qsizetype count = m_envelope.recipients.size();
    if (m_maxSize > 0 && m_envelope.sizeBytes > m_maxSize)
    {
        SmtpReply tooBig;
        tooBig.code = 552;
        tooBig.text = QStringLiteral("552 5.3.4 message size %1 exceeds the remote limit of %2 bytes")
                          .arg(m_envelope.sizeBytes)
                          .arg(m_maxSize);
        complete(QList<SmtpReply>(count, tooBig));
        return;
    }
    m_state = State::Transaction;
    m_expected.clear();
    m_rcptReplies.clear();
    QByteArray mail = "MAIL FROM:" + path(m_envelope.sender);
    if (m_esmtp && m_maxSize > 0)
    {
        mail += " SIZE=" + QByteArray::number(m_envelope.sizeBytes);
    }
    // RFC 3461 §5.2: a server that advertises DSN receives the parameters as given.
    m_result.dsn = m_esmtp && m_dsn;
    if (m_result.dsn && m_envelope.ret != Dsn::Ret::Unset)
    {
        mail += " RET=" + Dsn::retText(m_envelope.ret).toLatin1();
    }
    if (m_result.dsn && !m_envelope.envid.isEmpty())
    {
        mail += " ENVID=" + Dsn::xtextEncode(m_envelope.envid).toLatin1();
    }
    m_expected.append(Command::Mail);
    if (!m_pipelining)
    {
        send(mail);
        return;
    }
    QByteArray batch = mail + "\r\n";
    for (int i = 0; i < m_envelope.recipients.size(); ++i)
    {
        batch += rcptCommand(i) + "\r\n";
        m_expected.append(Command::Rcpt);
    }
    m_rcptSent = int(count);
    m_socket->write(batch);
    armTimer();
}

void SmtpClient::handleTransactionReply(const SmtpReply &reply)
{
    if (m_expected.isEmpty())
    {
        fail(QStringLiteral("4.5.0"), QStringLiteral("unexpected reply from %1: %2").arg(remoteName(), reply.text));
        return;
    }
    const Command command = m_expected.takeFirst();
    const qsizetype count = m_envelope.recipients.size();
    switch (command)
    {
    case Command::Mail:
        if (!reply.isPositive())
        {
            complete(QList<SmtpReply>(count, reply));
            return;
        }
        if (!m_pipelining)
        {
            m_expected.append(Command::Rcpt);
            send(rcptCommand(m_rcptSent++));
        }
        return;
    case Command::Rcpt:
        m_rcptReplies.append(reply);
        if (m_rcptReplies.size() < count)
        {
            if (!m_pipelining)
            {
                m_expected.append(Command::Rcpt);
                send(rcptCommand(m_rcptSent++));
            }
            return;
        }
        for (const SmtpReply &rcpt : std::as_const(m_rcptReplies))
        {
            if (rcpt.isPositive())
            {
                m_expected.append(Command::Data);
                send("DATA");
                return;
            }
        }
        complete(m_rcptReplies);
        return;
    case Command::Data:
        if (m_state == State::DataEnd)
        {
            QList<SmtpReply> replies = m_rcptReplies;
            for (SmtpReply &rcpt : replies)
            {
                if (rcpt.isPositive())
                {
                    rcpt = reply;
                }
            }
            complete(replies);
            return;
        }
        if (reply.code != 354)
        {
            QList<SmtpReply> replies = m_rcptReplies;
            for (SmtpReply &rcpt : replies)
            {
                if (rcpt.isPositive())
                {
                    rcpt = reply;
                }
            }
            complete(replies);
            return;
        }
        m_body.setFileName(m_envelope.bodyPath);
        if (!m_body.open(QIODevice::ReadOnly))
        {
            Metrics::instance().countStoreError(Metrics::StoreOperation::Read);
            fail(QStringLiteral("4.3.0"),
                QStringLiteral("cannot read the message body %1: %2").arg(m_envelope.bodyPath, m_body.errorString()));
            return;
        }
        m_state = State::Body;
        m_atLineStart = true;
        m_bodyDone = false;
        m_expected.append(Command::Data); // the reply after the final dot
        writeMoreBody();
        return;
    }
}

void SmtpClient::writeMoreBody()
{
    if (m_state != State::Body || !m_socket)
    {
        return;
    }
    armTimer();
    while (!m_bodyDone && m_socket->bytesToWrite() < WriteHighWater)
    {
        const QByteArray chunk = m_body.read(BodyChunk);
        if (chunk.isEmpty())
        {
            if (m_body.error() != QFileDevice::NoError)
            {
                fail(QStringLiteral("4.3.0"),
                    QStringLiteral("cannot read the message body: %1").arg(m_body.errorString()));
                return;
            }
            m_socket->write(m_atLineStart ? QByteArray(".\r\n") : QByteArray("\r\n.\r\n"));
            m_bodyDone = true;
            m_body.close();
            m_state = State::DataEnd;
            return;
        }
        m_socket->write(dotStuffed(chunk, m_atLineStart));
    }
}

QByteArray SmtpClient::rcptCommand(int index) const
{
    QByteArray command = "RCPT TO:" + path(m_envelope.recipients.at(index));
    if (m_result.dsn)
    {
        const int notify = m_envelope.notify.value(index);
        if (notify != 0)
        {
            command += " NOTIFY=" + Dsn::notifyText(notify).toLatin1();
        }
        const QString orcpt = Dsn::orcptParameter(m_envelope.orcpt.value(index));
        if (!orcpt.isEmpty())
        {
            command += " ORCPT=" + orcpt.toUtf8();
        }
    }
    return command;
}

void SmtpClient::failOnReply(const SmtpReply &reply, const char *inReplyTo)
{
    fail(deferralStatus(reply),
        QStringLiteral("host %1 said: %2 (in reply to %3)").arg(remoteName(), reply.text, QLatin1String(inReplyTo)));
}

void SmtpClient::fail(const QString &status, const QString &error)
{
    if (m_state == State::Done)
    {
        return;
    }
    if (m_state == State::Ready)
    {
        // Between transactions nobody waits for an answer: the session just ends.
        m_timer.stop();
        m_state = State::Done;
        m_socket->disconnect(this);
        m_socket->abort();
        return;
    }
    m_result.status = status;
    m_result.error = error;
    m_result.staleSession = m_reused && !m_answered;
    if (m_socket)
    {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    finish();
}

void SmtpClient::failPolicy(const QString &type, const QString &error)
{
    m_result.tlsPolicyFailed = true;
    m_result.tlsFailureType = type;
    // RFC 3463 X.7.5: cryptographic failure (RFC 7672 §2.2, RFC 8461 §5).
    fail(QStringLiteral("4.7.5"), error);
}

void SmtpClient::complete(const QList<SmtpReply> &replies)
{
    if (m_state == State::Done)
    {
        return;
    }
    m_result.completed = true;
    m_result.recipientReplies = replies;
    // After the reply to the data the session is back where a transaction starts; a
    // 421 means the remote is closing it.
    const bool closing
        = std::any_of(replies.cbegin(), replies.cend(), [](const SmtpReply &reply) { return reply.code == 421; });
    if (m_state == State::DataEnd && !closing && m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
    {
        m_state = State::Ready;
        m_timer.stop();
        emit finished();
        return;
    }
    closeWithQuit();
    emit finished();
}

void SmtpClient::finish()
{
    m_state = State::Done;
    m_timer.stop();
    emit finished();
}
