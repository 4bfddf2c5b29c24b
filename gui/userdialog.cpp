// See userdialog.h.
#include "userdialog.h"

#include "core/adminvalues.h"
#include "core/mailaddress.h"

#include <QCheckBox>
#include <QLineEdit>

UserDialog::UserDialog(ManagerConnection *connection, Mode mode, const QString &login, QWidget *parent)
    : RecordDialog(
        connection, mode == Mode::Add ? QStringLiteral("users.add") : QStringLiteral("users.setPassword"), parent)
    , m_mode(mode)
    , m_login(new QLineEdit(login, this))
    , m_password(new QLineEdit(this))
    , m_confirmation(new QLineEdit(this))
{
    setWindowTitle(mode == Mode::Add ? tr("Add a user") : tr("Change the password"));
    m_login->setPlaceholderText(tr("user@example.com"));
    m_login->setReadOnly(mode == Mode::SetPassword);
    m_password->setEchoMode(QLineEdit::Password);
    m_confirmation->setEchoMode(QLineEdit::Password);
    addField(tr("&Login:"), m_login, QStringLiteral("login"));
    addField(tr("&Password:"), m_password, QStringLiteral("password"));
    addField(tr("&Confirm password:"), m_confirmation);
    if (mode == Mode::Add)
    {
        m_mayRelay = new QCheckBox(tr("May send mail to any domain once authenticated"), this);
        m_mayRelay->setChecked(true);
        addField(tr("Relay:"), m_mayRelay, QStringLiteral("mayRelay"));
    }
}

std::optional<QJsonObject> UserDialog::collect()
{
    const Expected<MailAddress> login = MailAddress::parse(m_login->text().trimmed());
    if (!login)
    {
        return rejectField(m_login, tr("“%1” is not a valid e-mail address.").arg(m_login->text().trimmed()));
    }
    if (m_password->text().isEmpty())
    {
        return rejectField(m_password, tr("The password is empty."));
    }
    const Status usable = AdminValues::credential(m_password->text());
    if (!usable)
        return rejectField(m_password, tr("The password %1.").arg(usable.error()));
    if (m_password->text() != m_confirmation->text())
    {
        return rejectField(m_confirmation, tr("The two passwords differ."));
    }
    QJsonObject params { { QStringLiteral("login"), login->toString() },
        { QStringLiteral("password"), m_password->text() } };
    if (m_mayRelay)
        params.insert(QStringLiteral("mayRelay"), m_mayRelay->isChecked());
    return params;
}
