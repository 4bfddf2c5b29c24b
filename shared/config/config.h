// tmail's settings: read from the environment or a tmail.cfg file, validated once.
#pragma once

#include "core/expected.h"
#include "config/dbsource.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QSslCipher>
#include <QString>
#include <QStringList>

// One smtpd listener from TMAIL_SMTPD_DSNS: "IP:PORT:SSL", IPv6 as "[::1]:2525:false".
struct ListenerDsn
{
    QHostAddress address;
    quint16 port = 0;
    bool implicitTls = false; // true: TLS from the first byte; false: clear with STARTTLS

    static Expected<QList<ListenerDsn>> parseList(const QString &text);
    QString toString() const; // "127.0.0.1:2525" / "[::1]:2525"
};

// One resolver from TMAIL_DNS_SERVERS: "IP[:PORT]" ("[::1]:53" for IPv6).
struct DnsServer
{
    QHostAddress address;
    quint16 port = 53;
};

// TMAIL_DELIVERD_LOCAL_IPS: groups separated by '&' are tried in order (failover);
// inside a group, addresses separated by '|' are picked at random, weighted by repetition.
struct LocalIpPolicy
{
    QList<QList<QHostAddress>> failoverGroups;
    static Expected<LocalIpPolicy> parse(const QString &text);
};

// What a reload (SIGHUP, or config.set through the manager) did with each setting that
// differs from the running one: applied at once, left for a restart, or refused.
struct ConfigReload
{
    QString error;                  // not empty: nothing was applied (unreadable or invalid configuration)
    QString source;                 // what was read
    QStringList applied;            // live settings now in effect
    QStringList restart;            // restart-only settings that differ from the running ones
    QHash<QString, QString> failed; // live settings that could not be applied, and why (running value kept)

    bool ok() const { return error.isEmpty(); }
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

    // The environment-like map of TMAIL_* names to values, validated.
    // baseDir: where relative paths (db/tmail.db, store, ssl/…) are resolved.
    static Expected<Config> fromVariables(const QHash<QString, QString> &variables, const QString &baseDir,
                                          TlsFiles tlsFiles = TlsFiles::Read);

    // Reads a tmail.cfg: shell lines `export TMAIL_NAME="value"`, comments and blank
    // lines. Errors give the file, the line number and what is wrong.
    static Expected<QHash<QString, QString>> readFile(const QString &path);

    // Where tmail takes its settings from, as SPEC §3 says: the environment when
    // TMAIL_ME is set; else configPath when given; else conf/tmail.cfg beside the binary.
    // The error for "nothing found" is exactly:
    // "unable to load config from env, TMAIL_ME variable is missing."
    static Expected<Config> load(const QString &configPath = QString());

    // Every variable tmail knows, in the order of tmail.cfg.base, with its default.
    // live: a reload applies it to the running daemon (takeLiveSettings); otherwise it
    // takes effect at the next restart.
    struct Variable
    {
        QString name;
        QString defaultValue;
        QString description; // one line, English
        bool live = false;
    };
    static const QList<Variable> &variables();
    static const Variable *variable(const QString &name); // nullptr when unknown

    // Every variable of variables(), missing ones with their default, values trimmed:
    // the form in which two configurations are compared.
    static QHash<QString, QString> effectiveVariables(const QHash<QString, QString> &variables);

    // Copies from next the values of the live variables; the others stay as they are.
    void takeLiveSettings(const Config &next);

    QString me;
    bool debugEnabled = false;
    QString logPath;                 // "stdout" or an existing directory
    DbSource db;
    QString storeDriver;             // "disk"
    QString storePath;               // absolute
    QList<ListenerDsn> listeners;
    int serverTimeoutSeconds = 300;
    qint64 maxDataBytes = 50000000;  // 0 = no limit
    int maxHops = 50;
    int maxRcpt = 0;                 // 0 = no limit
    int maxBadRcpt = 0;              // 0 = no limit
    int concurrencyIncoming = 500;
    QString tlsCertPath;             // absolute
    QString tlsKeyPath;              // absolute
    QList<QSslCipher> tlsCiphers;    // TMAIL_SMTPD_TLS_CIPHERS expanded: TLS 1.2 suites offered and used
    LocalIpPolicy deliverdLocalIps;
    int deliverdMaxInFlight = 50;
    int deliverdRemoteTimeoutSeconds = 300;
    int deliverdQueueLifetimeMinutes = 7200;
    bool deliverdRemoteTlsSkipVerify = true;
    bool deliverdRemoteTlsFallback = true;
    QList<DnsServer> dnsServers;     // empty = the system's resolvers
    QString managerSocket;
    int authMaxFailures = 5;         // TMAIL_SMTPD_AUTH_MAX_FAILURES: failed AUTHs per IP before refusal
    int authBanSeconds = 600;        // TMAIL_SMTPD_AUTH_BAN_SECONDS: how long that refusal lasts
    QString runAsUser;               // TMAIL_USER: user to drop to when started as root (empty: stay)

    QString baseDir;                 // where relative paths were resolved
    QString sourceDescription;       // "environment" or the config file path
};
