// The metrics thread: the listener is made, bound and deleted there, so that its sockets
// and timers belong to that thread's event loop and never to the SMTP one.
#include "metrics/metricsserver.h"

#include "metrics/metricslistener.h"

#include <QThread>

MetricsServer::MetricsServer() = default;

MetricsServer::~MetricsServer()
{
    stop();
}

Status MetricsServer::start(const QHostAddress &address, quint16 port)
{
    stop();
    m_address = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]:%2").arg(address.toString()).arg(port)
        : QStringLiteral("%1:%2").arg(address.toString()).arg(port);
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("metrics"));
    m_listener = new MetricsListener; // no parent: it moves to m_thread, which deletes it in stop()
    m_listener->moveToThread(m_thread.get());
    m_thread->start();
    MetricsListener *listener = m_listener;
    QString error;
    // Once, at start: the daemon reports a port it cannot bind before it runs.
    QMetaObject::invokeMethod(
        listener,
        [listener, address, port, &error]() {
            if (!listener->listen(address, port))
                error = listener->errorString();
        },
        Qt::BlockingQueuedConnection);
    if (!error.isEmpty())
    {
        stop();
        return Status::failure(
            ErrorKind::Unavailable, QStringLiteral("metrics: cannot listen on %1: %2").arg(m_address, error));
    }
    return {};
}

void MetricsServer::stop()
{
    if (!m_thread)
        return;
    MetricsListener *listener = m_listener;
    QMetaObject::invokeMethod(listener, [listener]() {
        delete listener; // with its connections, in their thread
        QThread::currentThread()->quit();
    });
    m_thread->wait();
    m_thread.reset();
    m_listener = nullptr;
}
