// The table of TMAIL_* variables. Each text is marked for translation in the "Config"
// context: the manager shows it in the user's language, the daemon and tmail.cfg.base in English.
#include "config/configregistry.h"

#include "config/dbsource.h"

#include <QCoreApplication>
#include <QStringList>

namespace {

const char *const General = QT_TRANSLATE_NOOP("Config", "General");
const char *const Database = QT_TRANSLATE_NOOP("Config", "Database");
const char *const Store = QT_TRANSLATE_NOOP("Config", "Store (bodies of queued messages)");
const char *const Smtpd = QT_TRANSLATE_NOOP("Config", "smtpd: receiving mail");
const char *const Deliverd = QT_TRANSLATE_NOOP("Config", "deliverd: sending mail");
const char *const Dns = QT_TRANSLATE_NOOP("Config", "DNS");
const char *const Manager = QT_TRANSLATE_NOOP("Config", "Manager");
const char *const Monitoring = QT_TRANSLATE_NOOP("Config", "Monitoring");

// Live: smtpd and deliverd read these per session, transaction or job (see
// Config::takeLiveSettings). Restart: bound sockets, open databases, the store, the log
// file, the DNS channel, the privilege drop; TMAIL_ME also names the log lines, the
// deliverd node that holds queue claims and the bounces made on another thread.
constexpr bool Live = true;
constexpr bool Restart = false;

ConfigVariable text(const char *name, const char *group, const char *defaultValue, bool live, const char *summary,
    const char *explanation = "")
{
    return { QString::fromLatin1(name), QString::fromLatin1(defaultValue), QString(), group, summary, explanation,
        ConfigVariable::Type::Text, 0, 0, live };
}

ConfigVariable boolean(const char *name, const char *group, const char *defaultValue, bool live, const char *summary,
    const char *explanation = "")
{
    ConfigVariable variable = text(name, group, defaultValue, live, summary, explanation);
    variable.type = ConfigVariable::Type::Boolean;
    return variable;
}

ConfigVariable number(const char *name, const char *group, const char *defaultValue, qint64 minimum, qint64 maximum,
    bool live, const char *summary, const char *explanation = "")
{
    ConfigVariable variable = text(name, group, defaultValue, live, summary, explanation);
    variable.type = ConfigVariable::Type::WholeNumber;
    variable.minimum = minimum;
    variable.maximum = maximum;
    return variable;
}

ConfigVariable secret(ConfigVariable variable)
{
    variable.secret = true;
    return variable;
}

ConfigVariable withExample(ConfigVariable variable, const char *example)
{
    variable.example = QString::fromLatin1(example);
    return variable;
}

QString inLanguage(const char *text, ConfigVariable::Language language)
{
    if (language == ConfigVariable::Language::English)
        return QString::fromUtf8(text);
    return QCoreApplication::translate("Config", text);
}

} // namespace

QString ConfigVariable::groupTitle(Language language) const
{
    return inLanguage(group, language);
}

QString ConfigVariable::description(Language language) const
{
    return inLanguage(summary, language);
}

QString ConfigVariable::accepted(Language language) const
{
    switch (type)
    {
    case Type::Boolean:
        return inLanguage(QT_TRANSLATE_NOOP("Config", "Accepted: true or false."), language);
    case Type::WholeNumber:
        return inLanguage(QT_TRANSLATE_NOOP("Config", "Accepted: %1 to %2."), language).arg(minimum).arg(maximum);
    case Type::Text:
        break;
    }
    return QString();
}

QString ConfigVariable::shownValue(const QString &value) const
{
    return secret ? DbSource::withoutPassword(value) : value;
}

QString ConfigVariable::details(Language language) const
{
    QStringList lines;
    if (*explanation)
        lines.append(inLanguage(explanation, language));
    if (type != Type::Text)
        lines.append(accepted(language));
    return lines.join(QLatin1Char('\n'));
}

QString ConfigVariable::comment(Language language) const
{
    const QString more = details(language);
    return more.isEmpty() ? description(language) : description(language) + QLatin1Char('\n') + more;
}

const QList<ConfigVariable> &ConfigRegistry::variables()
{
    static const QList<ConfigVariable> list = {
        withExample(text("TMAIL_ME", General, "", Restart,
                        QT_TRANSLATE_NOOP("Config",
                            "Host name used in the greeting, HELO/EHLO and Received headers "
                            "(required)."),
                        QT_TRANSLATE_NOOP("Config",
                            "Set it to the reverse DNS name of the server's IP address.\n"
                            "Accepted: a host name (letters, digits, '-' and '.'), not an IP "
                            "address.")),
            "mail.example.com"),
        boolean("TMAIL_DEBUG_ENABLED", General, "false", Live, QT_TRANSLATE_NOOP("Config", "Log debug lines as well.")),
        text("TMAIL_LOGPATH", General, "stdout", Restart,
            QT_TRANSLATE_NOOP("Config", "Where logs go: stdout or an existing directory (tmail.log in it)."),
            QT_TRANSLATE_NOOP("Config", "tmail appends to tmail.log in that directory, which must be writable.")),
        text("TMAIL_USER", General, "", Restart,
            QT_TRANSLATE_NOOP("Config",
                "User to run as after binding the ports when started as root (empty: "
                "stay)."),
            QT_TRANSLATE_NOOP("Config",
                "Accepted: empty (stay as the starting user) or a system user name, like "
                "tmail.")),

        text("TMAIL_DB_DRIVER", Database, "sqlite3", Restart,
            QT_TRANSLATE_NOOP("Config", "Database backend: sqlite3, mysql or postgres."),
            QT_TRANSLATE_NOOP("Config", "mysql also serves MariaDB.")),
        secret(text("TMAIL_DB_SOURCE", Database, "db/tmail.db", Restart,
            QT_TRANSLATE_NOOP("Config", "sqlite file path, or \"host=… port=… user=… password=… dbname=…\"."),
            QT_TRANSLATE_NOOP("Config",
                "sqlite3: the path of the database file, like db/tmail.db.\n"
                "mysql, postgres: \"host=HOST port=PORT user=USER password=PASSWORD "
                "dbname=NAME\"\n(values may be single-quoted)."))),
        text("TMAIL_SECRET_KEY", Database, "conf/secret.key", Restart,
            QT_TRANSLATE_NOOP("Config", "Key file that encrypts the routes' SMTP passwords in the database."),
            QT_TRANSLATE_NOOP("Config",
                "Made (mode 0600) the first time a route gets a password.\nEvery node of a "
                "cluster needs a copy of this file, and so does a backup of the database.")),

        // A configuration without the setting keeps the disk store its queue is in; new
        // installations start from tmail.cfg.base, which says database (faster on sqlite at
        // the same durability: README, "Benchmarks").
        withExample(text("TMAIL_STORE_DRIVER", Store, "disk", Restart,
                        QT_TRANSLATE_NOOP("Config", "Where queued message bodies are kept: disk or database."),
                        QT_TRANSLATE_NOOP("Config",
                            "disk: one file per message under TMAIL_STORE_SOURCE.\ndatabase: in the "
                            "configured database, committed with the queue rows; every node of a cluster "
                            "can then deliver every message.\n`tmail store migrate --to database|disk` "
                            "moves what is queued (tmail stopped).")),
            "database"),
        text("TMAIL_STORE_SOURCE", Store, "store", Restart,
            QT_TRANSLATE_NOOP("Config", "Directory of the disk store (created if missing)."),
            QT_TRANSLATE_NOOP("Config", "Accepted: a directory path tmail may write in.")),

        withExample(text("TMAIL_SMTPD_DSNS", Smtpd, "127.0.0.1:2525:false", Restart,
                        QT_TRANSLATE_NOOP("Config",
                            "smtpd listeners IP:PORT:SSL separated by ',' or ';' "
                            "([::1]:2525:false for IPv6)."),
                        QT_TRANSLATE_NOOP("Config",
                            "SSL=true means TLS from the first byte (SMTPS, usually port "
                            "465);\nSSL=false means clear text with STARTTLS offered (ports "
                            "25 and 587).")),
            "127.0.0.1:2525:false,127.0.0.1:5877:false,127.0.0.1:4655:true"),
        number("TMAIL_SMTPD_SERVER_TIMEOUT", Smtpd, "300", 1, 86400, Live,
            QT_TRANSLATE_NOOP("Config", "Seconds of client silence before 421 and close."),
            QT_TRANSLATE_NOOP("Config",
                "Each complete line (a command, or a line of message data) must come in "
                "that time: silence and a client that trickles one byte at a time "
                "(slowloris) are both cut off.")),
        number("TMAIL_SMTPD_MAX_DATABYTES", Smtpd, "50000000", 0, Q_INT64_C(1) << 40, Live,
            QT_TRANSLATE_NOOP("Config", "Largest message in bytes, advertised with SIZE (0: no limit).")),
        number("TMAIL_SMTPD_MAX_HOPS", Smtpd, "50", 1, 1000, Live,
            QT_TRANSLATE_NOOP("Config", "Received headers before a mail loop is declared.")),
        number("TMAIL_SMTPD_MAX_RCPT", Smtpd, "0", 0, 1000000, Live,
            QT_TRANSLATE_NOOP("Config", "Recipients per transaction (0: no limit).")),
        number("TMAIL_SMTPD_MAX_BAD_RCPT", Smtpd, "0", 0, 1000000, Live,
            QT_TRANSLATE_NOOP("Config", "Refused recipients before the session is closed (0: no limit).")),
        number("TMAIL_SMTPD_CONCURRENCY_INCOMING", Smtpd, "500", 1, 100000, Live,
            QT_TRANSLATE_NOOP("Config", "Simultaneous incoming sessions."),
            QT_TRANSLATE_NOOP("Config", "Beyond that, clients get 421 4.7.0.")),
        text("TMAIL_SMTPD_TLS_CERT", Smtpd, "ssl/server.crt", Live,
            QT_TRANSLATE_NOOP("Config", "PEM certificate for STARTTLS and implicit TLS."),
            QT_TRANSLATE_NOOP("Config", "The chain may follow the certificate in the file.")),
        text("TMAIL_SMTPD_TLS_KEY", Smtpd, "ssl/server.key", Live,
            QT_TRANSLATE_NOOP("Config", "PEM private key (RSA or EC, unencrypted)."),
            QT_TRANSLATE_NOOP("Config", "It must match the certificate of TMAIL_SMTPD_TLS_CERT.")),
        text("TMAIL_SMTPD_TLS_CIPHERS", Smtpd,
            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
            "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305",
            Live, QT_TRANSLATE_NOOP("Config", "TLS 1.2 cipher suites offered by the listeners and used by deliverd."),
            QT_TRANSLATE_NOOP("Config",
                "An OpenSSL cipher string (see `openssl ciphers -v 'STRING'`). TLS 1.3 is "
                "always offered with its own suites. The default is Mozilla's "
                "\"intermediate\" profile, forward secrecy with AES-GCM or ChaCha20-Poly1305 "
                "only, graded A by scanners.\nAccepted: a cipher string that selects at "
                "least one suite, like \"HIGH:!aNULL\".")),
        number("TMAIL_SMTPD_AUTH_MAX_FAILURES", Smtpd, "5", 1, 1000000, Live,
            QT_TRANSLATE_NOOP("Config", "Failed AUTH attempts from one IP before it is refused.")),
        number("TMAIL_SMTPD_AUTH_BAN_SECONDS", Smtpd, "600", 1, 31536000, Live,
            QT_TRANSLATE_NOOP("Config", "Seconds an IP stays refused after too many failed AUTHs.")),

        text("TMAIL_DELIVERD_LOCAL_IPS", Deliverd, "0.0.0.0", Live,
            QT_TRANSLATE_NOOP("Config", "Source addresses for delivery: a|b random, a&b failover."),
            QT_TRANSLATE_NOOP("Config",
                "\"a|b\": one picked at random per connection (repeat one to weight it: "
                "a|a|b);\n\"a&b\": a first, b when a fails. Both combine: \"a|b&c\".\n"
                "Accepted: IPv4 or IPv6 addresses; 0.0.0.0 lets the system choose.")),
        number("TMAIL_DELIVERD_MAX_IN_FLIGHT", Deliverd, "50", 1, 100000, Live,
            QT_TRANSLATE_NOOP("Config", "Concurrent outgoing deliveries.")),
        number("TMAIL_DELIVERD_REMOTE_TIMEOUT", Deliverd, "300", 1, 86400, Live,
            QT_TRANSLATE_NOOP("Config", "Seconds allowed for each step of an outgoing SMTP session.")),
        number("TMAIL_DELIVERD_QUEUE_LIFETIME", Deliverd, "7200", 1, 5256000, Live,
            QT_TRANSLATE_NOOP("Config", "Minutes a message may wait in the queue before it bounces.")),
        text("TMAIL_DELIVERD_DELAY_WARNING", Deliverd, "4h", Live,
            QT_TRANSLATE_NOOP("Config", "How long a message waits before its sender is told it is late (0: never)."),
            QT_TRANSLATE_NOOP("Config",
                "One delay notice (RFC 3464, Action: delayed, from tpl/delay.tpl) per late "
                "recipient, never to the null sender nor when the recipient's NOTIFY leaves "
                "DELAY out.\nAccepted: 0 or a whole number with s, m, h or d, like 30m or 4h.")),
        number("TMAIL_DELIVERD_LEASE", Deliverd, "60", 2, 86400, Restart,
            QT_TRANSLATE_NOOP("Config", "Seconds a node's claim on a queued message lasts unless renewed."),
            QT_TRANSLATE_NOOP("Config",
                "Renewed while the delivery runs; when a node dies, its messages go to the "
                "other nodes once this has passed.")),
        text("TMAIL_NODE_ID", Deliverd, "", Restart,
            QT_TRANSLATE_NOOP("Config", "This node's name in the queue's claims and in `tmail nodes`."),
            QT_TRANSLATE_NOOP("Config",
                "Empty: the host name and the first listener's port, like mx1:25.\nAccepted: "
                "up to 64 printable characters without spaces, unique in the cluster.")),
        boolean("TMAIL_DELIVERD_REMOTE_TLS_SKIPVERIFY", Deliverd, "true", Live,
            QT_TRANSLATE_NOOP("Config", "Accept any remote TLS certificate."),
            QT_TRANSLATE_NOOP("Config", "Most mail servers use self-signed certificates.")),
        boolean("TMAIL_DELIVERD_REMOTE_TLS_FALLBACK", Deliverd, "true", Live,
            QT_TRANSLATE_NOOP("Config", "Go on in clear text when STARTTLS fails.")),
        text("TMAIL_DELIVERD_DANE", Deliverd, "auto", Live,
            QT_TRANSLATE_NOOP("Config", "DANE for delivery through MX (RFC 7672)."),
            QT_TRANSLATE_NOOP("Config",
                "With \"auto\", when the MX answer, the MX host's address and its TLSA "
                "records are DNSSEC-authenticated (AD bit of the resolvers in "
                "TMAIL_DNS_SERVERS, which must be a local validating resolver), STARTTLS is "
                "mandatory and the certificate must match the TLSA records, else the "
                "message waits (4.7.5).\nAccepted: auto or off.")),
        text("TMAIL_DELIVERD_MTASTS", Deliverd, "on", Live,
            QT_TRANSLATE_NOOP("Config", "MTA-STS for delivery through MX (RFC 8461)."),
            QT_TRANSLATE_NOOP("Config",
                "The policy of _mta-sts.DOMAIN is fetched over HTTPS, cached and enforced. "
                "DANE wins when both apply.\nAccepted: on or off.")),
        text("TMAIL_DELIVERD_TLS_CA_FILE", Deliverd, "", Live,
            QT_TRANSLATE_NOOP("Config", "PEM file of CA certificates trusted besides the system's."),
            QT_TRANSLATE_NOOP("Config",
                "For MTA-STS policy fetches and MX certificates (empty: the system's "
                "only).")),
        number("TMAIL_DELIVERD_DEST_CONCURRENCY", Deliverd, "10", 1, 100000, Live,
            QT_TRANSLATE_NOOP("Config", "Concurrent deliveries to one destination (recipient domain)."),
            QT_TRANSLATE_NOOP("Config",
                "`tmail throttle add` overrides it per domain or MX host pattern. A 421 or a "
                "\"too many\" 4xx from the destination halves it for a while.")),
        number("TMAIL_DELIVERD_DEST_RATE", Deliverd, "0", 0, 1000000, Live,
            QT_TRANSLATE_NOOP("Config", "Messages per minute to one destination (0: no limit)."),
            QT_TRANSLATE_NOOP("Config", "`tmail throttle add` overrides it per domain or MX host pattern.")),
        text("TMAIL_LMTP_TARGET", Deliverd, "", Live,
            QT_TRANSLATE_NOOP("Config", "LMTP server for the local domains (rcpthost -l), empty: none."),
            QT_TRANSLATE_NOOP("Config",
                "Mail for a local domain goes there over LMTP (RFC 2033), as Dovecot's "
                "lmtp service takes it; one answer per recipient.\nAccepted: empty, "
                "unix:/PATH, HOST:PORT or [IPv6]:PORT.")),
        text("TMAIL_LMTP_VERIFY", Deliverd, "", Live,
            QT_TRANSLATE_NOOP("Config", "How smtpd checks a local recipient at RCPT: lmtp, users or off."),
            QT_TRANSLATE_NOOP("Config",
                "lmtp asks the LMTP server (RCPT probe, answers kept a minute), users "
                "looks in tmail's users table, off accepts every address. An unknown "
                "recipient gets 550 5.1.1; an LMTP server that does not answer, 451 "
                "4.4.1.\nAccepted: empty (lmtp when TMAIL_LMTP_TARGET is set, else off), "
                "lmtp, users or off.")),

        text("TMAIL_DNS_SERVERS", Dns, "", Restart,
            QT_TRANSLATE_NOOP("Config", "DNS resolvers IP[:PORT] (empty: the system's)."),
            QT_TRANSLATE_NOOP("Config",
                "They find the MX records. Write [IPv6]:PORT for IPv6 and separate them "
                "with ',', ';' or spaces, like \"127.0.0.1:53,[::1]:53\".")),

        text("TMAIL_MANAGER_SOCKET", Manager, "tmail-manager", Restart,
            QT_TRANSLATE_NOOP("Config", "Name of the local socket the manager connects to."),
            QT_TRANSLATE_NOOP("Config",
                "Only the user running tmail may connect.\nAccepted: a name, like "
                "tmail-manager, or an absolute socket path.")),
        text("TMAIL_MANAGER_LISTEN", Manager, "", Restart,
            QT_TRANSLATE_NOOP("Config", "Address where a remote tmail-manager connects over TLS (empty: off)."),
            QT_TRANSLATE_NOOP("Config",
                "It speaks TLS from the first byte and asks for an administrator's name and "
                "password (tmail admin add).\nAccepted: empty, IP:PORT or [IPv6]:PORT, like "
                "192.0.2.10:9930.")),
        text("TMAIL_MANAGER_TLS_CERT", Manager, "", Restart,
            QT_TRANSLATE_NOOP("Config", "PEM certificate of the remote manager listener (empty: smtpd's)."),
            QT_TRANSLATE_NOOP("Config", "Set it together with TMAIL_MANAGER_TLS_KEY.")),
        text("TMAIL_MANAGER_TLS_KEY", Manager, "", Restart,
            QT_TRANSLATE_NOOP("Config", "PEM private key of the remote manager listener (empty: smtpd's)."),
            QT_TRANSLATE_NOOP("Config", "It must match the certificate of TMAIL_MANAGER_TLS_CERT.")),

        text("TMAIL_METRICS_LISTEN", Monitoring, "", Restart,
            QT_TRANSLATE_NOOP("Config", "Address where Prometheus reads tmail's metrics (empty: off)."),
            QT_TRANSLATE_NOOP("Config",
                "tmail answers GET /metrics there in the Prometheus text format, over plain HTTP "
                "without authentication: keep it on a loopback or private address.\nAccepted: "
                "empty, IP:PORT or [IPv6]:PORT, like 127.0.0.1:9925.")),
    };
    return list;
}

const ConfigVariable *ConfigRegistry::variable(const QString &name)
{
    for (const ConfigVariable &candidate : variables())
    {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

QHash<QString, QString> ConfigRegistry::effectiveValues(const QHash<QString, QString> &values)
{
    QHash<QString, QString> effective;
    for (const ConfigVariable &variable : variables())
        effective.insert(variable.name, values.value(variable.name, variable.defaultValue).trimmed());
    return effective;
}
