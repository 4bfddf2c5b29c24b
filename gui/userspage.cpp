// See userspage.h.
#include "userspage.h"

#include "userdialog.h"

#include "core/timestamp.h"

#include <QTableView>

UsersPage::UsersPage(ManagerConnection *connection, QWidget *parent)
    : TablePage(connection, QStringLiteral("users"), parent)
{
    model()->setColumns({ JsonTableModel::textColumn(tr("Login"), QStringLiteral("login")),
        { tr("May relay"),
            [](const QJsonObject &row) -> QVariant {
                return row.value(QStringLiteral("mayRelay")).toBool() ? tr("yes") : tr("no");
            } },
        { tr("Created"), [](const QJsonObject &row) -> QVariant {
             return formatTimestampMs(qint64(row.value(QStringLiteral("createdAt")).toDouble()));
         } } });
    view()->setAccessibleName(tr("Users"));
    addAction(
        tr("&Add…"), tr("Add a user"), QKeySequence::New, [this]() { addUser(); }, false);
    addAction(
        tr("Change &password…"), tr("Change the password of the selected user"), QKeySequence(Qt::CTRL | Qt::Key_P),
        [this]() { changePassword(); }, true);
    addAction(
        tr("&Delete"), tr("Delete the selected user"), QKeySequence::Delete, [this]() { deleteUser(); }, true);
    addToolbarStretch();
}

void UsersPage::addUser()
{
    auto *dialog = new UserDialog(m_connection, UserDialog::Mode::Add, QString(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this]() { showMessage(tr("User added."), false); });
    dialog->open();
}

void UsersPage::changePassword()
{
    const QString login = selectedRow().value(QStringLiteral("login")).toString();
    if (login.isEmpty())
        return;
    auto *dialog = new UserDialog(m_connection, UserDialog::Mode::SetPassword, login, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
        [this, login]() { showMessage(tr("Password of %1 changed.").arg(login), false); });
    dialog->open();
}

void UsersPage::deleteUser()
{
    const QString login = selectedRow().value(QStringLiteral("login")).toString();
    if (login.isEmpty() || !confirm(tr("Delete the user %1?").arg(login)))
        return;
    run(QStringLiteral("users.delete"), { { QStringLiteral("login"), login } }, tr("User %1 deleted.").arg(login));
}
