// See tmaildaemon.h.
#include "tmaildaemon.h"

#include "tmailprocess.h"

#include <csignal>

TmailDaemon::~TmailDaemon()
{
    kill();
}

bool TmailDaemon::start(
    const TmailEnvironment &environment, const QString &configFile, const QByteArray &readyText, int timeoutMs)
{
    kill();
    m_log.clear();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setWorkingDirectory(environment.path(QString()));
    QStringList arguments;
    if (configFile.isEmpty())
    {
        m_process->setProcessEnvironment(environment.processEnvironment());
    }
    else
    {
        m_process->setProcessEnvironment(environment.environmentWithoutSettings());
        arguments << QStringLiteral("--config") << configFile;
    }
    m_process->start(TmailEnvironment::tmailBinary(), arguments);
    return m_process->waitForStarted(10000) && waitForLog(readyText, timeoutMs);
}

bool TmailDaemon::waitForLog(const QByteArray &text, int timeoutMs)
{
    return m_process && TmailEnvironment::waitForLog(*m_process, &m_log, text, timeoutMs);
}

bool TmailDaemon::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 TmailDaemon::pid() const
{
    return m_process ? m_process->processId() : 0;
}

void TmailDaemon::signal(int signalNumber)
{
    if (isRunning())
        ::kill(pid_t(m_process->processId()), signalNumber);
}

bool TmailDaemon::terminate(int timeoutMs)
{
    if (!isRunning())
        return false;
    signal(SIGTERM);
    const bool exited = m_process->waitForFinished(timeoutMs);
    m_log += m_process->readAll();
    if (!exited)
    {
        kill();
        return false;
    }
    return m_process->exitStatus() == QProcess::NormalExit && m_process->exitCode() == 0;
}

void TmailDaemon::kill()
{
    if (!isRunning())
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
    m_log += m_process->readAll();
}
