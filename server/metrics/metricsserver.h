// TMAIL_METRICS_LISTEN: the metrics listener on a thread of its own, started by the daemon.
#pragma once

#include "core/expected.h"

#include <QHostAddress>
#include <QString>

#include <memory>

class MetricsListener;
class QThread;

class MetricsServer
{
public:
    MetricsServer();
    ~MetricsServer(); // closes the listener and its connections, and ends the thread
    MetricsServer(const MetricsServer &) = delete;
    MetricsServer &operator=(const MetricsServer &) = delete;

    // Binds address:port on the metrics thread; the failure names them.
    Status start(const QHostAddress &address, quint16 port);
    // "IP:PORT" or "[IPv6]:PORT" of the last start().
    const QString &address() const { return m_address; }

private:
    void stop();

    std::unique_ptr<QThread> m_thread;
    MetricsListener *m_listener = nullptr; // lives on m_thread, deleted there
    QString m_address;
};
