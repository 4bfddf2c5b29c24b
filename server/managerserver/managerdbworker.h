// The manager's database work, on its own thread with its own connection: tables,
// queue actions, and a once-a-second poll of the change serial and the queue size.
#pragma once

#include "config/config.h"
#include "db/database.h"
#include "manager/managerprotocol.h"

#include <memory>

#include <QJsonObject>
#include <QObject>

class QTimer;

class ManagerDbWorker : public QObject
{
    Q_OBJECT
public:
    explicit ManagerDbWorker(const Config &config);
    ~ManagerDbWorker() override;

    // Whether method is one this worker answers (rcpthosts.*, users.*, relayips.*, routes.*,
    // queue.*, dkim.*, admins.*, nodes.list).
    static bool handles(const QString &method);
    // Whether a successful request of method changed something (not a list, show or check).
    static bool isChange(const QString &method);

public slots:
    // Call through queued invocations once moved to its thread.
    void start();
    void stop();
    // actor: who the log line of a change names (ManagerClient::actor).
    void handle(
        quint64 clientId, qint64 requestId, const QString &method, const QJsonObject &params, const QString &actor);
    // A remote login: checks name and password against the administrators (PBKDF2, slow by
    // design, hence here and not on the daemon's thread) and answers with authenticated.
    void authenticate(quint64 clientId, qint64 requestId, const QString &name, const QString &password);

signals:
    void replied(quint64 clientId, const QJsonObject &response);
    // adminName empty: refused (error empty) or the database failed (error says how).
    void authenticated(quint64 clientId, qint64 requestId, const QString &adminName, int role, const QString &error);
    // A list changed ("rcpthosts", "users", "relayips", "routes", "queue", "dkim", "admins"; "all" for edits
    // made elsewhere, such as the command line).
    void changed(const QString &list);
    void queueSizeChanged(qint64 size);

private:
    using Response = ManagerProtocol::Response;
    Response dispatch(qint64 id, const QString &method, const QJsonObject &params);
    Expected<Database *> database();
    // True when the connection no longer answers (the server restarted): it is dropped,
    // and the next database() opens a new one.
    bool dropDeadConnection();
    void poll();

    Response rcptHosts(qint64 id, const QString &method, const QJsonObject &params);
    Response users(qint64 id, const QString &method, const QJsonObject &params);
    Response relayIps(qint64 id, const QString &method, const QJsonObject &params);
    Response routes(qint64 id, const QString &method, const QJsonObject &params);
    Response queue(qint64 id, const QString &method, const QJsonObject &params);
    Response admins(qint64 id, const QString &method, const QJsonObject &params);
    // queue.destinations and nodes.list: what the Dashboard shows besides the counters.
    Response dashboard(qint64 id, const QString &method, const QJsonObject &params);

    Config m_config;
    std::unique_ptr<Database> m_db;
    QTimer *m_pollTimer = nullptr; // child
    qint64 m_knownSerial = -1;
    qint64 m_knownQueueSize = -1;
};
