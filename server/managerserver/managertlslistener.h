// TMAIL_MANAGER_LISTEN: a TCP listener that speaks TLS from the first byte (TLS 1.2 or
// later, the intermediate cipher profile) and hands each encrypted socket to ManagerServer.
// A client that has not finished the TLS handshake and the manager hello within
// HandshakeTimeoutMs is dropped, so idle connections cannot pile up.
#pragma once

#include "config/config.h"
#include "core/expected.h"

#include <functional>

#include <QSslConfiguration>
#include <QTcpServer>

class QSslSocket;

class ManagerTlsListener : public QTcpServer
{
    Q_OBJECT
public:
    static constexpr int HandshakeTimeoutMs = 10000;

    explicit ManagerTlsListener(QObject *parent = nullptr);

    // Loads the certificate and key (TMAIL_MANAGER_TLS_CERT/_KEY, else smtpd's) and listens
    // on TMAIL_MANAGER_LISTEN. Unavailable when the pair is not usable or the port is taken.
    Status start(const Config &config);

    // The handshake deadline applies until isDone(socket) says the hello was answered.
    void setHandshakeDone(std::function<bool(QSslSocket *)> isDone) { m_isDone = std::move(isDone); }

signals:
    // The TLS handshake of socket succeeded; the receiver takes it (it is parented to this).
    void encrypted(QSslSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QSslConfiguration m_tls;
    std::function<bool(QSslSocket *)> m_isDone;
};
