// `tmail config check [FILE]` and `tmail config show [--all]`: the settings validated
// without starting anything (every bad value listed), or printed like `postconf -n`.
#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

class ConfigCommand
{
public:
    ConfigCommand(QTextStream &out, QTextStream &err, const QString &configPath);

    // args: what follows `config`. Returns the exit status: 0 valid or shown, 2 invalid
    // settings or bad usage. Nothing is ever written.
    int run(const QStringList &args);

    static QString usage();

private:
    int check(const QStringList &operands);
    int show(bool all);
    int usageError(const QString &message);
    // Prints "tmail: message" and returns 2: the settings cannot be read or are not valid.
    int failed(const QString &message);

    QTextStream &m_out;
    QTextStream &m_err;
    QString m_configPath;
};
