// One LMTP session (RFC 2033) to TMAIL_LMTP_TARGET, over a unix socket or TCP: LHLO,
// one pipelined MAIL and RCPTs, then DATA and one reply per accepted recipient. In
// probe mode it stops after the RCPT replies (QUIT): smtpd's recipient check.
#pragma once

#include "core/lmtptarget.h"
#include "deliverd/smtpclient.h"
#include "deliverd/smtpreplyreader.h"

#include <memory>

#include <QFile>
#include <QIODevice>
#include <QObject>
#include <QTimer>

class LmtpClient : public QObject
{
    Q_OBJECT
public:
    enum class Mode
    {
        Deliver,
        Probe
    };

    LmtpClient(LmtpTarget target, SmtpEnvelope envelope, Mode mode, int timeoutSeconds, QObject *parent = nullptr);
    ~LmtpClient() override;

    void start();
    // Ends the session now; finished() is not emitted.
    void abort();
    // After finished(): completed with one reply per recipient (RCPT refusals, or the
    // replies after the data for those accepted), or not completed and error set.
    const SmtpSessionResult &result() const { return m_result; }
    QString remoteName() const; // "lmtp[unix:/run/dovecot/lmtp]"

signals:
    void finished();

private:
    enum class State
    {
        Idle,
        Connecting,
        Greeting,
        Lhlo,
        Transaction, // the replies to MAIL and the RCPTs
        Data, // the 354
        Body,
        DataEnd, // one reply per accepted recipient (RFC 2033 §4.2)
        Done
    };

    void onConnected();
    void onReadyRead();
    void onDisconnected();
    void onSocketError(const QString &reason);
    void handleReply(const SmtpReply &reply);
    void handleTransactionReply(const SmtpReply &reply);
    void writeMoreBody();
    void send(const QByteArray &line);
    void fail(const QString &error);
    void complete();
    bool connected() const;
    qint64 bytesToWrite() const;

    LmtpTarget m_target;
    SmtpEnvelope m_envelope;
    Mode m_mode;
    int m_timeoutSeconds;
    std::unique_ptr<QIODevice> m_socket;
    QTimer m_timer;
    State m_state = State::Idle;
    SmtpReplyReader m_reader;
    SmtpSessionResult m_result;

    bool m_mailAnswered = false;
    QList<SmtpReply> m_replies; // one per recipient, as they become final
    QList<int> m_accepted; // the recipients a 2xx RCPT accepted, awaiting their reply after the data
    int m_rcptAnswered = 0;
    int m_dataAnswered = 0;
    QFile m_body;
    bool m_atLineStart = true;
};
