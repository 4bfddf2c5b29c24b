// Service registration per platform. Linux (systemd) is built and tested here; the
// macOS (launchd) and Windows (SCM) branches are compiled only on those systems.
#include "cli/service.h"

#include "config/config.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#ifdef Q_OS_WIN
#include "cli/daemon.h"

#include <windows.h>

#include <thread>
#endif

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace {

constexpr int Ok = 0;
constexpr int Failure = 1;
constexpr int BadUsage = 2;

const QString ServiceName = QStringLiteral("tmail");

#ifdef Q_OS_WIN
// The Service Control Manager talks to the process on its own threads; the daemon
// keeps running on the main thread's event loop and is stopped through it.
SERVICE_STATUS_HANDLE statusHandle = nullptr;
SERVICE_STATUS serviceStatus = {};

void reportStatus(DWORD state)
{
    serviceStatus.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    serviceStatus.dwCurrentState = state;
    serviceStatus.dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
    SetServiceStatus(statusHandle, &serviceStatus);
}

DWORD WINAPI onControl(DWORD control, DWORD, LPVOID, LPVOID)
{
    if (control == SERVICE_CONTROL_STOP || control == SERVICE_CONTROL_SHUTDOWN) {
        reportStatus(SERVICE_STOP_PENDING);
        QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection);
    }
    return NO_ERROR;
}

void WINAPI serviceMain(DWORD, LPWSTR *)
{
    statusHandle = RegisterServiceCtrlHandlerExW(L"tmail", onControl, nullptr);
    reportStatus(SERVICE_RUNNING);
}
#endif

} // namespace

Service::Service(QTextStream &out, QTextStream &err)
    : m_out(out)
    , m_err(err)
{
}

QString Service::help()
{
    return QStringLiteral(
        "Usage: tmail service install [--user USER] [--dry-run] | uninstall | status\n"
        "\n"
        "  install     register tmail (this directory) with the system's service manager.\n"
        "              Linux: creates USER (default tmail) if missing, prepares conf/, ssl/ and\n"
        "              the database, gives db/ and store/ to USER, writes\n"
        "              /etc/systemd/system/tmail.service (binds 25/465/587 through\n"
        "              CAP_NET_BIND_SERVICE) and enables it.\n"
        "  --dry-run   print the service definition, change nothing\n"
        "  uninstall   stop, disable and remove the service definition (data is kept)\n"
        "  status      the service manager's view of tmail\n"
        "\n"
        "Reload the configuration with `systemctl reload tmail` (SIGHUP).\n");
}

int Service::run(const QStringList &args, const QString &configPath)
{
    m_configPath = configPath;
    const QString action = args.value(0);
    if (action.isEmpty() || args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))) {
        (action.isEmpty() ? m_err : m_out) << help();
        return action.isEmpty() ? BadUsage : Ok;
    }
    if (action == QLatin1String("install")) {
        QString user = ServiceName;
        bool dryRun = false;
        for (int i = 1; i < args.size(); ++i) {
            if (args.at(i) == QLatin1String("--dry-run")) {
                dryRun = true;
            } else if (args.at(i) == QLatin1String("--user") && i + 1 < args.size()) {
                user = args.at(++i);
            } else {
                m_err << "tmail service: unexpected argument '" << args.at(i) << "'\n\n" << help();
                return BadUsage;
            }
        }
        // The same rule as TMAIL_USER, so that nothing odd lands in the unit file.
        static const QRegularExpression userName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.-]{0,31}$"));
        if (!userName.match(user).hasMatch()) {
            m_err << "tmail service: '" << user << "' is not a valid user name\n";
            return BadUsage;
        }
        return install(user, dryRun);
    }
    if (args.size() != 1) {
        m_err << "tmail service " << action << " takes no argument\n\n" << help();
        return BadUsage;
    }
    if (action == QLatin1String("uninstall"))
        return uninstall();
    if (action == QLatin1String("status"))
        return status();
#ifdef Q_OS_WIN
    if (action == QLatin1String("run")) {
        // Started by the SCM: the dispatcher blocks, so it gets its own thread.
        Expected<Config> config = Config::load(m_configPath);
        if (!config)
            return failure(config.error());
        Daemon daemon(std::move(config).value());
        std::thread dispatcher([]() {
            SERVICE_TABLE_ENTRYW table[] = {{const_cast<LPWSTR>(L"tmail"), serviceMain}, {nullptr, nullptr}};
            StartServiceCtrlDispatcherW(table);
        });
        const int started = daemon.start();
        const int code = started != 0 ? started : QCoreApplication::exec();
        reportStatus(SERVICE_STOPPED);
        dispatcher.join();
        return code;
    }
#endif
    m_err << "tmail service: unknown action '" << action << "'\n\n" << help();
    return BadUsage;
}

int Service::failure(const QString &message)
{
    m_err << "tmail service: " << message << '\n';
    return Failure;
}

int Service::runProgram(const QString &program, const QStringList &args)
{
    const QString path = QStandardPaths::findExecutable(program);
    if (path.isEmpty())
        return -1;
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(path, args);
    if (!process.waitForStarted(10000) || !process.waitForFinished(120000)) {
        process.kill();
        return -1;
    }
    m_out << QString::fromLocal8Bit(process.readAll());
    m_out.flush();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

#if defined(Q_OS_LINUX)

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
    text = QStringLiteral("# tmail as a systemd service, written by `tmail service install` (see tmail service --help).\n")
        + text.mid(text.indexOf(QStringLiteral("[Unit]")));
    // systemd splits ReadWritePaths on spaces: a directory with spaces needs quoting.
    const QString quotedDir = directory.contains(QLatin1Char(' ')) ? QLatin1Char('"') + directory + QLatin1Char('"') : directory;
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
    if (dryRun) {
        m_out << "# " << definitionPath() << '\n' << unit;
        return Ok;
    }
    if (::geteuid() != 0)
        return failure(QStringLiteral("installing a service needs root (or see it with --dry-run)"));
    if (!QFileInfo::exists(directory + QStringLiteral("/run")))
        return failure(QStringLiteral("%1/run is missing: install from the unzipped tmail directory").arg(directory));

    QProcess idCheck;
    idCheck.start(QStringLiteral("id"), {QStringLiteral("-u"), user});
    const bool userExists = idCheck.waitForFinished(10000) && idCheck.exitCode() == 0;
    if (!userExists) {
        m_out << "creating system user " << user << '\n';
        m_out.flush();
        if (runProgram(QStringLiteral("useradd"), {QStringLiteral("--system"), QStringLiteral("--no-create-home"),
                                                   QStringLiteral("--home-dir"), directory, QStringLiteral("--shell"),
                                                   QStringLiteral("/usr/sbin/nologin"), QStringLiteral("--user-group"), user})
            != 0)
            return failure(QStringLiteral("cannot create user %1 (useradd --system %1)").arg(user));
    }
    // run makes conf/tmail.cfg and a self-signed certificate when missing; db init makes
    // or upgrades the tables. Both as root, before the data is handed to the user.
    const QString runScript = directory + QStringLiteral("/run");
    QProcess prepare;
    prepare.setWorkingDirectory(directory);
    prepare.setProcessChannelMode(QProcess::ForwardedChannels);
    prepare.start(runScript, {QStringLiteral("db"), QStringLiteral("init")});
    if (!prepare.waitForFinished(120000) || prepare.exitCode() != 0)
        return failure(QStringLiteral("`%1 db init` failed; fix conf/tmail.cfg and try again").arg(runScript));

    QDir(directory).mkpath(QStringLiteral("db"));
    QDir(directory).mkpath(QStringLiteral("store"));
    QStringList owned = {directory + QStringLiteral("/db"), directory + QStringLiteral("/store")};
    if (QFileInfo::exists(directory + QStringLiteral("/log")))
        owned << directory + QStringLiteral("/log");
    if (runProgram(QStringLiteral("chown"), QStringList{QStringLiteral("-R"), user + QLatin1Char(':')} + owned) != 0)
        return failure(QStringLiteral("cannot give %1 to %2").arg(owned.join(QStringLiteral(", ")), user));
    // The service runs as the user from its first instruction: run sources conf/tmail.cfg
    // (mode 600, root's) and tmail reads the key, both kept unreadable to others.
    const QString configFile = directory + QStringLiteral("/conf/tmail.cfg");
    if (runProgram(QStringLiteral("chgrp"), {user, configFile}) == 0)
        QFile::setPermissions(configFile, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup);
    const QString key = directory + QStringLiteral("/ssl/server.key");
    if (QFileInfo::exists(key))
        runProgram(QStringLiteral("chown"), {user + QLatin1Char(':'), key});

    QFile file(definitionPath());
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(unit.toUtf8()) < 0)
        return failure(QStringLiteral("cannot write %1: %2").arg(definitionPath(), file.errorString()));
    file.close();
    m_out << "wrote " << definitionPath() << " (tmail in " << directory << ", user " << user << ")\n";

    const Expected<QHash<QString, QString>> variables = Config::readFile(directory + QStringLiteral("/conf/tmail.cfg"));
    if (variables && !variables->value(QStringLiteral("TMAIL_MANAGER_SOCKET")).startsWith(QLatin1Char('/')))
        m_out << "note: the unit has PrivateTmp; for tmail-manager to reach the daemon set\n"
                 "      TMAIL_MANAGER_SOCKET=\"/run/tmail/manager.sock\" in conf/tmail.cfg\n";

    if (QFileInfo::exists(QStringLiteral("/run/systemd/system"))
        && runProgram(QStringLiteral("systemctl"), {QStringLiteral("daemon-reload")}) == 0
        && runProgram(QStringLiteral("systemctl"), {QStringLiteral("enable"), ServiceName}) == 0) {
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
        runProgram(QStringLiteral("systemctl"), {QStringLiteral("disable"), QStringLiteral("--now"), ServiceName});
    if (QFileInfo::exists(definitionPath()) && !QFile::remove(definitionPath()))
        return failure(QStringLiteral("cannot remove %1").arg(definitionPath()));
    if (systemd)
        runProgram(QStringLiteral("systemctl"), {QStringLiteral("daemon-reload")});
    m_out << "removed " << definitionPath() << "; db/, store/ and the user are kept\n";
    return Ok;
}

int Service::status()
{
    const bool present = QFileInfo::exists(definitionPath());
    if (QFileInfo::exists(QStringLiteral("/run/systemd/system"))) {
        const int code = runProgram(QStringLiteral("systemctl"), {QStringLiteral("status"), QStringLiteral("--no-pager"), ServiceName});
        if (code >= 0)
            return code == 0 ? Ok : Failure;
    }
    m_out << definitionPath() << (present ? " is installed" : " is not installed")
          << "; systemd is not running here, so its state is unknown\n";
    return present ? Ok : Failure;
}

#elif defined(Q_OS_MACOS)

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
    if (dryRun) {
        m_out << plist;
        return Ok;
    }
    if (::geteuid() != 0)
        return failure(QStringLiteral("installing a service needs root (or see it with --dry-run)"));
    QFile file(definitionPath());
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(plist.toUtf8()) < 0)
        return failure(QStringLiteral("cannot write %1").arg(definitionPath()));
    file.close();
    // launchd starts tmail as root; tmail binds its ports, then drops to TMAIL_USER.
    return runProgram(QStringLiteral("launchctl"), {QStringLiteral("load"), QStringLiteral("-w"), definitionPath()}) == 0 ? Ok : Failure;
}

int Service::uninstall()
{
    runProgram(QStringLiteral("launchctl"), {QStringLiteral("unload"), QStringLiteral("-w"), definitionPath()});
    return QFile::remove(definitionPath()) ? Ok : failure(QStringLiteral("cannot remove %1").arg(definitionPath()));
}

int Service::status()
{
    return runProgram(QStringLiteral("launchctl"), {QStringLiteral("list"), QStringLiteral("fr.toorop.tmail")}) == 0 ? Ok : Failure;
}

#elif defined(Q_OS_WIN)

QString Service::definitionPath()
{
    return QStringLiteral("Service Control Manager: tmail");
}

QString Service::definition(const QString &directory, const QString &)
{
    return QStringLiteral("sc.exe create tmail binPath= \"\\\"%1\\tmail.exe\\\" service run\" start= auto DisplayName= tmail")
        .arg(QDir::toNativeSeparators(directory));
}

int Service::install(const QString &user, bool dryRun)
{
    Q_UNUSED(user) // the service runs as LocalSystem; Windows has no port below 1024 restriction
    const QString binary = QDir::toNativeSeparators(QCoreApplication::applicationFilePath());
    if (dryRun) {
        m_out << definition(QCoreApplication::applicationDirPath(), user) << '\n';
        return Ok;
    }
    return runProgram(QStringLiteral("sc.exe"),
                      {QStringLiteral("create"), ServiceName, QStringLiteral("binPath="),
                       QLatin1Char('"') + binary + QStringLiteral("\" service run"), QStringLiteral("start="), QStringLiteral("auto")})
               == 0
        ? Ok
        : Failure;
}

int Service::uninstall()
{
    runProgram(QStringLiteral("sc.exe"), {QStringLiteral("stop"), ServiceName});
    return runProgram(QStringLiteral("sc.exe"), {QStringLiteral("delete"), ServiceName}) == 0 ? Ok : Failure;
}

int Service::status()
{
    return runProgram(QStringLiteral("sc.exe"), {QStringLiteral("query"), ServiceName}) == 0 ? Ok : Failure;
}

#else

QString Service::definitionPath()
{
    return QString();
}

QString Service::definition(const QString &, const QString &)
{
    return QString();
}

int Service::install(const QString &, bool)
{
    return failure(QStringLiteral("no service manager is supported on this system"));
}

int Service::uninstall()
{
    return install(QString(), false);
}

int Service::status()
{
    return install(QString(), false);
}

#endif
