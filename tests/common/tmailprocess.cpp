// Runs the tmail binary built in this tree for integration tests.
#include "tmailprocess.h"

#include "testcertificate.h"

#include <QSaveFile>

#include <QDir>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>

TmailEnvironment::TmailEnvironment()
{
    QDir dir(m_dir.path());
    dir.mkpath(QStringLiteral("db"));
    dir.mkpath(QStringLiteral("store"));
    dir.mkpath(QStringLiteral("ssl"));
    m_certificateMade = TestCertificate().make(path(QStringLiteral("ssl"))).ok();

    // Start from the real environment without any TMAIL_* setting of the machine.
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &name : system.keys())
    {
        if (!name.startsWith(QLatin1String("TMAIL_")))
            m_environment.insert(name, system.value(name));
    }
    m_environment.insert(QStringLiteral("TMAIL_ME"), QStringLiteral("mx.test.local"));
    m_environment.insert(QStringLiteral("TMAIL_DB_DRIVER"), QStringLiteral("sqlite3"));
    m_environment.insert(QStringLiteral("TMAIL_DB_SOURCE"), path(QStringLiteral("db/tmail.db")));
    m_environment.insert(QStringLiteral("TMAIL_STORE_SOURCE"), path(QStringLiteral("store")));
    m_environment.insert(QStringLiteral("TMAIL_SMTPD_TLS_CERT"), path(QStringLiteral("ssl/server.crt")));
    m_environment.insert(QStringLiteral("TMAIL_SMTPD_TLS_KEY"), path(QStringLiteral("ssl/server.key")));
    m_environment.insert(QStringLiteral("TMAIL_MANAGER_SOCKET"), path(QStringLiteral("manager.sock")));
    m_environment.insert(QStringLiteral("TMAIL_SECRET_KEY"), path(QStringLiteral("conf/secret.key")));
}

QString TmailEnvironment::tmailBinary()
{
    return QStringLiteral(TMAIL_BUILD_DIR "/server/tmail");
}

bool TmailEnvironment::writeConfigFile(const QString &path, const QHash<QString, QString> &overrides) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const QStringList names = m_environment.keys();
    for (const QString &name : names)
    {
        if (name.startsWith(QLatin1String("TMAIL_")) && !overrides.contains(name))
            file.write(QStringLiteral("export %1=\"%2\"\n").arg(name, m_environment.value(name)).toUtf8());
    }
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it)
        file.write(QStringLiteral("export %1=\"%2\"\n").arg(it.key(), it.value()).toUtf8());
    return file.commit();
}

QProcessEnvironment TmailEnvironment::environmentWithoutSettings() const
{
    QProcessEnvironment environment = m_environment;
    const QStringList names = environment.keys();
    for (const QString &name : names)
    {
        if (name.startsWith(QLatin1String("TMAIL_")))
            environment.remove(name);
    }
    return environment;
}

TmailRun TmailEnvironment::run(const QStringList &args, const QByteArray &input) const
{
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.setWorkingDirectory(m_dir.path());
    process.start(tmailBinary(), args);
    TmailRun result;
    if (!process.waitForStarted(10000))
        return result;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000))
    {
        process.kill();
        process.waitForFinished(5000);
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

bool TmailEnvironment::startDaemon(std::unique_ptr<QProcess> *daemon, QByteArray *log) const
{
    *daemon = std::make_unique<QProcess>();
    (*daemon)->setProcessEnvironment(m_environment);
    (*daemon)->setProcessChannelMode(QProcess::MergedChannels);
    (*daemon)->start(tmailBinary(), {});
    return (*daemon)->waitForStarted(10000) && waitForLog(**daemon, log, "deliverd launched", 20000);
}

bool TmailEnvironment::waitForLog(QProcess &daemon, QByteArray *log, const QByteArray &text, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!log->contains(text) && timer.elapsed() < timeoutMs)
    {
        daemon.waitForReadyRead(200);
        *log += daemon.readAll();
        if (daemon.state() == QProcess::NotRunning)
            break;
    }
    return log->contains(text);
}

quint16 freeLoopbackPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

QByteArray smtpExchange(QTcpSocket &socket, const QByteArray &command)
{
    if (!command.isEmpty())
        socket.write(command + "\r\n");
    QByteArray reply;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 10000)
    {
        if (!socket.canReadLine() && !socket.waitForReadyRead(200))
            continue;
        while (socket.canReadLine())
        {
            const QByteArray line = socket.readLine();
            reply += line;
            if (line.size() >= 4 && line.at(3) == ' ')
                return reply;
        }
    }
    return reply;
}
