// See relayipdialog.h.
#include "relayipdialog.h"

#include "core/iprange.h"

#include <QLineEdit>

RelayIpDialog::RelayIpDialog(ManagerConnection *connection, QWidget *parent)
    : RecordDialog(connection, QStringLiteral("relayips.add"), parent), m_range(new QLineEdit(this))
{
    setWindowTitle(tr("Add a relay IP"));
    m_range->setPlaceholderText(tr("192.0.2.10 or 192.0.2.0/24"));
    addField(tr("&Address or network:"), m_range, QStringLiteral("range"));
}

std::optional<QJsonObject> RelayIpDialog::collect()
{
    const Expected<IpRange> range = IpRange::parse(m_range->text().trimmed());
    if (!range)
    {
        return rejectField(m_range,
            tr("“%1” is not an IP address or a network like 192.0.2.0/24 (host bits must be zero).")
                .arg(m_range->text().trimmed()));
    }
    return QJsonObject { { QStringLiteral("range"), range->toString() } };
}
