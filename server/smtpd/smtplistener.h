// One listener of TMAIL_SMTPD_DSNS: a QTcpServer that wraps each accepted descriptor
// in a QSslSocket, so that one class serves clear+STARTTLS and implicit TLS.
#pragma once

#include "config/config.h"

#include <QSslSocket>
#include <QTcpServer>

class SmtpListener : public QTcpServer
{
    Q_OBJECT
public:
    SmtpListener(const ListenerDsn &dsn, QObject *parent = nullptr);

    const ListenerDsn &dsn() const { return m_dsn; }

signals:
    // The socket has this listener as parent; whoever takes it re-parents it.
    void connectionAccepted(QSslSocket *socket, bool implicitTls);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ListenerDsn m_dsn;
};
