// A throwaway smtpd for one test: its own sqlite database, store and TLS
// certificate in a temporary directory, started in-process on ports chosen by the kernel.
#pragma once

#include "config/config.h"
#include "db/database.h"
#include "smtpd/smtpd.h"

#include <functional>
#include <memory>
#include <optional>

#include <QTemporaryDir>

class SmtpTestServer
{
public:
    // certDir holds server.crt and server.key (made once per test run).
    SmtpTestServer(const QString &certDir, const std::function<void(Config &)> &tweak = {});
    ~SmtpTestServer();

    bool start(QString *error = nullptr);
    quint16 clearPort() const { return m_ports.value(0); }
    quint16 tlsPort() const { return m_ports.value(1); }
    Smtpd &smtpd() { return *m_smtpd; }
    Database &db() { return *m_db; } // the test's own connection
    const Config &config() const { return m_config; }
    QString storePath() const { return m_config.storePath; }
    int queuedCount();
    QStringList storedFiles() const; // relative paths of every file under the store

private:
    QTemporaryDir m_dir;
    Config m_config;
    std::optional<Database> m_db;
    std::unique_ptr<Smtpd> m_smtpd;
    QList<quint16> m_ports;
};
