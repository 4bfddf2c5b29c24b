// Checking and showing tmail's settings through the same reader the daemon uses
// (Config::locate, Config::check), so that what passes here starts.
#include "cli/configcommand.h"

#include "cli/commandline.h"
#include "config/config.h"
#include "config/configfile.h"
#include "config/configregistry.h"

#include <QFile>
#include <QFileInfo>

ConfigCommand::ConfigCommand(QTextStream &out, QTextStream &err, const QString &configPath)
    : m_out(out), m_err(err), m_configPath(configPath)
{ }

QString ConfigCommand::usage()
{
    return QStringLiteral(
        "Usage: tmail config check [FILE] | show [--all]\n"
        "  check [FILE]   validate FILE (default: the settings tmail would use) without starting\n"
        "                 anything; every bad value is listed with its line. Exit 0 when valid, 2 when not\n"
        "  show           the effective settings that differ from the defaults, as NAME=VALUE\n"
        "                 (--all: every setting); passwords are shown as ***\n");
}

int ConfigCommand::usageError(const QString &message)
{
    m_err << "tmail: " << message << "\n\n" << usage();
    m_err.flush();
    return CommandLine::BadUsage;
}

int ConfigCommand::run(const QStringList &args)
{
    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h")))
    {
        m_out << usage();
        return CommandLine::Ok;
    }
    const QString sub = args.value(0);
    const QStringList operands = args.mid(1);
    if (sub == QLatin1String("check"))
    {
        if (operands.size() > 1 || (operands.size() == 1 && operands.first().startsWith(QLatin1Char('-'))))
            return usageError(QStringLiteral("config check takes at most one FILE"));
        return check(operands);
    }
    if (sub == QLatin1String("show"))
    {
        const bool all = operands == QStringList { QStringLiteral("--all") };
        if (!operands.isEmpty() && !all)
            return usageError(QStringLiteral("config show takes no argument but --all"));
        return show(all);
    }
    return usageError(sub.isEmpty() ? QStringLiteral("config needs a subcommand")
                                    : QStringLiteral("unknown config subcommand '%1'").arg(sub));
}

int ConfigCommand::check(const QStringList &operands)
{
    // A FILE given is checked as it is, whatever the environment holds.
    const Expected<QString> path
        = operands.isEmpty() ? Config::locateFile(m_configPath) : Expected<QString>(operands.first());
    if (!path)
        return failed(path.error());
    Config::Source source;
    QStringList lineErrors; // lines that are no NAME="value" assignment of a known variable
    QHash<QString, int> lines; // the line of each variable: the last that sets it, as in the shell
    if (path->isEmpty())
    {
        source = Config::locate(QString()).value();
    }
    else
    {
        QFile file(path.value());
        if (!file.open(QIODevice::ReadOnly))
            return failed(QStringLiteral("unable to read config file %1: %2").arg(path.value(), file.errorString()));
        source.filePath = QFileInfo(path.value()).absoluteFilePath();
        source.baseDir = Config::baseDirFor(path.value());
        // Leniently: the values of the good lines are checked too.
        const ConfigFile parsed
            = ConfigFile::parseLeniently(QString::fromUtf8(file.readAll()), source.filePath, &lineErrors);
        source.variables = parsed.values();
        for (const ConfigFile::Assignment &assignment : parsed.assignments())
            lines.insert(assignment.name, assignment.line);
    }
    const QString origin = source.description();

    const QList<ConfigFault> faults = Config::check(source.variables, source.baseDir);
    if (faults.isEmpty() && lineErrors.isEmpty())
    {
        m_out << origin << ": " << source.variables.size() << " settings, valid\n";
        return CommandLine::Ok;
    }
    for (const QString &error : lineErrors)
        m_err << error << '\n';
    for (const ConfigFault &fault : faults)
    {
        QString where = origin;
        if (lines.contains(fault.variable))
            where += QStringLiteral(" line %1").arg(lines.value(fault.variable));
        else if (!source.variables.contains(fault.variable))
            where += QStringLiteral(" (%1 not set, its default)").arg(fault.variable);
        const QString message = fault.message.startsWith(fault.variable)
            ? fault.message
            : fault.variable + QStringLiteral(": ") + fault.message;
        m_err << where << ": " << message << '\n';
    }
    const qsizetype count = lineErrors.size() + faults.size();
    m_err << origin << ": " << count << (count == 1 ? " bad value" : " bad values") << ", not valid\n";
    m_err.flush();
    return CommandLine::BadUsage;
}

int ConfigCommand::failed(const QString &message)
{
    m_err << "tmail: " << message << '\n';
    m_err.flush();
    return CommandLine::BadUsage;
}

int ConfigCommand::show(bool all)
{
    const Expected<Config::Source> source = Config::locate(m_configPath);
    if (!source)
        return failed(source.error());
    const QHash<QString, QString> effective = ConfigRegistry::effectiveValues(source->variables);
    for (const ConfigVariable &variable : ConfigRegistry::variables())
    {
        const QString value = effective.value(variable.name);
        if (!all && value == variable.defaultValue)
            continue;
        m_out << variable.name << '=' << variable.shownValue(value) << '\n';
    }
    return CommandLine::Ok;
}
