// Server TLS handshakes on worker threads; see the data flow in tlshandshakepool.h.
#include "smtpd/tlshandshakepool.h"

#include <algorithm>

#include <QSslSocket>
#include <QThread>

#ifdef TMAIL_SHARED_TLS_CONTEXT
#include <private/qsslsocket_p.h>
#endif

namespace {

// The shared TLS context holds the session ticket keys and the TLS 1.2 session cache:
// renewing it hourly bounds what one ticket key can decrypt and how long sessions resume.
constexpr qint64 TlsContextLifetimeMs = 3600 * 1000;

} // namespace

TlsHandshakePool::TlsHandshakePool(int threads, QObject *parent) : QObject(parent)
{
    const int count = std::max(1, threads > 0 ? threads : QThread::idealThreadCount());
    for (int i = 0; i < count; ++i)
    {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QStringLiteral("smtpd-tls-%1").arg(i));
        auto worker = std::make_unique<TlsHandshakeWorker>(this, QThread::currentThread());
        worker->moveToThread(thread.get());
        thread->start();
        m_threads.push_back(std::move(thread));
        m_workers.push_back(std::move(worker));
    }
}

TlsHandshakePool::~TlsHandshakePool()
{
    QThread *home = QThread::currentThread();
    for (size_t i = 0; i < m_workers.size(); ++i)
    {
        TlsHandshakeWorker *worker = m_workers[i].get();
        QList<QSslSocket *> deleted;
        // Runs after every start already queued to the worker: each socket on that thread
        // is held by the worker by then, and is deleted there.
        QMetaObject::invokeMethod(
            worker,
            [worker, home, &deleted]() {
                deleted = worker->deleteAll();
                worker->moveToThread(home);
            },
            Qt::BlockingQueuedConnection);
        for (QSslSocket *socket : std::as_const(deleted))
        {
            m_jobs.remove(socket);
        }
        m_threads[i]->quit();
        m_threads[i]->wait();
    }
    // What is left waits on this thread: not yet handed off, or moved back with its
    // result still queued.
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it)
    {
        delete it.key();
    }
    m_jobs.clear();
    m_workers.clear();
    m_threads.clear();
}

void TlsHandshakePool::handshake(QSslSocket *socket, QObject *context, std::function<void(bool)> done)
{
    socket->setParent(nullptr); // moveToThread() refuses an object with a parent
    Job job;
    job.context = context;
    job.done = std::move(done);
    m_jobs.insert(socket, std::move(job));
    // The caller may be inside one of the socket's signals, with the socket's own code still
    // to run on this thread: the socket moves once that has returned.
    QMetaObject::invokeMethod(
        this, [this, socket]() { handOff(socket); }, Qt::QueuedConnection);
}

void TlsHandshakePool::handOff(QSslSocket *socket)
{
    const auto it = m_jobs.find(socket);
    if (it == m_jobs.end() || it->stage != Stage::Waiting)
    {
        return;
    }
    TlsHandshakeWorker *worker = m_workers[m_nextWorker].get();
    m_nextWorker = (m_nextWorker + 1) % m_workers.size();
    it->stage = Stage::Away;
    it->worker = worker;
    socket->moveToThread(worker->thread());
    QMetaObject::invokeMethod(
        worker, [worker, socket]() { worker->begin(socket); }, Qt::QueuedConnection);
}

void TlsHandshakePool::abort(QSslSocket *socket)
{
    const auto it = m_jobs.find(socket);
    if (it == m_jobs.end())
    {
        return;
    }
    switch (it->stage)
    {
    case Stage::Waiting:
        it->stage = Stage::Returned;
        socket->abort();
        QMetaObject::invokeMethod(
            this, [this, socket]() { onReturned(socket, false); }, Qt::QueuedConnection);
        break;
    case Stage::Away:
    {
        TlsHandshakeWorker *worker = it->worker;
        QMetaObject::invokeMethod(
            worker, [worker, socket]() { worker->abort(socket); }, Qt::QueuedConnection);
        break;
    }
    case Stage::Returned:
        break;
    }
}

void TlsHandshakePool::onReturned(QSslSocket *socket, bool encrypted)
{
    const auto it = m_jobs.find(socket);
    if (it == m_jobs.end())
    {
        return;
    }
    const Job job = std::move(it.value());
    m_jobs.erase(it);
    if (!job.context)
    {
        delete socket; // its session is gone
        return;
    }
    job.done(encrypted);
}

void TlsHandshakePool::renewContext()
{
    const QMutexLocker lock(&m_contextMutex);
    m_context.reset(); // sockets still using it keep it alive
}

// Qt's OpenSSL backend builds a new SSL_CTX for every socket (SSL_CTX_new, cipher list,
// certificate) and wraps the key in a new EVP_PKEY, so OpenSSL's per-key caches (RSA
// blinding, Montgomery contexts) were rebuilt on every handshake: 40% of the CPU of a
// STARTTLS session. Sockets share one context the way QHttpNetworkConnection does it:
// the first handshake makes it, the next ones reuse it. OpenSSL allows one SSL_CTX to serve
// SSL objects on several threads; Qt only changes the shared QSslContext for client
// session caching and ALPN, which smtpd's configuration leaves off (SslOptionDisableSessionSharing,
// no protocols).
void TlsHandshakePool::startServerEncryption(QSslSocket *socket)
{
#ifdef TMAIL_SHARED_TLS_CONTEXT
    std::shared_ptr<QSslContext> context;
    {
        const QMutexLocker lock(&m_contextMutex);
        if (m_context && m_contextAge.hasExpired(TlsContextLifetimeMs))
        {
            m_context.reset();
        }
        context = m_context;
    }
    if (context)
    {
        QSslSocketPrivate::checkSettingSslContext(socket, context);
        socket->startServerEncryption();
        return;
    }
    socket->startServerEncryption();
    // Null when the context could not be made (the socket reports the error) or the
    // handshake already failed: the next handshake tries again.
    context = QSslSocketPrivate::sslContext(socket);
    if (context)
    {
        const QMutexLocker lock(&m_contextMutex);
        if (!m_context)
        {
            m_context = std::move(context);
            m_contextAge.start();
        }
    }
#else
    socket->startServerEncryption();
#endif
}

TlsHandshakeWorker::TlsHandshakeWorker(TlsHandshakePool *pool, QThread *home) : m_pool(pool), m_home(home) { }

void TlsHandshakeWorker::begin(QSslSocket *socket)
{
    m_held.insert(socket);
    connect(socket, &QSslSocket::encrypted, this, [this, socket]() { settle(socket, true); });
    connect(socket, &QSslSocket::disconnected, this, [this, socket]() { settle(socket, false); });
    // Every error during a handshake ends it (a refused hello, a reset, the client gone).
    connect(socket, &QSslSocket::errorOccurred, this, [this, socket]() { settle(socket, false); });
    connect(socket, &QSslSocket::sslErrors, this, [socket]() {
        socket->ignoreSslErrors(); // a server does not verify its clients
    });
    if (socket->state() != QAbstractSocket::ConnectedState)
    {
        settle(socket, false); // the client left before the hand-off
        return;
    }
    m_pool->startServerEncryption(socket);
}

void TlsHandshakeWorker::abort(QSslSocket *socket)
{
    if (!m_held.contains(socket) || m_settled.contains(socket))
    {
        return; // already on its way back
    }
    socket->abort();
    settle(socket, false);
}

void TlsHandshakeWorker::settle(QSslSocket *socket, bool encrypted)
{
    if (!m_held.contains(socket) || m_settled.contains(socket))
    {
        return;
    }
    m_settled.insert(socket);
    disconnect(socket, nullptr, this, nullptr);
    // Called from inside the socket's signal, whose code goes on after it returns: the
    // socket moves only once that is done.
    QMetaObject::invokeMethod(
        this, [this, socket, encrypted]() { sendBack(socket, encrypted); }, Qt::QueuedConnection);
}

void TlsHandshakeWorker::sendBack(QSslSocket *socket, bool encrypted)
{
    if (!m_held.remove(socket))
    {
        return; // deleted on shutdown
    }
    m_settled.remove(socket);
    socket->moveToThread(m_home);
    TlsHandshakePool *pool = m_pool;
    QMetaObject::invokeMethod(
        pool, [pool, socket, encrypted]() { pool->onReturned(socket, encrypted); }, Qt::QueuedConnection);
}

QList<QSslSocket *> TlsHandshakeWorker::deleteAll()
{
    QList<QSslSocket *> deleted(m_held.cbegin(), m_held.cend());
    for (QSslSocket *socket : std::as_const(deleted))
    {
        disconnect(socket, nullptr, this, nullptr);
        delete socket;
    }
    m_held.clear();
    m_settled.clear();
    return deleted;
}
