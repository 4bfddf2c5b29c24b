// `tmail service`: the arguments and the helpers that every platform's registration uses.
// The registration itself is in service_<platform>.cpp, chosen by app.pri: Linux (systemd)
// is built and tested here; macOS (launchd) and Windows (SCM) are compiled only there.
#include "app/service.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

Service::Service(QTextStream &out, QTextStream &err) : m_out(out), m_err(err) { }

QString Service::help()
{
    return QStringLiteral("Usage: tmail service install [--user USER] [--dry-run] | uninstall | status\n"
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
    if (action.isEmpty() || args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h")))
    {
        (action.isEmpty() ? m_err : m_out) << help();
        return action.isEmpty() ? BadUsage : Ok;
    }
    if (action == QLatin1String("install"))
    {
        QString user = ServiceName;
        bool dryRun = false;
        for (int i = 1; i < args.size(); ++i)
        {
            if (args.at(i) == QLatin1String("--dry-run"))
            {
                dryRun = true;
            }
            else if (args.at(i) == QLatin1String("--user") && i + 1 < args.size())
            {
                user = args.at(++i);
            }
            else
            {
                m_err << "tmail service: unexpected argument '" << args.at(i) << "'\n\n" << help();
                return BadUsage;
            }
        }
        // The same rule as TMAIL_USER, so that nothing odd lands in the unit file.
        static const QRegularExpression userName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.-]{0,31}$"));
        if (!userName.match(user).hasMatch())
        {
            m_err << "tmail service: '" << user << "' is not a valid user name\n";
            return BadUsage;
        }
        return install(user, dryRun);
    }
    if (args.size() != 1)
    {
        m_err << "tmail service " << action << " takes no argument\n\n" << help();
        return BadUsage;
    }
    if (action == QLatin1String("uninstall"))
        return uninstall();
    if (action == QLatin1String("status"))
        return status();
    if (action == QLatin1String("run"))
    {
        const int code = runUnderServiceManager();
        if (code >= 0)
            return code;
    }
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
    if (!process.waitForStarted(10000) || !process.waitForFinished(120000))
    {
        process.kill();
        return -1;
    }
    m_out << QString::fromLocal8Bit(process.readAll());
    m_out.flush();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}
