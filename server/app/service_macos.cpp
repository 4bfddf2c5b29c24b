// Service registration on macOS: a launchd plist.
#include "app/service.h"

#include "config/config.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <unistd.h>

QString Service::definitionPath()
{
    return QStringLiteral("/Library/LaunchDaemons/fr.toorop.tmail.plist");
}

QString Service::definition(const QString &directory, const QString &user)
{
    // The same text as packaging/macos/tmail.plist.
    return QStringLiteral(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
        "<plist version=\"1.0\">\n<dict>\n"
        "  <key>Label</key><string>fr.toorop.tmail</string>\n"
        "  <key>ProgramArguments</key><array><string>%1/run</string></array>\n"
        "  <key>WorkingDirectory</key><string>%1</string>\n"
        "  <key>EnvironmentVariables</key><dict><key>TMAIL_USER</key><string>%2</string></dict>\n"
        "  <key>RunAtLoad</key><true/>\n"
        "  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>\n"
        "  <key>StandardOutPath</key><string>/var/log/tmail.log</string>\n"
        "  <key>StandardErrorPath</key><string>/var/log/tmail.log</string>\n"
        "</dict>\n</plist>\n")
        .arg(directory.toHtmlEscaped(), user.toHtmlEscaped());
}

int Service::install(const QString &user, bool dryRun)
{
    const QString plist = definition(QCoreApplication::applicationDirPath(), user);
    if (dryRun)
    {
        m_out << plist;
        return Ok;
    }
    if (::geteuid() != 0)
        return failure(QStringLiteral("installing a service needs root (or see it with --dry-run)"));
    QFile file(definitionPath());
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(plist.toUtf8()) < 0)
        return failure(QStringLiteral("cannot write %1").arg(definitionPath()));
    file.close();
    // tmail runs with umask 077; launchd wants a plist others cannot write but can read.
    QFile::setPermissions(definitionPath(),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    // launchd starts tmail as root; tmail binds its ports, then drops to TMAIL_USER.
    return runProgram(QStringLiteral("launchctl"), { QStringLiteral("load"), QStringLiteral("-w"), definitionPath() })
            == 0
        ? Ok
        : Failure;
}

int Service::uninstall()
{
    runProgram(QStringLiteral("launchctl"), { QStringLiteral("unload"), QStringLiteral("-w"), definitionPath() });
    return QFile::remove(definitionPath()) ? Ok : failure(QStringLiteral("cannot remove %1").arg(definitionPath()));
}

int Service::status()
{
    return runProgram(QStringLiteral("launchctl"), { QStringLiteral("list"), QStringLiteral("fr.toorop.tmail") }) == 0
        ? Ok
        : Failure;
}

int Service::runUnderServiceManager()
{
    return -1; // launchd runs `tmail` itself
}
