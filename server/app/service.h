// `tmail service install|uninstall|status`: registers tmail with the system's service
// manager (systemd on Linux, launchd on macOS, the Service Control Manager on Windows).
#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

class Service
{
public:
    Service(QTextStream &out, QTextStream &err);

    // args: what follows `tmail service`. Returns the process exit code.
    int run(const QStringList &args, const QString &configPath);

    static QString help();
    // The service definition for a tmail installed in directory, running as user
    // (the systemd unit on Linux, the launchd plist on macOS).
    static QString definition(const QString &directory, const QString &user);
    // Where install writes that definition.
    static QString definitionPath();

private:
    static constexpr int Ok = 0;
    static constexpr int Failure = 1;
    static constexpr int BadUsage = 2;
    inline static const QString ServiceName = QStringLiteral("tmail");

    // Windows: `tmail service run`, started by the Service Control Manager. Elsewhere -1
    // (the service manager runs `tmail` itself).
    int runUnderServiceManager();
    int install(const QString &user, bool dryRun);
    int uninstall();
    int status();
    // Runs a helper program to completion, echoing its output; returns its exit code (-1: not run).
    int runProgram(const QString &program, const QStringList &args);
    int failure(const QString &message);

    QTextStream &m_out;
    QTextStream &m_err;
    QString m_configPath;
};
