// See mainwindow.h.
#include "mainwindow.h"

#include "connectdialog.h"

#include "adminspage.h"
#include "configpage.h"
#include "dashboardpage.h"
#include "dkimpage.h"
#include "domainspage.h"
#include "logmodel.h"
#include "logspage.h"
#include "managerconnection.h"
#include "queuepage.h"
#include "relayipspage.h"
#include "routespage.h"
#include "userspage.h"

#include <QActionGroup>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLibraryInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QPainterPath>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace {

QTranslator &appTranslator()
{
    static QTranslator translator;
    return translator;
}

QTranslator &qtTranslator()
{
    static QTranslator translator;
    return translator;
}

// File-name part of each page, in tab order.
const char *const pageKeys[]
    = { "dashboard", "configuration", "domains", "users", "relayips", "routes", "dkim", "queue", "logs" };

} // namespace

MainWindow::MainWindow(const QString &socketName, const QString &language, QWidget *parent, bool connectNow)
    : QMainWindow(parent)
    , m_connection(new ManagerConnection(this))
    , m_logModel(new LogModel(this))
    , m_language(language)
    , m_socketName(socketName)
{
    setWindowIcon(applicationIcon());
    connect(m_connection, &ManagerConnection::logEntryReceived, m_logModel, &LogModel::append);
    connect(m_connection, &ManagerConnection::logReset, m_logModel, &LogModel::clear);
    connect(m_connection, &ManagerConnection::stateChanged, this, &MainWindow::showState);
    connect(m_connection, &ManagerConnection::error, this, &MainWindow::showState);
    // Queued: the question is asked once the refused connection has been closed.
    connect(m_connection, &ManagerConnection::certificateNeedsApproval, this, &MainWindow::onCertificateNeedsApproval,
        Qt::QueuedConnection);
    buildUi();
    resize(1100, 720);
    if (connectNow)
        m_connection->connectToDaemon(socketName);
}

void MainWindow::openConnectDialog(const QString &host, quint16 port, const QString &user)
{
    ConnectDialog dialog(m_socketName, this);
    if (!host.isEmpty())
        dialog.setRemote(host, port, user);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_logModel->clear();
    if (dialog.isRemote())
    {
        m_connection->connectToRemote(dialog.host(), dialog.port(), dialog.user(), dialog.password());
        return;
    }
    m_socketName = dialog.socketName();
    m_connection->connectToDaemon(m_socketName);
}

void MainWindow::onCertificateNeedsApproval(
    const QString &server, const QByteArray &fingerprint, const QByteArray &pinned)
{
    if (ConnectDialog::confirmCertificate(this, server, fingerprint, pinned))
        m_connection->trustCertificate(fingerprint);
}

MainWindow::~MainWindow() = default;

bool MainWindow::installLanguage(const QString &language)
{
    QApplication::removeTranslator(&appTranslator());
    QApplication::removeTranslator(&qtTranslator());
    const bool loaded = appTranslator().load(QStringLiteral(":/i18n/tmail_") + language);
    if (loaded)
        QApplication::installTranslator(&appTranslator());
    // Qt's own texts (standard buttons) when the system has them.
    if (language != QLatin1String("en")
        && qtTranslator().load(
            QStringLiteral("qtbase_") + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator());
    QLocale::setDefault(QLocale(language == QLatin1String("fr") ? QLocale::French : QLocale::English));
    return loaded;
}

QIcon MainWindow::applicationIcon()
{
    QIcon icon(QStringLiteral(":/icons/tmail.svg"));
    if (!icon.pixmap(32).isNull())
        return icon;
    // Without Qt's SVG plugin, draw the same envelope.
    icon = QIcon();
    for (int size : { 16, 24, 32, 48, 64, 128 })
    {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(size / 64.0, size / 64.0);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0x2b, 0x6c, 0xb0));
        painter.drawRoundedRect(QRectF(4, 12, 56, 40), 5, 5);
        QPainterPath flap;
        flap.moveTo(6, 15);
        flap.lineTo(32, 36);
        flap.lineTo(58, 15);
        painter.setPen(QPen(Qt::white, 4));
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(flap);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

void MainWindow::setLanguage(const QString &language)
{
    if (language == m_language)
        return;
    m_language = language;
    installLanguage(language);
    const int current = m_tabs ? m_tabs->currentIndex() : 0;
    buildUi();
    m_tabs->setCurrentIndex(current);
}

void MainWindow::buildUi()
{
    setWindowTitle(tr("tmail manager"));
    menuBar()->clear();
    // Built in the previous language: closed, reopened by the user in the new one.
    delete m_adminsDialog;
    QWidget *old = centralWidget();

    m_tabs = new QTabWidget(this);
    m_tabs->setAccessibleName(tr("Pages"));
    if (auto *tabBar = m_tabs->findChild<QTabBar *>())
        tabBar->setAccessibleName(tr("Pages"));
    m_tabs->setDocumentMode(true);
    m_dashboard = new DashboardPage(m_connection, m_tabs);
    m_config = new ConfigPage(m_connection, m_tabs);
    m_domains = new DomainsPage(m_connection, m_tabs);
    m_users = new UsersPage(m_connection, m_tabs);
    m_relayIps = new RelayIpsPage(m_connection, m_tabs);
    m_routes = new RoutesPage(m_connection, m_tabs);
    m_dkim = new DkimPage(m_connection, m_tabs);
    m_queue = new QueuePage(m_connection, m_tabs);
    m_logs = new LogsPage(m_logModel, m_tabs);
    m_tabs->addTab(m_dashboard, tr("Dashboard"));
    m_tabs->addTab(m_config, tr("Configuration"));
    m_tabs->addTab(m_domains, tr("Domains"));
    m_tabs->addTab(m_users, tr("Users"));
    m_tabs->addTab(m_relayIps, tr("Relay IPs"));
    m_tabs->addTab(m_routes, tr("Routes"));
    m_tabs->addTab(m_dkim, tr("DKIM"));
    m_tabs->addTab(m_queue, tr("Queue"));
    m_tabs->addTab(m_logs, tr("Logs"));
    setCentralWidget(m_tabs);
    delete old;

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *refresh = fileMenu->addAction(tr("&Refresh"), this, &MainWindow::refreshCurrentPage);
    refresh->setShortcut(QKeySequence::Refresh);
    fileMenu->addAction(tr("Connect &to…"), this, [this]() { openConnectDialog(); });
    fileMenu->addAction(tr("Re&connect"), m_connection, &ManagerConnection::reconnectNow);
    fileMenu->addAction(tr("A&dministrators…"), this, [this]() { openAdministrators(); });
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    for (int index = 0; index < m_tabs->count(); ++index)
    {
        QAction *action
            = viewMenu->addAction(m_tabs->tabText(index), this, [this, index]() { m_tabs->setCurrentIndex(index); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
    }

    QMenu *languageMenu = menuBar()->addMenu(tr("&Language"));
    auto *languages = new QActionGroup(languageMenu);
    // Language names are written in their own language, as everywhere.
    for (const auto &[code, name] : { std::pair { QStringLiteral("en"), QStringLiteral("English") },
             std::pair { QStringLiteral("fr"), QStringLiteral("Français") } })
    {
        QAction *action = languageMenu->addAction(name);
        action->setCheckable(true);
        action->setChecked(code == m_language);
        action->setActionGroup(languages);
        const QString language = code;
        connect(action, &QAction::triggered, this, [this, language]() {
            QMetaObject::invokeMethod(
                this, [this, language]() { setLanguage(language); }, Qt::QueuedConnection);
        });
    }

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About tmail manager"), this, [this]() {
        QMessageBox::about(this, tr("About tmail manager"),
            tr("<p><b>tmail manager %1</b></p><p>Manages a running tmail mail server through its local "
               "socket: settings, domains, users, relay IPs, routes, DKIM keys, queue and live log.</p>")
                .arg(QStringLiteral(TMAIL_VERSION)));
    });

    if (!m_stateLabel)
    {
        m_stateLabel = new QLabel(this);
        statusBar()->addPermanentWidget(m_stateLabel);
    }
    // A label's accessible name is its text unless one is set, so the text is what a screen
    // reader reads; the description says what it is.
    m_stateLabel->setAccessibleDescription(tr("Connection state"));
    showState();
}

void MainWindow::showState()
{
    switch (m_connection->state())
    {
    case ManagerConnection::State::Connected:
        if (m_connection->isRemote())
        {
            const QString role = m_connection->role();
            const QString roleText = role == QLatin1String("admin") ? tr("administrator")
                : role == QLatin1String("operator")                 ? tr("operator")
                                                                    : tr("viewer");
            m_stateLabel->setText(tr("Connected to %1 over TLS as %2 (%3)")
                                      .arg(m_connection->socketName(), m_connection->user(), roleText));
        }
        else
        {
            m_stateLabel->setText(tr("Connected to %1").arg(m_connection->socketName()));
        }
        break;
    case ManagerConnection::State::Connecting:
    case ManagerConnection::State::Handshaking:
        m_stateLabel->setText(tr("Connecting to %1…").arg(m_connection->socketName()));
        break;
    case ManagerConnection::State::Disconnected:
        m_stateLabel->setText(m_connection->lastError().isEmpty() ? tr("Not connected") : m_connection->lastError());
        break;
    }
}

AdminsPage *MainWindow::adminsPage() const
{
    return m_adminsPage;
}

QDialog *MainWindow::openAdministrators()
{
    if (!m_adminsDialog)
    {
        auto *dialog = new QDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowTitle(tr("Administrators"));
        auto *layout = new QVBoxLayout(dialog);
        m_adminsPage = new AdminsPage(m_connection, dialog);
        layout->addWidget(m_adminsPage);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
        connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
        layout->addWidget(buttons);
        dialog->resize(560, 360);
        m_adminsDialog = dialog;
    }
    m_adminsDialog->show();
    m_adminsDialog->raise();
    m_adminsDialog->activateWindow();
    // It opens on its list, its first field.
    m_adminsPage->view()->setFocus(Qt::OtherFocusReason);
    return m_adminsDialog;
}

void MainWindow::refreshCurrentPage()
{
    QWidget *page = m_tabs->currentWidget();
    if (auto *table = qobject_cast<TablePage *>(page))
        table->refresh();
    else if (page == m_config)
        m_config->reload();
}

bool MainWindow::pagesLoaded() const
{
    return m_connection->isSynchronized() && m_config->isLoaded() && m_domains->isLoaded() && m_users->isLoaded()
        && m_relayIps->isLoaded() && m_routes->isLoaded() && m_dkim->isLoaded() && m_queue->isLoaded();
}

bool MainWindow::saveScreenshots(const QString &directory, QString *error)
{
    if (!QDir().mkpath(directory))
    {
        *error = tr("Cannot create the directory %1.").arg(directory);
        return false;
    }
    const int current = m_tabs->currentIndex();
    for (int index = 0; index < m_tabs->count(); ++index)
    {
        m_tabs->setCurrentIndex(index);
        QApplication::processEvents();
        const QString path = QDir(directory).filePath(
            QStringLiteral("manager-%1-%2.png").arg(m_language, QString::fromLatin1(pageKeys[index])));
        if (!grab().save(path))
        {
            *error = tr("Cannot write %1.").arg(path);
            return false;
        }
    }
    m_tabs->setCurrentIndex(current);
    return true;
}
