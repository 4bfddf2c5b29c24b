// See adminspage.h.
#include "adminspage.h"

#include "admindialog.h"

#include "core/timestamp.h"

#include <QTableView>

AdminsPage::AdminsPage(ManagerConnection *connection, QWidget *parent)
    : TablePage(connection, QStringLiteral("admins"), parent)
{
    model()->setColumns({ JsonTableModel::textColumn(tr("Name"), QStringLiteral("name")),
        { tr("Role"),
            [](const QJsonObject &row) -> QVariant {
                return AdminDialog::roleText(row.value(QStringLiteral("role")).toString());
            } },
        { tr("Created"), [](const QJsonObject &row) -> QVariant {
             return formatTimestampMs(qint64(row.value(QStringLiteral("createdAt")).toDouble()));
         } } });
    view()->setAccessibleName(tr("Administrators"));
    addAction(
        tr("&Add…"), tr("Add an administrator"), QKeySequence::New, [this]() { addAdmin(); }, false);
    addAction(
        tr("Change &password…"), tr("Change the password of the selected administrator"),
        QKeySequence(Qt::CTRL | Qt::Key_P), [this]() { changePassword(); }, true);
    addAction(
        tr("&Delete"), tr("Delete the selected administrator"), QKeySequence::Delete, [this]() { deleteAdmin(); },
        true);
    addToolbarStretch();
}

void AdminsPage::addAdmin()
{
    auto *dialog = new AdminDialog(m_connection, AdminDialog::Mode::Add, QString(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this]() { showMessage(tr("Administrator added."), false); });
    dialog->open();
}

void AdminsPage::changePassword()
{
    const QString name = selectedRow().value(QStringLiteral("name")).toString();
    if (name.isEmpty())
        return;
    auto *dialog = new AdminDialog(m_connection, AdminDialog::Mode::SetPassword, name, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
        [this, name]() { showMessage(tr("Password of the administrator %1 changed.").arg(name), false); });
    dialog->open();
}

void AdminsPage::deleteAdmin()
{
    const QString name = selectedRow().value(QStringLiteral("name")).toString();
    if (name.isEmpty() || !confirm(tr("Delete the administrator %1? They can no longer log in.").arg(name)))
        return;
    run(QStringLiteral("admins.delete"), { { QStringLiteral("name"), name } },
        tr("Administrator %1 deleted.").arg(name));
}
