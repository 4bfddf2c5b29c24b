// A scriptable SMTP receiver for deliverd's tests: records every transaction and
// answers chosen replies per recipient, with optional STARTTLS, AUTH PLAIN and SIZE.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>
#include <QTcpServer>

class QSslSocket;

struct SinkMessage
{
    QString helo;
    QString sender;
    QStringList recipients; // the accepted ones
    QByteArray data; // dot-stuffing undone, CRLF kept
    bool tls = false;
    QString authUser;
};

class TestSmtpSink : public QTcpServer
{
    Q_OBJECT
public:
    explicit TestSmtpSink(QObject *parent = nullptr);
    ~TestSmtpSink() override;

    // recipient → reply lines for RCPT ("550 5.1.1 no such user"); a list is used up
    // one attempt at a time, the last one staying.
    QHash<QString, QStringList> rcptReplies;
    QByteArray dataReply = "250 2.0.0 Ok: queued";
    bool pipelining = true;
    qint64 maxSize = 0;
    bool offerTls = false;
    QSslCertificate certificate;
    QList<QSslCertificate> chain; // sent after certificate (intermediates, a DANE-TA anchor)
    QSslKey key;
    QString authUser; // non-empty: offer AUTH PLAIN and require it
    QString authPassword;
    bool rejectEhlo = false; // 502 to EHLO: the client must fall back to HELO
    int dropsInData = 0; // this many sessions are cut in the middle of DATA
    int messagesPerSession = 0; // > 0: a session is closed, without a word, after this many

    // Per-destination limits: > 0, a session beyond this many at once is greeted with
    // "421 4.7.0 Too many connections" and closed; the reply to the data may be held back.
    int sessionLimit = 0;
    int dataReplyDelayMs = 0;

    QList<SinkMessage> messages;
    int sessions = 0;
    int openSessions = 0; // connected now (the refused ones not counted)
    int maxOpenSessions = 0; // the most at once
    int refusedSessions = 0; // greeted with 421 (sessionLimit)
    QList<qint64> arrivalsMs; // when each message's data ended (ms since the epoch)
    QStringList commands; // every command line received

    // The value of each message's "X-Seq: N" header (in its first 4 KiB), with how many
    // times a message with it arrived: what load tests count losses and duplicates by.
    QHash<int, int> sequenceCounts() const;

private:
    struct Session;
    void incomingConnection(qintptr descriptor) override;
    void onReadyRead(QSslSocket *socket);
    void handleLine(QSslSocket *socket, Session &session, const QByteArray &line);
    void reply(QSslSocket *socket, const QByteArray &line);

    QHash<QSslSocket *, Session *> m_sessions;
};
