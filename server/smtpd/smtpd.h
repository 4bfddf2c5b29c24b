// The receiving half of tmail: every listener of TMAIL_SMTPD_DSNS, their sessions,
// and the hand-off of accepted messages to the durable queue.
#pragma once

#include "config/config.h"
#include "core/expected.h"

#include <QObject>

class Smtpd : public QObject
{
    Q_OBJECT
public:
    explicit Smtpd(const Config &config, QObject *parent = nullptr);
    ~Smtpd() override;

    // Binds every listener and starts the worker threads (queue writer, database).
    // Logs "smtpd IP:PORT launched." / "smtpd IP:PORT SSL launched." per listener.
    // Fails (nothing left bound) with a message naming the listener that could not bind.
    Status start();

    // Stops accepting, answers 421 4.7.0 to sessions that are idle, lets those in DATA
    // finish (bounded), and flushes the queue writer. Emits stopped() when done.
    void stop();

signals:
    void stopped();
};
