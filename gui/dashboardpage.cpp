// See dashboardpage.h.
#include "dashboardpage.h"

#include "throughputchart.h"

#include <QDateTime>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
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
    auto *chartLayout = new QVBoxLayout(chartBox);
    chartLayout->addWidget(m_chart);
    layout->addWidget(chartBox, 1);

    connect(m_connection, &ManagerConnection::stateChanged, this, &DashboardPage::showState);
    connect(m_connection, &ManagerConnection::error, this, &DashboardPage::showState);
    connect(m_connection, &ManagerConnection::synchronized, this, &DashboardPage::showStatus);
    connect(m_connection, &ManagerConnection::countersChanged, this, &DashboardPage::showCounters);
    // The uptime moves on: ask for the status again now and then.
    auto *statusTimer = new QTimer(this);
    statusTimer->setInterval(10000);
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
    if (m_connection->isSynchronized())
    {
        showStatus();
        showCounters(m_connection->counters());
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
    m_chart->setTotals(qint64(counters.value(QStringLiteral("accepted")).toDouble()),
        qint64(counters.value(QStringLiteral("delivered")).toDouble()));
}
