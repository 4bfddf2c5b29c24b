// Checking and showing tmail's settings through the same reader the daemon uses
// (Config::locate, Config::check), so that what passes here starts.
#include "cli/configcommand.h"

#include "cli/commandline.h"
#include "config/config.h"
#include "config/configfile.h"
#include "config/configregistry.h"

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
    const Expected<Config::Source> source
        = operands.isEmpty() ? Config::locate(m_configPath) : Config::fromFile(operands.first());
    if (!source)
    {
        m_err << "tmail: " << source.error() << '\n';
        m_err.flush();
        return CommandLine::BadUsage;
    }
    const QString origin = source->description();
    // The line of each variable: the last one that sets it, as the shell keeps the last.
    QHash<QString, int> lines;
    if (!source->filePath.isEmpty())
    {
        const Expected<ConfigFile> file = ConfigFile::read(source->filePath);
        if (file)
        {
            for (const ConfigFile::Assignment &assignment : file->assignments())
                lines.insert(assignment.name, assignment.line);
        }
    }

    const QList<ConfigFault> faults = Config::check(source->variables, source->baseDir);
    if (faults.isEmpty())
    {
        m_out << origin << ": " << source->variables.size() << " settings, valid\n";
        return CommandLine::Ok;
    }
    for (const ConfigFault &fault : faults)
    {
        QString where = origin;
        if (lines.contains(fault.variable))
            where += QStringLiteral(" line %1").arg(lines.value(fault.variable));
        else if (!source->variables.contains(fault.variable))
            where += QStringLiteral(" (%1 not set, its default)").arg(fault.variable);
        const QString message = fault.message.startsWith(fault.variable)
            ? fault.message
            : fault.variable + QStringLiteral(": ") + fault.message;
        m_err << where << ": " << message << '\n';
    }
    m_err << origin << ": " << faults.size() << (faults.size() == 1 ? " bad value" : " bad values")
          << ", not valid\n";
    m_err.flush();
    return CommandLine::BadUsage;
}

int ConfigCommand::show(bool all)
{
    const Expected<Config::Source> source = Config::locate(m_configPath);
    if (!source)
    {
        m_err << "tmail: " << source.error() << '\n';
        m_err.flush();
        return CommandLine::BadUsage;
    }
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
