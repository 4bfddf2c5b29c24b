// tmail's Qt message handler: formats lines, writes them out, keeps the recent ones for the manager.
#include "log/logger.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QMutexLocker>

Q_LOGGING_CATEGORY(lcSmtpd, "tmail.smtpd")
Q_LOGGING_CATEGORY(lcDeliverd, "tmail.deliverd")
Q_LOGGING_CATEGORY(lcDb, "tmail.db")
Q_LOGGING_CATEGORY(lcManager, "tmail.manager")
Q_LOGGING_CATEGORY(lcMain, "tmail.main")

namespace {

constexpr int RingCapacity = 10000;

// Set while this thread is inside the handler: a message logged from there (by a slot
// connected to entryAdded, say) goes to stderr instead of recursing.
thread_local bool insideHandler = false;

QString levelName(QtMsgType type)
{
    switch (type)
    {
    case QtDebugMsg:
        return QStringLiteral("DEBUG");
    case QtInfoMsg:
        return QStringLiteral("INFO");
    case QtWarningMsg:
        return QStringLiteral("WARNING");
    case QtCriticalMsg:
    case QtFatalMsg:
        return QStringLiteral("ERROR");
    }
    return QStringLiteral("INFO");
}

// One event, one line: a CR or LF a client chose (an AUTH login, a remote reply) must not
// start a line of its own in the log, nor in the manager's view of it.
QString oneLine(const QString &message)
{
    const auto isControl
        = [](QChar c) { return (c.unicode() < 0x20 && c != QLatin1Char('\t')) || c.unicode() == 0x7f; };
    if (std::none_of(message.cbegin(), message.cend(), isControl))
        return message;
    QString line;
    line.reserve(message.size() + 8);
    for (const QChar c : message)
    {
        if (c == QLatin1Char('\r'))
            line += QStringLiteral("\\r");
        else if (c == QLatin1Char('\n'))
            line += QStringLiteral("\\n");
        else if (isControl(c))
            line += QStringLiteral("\\x%1").arg(uint(c.unicode()), 2, 16, QLatin1Char('0'));
        else
            line += c;
    }
    return line;
}

QString formatLine(const QString &me, const QString &ip, const LogEntry &entry)
{
    const int microsecond = entry.microsecond >= 0 ? entry.microsecond : entry.time.time().msec() * 1000;
    return QLatin1Char('[') + me + QStringLiteral(" - ") + ip + QStringLiteral("] ")
        + entry.time.toString(QStringLiteral("yyyy/MM/dd HH:mm:ss")) + QLatin1Char('.')
        + QStringLiteral("%1").arg(microsecond, 6, 10, QLatin1Char('0')) + QLatin1Char(' ') + entry.level
        + QStringLiteral(" - ") + entry.message;
}

} // namespace

Logger &Logger::instance()
{
    static Logger logger;
    return logger;
}

bool Logger::setup(const QString &me, const QString &ip, const QString &logPath, bool debugEnabled, QString *error)
{
    FILE *out = stdout;
    QString path;
    if (logPath != QLatin1String("stdout"))
    {
        path = QDir(logPath).filePath(QStringLiteral("tmail.log"));
        out = std::fopen(QFile::encodeName(path).constData(), "a");
        if (!out)
        {
            if (error)
                *error = QStringLiteral("unable to open log file %1 for appending").arg(path);
            return false;
        }
    }

    {
        QMutexLocker locker(&m_mutex);
        if (m_out && m_out != stdout)
            std::fclose(m_out);
        m_out = out;
        m_filePath = path;
        m_me = me;
        m_ip = ip;
    }
    setDebugEnabled(debugEnabled);
    qInstallMessageHandler(&Logger::handler);
    return true;
}

bool Logger::reopen(QString *error)
{
    QMutexLocker locker(&m_mutex);
    if (m_filePath.isEmpty())
        return true;
    FILE *out = std::fopen(QFile::encodeName(m_filePath).constData(), "a");
    if (!out)
    {
        if (error)
            *error = QStringLiteral("unable to open log file %1 for appending; still writing to the previous one")
                         .arg(m_filePath);
        return false;
    }
    if (m_out && m_out != stdout)
        std::fclose(m_out);
    m_out = out;
    return true;
}

QString Logger::filePath() const
{
    QMutexLocker locker(&m_mutex);
    return m_filePath;
}

void Logger::setDebugEnabled(bool enabled)
{
    {
        QMutexLocker locker(&m_mutex);
        m_debugEnabled = enabled;
    }
    // Off, qCDebug() on tmail's categories does not even format its message (1-2 % of the
    // CPU of a session, measured with callgrind).
    QLoggingCategory::setFilterRules(
        enabled ? QStringLiteral("tmail.*.debug=true") : QStringLiteral("tmail.*.debug=false"));
}

QString Logger::format(const LogEntry &entry) const
{
    QMutexLocker locker(&m_mutex);
    return formatLine(m_me, m_ip, entry);
}

QList<LogEntry> Logger::entriesAfter(quint64 afterId) const
{
    QMutexLocker locker(&m_mutex);
    if (m_ring.isEmpty())
        return {};
    // Ids in the ring are consecutive, so the first wanted entry is found by arithmetic.
    const quint64 firstId = m_ring.first().id;
    if (afterId < firstId)
        return m_ring;
    const quint64 skip = afterId - firstId + 1;
    if (skip >= static_cast<quint64>(m_ring.size()))
        return {};
    return m_ring.mid(static_cast<qsizetype>(skip));
}

void Logger::write(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    LogEntry entry;
    const auto now = std::chrono::system_clock::now();
    const qint64 sinceEpoch = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    entry.time = QDateTime::fromMSecsSinceEpoch(sinceEpoch / 1000);
    entry.microsecond = static_cast<int>(sinceEpoch % 1000000);
    entry.level = levelName(type);
    entry.category = QString::fromLatin1(context.category ? context.category : "default");
    entry.message = oneLine(message);

    {
        // One lock for id, ring and output: lines never interleave and appear in id order.
        QMutexLocker locker(&m_mutex);
        if (type == QtDebugMsg && !m_debugEnabled)
            return;
        entry.id = m_nextId++;
        if (m_ring.size() >= RingCapacity)
            m_ring.removeFirst();
        m_ring.append(entry);
        const QByteArray line = formatLine(m_me, m_ip, entry).toUtf8() + '\n';
        FILE *out = m_out ? m_out : stdout;
        std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), out);
        std::fflush(out);
    }
    // Outside the lock: a slot connected directly may call entriesAfter().
    emit entryAdded(entry);
}

void Logger::handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (insideHandler)
    {
        std::fprintf(stderr, "%s\n", message.toLocal8Bit().constData());
        return;
    }
    insideHandler = true;
    instance().write(type, context, message);
    insideHandler = false;
}
