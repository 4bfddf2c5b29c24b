// tmail's settings: read from the environment or a tmail.cfg file, validated once into
// typed values. The variables themselves are listed in ConfigRegistry.
#pragma once

#include "config/configregistry.h"
#include "config/configreload.h"
#include "config/dbsource.h"
#include "core/dnsserver.h"
#include "core/expected.h"
#include "core/listenerdsn.h"
#include "core/lmtptarget.h"
#include "core/localippolicy.h"

#include <QHash>
#include <QList>
#include <QSslCipher>
#include <QString>

class ConfigResult;

// One value Config refuses: the variable at fault and "NAME: 'value' what is wrong; what is expected".
struct ConfigFault
{
    QString variable;
    QString message;
};

class Config
{
public:
    // Whether fromVariables reads the TLS certificate and key. PathsOnly is for a reload
    // that keeps the running paths after tmail dropped root: the key may be root's.
    enum class TlsFiles
    {
        Read,
        PathsOnly,
    };

    // The environment-like map of TMAIL_* names to values, validated; missing names take
    // their default. baseDir: where relative paths (db/tmail.db, store, ssl/…) are resolved.
    // A failure names the variable at fault: "NAME: 'value' what is wrong; what is expected".
    static ConfigResult fromVariables(
        const QHash<QString, QString> &variables, const QString &baseDir, TlsFiles tlsFiles = TlsFiles::Read);

    // Every value fromVariables would refuse, in its order (empty: the settings are valid).
    // Nothing is created or changed: a missing store directory only has to be creatable.
    static QList<ConfigFault> check(const QHash<QString, QString> &variables, const QString &baseDir);

    // The settings before validation, and where they come from.
    struct Source
    {
        QHash<QString, QString> variables; // TMAIL_* only
        QString baseDir; // where relative paths are resolved
        QString filePath; // absolute; empty for the environment
        // With a file: the variables the environment set over the file's values (known
        // TMAIL_* names only). A service manager's Environment= wins over tmail.cfg.
        QStringList environmentOverrides;
        QString description() const; // "environment" or filePath
    };
    // Where tmail takes its settings from, as the README says: configPath when given;
    // else the environment when TMAIL_ME is set (an empty path); else conf/tmail.cfg
    // beside the binary. The error for "nothing found" is exactly:
    // "unable to load config from env, TMAIL_ME variable is missing."
    static Expected<QString> locateFile(const QString &configPath = QString());
    // locateFile(), then the environment's variables, or the file's with the
    // environment's known TMAIL_* variables over them.
    static Expected<Source> locate(const QString &configPath = QString());
    // What a reload reads: the same file with the environment over it, or the environment.
    static Expected<Source> reread(const Config &running);
    // The file at path, without looking at the environment (`tmail config check FILE`).
    static Expected<Source> fromFile(const QString &path);
    // Where the relative paths of the file at filePath resolve: dist/ for dist/conf/tmail.cfg,
    // else the binary's directory.
    static QString baseDirFor(const QString &filePath);

    // locate() then fromVariables().
    static Expected<Config> load(const QString &configPath = QString());

    // The TMAIL_* variables of this process's environment.
    static QHash<QString, QString> environmentVariables();

    // Copies from next the values of the live variables (ConfigVariable::live); the
    // others stay as they are.
    void takeLiveSettings(const Config &next);

    QString me;
    bool debugEnabled = false;
    QString logPath; // "stdout" or an existing directory
    DbSource db;
    QString secretKeyPath; // TMAIL_SECRET_KEY, absolute: the key of the routes' SMTP passwords
    QString storeDriver; // "disk" or "database"
    QString storePath; // absolute
    QList<ListenerDsn> listeners;
    int serverTimeoutSeconds = 300;
    qint64 maxDataBytes = 50000000; // 0 = no limit
    int maxHops = 50;
    int maxRcpt = 0; // 0 = no limit
    int maxBadRcpt = 0; // 0 = no limit
    int concurrencyIncoming = 500;
    QString tlsCertPath; // absolute
    QString tlsKeyPath; // absolute
    QList<QSslCipher> tlsCiphers; // TMAIL_SMTPD_TLS_CIPHERS expanded: TLS 1.2 suites offered and used
    LocalIpPolicy deliverdLocalIps;
    int deliverdMaxInFlight = 50;
    int deliverdRemoteTimeoutSeconds = 300;
    int deliverdQueueLifetimeMinutes = 7200;
    qint64 deliverdDelayWarningSeconds = 4 * 3600; // TMAIL_DELIVERD_DELAY_WARNING; 0 = no delay notice
    int deliverdLeaseSeconds = 60; // TMAIL_DELIVERD_LEASE: how long a claim lasts unless renewed
    QString nodeId; // TMAIL_NODE_ID, or the host name and the first listener's port
    bool deliverdRemoteTlsSkipVerify = true;
    bool deliverdRemoteTlsFallback = true;
    QList<DnsServer> dnsServers; // empty = the system's resolvers
    bool deliverdDane = true; // TMAIL_DELIVERD_DANE: auto (true) or off
    bool deliverdMtaSts = true; // TMAIL_DELIVERD_MTASTS: on or off
    QString deliverdTlsCaFile; // TMAIL_DELIVERD_TLS_CA_FILE: absolute, empty = none
    int deliverdDestConcurrency = 10; // TMAIL_DELIVERD_DEST_CONCURRENCY: sessions per destination
    int deliverdDestRate = 0; // TMAIL_DELIVERD_DEST_RATE: messages per minute per destination, 0 = no limit
    LmtpTarget lmtpTarget; // TMAIL_LMTP_TARGET: where local domains go; unset = none
    enum class LmtpVerify
    {
        Off, // every recipient of a local domain is accepted
        Lmtp, // an LMTP RCPT probe
        Users // the users table
    };
    LmtpVerify lmtpVerify = LmtpVerify::Off; // TMAIL_LMTP_VERIFY
    QString managerSocket;
    int authMaxFailures = 5; // TMAIL_SMTPD_AUTH_MAX_FAILURES: failed AUTHs per IP before refusal
    int authBanSeconds = 600; // TMAIL_SMTPD_AUTH_BAN_SECONDS: how long that refusal lasts
    QString runAsUser; // TMAIL_USER: user to drop to when started as root (empty: stay)
    QHostAddress metricsAddress; // TMAIL_METRICS_LISTEN
    quint16 metricsPort = 0; // TMAIL_METRICS_LISTEN: 0 when it is empty (no metrics listener)
    QHostAddress managerAddress; // TMAIL_MANAGER_LISTEN
    quint16 managerPort = 0; // TMAIL_MANAGER_LISTEN: 0 when it is empty (no remote manager)
    QString managerTlsCertPath; // TMAIL_MANAGER_TLS_CERT, absolute; smtpd's when it is empty
    QString managerTlsKeyPath; // TMAIL_MANAGER_TLS_KEY, absolute; smtpd's when it is empty

    QString baseDir; // where relative paths were resolved
    QString sourceDescription; // "environment" or the config file path
    QStringList environmentOverrides; // Source::environmentOverrides of the source it was read from
};

// What Config::fromVariables returns: the configuration, or why not (ErrorKind::InvalidInput)
// with the name of the variable at fault, for a caller that points at it (the manager's form).
class ConfigResult : public Expected<Config>
{
public:
    ConfigResult(Expected<Config> result, QString variable = QString())
        : Expected<Config>(std::move(result)), m_variable(std::move(variable))
    { }

    const QString &variable() const { return m_variable; } // empty when it succeeded

private:
    QString m_variable;
};
