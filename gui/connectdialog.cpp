// See connectdialog.h.
#include "connectdialog.h"

#include "certificatepins.h"
#include "core/adminvalues.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {

constexpr int DefaultPort = 9930;
constexpr int MaxSavedServers = 10;

QSettings settings()
{
    return QSettings(QStringLiteral("tmail"), QStringLiteral("tmail-manager"));
}

// A form row whose field is named by its label's text.
void addRow(QFormLayout *form, const QString &label, QWidget *field)
{
    field->setAccessibleName(QString(label).remove(QLatin1Char('&')).remove(QLatin1Char(':')).trimmed());
    form->addRow(label, field);
}

} // namespace

ConnectDialog::ConnectDialog(const QString &socketName, QWidget *parent)
    : QDialog(parent)
    , m_local(new QRadioButton(tr("&This computer (local socket)"), this))
    , m_remote(new QRadioButton(tr("&Remote server (TLS)"), this))
    , m_socket(new QLineEdit(socketName, this))
    , m_saved(new QComboBox(this))
    , m_host(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Connect to tmail"));
    m_local->setAccessibleName(tr("This computer (local socket)"));
    m_remote->setAccessibleName(tr("Remote server (TLS)"));
    m_port->setRange(1, 65535);
    m_port->setValue(DefaultPort);
    m_host->setPlaceholderText(tr("mail.example.com"));
    m_password->setEchoMode(QLineEdit::Password);
    m_saved->addItem(tr("(new server)"));
    const QStringList saved = settings().value(QStringLiteral("servers")).toStringList();
    for (const QString &server : saved)
        m_saved->addItem(server);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c01c28;"));
    m_error->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_local);
    auto *localForm = new QFormLayout;
    addRow(localForm, tr("&Socket:"), m_socket);
    layout->addLayout(localForm);
    layout->addWidget(m_remote);
    auto *remoteForm = new QFormLayout;
    addRow(remoteForm, tr("Sa&ved servers:"), m_saved);
    addRow(remoteForm, tr("&Host:"), m_host);
    addRow(remoteForm, tr("&Port:"), m_port);
    addRow(remoteForm, tr("&Administrator:"), m_user);
    addRow(remoteForm, tr("Pass&word:"), m_password);
    layout->addLayout(remoteForm);
    auto *note = new QLabel(tr("The password is sent over TLS and never saved."), this);
    note->setWordWrap(true);
    layout->addWidget(note);
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    buttons->button(QDialogButtonBox::Ok)->setAccessibleName(tr("Connect"));
    buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Cancel"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
    connect(m_local, &QRadioButton::toggled, this, &ConnectDialog::updateEnabled);
    connect(m_saved, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index <= 0)
            return;
        const QString server = m_saved->itemText(index);
        const int at = server.lastIndexOf(QLatin1Char('@'));
        QString host;
        quint16 port = 0;
        if (parseServer(server.mid(at + 1), &host, &port))
            setRemote(host, port, at > 0 ? server.left(at) : QString());
    });
    m_local->setChecked(true);
    updateEnabled();
}

void ConnectDialog::setRemote(const QString &host, quint16 port, const QString &user)
{
    m_remote->setChecked(true);
    m_host->setText(host);
    m_port->setValue(port);
    m_user->setText(user);
    m_password->setFocus();
}

bool ConnectDialog::isRemote() const
{
    return m_remote->isChecked();
}

QString ConnectDialog::socketName() const
{
    return m_socket->text().trimmed();
}

QString ConnectDialog::host() const
{
    QString host = m_host->text().trimmed();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    return host;
}

quint16 ConnectDialog::port() const
{
    return quint16(m_port->value());
}

QString ConnectDialog::user() const
{
    return m_user->text().trimmed();
}

QString ConnectDialog::password() const
{
    return m_password->text();
}

void ConnectDialog::updateEnabled()
{
    const bool remote = m_remote->isChecked();
    m_socket->setEnabled(!remote);
    for (QWidget *field : { static_cast<QWidget *>(m_saved), static_cast<QWidget *>(m_host),
             static_cast<QWidget *>(m_port), static_cast<QWidget *>(m_user), static_cast<QWidget *>(m_password) })
        field->setEnabled(remote);
}

void ConnectDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    // The first field to fill: the socket, the host, or the password once the rest is known.
    if (!isRemote())
        m_socket->setFocus();
    else if (host().isEmpty())
        m_host->setFocus();
    else if (user().isEmpty())
        m_user->setFocus();
    else
        m_password->setFocus();
}

void ConnectDialog::accept()
{
    const auto refuse = [this](QWidget *field, const QString &text) {
        m_error->setText(text);
        m_error->setAccessibleName(text);
        m_error->show();
        field->setFocus();
    };
    if (!isRemote())
    {
        if (socketName().isEmpty())
            return refuse(m_socket, tr("Enter the name or path of the daemon's socket."));
        QDialog::accept();
        return;
    }
    if (host().isEmpty() || host().contains(QLatin1Char(' ')))
        return refuse(m_host, tr("Enter the host name or IP address of the server."));
    if (!AdminValues::adminName(user()))
        return refuse(m_user, tr("Enter the administrator's name (letters a-z, digits, '.', '_' and '-')."));
    if (password().isEmpty())
        return refuse(m_password, tr("Enter the password."));
    rememberServer();
    QDialog::accept();
}

void ConnectDialog::rememberServer() const
{
    const QString server = user() + QLatin1Char('@') + CertificatePins::serverName(host(), port());
    QSettings store = settings();
    QStringList saved = store.value(QStringLiteral("servers")).toStringList();
    saved.removeAll(server);
    saved.prepend(server);
    store.setValue(QStringLiteral("servers"), saved.mid(0, MaxSavedServers));
}

bool ConnectDialog::parseServer(const QString &text, QString *host, quint16 *port)
{
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    QString name = text.left(colon);
    if (name.startsWith(QLatin1Char('[')))
    {
        if (!name.endsWith(QLatin1Char(']')))
            return false;
        name = name.mid(1, name.size() - 2);
        if (QHostAddress(name).protocol() != QAbstractSocket::IPv6Protocol)
            return false;
    }
    else if (name.contains(QLatin1Char(':')))
    {
        return false; // an IPv6 address goes in brackets
    }
    bool numeric = false;
    const uint number = text.mid(colon + 1).toUInt(&numeric);
    if (!numeric || number < 1 || number > 65535 || name.isEmpty())
        return false;
    *host = name;
    *port = quint16(number);
    return true;
}

// The question has its own translation context: its buttons' Alt letters are chosen
// apart from the dialog's.
class CertificateQuestion
{
    Q_DECLARE_TR_FUNCTIONS(CertificateQuestion)
public:
    static bool ask(QWidget *parent, const QString &server, const QByteArray &fingerprint, const QByteArray &pinned);
};

bool CertificateQuestion::ask(
    QWidget *parent, const QString &server, const QByteArray &fingerprint, const QByteArray &pinned)
{
    QMessageBox box(parent);
    box.setWindowTitle(tr("Server certificate"));
    const QString shown = CertificatePins::display(fingerprint);
    QPushButton *trust = nullptr;
    QPushButton *refuse = nullptr;
    if (pinned.isEmpty())
    {
        box.setIcon(QMessageBox::Question);
        box.setText(tr("First connection to %1.").arg(server));
        box.setInformativeText(tr("Its certificate has the SHA-256 fingerprint:\n%1\n\nCompare it with the one in the "
                                  "daemon's log (\"remote manager listening on …\") before you trust it. Once "
                                  "trusted, it is remembered and checked at every connection.")
                                   .arg(shown));
        trust = box.addButton(tr("&Trust this certificate"), QMessageBox::AcceptRole);
        refuse = box.addButton(tr("&Cancel"), QMessageBox::RejectRole);
        box.setDefaultButton(trust);
    }
    else
    {
        box.setIcon(QMessageBox::Warning);
        box.setText(tr("The certificate of %1 has changed!").arg(server));
        box.setInformativeText(
            tr("Someone may be impersonating the server to capture your password, or the certificate was "
               "replaced. The connection was refused.\n\nTrusted fingerprint:\n%1\n\nFingerprint now presented:\n%2"
               "\n\nTrust the new certificate only if you know it was replaced.")
                .arg(CertificatePins::display(pinned), shown));
        trust = box.addButton(tr("Trust the &new certificate"), QMessageBox::DestructiveRole);
        refuse = box.addButton(tr("&Refuse"), QMessageBox::RejectRole);
        box.setDefaultButton(refuse);
    }
    trust->setAccessibleName(QString(trust->text()).remove(QLatin1Char('&')));
    refuse->setAccessibleName(QString(refuse->text()).remove(QLatin1Char('&')));
    box.setEscapeButton(refuse);
    box.exec();
    return box.clickedButton() == trust;
}

bool ConnectDialog::confirmCertificate(
    QWidget *parent, const QString &server, const QByteArray &fingerprint, const QByteArray &pinned)
{
    return CertificateQuestion::ask(parent, server, fingerprint, pinned);
}
