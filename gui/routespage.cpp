// See routespage.h.
#include "routespage.h"

#include "routedialog.h"

#include <QJsonArray>
#include <QTableView>

namespace {

// A route's TLS policy as the route dialog names it, in short.
QString tlsPolicyText(const QString &policy)
{
    if (policy == QLatin1String("required"))
        return RoutesPage::tr("required");
    if (policy == QLatin1String("verify"))
        return RoutesPage::tr("verify");
    if (policy == QLatin1String("dane"))
        return RoutesPage::tr("DANE");
    return RoutesPage::tr("opportunistic");
}

} // namespace

RoutesPage::RoutesPage(ManagerConnection *connection, QWidget *parent)
    : TablePage(connection, QStringLiteral("routes"), parent)
{
    const auto orAny = [](const QString &key, const QString &any) {
        return [key, any](const QJsonObject &row) -> QVariant {
            const QString value = row.value(key).toString();
            return value.isEmpty() ? any : value;
        };
    };
    model()->setColumns({ JsonTableModel::textColumn(tr("Recipient domain"), QStringLiteral("recipientDomain")),
        { tr("Priority"),
            [](const QJsonObject &row) -> QVariant { return row.value(QStringLiteral("priority")).toInt(); },
            Qt::AlignRight | Qt::AlignVCenter },
        { tr("Remote host"),
            [](const QJsonObject &row) -> QVariant {
                return QStringLiteral("%1:%2")
                    .arg(row.value(QStringLiteral("remoteHost")).toString())
                    .arg(row.value(QStringLiteral("remotePort")).toInt());
            } },
        { tr("Sender domain"), orAny(QStringLiteral("senderDomain"), tr("any")) },
        { tr("Authenticated user"), orAny(QStringLiteral("authUser"), tr("any")) },
        { tr("Local IPs"), orAny(QStringLiteral("localIps"), tr("global setting")) },
        { tr("SMTP user"), orAny(QStringLiteral("smtpUser"), tr("none")) },
        { tr("TLS"), [](const QJsonObject &row) -> QVariant {
             return tlsPolicyText(row.value(QStringLiteral("tls")).toString());
         } } });
    view()->setAccessibleName(tr("Routes"));
    addAction(
        tr("&Add…"), tr("Add a route"), QKeySequence::New, [this]() { addRoute(); }, false);
    addAction(
        tr("&Edit…"), tr("Edit the selected route"), QKeySequence(Qt::CTRL | Qt::Key_E), [this]() { editRoute(); },
        true);
    addAction(
        tr("Move &up"), tr("Give the selected route a higher priority"), QKeySequence(Qt::ALT | Qt::Key_Up),
        [this]() { move(-1); }, true);
    addAction(
        tr("Move do&wn"), tr("Give the selected route a lower priority"), QKeySequence(Qt::ALT | Qt::Key_Down),
        [this]() { move(1); }, true);
    addAction(
        tr("&Delete"), tr("Delete the selected route"), QKeySequence::Delete, [this]() { deleteRoute(); }, true);
    addToolbarStretch();
    connect(view(), &QTableView::doubleClicked, this, [this]() { editRoute(); });
}

void RoutesPage::addRoute()
{
    auto *dialog = new RouteDialog(m_connection, QJsonObject(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this]() { showMessage(tr("Route added."), false); });
    dialog->open();
}

void RoutesPage::editRoute()
{
    const QJsonObject route = selectedRow();
    if (route.isEmpty())
        return;
    auto *dialog = new RouteDialog(m_connection, route, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this]() { showMessage(tr("Route saved."), false); });
    dialog->open();
}

void RoutesPage::deleteRoute()
{
    const QJsonObject route = selectedRow();
    if (route.isEmpty())
        return;
    const QString description = QStringLiteral("%1 → %2").arg(route.value(QStringLiteral("recipientDomain")).toString(),
        route.value(QStringLiteral("remoteHost")).toString());
    if (!confirm(tr("Delete the route %1?").arg(description)))
        return;
    run(QStringLiteral("routes.delete"), { { QStringLiteral("id"), route.value(QStringLiteral("id")) } },
        tr("Route %1 deleted.").arg(description));
}

void RoutesPage::move(int direction)
{
    const QModelIndexList selected = view()->selectionModel()->selectedRows();
    if (selected.isEmpty())
        return;
    const int row = selected.first().row();
    const int other = row + direction;
    const QJsonObject route = model()->row(row);
    const QJsonObject neighbour = model()->row(other);
    if (neighbour.isEmpty()
        || neighbour.value(QStringLiteral("recipientDomain")) != route.value(QStringLiteral("recipientDomain")))
        return;
    int priority = route.value(QStringLiteral("priority")).toInt();
    int neighbourPriority = neighbour.value(QStringLiteral("priority")).toInt();
    if (priority == neighbourPriority)
    {
        // Equal priorities share the load; moving makes them distinct.
        if (direction < 0)
            priority = qMax(0, neighbourPriority - 1) == neighbourPriority ? neighbourPriority : neighbourPriority - 1;
        else
            priority = neighbourPriority + 1;
    }
    else
    {
        std::swap(priority, neighbourPriority);
    }
    const QJsonArray priorities { QJsonObject { { QStringLiteral("id"), route.value(QStringLiteral("id")) },
                                      { QStringLiteral("priority"), priority } },
        QJsonObject { { QStringLiteral("id"), neighbour.value(QStringLiteral("id")) },
            { QStringLiteral("priority"), neighbourPriority } } };
    run(QStringLiteral("routes.setPriorities"), { { QStringLiteral("priorities"), priorities } },
        tr("Priorities updated."));
}
