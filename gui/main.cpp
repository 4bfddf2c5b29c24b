// tmail-manager's entry point: language (--lang or the system locale), the socket
// (--socket, else TMAIL_MANAGER_SOCKET, else tmail-manager) or a remote daemon (--connect
// HOST:PORT --user NAME, the password asked in the connection dialog), and the screenshot mode.
#include "connectdialog.h"
#include "mainwindow.h"
#include "managerconnection.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLocale>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    // Arguments first, without a display: --help, --version and bad usage must work on a
    // server or over ssh, where QApplication would abort for want of a platform.
    QApplication::setApplicationName(QStringLiteral("tmail-manager"));
    QApplication::setApplicationVersion(QStringLiteral(TMAIL_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Desktop manager for the tmail mail server"));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption socketOption(QStringLiteral("socket"),
        QStringLiteral("Local socket of the daemon (name or path; default: "
                       "TMAIL_MANAGER_SOCKET, else tmail-manager)."),
        QStringLiteral("NAME"));
    const QCommandLineOption langOption(
        QStringLiteral("lang"), QStringLiteral("Interface language: fr or en."), QStringLiteral("LANG"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        QStringLiteral("Connect, save one PNG per page into DIR, and exit."), QStringLiteral("DIR"));
    const QCommandLineOption connectOption(QStringLiteral("connect"),
        QStringLiteral("Connect to a remote tmail (TMAIL_MANAGER_LISTEN) over TLS; the password is asked."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption userOption(
        QStringLiteral("user"), QStringLiteral("Administrator to log in as, with --connect."), QStringLiteral("NAME"));
    parser.addOption(socketOption);
    parser.addOption(connectOption);
    parser.addOption(userOption);
    parser.addOption(langOption);
    parser.addOption(screenshotOption);
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    // Qt's own options (-platform, -style…) are QApplication's: let them through.
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QStringList qtOptions = { QStringLiteral("platform"), QStringLiteral("style"), QStringLiteral("display"),
        QStringLiteral("qwindowgeometry"), QStringLiteral("reverse") };
    for (const QString &name : qtOptions)
    {
        QCommandLineOption option(name, QStringLiteral("Qt's option."),
            name == QLatin1String("reverse") ? QString() : QStringLiteral("VALUE"));
        option.setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(option);
    }
    if (!parser.parse(arguments))
    {
        std::fprintf(stderr, "tmail-manager: %s\n\n%s", qPrintable(parser.errorText()),
            qPrintable(
                parser.helpText().replace(QStringLiteral("<executable_name>"), QStringLiteral("tmail-manager"))));
        return 2;
    }
    QString help = parser.helpText();
    help.replace(QStringLiteral("<executable_name>"), QStringLiteral("tmail-manager"));
    if (parser.isSet(helpOption) || parser.isSet(QStringLiteral("help-all")))
    {
        std::fputs(qPrintable(help), stdout);
        return 0;
    }
    if (parser.isSet(versionOption))
    {
        std::printf("tmail-manager %s\n", TMAIL_VERSION);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
    {
        std::fprintf(stderr, "tmail-manager: unexpected argument '%s'\n\n%s",
            qPrintable(parser.positionalArguments().first()), qPrintable(help));
        return 2;
    }

    QString remoteHost;
    quint16 remotePort = 0;
    if (parser.isSet(connectOption)
        && !ConnectDialog::parseServer(parser.value(connectOption), &remoteHost, &remotePort))
    {
        std::fprintf(stderr, "tmail-manager: --connect takes HOST:PORT ([IPv6]:PORT), not '%s'\n",
            qPrintable(parser.value(connectOption)));
        return 2;
    }
    if (parser.isSet(userOption) && !parser.isSet(connectOption))
    {
        std::fprintf(stderr, "tmail-manager: --user goes with --connect\n");
        return 2;
    }
    if (parser.isSet(connectOption) && (parser.isSet(socketOption) || parser.isSet(screenshotOption)))
    {
        std::fprintf(stderr, "tmail-manager: --connect cannot be combined with --socket or --screenshot\n");
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setWindowIcon(MainWindow::applicationIcon());

    QString language = parser.value(langOption);
    if (language.isEmpty())
        language = QLocale::system().language() == QLocale::French ? QStringLiteral("fr") : QStringLiteral("en");
    if (language != QLatin1String("fr") && language != QLatin1String("en"))
    {
        std::fprintf(stderr, "tmail-manager: --lang must be fr or en\n");
        return 2;
    }
    MainWindow::installLanguage(language);

    QString socketName = parser.value(socketOption);
    if (socketName.isEmpty())
        socketName = qEnvironmentVariable("TMAIL_MANAGER_SOCKET", QStringLiteral("tmail-manager"));

    MainWindow window(socketName, language, nullptr, remotePort == 0);
    if (!parser.isSet(screenshotOption))
    {
        window.show();
        if (remotePort != 0)
        {
            // The password is asked now, in the connection dialog; it is never an argument.
            QTimer::singleShot(
                0, &window, [&]() { window.openConnectDialog(remoteHost, remotePort, parser.value(userOption)); });
        }
        return app.exec();
    }

    // Screenshot mode: wait until every page holds the daemon's data, then grab each.
    const QString directory = parser.value(screenshotOption);
    window.show();
    QElapsedTimer waited;
    waited.start();
    QTimer poll;
    int exitCode = 0;
    QObject::connect(&poll, &QTimer::timeout, &app, [&]() {
        if (window.pagesLoaded())
        {
            poll.stop();
            // Let the chart take a sample and the log fill in.
            QTimer::singleShot(1500, &app, [&]() {
                QString error;
                if (!window.saveScreenshots(directory, &error))
                {
                    std::fprintf(stderr, "tmail-manager: %s\n", qPrintable(error));
                    exitCode = 1;
                }
                app.quit();
            });
            return;
        }
        if (waited.elapsed() > 15000)
        {
            poll.stop();
            const QString reason = window.connection()->lastError();
            std::fprintf(stderr, "tmail-manager: cannot connect to the tmail daemon at %s%s%s\n",
                qPrintable(socketName), reason.isEmpty() ? "" : ": ", qPrintable(reason));
            exitCode = 1;
            app.quit();
        }
    });
    poll.start(100);
    app.exec();
    return exitCode;
}
