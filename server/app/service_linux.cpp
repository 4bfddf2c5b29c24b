// Service registration on Linux: a systemd unit.
#include "app/service.h"

#include "config/configfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <unistd.h>

QString Service::definitionPath()
{
    return QStringLiteral("/etc/systemd/system/tmail.service");
}

QString Service::definition(const QString &directory, const QString &user)
{
    Q_INIT_RESOURCE(service);
    QFile unit(QStringLiteral(":/service/tmail.service"));
    if (!unit.open(QIODevice::ReadOnly))
        return QString();
    // The template's own header explains the placeholders; the written unit says where it came from.
    QString text = QString::fromUtf8(unit.readAll());
    text = QStringLiteral(
               "# tmail as a systemd service, written by `tmail service install` (see tmail service --help).\n")
        + text.mid(text.indexOf(QStringLiteral("[Unit]")));
    // systemd splits ReadWritePaths on spaces: a directory with spaces needs quoting.
    const QString quotedDir
        = directory.contains(QLatin1Char(' ')) ? QLatin1Char('"') + directory + QLatin1Char('"') : directory;
    text.replace(QStringLiteral("@TMAIL_DIR@"), quotedDir);
    text.replace(QStringLiteral("@TMAIL_USER@"), user);
    return text;
}

int Service::install(const QString &user, bool dryRun)
{
    const QString directory = QCoreApplication::applicationDirPath();
    const QString unit = definition(directory, user);
    if (unit.isEmpty())
        return failure(QStringLiteral("the unit template is missing from this binary"));
    if (dryRun)
    {
        m_out << "# " << definitionPath() << '\n' << unit;
        return Ok;
    }
    if (::geteuid() != 0)
        return failure(QStringLiteral("installing a service needs root (or see it with --dry-run)"));
    if (!QFileInfo::exists(directory + QStringLiteral("/run")))
        return failure(QStringLiteral("%1/run is missing: install from the unzipped tmail directory").arg(directory));

    QProcess idCheck;
    idCheck.start(QStringLiteral("id"), { QStringLiteral("-u"), user });
    const bool userExists = idCheck.waitForFinished(10000) && idCheck.exitCode() == 0;
    if (!userExists)
    {
        m_out << "creating system user " << user << '\n';
        m_out.flush();
        if (runProgram(QStringLiteral("useradd"),
                { QStringLiteral("--system"), QStringLiteral("--no-create-home"), QStringLiteral("--home-dir"),
                    directory, QStringLiteral("--shell"), QStringLiteral("/usr/sbin/nologin"),
                    QStringLiteral("--user-group"), user })
            != 0)
            return failure(QStringLiteral("cannot create user %1 (useradd --system %1)").arg(user));
    }
    // run makes conf/tmail.cfg and a self-signed certificate when missing; db init makes
    // or upgrades the tables. Both as root, before the data is handed to the user.
    const QString runScript = directory + QStringLiteral("/run");
    QProcess prepare;
    prepare.setWorkingDirectory(directory);
    prepare.setProcessChannelMode(QProcess::ForwardedChannels);
    prepare.start(runScript, { QStringLiteral("db"), QStringLiteral("init") });
    if (!prepare.waitForFinished(120000) || prepare.exitCode() != 0)
        return failure(QStringLiteral("`%1 db init` failed; fix conf/tmail.cfg and try again").arg(runScript));

    // conf/, ssl/, db/ and store/ become the service user's alone (0700 directories, 0600
    // files): it must read the config and the key, and nobody else may.
    QStringList owned;
    for (const QString &name :
        { QStringLiteral("conf"), QStringLiteral("ssl"), QStringLiteral("db"), QStringLiteral("store") })
    {
        QDir(directory).mkpath(name);
        owned << directory + QLatin1Char('/') + name;
    }
    if (QFileInfo::exists(directory + QStringLiteral("/log")))
        owned << directory + QStringLiteral("/log");
    if (runProgram(QStringLiteral("chown"), QStringList { QStringLiteral("-R"), user + QLatin1Char(':') } + owned) != 0)
        return failure(QStringLiteral("cannot give %1 to %2").arg(owned.join(QStringLiteral(", ")), user));
    owned.removeAll(directory + QStringLiteral("/log"));
    if (runProgram(QStringLiteral("chmod"), QStringList { QStringLiteral("-R"), QStringLiteral("go-rwx") } + owned)
        != 0)
        return failure(QStringLiteral("cannot make %1 private").arg(owned.join(QStringLiteral(", "))));

    QFile file(definitionPath());
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(unit.toUtf8()) < 0)
        return failure(QStringLiteral("cannot write %1: %2").arg(definitionPath(), file.errorString()));
    file.close();
    // tmail runs with umask 077; systemd and administrators read the unit.
    QFile::setPermissions(definitionPath(),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    m_out << "wrote " << definitionPath() << " (tmail in " << directory << ", user " << user << ")\n";

    const Expected<QHash<QString, QString>> variables
        = ConfigFile::readValues(directory + QStringLiteral("/conf/tmail.cfg"));
    const QString logPath = variables ? variables->value(QStringLiteral("TMAIL_LOGPATH")) : QString();
    if (!logPath.isEmpty() && logPath != QLatin1String("stdout")
        && QFileInfo::exists(QStringLiteral("/etc/logrotate.d")))
    {
        // tmail reopens the file on SIGUSR1: the rotation needs no copytruncate.
        QFile rotateTemplate(QStringLiteral(":/service/tmail.logrotate"));
        const QString logFile
            = QDir::cleanPath(QDir(directory).absoluteFilePath(logPath) + QStringLiteral("/tmail.log"));
        QFile rotate(QStringLiteral("/etc/logrotate.d/tmail"));
        if (rotateTemplate.open(QIODevice::ReadOnly) && rotate.open(QIODevice::WriteOnly | QIODevice::Truncate))
        {
            QString text = QString::fromUtf8(rotateTemplate.readAll());
            text.replace(QStringLiteral("@TMAIL_LOGFILE@"), logFile).replace(QStringLiteral("@TMAIL_USER@"), user);
            rotate.write(text.toUtf8());
            rotate.close();
            rotate.setPermissions(
                QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
            m_out << "wrote /etc/logrotate.d/tmail (rotates " << logFile << ", then SIGUSR1 reopens it)\n";
        }
    }
    if (variables && !variables->value(QStringLiteral("TMAIL_MANAGER_SOCKET")).startsWith(QLatin1Char('/')))
        m_out << "note: the unit has PrivateTmp; for tmail-manager to reach the daemon set\n"
                 "      TMAIL_MANAGER_SOCKET=\"/run/tmail/manager.sock\" in conf/tmail.cfg\n";

    if (QFileInfo::exists(QStringLiteral("/run/systemd/system"))
        && runProgram(QStringLiteral("systemctl"), { QStringLiteral("daemon-reload") }) == 0
        && runProgram(QStringLiteral("systemctl"), { QStringLiteral("enable"), ServiceName }) == 0)
    {
        m_out << "enabled; start it with: systemctl start tmail\n";
        return Ok;
    }
    m_out << "systemd is not running here; on the machine's systemd run:\n"
             "  systemctl daemon-reload && systemctl enable --now tmail\n";
    return Ok;
}

int Service::uninstall()
{
    if (::geteuid() != 0)
        return failure(QStringLiteral("removing a service needs root"));
    const bool systemd = QFileInfo::exists(QStringLiteral("/run/systemd/system"));
    if (systemd)
        runProgram(QStringLiteral("systemctl"), { QStringLiteral("disable"), QStringLiteral("--now"), ServiceName });
    if (QFileInfo::exists(definitionPath()) && !QFile::remove(definitionPath()))
        return failure(QStringLiteral("cannot remove %1").arg(definitionPath()));
    if (systemd)
        runProgram(QStringLiteral("systemctl"), { QStringLiteral("daemon-reload") });
    QFile::remove(QStringLiteral("/etc/logrotate.d/tmail"));
    m_out << "removed " << definitionPath() << "; db/, store/ and the user are kept\n";
    return Ok;
}

int Service::status()
{
    const bool present = QFileInfo::exists(definitionPath());
    if (QFileInfo::exists(QStringLiteral("/run/systemd/system")))
    {
        const int code = runProgram(
            QStringLiteral("systemctl"), { QStringLiteral("status"), QStringLiteral("--no-pager"), ServiceName });
        if (code >= 0)
            return code == 0 ? Ok : Failure;
    }
    m_out << definitionPath() << (present ? " is installed" : " is not installed")
          << "; systemd is not running here, so its state is unknown\n";
    return present ? Ok : Failure;
}

int Service::runUnderServiceManager()
{
    return -1; // systemd runs `tmail` itself
}
