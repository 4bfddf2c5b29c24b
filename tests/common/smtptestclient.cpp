// The test client's line handling and TLS upgrade.
#include "smtptestclient.h"

#include <QTest>

SmtpTestClient::SmtpTestClient()
{
    m_socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    QObject::connect(
        &m_socket, &QSslSocket::sslErrors, &m_socket, [this](const QList<QSslError> &) { m_socket.ignoreSslErrors(); });
}

bool SmtpTestClient::connectTo(quint16 port, bool implicitTls)
{
    if (implicitTls)
    {
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        return QTest::qWaitFor(
                   [this]() { return m_socket.isEncrypted() || m_socket.state() == QAbstractSocket::UnconnectedState; },
                   5000)
            && m_socket.isEncrypted();
    }
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    return QTest::qWaitFor(
               [this]() {
                   return m_socket.state() == QAbstractSocket::ConnectedState
                       || m_socket.state() == QAbstractSocket::UnconnectedState;
               },
               5000)
        && m_socket.state() == QAbstractSocket::ConnectedState;
}

void SmtpTestClient::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

QString SmtpTestClient::readReply(int timeoutMs)
{
    QStringList lines;
    bool done = false;
    (void)QTest::qWaitFor(
        [&]() {
            m_buffer += m_socket.readAll();
            qsizetype newline;
            while ((newline = m_buffer.indexOf("\r\n")) >= 0)
            {
                const QString line = QString::fromUtf8(m_buffer.left(newline));
                m_buffer.remove(0, newline + 2);
                lines.append(line);
                if (line.size() < 4 || line.at(3) != QLatin1Char('-'))
                {
                    done = true;
                    return true;
                }
            }
            return m_socket.state() == QAbstractSocket::UnconnectedState && m_socket.bytesAvailable() == 0;
        },
        timeoutMs);
    return done ? lines.join(QLatin1Char('\n')) : QString();
}

QString SmtpTestClient::command(const QString &line, int timeoutMs)
{
    send(line.toUtf8() + QByteArrayLiteral("\r\n"));
    return readReply(timeoutMs);
}

bool SmtpTestClient::startTls()
{
    m_buffer.clear();
    m_socket.startClientEncryption();
    return QTest::qWaitFor(
               [this]() { return m_socket.isEncrypted() || m_socket.state() == QAbstractSocket::UnconnectedState; },
               5000)
        && m_socket.isEncrypted();
}

bool SmtpTestClient::isClosed() const
{
    return m_socket.state() == QAbstractSocket::UnconnectedState;
}

bool SmtpTestClient::waitClosed(int timeoutMs)
{
    return QTest::qWaitFor(
        [this]() {
            m_buffer += m_socket.readAll();
            return isClosed();
        },
        timeoutMs);
}
