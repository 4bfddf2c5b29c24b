// Listeners, the session set with its concurrency cap, TLS material, and the two
// worker threads (queue writer, database) that sessions reach through Smtpd.
#include "smtpd/smtpd.h"

#include "db/queuetable.h"
#include "dkim/dkimsigner.h"
#include "log/logger.h"
#include "metrics/metrics.h"
#include "queue/queuewriter.h"
#include "smtpd/smtplistener.h"
#include "smtpd/smtpsession.h"
#include "smtpd/tlshandshakepool.h"

#include <cstdio>

#include <QAtomicInt>
#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace {

constexpr int StopGraceMs = 30000; // sessions still in DATA after this are cut
constexpr int RefusalGraceMs = 10000; // a refused client's handshake and 421 take at most this

QString uniqueConnectionName(const QString &role)
{
    static QAtomicInt counter;
    return QStringLiteral("smtpd-%1-%2").arg(role).arg(counter.fetchAndAddRelaxed(1));
}

} // namespace

Smtpd::Smtpd(const Config &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_store(config.storePath)
    , m_authLimiter(config.authMaxFailures, config.authBanSeconds)
    , m_tlsPool(std::make_unique<TlsHandshakePool>())
    , m_policy(std::make_shared<const RelayPolicy>())
    , m_stopTimer(this)
{
    qRegisterMetaType<RelayPolicyPtr>();
    qRegisterMetaType<DkimKeyringPtr>();
    m_queueThread.setObjectName(QStringLiteral("smtpd-queue"));
    m_dbThread.setObjectName(QStringLiteral("smtpd-db"));
    m_stopTimer.setSingleShot(true);
    m_stopTimer.setInterval(StopGraceMs);
    connect(&m_stopTimer, &QTimer::timeout, this, [this]() {
        const QSet<SmtpSession *> sessions = m_sessions;
        for (SmtpSession *session : sessions)
        {
            session->abort();
        }
    });
}

Smtpd::~Smtpd()
{
    for (SmtpListener *listener : std::as_const(m_listeners))
    {
        listener->close();
    }
    const QSet<SmtpSession *> sessions = m_sessions;
    m_sessions.clear();
    Metrics::instance().setSmtpSessions(0);
    for (SmtpSession *session : sessions)
    {
        disconnect(session, nullptr, this, nullptr);
        delete session;
    }
    // Closed sessions waiting for deleteLater may still have a socket on a TLS worker:
    // they go before the pool, which then deletes every socket still away.
    qDeleteAll(findChildren<SmtpSession *>(QString(), Qt::FindDirectChildrenOnly));
    m_tlsPool.reset();
    stopWorkers();
}

Status Smtpd::loadTls()
{
    QFile certFile(m_config.tlsCertPath);
    QFile keyFile(m_config.tlsKeyPath);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
    {
        return Status::failure(ErrorKind::Unavailable,
            QStringLiteral("cannot read the TLS certificate %1 or key %2")
                .arg(m_config.tlsCertPath, m_config.tlsKeyPath));
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa })
    {
        key = QSslKey(keyPem, algorithm, QSsl::Pem);
        if (!key.isNull())
        {
            break;
        }
    }
    if (chain.isEmpty() || key.isNull())
    {
        return Status::failure(ErrorKind::Unavailable,
            QStringLiteral("the TLS certificate %1 or key %2 is not valid PEM")
                .arg(m_config.tlsCertPath, m_config.tlsKeyPath));
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    // TMAIL_SMTPD_TLS_CIPHERS (Mozilla intermediate by default): Qt's own default also
    // offers PSK, static-RSA and CBC-SHA1 suites, which scanners grade down.
    tls.setCiphers(m_config.tlsCiphers);
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    // A server that asks no client certificate needs no CA: without this, each handshake
    // looked up the issuer of our own certificate in the six system CA directories.
    tls.setCaCertificates({});
    // Qt's per-context cache of one session is a client feature; a server resumes
    // sessions from the tickets and session cache of its shared SSL_CTX instead.
    tls.setSslOption(QSsl::SslOptionDisableSessionSharing, true);
    m_tlsConfiguration = tls;
    m_tlsPool->renewContext();
    m_tlsAvailable = true;
    return {};
}

Status Smtpd::startWorkers()
{
    m_queueWriter = std::make_unique<QueueWriter>(
        m_config.db, m_config.storeDriver, m_config.storePath, uniqueConnectionName(QStringLiteral("queue")));
    m_dbWorker = std::make_unique<DbWorker>(m_config.db, uniqueConnectionName(QStringLiteral("policy")));
    m_queueWriter->moveToThread(&m_queueThread);
    m_dbWorker->moveToThread(&m_dbThread);
    connect(m_queueWriter.get(), &QueueWriter::messageFinished, this, &Smtpd::onMessageFinished, Qt::QueuedConnection);
    connect(m_dbWorker.get(), &DbWorker::authenticated, this, &Smtpd::onAuthenticated, Qt::QueuedConnection);
    connect(
        m_dbWorker.get(), &DbWorker::policyChanged, this, [this](const RelayPolicyPtr &policy) { m_policy = policy; },
        Qt::QueuedConnection);
    connect(
        m_dbWorker.get(), &DbWorker::keyringChanged, this,
        [this](const DkimKeyringPtr &keyring) { m_keyring = keyring; }, Qt::QueuedConnection);
    m_queueThread.start();
    m_dbThread.start();
    m_workersRunning = true;

    // Blocking calls, once, before the first connection: the database must be reachable
    // and the first policy loaded before any recipient is judged.
    Status queueStatus;
    QMetaObject::invokeMethod(
        m_queueWriter.get(), [this, &queueStatus]() { queueStatus = m_queueWriter->open(); },
        Qt::BlockingQueuedConnection);
    if (!queueStatus)
    {
        return Status::failure(
            ErrorKind::Unavailable, QStringLiteral("smtpd queue writer: %1").arg(queueStatus.error()));
    }
    std::optional<Expected<RelayPolicyPtr>> policy;
    QMetaObject::invokeMethod(
        m_dbWorker.get(), [this, &policy]() { policy.emplace(m_dbWorker->open()); }, Qt::BlockingQueuedConnection);
    if (!policy->ok())
    {
        return Status::failure(ErrorKind::Unavailable,
            QStringLiteral("smtpd cannot load rcpthosts and relay IPs: %1").arg(policy->error()));
    }
    m_policy = policy->value();
    m_keyring = m_dbWorker->keyring();
    return {};
}

void Smtpd::stopWorkers()
{
    if (!m_workersRunning)
    {
        return;
    }
    m_workersRunning = false;
    m_signPool.waitForDone(); // its last messages reach the queue writer before it closes
    // Each Database connection is closed in the thread that opened it.
    QMetaObject::invokeMethod(
        m_queueWriter.get(), [this]() { m_queueWriter->close(); }, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        m_dbWorker.get(), [this]() { m_dbWorker->close(); }, Qt::BlockingQueuedConnection);
    m_queueThread.quit();
    m_dbThread.quit();
    m_queueThread.wait();
    m_dbThread.wait();
    m_queueWriter.reset();
    m_dbWorker.reset();
}

Status Smtpd::start(const std::function<Status()> &afterBind)
{
    const Status tls = loadTls();
    if (!tls)
    {
        for (const ListenerDsn &dsn : std::as_const(m_config.listeners))
        {
            if (dsn.implicitTls)
            {
                return Status::failure(
                    ErrorKind::Unavailable, QStringLiteral("smtpd %1 SSL: %2").arg(dsn.toString(), tls.error()));
            }
        }
        qCWarning(lcSmtpd).noquote() << tls.error() << "- STARTTLS and AUTH are not offered";
    }
    // Listeners first (ports below 1024 need root or CAP_NET_BIND_SERVICE), then afterBind
    // (the switch to TMAIL_USER), then the workers, which open the database as that user.
    // Connections wait in the backlog until the event loop runs, after the workers are up.
    for (const ListenerDsn &dsn : std::as_const(m_config.listeners))
    {
        auto *listener = new SmtpListener(dsn, this);
        listener->setMaxPendingConnections(128);
        // Qt's default backlog (50) drops SYNs when hundreds of clients connect at once;
        // the kernel caps this at net.core.somaxconn.
        listener->setListenBacklogSize(4096);
        if (!listener->listen(dsn.address, dsn.port))
        {
            QString error
                = QStringLiteral("smtpd cannot listen on %1: %2").arg(dsn.toString(), listener->errorString());
            // Say which setting holds the address, and what usually holds the port.
            if (listener->serverError() == QAbstractSocket::AddressInUseError)
                error += QStringLiteral("; another program (another tmail, Postfix, Exim…) uses %1: stop it or change "
                                        "that listener in TMAIL_SMTPD_DSNS")
                             .arg(dsn.toString());
            else
                error += QStringLiteral("; check that listener in TMAIL_SMTPD_DSNS");
            delete listener;
            closeListeners();
            return Status::failure(ErrorKind::Unavailable, error);
        }
        connect(listener, &SmtpListener::connectionAccepted, this, &Smtpd::onConnection);
        m_listeners.append(listener);
    }
    if (afterBind)
    {
        const Status after = afterBind();
        if (!after)
        {
            closeListeners();
            return after;
        }
    }
    const Status workers = startWorkers();
    if (!workers)
    {
        closeListeners();
        stopWorkers();
        return workers;
    }
    for (const SmtpListener *listener : std::as_const(m_listeners))
    {
        ListenerDsn bound = listener->dsn();
        bound.port = listener->serverPort();
        qCInfo(lcSmtpd).noquote() << QStringLiteral("smtpd %1%2 launched.")
                                         .arg(bound.toString(), bound.implicitTls ? QStringLiteral(" SSL") : QString());
    }
    return {};
}

void Smtpd::closeListeners()
{
    for (SmtpListener *bound : std::as_const(m_listeners))
    {
        bound->close();
        bound->deleteLater();
    }
    m_listeners.clear();
}

QList<quint16> Smtpd::boundPorts() const
{
    QList<quint16> ports;
    for (const SmtpListener *listener : m_listeners)
    {
        ports.append(listener->serverPort());
    }
    return ports;
}

void Smtpd::onConnection(QSslSocket *socket, bool implicitTls)
{
    if (m_stopping || m_sessions.size() >= qMax(1, m_config.concurrencyIncoming))
    {
        refuseConnection(socket, implicitTls);
        return;
    }
    auto *session = new SmtpSession(socket, implicitTls, this);
    m_sessions.insert(session);
    Metrics::instance().setSmtpSessions(int(m_sessions.size()));
    connect(session, &SmtpSession::closed, this, &Smtpd::onSessionClosed);
    session->start();
}

void Smtpd::refuseConnection(QSslSocket *socket, bool implicitTls)
{
    qCInfo(lcSmtpd).noquote() << "connection from" << socket->peerAddress().toString()
                              << "refused:" << (m_stopping ? "shutting down" : "too many connections");
    const QString text = m_stopping
        ? QStringLiteral("421 4.7.0 %1 Service shutting down, try again later\r\n").arg(m_config.me)
        : QStringLiteral("421 4.7.0 %1 Too many connections, try again later\r\n").arg(m_config.me);
    if (implicitTls)
    {
        // The handshake runs on a TLS worker like a session's; the guard bounds it and
        // lives as long as it is in progress.
        socket->setSslConfiguration(m_tlsConfiguration);
        auto *guard = new QObject(this);
        QTimer::singleShot(RefusalGraceMs, guard, [this, socket]() { m_tlsPool->abort(socket); });
        m_tlsPool->handshake(socket, guard, [this, guard, socket, text](bool encrypted) {
            guard->deleteLater();
            socket->setParent(this);
            if (!encrypted)
            {
                socket->deleteLater();
                return;
            }
            sendRefusal(socket, text);
        });
        return;
    }
    sendRefusal(socket, text);
}

void Smtpd::sendRefusal(QSslSocket *socket, const QString &text)
{
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(RefusalGraceMs, socket, [socket]() {
        socket->abort();
        socket->deleteLater();
    });
    socket->write(text.toUtf8());
    socket->disconnectFromHost();
}

bool Smtpd::sharesTlsContext()
{
#ifdef TMAIL_SHARED_TLS_CONTEXT
    return true;
#else
    return false;
#endif
}

void Smtpd::syncNow(std::function<void()> done)
{
    DbWorker *worker = m_dbWorker.get();
    if (!worker)
    {
        done();
        return;
    }
    const QPointer<Smtpd> self(this);
    QMetaObject::invokeMethod(
        worker,
        [worker, self, done = std::move(done)]() {
            worker->pollNow();
            // Posted after the policy and keyring the poll emitted (queued to this thread
            // too), so that done runs once they are applied.
            if (self)
            {
                QMetaObject::invokeMethod(self.data(), done, Qt::QueuedConnection);
            }
        },
        Qt::QueuedConnection);
}

void Smtpd::onSessionClosed(SmtpSession *session)
{
    m_sessions.remove(session);
    Metrics::instance().setSmtpSessions(int(m_sessions.size()));
    session->deleteLater();
    if (m_stopping && m_sessions.isEmpty())
    {
        QMetaObject::invokeMethod(this, &Smtpd::finishStop, Qt::QueuedConnection);
    }
}

void Smtpd::enqueue(SmtpSession *session, const QueuedMessage &message, bool outbound)
{
    m_queueWaiters.insert(message.id, session);
    if (outbound && m_keyring && !m_keyring->isEmpty())
    {
        const DkimKeyringPtr keyring = m_keyring;
        m_signPool.start([this, message, keyring]() { signAndSubmit(message, keyring); });
        return;
    }
    m_queueWriter->submit(message);
}

void Smtpd::signAndSubmit(const QueuedMessage &received, const DkimKeyringPtr &keyring)
{
    QueuedMessage message = received;
    const QString path = m_store.tmpPath(message.id);
    QFile file(path);
    QString error;
    if (!file.open(QIODevice::ReadOnly))
    {
        error = QStringLiteral("cannot read %1 to sign it: %2").arg(path, file.errorString());
    }
    else
    {
        const QByteArray content = file.readAll();
        file.close();
        const DkimSignResult result = DkimSigner::sign(content, *keyring, QDateTime::currentSecsSinceEpoch());
        switch (result.outcome)
        {
        case DkimSignResult::Outcome::Signed:
        {
            // The signatures go on top; the file is replaced whole by a rename, and the
            // queue writer's commit syncs it as it does every message (one fsync, not two).
            const QString signedPath = path + QStringLiteral(".signed");
            QFile signedFile(signedPath);
            const bool written = signedFile.open(QIODevice::WriteOnly | QIODevice::Truncate)
                && signedFile.write(result.headers) == result.headers.size()
                && signedFile.write(content) == content.size() && signedFile.flush();
            signedFile.close();
            if (!written
                || std::rename(QFile::encodeName(signedPath).constData(), QFile::encodeName(path).constData()) != 0)
            {
                error = QStringLiteral("cannot write the signed %1: %2").arg(path, signedFile.errorString());
                QFile::remove(signedPath);
                break;
            }
            message.sizeBytes += result.headers.size();
            qCInfo(lcSmtpd).noquote() << "message" << message.id << "DKIM-signed for" << result.domain << "with"
                                      << result.selectors.join(QLatin1Char(','));
            break;
        }
        case DkimSignResult::Outcome::NoKey:
            break;
        case DkimSignResult::Outcome::NotSignable:
            qCInfo(lcSmtpd).noquote() << "message" << message.id << "not DKIM-signed:" << result.reason;
            break;
        case DkimSignResult::Outcome::Failed:
            qCWarning(lcSmtpd).noquote() << "message" << message.id << "not DKIM-signed:" << result.reason;
            break;
        }
    }
    if (!error.isEmpty())
    {
        // Not acknowledged yet: the client gets a temporary failure and may try again.
        m_store.discard(message.id);
        const QString id = message.id;
        QMetaObject::invokeMethod(
            this, [this, id, error]() { onMessageFinished(id, false, error); }, Qt::QueuedConnection);
        return;
    }
    m_queueWriter->submit(message);
}

void Smtpd::onMessageFinished(const QString &id, bool ok, const QString &error)
{
    const QPointer<SmtpSession> session = m_queueWaiters.take(id);
    if (ok)
    {
        emit messageQueued(id);
    }
    if (session)
    {
        session->queueFinished(ok, error);
    }
    else if (ok)
    {
        qCInfo(lcSmtpd).noquote() << "message" << id << "queued after its client left";
    }
}

void Smtpd::authenticate(SmtpSession *session, const QString &login, const QString &password)
{
    const quint64 requestId = m_nextAuthRequest++;
    m_authWaiters.insert(requestId, session);
    DbWorker *worker = m_dbWorker.get();
    QMetaObject::invokeMethod(
        worker, [worker, requestId, login, password]() { worker->authenticate(requestId, login, password); },
        Qt::QueuedConnection);
}

void Smtpd::onAuthenticated(quint64 requestId, DbWorker::AuthOutcome outcome, const QString &login, bool mayRelay)
{
    const QPointer<SmtpSession> session = m_authWaiters.take(requestId);
    if (session)
    {
        session->authFinished(outcome, login, mayRelay);
    }
}

void Smtpd::stop()
{
    if (m_stopping)
    {
        return;
    }
    m_stopping = true;
    qCInfo(lcSmtpd) << "smtpd stopping";
    for (SmtpListener *listener : std::as_const(m_listeners))
    {
        listener->close();
    }
    const QSet<SmtpSession *> sessions = m_sessions;
    for (SmtpSession *session : sessions)
    {
        session->shutdown();
    }
    if (m_sessions.isEmpty())
    {
        QMetaObject::invokeMethod(this, &Smtpd::finishStop, Qt::QueuedConnection);
        return;
    }
    m_stopTimer.start();
}

void Smtpd::finishStop()
{
    if (!m_stopping || !m_sessions.isEmpty() || !m_workersRunning)
    {
        if (m_stopping && m_sessions.isEmpty() && !m_workersRunning)
        {
            emit stopped();
        }
        return;
    }
    m_stopTimer.stop();
    // Every session waited for its queue answer before closing, so the writer is idle.
    stopWorkers();
    qCInfo(lcSmtpd) << "smtpd stopped";
    emit stopped();
}

Status Smtpd::applySettings(const Config &next)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const QString runningCert = m_config.tlsCertPath;
    const QString runningKey = m_config.tlsKeyPath;
    const QSslConfiguration runningTls = m_tlsConfiguration;
    const bool runningTlsAvailable = m_tlsAvailable;
    m_config.takeLiveSettings(next);
    m_authLimiter.setLimits(m_config.authMaxFailures, m_config.authBanSeconds);
    // Sessions read m_config per use; the TLS material is taken by each new socket.
    const Status tls = loadTls();
    if (!tls)
    {
        m_config.tlsCertPath = runningCert;
        m_config.tlsKeyPath = runningKey;
        m_tlsConfiguration = runningTls;
        m_tlsAvailable = runningTlsAvailable;
    }
    return tls;
}
