// libFuzzer target: the configuration reader (ConfigFile, shell-like lines) and
// the validation of every value (Config::fromVariables). Nothing must crash, and
// everything accepted must be within the ranges the daemon relies on.
#include "config/config.h"
#include "config/configfile.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace {

QTemporaryDir &workDir()
{
    static QTemporaryDir dir;
    return dir;
}

void validate(QHash<QString, QString> variables)
{
    if (!variables.contains(QStringLiteral("TMAIL_ME")))
        variables.insert(QStringLiteral("TMAIL_ME"), QStringLiteral("mx.fuzz.test"));
    // fromVariables creates a missing store directory: keep it inside the work dir.
    variables.insert(QStringLiteral("TMAIL_STORE_SOURCE"), workDir().filePath(QStringLiteral("store")));
    const Expected<Config> config = Config::fromVariables(variables, workDir().path());
    if (!config)
        return;
    const Config &c = config.value();
    if (c.me.isEmpty() || c.listeners.isEmpty() || c.serverTimeoutSeconds <= 0 || c.maxDataBytes < 0 || c.maxHops < 0
        || c.maxRcpt < 0 || c.maxBadRcpt < 0 || c.concurrencyIncoming <= 0 || c.deliverdMaxInFlight <= 0
        || c.deliverdRemoteTimeoutSeconds <= 0 || c.deliverdQueueLifetimeMinutes < 0)
        std::abort();
    for (const ListenerDsn &listener : c.listeners)
    {
        if (listener.port == 0 || listener.address.isNull())
            std::abort();
    }
    for (QChar ch : c.me)
    {
        if (ch.unicode() < 0x20)
            std::abort(); // TMAIL_ME goes into every greeting and Received header
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    if (!workDir().isValid())
        std::abort();
    QDir(workDir().path()).mkpath(QStringLiteral("store"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 16384)
        return 0;
    const QByteArray text(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (data[0] & 1)
    {
        // A tmail.cfg file.
        const QString path = workDir().filePath(QStringLiteral("tmail.cfg"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size())
            std::abort();
        file.close();
        const Expected<QHash<QString, QString>> variables = ConfigFile::readValues(path);
        if (variables)
            validate(variables.value());
    }
    else
    {
        // NAME=VALUE lines straight into the validation, as the environment gives them.
        QHash<QString, QString> variables;
        for (const QByteArray &line : text.split('\n'))
        {
            const qsizetype equals = line.indexOf('=');
            if (equals > 0)
                variables.insert(QString::fromUtf8(line.left(equals)), QString::fromUtf8(line.mid(equals + 1)));
        }
        validate(variables);
    }
    return 0;
}
