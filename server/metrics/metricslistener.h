// The HTTP side of TMAIL_METRICS_LISTEN: a minimal HTTP/1.1 server (RFC 9112) that answers
// GET /metrics with Metrics::exposition() and closes every connection after one answer.
// It lives on the metrics thread (MetricsServer), so a slow or hostile scraper never
// touches the SMTP event loop.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QTcpServer>

class QTcpSocket;

class MetricsListener : public QTcpServer
{
    Q_OBJECT
public:
    // A request's head (request line and headers) larger than this gets 431.
    static constexpr int MaxRequestBytes = 8192;
    // A client gets this long to send its request head, and to read the answer.
    static constexpr int RequestTimeoutMs = 10000;
    // Connections beyond this many at once are closed at once.
    static constexpr int MaxConnections = 32;

    explicit MetricsListener(QObject *parent = nullptr);

    // The answer to one complete request head (without its final empty line): a whole
    // HTTP/1.1 response with Connection: close. Public for the tests of its grammar.
    static QByteArray respond(const QByteArray &head);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void onReadyRead(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const QByteArray &response);
    void forget(QTcpSocket *socket);

    QHash<QTcpSocket *, QByteArray> m_requests; // sockets still sending their request head
    QSet<QTcpSocket *> m_open; // every connection not yet closed
};
