// tmail-manager's entry point: language (--lang fr|en or the system locale) and the window.
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QTranslator>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tmail-manager"));
    QApplication::setApplicationVersion(QStringLiteral(TMAIL_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/tmail.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Desktop manager for the tmail mail server"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption langOption(QStringLiteral("lang"), QStringLiteral("Interface language: fr or en."),
                                        QStringLiteral("LANG"));
    parser.addOption(langOption);
    parser.process(app);

    QString language = parser.value(langOption);
    if (language.isEmpty())
        language = QLocale::system().language() == QLocale::French ? QStringLiteral("fr") : QStringLiteral("en");
    if (language != QLatin1String("fr") && language != QLatin1String("en")) {
        qCritical("tmail-manager: --lang must be fr or en");
        return 2;
    }
    QTranslator translator;
    if (translator.load(QStringLiteral(":/i18n/tmail_") + language))
        QApplication::installTranslator(&translator);

    MainWindow window;
    window.show();
    return app.exec();
}
