// Mumble's SslServer pattern: QSslServer (Qt 6.4) cannot offer STARTTLS.
#include "smtpd/smtplistener.h"

#include "log/logger.h"

#include <unistd.h>

SmtpListener::SmtpListener(const ListenerDsn &dsn, QObject *parent) : QTcpServer(parent), m_dsn(dsn) { }

void SmtpListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor))
    {
        qCWarning(lcSmtpd).noquote() << "cannot take a connection on" << m_dsn.toString() << ":"
                                     << socket->errorString();
        socket->deleteLater();
        ::close(int(descriptor)); // not adopted by the socket
        return;
    }
    // TCP_NODELAY: each reply and TLS handshake flight is written whole, so Nagle's
    // algorithm would only hold its last segment until the client's delayed ACK (40 ms on
    // Linux), which paced every STARTTLS handshake.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    emit connectionAccepted(socket, m_dsn.implicitTls);
}
