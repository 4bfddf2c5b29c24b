// Setting up and tearing down the per-test smtpd.
#include "smtptestserver.h"

#include "db/queuetable.h"

#include <QDirIterator>
#include <QHostAddress>

SmtpTestServer::SmtpTestServer(const QString &certDir, const std::function<void(Config &)> &tweak)
{
    static int counter = 0;
    ++counter;
    m_config.me = QStringLiteral("mx.test");
    m_config.db.backend = DbSource::Backend::Sqlite;
    m_config.db.driverName = QStringLiteral("sqlite3");
    m_config.db.sqlitePath = m_dir.filePath(QStringLiteral("tmail.db"));
    m_config.storeDriver = QStringLiteral("disk");
    m_config.storePath = m_dir.filePath(QStringLiteral("store"));
    m_config.tlsCertPath = certDir + QStringLiteral("/server.crt");
    m_config.tlsKeyPath = certDir + QStringLiteral("/server.key");
    ListenerDsn clear;
    clear.address = QHostAddress(QHostAddress::LocalHost);
    clear.port = 0;
    ListenerDsn tls = clear;
    tls.implicitTls = true;
    m_config.listeners = { clear, tls };
    m_config.serverTimeoutSeconds = 30;
    m_config.maxDataBytes = 1000000;
    m_config.authMaxFailures = 3;
    m_config.authBanSeconds = 60;
    if (tweak)
    {
        tweak(m_config);
    }
    Expected<Database> opened = Database::open(m_config.db, QStringLiteral("test-%1").arg(counter));
    if (opened)
    {
        m_db.emplace(std::move(opened).value());
        m_db->upgrade();
    }
}

SmtpTestServer::~SmtpTestServer()
{
    m_smtpd.reset();
    m_db.reset();
}

bool SmtpTestServer::start(QString *error)
{
    if (!m_db)
    {
        return false;
    }
    m_smtpd = std::make_unique<Smtpd>(m_config);
    const Status started = m_smtpd->start();
    if (!started)
    {
        if (error)
        {
            *error = started.error();
        }
        return false;
    }
    m_ports = m_smtpd->boundPorts();
    return true;
}

int SmtpTestServer::queuedCount()
{
    QueueTable table(*m_db);
    const Expected<int> count = table.count();
    return count ? count.value() : -1;
}

QStringList SmtpTestServer::storedFiles() const
{
    QStringList files;
    QDirIterator it(m_config.storePath, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
    {
        files.append(QDir(m_config.storePath).relativeFilePath(it.next()));
    }
    return files;
}
