// LMTP RCPT probes and their one-minute cache.
#include "smtpd/lmtpverifier.h"

#include "deliverd/lmtpclient.h"
#include "log/logger.h"

#include <QDateTime>

LmtpVerifier::LmtpVerifier(QObject *parent) : QObject(parent) { }

void LmtpVerifier::verify(const QString &address, const LmtpTarget &target, const QString &heloName, int timeoutSeconds,
    QObject *context, std::function<void(Verdict, const QString &)> done)
{
    const QString key = target.toString() + QLatin1Char(' ') + address.toLower();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto cached = m_cache.constFind(key);
    if (cached != m_cache.cend() && cached->expiresAtMs > now)
    {
        const Verdict verdict = cached->verdict;
        const QString text = cached->text;
        // Never from inside the caller's own call.
        QMetaObject::invokeMethod(
            this,
            [context = QPointer<QObject>(context), done = std::move(done), verdict, text]() {
                if (context)
                {
                    done(verdict, text);
                }
            },
            Qt::QueuedConnection);
        return;
    }
    QList<Waiter> &waiters = m_waiting[key];
    waiters.append({ QPointer<QObject>(context), std::move(done) });
    if (waiters.size() > 1)
    {
        return; // a probe for this address is on its way
    }
    SmtpEnvelope envelope;
    envelope.heloName = heloName;
    envelope.recipients = { address };
    auto *client = new LmtpClient(target, envelope, LmtpClient::Mode::Probe, timeoutSeconds, this);
    connect(client, &LmtpClient::finished, this, [this, key, client]() { onProbeFinished(key, client); });
    client->start();
}

void LmtpVerifier::onProbeFinished(const QString &key, LmtpClient *client)
{
    client->deleteLater();
    const SmtpSessionResult &result = client->result();
    Verdict verdict = Verdict::Unavailable;
    QString text = result.error;
    if (result.completed && !result.recipientReplies.isEmpty())
    {
        const SmtpReply &reply = result.recipientReplies.first();
        text = reply.text;
        verdict
            = reply.isPositive() ? Verdict::Exists : (reply.isPermanent() ? Verdict::Unknown : Verdict::Unavailable);
    }
    if (verdict == Verdict::Unavailable)
    {
        qCWarning(lcSmtpd).noquote() << "LMTP recipient check at" << client->remoteName() << "failed:" << text;
    }
    else
    {
        if (m_cache.size() >= MaxCached)
        {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            m_cache.removeIf([now](const auto &entry) { return entry.value().expiresAtMs <= now; });
            if (m_cache.size() >= MaxCached)
            {
                m_cache.clear();
            }
        }
        m_cache.insert(key, { verdict, text, QDateTime::currentMSecsSinceEpoch() + CacheMs });
    }
    const QList<Waiter> waiters = m_waiting.take(key);
    for (const Waiter &waiter : waiters)
    {
        if (waiter.context)
        {
            waiter.done(verdict, text);
        }
    }
}
