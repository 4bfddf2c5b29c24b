// The manager's window: one tab per page, menus (language, pages), the connection
// state in the status bar, and the screenshot mode.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QTranslator>

class AdminsPage;
class ConfigPage;
class DashboardPage;
class DkimPage;
class DomainsPage;
class LogModel;
class LogsPage;
class ManagerConnection;
class QDialog;
class QLabel;
class QTabWidget;
class QueuePage;
class RelayIpsPage;
class RoutesPage;
class UsersPage;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // language: "fr" or "en". connectNow: connect to the local socket at once (else the
    // caller connects, e.g. to a remote daemon).
    MainWindow(const QString &socketName, const QString &language, QWidget *parent = nullptr, bool connectNow = true);
    ~MainWindow() override;

    // Installs the translations of language (fr or en) in the application.
    static bool installLanguage(const QString &language);
    static QIcon applicationIcon();

    // Switches the interface language and rebuilds the pages.
    void setLanguage(const QString &language);
    QString language() const { return m_language; }

    ManagerConnection *connection() const { return m_connection; }
    QTabWidget *tabs() const { return m_tabs; }
    DashboardPage *dashboardPage() const { return m_dashboard; }
    ConfigPage *configPage() const { return m_config; }
    DomainsPage *domainsPage() const { return m_domains; }
    UsersPage *usersPage() const { return m_users; }
    RelayIpsPage *relayIpsPage() const { return m_relayIps; }
    RoutesPage *routesPage() const { return m_routes; }
    DkimPage *dkimPage() const { return m_dkim; }
    QueuePage *queuePage() const { return m_queue; }
    LogsPage *logsPage() const { return m_logs; }
    LogModel *logModel() const { return m_logModel; }

    // The connection dialog (File > Connect to…); connects when it is accepted. With
    // remote, its remote fields are filled in and the password is asked.
    void openConnectDialog(const QString &host = QString(), quint16 port = 0, const QString &user = QString());

    // The administrators of the remote manager (File > Administrators…), in a window of
    // their own; opened once, raised when asked again.
    QDialog *openAdministrators();
    AdminsPage *adminsPage() const; // null until opened

    // True once every page shows the daemon's data.
    bool pagesLoaded() const;
    // Saves one PNG per page into directory (manager-LANG-PAGE.png).
    bool saveScreenshots(const QString &directory, QString *error);

private:
    void buildUi();
    void showState();
    void refreshCurrentPage();
    void onCertificateNeedsApproval(const QString &server, const QByteArray &fingerprint, const QByteArray &pinned);

    ManagerConnection *m_connection;
    LogModel *m_logModel;
    QString m_language;
    QString m_socketName;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_stateLabel = nullptr;
    DashboardPage *m_dashboard = nullptr;
    ConfigPage *m_config = nullptr;
    DomainsPage *m_domains = nullptr;
    UsersPage *m_users = nullptr;
    RelayIpsPage *m_relayIps = nullptr;
    RoutesPage *m_routes = nullptr;
    DkimPage *m_dkim = nullptr;
    QueuePage *m_queue = nullptr;
    LogsPage *m_logs = nullptr;
    QPointer<QDialog> m_adminsDialog; // deletes itself on close
    QPointer<AdminsPage> m_adminsPage;
};
