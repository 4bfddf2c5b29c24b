// One Qt message handler for tmail: tmail's line format (README, Logging), levels, stdout or a
// file, and a ring buffer of recent entries (ids only grow) for the manager.
#pragma once

#include <QDateTime>
#include <QList>
#include <QLoggingCategory>
#include <QMutex>
#include <QObject>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcSmtpd)
Q_DECLARE_LOGGING_CATEGORY(lcDeliverd)
Q_DECLARE_LOGGING_CATEGORY(lcDb)
Q_DECLARE_LOGGING_CATEGORY(lcManager)
Q_DECLARE_LOGGING_CATEGORY(lcMain)

struct LogEntry
{
    quint64 id = 0;
    QDateTime time; // local time, millisecond precision
    int microsecond = -1; // 0-999999 within time's second; -1: derived from time's milliseconds
    QString level; // "DEBUG", "INFO", "WARNING", "ERROR"
    QString category; // "tmail.smtpd", …
    QString message;
};

class Logger : public QObject
{
    Q_OBJECT
public:
    static Logger &instance();

    // me and ip fill the "[ME - IP]" prefix. logPath: "stdout" or a directory in which
    // tmail.log is appended. Installs the Qt message handler. Returns false (with the
    // reason) when the file cannot be opened.
    bool setup(
        const QString &me, const QString &ip, const QString &logPath, bool debugEnabled, QString *error = nullptr);

    // Closes the log file and opens it again by name (SIGUSR1, SIGHUP): after logrotate
    // renamed it, the next line goes to a new file. With stdout, nothing to do. On failure
    // the current file is kept and false is returned with the reason.
    bool reopen(QString *error = nullptr);
    // The log file's path; empty when the log goes to stdout.
    QString filePath() const;

    // TMAIL_DEBUG_ENABLED changed by a reload: debug lines are written from now on (or not).
    void setDebugEnabled(bool enabled);

    // "[ME - IP] 2015/02/02 12:42:32.449597 INFO - message"
    QString format(const LogEntry &entry) const;

    // Entries with id > afterId still in the ring buffer (capacity 10,000).
    QList<LogEntry> entriesAfter(quint64 afterId) const;

signals:
    // Emitted from the thread that logged; connect with Qt::QueuedConnection across threads.
    void entryAdded(const LogEntry &entry);

private:
    Logger() = default;
    void write(QtMsgType type, const QMessageLogContext &context, const QString &message);
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message);

    mutable QMutex m_mutex;
    QString m_me;
    QString m_ip;
    bool m_debugEnabled = false;
    FILE *m_out = nullptr;
    QString m_filePath; // empty: stdout
    QList<LogEntry> m_ring;
    quint64 m_nextId = 1;
};
