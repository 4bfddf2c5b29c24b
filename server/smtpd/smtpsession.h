// One SMTP conversation (RFC 5321) on one socket, in the main event loop: commands,
// the relay decision, DATA streamed to the store, and the hand-off to the queue. TLS
// handshakes run on TlsHandshakePool's workers.
#pragma once

#include "metrics/metrics.h"
#include "smtpd/datareader.h"
#include "smtpd/dbworker.h"

#include <memory>

#include <QByteArray>
#include <QFile>
#include <QHostAddress>
#include <QObject>
#include <QSslSocket>
#include <QStringList>
#include <QTimer>

class QHostInfo;
class SmtpCommand;
class Smtpd;

class SmtpSession : public QObject
{
    Q_OBJECT
public:
    // Takes ownership of socket. implicitTls: the socket must handshake before the greeting.
    SmtpSession(QSslSocket *socket, bool implicitTls, Smtpd *smtpd);
    ~SmtpSession() override;

    void start();
    // 421 at once when idle; a session in DATA or waiting on a worker finishes first.
    void shutdown();
    void abort();
    bool isBusy() const;

    // Answers from Smtpd's workers.
    void queueFinished(bool ok, const QString &error);
    void authFinished(DbWorker::AuthOutcome outcome, const QString &login, bool mayRelay);

    const QString &id() const { return m_id; }

signals:
    void closed(SmtpSession *session);

private:
    enum class Mode
    {
        Command,
        Data,
        AuthPlain,
        AuthLoginUser,
        AuthLoginPassword,
    };

    void processInput();
    void handleLine(const QByteArray &line);
    void handleCommand(const QString &line);
    void handleHelo(const QString &argument, bool extended);
    void handleMail(const SmtpCommand &command);
    void handleRcpt(const SmtpCommand &command);
    void handleData();
    // A recipient with its RFC 3461 NOTIFY (Dsn bits) and ORCPT.
    void verifyLocalRecipient(const QString &address, int notify, const QString &orcpt);
    void acceptRecipient(const QString &address, int notify, const QString &orcpt);
    void refuseUnknownRecipient(const QString &address, const QString &why);
    void handleStartTls(const QString &argument);
    void handleAuth(const QString &argument);
    void handleAuthResponse(const QString &line);
    void verifyCredentials(const QString &login, const QString &password);
    void writeBody(bool all);
    void endOfData();
    void discardBody();
    void resetTransaction();
    void resetSession();
    void connectSocket();
    void startHandshake();
    void onHandshakeDone(bool encrypted);
    void onEncrypted();
    void onReverseLookup(const QHostInfo &info);
    void onTimeout();

    void reply(const QString &text);
    void replyAndClose(const QString &text);
    // A refused sender, recipient or message: counted for the metrics, then replied.
    void refuse(Metrics::Refusal reason, const QString &text);
    void closeConnection();
    void finish();

    QString receivedHeader() const;
    QString me() const;

    Smtpd *m_smtpd;
    QSslSocket *m_socket;
    bool m_implicitTls;
    QString m_id;
    QHostAddress m_peer;
    QString m_peerText;
    QString m_reverseName = QStringLiteral("unknown");
    int m_lookupId = -1;
    QTimer m_idleTimer;

    Mode m_mode = Mode::Command;
    QByteArray m_input;
    bool m_discardingLongLine = false;
    bool m_waiting = false; // a worker or a delayed answer holds the next command
    bool m_handshaking = false; // the socket is on a TLS worker, not this session's child
    bool m_closing = false;
    bool m_finished = false;
    bool m_shutdownRequested = false;
    bool m_processing = false;

    // Session state.
    QString m_helo;
    bool m_extended = false;
    bool m_tls = false;
    QString m_authUser;
    bool m_authMayRelay = false;
    QString m_authLogin; // AUTH LOGIN: the user name between the two prompts
    int m_badRecipients = 0;

    // Transaction state.
    bool m_mailSeen = false;
    QString m_sender; // empty: the null sender <>
    QStringList m_recipients;
    QList<int> m_recipientNotify; // RFC 3461 NOTIFY of each of m_recipients (0: not given)
    QStringList m_recipientOrcpt; // ORCPT of each of m_recipients (empty: not given)
    int m_dsnRet = 0; // RET of MAIL (Dsn::Ret)
    QString m_dsnEnvid; // ENVID of MAIL, decoded
    bool m_smtpUtf8 = false;
    // The limits in force at MAIL: a reload changes them from the next transaction on.
    qint64 m_maxDataBytes = 0;
    int m_maxHops = 0;
    int m_maxRcpt = 0;
    QString m_messageId;
    std::unique_ptr<DataReader> m_reader;
    std::unique_ptr<QFile> m_body;
    bool m_bodyWriteFailed = false;
    qint64 m_bodyBytes = 0;
};
