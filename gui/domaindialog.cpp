// See domaindialog.h.
#include "domaindialog.h"

#include "core/domain.h"

#include <QCheckBox>
#include <QLineEdit>

DomainDialog::DomainDialog(ManagerConnection *connection, QWidget *parent)
    : RecordDialog(connection, QStringLiteral("rcpthosts.add"), parent)
    , m_domain(new QLineEdit(this))
    , m_local(new QCheckBox(tr("Deliver mail for this domain locally"), this))
{
    setWindowTitle(tr("Add a domain"));
    m_domain->setPlaceholderText(tr("example.com"));
    addField(tr("&Domain:"), m_domain, QStringLiteral("domain"));
    addField(tr("Local:"), m_local, QStringLiteral("local"));
}

std::optional<QJsonObject> DomainDialog::collect()
{
    const Expected<Domain> domain = Domain::parse(m_domain->text().trimmed());
    if (!domain)
    {
        return rejectField(m_domain, tr("“%1” is not a valid domain name.").arg(m_domain->text().trimmed()));
    }
    return QJsonObject { { QStringLiteral("domain"), domain->name() },
        { QStringLiteral("local"), m_local->isChecked() } };
}
