// tmail's entry point: the daemon without a command, the command line with one.
#include "app/daemon.h"
#include "app/secretfiles.h"
#include "cli/commandline.h"
#include "cli/sendmailcommand.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStringDecoder>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    // Before anything is created: the database, the store and the log are the daemon user's alone.
    SecretFiles::restrictNewFiles();
    // Qt's own event dispatcher rather than GLib's: tmail uses nothing of GLib, and its
    // dispatcher costs about 8% more CPU per TLS session (measured with perf). An
    // explicit QT_NO_GLIB in the environment still wins.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tmail"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TMAIL_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    // Arguments are UTF-8 text: other bytes would be decoded to U+FFFD and a password
    // or a name stored as something else than what was typed.
    for (int i = 1; i < argc; ++i)
    {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString decoded = utf8(QByteArrayView(argv[i]));
        if (utf8.hasError())
        {
            err << "tmail: argument " << i << " is not valid UTF-8\n";
            return CommandLine::BadUsage;
        }
    }
    QStringList args = app.arguments().mid(1);
    // Run as `sendmail` (the dist/sendmail link, /usr/sbin/sendmail): sendmail's options only.
    if (QFileInfo(QString::fromLocal8Bit(argv[0])).fileName() == QLatin1String("sendmail"))
        return SendmailCommand(out, err).run(args, QString());
    QString configPath;
    // Global options come before the command.
    while (!args.isEmpty() && args.first().startsWith(QLatin1String("--")))
    {
        const QString option = args.takeFirst();
        if (option == QLatin1String("--help"))
        {
            out << CommandLine::globalHelp();
            return CommandLine::Ok;
        }
        if (option == QLatin1String("--version"))
        {
            out << "tmail " << TMAIL_VERSION << '\n';
            return CommandLine::Ok;
        }
        if (option == QLatin1String("--config"))
        {
            if (args.isEmpty())
            {
                err << "tmail: --config needs a FILE\n";
                return CommandLine::BadUsage;
            }
            configPath = args.takeFirst();
            continue;
        }
        if (option.startsWith(QLatin1String("--config=")))
        {
            configPath = option.mid(9);
            continue;
        }
        err << "tmail: unknown option '" << option << "'\n\n" << CommandLine::globalHelp();
        return CommandLine::BadUsage;
    }

    if (!args.isEmpty())
    {
        CommandLine commandLine(out, err);
        return commandLine.run(args, configPath);
    }

    Expected<Config> config = Config::load(configPath);
    if (!config)
    {
        err << config.error() << '\n';
        return CommandLine::Failure;
    }
    Daemon daemon(std::move(config).value());
    const int startCode = daemon.start();
    if (startCode != 0)
        return startCode;
    return app.exec();
}
