// See dashboardpage.h.
#include "dashboardpage.h"

#include "manager/managerprotocol.h"
#include "throughputchart.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace {

QString formatUptime(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const QString time = QStringLiteral("%1:%2:%3")
                             .arg((seconds / 3600) % 24, 2, 10, QLatin1Char('0'))
                             .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                             .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return days > 0 ? DashboardPage::tr("%n day(s), %1", "", int(days)).arg(time) : time;
}

// A duration in a cell: "45 s", "12 min", "3 h 5 min", "2 d 4 h".
QString formatAge(qint64 seconds)
{
    seconds = qMax<qint64>(0, seconds);
    if (seconds < 60)
        return DashboardPage::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return DashboardPage::tr("%1 min").arg(seconds / 60);
    if (seconds < 86400)
        return DashboardPage::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds / 60) % 60);
    return DashboardPage::tr("%1 d %2 h").arg(seconds / 86400).arg((seconds / 3600) % 24);
}

// A read-only table with these column titles, named for screen readers by its title.
QTableWidget *makeTable(const QString &name, const QStringList &columns, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(columns.size()), parent);
    table->setHorizontalHeaderLabels(columns);
    table->setAccessibleName(name);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    // The first column (a domain, a node id) takes the room the others leave.
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    return table;
}

QTableWidgetItem *numberItem(qint64 value)
{
    auto *item = new QTableWidgetItem(QLocale().toString(value));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

DashboardPage::DashboardPage(ManagerConnection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_state(new QLabel(this)), m_chart(new ThroughputChart(this))
{
    auto *layout = new QVBoxLayout(this);
    QFont big = m_state->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_state->setFont(big);
    m_state->setAccessibleDescription(tr("Connection state"));
    layout->addWidget(m_state);

    auto *columns = new QHBoxLayout;
    auto *statusBox = new QGroupBox(tr("Daemon"), this);
    auto *statusForm = new QFormLayout(statusBox);
    const QList<std::pair<QString, QString>> statusRows { { QStringLiteral("software"), tr("Software:") },
        { QStringLiteral("me"), tr("Host name:") }, { QStringLiteral("uptime"), tr("Running for:") },
        { QStringLiteral("listeners"), tr("Listeners:") }, { QStringLiteral("configSource"), tr("Configuration:") },
        { QStringLiteral("database"), tr("Database:") }, { QStringLiteral("managerSocket"), tr("Manager socket:") } };
    for (const auto &[key, title] : statusRows)
    {
        auto *label = new QLabel(this);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setWordWrap(true);
        // The value is the label's accessible name; the row title labels it (addRow makes
        // it the buddy) and describes it.
        label->setAccessibleDescription(QString(title).remove(QLatin1Char(':')));
        statusForm->addRow(title, label);
        m_statusLabels.insert(key, label);
    }
    columns->addWidget(statusBox, 3);

    auto *countersBox = new QGroupBox(tr("Counters"), this);
    auto *countersForm = new QFormLayout(countersBox);
    const QList<std::pair<QString, QString>> counterRows { { QStringLiteral("sessions"), tr("SMTP sessions now:") },
        { QStringLiteral("accepted"), tr("Messages accepted:") },
        { QStringLiteral("delivered"), tr("Recipients delivered:") }, { QStringLiteral("bounced"), tr("Bounces:") },
        { QStringLiteral("queued"), tr("Messages in the queue:") } };
    for (const auto &[key, title] : counterRows)
    {
        auto *label = new QLabel(QStringLiteral("–"), this);
        label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        label->setAccessibleDescription(QString(title).remove(QLatin1Char(':')));
        countersForm->addRow(title, label);
        m_counterLabels.insert(key, label);
    }
    columns->addWidget(countersBox, 2);

    // MX deliveries since the daemon started, by the TLS they had (DANE, an enforced
    // MTA-STS policy, TLS no policy required, clear text).
    auto *tlsBox = new QGroupBox(tr("Deliveries by TLS"), this);
    tlsBox->setAccessibleName(tr("Deliveries by TLS"));
    auto *tlsForm = new QFormLayout(tlsBox);
    const QList<std::pair<QString, QString>> tlsRows { { QStringLiteral("tlsDane"), tr("DANE:") },
        { QStringLiteral("tlsMtaSts"), tr("MTA-STS:") },
        { QStringLiteral("tlsOpportunistic"), tr("Opportunistic TLS:") },
        { QStringLiteral("tlsClear"), tr("Clear text:") } };
    for (const auto &[key, title] : tlsRows)
    {
        auto *label = new QLabel(QStringLiteral("–"), this);
        label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        label->setAccessibleDescription(QString(title).remove(QLatin1Char(':')));
        tlsForm->addRow(title, label);
        m_tlsLabels.insert(key, label);
    }
    columns->addWidget(tlsBox, 2);
    layout->addLayout(columns);

    auto *chartBox = new QGroupBox(tr("Throughput"), this);
    chartBox->setAccessibleName(tr("Throughput"));
    auto *chartLayout = new QVBoxLayout(chartBox);
    auto *spanRow = new QHBoxLayout;
    m_span = new QComboBox(chartBox);
    m_span->addItem(tr("Last hour"), 60);
    m_span->addItem(tr("Last 6 hours"), 360);
    m_span->addItem(tr("Last 24 hours"), 1440);
    auto *spanLabel = new QLabel(tr("Show:"), chartBox);
    spanLabel->setBuddy(m_span);
    spanRow->addWidget(spanLabel);
    spanRow->addWidget(m_span);
    // The share of accepted messages and of MX delivery sessions that had TLS, over the span.
    m_tlsShare = new QLabel(chartBox);
    m_tlsShare->setAccessibleDescription(tr("TLS share"));
    m_tlsShare->setWordWrap(true);
    spanRow->addWidget(m_tlsShare, 1);
    chartLayout->addLayout(spanRow);
    chartLayout->addWidget(m_chart, 1);
    connect(m_span, &QComboBox::currentIndexChanged, this, [this]() {
        m_chart->setSpanMinutes(m_span->currentData().toInt());
        showTlsShare();
    });

    // The queue's busiest destinations and the nodes, as `tmail queue` and `tmail nodes` see them.
    auto *destinationsBox = new QGroupBox(tr("Queue by destination"), this);
    destinationsBox->setAccessibleName(tr("Queue by destination"));
    auto *destinationsLayout = new QVBoxLayout(destinationsBox);
    m_destinations
        = makeTable(tr("Queue by destination"), { tr("Domain"), tr("Messages"), tr("Oldest") }, destinationsBox);
    destinationsLayout->addWidget(m_destinations);
    auto *nodesBox = new QGroupBox(tr("Nodes"), this);
    nodesBox->setAccessibleName(tr("Nodes"));
    auto *nodesLayout = new QVBoxLayout(nodesBox);
    m_nodes = makeTable(tr("Nodes"),
        { tr("Node"), tr("Host"), tr("Version"), tr("Last heartbeat"), tr("Claims"), tr("State") }, nodesBox);
    nodesLayout->addWidget(m_nodes);

    auto *lower = new QHBoxLayout;
    lower->addWidget(chartBox, 1);
    auto *tables = new QVBoxLayout;
    tables->addWidget(destinationsBox);
    tables->addWidget(nodesBox);
    lower->addLayout(tables, 1);
    layout->addLayout(lower, 1);

    connect(m_connection, &ManagerConnection::stateChanged, this, &DashboardPage::showState);
    connect(m_connection, &ManagerConnection::error, this, &DashboardPage::showState);
    connect(m_connection, &ManagerConnection::synchronized, this, &DashboardPage::showStatus);
    connect(m_connection, &ManagerConnection::countersChanged, this, &DashboardPage::showCounters);
    connect(m_connection, &ManagerConnection::historyChanged, this, &DashboardPage::showHistory);
    connect(m_connection, &ManagerConnection::synchronized, this, &DashboardPage::refreshTables);
    connect(m_connection, &ManagerConnection::listChanged, this, [this](const QString &list) {
        if (list == QLatin1String("queue") || list == QLatin1String("all"))
            refreshTables();
    });
    // The uptime moves on: ask for the status again now and then.
    auto *statusTimer = new QTimer(this);
    statusTimer->setInterval(10000);
    connect(statusTimer, &QTimer::timeout, this, &DashboardPage::refreshTables);
    connect(statusTimer, &QTimer::timeout, this, [this]() {
        m_connection->request(QStringLiteral("status"), {}, this, [this](const ManagerConnection::Reply &reply) {
            if (reply.ok)
                m_statusLabels.value(QStringLiteral("uptime"))
                    ->setText(
                        formatUptime(qint64(reply.resultObject().value(QStringLiteral("uptimeSeconds")).toDouble())));
        });
    });
    statusTimer->start();
    showState();
    showHistory(m_connection->history());
    if (m_connection->isSynchronized())
    {
        showStatus();
        showCounters(m_connection->counters());
        refreshTables();
    }
}

QString DashboardPage::counterText(const QString &name) const
{
    const QLabel *label = m_counterLabels.value(name, m_tlsLabels.value(name));
    return label ? label->text() : QString();
}

void DashboardPage::showState()
{
    QString text;
    switch (m_connection->state())
    {
    case ManagerConnection::State::Connected:
        text = tr("Connected to tmail on %1").arg(m_connection->socketName());
        break;
    case ManagerConnection::State::Connecting:
    case ManagerConnection::State::Handshaking:
        text = tr("Connecting to %1…").arg(m_connection->socketName());
        break;
    case ManagerConnection::State::Disconnected:
        text = m_connection->lastError().isEmpty() ? tr("Not connected.")
                                                   : tr("Not connected: %1").arg(m_connection->lastError());
        break;
    }
    m_state->setText(text);
}

void DashboardPage::showStatus()
{
    const QJsonObject status = m_connection->status();
    m_statusLabels.value(QStringLiteral("software"))->setText(status.value(QStringLiteral("software")).toString());
    m_statusLabels.value(QStringLiteral("me"))->setText(status.value(QStringLiteral("me")).toString());
    m_statusLabels.value(QStringLiteral("uptime"))
        ->setText(formatUptime(qint64(status.value(QStringLiteral("uptimeSeconds")).toDouble())));
    QStringList listeners;
    for (const QJsonValue &value : status.value(QStringLiteral("listeners")).toArray())
        listeners.append(value.toString());
    m_statusLabels.value(QStringLiteral("listeners"))->setText(listeners.join(QStringLiteral(", ")));
    const QString source = status.value(QStringLiteral("configSource")).toString();
    m_statusLabels.value(QStringLiteral("configSource"))
        ->setText(source == QLatin1String("environment") ? tr("environment variables") : source);
    // The driver name and the source are data; only the words around them are translated.
    const QString databaseDriver = status.value(QStringLiteral("databaseDriver")).toString();
    m_statusLabels.value(QStringLiteral("database"))
        ->setText(databaseDriver.isEmpty()
                ? status.value(QStringLiteral("database")).toString()
                : tr("%1, source: %2").arg(databaseDriver, status.value(QStringLiteral("databaseSource")).toString()));
    m_statusLabels.value(QStringLiteral("managerSocket"))
        ->setText(status.value(QStringLiteral("managerSocket")).toString());
    showState();
}

void DashboardPage::showCounters(const QJsonObject &counters)
{
    for (auto it = m_counterLabels.constBegin(); it != m_counterLabels.constEnd(); ++it)
    {
        const QJsonValue value = counters.value(it.key());
        it.value()->setText(value.isDouble() ? QLocale().toString(qint64(value.toDouble())) : QStringLiteral("–"));
    }
    qint64 tlsTotal = 0;
    for (auto it = m_tlsLabels.constBegin(); it != m_tlsLabels.constEnd(); ++it)
        tlsTotal += qint64(counters.value(it.key()).toDouble());
    for (auto it = m_tlsLabels.constBegin(); it != m_tlsLabels.constEnd(); ++it)
    {
        const QJsonValue value = counters.value(it.key());
        if (!value.isDouble())
        {
            it.value()->setText(QStringLiteral("–"));
            continue;
        }
        const qint64 count = qint64(value.toDouble());
        //: A number of deliveries and their share of all, e.g. "12 (40 %)".
        it.value()->setText(
            tr("%1 (%2 %)")
                .arg(QLocale().toString(count))
                .arg(QLocale().toString(tlsTotal > 0 ? 100.0 * double(count) / double(tlsTotal) : 0.0, 'f', 0)));
    }
}

void DashboardPage::showHistory(const QJsonObject &history)
{
    m_chart->setHistory(history);
    showTlsShare();
}

void DashboardPage::showTlsShare()
{
    const qint64 accepted = m_chart->total(ThroughputChart::Accepted);
    const qint64 sessions = m_chart->total(ThroughputChart::DeliverySessions);
    const auto percent = [](qint64 part, qint64 whole) {
        return whole > 0 ? QLocale().toString(100.0 * double(part) / double(whole), 'f', 0) : QStringLiteral("–");
    };
    //: The share of messages received and of delivery sessions that had TLS, e.g. "TLS: 80 % of …".
    m_tlsShare->setText(tr("TLS: %1 % of accepted messages, %2 % of delivery sessions")
                            .arg(percent(m_chart->total(ThroughputChart::AcceptedTls), accepted),
                                percent(m_chart->total(ThroughputChart::DeliverySessionsTls), sessions)));
}

void DashboardPage::refreshTables()
{
    if (!m_connection->isSynchronized())
        return;
    m_connection->request(ManagerProtocol::Method::QueueDestinations, { { QStringLiteral("limit"), 10 } }, this,
        [this](const ManagerConnection::Reply &reply) {
            if (reply.ok)
                showDestinations(reply.resultObject().value(QStringLiteral("items")).toArray());
        });
    m_connection->request(ManagerProtocol::Method::NodesList, {}, this, [this](const ManagerConnection::Reply &reply) {
        if (reply.ok)
            showNodes(reply.resultObject().value(QStringLiteral("items")).toArray());
    });
}

void DashboardPage::showDestinations(const QJsonArray &items)
{
    m_destinations->setRowCount(int(items.size()));
    for (int row = 0; row < items.size(); ++row)
    {
        const QJsonObject item = items.at(row).toObject();
        m_destinations->setItem(row, 0, new QTableWidgetItem(item.value(QStringLiteral("domain")).toString()));
        m_destinations->setItem(row, 1, numberItem(qint64(item.value(QStringLiteral("messages")).toDouble())));
        auto *oldest
            = new QTableWidgetItem(formatAge(qint64(item.value(QStringLiteral("oldestAgeSeconds")).toDouble())));
        oldest->setToolTip(
            QDateTime::fromMSecsSinceEpoch(qint64(item.value(QStringLiteral("oldestCreatedAt")).toDouble()))
                .toString(Qt::ISODate));
        m_destinations->setItem(row, 2, oldest);
    }
}

void DashboardPage::showNodes(const QJsonArray &items)
{
    m_nodes->setRowCount(int(items.size()));
    for (int row = 0; row < items.size(); ++row)
    {
        const QJsonObject item = items.at(row).toObject();
        const QString state = item.value(QStringLiteral("state")).toString();
        QString stateText = state;
        if (state == QLatin1String("running"))
            stateText = tr("running");
        else if (state == QLatin1String("stopped"))
            stateText = tr("stopped");
        else if (state == QLatin1String("silent"))
            //: A node that sends no heartbeat any more (its claims go to the other nodes).
            stateText = tr("silent");
        m_nodes->setItem(row, 0, new QTableWidgetItem(item.value(QStringLiteral("id")).toString()));
        m_nodes->setItem(row, 1, new QTableWidgetItem(item.value(QStringLiteral("host")).toString()));
        m_nodes->setItem(row, 2, new QTableWidgetItem(item.value(QStringLiteral("version")).toString()));
        //: How long ago a node's last heartbeat was, e.g. "12 s ago".
        m_nodes->setItem(row, 3,
            new QTableWidgetItem(
                tr("%1 ago").arg(formatAge(qint64(item.value(QStringLiteral("lastBeatAgeSeconds")).toDouble())))));
        m_nodes->setItem(row, 4, numberItem(qint64(item.value(QStringLiteral("claims")).toDouble())));
        m_nodes->setItem(row, 5, new QTableWidgetItem(stateText));
    }
}
