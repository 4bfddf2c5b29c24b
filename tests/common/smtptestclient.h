// A raw SMTP client for tests: writes bytes, reads whole replies, upgrades to TLS.
// It spins the event loop while it waits, because Smtpd runs in the same thread.
#pragma once

#include <QByteArray>
#include <QSslSocket>
#include <QString>
#include <QStringList>

class SmtpTestClient
{
public:
    SmtpTestClient();

    bool connectTo(quint16 port, bool implicitTls = false);
    void send(const QByteArray &bytes);
    // One reply, all its lines joined with '\n' ("" on timeout or close).
    QString readReply(int timeoutMs = 5000);
    QString command(const QString &line, int timeoutMs = 5000);
    bool startTls(); // after a 220 to STARTTLS
    bool waitClosed(int timeoutMs = 5000);
    bool isClosed() const;
    QSslSocket &socket() { return m_socket; }

private:
    QSslSocket m_socket;
    QByteArray m_buffer;
};
