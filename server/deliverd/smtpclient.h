// One outgoing SMTP session to one address: EHLO/HELO, STARTTLS, AUTH PLAIN,
// PIPELINING, SIZE, one transaction for several recipients, the body streamed from the
// store; the open session may then carry further transactions (deliverNext).
#pragma once

#include "core/dsn.h"
#include "deliverd/dnsresolver.h"

#include <memory>

#include <QFile>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSslCipher>
#include <QSslSocket>
#include <QStringList>
#include <QTimer>

struct SmtpReply
{
    int code = 0;
    // Every line of the reply, whole, each with its code, joined by spaces ("550 5.1.1 no
    // such user"; "550-5.1.1 first line 550 5.1.1 second line").
    QString text;

    bool isPositive() const { return code >= 200 && code < 400; }
    bool isPermanent() const { return code >= 500 && code < 600; }
};

// Where and how to connect.
struct SmtpEndpoint
{
    QString hostName; // for logs and certificate verification
    QHostAddress address;
    quint16 port = 25;
    QHostAddress localAddress; // null: let the system choose
    QString user; // non-empty: AUTH PLAIN with password
    QString password;
    bool useTls = true; // STARTTLS when offered
    bool tlsSkipVerify = true;
    bool tlsFallback = true; // STARTTLS refused: go on in clear
    QList<QSslCipher> tlsCiphers; // TLS 1.2 suites offered; empty: Qt's default
    int timeoutSeconds = 300;

    // What TLS the session must have. Every mode but Opportunistic makes STARTTLS
    // mandatory: without it the session ends before MAIL FROM (a policy failure).
    enum class TlsPolicy
    {
        Opportunistic, // useTls, tlsSkipVerify and tlsFallback as set above
        Encrypt, // TLS without authentication (RFC 7672 §2.2: TLSA records, none usable)
        Dane, // the certificate chain must match tlsa (RFC 7672 §3)
        Verify // a certificate valid for hostName from the system's CAs or caCertificates (RFC 8461 §4.2)
    };
    TlsPolicy tlsPolicy = TlsPolicy::Opportunistic;
    QList<TlsaRecord> tlsa;
    QList<QSslCertificate> caCertificates;
    // `tmail tls check --connect`: greeting, EHLO and STARTTLS as the policy says, then
    // QUIT; no transaction (the result is completed, without recipient replies).
    bool probe = false;
};

// What to send.
struct SmtpEnvelope
{
    QString heloName;
    QString sender; // empty: <>
    QStringList recipients;
    // RFC 3461 parameters, passed on when the server advertises DSN: RET and ENVID
    // (decoded), and NOTIFY (Dsn::Notify bits, 0: none) and ORCPT of each recipient.
    Dsn::Ret ret = Dsn::Ret::Unset;
    QString envid;
    QList<int> notify;
    QStringList orcpt;
    QString bodyPath; // CRLF lines, not dot-stuffed
    qint64 sizeBytes = 0;
};

struct SmtpSessionResult
{
    // True when the server gave answers for the recipients (recipientReplies is final);
    // false when the session broke before: the caller may try another server.
    bool completed = false;
    bool connected = false; // the TCP connection was made
    bool tlsHandshakeFailed = false;
    bool usedTls = false;
    // The transaction was to run on a session an earlier one had opened, and the
    // connection was gone before any answer: nothing was delivered, try a new session.
    bool staleSession = false;
    // The endpoint's TLS policy could not be met (nothing of the message was sent);
    // tlsFailureType is the RFC 8460 §4.3 result type.
    bool tlsPolicyFailed = false;
    QString tlsFailureType;
    // Once encrypted: "TLSv1.3", the cipher suite and the peer certificate's subject.
    QString tlsProtocol;
    QString tlsCipher;
    QString peerSubject;
    // When !completed: the enhanced status code of the deferral ("4.4.1") and what
    // happened, naming the server ("connection to mx.example[192.0.2.1]:25 refused",
    // "host mx.example[192.0.2.1]:25 said: 421 4.3.2 … (in reply to EHLO)").
    QString status;
    QString error;
    QList<SmtpReply> recipientReplies;
    bool dsn = false; // the server advertised DSN: the RFC 3461 parameters went with the message
};

class SmtpClient : public QObject
{
    Q_OBJECT
public:
    SmtpClient(SmtpEndpoint endpoint, SmtpEnvelope envelope, QObject *parent = nullptr);
    ~SmtpClient() override;

    void start();
    // Ends the session now; finished() is not emitted.
    void abort();
    // After finished(): true when the transaction went through to the reply after the
    // data and the session is still open, so that another one may follow.
    bool isReusable() const;
    // Another transaction (another message) on the session left open by the last one
    // (see isReusable()). finished() follows, as after start(); when the session turns
    // out to be gone before answering, with result().staleSession.
    void deliverNext(SmtpEnvelope envelope);
    // Ends the open session with QUIT, without waiting for the answer.
    void quit();
    const SmtpSessionResult &result() const { return m_result; }
    QString remoteName() const; // "host[ip]:port", or "ip:port" for an address

signals:
    void finished();

private:
    enum class State
    {
        Idle,
        Connecting,
        Greeting,
        Ehlo,
        Helo,
        StartTls,
        TlsHandshake,
        Auth,
        Transaction,
        Body,
        DataEnd,
        Ready, // between transactions, the session open
        Done
    };
    enum class Command
    {
        Mail,
        Rcpt,
        Data
    };

    void onConnected();
    void onReadyRead();
    void onError(QAbstractSocket::SocketError error);
    void onEncrypted();
    void onTimeout();
    void handleReply(const SmtpReply &reply);
    void handleEhlo(const SmtpReply &reply);
    void afterGreetingOrTls();
    void startTransaction();
    void handleTransactionReply(const SmtpReply &reply);
    void sendData();
    QByteArray rcptCommand(int index) const;
    void writeMoreBody();
    void send(const QByteArray &line);
    void fail(const QString &status, const QString &error);
    // A reply that ends the session before the transaction: the remote's own words.
    void failOnReply(const SmtpReply &reply, const char *inReplyTo);
    void failPolicy(const QString &type, const QString &error);
    bool tlsMandatory() const { return m_endpoint.tlsPolicy != SmtpEndpoint::TlsPolicy::Opportunistic; }
    void closeWithQuit();
    void complete(const QList<SmtpReply> &replies);
    void finish();
    void armTimer();

    SmtpEndpoint m_endpoint;
    SmtpEnvelope m_envelope;
    std::unique_ptr<QSslSocket> m_socket;
    QTimer m_timer;
    State m_state = State::Idle;
    SmtpSessionResult m_result;
    QStringList m_replyLines;
    QList<QSslError> m_sslErrors;

    // EHLO capabilities
    bool m_esmtp = false;
    bool m_pipelining = false;
    bool m_startTls = false;
    bool m_authPlain = false;
    bool m_dsn = false;
    qint64 m_maxSize = 0;

    // the transaction
    bool m_reused = false; // this transaction runs on a session opened by an earlier one
    bool m_answered = false; // a reply of this transaction arrived
    QList<Command> m_expected;
    int m_rcptAnswered = 0;
    int m_rcptSent = 0;
    QList<SmtpReply> m_rcptReplies;
    QFile m_body;
    bool m_atLineStart = true;
    bool m_bodyDone = false;
};
