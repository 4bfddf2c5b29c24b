// See domainspage.h.
#include "domainspage.h"

#include "domaindialog.h"

#include <QTableView>

DomainsPage::DomainsPage(ManagerConnection *connection, QWidget *parent)
    : TablePage(connection, QStringLiteral("rcpthosts"), parent)
{
    model()->setColumns({ JsonTableModel::textColumn(tr("Domain"), QStringLiteral("domain")),
        { tr("Delivery"), [](const QJsonObject &row) -> QVariant {
             return row.value(QStringLiteral("local")).toBool() ? tr("local") : tr("relayed");
         } } });
    view()->setAccessibleName(tr("Domains"));
    addAction(
        tr("&Add…"), tr("Add a domain"), QKeySequence::New, [this]() { addDomain(); }, false);
    addAction(
        tr("&Delete"), tr("Delete the selected domain"), QKeySequence::Delete, [this]() { deleteDomain(); }, true);
    addToolbarStretch();
}

void DomainsPage::addDomain()
{
    auto *dialog = new DomainDialog(m_connection, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this]() { showMessage(tr("Domain added."), false); });
    dialog->open();
}

void DomainsPage::deleteDomain()
{
    const QString domain = selectedRow().value(QStringLiteral("domain")).toString();
    if (domain.isEmpty() || !confirm(tr("Delete the domain %1? Mail for it will be refused.").arg(domain)))
        return;
    run(QStringLiteral("rcpthosts.delete"), { { QStringLiteral("domain"), domain } },
        tr("Domain %1 deleted.").arg(domain));
}
