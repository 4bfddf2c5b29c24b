// A tmail with its manager socket for tests: the real binary when it serves the manager
// socket, else the same Smtpd and ManagerServer classes run inside the test process.
#pragma once

#include "config/config.h"
#include "tmailprocess.h"

#include <memory>

#include <QHash>
#include <QProcess>
#include <QString>

class ManagerServer;
class Smtpd;

class ManagerTestDaemon
{
public:
    ManagerTestDaemon();
    ~ManagerTestDaemon();

    // A setting of conf/tmail.cfg other than the fixture's own; call before start().
    void setSetting(const QString &name, const QString &value) { m_extraSettings.insert(name, value); }
    // Prepares the directory, conf/tmail.cfg and the database, then starts tmail.
    bool start(QString *error);
    void stop();

    bool inProcess() const { return m_manager != nullptr; }
    QString socketPath() const { return m_env.path(QStringLiteral("manager.sock")); }
    QString configPath() const { return m_env.path(QStringLiteral("conf/tmail.cfg")); }
    quint16 smtpPort() const { return m_smtpPort; }
    TmailEnvironment &environment() { return m_env; }
    // `tmail ARGS…` against the same database (the command line, as an operator would).
    TmailRun tmail(const QStringList &args) const { return m_env.run(args); }

private:
    bool startBinary();
    bool startInProcess(QString *error);

    TmailEnvironment m_env;
    QHash<QString, QString> m_extraSettings;
    quint16 m_smtpPort = 0;
    QProcess m_process;
    std::unique_ptr<Smtpd> m_smtpd;
    std::unique_ptr<ManagerServer> m_manager;
};
