// smtpd's database worker, on its own thread and connection: it publishes a new
// RelayPolicy and DKIM keyring whenever the change serial moves, and verifies AUTH passwords.
#pragma once

#include "config/dbsource.h"
#include "core/expected.h"
#include "db/database.h"
#include "dkim/dkimkeyring.h"
#include "smtpd/relaypolicy.h"

#include <memory>
#include <optional>

#include <QObject>
#include <QTimer>

using RelayPolicyPtr = std::shared_ptr<const RelayPolicy>;

class DbWorker : public QObject
{
    Q_OBJECT
public:
    // Unavailable: the database did not answer, which says nothing about the client.
    enum class AuthOutcome
    {
        Accepted,
        Refused,
        Unavailable
    };
    Q_ENUM(AuthOutcome)

    DbWorker(const DbSource &source, const QString &connectionName, int pollIntervalMs = 500);
    ~DbWorker() override;

    // In the worker's thread: opens the connection, loads the first policy (returned)
    // and starts polling the change serial.
    Expected<RelayPolicyPtr> open();
    void close();
    // The DKIM keys loaded by open() (read it after open() returned).
    DkimKeyringPtr keyring() const { return m_keyring; }

    // In the worker's thread (invoke it queued): slow PBKDF2 check; answers with
    // authenticated(requestId, …). A connection the server dropped is replaced at once.
    void authenticate(quint64 requestId, const QString &login, const QString &password);
    // In the worker's thread: reads the change serial now instead of at the next poll, and
    // emits policyChanged/keyringChanged when it moved.
    void pollNow() { poll(); }

signals:
    void policyChanged(const RelayPolicyPtr &policy);
    void keyringChanged(const DkimKeyringPtr &keyring);
    void authenticated(quint64 requestId, DbWorker::AuthOutcome outcome, const QString &login, bool mayRelay);

private:
    Expected<RelayPolicyPtr> loadPolicy();
    // The active keys, parsed once; a key that does not load is left out and logged.
    Expected<DkimKeyringPtr> loadKeyring();
    void poll();
    // A new connection after the server went away (QtSql does not reconnect).
    bool reconnect();

    DbSource m_source;
    QString m_connectionName;
    std::optional<Database> m_db;
    QTimer m_pollTimer;
    qint64 m_serial = -1;
    bool m_pollFailing = false;
    DkimKeyringPtr m_keyring;
};

Q_DECLARE_METATYPE(RelayPolicyPtr)
Q_DECLARE_METATYPE(DkimKeyringPtr)
