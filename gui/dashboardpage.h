// The daemon at a glance: connection, identity, counters, TLS of deliveries and throughput.
#pragma once

#include "managerconnection.h"

#include <QHash>
#include <QWidget>

class QLabel;
class ThroughputChart;

class DashboardPage : public QWidget
{
    Q_OBJECT
public:
    explicit DashboardPage(ManagerConnection *connection, QWidget *parent = nullptr);

    QString counterText(const QString &name) const; // also the TLS rows ("tlsDane", …)

private:
    void showState();
    void showStatus();
    void showCounters(const QJsonObject &counters);

    ManagerConnection *m_connection;
    QLabel *m_state;
    QHash<QString, QLabel *> m_statusLabels;
    QHash<QString, QLabel *> m_counterLabels;
    QHash<QString, QLabel *> m_tlsLabels; // MX deliveries per TLS outcome: count and share
    ThroughputChart *m_chart;
};
