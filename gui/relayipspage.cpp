// See relayipspage.h.
#include "relayipspage.h"

#include "relayipdialog.h"

#include <QTableView>

RelayIpsPage::RelayIpsPage(ManagerConnection *connection, QWidget *parent)
    : TablePage(connection, QStringLiteral("relayips"), parent)
{
    model()->setColumns({ JsonTableModel::textColumn(tr("Address or network"), QStringLiteral("range")) });
    view()->setAccessibleName(tr("Relay IPs"));
    addAction(
        tr("&Add…"), tr("Add a relay IP"), QKeySequence::New, [this]() { addRange(); }, false);
    addAction(
        tr("&Delete"), tr("Delete the selected relay IP"), QKeySequence::Delete, [this]() { deleteRange(); }, true);
    addToolbarStretch();
}

void RelayIpsPage::addRange()
{
    auto *dialog = new RelayIpDialog(m_connection, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this]() { showMessage(tr("Relay IP added."), false); });
    dialog->open();
}

void RelayIpsPage::deleteRange()
{
    const QString range = selectedRow().value(QStringLiteral("range")).toString();
    if (range.isEmpty() || !confirm(tr("Delete the relay IP %1?").arg(range)))
        return;
    run(QStringLiteral("relayips.delete"), { { QStringLiteral("range"), range } },
        tr("Relay IP %1 deleted.").arg(range));
}
