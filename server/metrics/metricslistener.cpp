// One request per connection, read with a bounded buffer and a deadline, answered from
// the registry's atomics: no lock, no database, nothing that waits.
#include "metrics/metricslistener.h"

#include "metrics/metrics.h"

#include <QDateTime>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace {

QByteArray response(int status, const QByteArray &reason, const QByteArray &contentType, const QByteArray &body,
    const QByteArray &extraHeaders = QByteArray())
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += extraHeaders;
    out += "Connection: close\r\n\r\n";
    return out + body;
}

QByteArray error(int status, const QByteArray &reason, const QByteArray &extraHeaders = QByteArray())
{
    return response(status, reason, "text/plain; charset=utf-8", reason + '\n', extraHeaders);
}

// A token of RFC 9110 5.6.2 (methods, header names), as far as this server cares.
bool isToken(const QByteArray &text)
{
    static const QByteArray punctuation = QByteArrayLiteral("!#$%&'*+-.^_`|~");
    if (text.isEmpty())
        return false;
    for (const char c : text)
    {
        const bool allowed
            = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || punctuation.contains(c);
        if (!allowed)
            return false;
    }
    return true;
}

// The end of the request head (after its empty line), or -1; lines may end in LF alone.
qsizetype headEnd(const QByteArray &buffer, qsizetype *terminatorLength)
{
    const qsizetype crlf = buffer.indexOf("\r\n\r\n");
    const qsizetype lf = buffer.indexOf("\n\n");
    if (crlf >= 0 && (lf < 0 || crlf < lf))
    {
        *terminatorLength = 4;
        return crlf;
    }
    *terminatorLength = 2;
    return lf;
}

} // namespace

MetricsListener::MetricsListener(QObject *parent) : QTcpServer(parent) { }

QByteArray MetricsListener::respond(const QByteArray &head)
{
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray &line : lines)
    {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    const QList<QByteArray> parts = lines.first().split(' ');
    if (parts.size() != 3 || !isToken(parts.at(0)) || !parts.at(1).startsWith('/')
        || (parts.at(2) != "HTTP/1.1" && parts.at(2) != "HTTP/1.0"))
        return error(400, "Bad Request");
    for (qsizetype i = 1; i < lines.size(); ++i)
    {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.left(colon)))
            return error(400, "Bad Request");
        for (const char c : line)
        {
            if ((uchar(c) < 32 && c != '\t') || c == 127)
                return error(400, "Bad Request");
        }
    }
    const QByteArray &target = parts.at(1);
    const qsizetype query = target.indexOf('?');
    const QByteArray path = query < 0 ? target : target.left(query);
    if (path != "/metrics")
        return error(404, "Not Found");
    if (parts.at(0) != "GET")
        return error(405, "Method Not Allowed", "Allow: GET\r\n");
    return response(
        200, "OK", Metrics::contentType(), Metrics::instance().exposition(QDateTime::currentMSecsSinceEpoch()));
}

void MetricsListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor))
    {
        delete socket;
        return;
    }
    if (m_open.size() >= MaxConnections)
    {
        socket->abort();
        socket->deleteLater();
        return;
    }
    m_open.insert(socket);
    m_requests.insert(socket, QByteArray());
    socket->setReadBufferSize(MaxRequestBytes + 1);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket]() { onReadyRead(socket); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket]() { forget(socket); });
    // The whole exchange is bounded: a client that sends or reads too slowly is cut off.
    QTimer::singleShot(RequestTimeoutMs, socket, [this, socket]() {
        if (m_requests.contains(socket))
        {
            answer(socket, error(408, "Request Timeout"));
            QTimer::singleShot(1000, socket, [this, socket]() { forget(socket); });
            return;
        }
        forget(socket);
    });
}

void MetricsListener::onReadyRead(QTcpSocket *socket)
{
    const auto found = m_requests.find(socket);
    if (found == m_requests.end())
    {
        socket->read(socket->bytesAvailable()); // after the answer: discarded
        return;
    }
    QByteArray &buffer = found.value();
    buffer += socket->read(MaxRequestBytes + 1 - buffer.size());
    qsizetype terminatorLength = 0;
    const qsizetype end = headEnd(buffer, &terminatorLength);
    if (end >= 0 && end + terminatorLength <= MaxRequestBytes)
    {
        answer(socket, respond(buffer.left(end)));
        return;
    }
    if (buffer.size() > MaxRequestBytes)
    {
        answer(socket, error(431, "Request Header Fields Too Large"));
        return;
    }
}

void MetricsListener::answer(QTcpSocket *socket, const QByteArray &response)
{
    m_requests.remove(socket);
    // Written, then only the sending half is shut (a lingering close, RFC 9112 9.6): closing
    // the socket with unread request bytes would send a reset that can destroy the answer
    // before the client reads it. What still comes is discarded until the client closes
    // or the deadline of the connection.
    connect(socket, &QTcpSocket::bytesWritten, this, [socket]() {
        if (socket->bytesToWrite() == 0)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    });
    socket->write(response);
}

void MetricsListener::forget(QTcpSocket *socket)
{
    if (!m_open.remove(socket))
        return;
    m_requests.remove(socket);
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
}
