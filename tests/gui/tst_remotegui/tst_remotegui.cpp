// The manager's remote link against the real daemon (TMAIL_MANAGER_LISTEN): the certificate
// is asked about on first contact, pinned once accepted, and a changed one is refused before
// any password is sent; the connection dialog checks its fields and saves no password.
#include "managertestdaemon.h"
#include "testpeers.h"
#include "tmailprocess.h"

#include "certificatepins.h"
#include "connectdialog.h"
#include "mainwindow.h"
#include "managerconnection.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

class TestRemoteGui : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void firstContactAsksThenPins();
    void changedCertificateIsRefused();
    void wrongPasswordStopsRetrying();
    void dialogChecksFieldsAndSavesNoPassword();
    void dialogStartsOnItsFirstField();
    void parsesConnectArgument();

private:
    QByteArray daemonFingerprint() const;
    QString server() const { return CertificatePins::serverName(QStringLiteral("127.0.0.1"), m_port); }

    ManagerTestDaemon m_daemon;
    quint16 m_port = 0;
};

void TestRemoteGui::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings in a test location
    QSettings(QStringLiteral("tmail"), QStringLiteral("tmail-manager")).clear();
    m_port = freeLoopbackPort();
    m_daemon.setSetting(QStringLiteral("TMAIL_MANAGER_LISTEN"), QStringLiteral("127.0.0.1:%1").arg(m_port));
    QString error;
    QVERIFY2(m_daemon.start(&error), qPrintable(error));
    const TmailRun run = m_daemon.environment().run(
        { QStringLiteral("admin"), QStringLiteral("add"), QStringLiteral("desk"), QStringLiteral("--role"),
            QStringLiteral("operator"), QStringLiteral("--password-stdin") },
        "desk password\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
}

void TestRemoteGui::cleanupTestCase()
{
    QSettings(QStringLiteral("tmail"), QStringLiteral("tmail-manager")).clear();
    m_daemon.stop();
}

QByteArray TestRemoteGui::daemonFingerprint() const
{
    QFile file(const_cast<ManagerTestDaemon &>(m_daemon).environment().path(QStringLiteral("ssl/server.crt")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return CertificatePins::fingerprint(QSslCertificate(file.readAll(), QSsl::Pem));
}

void TestRemoteGui::firstContactAsksThenPins()
{
    QSettings(QStringLiteral("tmail"), QStringLiteral("tmail-manager")).clear();
    ManagerConnection connection;
    QSignalSpy asked(&connection, &ManagerConnection::certificateNeedsApproval);
    connection.connectToRemote(
        QStringLiteral("127.0.0.1"), m_port, QStringLiteral("desk"), QStringLiteral("desk password"));
    QVERIFY(asked.wait(10000));
    QCOMPARE(asked.first().at(0).toString(), server());
    QCOMPARE(asked.first().at(1).toByteArray(), daemonFingerprint());
    QVERIFY(asked.first().at(2).toByteArray().isEmpty()); // first contact
    QCOMPARE(connection.state(), ManagerConnection::State::Disconnected);

    connection.trustCertificate(asked.first().at(1).toByteArray());
    QVERIFY(QTest::qWaitFor([&]() { return connection.isSynchronized(); }, 10000));
    QCOMPARE(connection.role(), QStringLiteral("operator"));
    QCOMPARE(CertificatePins::pinned(server()), daemonFingerprint());

    // Pinned: the next connection asks nothing.
    ManagerConnection again;
    QSignalSpy askedAgain(&again, &ManagerConnection::certificateNeedsApproval);
    again.connectToRemote(QStringLiteral("127.0.0.1"), m_port, QStringLiteral("desk"), QStringLiteral("desk password"));
    QVERIFY(QTest::qWaitFor([&]() { return again.isSynchronized(); }, 10000));
    QCOMPARE(askedAgain.size(), 0);
    bool answered = false;
    ManagerConnection::Reply reply;
    again.request(QStringLiteral("config.set"),
        { { QStringLiteral("values"),
            QJsonObject { { QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("30") } } } },
        this, [&](const ManagerConnection::Reply &r) {
            reply = r;
            answered = true;
        });
    QVERIFY(QTest::qWaitFor([&]() { return answered; }, 10000));
    QCOMPARE(reply.errorCode, QStringLiteral("permission_denied"));
    QVERIFY2(ManagerConnection::describeError(reply).contains(QLatin1String("role")),
        qPrintable(ManagerConnection::describeError(reply)));
}

void TestRemoteGui::changedCertificateIsRefused()
{
    // A pin from "before": the server now shows another certificate.
    const QByteArray previous = QByteArray(32, '\x5a');
    CertificatePins::pin(server(), previous);
    ManagerConnection connection;
    QSignalSpy asked(&connection, &ManagerConnection::certificateNeedsApproval);
    QSignalSpy states(&connection, &ManagerConnection::stateChanged);
    connection.connectToRemote(
        QStringLiteral("127.0.0.1"), m_port, QStringLiteral("desk"), QStringLiteral("desk password"));
    QVERIFY(asked.wait(10000));
    QCOMPARE(asked.first().at(2).toByteArray(), previous);
    QCOMPARE(asked.first().at(1).toByteArray(), daemonFingerprint());
    QVERIFY2(connection.lastError().contains(QLatin1String("changed")), qPrintable(connection.lastError()));
    // It never got as far as the hello, let alone the login, and does not retry by itself.
    for (const QList<QVariant> &state : std::as_const(states))
        QVERIFY(state.at(0).value<ManagerConnection::State>() != ManagerConnection::State::Handshaking);
    QTest::qWait(1500);
    QCOMPARE(connection.state(), ManagerConnection::State::Disconnected);
    QCOMPARE(CertificatePins::pinned(server()), previous);

    // The window asks with a warning whose default answer refuses.
    MainWindow window(m_daemon.socketPath(), QStringLiteral("en"), nullptr, false);
    QString warningText;
    bool defaultRefuses = false;
    // The question runs its own event loop: a timer answers it from inside.
    QTimer answer;
    answer.setInterval(100);
    connect(&answer, &QTimer::timeout, this, [&]() {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || !box->defaultButton())
            return;
        answer.stop();
        warningText = box->text() + box->informativeText();
        defaultRefuses = box->defaultButton()->text().contains(QLatin1String("Refuse"));
        box->defaultButton()->click();
    });
    answer.start();
    emit window.connection()->certificateNeedsApproval(server(), daemonFingerprint(), previous);
    QVERIFY(QTest::qWaitFor([&]() { return !warningText.isEmpty(); }, 15000));
    QVERIFY2(warningText.contains(QLatin1String("has changed")), qPrintable(warningText));
    QVERIFY2(warningText.contains(CertificatePins::display(previous)), qPrintable(warningText));
    QVERIFY2(warningText.contains(CertificatePins::display(daemonFingerprint())), qPrintable(warningText));
    QVERIFY(defaultRefuses);
    QCOMPARE(CertificatePins::pinned(server()), previous);
}

void TestRemoteGui::wrongPasswordStopsRetrying()
{
    CertificatePins::pin(server(), daemonFingerprint());
    ManagerConnection connection;
    QSignalSpy errors(&connection, &ManagerConnection::error);
    connection.connectToRemote(QStringLiteral("127.0.0.1"), m_port, QStringLiteral("desk"), QStringLiteral("not it"));
    QVERIFY(errors.wait(10000));
    QVERIFY2(connection.lastError().contains(QLatin1String("wrong password")), qPrintable(connection.lastError()));
    QTest::qWait(1500);
    QCOMPARE(connection.state(), ManagerConnection::State::Disconnected);
    QVERIFY(!connection.isSynchronized());
}

void TestRemoteGui::dialogChecksFieldsAndSavesNoPassword()
{
    QSettings(QStringLiteral("tmail"), QStringLiteral("tmail-manager")).remove(QStringLiteral("servers"));
    ConnectDialog dialog(QStringLiteral("tmail-manager"));
    dialog.setRemote(QString(), 9930, QStringLiteral("desk"));
    dialog.passwordEdit()->setText(QStringLiteral("Secret-Dialog-77"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected)); // no host: still open
    QVERIFY(dialog.errorLabel()->isVisibleTo(&dialog));
    QVERIFY(!dialog.errorLabel()->text().isEmpty());
    dialog.hostEdit()->setText(QStringLiteral("127.0.0.1"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.password(), QStringLiteral("Secret-Dialog-77"));
    QSettings settings(QStringLiteral("tmail"), QStringLiteral("tmail-manager"));
    QCOMPARE(settings.value(QStringLiteral("servers")).toStringList(),
        QStringList { QStringLiteral("desk@127.0.0.1:9930") });
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("Secret-Dialog-77"));
    // Every field is named by its label.
    for (QWidget *widget : dialog.findChildren<QWidget *>())
    {
        const bool insideSpinBox = qobject_cast<QAbstractSpinBox *>(widget->parentWidget());
        if ((qobject_cast<QLineEdit *>(widget) && !insideSpinBox) || qobject_cast<QAbstractButton *>(widget))
            QVERIFY2(!widget->accessibleName().isEmpty(), widget->metaObject()->className());
    }
}

void TestRemoteGui::dialogStartsOnItsFirstField()
{
    ConnectDialog local(QStringLiteral("tmail-manager"));
    local.show();
    QVERIFY(QTest::qWaitForWindowExposed(&local));
    QVERIFY(local.focusWidget() && local.focusWidget()->accessibleName() == QLatin1String("Socket"));
    local.close();
    ConnectDialog remote(QStringLiteral("tmail-manager"));
    remote.setRemote(QStringLiteral("mail.example.com"), 9930, QStringLiteral("desk"));
    remote.show();
    QVERIFY(QTest::qWaitForWindowExposed(&remote));
    QCOMPARE(remote.focusWidget(), remote.passwordEdit());
}

void TestRemoteGui::parsesConnectArgument()
{
    QString host;
    quint16 port = 0;
    QVERIFY(ConnectDialog::parseServer(QStringLiteral("mail.example.com:9930"), &host, &port));
    QCOMPARE(host, QStringLiteral("mail.example.com"));
    QCOMPARE(port, quint16(9930));
    QVERIFY(ConnectDialog::parseServer(QStringLiteral("[2001:db8::1]:9930"), &host, &port));
    QCOMPARE(host, QStringLiteral("2001:db8::1"));
    for (const char *bad : { "mail.example.com", "mail.example.com:0", "mail.example.com:70000", ":9930",
             "2001:db8::1:9930", "[mail.example.com]:9930", "host:port" })
        QVERIFY2(!ConnectDialog::parseServer(QString::fromLatin1(bad), &host, &port), bad);
}

QTEST_MAIN(TestRemoteGui)
#include "tst_remotegui.moc"
