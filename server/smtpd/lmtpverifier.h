// smtpd's check of a local recipient against the LMTP server (TMAIL_LMTP_VERIFY=lmtp):
// an RCPT probe (LHLO, MAIL FROM:<>, RCPT TO, QUIT) on the event loop, the answers kept
// a minute, probes for one address in flight shared. Refusing unknown users at RCPT time
// spares bounces to forged senders (backscatter).
#pragma once

#include "core/lmtptarget.h"

#include <functional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

class LmtpClient;

class LmtpVerifier : public QObject
{
    Q_OBJECT
public:
    enum class Verdict
    {
        Exists, // the LMTP server accepted the RCPT
        Unknown, // it refused it (5xx)
        Unavailable // no answer, or a 4xx: nothing is known
    };

    static constexpr qint64 CacheMs = 60 * 1000;
    static constexpr int MaxCached = 20000;

    explicit LmtpVerifier(QObject *parent = nullptr);

    // done(verdict, the server's reply or the failure) runs later on this thread, unless
    // context is gone by then. target, heloName and timeoutSeconds are the settings in force.
    void verify(const QString &address, const LmtpTarget &target, const QString &heloName, int timeoutSeconds,
        QObject *context, std::function<void(Verdict, const QString &)> done);

private:
    struct Cached
    {
        Verdict verdict = Verdict::Unavailable;
        QString text;
        qint64 expiresAtMs = 0;
    };
    struct Waiter
    {
        QPointer<QObject> context;
        std::function<void(Verdict, const QString &)> done;
    };

    void onProbeFinished(const QString &key, LmtpClient *client);

    QHash<QString, Cached> m_cache; // by lower-case address (and target)
    QHash<QString, QList<Waiter>> m_waiting;
};
