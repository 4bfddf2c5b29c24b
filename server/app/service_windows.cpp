// Service registration on Windows: the Service Control Manager, which starts
// `tmail service run`.
#include "app/service.h"

#include "app/daemon.h"
#include "config/config.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <windows.h>

#include <thread>

namespace {

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
    if (control == SERVICE_CONTROL_STOP || control == SERVICE_CONTROL_SHUTDOWN)
    {
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

} // namespace

QString Service::definitionPath()
{
    return QStringLiteral("Service Control Manager: tmail");
}

QString Service::definition(const QString &directory, const QString &)
{
    return QStringLiteral(
        "sc.exe create tmail binPath= \"\\\"%1\\tmail.exe\\\" service run\" start= auto DisplayName= tmail")
        .arg(QDir::toNativeSeparators(directory));
}

int Service::install(const QString &user, bool dryRun)
{
    Q_UNUSED(user) // the service runs as LocalSystem; Windows has no port below 1024 restriction
    const QString binary = QDir::toNativeSeparators(QCoreApplication::applicationFilePath());
    if (dryRun)
    {
        m_out << definition(QCoreApplication::applicationDirPath(), user) << '\n';
        return Ok;
    }
    return runProgram(QStringLiteral("sc.exe"),
               { QStringLiteral("create"), ServiceName, QStringLiteral("binPath="),
                   QLatin1Char('"') + binary + QStringLiteral("\" service run"), QStringLiteral("start="),
                   QStringLiteral("auto") })
            == 0
        ? Ok
        : Failure;
}

int Service::uninstall()
{
    runProgram(QStringLiteral("sc.exe"), { QStringLiteral("stop"), ServiceName });
    return runProgram(QStringLiteral("sc.exe"), { QStringLiteral("delete"), ServiceName }) == 0 ? Ok : Failure;
}

int Service::status()
{
    return runProgram(QStringLiteral("sc.exe"), { QStringLiteral("query"), ServiceName }) == 0 ? Ok : Failure;
}

int Service::runUnderServiceManager()
{
    // Started by the SCM: the dispatcher blocks, so it gets its own thread.
    Expected<Config> config = Config::load(m_configPath);
    if (!config)
        return failure(config.error());
    Daemon daemon(std::move(config).value());
    std::thread dispatcher([]() {
        SERVICE_TABLE_ENTRYW table[] = { { const_cast<LPWSTR>(L"tmail"), serviceMain }, { nullptr, nullptr } };
        StartServiceCtrlDispatcherW(table);
    });
    const int started = daemon.start();
    const int code = started != 0 ? started : QCoreApplication::exec();
    reportStatus(SERVICE_STOPPED);
    dispatcher.join();
    return code;
}
