// The LMTP client of deliverd and of smtpd's recipient probe (RFC 2033), never blocking
// the event loop. LMTP servers must offer PIPELINING (RFC 2033 §5), so MAIL and every
// RCPT go in one write.
#include "deliverd/lmtpclient.h"

#include "deliverd/dotstuffer.h"

#include <algorithm>

#include <QLocalSocket>
#include <QTcpSocket>

namespace {

constexpr qint64 MaxReplyLine = 4096;
constexpr qint64 BodyChunk = 64 * 1024;
constexpr qint64 WriteHighWater = 256 * 1024;

QByteArray path(const QString &address)
{
    return '<' + address.toUtf8() + '>';
}

} // namespace

LmtpClient::LmtpClient(LmtpTarget target, SmtpEnvelope envelope, Mode mode, int timeoutSeconds, QObject *parent)
    : QObject(parent)
    , m_target(std::move(target))
    , m_envelope(std::move(envelope))
    , m_mode(mode)
    , m_timeoutSeconds(std::max(1, timeoutSeconds))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this,
        [this]() { fail(QStringLiteral("timeout: no answer in %1 s").arg(m_timeoutSeconds)); });
}

LmtpClient::~LmtpClient()
{
    abort();
}

QString LmtpClient::remoteName() const
{
    return QStringLiteral("lmtp[%1]").arg(m_target.toString());
}

void LmtpClient::start()
{
    m_state = State::Connecting;
    m_timer.start(m_timeoutSeconds * 1000);
    if (m_target.isUnix())
    {
        auto socket = std::make_unique<QLocalSocket>();
        QLocalSocket *local = socket.get();
        connect(local, &QLocalSocket::connected, this, &LmtpClient::onConnected);
        connect(local, &QLocalSocket::readyRead, this, &LmtpClient::onReadyRead);
        connect(local, &QLocalSocket::bytesWritten, this, &LmtpClient::writeMoreBody);
        connect(local, &QLocalSocket::disconnected, this, &LmtpClient::onDisconnected);
        connect(local, &QLocalSocket::errorOccurred, this,
            [this, local](QLocalSocket::LocalSocketError) { onSocketError(local->errorString()); });
        m_socket = std::move(socket);
        local->connectToServer(m_target.socketPath);
        return;
    }
    auto socket = std::make_unique<QTcpSocket>();
    QTcpSocket *tcp = socket.get();
    connect(tcp, &QTcpSocket::connected, this, [this, tcp]() {
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1); // as SmtpClient
        onConnected();
    });
    connect(tcp, &QTcpSocket::readyRead, this, &LmtpClient::onReadyRead);
    connect(tcp, &QTcpSocket::bytesWritten, this, &LmtpClient::writeMoreBody);
    connect(tcp, &QTcpSocket::disconnected, this, &LmtpClient::onDisconnected);
    connect(tcp, &QTcpSocket::errorOccurred, this,
        [this, tcp](QAbstractSocket::SocketError) { onSocketError(tcp->errorString()); });
    m_socket = std::move(socket);
    tcp->connectToHost(m_target.host, m_target.port);
}

void LmtpClient::abort()
{
    m_timer.stop();
    if (m_socket)
    {
        m_socket->disconnect(this);
        if (auto *local = qobject_cast<QLocalSocket *>(m_socket.get()))
        {
            local->abort();
        }
        else if (auto *tcp = qobject_cast<QTcpSocket *>(m_socket.get()))
        {
            tcp->abort();
        }
        // Deleted later: abort() may run inside one of the socket's own signals.
        m_socket.release()->deleteLater();
    }
    m_state = State::Done;
}

bool LmtpClient::connected() const
{
    if (auto *local = qobject_cast<QLocalSocket *>(m_socket.get()))
    {
        return local->state() == QLocalSocket::ConnectedState;
    }
    if (auto *tcp = qobject_cast<QTcpSocket *>(m_socket.get()))
    {
        return tcp->state() == QAbstractSocket::ConnectedState;
    }
    return false;
}

qint64 LmtpClient::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void LmtpClient::onConnected()
{
    m_result.connected = true;
    m_state = State::Greeting;
    m_timer.start(m_timeoutSeconds * 1000);
}

void LmtpClient::onDisconnected()
{
    if (m_state != State::Done)
    {
        fail(QStringLiteral("connection closed by the LMTP server"));
    }
}

void LmtpClient::onSocketError(const QString &reason)
{
    if (m_state == State::Done)
    {
        return;
    }
    if (m_state == State::Connecting)
    {
        fail(QStringLiteral("cannot connect to %1: %2").arg(m_target.toString(), reason));
        return;
    }
    fail(QStringLiteral("connection lost: %1").arg(reason));
}

void LmtpClient::onReadyRead()
{
    while (m_socket && m_state != State::Done && m_socket->canReadLine())
    {
        const QByteArray line = m_socket->readLine(MaxReplyLine);
        const SmtpReplyReader::Step step = m_reader.addLine(line);
        if (step == SmtpReplyReader::Step::Malformed)
        {
            fail(m_reader.error());
            return;
        }
        if (step == SmtpReplyReader::Step::Reply)
        {
            m_timer.start(m_timeoutSeconds * 1000);
            handleReply(m_reader.take());
        }
    }
    if (m_socket && m_state != State::Done && m_socket->bytesAvailable() > MaxReplyLine)
    {
        fail(QStringLiteral("reply line too long"));
    }
}

void LmtpClient::send(const QByteArray &line)
{
    if (m_socket)
    {
        m_socket->write(line + "\r\n");
        m_timer.start(m_timeoutSeconds * 1000);
    }
}

void LmtpClient::handleReply(const SmtpReply &reply)
{
    switch (m_state)
    {
    case State::Greeting:
        if (reply.code / 100 != 2)
        {
            fail(QStringLiteral("greeting: %1").arg(reply.text));
            return;
        }
        m_state = State::Lhlo;
        send("LHLO " + m_envelope.heloName.toUtf8());
        return;
    case State::Lhlo:
    {
        if (reply.code / 100 != 2)
        {
            fail(QStringLiteral("LHLO: %1").arg(reply.text));
            return;
        }
        m_state = State::Transaction;
        m_replies = QList<SmtpReply>(m_envelope.recipients.size());
        QByteArray batch = "MAIL FROM:" + path(m_envelope.sender) + "\r\n";
        for (const QString &recipient : std::as_const(m_envelope.recipients))
        {
            batch += "RCPT TO:" + path(recipient) + "\r\n";
        }
        m_socket->write(batch);
        m_timer.start(m_timeoutSeconds * 1000);
        return;
    }
    case State::Transaction:
        handleTransactionReply(reply);
        return;
    case State::Data:
        if (reply.code != 354)
        {
            for (const int index : std::as_const(m_accepted))
            {
                m_replies[index] = reply;
            }
            complete();
            return;
        }
        m_body.setFileName(m_envelope.bodyPath);
        if (!m_body.open(QIODevice::ReadOnly))
        {
            fail(QStringLiteral("cannot read the message body %1: %2").arg(m_envelope.bodyPath, m_body.errorString()));
            return;
        }
        m_state = State::Body;
        m_atLineStart = true;
        writeMoreBody();
        return;
    case State::DataEnd:
        // RFC 2033 §4.2: one reply per accepted recipient, in the order of the RCPTs.
        m_replies[m_accepted.at(m_dataAnswered++)] = reply;
        if (m_dataAnswered >= m_accepted.size())
        {
            complete();
        }
        return;
    default:
        fail(QStringLiteral("unexpected reply: %1").arg(reply.text));
        return;
    }
}

void LmtpClient::handleTransactionReply(const SmtpReply &reply)
{
    const qsizetype count = m_envelope.recipients.size();
    if (!m_mailAnswered)
    {
        m_mailAnswered = true;
        if (!reply.isPositive())
        {
            std::fill(m_replies.begin(), m_replies.end(), reply);
            // The RCPT replies that follow are read and ignored until the last.
            m_accepted.clear();
            if (count == 0)
            {
                complete();
            }
            m_rcptAnswered = -int(count); // counts up to 0 over the pipelined RCPT replies
            return;
        }
        return;
    }
    if (m_rcptAnswered < 0)
    {
        if (++m_rcptAnswered == 0)
        {
            complete();
        }
        return;
    }
    const int index = m_rcptAnswered++;
    m_replies[index] = reply;
    if (reply.isPositive())
    {
        m_accepted.append(index);
    }
    if (m_rcptAnswered < count)
    {
        return;
    }
    if (m_mode == Mode::Probe || m_accepted.isEmpty())
    {
        complete();
        return;
    }
    m_state = State::Data;
    send("DATA");
}

void LmtpClient::writeMoreBody()
{
    if (m_state != State::Body || !m_socket)
    {
        return;
    }
    m_timer.start(m_timeoutSeconds * 1000);
    while (bytesToWrite() < WriteHighWater)
    {
        const QByteArray chunk = m_body.read(BodyChunk);
        if (chunk.isEmpty())
        {
            if (m_body.error() != QFileDevice::NoError)
            {
                fail(QStringLiteral("cannot read the message body: %1").arg(m_body.errorString()));
                return;
            }
            m_socket->write(m_atLineStart ? QByteArray(".\r\n") : QByteArray("\r\n.\r\n"));
            m_body.close();
            m_state = State::DataEnd;
            return;
        }
        m_socket->write(dotStuffed(chunk, m_atLineStart));
    }
}

void LmtpClient::fail(const QString &error)
{
    if (m_state == State::Done)
    {
        return;
    }
    if (m_state == State::DataEnd || m_state == State::Body)
    {
        // Some recipients may have their final reply already: those stand, the others
        // are deferred (never two copies for the ones the server took).
        SmtpReply lost;
        lost.code = 451;
        lost.text = QStringLiteral("451 4.4.2 %1 (no reply for this recipient after the data)").arg(error);
        for (qsizetype i = m_dataAnswered; i < m_accepted.size(); ++i)
        {
            m_replies[m_accepted.at(i)] = lost;
        }
        m_result.completed = true;
        m_result.recipientReplies = m_replies;
    }
    m_result.error = error;
    abort();
    emit finished();
}

void LmtpClient::complete()
{
    if (m_state == State::Done)
    {
        return;
    }
    m_result.completed = true;
    m_result.recipientReplies = m_replies;
    m_timer.stop();
    if (m_socket && connected())
    {
        m_socket->disconnect(this);
        m_socket->write("QUIT\r\n");
        if (auto *local = qobject_cast<QLocalSocket *>(m_socket.get()))
        {
            local->disconnectFromServer();
        }
        else if (auto *tcp = qobject_cast<QTcpSocket *>(m_socket.get()))
        {
            tcp->disconnectFromHost();
        }
        m_socket.release()->deleteLater();
    }
    m_state = State::Done;
    emit finished();
}
