// The test SMTP receiver: one small state machine per connection.
#include "testsmtpsink.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTimer>

#include <algorithm>

struct TestSmtpSink::Session
{
    int messages = 0;
    bool inData = false;
    bool authenticated = false;
    bool quit = false; // QUIT received: no longer counted as open
    SinkMessage current;
    QByteArray data;
};

TestSmtpSink::TestSmtpSink(QObject *parent) : QTcpServer(parent) { }

QHash<int, int> TestSmtpSink::sequenceCounts() const
{
    static const QRegularExpression seq(QStringLiteral("X-Seq: (\\d+)"));
    QHash<int, int> counts;
    for (const SinkMessage &message : messages)
    {
        const QRegularExpressionMatch match = seq.match(QString::fromLatin1(message.data.left(4096)));
        if (match.hasMatch())
            ++counts[match.captured(1).toInt()];
    }
    return counts;
}

TestSmtpSink::~TestSmtpSink()
{
    for (auto it = m_sessions.cbegin(); it != m_sessions.cend(); ++it)
    {
        it.key()->disconnect(this);
        delete it.value();
    }
}

void TestSmtpSink::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor))
    {
        delete socket;
        return;
    }
    ++sessions;
    if (sessionLimit > 0 && openSessions >= sessionLimit)
    {
        ++refusedSessions;
        reply(socket, "421 4.7.0 sink.test Error: too many connections");
        socket->disconnectFromHost();
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    ++openSessions;
    maxOpenSessions = std::max(maxOpenSessions, openSessions);
    auto *session = new Session;
    m_sessions.insert(socket, session);
    connect(socket, &QSslSocket::readyRead, this, [this, socket]() { onReadyRead(socket); });
    connect(socket, &QSslSocket::disconnected, this, [this, socket]() {
        Session *ended = m_sessions.take(socket);
        if (!ended || !ended->quit)
        {
            --openSessions;
        }
        delete ended;
        socket->deleteLater();
    });
    reply(socket, "220 sink.test ESMTP test");
}

void TestSmtpSink::reply(QSslSocket *socket, const QByteArray &line)
{
    socket->write(line + "\r\n");
}

void TestSmtpSink::onReadyRead(QSslSocket *socket)
{
    Session *session = m_sessions.value(socket);
    if (!session)
    {
        return;
    }
    while (socket->canReadLine())
    {
        QByteArray line = socket->readLine();
        if (session->inData)
        {
            if (line == ".\r\n")
            {
                session->inData = false;
                session->current.data = session->data;
                session->current.tls = socket->isEncrypted();
                if (dataReply.startsWith('2'))
                {
                    messages.append(session->current);
                }
                session->current.recipients.clear();
                arrivalsMs.append(QDateTime::currentMSecsSinceEpoch());
                if (dataReplyDelayMs > 0)
                {
                    QTimer::singleShot(dataReplyDelayMs, socket, [this, socket]() { reply(socket, dataReply); });
                    continue;
                }
                reply(socket, dataReply);
                if (messagesPerSession > 0 && ++session->messages >= messagesPerSession)
                {
                    socket->disconnectFromHost();
                    return;
                }
                continue;
            }
            if (dropsInData > 0)
            {
                --dropsInData;
                m_sessions.remove(socket);
                delete session;
                socket->abort();
                socket->deleteLater();
                return;
            }
            if (line.startsWith('.'))
            {
                line.remove(0, 1);
            }
            session->data += line;
            continue;
        }
        line.chop(line.endsWith("\r\n") ? 2 : 1);
        handleLine(socket, *session, line);
        if (!m_sessions.contains(socket))
        {
            return;
        }
    }
}

void TestSmtpSink::handleLine(QSslSocket *socket, Session &session, const QByteArray &line)
{
    commands.append(QString::fromUtf8(line));
    const QByteArray upper = line.toUpper();
    if (upper.startsWith("EHLO ") && rejectEhlo)
    {
        reply(socket, "502 5.5.2 say HELO");
    }
    else if (upper.startsWith("EHLO "))
    {
        session.current.helo = QString::fromUtf8(line.mid(5));
        QByteArrayList lines = { "250-sink.test" };
        if (pipelining)
        {
            lines.append("250-PIPELINING");
        }
        if (maxSize > 0)
        {
            lines.append("250-SIZE " + QByteArray::number(maxSize));
        }
        if (offerTls && !socket->isEncrypted())
        {
            lines.append("250-STARTTLS");
        }
        if (!authUser.isEmpty())
        {
            lines.append("250-AUTH PLAIN LOGIN");
        }
        lines.append("250 8BITMIME");
        reply(socket, lines.join("\r\n"));
    }
    else if (upper.startsWith("HELO "))
    {
        session.current.helo = QString::fromUtf8(line.mid(5));
        reply(socket, "250 sink.test");
    }
    else if (upper == "STARTTLS" && offerTls)
    {
        reply(socket, "220 2.0.0 go ahead");
        socket->setLocalCertificateChain(QList<QSslCertificate> { certificate } + chain);
        socket->setPrivateKey(key);
        socket->startServerEncryption();
    }
    else if (upper.startsWith("AUTH PLAIN "))
    {
        const QByteArrayList parts = QByteArray::fromBase64(line.mid(11)).split('\0');
        if (parts.size() == 3 && QString::fromUtf8(parts.at(1)) == authUser
            && QString::fromUtf8(parts.at(2)) == authPassword)
        {
            session.authenticated = true;
            session.current.authUser = authUser;
            reply(socket, "235 2.7.0 ok");
        }
        else
        {
            reply(socket, "535 5.7.8 bad credentials");
        }
    }
    else if (upper.startsWith("MAIL FROM:"))
    {
        if (!authUser.isEmpty() && !session.authenticated)
        {
            reply(socket, "530 5.7.0 authentication required");
            return;
        }
        const qsizetype end = line.indexOf('>');
        session.current.sender = QString::fromUtf8(line.mid(11, end - 11));
        session.current.recipients.clear();
        reply(socket, "250 2.1.0 ok");
    }
    else if (upper.startsWith("RCPT TO:"))
    {
        const qsizetype end = line.indexOf('>');
        const QString recipient = QString::fromUtf8(line.mid(9, end - 9));
        QByteArray answer = "250 2.1.5 ok";
        auto found = rcptReplies.find(recipient);
        if (found != rcptReplies.end() && !found->isEmpty())
        {
            answer = found->size() > 1 ? found->takeFirst().toUtf8() : found->first().toUtf8();
        }
        if (answer.startsWith('2'))
        {
            session.current.recipients.append(recipient);
        }
        reply(socket, answer);
    }
    else if (upper == "DATA")
    {
        if (session.current.recipients.isEmpty())
        {
            reply(socket, "554 5.5.1 no valid recipients");
            return;
        }
        session.inData = true;
        session.data.clear();
        reply(socket, "354 go on");
    }
    else if (upper == "RSET" || upper == "NOOP")
    {
        reply(socket, "250 ok");
    }
    else if (upper == "QUIT")
    {
        if (!session.quit)
        {
            session.quit = true;
            --openSessions;
        }
        reply(socket, "221 bye");
        socket->disconnectFromHost();
    }
    else
    {
        reply(socket, "502 5.5.2 unknown");
    }
}
