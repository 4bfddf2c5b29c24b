// Test helpers that run the real tmail binary with a private sqlite database.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

class QTcpSocket;

// A loopback port that was free a moment ago (for listeners a test configures).
quint16 freeLoopbackPort();
// Sends command (if any) and reads reply lines until the last one ("CODE "), 10 s at most.
QByteArray smtpExchange(QTcpSocket &socket, const QByteArray &command);

struct TmailRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

class TmailEnvironment
{
public:
    // A temporary dist-like directory (db/, store/, ssl/ with a fresh certificate)
    // and a TMAIL_* environment pointing at it, on the given listener ports.
    TmailEnvironment();

    static QString tmailBinary();
    bool isValid() const { return m_dir.isValid() && m_certificateMade; }
    QString path(const QString &relative) const { return m_dir.filePath(relative); }
    QProcessEnvironment &environment() { return m_environment; }
    const QProcessEnvironment &processEnvironment() const { return m_environment; }
    void set(const QString &name, const QString &value) { m_environment.insert(name, value); }

    // Writes this environment's TMAIL_* settings, then overrides, as a configuration file
    // of `export NAME="value"` lines, atomically (a reload never reads half of it).
    bool writeConfigFile(const QString &path, const QHash<QString, QString> &overrides = {}) const;
    // This environment without any TMAIL_* variable: for `tmail --config FILE`.
    QProcessEnvironment environmentWithoutSettings() const;

    // Runs `tmail ARGS…` to completion (bounded to 60 s) with this environment.
    TmailRun run(const QStringList &args, const QByteArray &input = QByteArray()) const;

    // Starts the daemon (`tmail` without a command) with this environment, its output
    // merged, and waits until it logs "deliverd launched" (false on time-out or exit).
    bool startDaemon(std::unique_ptr<QProcess> *daemon, QByteArray *log) const;
    // Appends the daemon's output to *log until it contains text (bounded).
    static bool waitForLog(QProcess &daemon, QByteArray *log, const QByteArray &text, int timeoutMs);

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_environment;
    bool m_certificateMade = false;
};
