// The TLS handshakes of smtpd (implicit TLS and STARTTLS) on worker threads, so that
// smtpd's event loop only moves bytes while the CPU-heavy key exchanges run on every core.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QSet>

class QSslContext;
class QSslSocket;
class QThread;
class TlsHandshakeWorker;

// How a socket travels (every step on the thread the socket then lives in, so that no
// QObject is ever touched from two threads):
//  1. handshake() takes the parentless socket and posts the hand-off to this thread's event
//     loop, so that the caller (often inside one of the socket's own signals) has returned
//     before the socket moves. The caller does not touch the socket until done runs.
//  2. The hand-off moves the socket to a worker (QObject::moveToThread carries its children:
//     the plain QTcpSocket, its socket engine and notifiers, its timers and posted events;
//     Qt's TLS backend object holds no timers or connections) and queues the start there.
//  3. The worker starts the server handshake on the shared TLS context and waits for
//     encrypted() or a failure (error, client gone, abort()). Bytes the client sends after
//     its Finished stay in the socket's buffer.
//  4. Once the socket's signal has returned, the worker moves it back to the pool's thread
//     and queues the result here; done(true/false) then runs on the pool's thread, which may
//     read and write the socket again. When done's context is gone the pool deletes the socket.
class TlsHandshakePool : public QObject
{
    Q_OBJECT
public:
    // threads <= 0: QThread::idealThreadCount() workers (at least one).
    explicit TlsHandshakePool(int threads = 0, QObject *parent = nullptr);
    // Deletes the sockets still handshaking (on their worker) and stops the workers.
    ~TlsHandshakePool() override;

    // Runs socket->startServerEncryption() on a worker. socket must have no parent and its
    // TLS configuration set. done runs on this thread with the socket back on this thread,
    // unless context is destroyed first (then the socket is deleted here).
    void handshake(QSslSocket *socket, QObject *context, std::function<void(bool encrypted)> done);
    // Cuts the handshake of socket (a timeout, a shutdown): its done runs with false.
    void abort(QSslSocket *socket);
    int handshakesInProgress() const { return int(m_jobs.size()); }
    int threadCount() const { return int(m_workers.size()); }

    // The next handshakes build a new TLS context (after a certificate reload). Thread-safe.
    void renewContext();
    // On a worker thread: socket->startServerEncryption() on the context every handshake
    // shares (renewed hourly), so that handshakes reuse one SSL_CTX and key and clients
    // resume with its session tickets. Thread-safe.
    void startServerEncryption(QSslSocket *socket);

private:
    enum class Stage
    {
        Waiting, // on this thread, hand-off posted
        Away, // on a worker
        Returned, // back on this thread, result posted
    };
    struct Job
    {
        QPointer<QObject> context;
        std::function<void(bool)> done;
        Stage stage = Stage::Waiting;
        TlsHandshakeWorker *worker = nullptr;
    };

    void handOff(QSslSocket *socket);
    void onReturned(QSslSocket *socket, bool encrypted);
    friend class TlsHandshakeWorker;

    std::vector<std::unique_ptr<QThread>> m_threads;
    std::vector<std::unique_ptr<TlsHandshakeWorker>> m_workers;
    size_t m_nextWorker = 0;
    QHash<QSslSocket *, Job> m_jobs;

    QMutex m_contextMutex;
    std::shared_ptr<QSslContext> m_context; // Qt's OpenSSL context, made by a first handshake
    QElapsedTimer m_contextAge;
};

// One worker thread's side of the pool: lives in that thread.
class TlsHandshakeWorker : public QObject
{
    Q_OBJECT
public:
    TlsHandshakeWorker(TlsHandshakePool *pool, QThread *home);

    void begin(QSslSocket *socket);
    void abort(QSslSocket *socket);
    // Deletes every socket held here; returns them (on shutdown).
    QList<QSslSocket *> deleteAll();

private:
    void settle(QSslSocket *socket, bool encrypted);
    void sendBack(QSslSocket *socket, bool encrypted);

    TlsHandshakePool *m_pool;
    QThread *m_home; // the pool's thread
    QSet<QSslSocket *> m_held; // on this thread, result not yet posted
    QSet<QSslSocket *> m_settled; // outcome known, move back posted
};
