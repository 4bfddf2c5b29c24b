// Reading tmail's settings (environment or tmail.cfg) and validating every value once.
#include "config/config.h"

#include <algorithm>
#include <optional>
#include <type_traits>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>
#include <QSslCertificate>
#include <QSslKey>

#include "config/tlsciphers.h"
#include "core/domain.h"

namespace {

const QString VarMe = QStringLiteral("TMAIL_ME");
const QString VarDebug = QStringLiteral("TMAIL_DEBUG_ENABLED");
const QString VarLogPath = QStringLiteral("TMAIL_LOGPATH");
const QString VarUser = QStringLiteral("TMAIL_USER");
const QString VarDbDriver = QStringLiteral("TMAIL_DB_DRIVER");
const QString VarDbSource = QStringLiteral("TMAIL_DB_SOURCE");
const QString VarStoreDriver = QStringLiteral("TMAIL_STORE_DRIVER");
const QString VarStoreSource = QStringLiteral("TMAIL_STORE_SOURCE");
const QString VarDsns = QStringLiteral("TMAIL_SMTPD_DSNS");
const QString VarServerTimeout = QStringLiteral("TMAIL_SMTPD_SERVER_TIMEOUT");
const QString VarMaxDataBytes = QStringLiteral("TMAIL_SMTPD_MAX_DATABYTES");
const QString VarMaxHops = QStringLiteral("TMAIL_SMTPD_MAX_HOPS");
const QString VarMaxRcpt = QStringLiteral("TMAIL_SMTPD_MAX_RCPT");
const QString VarMaxBadRcpt = QStringLiteral("TMAIL_SMTPD_MAX_BAD_RCPT");
const QString VarConcurrency = QStringLiteral("TMAIL_SMTPD_CONCURRENCY_INCOMING");
const QString VarTlsCert = QStringLiteral("TMAIL_SMTPD_TLS_CERT");
const QString VarTlsKey = QStringLiteral("TMAIL_SMTPD_TLS_KEY");
const QString VarTlsCiphers = QStringLiteral("TMAIL_SMTPD_TLS_CIPHERS");
const QString VarAuthMaxFailures = QStringLiteral("TMAIL_SMTPD_AUTH_MAX_FAILURES");
const QString VarAuthBanSeconds = QStringLiteral("TMAIL_SMTPD_AUTH_BAN_SECONDS");
const QString VarLocalIps = QStringLiteral("TMAIL_DELIVERD_LOCAL_IPS");
const QString VarMaxInFlight = QStringLiteral("TMAIL_DELIVERD_MAX_IN_FLIGHT");
const QString VarRemoteTimeout = QStringLiteral("TMAIL_DELIVERD_REMOTE_TIMEOUT");
const QString VarQueueLifetime = QStringLiteral("TMAIL_DELIVERD_QUEUE_LIFETIME");
const QString VarSkipVerify = QStringLiteral("TMAIL_DELIVERD_REMOTE_TLS_SKIPVERIFY");
const QString VarTlsFallback = QStringLiteral("TMAIL_DELIVERD_REMOTE_TLS_FALLBACK");
const QString VarDnsServers = QStringLiteral("TMAIL_DNS_SERVERS");
const QString VarManagerSocket = QStringLiteral("TMAIL_MANAGER_SOCKET");

const QString MissingConfigError = QStringLiteral("unable to load config from env, TMAIL_ME variable is missing.");

// "NAME: 'value' what is wrong; what is expected": the shape of every config error.
QString invalid(const QString &name, const QString &value, const QString &what)
{
    return QStringLiteral("%1: '%2' %3").arg(name, value, what);
}

std::optional<bool> parseBool(const QString &text)
{
    const QString value = text.trimmed().toLower();
    if (value == QLatin1String("true") || value == QLatin1String("1") || value == QLatin1String("yes"))
        return true;
    if (value == QLatin1String("false") || value == QLatin1String("0") || value == QLatin1String("no"))
        return false;
    return std::nullopt;
}

// Digits only (no sign, no spaces inside), within [minimum, maximum].
std::optional<qint64> parseInteger(const QString &text, qint64 minimum, qint64 maximum)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    for (QChar c : text)
    {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return std::nullopt;
    }
    const qint64 value = text.toLongLong();
    if (value < minimum || value > maximum)
        return std::nullopt;
    return value;
}

std::optional<quint16> parsePort(const QString &text)
{
    const std::optional<qint64> port = parseInteger(text, 1, 65535);
    if (!port)
        return std::nullopt;
    return static_cast<quint16>(*port);
}

// A bare IP address (no brackets, no port, no scope id). Only its characters are let
// through: QHostAddress would take a zone after '%' and stop at a NUL.
std::optional<QHostAddress> parseAddress(const QString &text)
{
    const auto addressCharacter = [](QChar c)
    {
        return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))
               || (c >= QLatin1Char('A') && c <= QLatin1Char('F')) || c == QLatin1Char('.') || c == QLatin1Char(':');
    };
    if (text.isEmpty() || !std::all_of(text.cbegin(), text.cend(), addressCharacter))
        return std::nullopt;
    QHostAddress address;
    if (!address.setAddress(text))
        return std::nullopt;
    return address;
}

QStringList splitList(const QString &text, const QRegularExpression &separators)
{
    QStringList items = text.split(separators);
    for (QString &item : items)
        item = item.trimmed();
    return items;
}

QString resolvePath(const QString &baseDir, const QString &path)
{
    return QDir::cleanPath(QFileInfo(QDir(baseDir), path).absoluteFilePath());
}

// Reads a PEM file that must exist and be readable; returns its bytes or an error.
QString readPem(const QString &name, const QString &value, const QString &path, QByteArray *data)
{
    const QFileInfo info(path);
    if (!info.exists())
        return invalid(name, value, QStringLiteral("does not exist (looked for %1); expected a PEM file").arg(path));
    if (!info.isFile())
        return invalid(name, value, QStringLiteral("is not a file (%1); expected a PEM file").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return invalid(name, value, QStringLiteral("cannot be read (%1: %2)").arg(path, file.errorString()));
    *data = file.read(1024 * 1024);
    return QString();
}

// State of the line reader in Config::readFile.
struct LineParser
{
    const QString &line;
    int pos = 0;

    bool atEnd() const { return pos >= line.size(); }
    QChar peek() const { return atEnd() ? QChar() : line.at(pos); }
    void skipSpaces()
    {
        while (!atEnd() && (peek() == QLatin1Char(' ') || peek() == QLatin1Char('\t')))
            ++pos;
    }
};

bool isNameStart(QChar c)
{
    return (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
           || c == QLatin1Char('_');
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

// A '$' the shell would expand: $NAME, ${…}, $(…), $1, $$, $?, …
bool isExpansion(const QString &line, int dollar)
{
    if (dollar + 1 >= line.size())
        return false;
    const QChar next = line.at(dollar + 1);
    return isNameChar(next) || QStringLiteral("{(?$!#@*-").contains(next);
}

// Parses one shell word (unquoted, "double" and 'single' quoted parts glued together).
// Returns an empty string on success, else what is wrong.
QString parseShellValue(LineParser &parser, QString *value)
{
    const QString &line = parser.line;
    while (!parser.atEnd())
    {
        const QChar c = parser.peek();
        if (c == QLatin1Char(' ') || c == QLatin1Char('\t'))
            break;
        if (c == QLatin1Char('\''))
        {
            const int end = line.indexOf(QLatin1Char('\''), parser.pos + 1);
            if (end < 0)
                return QStringLiteral("unterminated single quote");
            *value += line.mid(parser.pos + 1, end - parser.pos - 1);
            parser.pos = end + 1;
        }
        else if (c == QLatin1Char('"'))
        {
            ++parser.pos;
            bool closed = false;
            while (!parser.atEnd())
            {
                const QChar d = parser.peek();
                if (d == QLatin1Char('"'))
                {
                    closed = true;
                    ++parser.pos;
                    break;
                }
                if (d == QLatin1Char('\\') && parser.pos + 1 < line.size())
                {
                    const QChar escaped = line.at(parser.pos + 1);
                    if (QStringLiteral("\"\\$`").contains(escaped))
                    {
                        *value += escaped;
                        parser.pos += 2;
                        continue;
                    }
                }
                if (d == QLatin1Char('`'))
                    return QStringLiteral("command substitution (`…`) is not supported");
                if (d == QLatin1Char('$') && isExpansion(line, parser.pos))
                    return QStringLiteral("variable expansion or command substitution ($…) is not supported; "
                                          "write the value itself or escape it as \\$");
                *value += d;
                ++parser.pos;
            }
            if (!closed)
                return QStringLiteral("unterminated double quote");
        }
        else if (c == QLatin1Char('\\'))
        {
            if (parser.pos + 1 >= line.size())
                return QStringLiteral("line continuation with '\\' is not supported");
            *value += line.at(parser.pos + 1);
            parser.pos += 2;
        }
        else if (c == QLatin1Char('$') || c == QLatin1Char('`'))
        {
            return QStringLiteral("variable expansion or command substitution is not supported; quote the value");
        }
        else if (QStringLiteral(";&|<>()").contains(c))
        {
            return QStringLiteral("unexpected '%1': only NAME=\"value\" assignments are supported").arg(c);
        }
        else
        {
            *value += c;
            ++parser.pos;
        }
    }
    return QString();
}

} // namespace

// ---------------------------------------------------------------------------
// ListenerDsn, DnsServer, LocalIpPolicy

Expected<QList<ListenerDsn>> ListenerDsn::parseList(const QString &text)
{
    using Result = Expected<QList<ListenerDsn>>;
    static const QRegularExpression separators(QStringLiteral("[,;]"));
    if (text.trimmed().isEmpty())
        return Result::failure(QStringLiteral("'%1' is empty; expected at least one IP:PORT:SSL listener").arg(text));

    QList<ListenerDsn> listeners;
    QSet<QString> seen;
    for (const QString &item : splitList(text, separators))
    {
        if (item.isEmpty())
            return Result::failure(QStringLiteral("'%1' has an empty entry; expected IP:PORT:SSL entries separated by ',' or ';'")
                                       .arg(text));
        const int lastColon = item.lastIndexOf(QLatin1Char(':'));
        const int portColon = lastColon > 0 ? item.lastIndexOf(QLatin1Char(':'), lastColon - 1) : -1;
        if (portColon <= 0)
            return Result::failure(QStringLiteral("'%1' is not of the form IP:PORT:SSL (like 127.0.0.1:2525:false)").arg(item));
        QString host = item.left(portColon);
        const QString portText = item.mid(portColon + 1, lastColon - portColon - 1);
        const QString sslText = item.mid(lastColon + 1);

        ListenerDsn dsn;
        if (host.startsWith(QLatin1Char('[')))
        {
            if (!host.endsWith(QLatin1Char(']')))
                return Result::failure(QStringLiteral("'%1' has an unclosed '['; expected [IPv6]:PORT:SSL").arg(item));
            host = host.mid(1, host.size() - 2);
            const std::optional<QHostAddress> address = parseAddress(host);
            if (!address || address->protocol() != QAbstractSocket::IPv6Protocol)
                return Result::failure(QStringLiteral("'%1' has '%2' in brackets, which is not an IPv6 address").arg(item, host));
            dsn.address = *address;
        }
        else
        {
            const std::optional<QHostAddress> address = parseAddress(host);
            if (!address)
                return Result::failure(QStringLiteral("'%1' has '%2', which is not an IP address").arg(item, host));
            if (address->protocol() == QAbstractSocket::IPv6Protocol)
                return Result::failure(
                    QStringLiteral("'%1': write IPv6 addresses in brackets, like [%2]:PORT:SSL").arg(item, host));
            dsn.address = *address;
        }
        const std::optional<quint16> port = parsePort(portText);
        if (!port)
            return Result::failure(QStringLiteral("'%1' has port %2; expected 1-65535").arg(item, portText));
        dsn.port = *port;
        const std::optional<bool> ssl = parseBool(sslText);
        if (!ssl)
            return Result::failure(QStringLiteral("'%1' has SSL '%2'; expected true or false").arg(item, sslText));
        dsn.implicitTls = *ssl;

        const QString key = dsn.toString();
        if (seen.contains(key))
            return Result::failure(QStringLiteral("'%1' lists %2 more than once").arg(text, key));
        seen.insert(key);
        listeners.append(dsn);
    }
    return listeners;
}

QString ListenerDsn::toString() const
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QLatin1Char('[') + address.toString() + QStringLiteral("]:") + QString::number(port);
    return address.toString() + QLatin1Char(':') + QString::number(port);
}

Expected<LocalIpPolicy> LocalIpPolicy::parse(const QString &text)
{
    using Result = Expected<LocalIpPolicy>;
    if (text.trimmed().isEmpty())
        return Result::failure(QStringLiteral("'%1' is empty; expected IP addresses separated by '|' or '&' (like 0.0.0.0)")
                                   .arg(text));
    LocalIpPolicy policy;
    const QStringList groups = text.split(QLatin1Char('&'));
    for (const QString &group : groups)
    {
        QList<QHostAddress> addresses;
        for (const QString &rawItem : group.split(QLatin1Char('|')))
        {
            QString item = rawItem.trimmed();
            if (item.startsWith(QLatin1Char('[')) && item.endsWith(QLatin1Char(']')))
                item = item.mid(1, item.size() - 2);
            const std::optional<QHostAddress> address = parseAddress(item);
            if (!address)
            {
                if (item.isEmpty())
                    return Result::failure(
                        QStringLiteral("'%1' has an empty entry; expected IP addresses separated by '|' or '&'").arg(text));
                return Result::failure(QStringLiteral("'%1' has '%2', which is not an IP address").arg(text, item));
            }
            addresses.append(*address);
        }
        policy.failoverGroups.append(addresses);
    }
    return policy;
}

// ---------------------------------------------------------------------------
// Config

const QList<Config::Variable> &Config::variables()
{
    // Live: smtpd and deliverd read these per session, transaction or job (see
    // takeLiveSettings). Restart: bound sockets, open databases, the store, the log file,
    // the DNS channel, the privilege drop; TMAIL_ME also names the log lines, the
    // deliverd node that holds queue claims and the bounces made on another thread.
    constexpr bool Live = true;
    constexpr bool Restart = false;
    static const QList<Variable> list = {
        {VarMe, QString(),
         QStringLiteral("Host name used in the greeting, HELO/EHLO and Received headers (required)."), Restart},
        {VarDebug, QStringLiteral("false"), QStringLiteral("Log debug lines: true or false."), Live},
        {VarLogPath, QStringLiteral("stdout"),
         QStringLiteral("Where logs go: stdout or an existing directory (tmail.log in it)."), Restart},
        {VarUser, QString(),
         QStringLiteral("User to run as after binding the ports when started as root (empty: stay)."), Restart},
        {VarDbDriver, QStringLiteral("sqlite3"),
         QStringLiteral("Database backend: sqlite3, mysql or postgres."), Restart},
        {VarDbSource, QStringLiteral("db/tmail.db"),
         QStringLiteral("sqlite file path, or \"host=… port=… user=… password=… dbname=…\"."), Restart},
        {VarStoreDriver, QStringLiteral("disk"),
         QStringLiteral("Where queued message bodies are kept: disk."), Restart},
        {VarStoreSource, QStringLiteral("store"),
         QStringLiteral("Directory of the disk store (created if missing)."), Restart},
        {VarDsns, QStringLiteral("127.0.0.1:2525:false"),
         QStringLiteral("smtpd listeners IP:PORT:SSL separated by ',' or ';' ([::1]:2525:false for IPv6)."), Restart},
        {VarServerTimeout, QStringLiteral("300"),
         QStringLiteral("Seconds of client silence before 421 and close."), Live},
        {VarMaxDataBytes, QStringLiteral("50000000"),
         QStringLiteral("Largest message in bytes, advertised with SIZE (0: no limit)."), Live},
        {VarMaxHops, QStringLiteral("50"), QStringLiteral("Received headers before a mail loop is declared."), Live},
        {VarMaxRcpt, QStringLiteral("0"), QStringLiteral("Recipients per transaction (0: no limit)."), Live},
        {VarMaxBadRcpt, QStringLiteral("0"),
         QStringLiteral("Refused recipients before the session is closed (0: no limit)."), Live},
        {VarConcurrency, QStringLiteral("500"), QStringLiteral("Simultaneous incoming sessions."), Live},
        {VarTlsCert, QStringLiteral("ssl/server.crt"),
         QStringLiteral("PEM certificate for STARTTLS and implicit TLS."), Live},
        {VarTlsKey, QStringLiteral("ssl/server.key"),
         QStringLiteral("PEM private key (RSA or EC, unencrypted)."), Live},
        {VarTlsCiphers, TlsCiphers::intermediate,
         QStringLiteral("OpenSSL cipher string for TLS 1.2, listeners and deliverd (default: Mozilla intermediate)."), Live},
        {VarAuthMaxFailures, QStringLiteral("5"),
         QStringLiteral("Failed AUTH attempts from one IP before it is refused."), Live},
        {VarAuthBanSeconds, QStringLiteral("600"),
         QStringLiteral("Seconds an IP stays refused after too many failed AUTHs."), Live},
        {VarLocalIps, QStringLiteral("0.0.0.0"),
         QStringLiteral("Source addresses for delivery: a|b random, a&b failover."), Live},
        {VarMaxInFlight, QStringLiteral("50"), QStringLiteral("Concurrent outgoing deliveries."), Live},
        {VarRemoteTimeout, QStringLiteral("300"),
         QStringLiteral("Seconds allowed for each step of an outgoing SMTP session."), Live},
        {VarQueueLifetime, QStringLiteral("7200"),
         QStringLiteral("Minutes a message may wait in the queue before it bounces."), Live},
        {VarSkipVerify, QStringLiteral("true"),
         QStringLiteral("Accept any remote TLS certificate: true or false."), Live},
        {VarTlsFallback, QStringLiteral("true"),
         QStringLiteral("Go on in clear text when STARTTLS fails: true or false."), Live},
        {VarDnsServers, QString(), QStringLiteral("DNS resolvers IP[:PORT] (empty: the system's)."), Restart},
        {VarManagerSocket, QStringLiteral("tmail-manager"),
         QStringLiteral("Name of the local socket the manager connects to."), Restart},
    };
    return list;
}

const Config::Variable *Config::variable(const QString &name)
{
    for (const Variable &candidate : variables())
    {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

QHash<QString, QString> Config::effectiveVariables(const QHash<QString, QString> &variables)
{
    QHash<QString, QString> values;
    for (const Variable &variable : Config::variables())
        values.insert(variable.name, variables.value(variable.name, variable.defaultValue).trimmed());
    return values;
}

void Config::takeLiveSettings(const Config &next)
{
    // One line per variable marked Live in variables() (tst_config checks the two agree).
    debugEnabled = next.debugEnabled;
    serverTimeoutSeconds = next.serverTimeoutSeconds;
    maxDataBytes = next.maxDataBytes;
    maxHops = next.maxHops;
    maxRcpt = next.maxRcpt;
    maxBadRcpt = next.maxBadRcpt;
    concurrencyIncoming = next.concurrencyIncoming;
    tlsCertPath = next.tlsCertPath;
    tlsKeyPath = next.tlsKeyPath;
    tlsCiphers = next.tlsCiphers;
    authMaxFailures = next.authMaxFailures;
    authBanSeconds = next.authBanSeconds;
    deliverdLocalIps = next.deliverdLocalIps;
    deliverdMaxInFlight = next.deliverdMaxInFlight;
    deliverdRemoteTimeoutSeconds = next.deliverdRemoteTimeoutSeconds;
    deliverdQueueLifetimeMinutes = next.deliverdQueueLifetimeMinutes;
    deliverdRemoteTlsSkipVerify = next.deliverdRemoteTlsSkipVerify;
    deliverdRemoteTlsFallback = next.deliverdRemoteTlsFallback;
}

Expected<Config> Config::fromVariables(const QHash<QString, QString> &variables, const QString &baseDir,
                                      TlsFiles tlsFiles)
{
    using Result = Expected<Config>;

    // Missing names take their defaults; values are compared without surrounding blanks.
    const QHash<QString, QString> values = effectiveVariables(variables);
    const auto value = [&values](const QString &name) { return values.value(name); };

    Config config;
    config.baseDir = QDir::cleanPath(QDir(baseDir).absolutePath());

    // General
    const QString me = value(VarMe);
    if (me.isEmpty())
        return Result::failure(QStringLiteral("TMAIL_ME is missing or empty; expected the host name of this server"));
    QHostAddress meAsAddress;
    if (meAsAddress.setAddress(me))
        return Result::failure(invalid(VarMe, me, QStringLiteral("is an IP address; expected a host name like mail.example.com")));
    const Expected<Domain> meDomain = Domain::parse(me);
    if (!meDomain)
        return Result::failure(invalid(VarMe, me, QStringLiteral("is not a valid host name (%1); expected a name like mail.example.com")
                                                      .arg(meDomain.error())));
    config.me = meDomain->name();

    // Booleans, checked in one place.
    const auto boolean = [&value](const QString &name, bool *target) -> QString
    {
        const std::optional<bool> parsed = parseBool(value(name));
        if (!parsed)
            return invalid(name, value(name), QStringLiteral("is not a boolean; expected true or false"));
        *target = *parsed;
        return QString();
    };
    // Integers within a range; what the range means is said in the message.
    const auto integer = [&value](const QString &name, qint64 minimum, qint64 maximum, auto *target) -> QString
    {
        const std::optional<qint64> parsed = parseInteger(value(name), minimum, maximum);
        if (!parsed)
            return invalid(name, value(name), QStringLiteral("is not a whole number from %1 to %2").arg(minimum).arg(maximum));
        *target = static_cast<std::remove_pointer_t<decltype(target)>>(*parsed);
        return QString();
    };

    QString error = boolean(VarDebug, &config.debugEnabled);
    if (!error.isEmpty())
        return Result::failure(error);

    const QString logPath = value(VarLogPath);
    if (logPath == QLatin1String("stdout"))
    {
        config.logPath = logPath;
    }
    else
    {
        if (logPath.isEmpty())
            return Result::failure(QStringLiteral("TMAIL_LOGPATH is empty; expected stdout or an existing directory"));
        const QString path = resolvePath(config.baseDir, logPath);
        const QFileInfo info(path);
        if (!info.isDir())
            return Result::failure(invalid(VarLogPath, logPath,
                                           QStringLiteral("is not an existing directory (%1); expected stdout or an existing "
                                                          "directory").arg(path)));
        if (!info.isWritable())
            return Result::failure(invalid(VarLogPath, logPath, QStringLiteral("is not writable (%1)").arg(path)));
        config.logPath = path;
    }

    const QString user = value(VarUser);
    static const QRegularExpression userName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.-]{0,31}$"));
    if (!user.isEmpty() && !userName.match(user).hasMatch())
        return Result::failure(invalid(VarUser, user, QStringLiteral("is not a valid user name; expected empty or a system user "
                                                                     "like tmail")));
    config.runAsUser = user;

    // Database
    const QString dbDriver = value(VarDbDriver).toLower();
    static const QStringList dbDrivers = {QStringLiteral("sqlite3"), QStringLiteral("sqlite"), QStringLiteral("mysql"),
                                          QStringLiteral("mariadb"), QStringLiteral("postgres"), QStringLiteral("postgresql")};
    if (!dbDrivers.contains(dbDriver))
        return Result::failure(invalid(VarDbDriver, value(VarDbDriver),
                                       QStringLiteral("is not supported; expected sqlite3, mysql or postgres")));
    const Expected<DbSource> db = DbSource::parse(dbDriver, value(VarDbSource), config.baseDir);
    if (!db)
    {
        if (db.error().startsWith(QLatin1String("TMAIL_DB_")))
            return Result::failure(db.error());
        return Result::failure(QStringLiteral("TMAIL_DB_SOURCE: ") + db.error());
    }
    config.db = db.value();

    // Store
    const QString storeDriver = value(VarStoreDriver);
    if (storeDriver != QLatin1String("disk"))
        return Result::failure(invalid(VarStoreDriver, storeDriver, QStringLiteral("is not supported; expected disk")));
    config.storeDriver = storeDriver;
    const QString storeSource = value(VarStoreSource);
    if (storeSource.isEmpty())
        return Result::failure(QStringLiteral("TMAIL_STORE_SOURCE is empty; expected the directory of the message store"));
    config.storePath = resolvePath(config.baseDir, storeSource);
    {
        const QFileInfo info(config.storePath);
        if (info.exists() && !info.isDir())
            return Result::failure(invalid(VarStoreSource, storeSource,
                                           QStringLiteral("is not a directory (%1); expected the directory of the message store")
                                               .arg(config.storePath)));
        if (!info.exists() && !QDir().mkpath(config.storePath))
            return Result::failure(invalid(VarStoreSource, storeSource,
                                           QStringLiteral("does not exist and cannot be created (%1)").arg(config.storePath)));
        if (!QFileInfo(config.storePath).isWritable())
            return Result::failure(invalid(VarStoreSource, storeSource, QStringLiteral("is not writable (%1)").arg(config.storePath)));
    }

    // smtpd
    const Expected<QList<ListenerDsn>> listeners = ListenerDsn::parseList(value(VarDsns));
    if (!listeners)
        return Result::failure(VarDsns + QStringLiteral(": ") + listeners.error());
    config.listeners = listeners.value();

    if (!(error = integer(VarServerTimeout, 1, 86400, &config.serverTimeoutSeconds)).isEmpty()
        || !(error = integer(VarMaxDataBytes, 0, Q_INT64_C(1) << 40, &config.maxDataBytes)).isEmpty()
        || !(error = integer(VarMaxHops, 1, 1000, &config.maxHops)).isEmpty()
        || !(error = integer(VarMaxRcpt, 0, 1000000, &config.maxRcpt)).isEmpty()
        || !(error = integer(VarMaxBadRcpt, 0, 1000000, &config.maxBadRcpt)).isEmpty()
        || !(error = integer(VarConcurrency, 1, 100000, &config.concurrencyIncoming)).isEmpty()
        || !(error = integer(VarAuthMaxFailures, 1, 1000000, &config.authMaxFailures)).isEmpty()
        || !(error = integer(VarAuthBanSeconds, 1, 31536000, &config.authBanSeconds)).isEmpty()
        || !(error = integer(VarMaxInFlight, 1, 100000, &config.deliverdMaxInFlight)).isEmpty()
        || !(error = integer(VarRemoteTimeout, 1, 86400, &config.deliverdRemoteTimeoutSeconds)).isEmpty()
        || !(error = integer(VarQueueLifetime, 1, 5256000, &config.deliverdQueueLifetimeMinutes)).isEmpty()
        || !(error = boolean(VarSkipVerify, &config.deliverdRemoteTlsSkipVerify)).isEmpty()
        || !(error = boolean(VarTlsFallback, &config.deliverdRemoteTlsFallback)).isEmpty())
        return Result::failure(error);

    // TLS certificate and key: both must exist and parse, as STARTTLS is offered on every listener.
    // With TlsFiles::PathsOnly only the paths are resolved (smtpd reads the files itself).
    const QString certValue = value(VarTlsCert);
    if (certValue.isEmpty())
        return Result::failure(QStringLiteral("TMAIL_SMTPD_TLS_CERT is empty; expected the path of a PEM certificate"));
    config.tlsCertPath = resolvePath(config.baseDir, certValue);
    QByteArray pem;
    if (tlsFiles == TlsFiles::Read)
    {
        error = readPem(VarTlsCert, certValue, config.tlsCertPath, &pem);
        if (!error.isEmpty())
            return Result::failure(error);
        const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
        if (certificates.isEmpty() || certificates.first().isNull())
            return Result::failure(invalid(VarTlsCert, certValue,
                                           QStringLiteral("is not a PEM certificate (%1); expected a file starting with "
                                                          "-----BEGIN CERTIFICATE-----").arg(config.tlsCertPath)));
    }

    const QString keyValue = value(VarTlsKey);
    if (keyValue.isEmpty())
        return Result::failure(QStringLiteral("TMAIL_SMTPD_TLS_KEY is empty; expected the path of a PEM private key"));
    config.tlsKeyPath = resolvePath(config.baseDir, keyValue);
    if (tlsFiles == TlsFiles::Read)
    {
        error = readPem(VarTlsKey, keyValue, config.tlsKeyPath, &pem);
        if (!error.isEmpty())
            return Result::failure(error);
        if (QSslKey(pem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey).isNull()
            && QSslKey(pem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey).isNull())
            return Result::failure(invalid(VarTlsKey, keyValue,
                                           QStringLiteral("is not an unencrypted PEM RSA or EC private key (%1)")
                                               .arg(config.tlsKeyPath)));
    }

    const Expected<QList<QSslCipher>> ciphers = TlsCiphers::parse(value(VarTlsCiphers));
    if (!ciphers)
        return Result::failure(invalid(VarTlsCiphers, value(VarTlsCiphers), ciphers.error()));
    config.tlsCiphers = ciphers.value();

    // deliverd
    const Expected<LocalIpPolicy> localIps = LocalIpPolicy::parse(value(VarLocalIps));
    if (!localIps)
        return Result::failure(VarLocalIps + QStringLiteral(": ") + localIps.error());
    config.deliverdLocalIps = localIps.value();

    // DNS: "IP", "IP:PORT", "IPv6", "[IPv6]" or "[IPv6]:PORT", separated by ',', ';' or blanks.
    static const QRegularExpression dnsSeparators(QStringLiteral("[,;\\s]+"));
    const QString dnsText = value(VarDnsServers);
    for (const QString &item : dnsText.split(dnsSeparators, Qt::SkipEmptyParts))
    {
        DnsServer server;
        QString host = item;
        QString portText;
        if (item.startsWith(QLatin1Char('[')))
        {
            const int close = item.indexOf(QLatin1Char(']'));
            if (close < 0)
                return Result::failure(invalid(VarDnsServers, dnsText, QStringLiteral("has '%1' with an unclosed '['").arg(item)));
            host = item.mid(1, close - 1);
            const QString rest = item.mid(close + 1);
            if (!rest.isEmpty())
            {
                if (!rest.startsWith(QLatin1Char(':')))
                    return Result::failure(invalid(VarDnsServers, dnsText,
                                                   QStringLiteral("has '%1'; expected [IPv6]:PORT").arg(item)));
                portText = rest.mid(1);
                if (portText.isEmpty())
                    portText = rest; // reported below as a bad port
            }
        }
        else if (item.count(QLatin1Char(':')) == 1)
        {
            const int colon = item.indexOf(QLatin1Char(':'));
            host = item.left(colon);
            portText = item.mid(colon + 1);
            if (portText.isEmpty())
                portText = QStringLiteral("(none)");
        }
        const std::optional<QHostAddress> address = parseAddress(host);
        if (!address)
            return Result::failure(invalid(VarDnsServers, dnsText,
                                           QStringLiteral("has '%1', which is not an IP address; expected IP[:PORT] entries "
                                                          "separated by ',', ';' or spaces").arg(host)));
        server.address = *address;
        if (!portText.isNull())
        {
            const std::optional<quint16> port = parsePort(portText);
            if (!port)
                return Result::failure(invalid(VarDnsServers, dnsText,
                                               QStringLiteral("has port %1 in '%2'; expected 1-65535").arg(portText, item)));
            server.port = *port;
        }
        config.dnsServers.append(server);
    }

    // Manager
    const QString socketName = value(VarManagerSocket);
    if (socketName.isEmpty())
        return Result::failure(QStringLiteral("TMAIL_MANAGER_SOCKET is empty; expected a local socket name like tmail-manager"));
    for (QChar c : socketName)
    {
        if (c.unicode() < 32 || c.unicode() == 127)
            return Result::failure(invalid(VarManagerSocket, socketName, QStringLiteral("contains a control character")));
    }
    config.managerSocket = socketName;

    return config;
}

Expected<QHash<QString, QString>> Config::readFile(const QString &path)
{
    using Result = Expected<QHash<QString, QString>>;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result::failure(QStringLiteral("unable to read config file %1: %2").arg(path, file.errorString()));

    QSet<QString> known;
    for (const Variable &variable : variables())
        known.insert(variable.name);

    QHash<QString, QString> result;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    for (int index = 0; index < lines.size(); ++index)
    {
        QString line = lines.at(index);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        const int lineNumber = index + 1;
        const auto fail = [&](const QString &why)
        { return Result::failure(QStringLiteral("%1 line %2: %3").arg(path).arg(lineNumber).arg(why)); };

        LineParser parser {line};
        parser.skipSpaces();
        if (parser.atEnd() || parser.peek() == QLatin1Char('#'))
            continue;
        if (line.mid(parser.pos).startsWith(QLatin1String("export"))
            && (parser.pos + 6 < line.size())
            && (line.at(parser.pos + 6) == QLatin1Char(' ') || line.at(parser.pos + 6) == QLatin1Char('\t')))
        {
            parser.pos += 6;
            parser.skipSpaces();
        }
        const int nameStart = parser.pos;
        if (!isNameStart(parser.peek()))
            return fail(QStringLiteral("expected NAME=\"value\" or a # comment"));
        while (!parser.atEnd() && isNameChar(parser.peek()))
            ++parser.pos;
        const QString name = line.mid(nameStart, parser.pos - nameStart);
        if (parser.peek() != QLatin1Char('='))
            return fail(QStringLiteral("expected NAME=\"value\" or a # comment; %1 is not followed by '='").arg(name));
        ++parser.pos;

        QString value;
        const QString why = parseShellValue(parser, &value);
        if (!why.isEmpty())
            return fail(why);
        parser.skipSpaces();
        if (!parser.atEnd() && parser.peek() != QLatin1Char('#'))
            return fail(QStringLiteral("unexpected text after the value of %1: '%2' (quote values that contain spaces)")
                            .arg(name, line.mid(parser.pos)));

        if (name.startsWith(QLatin1String("TMAIL_")))
        {
            if (!known.contains(name))
                return Result::failure(QStringLiteral("unknown variable %1 in %2 line %3").arg(name, path).arg(lineNumber));
            result.insert(name, value);
        }
    }
    return result;
}

Expected<Config> Config::load(const QString &configPath)
{
    using Result = Expected<Config>;
    const QString appDir = QCoreApplication::applicationDirPath();

    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (environment.contains(VarMe))
    {
        QHash<QString, QString> variables;
        const QStringList keys = environment.keys();
        for (const QString &key : keys)
        {
            if (key.startsWith(QLatin1String("TMAIL_")))
                variables.insert(key, environment.value(key));
        }
        Expected<Config> config = fromVariables(variables, appDir);
        if (config)
            config.value().sourceDescription = QStringLiteral("environment");
        return config;
    }

    QString path = configPath;
    if (path.isEmpty())
    {
        const QString fallback = appDir + QStringLiteral("/conf/tmail.cfg");
        if (!QFileInfo::exists(fallback))
            return Result::failure(ErrorKind::NotFound,
                                   MissingConfigError
                                       + QStringLiteral("\nGive the settings in the environment (TMAIL_ME…), in a file with "
                                                        "`tmail --config FILE`, or in %1 (start from conf/tmail.cfg.base).")
                                             .arg(fallback));
        path = fallback;
    }
    const Expected<QHash<QString, QString>> variables = readFile(path);
    if (!variables)
        return Result::failure(variables.error());

    // dist/conf/tmail.cfg: relative paths (db/, store/, ssl/) are those of dist/.
    const QFileInfo info(path);
    QString baseDir = appDir;
    if (info.absoluteDir().dirName() == QLatin1String("conf"))
    {
        QDir parent = info.absoluteDir();
        parent.cdUp();
        baseDir = parent.absolutePath();
    }
    Expected<Config> config = fromVariables(variables.value(), baseDir);
    if (!config)
        return Result::failure(QStringLiteral("%1: %2").arg(info.absoluteFilePath(), config.error()));
    config.value().sourceDescription = info.absoluteFilePath();
    return config;
}
