// The daemon at a glance: connection, identity, counters, TLS of deliveries, throughput over
// the last 24 hours, the queue's busiest destinations and the nodes sharing the database.
#pragma once

#include "managerconnection.h"

#include <QHash>
#include <QJsonArray>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;
class ThroughputChart;

class DashboardPage : public QWidget
{
    Q_OBJECT
public:
    explicit DashboardPage(ManagerConnection *connection, QWidget *parent = nullptr);

    QString counterText(const QString &name) const; // also the TLS rows ("tlsDane", …)
    ThroughputChart *chart() const { return m_chart; }
    QLabel *tlsShareLabel() const { return m_tlsShare; }
    QTableWidget *destinationsTable() const { return m_destinations; }
    QTableWidget *nodesTable() const { return m_nodes; }

private:
    void showState();
    void showStatus();
    void showCounters(const QJsonObject &counters);
    void showHistory(const QJsonObject &history);
    void showTlsShare();
    // Asks again for the queue's destinations and the nodes.
    void refreshTables();
    void showDestinations(const QJsonArray &items);
    void showNodes(const QJsonArray &items);

    ManagerConnection *m_connection;
    QLabel *m_state;
    QHash<QString, QLabel *> m_statusLabels;
    QHash<QString, QLabel *> m_counterLabels;
    QHash<QString, QLabel *> m_tlsLabels; // MX deliveries per TLS outcome: count and share
    ThroughputChart *m_chart;
    QComboBox *m_span;
    QLabel *m_tlsShare;
    QTableWidget *m_destinations;
    QTableWidget *m_nodes;
};
