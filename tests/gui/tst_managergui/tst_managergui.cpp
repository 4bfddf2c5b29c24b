// tmail-manager as a person uses it: clicks and key presses in the dialogs change the
// daemon's database; the live log shows an SMTP session; French is complete.
#include "managertestdaemon.h"
#include "smtptestclient.h"
#include "testpeers.h"

#include "admindialog.h"
#include "adminspage.h"
#include "config/configregistry.h"
#include "config/dbsource.h"
#include "configpage.h"
#include "core/listenerdsn.h"
#include "dashboardpage.h"
#include "db/database.h"
#include "db/queuetable.h"
#include "dkimkeydialog.h"
#include "dkimpage.h"
#include "domaindialog.h"
#include "domainspage.h"
#include "logfiltermodel.h"
#include "logmodel.h"
#include "logspage.h"
#include "mainwindow.h"
#include "managerconnection.h"
#include "queuepage.h"
#include "relayipdialog.h"
#include "routedialog.h"
#include "routespage.h"
#include "throughputchart.h"
#include "userdialog.h"
#include "userspage.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <memory>
#include <vector>

namespace {

// What a screen reader reads: the accessibility interface's text, not the widget property
// (a label's name is its text, a field's name comes from its label's buddy).
QString accessibleText(QWidget *widget, QAccessible::Text which)
{
    QAccessibleInterface *interface = QAccessible::queryAccessibleInterface(widget);
    return interface ? interface->text(which) : QString();
}

template <typename T> T *findByAccessible(QWidget *parent, QAccessible::Text which, const QString &text)
{
    const QList<T *> widgets = parent->findChildren<T *>();
    for (T *widget : widgets)
    {
        if (accessibleText(widget, which) == text)
            return widget;
    }
    return nullptr;
}

template <typename T> T *findByAccessibleName(QWidget *parent, const QString &name)
{
    return findByAccessible<T>(parent, QAccessible::Name, name);
}

template <typename T> T *findByAccessibleDescription(QWidget *parent, const QString &description)
{
    return findByAccessible<T>(parent, QAccessible::Description, description);
}

bool modelContains(const QAbstractItemModel *model, int column, const QString &text)
{
    for (int row = 0; row < model->rowCount(); ++row)
    {
        if (model->index(row, column).data().toString().contains(text))
            return true;
    }
    return false;
}

void typeInto(QWidget *widget, const QString &text)
{
    widget->setFocus();
    if (auto *edit = qobject_cast<QLineEdit *>(widget))
        edit->clear();
    QTest::keyClicks(widget, text);
}

QString withoutMnemonic(QString text)
{
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QLatin1Char('\x01'), QLatin1Char('&'));
    return text;
}

// The letter after a single '&' (lower case), or a null QChar.
QChar mnemonicOf(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i)
    {
        if (text.at(i) != QLatin1Char('&'))
            continue;
        if (text.at(i + 1) == QLatin1Char('&'))
        {
            ++i;
            continue;
        }
        return text.at(i + 1).toLower();
    }
    return QChar();
}

// A label's text as a field's name should contain it: no '&', no colon, no spaces around.
QString labelText(const QLabel *label)
{
    QString text = withoutMnemonic(label->text());
    text.remove(QLatin1Char(':'));
    text.replace(QChar(0xa0), QLatin1Char(' '));
    return text.trimmed();
}

// Walks what a screen reader sees under interface: every control and every text has a
// name, and the name contains what the widget shows (so voice control can reach it by
// what it shows). Problems are appended to problems.
void checkAccessibleNames(QAccessibleInterface *interface, const QString &where, QStringList *problems, int depth = 0)
{
    if (!interface || !interface->isValid() || depth > 40 || interface->state().invisible)
        return;
    static const QList<QAccessible::Role> controls { QAccessible::PushButton, QAccessible::CheckBox,
        QAccessible::RadioButton, QAccessible::ComboBox, QAccessible::EditableText, QAccessible::SpinBox,
        QAccessible::Slider, QAccessible::Table, QAccessible::List, QAccessible::Tree, QAccessible::PageTab,
        QAccessible::PageTabList, QAccessible::ButtonMenu, QAccessible::ButtonDropDown, QAccessible::MenuItem,
        QAccessible::ProgressBar, QAccessible::StaticText };
    const QAccessible::Role role = interface->role();
    const QString name = interface->text(QAccessible::Name);
    QWidget *widget = qobject_cast<QWidget *>(interface->object());
    const QString what
        = QStringLiteral("%1: %2 “%3”")
              .arg(where, widget ? QString::fromLatin1(widget->metaObject()->className()) : QString::number(int(role)),
                  name);
    const auto mustContain = [&](const QString &shown) {
        if (!shown.isEmpty() && !name.contains(shown, Qt::CaseInsensitive))
            problems->append(QStringLiteral("%1 does not contain its visible text “%2”").arg(what, shown));
    };
    if (controls.contains(role))
    {
        if (auto *button = qobject_cast<QAbstractButton *>(widget))
            mustContain(withoutMnemonic(button->text()));
        else if (auto *label = qobject_cast<QLabel *>(widget))
        {
            // A label without a buddy shows its '&' as it is.
            if (!Qt::mightBeRichText(label->text()))
                mustContain((label->buddy() ? withoutMnemonic(label->text()) : label->text()).trimmed());
        }
        else if (auto *box = qobject_cast<QGroupBox *>(widget))
            mustContain(withoutMnemonic(box->title()));
        // A field is named by its label (Qt on Linux names a combo box by its current
        // text and labels it through the relation instead).
        if (widget && !qobject_cast<QComboBox *>(widget) && !qobject_cast<QLabel *>(widget))
        {
            for (const QLabel *label : widget->window()->findChildren<QLabel *>())
            {
                if (label->buddy() == widget)
                    mustContain(labelText(label));
            }
        }
        const bool showsNothing = widget && qobject_cast<QLabel *>(widget)
            && qobject_cast<QLabel *>(widget)->text().trimmed().isEmpty()
            && qobject_cast<QLabel *>(widget)->pixmap().isNull();
        if (name.trimmed().isEmpty() && !showsNothing)
            problems->append(QStringLiteral("%1 has no accessible name").arg(what));
    }
    // The cells of a table or a list are named by their data; the editor inside a spin box
    // or a combo box is read as part of it.
    if (role == QAccessible::Table || role == QAccessible::List || role == QAccessible::Tree
        || role == QAccessible::SpinBox || role == QAccessible::ComboBox)
        return;
    for (int index = 0; index < interface->childCount(); ++index)
        checkAccessibleNames(interface->child(index), where, problems, depth + 1);
}

// The mnemonics a user can press on window now: the menu bar's and the visible widgets'.
QStringList duplicateMnemonics(QMainWindow *window)
{
    QMultiHash<QChar, QString> owners;
    for (const QAction *action : window->menuBar()->actions())
    {
        const QChar letter = mnemonicOf(action->text());
        if (!letter.isNull())
            owners.insert(letter, action->text());
    }
    for (QWidget *widget : window->centralWidget()->findChildren<QWidget *>())
    {
        if (!widget->isVisible())
            continue;
        QString text;
        if (auto *button = qobject_cast<QAbstractButton *>(widget))
            text = button->text();
        else if (auto *label = qobject_cast<QLabel *>(widget); label && label->buddy())
            text = label->text();
        else if (auto *box = qobject_cast<QGroupBox *>(widget))
            text = box->title();
        const QChar letter = mnemonicOf(text);
        if (!letter.isNull())
            owners.insert(letter, text);
    }
    QStringList duplicates;
    for (const QChar letter : owners.uniqueKeys())
    {
        const QStringList texts = owners.values(letter);
        if (texts.size() > 1)
            duplicates.append(
                QStringLiteral("Alt+%1: %2").arg(QString(letter.toUpper()), texts.join(QStringLiteral(", "))));
    }
    return duplicates;
}

// One of each add/edit dialog, as the pages open them.
std::vector<std::unique_ptr<RecordDialog>> everyRecordDialog(ManagerConnection *connection, QWidget *parent)
{
    std::vector<std::unique_ptr<RecordDialog>> dialogs;
    dialogs.push_back(std::make_unique<DomainDialog>(connection, parent));
    dialogs.push_back(std::make_unique<UserDialog>(connection, UserDialog::Mode::Add, QString(), parent));
    dialogs.push_back(std::make_unique<UserDialog>(
        connection, UserDialog::Mode::SetPassword, QStringLiteral("alice@example.com"), parent));
    dialogs.push_back(std::make_unique<RelayIpDialog>(connection, parent));
    dialogs.push_back(std::make_unique<RouteDialog>(connection, QJsonObject(), parent));
    dialogs.push_back(std::make_unique<RouteDialog>(connection,
        QJsonObject { { QStringLiteral("id"), 1 }, { QStringLiteral("recipientDomain"), QStringLiteral("example.com") },
            { QStringLiteral("remoteHost"), QStringLiteral("mx.example.com") },
            { QStringLiteral("hasPassword"), true } },
        parent));
    dialogs.push_back(std::make_unique<DkimKeyDialog>(connection, parent));
    dialogs.push_back(std::make_unique<AdminDialog>(connection, AdminDialog::Mode::Add, QString(), parent));
    dialogs.push_back(
        std::make_unique<AdminDialog>(connection, AdminDialog::Mode::SetPassword, QStringLiteral("alice"), parent));
    return dialogs;
}

} // namespace

class TestManagerGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void dashboardShowsTheDaemon();
    void addDomainThroughTheDialog();
    void addUserThroughTheDialog();
    void addRouteThroughTheDialog();
    void dkimPageListsAKeyMadeOnTheCommandLine();
    void dkimDialogMakesAKeyAndShowsItsRecords();
    void dkimPageShowsWhatDnsServes();
    void dkimPageRotatesAndDeletes();
    void queuePageFiltersHoldsAndShowsAMessage();
    void recordDialogsOpenOnTheirFirstField();
    void everyControlIsNamedByWhatItShows_data();
    void everyControlIsNamedByWhatItShows();
    void menuBarAndPageShortcutsDiffer_data();
    void menuBarAndPageShortcutsDiffer();
    void logsPageShowsAnSmtpSession();
    void configPageReportsAnInvalidValue();
    void configPageHasTypedEditors();
    void configPageSaysWhatWasAppliedAndWhatWaitsForARestart();
    void frenchBuildShowsFrenchStrings();
    void buttonsShowTheirWholeText_data();
    void buttonsShowTheirWholeText();
    void changePasswordIsNotClipped_data();
    void changePasswordIsNotClipped();
    void administratorsAreManagedInTheirWindow();
    void screenshotModeSavesEveryPage();
    void screenReaderAddsADomainThroughAtSpi();
    // Last: it leaves messages in the queue.
    void dashboardShowsTheDaemonsHistoryDestinationsAndNodes();

private:
    // The row of the DKIM page showing selector (-1 when none does).
    int dkimRow(const QString &selector) const;
    // Answers the next confirmation question with button.
    void answerNextQuestion(QMessageBox::StandardButton button);

    ManagerTestDaemon m_daemon;
    std::unique_ptr<MainWindow> m_window;
    quint16 m_dnsPort = 0; // where dnsmasq answers the daemon's DNS queries, once started
};

void TestManagerGui::initTestCase()
{
    QString error;
    // The DKIM page's DNS check asks this port; dnsmasq serves it once the keys exist.
    m_dnsPort = freeLoopbackPort();
    m_daemon.setSetting(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(m_dnsPort));
    QVERIFY2(m_daemon.start(&error), qPrintable(error));
    MainWindow::installLanguage(QStringLiteral("en"));
    m_window = std::make_unique<MainWindow>(m_daemon.socketPath(), QStringLiteral("en"));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    // Keyboard shortcuts only reach the active window.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->pagesLoaded(), 15000);
}

void TestManagerGui::cleanupTestCase()
{
    m_window.reset();
    m_daemon.stop();
}

void TestManagerGui::dashboardShowsTheDaemon()
{
    m_window->tabs()->setCurrentWidget(m_window->dashboardPage());
    QCOMPARE(m_window->connection()->state(), ManagerConnection::State::Connected);
    auto *host = findByAccessibleDescription<QLabel>(m_window->dashboardPage(), QStringLiteral("Host name"));
    QVERIFY(host);
    QCOMPARE(host->text(), QStringLiteral("mx.test.local"));
    // A screen reader reads the value itself, not only what it is.
    QCOMPARE(accessibleText(host, QAccessible::Name), QStringLiteral("mx.test.local"));
    auto *database = findByAccessibleDescription<QLabel>(m_window->dashboardPage(), QStringLiteral("Database"));
    QVERIFY(database);
    QVERIFY2(database->text().startsWith(QLatin1String("sqlite3, source: /")), qPrintable(database->text()));
    QVERIFY(accessibleText(database, QAccessible::Name).startsWith(QLatin1String("sqlite3, source: /")));
    auto *queued
        = findByAccessibleDescription<QLabel>(m_window->dashboardPage(), QStringLiteral("Messages in the queue"));
    QVERIFY(queued);
    QCOMPARE(accessibleText(queued, QAccessible::Name), QStringLiteral("0"));
    QVERIFY(accessibleText(m_window->statusBar()->findChild<QLabel *>(), QAccessible::Name)
                .startsWith(QLatin1String("Connected to ")));
    QVERIFY(m_window->dashboardPage()->counterText(QStringLiteral("queued")) == QStringLiteral("0"));
    // The share of MX deliveries per TLS outcome, from the daemon's counters.
    for (const char *key : { "tlsDane", "tlsMtaSts", "tlsOpportunistic", "tlsClear" })
        QCOMPARE(m_window->dashboardPage()->counterText(QString::fromLatin1(key)), QStringLiteral("0 (0 %)"));
    auto *clear = findByAccessibleDescription<QLabel>(m_window->dashboardPage(), QStringLiteral("Clear text"));
    QVERIFY(clear);
    QCOMPARE(accessibleText(clear, QAccessible::Name), QStringLiteral("0 (0 %)"));
}

void TestManagerGui::addDomainThroughTheDialog()
{
    DomainsPage *page = m_window->domainsPage();
    m_window->tabs()->setCurrentWidget(page);
    QPushButton *add = findByAccessibleDescription<QPushButton>(page, QStringLiteral("Add a domain"));
    QVERIFY(add);
    // Voice control reaches a button by what it shows.
    QCOMPARE(accessibleText(add, QAccessible::Name), QStringLiteral("Add…"));
    QTest::mouseClick(add, Qt::LeftButton);
    QPointer<DomainDialog> dialog = page->findChild<DomainDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *domain = findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Domain"));
    QVERIFY(domain);

    // A bad name is refused in the dialog, which stays open.
    typeInto(domain, QStringLiteral("not a domain!"));
    QTest::keyClick(domain, Qt::Key_Return);
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->errorText().contains(QLatin1String("not a valid domain name")));

    typeInto(domain, QStringLiteral("gui.example"));
    QTest::keyClick(domain, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(modelContains(page->model(), 0, QStringLiteral("gui.example")), 10000);
    // The page message is read as what it says.
    QVERIFY(findByAccessibleName<QLabel>(page, QStringLiteral("Domain added.")));
    const TmailRun list = m_daemon.tmail({ QStringLiteral("rcpthost"), QStringLiteral("list") });
    QCOMPARE(list.exitCode, 0);
    QVERIFY2(list.out.contains(QLatin1String("gui.example")), qPrintable(list.out));

    // The daemon's refusal (a duplicate) shows in the dialog, translated.
    QTRY_VERIFY(QApplication::activeModalWidget() == nullptr);
    // The offscreen platform does not give the focus back to the window after a dialog.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    page->view()->setFocus();
    QTest::keyClick(page->view(), Qt::Key_N, Qt::ControlModifier);
    dialog = page->findChild<DomainDialog *>();
    QVERIFY(dialog);
    domain = findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Domain"));
    typeInto(domain, QStringLiteral("gui.example"));
    QTest::keyClick(domain, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->errorText().contains(QLatin1String("already exists")), 10000);
    dialog->reject();
}

void TestManagerGui::addUserThroughTheDialog()
{
    UsersPage *page = m_window->usersPage();
    m_window->tabs()->setCurrentWidget(page);
    QTest::mouseClick(findByAccessibleDescription<QPushButton>(page, QStringLiteral("Add a user")), Qt::LeftButton);
    QPointer<UserDialog> dialog = page->findChild<UserDialog *>();
    QVERIFY(dialog);
    auto *login = findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Login"));
    auto *password = findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Password"));
    auto *confirmation = findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Confirm password"));
    QVERIFY(login && password && confirmation);
    typeInto(login, QStringLiteral("carol@gui.example"));
    typeInto(password, QStringLiteral("Pa55word"));
    typeInto(confirmation, QStringLiteral("Pa55wore"));
    QTest::keyClick(confirmation, Qt::Key_Return);
    QVERIFY(dialog->errorText().contains(QLatin1String("differ")));
    typeInto(confirmation, QStringLiteral("Pa55word"));
    QTest::mouseClick(findByAccessibleName<QPushButton>(dialog, QStringLiteral("OK")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(modelContains(page->model(), 0, QStringLiteral("carol@gui.example")), 10000);
    const TmailRun list = m_daemon.tmail({ QStringLiteral("user"), QStringLiteral("list") });
    QVERIFY2(list.out.contains(QLatin1String("carol@gui.example")), qPrintable(list.out));

    // Dates read the same in the manager and on the command line, with their offset from UTC.
    QString created;
    for (int row = 0; row < page->model()->rowCount(); ++row)
    {
        if (page->model()->index(row, 0).data().toString() == QLatin1String("carol@gui.example"))
            created = page->model()->index(row, 2).data().toString();
    }
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d$"))
                 .match(created)
                 .hasMatch(),
        qPrintable(created));
    QVERIFY2(list.out.contains(created), qPrintable(created + QStringLiteral(" / ") + list.out));
}

void TestManagerGui::addRouteThroughTheDialog()
{
    RoutesPage *page = m_window->routesPage();
    m_window->tabs()->setCurrentWidget(page);
    QTest::mouseClick(findByAccessibleDescription<QPushButton>(page, QStringLiteral("Add a route")), Qt::LeftButton);
    QPointer<RouteDialog> dialog = page->findChild<RouteDialog *>();
    QVERIFY(dialog);
    typeInto(
        findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Recipient domain")), QStringLiteral("partner.example"));
    typeInto(findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Remote host")), QStringLiteral("bad host"));
    QTest::keyClick(dialog, Qt::Key_Return);
    QVERIFY(dialog->errorText().contains(QLatin1String("not a host name")));
    typeInto(
        findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Remote host")), QStringLiteral("smtp.partner.example"));
    auto *port = findByAccessibleName<QSpinBox>(dialog, QStringLiteral("Remote port"));
    QVERIFY(port);
    port->setFocus();
    port->selectAll();
    QTest::keyClicks(port, QStringLiteral("2526"));
    QCOMPARE(port->value(), 2526);
    QTest::keyClick(port, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(modelContains(page->model(), 2, QStringLiteral("smtp.partner.example:2526")), 10000);
    const TmailRun list = m_daemon.tmail({ QStringLiteral("routes"), QStringLiteral("list") });
    QVERIFY2(list.out.contains(QLatin1String("smtp.partner.example:2526")), qPrintable(list.out));
    QVERIFY(list.out.contains(QLatin1String("partner.example")));
}

int TestManagerGui::dkimRow(const QString &selector) const
{
    const JsonTableModel *model = m_window->dkimPage()->model();
    for (int row = 0; row < model->rowCount(); ++row)
    {
        if (model->index(row, 1).data().toString() == selector)
            return row;
    }
    return -1;
}

void TestManagerGui::answerNextQuestion(QMessageBox::StandardButton button)
{
    // The question may open only after a reply from the daemon (a bulk action asks for a dry
    // run first), so poll for it without blocking, bounded at 15 s; a question that never opens
    // leaves the caller's own check to fail.
    auto *poll = new QTimer(m_window.get());
    auto waited = std::make_shared<QElapsedTimer>();
    waited->start();
    poll->setInterval(20);
    connect(poll, &QTimer::timeout, poll, [poll, waited, button]() {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box && !waited->hasExpired(15000))
            return;
        poll->stop();
        poll->deleteLater();
        if (!box)
            return;
        if (QAbstractButton *answer = box->button(button))
            answer->click();
        else
            box->reject();
    });
    poll->start();
}

void TestManagerGui::dkimPageListsAKeyMadeOnTheCommandLine()
{
    DkimPage *page = m_window->dkimPage();
    m_window->tabs()->setCurrentWidget(page);
    const TmailRun add = m_daemon.tmail({ QStringLiteral("dkim"), QStringLiteral("add"), QStringLiteral("dkim.example"),
        QStringLiteral("-s"), QStringLiteral("cli"), QStringLiteral("-a"), QStringLiteral("ed25519") });
    QCOMPARE(add.exitCode, 0);
    // The daemon notices the database changed and the page reloads.
    QTRY_VERIFY_WITH_TIMEOUT(dkimRow(QStringLiteral("cli")) >= 0, 10000);
    const int row = dkimRow(QStringLiteral("cli"));
    QCOMPARE(page->model()->index(row, 0).data().toString(), QStringLiteral("dkim.example"));
    QCOMPARE(page->model()->index(row, 2).data().toString(), QStringLiteral("Ed25519"));
    QVERIFY(!page->model()->index(row, 3).data().toString().isEmpty());
    QCOMPARE(page->model()->index(row, 4).data().toString(), QStringLiteral("active"));
    QCOMPARE(page->model()->index(row, 5).data().toString(), QStringLiteral("not checked"));
    // The daemon sends no private key, and the page shows none.
    QVERIFY(!page->model()->row(row).contains(QStringLiteral("privateKey")));
    QCOMPARE(accessibleText(page->view(), QAccessible::Name), QStringLiteral("DKIM keys"));
}

void TestManagerGui::dkimDialogMakesAKeyAndShowsItsRecords()
{
    DkimPage *page = m_window->dkimPage();
    m_window->tabs()->setCurrentWidget(page);
    QPushButton *add = findByAccessibleDescription<QPushButton>(page, QStringLiteral("Make DKIM keys for a domain"));
    QVERIFY(add);
    QCOMPARE(accessibleText(add, QAccessible::Name), QStringLiteral("Add…"));
    QTest::mouseClick(add, Qt::LeftButton);
    QPointer<DkimKeyDialog> dialog = page->findChild<DkimKeyDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *domain = findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Domain"));
    auto *selector = findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Selector"));
    auto *algorithm = dialog->findChildren<QComboBox *>().value(0);
    auto *bits = dialog->findChildren<QComboBox *>().value(1);
    QVERIFY(domain && selector && algorithm && bits);
    QCOMPARE(algorithm->accessibleName(), QStringLiteral("Algorithm"));
    QCOMPARE(bits->accessibleName(), QStringLiteral("RSA key size"));
    QCOMPARE(bits->count(), 3);

    // A selector that is not a DNS label is refused in the dialog, which stays open.
    typeInto(domain, QStringLiteral("dkim.example"));
    typeInto(selector, QStringLiteral("bad_selector"));
    QTest::keyClick(selector, Qt::Key_Return);
    QVERIFY(dialog->isVisible());
    QVERIFY2(dialog->errorText().contains(QLatin1String("is not a selector")), qPrintable(dialog->errorText()));

    // Ed25519 by keyboard: the RSA size no longer applies.
    typeInto(selector, QStringLiteral("gui"));
    algorithm->setFocus();
    QTest::keyClick(algorithm, Qt::Key_End);
    QCOMPARE(algorithm->currentData().toString(), QStringLiteral("ed25519"));
    QVERIFY(!bits->isEnabled());
    QTest::keyClick(selector, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(dkimRow(QStringLiteral("gui")) >= 0, 10000);
    const TmailRun list = m_daemon.tmail({ QStringLiteral("dkim"), QStringLiteral("list") });
    QVERIFY2(QRegularExpression(QStringLiteral("dkim\\.example\\s+gui\\s+ed25519-sha256")).match(list.out).hasMatch(),
        qPrintable(list.out));

    // The new key is selected and its domain's records are shown as `tmail dkim dns` prints them.
    QTRY_COMPARE_WITH_TIMEOUT(page->recordsDomain(), QStringLiteral("dkim.example"), 10000);
    const TmailRun dns
        = m_daemon.tmail({ QStringLiteral("dkim"), QStringLiteral("dns"), QStringLiteral("dkim.example") });
    QCOMPARE(dns.exitCode, 0);
    QTRY_COMPARE_WITH_TIMEOUT(page->recordsText() + QLatin1Char('\n'), dns.out, 10000);
    QVERIFY(
        page->recordsText().contains(QLatin1String("gui._domainkey.dkim.example. IN TXT \"v=DKIM1; k=ed25519; p=")));
    QVERIFY(page->recordsEdit()->isReadOnly());
    QVERIFY(!page->recordsText().contains(QLatin1String("PRIVATE")));
    auto *copy = findByAccessibleName<QPushButton>(page, QStringLiteral("Copy"));
    QVERIFY(copy && copy->isEnabled());
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), dns.out);

    // The daemon's refusal (the selector is taken) shows in the dialog, and nothing is added.
    QTRY_VERIFY(QApplication::activeModalWidget() == nullptr);
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    page->view()->setFocus();
    QTest::keyClick(page->view(), Qt::Key_N, Qt::ControlModifier);
    dialog = page->findChild<DkimKeyDialog *>();
    QVERIFY(dialog);
    // A keyboard user starts typing in the first field.
    QTRY_COMPARE(QApplication::focusWidget(), findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Domain")));
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("dkim.example"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("gui"));
    dialog->findChildren<QComboBox *>().value(0)->setCurrentIndex(2);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->errorText().contains(QLatin1String("already exists")), 20000);
    dialog->reject();
    const TmailRun after = m_daemon.tmail({ QStringLiteral("dkim"), QStringLiteral("list") });
    QCOMPARE(after.out.count(QStringLiteral(" gui ")), 1);
    m_window->activateWindow();
}

// What DNS serves per selector: dnsmasq publishes the right key for one, another key for
// the second, and nothing for the third.
void TestManagerGui::dkimPageShowsWhatDnsServes()
{
    TMAIL_REQUIRE_PEER(QFile::exists(QStringLiteral("/usr/sbin/dnsmasq")), "dnsmasq is not installed");
    DkimPage *page = m_window->dkimPage();
    m_window->tabs()->setCurrentWidget(page);
    QCOMPARE(m_daemon
                 .tmail({ QStringLiteral("dkim"), QStringLiteral("add"), QStringLiteral("dkim.example"),
                     QStringLiteral("-s"), QStringLiteral("bare"), QStringLiteral("-a"), QStringLiteral("ed25519") })
                 .exitCode,
        0);
    QTRY_VERIFY_WITH_TIMEOUT(dkimRow(QStringLiteral("bare")) >= 0, 10000);
    const TmailRun dns
        = m_daemon.tmail({ QStringLiteral("dkim"), QStringLiteral("dns"), QStringLiteral("dkim.example") });
    const QRegularExpressionMatch gui
        = QRegularExpression(QStringLiteral("^gui\\._domainkey\\.dkim\\.example\\. IN TXT \"([^\"]*)\"$"),
            QRegularExpression::MultilineOption)
              .match(dns.out);
    QVERIFY2(gui.hasMatch(), qPrintable(dns.out));
    QProcess dnsmasq;
    dnsmasq.setProcessChannelMode(QProcess::MergedChannels);
    dnsmasq.start(QStringLiteral("/usr/sbin/dnsmasq"),
        { QStringLiteral("--keep-in-foreground"), QStringLiteral("--no-resolv"), QStringLiteral("--no-hosts"),
            QStringLiteral("--port=%1").arg(m_dnsPort), QStringLiteral("--listen-address=127.0.0.1"),
            QStringLiteral("--bind-interfaces"), QStringLiteral("--local=/example/"),
            QStringLiteral("--txt-record=gui._domainkey.dkim.example,") + gui.captured(1),
            QStringLiteral("--txt-record=cli._domainkey.dkim.example,v=DKIM1; k=ed25519; "
                           "p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=") });
    QVERIFY(QTest::qWaitFor([&dnsmasq]() { return dnsmasq.state() == QProcess::Running; }, 5000));
    QTest::qWait(500);

    page->view()->selectRow(dkimRow(QStringLiteral("gui")));
    QSignalSpy checked(page, &DkimPage::dnsChecked);
    auto *check
        = findByAccessibleDescription<QPushButton>(page, QStringLiteral("Look up the selected key's domain in DNS"));
    QVERIFY(check && check->isEnabled());
    QCOMPARE(accessibleText(check, QAccessible::Name), QStringLiteral("Check DNS"));
    QTest::mouseClick(check, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, 20000);
    dnsmasq.kill();
    QVERIFY(QTest::qWaitFor([&dnsmasq]() { return dnsmasq.state() == QProcess::NotRunning; }, 5000));
    QCOMPARE(page->model()->index(dkimRow(QStringLiteral("gui")), 5).data().toString(), QStringLiteral("published"));
    QCOMPARE(
        page->model()->index(dkimRow(QStringLiteral("cli")), 5).data().toString(), QStringLiteral("different key"));
    QCOMPARE(page->model()->index(dkimRow(QStringLiteral("bare")), 5).data().toString(), QStringLiteral("missing"));
    // The selection survives the update.
    QCOMPARE(page->selectedRow().value(QStringLiteral("selector")).toString(), QStringLiteral("gui"));
    QVERIFY(findByAccessibleName<QLabel>(
        page, QStringLiteral("DNS serves the records of 1 of the 3 keys of dkim.example: publish the others.")));
}

void TestManagerGui::dkimPageRotatesAndDeletes()
{
    DkimPage *page = m_window->dkimPage();
    m_window->tabs()->setCurrentWidget(page);
    QTRY_VERIFY(dkimRow(QStringLiteral("bare")) >= 0);

    // Rotation: new keys sign, the old ones stay listed as retired.
    page->view()->selectRow(dkimRow(QStringLiteral("gui")));
    const int before = page->model()->rowCount();
    answerNextQuestion(QMessageBox::Yes);
    QTest::mouseClick(findByAccessibleName<QPushButton>(page, QStringLiteral("Rotate")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), before + 1, 20000);
    QTRY_COMPARE(page->model()->index(dkimRow(QStringLiteral("gui")), 4).data().toString(), QStringLiteral("retired"));
    // The new key has the default selector of this month and signs.
    const QString rotated
        = QStringLiteral("tmail") + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMM"));
    QVERIFY2(dkimRow(rotated) >= 0, qPrintable(rotated));
    QCOMPARE(page->model()->index(dkimRow(rotated), 4).data().toString(), QStringLiteral("active"));

    // Deletion asks first; "No" changes nothing.
    page->view()->selectRow(dkimRow(QStringLiteral("bare")));
    answerNextQuestion(QMessageBox::No);
    QTest::mouseClick(findByAccessibleName<QPushButton>(page, QStringLiteral("Delete")), Qt::LeftButton);
    QTest::qWait(200);
    QVERIFY(m_daemon.tmail({ QStringLiteral("dkim"), QStringLiteral("list") }).out.contains(QLatin1String(" bare ")));
    answerNextQuestion(QMessageBox::Yes);
    QTest::mouseClick(findByAccessibleName<QPushButton>(page, QStringLiteral("Delete")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dkimRow(QStringLiteral("bare")) < 0, 10000);
    const TmailRun list = m_daemon.tmail({ QStringLiteral("dkim"), QStringLiteral("list") });
    QVERIFY2(!list.out.contains(QLatin1String(" bare ")), qPrintable(list.out));
    QVERIFY2(list.out.contains(QLatin1String(" gui ")), qPrintable(list.out));
    QVERIFY(findByAccessibleName<QLabel>(page, QStringLiteral("DKIM key bare of dkim.example deleted.")));

    // Without an active key there is nothing to rotate: the page says so and nothing is made.
    page->view()->selectRow(dkimRow(rotated));
    answerNextQuestion(QMessageBox::Yes);
    QTest::mouseClick(findByAccessibleName<QPushButton>(page, QStringLiteral("Delete")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dkimRow(rotated) < 0, 10000);
    const int retired = page->model()->rowCount();
    page->view()->selectRow(dkimRow(QStringLiteral("gui")));
    answerNextQuestion(QMessageBox::Yes);
    QTest::mouseClick(findByAccessibleName<QPushButton>(page, QStringLiteral("Rotate")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(findByAccessibleName<QLabel>(page,
                                 QStringLiteral("dkim.example has no active DKIM key to rotate: add keys instead.")),
        10000);
    QCOMPARE(page->model()->rowCount(), retired);
    const TmailRun unchanged = m_daemon.tmail({ QStringLiteral("dkim"), QStringLiteral("list") });
    QVERIFY2(!unchanged.out.contains(QLatin1String(" yes")), qPrintable(unchanged.out));
    m_window->activateWindow();
}

// The Queue page as an operator uses it: filter, hold what matches after a dry run, read a message.
void TestManagerGui::queuePageFiltersHoldsAndShowsAMessage()
{
    // Two messages waiting an hour, one to a.invalid and one to b.invalid, bodies in the store.
    const Expected<DbSource> source = DbSource::parse(
        QStringLiteral("sqlite3"), m_daemon.environment().path(QStringLiteral("db/tmail.db")), QString());
    QVERIFY(source);
    Expected<Database> db = Database::open(source.value(), QStringLiteral("test-queue-page"));
    QVERIFY2(db, qPrintable(db.error()));
    QStringList ids;
    for (int i = 0; i < 2; ++i)
    {
        QueuedMessage message;
        message.id = QueueTable::newId();
        message.clientIp = QStringLiteral("127.0.0.1");
        message.helo = QStringLiteral("client.test");
        message.storeKey = message.id.left(2) + QLatin1Char('/') + message.id;
        message.createdAtMs = QDateTime::currentMSecsSinceEpoch() + i;
        message.nextAttemptAtMs = message.createdAtMs + 3600 * 1000;
        message.attempts = 1;
        message.lastError = QStringLiteral("451 4.3.0 ") + QString(200, QLatin1Char('x'));
        QueuedRecipient recipient;
        recipient.address = QStringLiteral("rcpt@%1.invalid").arg(i == 0 ? QLatin1Char('a') : QLatin1Char('b'));
        message.recipients = { recipient };
        const QString bodyPath = m_daemon.environment().path(QStringLiteral("store/") + message.storeKey);
        QVERIFY(QDir().mkpath(QFileInfo(bodyPath).path()));
        QFile body(bodyPath);
        QVERIFY(body.open(QIODevice::WriteOnly));
        body.write(QStringLiteral("Subject: gui test %1\r\n\r\nbody %1\r\n").arg(i).toUtf8());
        body.close();
        message.sizeBytes = body.size();
        QVERIFY(QueueTable(db.value()).enqueue({ message }));
        ids.append(message.id);
    }
    QueuePage *page = m_window->queuePage();
    m_window->tabs()->setCurrentWidget(page);
    page->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 2, 10000);
    // A short ID; the whole last error in the tooltip.
    QCOMPARE(page->model()->data(page->model()->index(0, 0)).toString(), ids.at(0).left(12));
    const QModelIndex error = page->model()->index(0, page->model()->columnCount() - 1);
    QCOMPARE(page->model()->data(error, Qt::ToolTipRole).toString().size(), 210);

    // A bad domain is refused before any request: the list stays as it was.
    page->domainFilter()->setText(QStringLiteral("not a domain"));
    page->applyFilter();
    QTest::qWait(300);
    QCOMPARE(page->model()->rowCount(), 2);
    page->domainFilter()->setText(QStringLiteral("b.invalid"));
    page->applyFilter();
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 1, 10000);
    QCOMPARE(page->model()->row(0).value(QStringLiteral("id")).toString(), ids.at(1));

    // Hold every matching message: a dry run, the question, then the hold.
    page->bulkAction()->setCurrentIndex(page->bulkAction()->findData(QStringLiteral("hold")));
    answerNextQuestion(QMessageBox::Yes);
    page->applyToMatching();
    QTRY_COMPARE_WITH_TIMEOUT(
        page->model()->row(0).value(QStringLiteral("status")).toString(), QStringLiteral("held"), 10000);
    page->domainFilter()->clear();
    page->statusFilter()->setCurrentIndex(page->statusFilter()->findData(QStringLiteral("held")));
    page->applyFilter();
    QTest::qWait(300);
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 1, 10000);
    QCOMPARE(page->model()->row(0).value(QStringLiteral("id")).toString(), ids.at(1));

    // The viewer shows the stored headers and body.
    page->view()->selectRow(0);
    page->showMessageDetails();
    QPlainTextEdit *headers = nullptr;
    QPlainTextEdit *bodyPane = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&]() {
            for (QPlainTextEdit *pane : page->findChildren<QPlainTextEdit *>())
            {
                if (pane->accessibleName() == QLatin1String("Headers"))
                    headers = pane;
                if (pane->accessibleName() == QLatin1String("Body"))
                    bodyPane = pane;
            }
            return headers && bodyPane;
        }(),
        10000);
    QVERIFY2(
        headers->toPlainText().contains(QStringLiteral("Subject: gui test 1")), qPrintable(headers->toPlainText()));
    QVERIFY2(bodyPane->toPlainText().contains(QStringLiteral("body 1")), qPrintable(bodyPane->toPlainText()));
    for (QDialog *dialog : page->findChildren<QDialog *>())
        dialog->close();
    page->statusFilter()->setCurrentIndex(0);
    page->applyFilter();
    QVERIFY(QueueTable(db.value()).remove(ids));
}

// A keyboard user starts typing at once, and Tab goes through the fields, then OK, then Cancel.
void TestManagerGui::recordDialogsOpenOnTheirFirstField()
{
    for (const std::unique_ptr<RecordDialog> &dialog : everyRecordDialog(m_window->connection(), m_window.get()))
    {
        const QString title = dialog->windowTitle();
        dialog->show();
        dialog->activateWindow();
        QVERIFY2(QTest::qWaitForWindowActive(dialog.get()), qPrintable(title));
        QWidget *first = QApplication::focusWidget();
        QVERIFY2(first, qPrintable(title));
        auto *firstEdit = qobject_cast<QLineEdit *>(first);
        QVERIFY2(firstEdit && !firstEdit->isReadOnly(),
            qPrintable(title + QStringLiteral(": focus on ") + accessibleText(first, QAccessible::Name)));
        QStringList order { accessibleText(first, QAccessible::Name) };
        for (int step = 0; step < 20; ++step)
        {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            QWidget *now = QApplication::focusWidget();
            if (now == first)
                break;
            order.append(accessibleText(now, QAccessible::Name));
        }
        // A read-only field (the login whose password changes) stays reachable, before the others.
        const qsizetype cancel = order.indexOf(QStringLiteral("Cancel"));
        QVERIFY2(cancel >= 0, qPrintable(title + QStringLiteral(": ") + order.join(QStringLiteral(", "))));
        order = order.mid(cancel + 1) + order.mid(0, cancel + 1);
        QVERIFY2(order.size() >= 3, qPrintable(title + QStringLiteral(": ") + order.join(QStringLiteral(", "))));
        QCOMPARE(order.mid(order.size() - 2), (QStringList { QStringLiteral("OK"), QStringLiteral("Cancel") }));
        for (const QString &name : order.mid(0, order.size() - 2))
            QVERIFY2(name != QLatin1String("OK") && name != QLatin1String("Cancel"),
                qPrintable(order.join(QStringLiteral(", "))));
        dialog->reject();
    }
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestManagerGui::everyControlIsNamedByWhatItShows_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("English") << QStringLiteral("en");
    QTest::newRow("French") << QStringLiteral("fr");
}

void TestManagerGui::everyControlIsNamedByWhatItShows()
{
    QFETCH(QString, language);
    m_window->setLanguage(language);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->pagesLoaded(), 10000);
    QStringList problems;
    for (int index = 0; index < m_window->tabs()->count(); ++index)
    {
        m_window->tabs()->setCurrentIndex(index);
        QWidget *page = m_window->tabs()->currentWidget();
        QTRY_VERIFY(page->isVisible());
        // Text in the log filter shows its clear button.
        if (page == m_window->logsPage())
            m_window->logsPage()->filterEdit()->setText(QStringLiteral("x"));
        QApplication::processEvents();
        checkAccessibleNames(
            QAccessible::queryAccessibleInterface(m_window.get()), m_window->tabs()->tabText(index), &problems);
        if (page == m_window->logsPage())
            m_window->logsPage()->filterEdit()->clear();
    }
    for (const std::unique_ptr<RecordDialog> &dialog : everyRecordDialog(m_window->connection(), m_window.get()))
    {
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
        checkAccessibleNames(QAccessible::queryAccessibleInterface(dialog.get()), dialog->windowTitle(), &problems);
        dialog->reject();
    }
    m_window->setLanguage(QStringLiteral("en"));
    m_window->tabs()->setCurrentIndex(0);
    m_window->activateWindow();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestManagerGui::menuBarAndPageShortcutsDiffer_data()
{
    everyControlIsNamedByWhatItShows_data();
}

// Alt+letter must reach one thing: a page's button or field, or a menu, never both.
void TestManagerGui::menuBarAndPageShortcutsDiffer()
{
    QFETCH(QString, language);
    m_window->setLanguage(language);
    QStringList problems;
    for (int index = 0; index < m_window->tabs()->count(); ++index)
    {
        m_window->tabs()->setCurrentIndex(index);
        QTRY_VERIFY(m_window->tabs()->currentWidget()->isVisible());
        for (const bool paused : { false, true })
        {
            // The pause button reads Resume while paused.
            if (m_window->tabs()->currentWidget() == m_window->logsPage())
                m_window->logsPage()->pauseButton()->setChecked(paused);
            else if (paused)
                continue;
            QApplication::processEvents();
            for (const QString &duplicate : duplicateMnemonics(m_window.get()))
                problems.append(m_window->tabs()->tabText(index) + QStringLiteral(": ") + duplicate);
        }
    }
    m_window->logsPage()->pauseButton()->setChecked(false);
    m_window->setLanguage(QStringLiteral("en"));
    m_window->tabs()->setCurrentIndex(0);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestManagerGui::logsPageShowsAnSmtpSession()
{
    LogsPage *page = m_window->logsPage();
    m_window->tabs()->setCurrentWidget(page);
    QTcpSocket smtp;
    smtp.connectToHost(QHostAddress::LocalHost, m_daemon.smtpPort());
    QVERIFY(QTest::qWaitFor([&smtp]() { return smtp.canReadLine(); }, 10000));
    QVERIFY(smtp.readLine().startsWith("220 "));
    smtp.write("QUIT\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(
        modelContains(m_window->logModel(), LogModel::MessageColumn, QStringLiteral("new connection from")), 10000);

    // Filtering by text keeps only matching lines; "errors only" hides INFO lines.
    typeInto(page->filterEdit(), QStringLiteral("new connection"));
    QTRY_VERIFY(page->filter()->rowCount() > 0);
    for (int row = 0; row < page->filter()->rowCount(); ++row)
        QVERIFY(page->filter()
                    ->index(row, LogModel::MessageColumn)
                    .data()
                    .toString()
                    .contains(QLatin1String("new connection")));
    page->levelBox()->setCurrentIndex(3);
    QCOMPARE(page->filter()->rowCount(), 0);
    page->levelBox()->setCurrentIndex(0);
    page->filterEdit()->clear();

    // Paused, new lines wait; resumed, they appear.
    QTest::mouseClick(page->pauseButton(), Qt::LeftButton);
    const int before = m_window->logModel()->rowCount();
    QTcpSocket second;
    second.connectToHost(QHostAddress::LocalHost, m_daemon.smtpPort());
    QVERIFY(QTest::qWaitFor([&second]() { return second.canReadLine(); }, 10000));
    QTest::qWait(300);
    QCOMPARE(m_window->logModel()->rowCount(), before);
    QTest::mouseClick(page->pauseButton(), Qt::LeftButton);
    QVERIFY(m_window->logModel()->rowCount() > before);
}

void TestManagerGui::configPageReportsAnInvalidValue()
{
    ConfigPage *page = m_window->configPage();
    m_window->tabs()->setCurrentWidget(page);
    ConfigField *resolvers = page->editor(QStringLiteral("TMAIL_DNS_SERVERS"));
    QVERIFY(resolvers);
    const QByteArray before = [this]() {
        QFile file(m_daemon.configPath());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QVERIFY(page->faultText(QStringLiteral("TMAIL_DNS_SERVERS")).isEmpty());
    // As it is typed, the daemon's own check refuses it next to the field.
    typeInto(resolvers->focusTarget(), QStringLiteral("not a resolver"));
    QTRY_VERIFY_WITH_TIMEOUT(
        page->faultText(QStringLiteral("TMAIL_DNS_SERVERS")).contains(QLatin1String("not a resolver")), 10000);
    QVERIFY(page->faultText(QStringLiteral("TMAIL_SMTPD_MAX_HOPS")).isEmpty());
    // Saved anyway: refused, and the file is untouched.
    QTest::keyClick(resolvers->focusTarget(), Qt::Key_S, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(page->messageText().contains(QLatin1String("TMAIL_DNS_SERVERS")), 10000);
    QFile file(m_daemon.configPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
    page->reload();
    QTRY_VERIFY_WITH_TIMEOUT(page->faultText(QStringLiteral("TMAIL_DNS_SERVERS")).isEmpty(), 10000);
}

void TestManagerGui::configPageHasTypedEditors()
{
    ConfigPage *page = m_window->configPage();
    m_window->tabs()->setCurrentWidget(page);
    QTRY_VERIFY_WITH_TIMEOUT(page->editor(QStringLiteral("TMAIL_SMTPD_MAX_HOPS")), 10000);
    // A number: a spin box over the registry's range.
    const ConfigVariable *hopsVariable = ConfigRegistry::variable(QStringLiteral("TMAIL_SMTPD_MAX_HOPS"));
    auto *hops = qobject_cast<QSpinBox *>(page->editor(QStringLiteral("TMAIL_SMTPD_MAX_HOPS"))->focusTarget());
    QVERIFY(hops);
    QCOMPARE(qint64(hops->minimum()), hopsVariable->minimum);
    QCOMPARE(qint64(hops->maximum()), hopsVariable->maximum);
    QCOMPARE(QString::number(hops->value()), page->editor(QStringLiteral("TMAIL_SMTPD_MAX_HOPS"))->value());
    QVERIFY(hops->accessibleName().contains(QLatin1String("TMAIL_SMTPD_MAX_HOPS")));
    // A boolean: a check box.
    auto *debug = qobject_cast<QCheckBox *>(page->editor(QStringLiteral("TMAIL_DEBUG_ENABLED"))->focusTarget());
    QVERIFY(debug);
    QVERIFY(debug->accessibleName().contains(debug->text().remove(QLatin1Char('&'))));
    // The listeners: a table with one row per listener, written back as the file has them.
    ConfigField *listeners = page->editor(QStringLiteral("TMAIL_SMTPD_DSNS"));
    auto *table = qobject_cast<QTableWidget *>(listeners->focusTarget());
    QVERIFY(table);
    const Expected<QList<ListenerDsn>> parsed = ListenerDsn::parseList(listeners->value());
    QVERIFY(parsed.ok());
    QCOMPARE(table->rowCount(), parsed->size());
    QCOMPARE(table->item(0, 1)->text(), QString::number(parsed->first().port));
    // The sqlite database: a path, not masked like a password.
    auto *path = qobject_cast<QLineEdit *>(page->editor(QStringLiteral("TMAIL_DB_SOURCE"))->focusTarget());
    QVERIFY(path);
    QCOMPARE(path->echoMode(), QLineEdit::Normal);
    // A database server: one field each, only the password masked, written back quoted.
    ConfigField *source = page->editor(QStringLiteral("TMAIL_DB_SOURCE"));
    source->setDriver(QStringLiteral("postgres"));
    source->setValue(QStringLiteral("host=db.example port=5432 user=tmail password='a b' dbname=mail"));
    QList<QLineEdit *> edits;
    for (QLineEdit *edit : source->findChildren<QLineEdit *>())
    {
        if (edit->isVisibleTo(source))
            edits.append(edit);
    }
    QCOMPARE(edits.size(), 5);
    int masked = 0;
    for (QLineEdit *edit : edits)
    {
        if (edit->echoMode() != QLineEdit::Normal)
        {
            ++masked;
            QCOMPARE(edit->text(), QStringLiteral("a b"));
        }
    }
    QCOMPARE(masked, 1);
    QCOMPARE(source->value(), QStringLiteral("host=db.example port=5432 user=tmail password='a b' dbname=mail"));
    page->reload();
}

void TestManagerGui::configPageSaysWhatWasAppliedAndWhatWaitsForARestart()
{
    if (m_daemon.inProcess())
        QSKIP("applying settings live is the daemon's reload; the in-process fixture has none");
    ConfigPage *page = m_window->configPage();
    m_window->tabs()->setCurrentWidget(page);
    // Replies come in request order: once this one is in, no earlier reload rebuilds the form.
    bool settled = false;
    m_window->connection()->request(
        QStringLiteral("status"), {}, page, [&settled](const ManagerConnection::Reply &) { settled = true; });
    QTRY_VERIFY_WITH_TIMEOUT(settled, 10000);
    auto *badRcpt = qobject_cast<QSpinBox *>(page->editor(QStringLiteral("TMAIL_SMTPD_MAX_BAD_RCPT"))->focusTarget());
    auto *dns = qobject_cast<QLineEdit *>(page->editor(QStringLiteral("TMAIL_DNS_SERVERS"))->focusTarget());
    QVERIFY(badRcpt && dns);
    const int badRcptBefore = badRcpt->value();
    const QString dnsBefore = dns->text();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QSignalSpy loaded(page, &ConfigPage::loaded);
    badRcpt->setFocus();
    badRcpt->selectAll();
    QTest::keyClicks(badRcpt, QStringLiteral("3"));
    typeInto(dns, QStringLiteral("127.0.0.1:5353"));
    QTest::keyClick(badRcpt, Qt::Key_S, Qt::ControlModifier);
    // The form is read again after the save, and the message stays.
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
    QVERIFY2(page->messageText().startsWith(QLatin1String("Saved.")), qPrintable(page->messageText()));
    QVERIFY2(page->messageText().contains(QLatin1String("Applied now: TMAIL_SMTPD_MAX_BAD_RCPT")),
        qPrintable(page->messageText()));
    QVERIFY2(page->messageText().contains(QLatin1String("Restart tmail to apply: TMAIL_DNS_SERVERS")),
        qPrintable(page->messageText()));

    // Back as it was: the restart-only value returns to what runs, so nothing waits.
    QCOMPARE(page->editor(QStringLiteral("TMAIL_SMTPD_MAX_BAD_RCPT"))->value(), QStringLiteral("3"));
    badRcpt = qobject_cast<QSpinBox *>(page->editor(QStringLiteral("TMAIL_SMTPD_MAX_BAD_RCPT"))->focusTarget());
    dns = qobject_cast<QLineEdit *>(page->editor(QStringLiteral("TMAIL_DNS_SERVERS"))->focusTarget());
    QVERIFY(badRcpt && dns);
    badRcpt->setValue(badRcptBefore);
    typeInto(dns, dnsBefore);
    page->save();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 10000);
    QVERIFY2(page->messageText().contains(QLatin1String("Applied now: TMAIL_SMTPD_MAX_BAD_RCPT")),
        qPrintable(page->messageText()));
    QVERIFY2(!page->messageText().contains(QLatin1String("Restart")), qPrintable(page->messageText()));
}

void TestManagerGui::frenchBuildShowsFrenchStrings()
{
    m_window->setLanguage(QStringLiteral("fr"));
    QCOMPARE(m_window->tabs()->tabText(0), QStringLiteral("Tableau de bord"));
    QCOMPARE(m_window->tabs()->tabText(2), QStringLiteral("Domaines"));
    QCOMPARE(m_window->tabs()->tabText(7), QStringLiteral("File d’attente"));
    QCOMPARE(m_window->dkimPage()->model()->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Sélecteur"));
    QVERIFY(findByAccessibleName<QPushButton>(m_window->dkimPage(), QStringLiteral("Renouveler")));
    QCOMPARE(m_window->dkimPage()->recordsEdit()->accessibleName(), QStringLiteral("Enregistrements TXT à publier"));
    QVERIFY(findByAccessibleDescription<QPushButton>(m_window->domainsPage(), QStringLiteral("Ajouter un domaine")));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Gestionnaire tmail"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->pagesLoaded(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(modelContains(m_window->domainsPage()->model(), 0, QStringLiteral("gui.example")), 10000);
    const QString header = m_window->domainsPage()->model()->headerData(0, Qt::Horizontal).toString();
    QCOMPARE(header, QStringLiteral("Domaine"));
    // The daemon sends the database's driver and source as data; the words around them are French.
    QString database;
    for (const QLabel *label : m_window->dashboardPage()->findChildren<QLabel *>())
    {
        if (label->text().startsWith(QLatin1String("sqlite3")))
            database = label->text();
    }
    QVERIFY2(database.startsWith(QStringLiteral("sqlite3, source\u00a0: /")), qPrintable(database));
    m_window->setLanguage(QStringLiteral("en"));
    QCOMPARE(m_window->tabs()->tabText(0), QStringLiteral("Dashboard"));
}

void TestManagerGui::buttonsShowTheirWholeText_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("English") << QStringLiteral("en");
    QTest::newRow("French") << QStringLiteral("fr");
}

// Every page's buttons get at least the width their text needs, so none is clipped.
void TestManagerGui::buttonsShowTheirWholeText()
{
    QFETCH(QString, language);
    m_window->setLanguage(language);
    int checked = 0;
    for (int index = 0; index < m_window->tabs()->count(); ++index)
    {
        m_window->tabs()->setCurrentIndex(index);
        QWidget *page = m_window->tabs()->currentWidget();
        QTRY_VERIFY(page->isVisible());
        QApplication::processEvents();
        for (const QPushButton *button : page->findChildren<QPushButton *>())
        {
            if (!button->isVisible())
                continue;
            ++checked;
            QVERIFY2(button->width() >= button->sizeHint().width(),
                qPrintable(QStringLiteral("“%1” on %2 is %3 px wide and needs %4")
                               .arg(button->text(), m_window->tabs()->tabText(index))
                               .arg(button->width())
                               .arg(button->sizeHint().width())));
        }
    }
    QVERIFY(checked > 10);
    m_window->setLanguage(QStringLiteral("en"));
    m_window->tabs()->setCurrentIndex(0);
}

void TestManagerGui::changePasswordIsNotClipped_data()
{
    buttonsShowTheirWholeText_data();
}

// The Users page's longest button keeps its whole text, in the narrowest window the layouts
// allow: its size hint covers the text as the font measures it, and it gets that width.
void TestManagerGui::changePasswordIsNotClipped()
{
    QFETCH(QString, language);
    m_window->setLanguage(language);
    UsersPage *page = m_window->usersPage();
    m_window->tabs()->setCurrentWidget(page);
    QTRY_VERIFY(page->isVisible());
    const QSize before = m_window->size();
    m_window->resize(200, 200);
    QApplication::processEvents();
    const QString text = QCoreApplication::translate("UsersPage", "Change &password…");
    QVERIFY2(text.contains(language == QLatin1String("fr") ? QLatin1String("mot de ") : QLatin1String("Change ")),
        qPrintable(text));
    QPushButton *button = nullptr;
    for (QPushButton *candidate : page->findChildren<QPushButton *>())
    {
        if (candidate->text() == text)
            button = candidate;
    }
    QVERIFY2(button, qPrintable(text));
    QCOMPARE(accessibleText(button, QAccessible::Name), QString(text).remove(QLatin1Char('&')));
    const int textWidth = QFontMetrics(button->font()).horizontalAdvance(QString(text).remove(QLatin1Char('&')));
    const QString figures = QStringLiteral("“%1”: text %2 px, size hint %3 px, width %4 px, window %5 px")
                                .arg(text)
                                .arg(textWidth)
                                .arg(button->sizeHint().width())
                                .arg(button->width())
                                .arg(m_window->width());
    QVERIFY2(button->sizeHint().width() > textWidth, qPrintable(figures));
    QVERIFY2(button->width() >= button->sizeHint().width(), qPrintable(figures));
    m_window->resize(before);
    m_window->setLanguage(QStringLiteral("en"));
    m_window->tabs()->setCurrentIndex(0);
}

// File > Administrators…: the list, an administrator added and deleted with the keyboard and
// the mouse, a bad name refused next to its field before anything is sent.
void TestManagerGui::administratorsAreManagedInTheirWindow()
{
    const TmailRun made = m_daemon.environment().run(
        { QStringLiteral("admin"), QStringLiteral("add"), QStringLiteral("gui-viewer"), QStringLiteral("--role"),
            QStringLiteral("viewer"), QStringLiteral("--password-stdin") },
        QByteArrayLiteral("viewer password\n"));
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    m_window->setLanguage(QStringLiteral("en"));
    QPointer<QDialog> window = m_window->openAdministrators();
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window.data()));
    QCOMPARE(window->windowTitle(), QStringLiteral("Administrators"));
    AdminsPage *page = m_window->adminsPage();
    QVERIFY(page);
    // It opens on its list.
    QCOMPARE(QApplication::focusWidget(), page->view());
    QTRY_VERIFY_WITH_TIMEOUT(modelContains(page->model(), 0, QStringLiteral("gui-viewer")), 10000);
    QCOMPARE(page->model()->index(0, 1).data().toString(), QStringLiteral("Viewer"));
    QStringList problems;
    checkAccessibleNames(QAccessible::queryAccessibleInterface(window.data()), window->windowTitle(), &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));

    QTest::mouseClick(
        findByAccessibleDescription<QPushButton>(page, QStringLiteral("Add an administrator")), Qt::LeftButton);
    QPointer<AdminDialog> dialog = page->findChild<AdminDialog *>();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog.data()));
    auto *name = findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Name"));
    // A combo box reads as its current text; its name is its label.
    auto *role = dialog->findChild<QComboBox *>();
    auto *password = findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Password"));
    auto *confirmation = findByAccessibleName<QLineEdit>(dialog, QStringLiteral("Confirm password"));
    QVERIFY(name);
    QVERIFY(role);
    QCOMPARE(role->accessibleName(), QStringLiteral("Role"));
    QVERIFY(password);
    QVERIFY(confirmation);
    QCOMPARE(QApplication::focusWidget(), name);
    typeInto(name, QStringLiteral("Bad Name"));
    typeInto(password, QStringLiteral("gui admin pw"));
    typeInto(confirmation, QStringLiteral("gui admin pw"));
    QTest::keyClick(confirmation, Qt::Key_Return);
    QVERIFY2(dialog->errorText().contains(QLatin1String("is not a name")), qPrintable(dialog->errorText()));
    QCOMPARE(QApplication::focusWidget(), name);
    typeInto(name, QStringLiteral("gui-operator"));
    role->setCurrentIndex(role->findData(QStringLiteral("operator")));
    QCOMPARE(role->currentText(), QStringLiteral("Operator"));
    QTest::mouseClick(findByAccessibleName<QPushButton>(dialog, QStringLiteral("OK")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(modelContains(page->model(), 0, QStringLiteral("gui-operator")), 10000);
    TmailRun list = m_daemon.tmail({ QStringLiteral("admin"), QStringLiteral("list") });
    QVERIFY2(list.out.contains(QRegularExpression(QStringLiteral("gui-operator +operator"))), qPrintable(list.out));

    // Deleted after the question.
    for (int row = 0; row < page->model()->rowCount(); ++row)
    {
        if (page->model()->index(row, 0).data().toString() == QLatin1String("gui-operator"))
            page->view()->selectRow(row);
    }
    answerNextQuestion(QMessageBox::Yes);
    QTest::mouseClick(
        findByAccessibleDescription<QPushButton>(page, QStringLiteral("Delete the selected administrator")),
        Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!modelContains(page->model(), 0, QStringLiteral("gui-operator")), 10000);
    list = m_daemon.tmail({ QStringLiteral("admin"), QStringLiteral("list") });
    QVERIFY2(!list.out.contains(QLatin1String("gui-operator")), qPrintable(list.out));
    QVERIFY2(list.out.contains(QLatin1String("gui-viewer")), qPrintable(list.out));
    window->close();
    QTRY_VERIFY(window.isNull());
    m_window->activateWindow();
}

void TestManagerGui::screenshotModeSavesEveryPage()
{
    const QString binary = QStringLiteral(TMAIL_BUILD_DIR "/gui/tmail-manager");
    if (!QFile::exists(binary))
        TMAIL_REQUIRE_PEER(false, "tmail-manager is not built yet");
    QTemporaryDir dir;
    // Runs while this process keeps serving the daemon's socket, so wait without blocking.
    QProcess process;
    process.start(binary,
        { QStringLiteral("--socket"), m_daemon.socketPath(), QStringLiteral("--lang"), QStringLiteral("fr"),
            QStringLiteral("--screenshot"), dir.path() });
    QVERIFY(QTest::qWaitFor([&process]() { return process.state() == QProcess::NotRunning; }, 60000));
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(QDir(dir.path()).entryList({ QStringLiteral("manager-fr-*.png") }).size(), 9);

    QProcess failing;
    failing.start(binary,
        { QStringLiteral("--socket"), dir.filePath(QStringLiteral("nothing.sock")), QStringLiteral("--screenshot"),
            dir.path() });
    QVERIFY(QTest::qWaitFor([&failing]() { return failing.state() == QProcess::NotRunning; }, 60000));
    QVERIFY(failing.exitCode() != 0);
    QVERIFY(failing.readAllStandardError().contains("cannot connect"));
}

// The whole path as a screen-reader user takes it, through the real accessibility bus:
// tests/gui/atspi_check.py runs tmail-manager under Xvfb and drives it only through AT-SPI.
void TestManagerGui::screenReaderAddsADomainThroughAtSpi()
{
    const QString binary = QStringLiteral(TMAIL_BUILD_DIR "/gui/tmail-manager");
    if (!QFile::exists(binary))
        QSKIP("tmail-manager is not built yet");
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(TMAIL_SOURCE_DIR "/tests/gui/atspi_check.py"), binary, m_daemon.socketPath(),
            QStringLiteral("atspi.example") });
    // The daemon may run in this process: wait without blocking its event loop.
    QVERIFY(QTest::qWaitFor([&process]() { return process.state() == QProcess::NotRunning; }, 70000));
    const QByteArray output = process.readAll();
    TMAIL_REQUIRE_PEER(
        process.exitStatus() != QProcess::NormalExit || process.exitCode() != 77, QString::fromUtf8(output));
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0, output.constData());
    const TmailRun list = m_daemon.tmail({ QStringLiteral("rcpthost"), QStringLiteral("list") });
    QVERIFY2(list.out.contains(QLatin1String("atspi.example")), qPrintable(list.out));
}

void TestManagerGui::dashboardShowsTheDaemonsHistoryDestinationsAndNodes()
{
    if (m_daemon.inProcess())
        QSKIP("the in-process fixture runs no deliverd, which beats");
    // Mail the daemon handles before this manager starts: two messages to a domain whose
    // MX cannot be found, so they wait in the queue.
    QCOMPARE(
        m_daemon.tmail({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("waiting.test") }).exitCode,
        0);
    QTest::qWait(1100); // the rcpthost reaches the running daemon within a second
    SmtpTestClient smtp;
    QVERIFY(smtp.connectTo(m_daemon.smtpPort()));
    QVERIFY(smtp.readReply().startsWith(QLatin1String("220")));
    QVERIFY(smtp.command(QStringLiteral("HELO client.test")).startsWith(QLatin1String("250")));
    for (int i = 0; i < 2; ++i)
    {
        QVERIFY(smtp.command(QStringLiteral("MAIL FROM:<>")).startsWith(QLatin1String("250")));
        QVERIFY(smtp.command(QStringLiteral("RCPT TO:<r%1@waiting.test>").arg(i)).startsWith(QLatin1String("250")));
        QVERIFY(smtp.command(QStringLiteral("DATA")).startsWith(QLatin1String("354")));
        QVERIFY(smtp.command(QStringLiteral("Subject: waiting\r\n\r\nbody\r\n.")).startsWith(QLatin1String("250")));
    }
    smtp.command(QStringLiteral("QUIT"));

    // A manager started now: its chart holds that mail as soon as the link is up.
    ManagerConnection connection;
    DashboardPage page(&connection);
    page.resize(900, 700);
    page.show();
    qint64 acceptedWhenSynchronized = -1;
    connect(&connection, &ManagerConnection::synchronized, &page,
        [&]() { acceptedWhenSynchronized = page.chart()->total(ThroughputChart::Accepted); });
    connection.connectToDaemon(m_daemon.socketPath());
    QTRY_VERIFY_WITH_TIMEOUT(connection.isSynchronized(), 10000);
    QVERIFY2(acceptedWhenSynchronized >= 2, qPrintable(QString::number(acceptedWhenSynchronized)));
    QVERIFY(page.chart()->minutesWithData() >= 1);
    // Every message was plain text.
    QVERIFY2(page.tlsShareLabel()->text().contains(QLatin1String(" 0 %")), qPrintable(page.tlsShareLabel()->text()));
    QCOMPARE(accessibleText(page.tlsShareLabel(), QAccessible::Name), page.tlsShareLabel()->text());

    // The queue's destinations and the nodes, as the daemon lists them.
    QTableWidget *destinations = page.destinationsTable();
    const auto destinationRow = [destinations]() {
        for (int row = 0; row < destinations->rowCount(); ++row)
        {
            if (destinations->item(row, 0) && destinations->item(row, 0)->text() == QLatin1String("waiting.test"))
                return row;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(destinationRow() >= 0, 10000);
    QCOMPARE(destinations->item(destinationRow(), 1)->text(), QStringLiteral("2"));
    QVERIFY(destinations->item(destinationRow(), 2)->text().endsWith(QLatin1String(" s")));
    QCOMPARE(destinations->accessibleName(), QStringLiteral("Queue by destination"));
    QTableWidget *nodes = page.nodesTable();
    QTRY_VERIFY_WITH_TIMEOUT(nodes->rowCount() >= 1, 10000);
    QCOMPARE(nodes->item(0, 5)->text(), QStringLiteral("running"));
    QVERIFY(nodes->item(0, 3)->text().endsWith(QLatin1String(" ago")));
    QCOMPARE(nodes->accessibleName(), QStringLiteral("Nodes"));

    // The main window's Dashboard, connected before the mail came, follows through events.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboardPage()->chart()->total(ThroughputChart::Accepted) >= 2, 10000);
    connection.disconnectFromDaemon();
}

QTEST_MAIN(TestManagerGui)
#include "tst_managergui.moc"
