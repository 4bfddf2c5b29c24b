// See admindialog.h.
#include "admindialog.h"

#include "core/adminvalues.h"

#include <QComboBox>
#include <QLineEdit>

AdminDialog::AdminDialog(ManagerConnection *connection, Mode mode, const QString &name, QWidget *parent)
    : RecordDialog(
        connection, mode == Mode::Add ? QStringLiteral("admins.add") : QStringLiteral("admins.setPassword"), parent)
    , m_name(new QLineEdit(name, this))
    , m_password(new QLineEdit(this))
    , m_confirmation(new QLineEdit(this))
{
    setWindowTitle(mode == Mode::Add ? tr("Add an administrator") : tr("Change an administrator's password"));
    m_name->setPlaceholderText(tr("alice"));
    m_name->setMaxLength(AdminValues::MaxAdminNameLength);
    m_name->setReadOnly(mode == Mode::SetPassword);
    m_password->setEchoMode(QLineEdit::Password);
    m_confirmation->setEchoMode(QLineEdit::Password);
    addField(tr("&Name:"), m_name, QStringLiteral("name"));
    if (mode == Mode::Add)
    {
        m_role = new QComboBox(this);
        for (const char *role : { "viewer", "operator", "admin" })
            m_role->addItem(roleText(QLatin1String(role)), QLatin1String(role));
        m_role->setToolTip(tr("Viewer: reads everything except secrets. Operator: also acts on the queue and "
                              "changes domains, users, relay IPs, routes and DKIM keys. Administrator: also changes "
                              "the configuration and the administrators."));
        addField(tr("&Role:"), m_role, QStringLiteral("role"));
        m_role->setAccessibleDescription(m_role->toolTip());
    }
    addField(tr("&Password:"), m_password, QStringLiteral("password"));
    addField(tr("&Confirm password:"), m_confirmation);
}

QString AdminDialog::roleText(const QString &role)
{
    if (role == QLatin1String("admin"))
        return tr("Administrator");
    if (role == QLatin1String("operator"))
        return tr("Operator");
    return tr("Viewer");
}

std::optional<QJsonObject> AdminDialog::collect()
{
    // The checks the daemon makes (AdminValues), so that a mistake shows before anything is sent.
    const Expected<QString> name = AdminValues::adminName(m_name->text().trimmed());
    if (!name)
        return rejectField(m_name, tr("The name %1.").arg(name.error()));
    const Status usable = AdminValues::adminPassword(m_password->text());
    if (!usable)
        return rejectField(m_password, tr("The password %1.").arg(usable.error()));
    if (m_password->text() != m_confirmation->text())
        return rejectField(m_confirmation, tr("The two passwords differ."));
    QJsonObject params { { QStringLiteral("name"), name.value() }, { QStringLiteral("password"), m_password->text() } };
    if (m_role)
        params.insert(QStringLiteral("role"), m_role->currentData().toString());
    return params;
}
