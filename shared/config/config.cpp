// Validating tmail's settings: each variable read once into its typed field of Config,
// section by section. Every fault is collected, each naming its variable: loading stops
// at the first, `tmail config check` lists them all.
#include "config/config.h"

#include "config/configfile.h"
#include "config/tlsciphers.h"
#include "core/domain.h"
#include "core/textvalue.h"

#include <optional>
#include <type_traits>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslKey>
#include <QSysInfo>

namespace {

const QString VarMe = QStringLiteral("TMAIL_ME");
const QString VarDebug = QStringLiteral("TMAIL_DEBUG_ENABLED");
const QString VarLogPath = QStringLiteral("TMAIL_LOGPATH");
const QString VarUser = QStringLiteral("TMAIL_USER");
const QString VarDbDriver = QStringLiteral("TMAIL_DB_DRIVER");
const QString VarDbSource = QStringLiteral("TMAIL_DB_SOURCE");
const QString VarStoreDriver = QStringLiteral("TMAIL_STORE_DRIVER");
const QString VarStoreSource = QStringLiteral("TMAIL_STORE_SOURCE");
const QString VarNodeId = QStringLiteral("TMAIL_NODE_ID");
const QString VarLease = QStringLiteral("TMAIL_DELIVERD_LEASE");
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
const QString VarDelayWarning = QStringLiteral("TMAIL_DELIVERD_DELAY_WARNING");
const QString VarSkipVerify = QStringLiteral("TMAIL_DELIVERD_REMOTE_TLS_SKIPVERIFY");
const QString VarTlsFallback = QStringLiteral("TMAIL_DELIVERD_REMOTE_TLS_FALLBACK");
const QString VarDane = QStringLiteral("TMAIL_DELIVERD_DANE");
const QString VarMtaSts = QStringLiteral("TMAIL_DELIVERD_MTASTS");
const QString VarTlsCaFile = QStringLiteral("TMAIL_DELIVERD_TLS_CA_FILE");
const QString VarDestConcurrency = QStringLiteral("TMAIL_DELIVERD_DEST_CONCURRENCY");
const QString VarDestRate = QStringLiteral("TMAIL_DELIVERD_DEST_RATE");
const QString VarLmtpTarget = QStringLiteral("TMAIL_LMTP_TARGET");
const QString VarLmtpVerify = QStringLiteral("TMAIL_LMTP_VERIFY");
const QString VarSecretKey = QStringLiteral("TMAIL_SECRET_KEY");
const QString VarDnsServers = QStringLiteral("TMAIL_DNS_SERVERS");
const QString VarManagerSocket = QStringLiteral("TMAIL_MANAGER_SOCKET");
const QString VarMetricsListen = QStringLiteral("TMAIL_METRICS_LISTEN");
const QString VarManagerListen = QStringLiteral("TMAIL_MANAGER_LISTEN");
const QString VarManagerTlsCert = QStringLiteral("TMAIL_MANAGER_TLS_CERT");
const QString VarManagerTlsKey = QStringLiteral("TMAIL_MANAGER_TLS_KEY");

const QString MissingConfigError = QStringLiteral("unable to load config from env, TMAIL_ME variable is missing.");

// Why a set of variables is refused: the variable at fault and a message that names it.
struct Fault
{
    QString variable;
    QString message;
};
using Check = std::optional<Fault>;

// The faults found so far, in the order of the sections and of the variables in them.
class Faults
{
public:
    // Records fault, if any; true when there was none.
    bool add(const Check &fault)
    {
        if (!fault)
            return true;
        m_list.append(*fault);
        return false;
    }
    const QList<Fault> &list() const { return m_list; }

private:
    QList<Fault> m_list;
};

// The effective value of each variable (its default when missing, blanks trimmed), and
// the checks every section shares.
class VariableReader
{
public:
    VariableReader(const QHash<QString, QString> &variables, const QString &baseDir, Config::TlsFiles tlsFiles)
        : m_values(ConfigRegistry::effectiveValues(variables))
        , m_baseDir(QDir::cleanPath(QDir(baseDir).absolutePath()))
        , m_tlsFiles(tlsFiles)
    { }

    QString value(const QString &name) const { return m_values.value(name); }
    const QString &baseDir() const { return m_baseDir; }
    bool readsTlsFiles() const { return m_tlsFiles == Config::TlsFiles::Read; }

    // A relative path resolved against the base directory.
    QString path(const QString &name) const
    {
        return QDir::cleanPath(QFileInfo(QDir(m_baseDir), value(name)).absoluteFilePath());
    }

    // "NAME: 'value' what is wrong; what is expected": the shape of every config error.
    Fault invalid(const QString &name, const QString &what) const
    {
        return { name, QStringLiteral("%1: '%2' %3").arg(name, value(name), what) };
    }

    Check boolean(const QString &name, bool *target) const
    {
        const std::optional<bool> parsed = TextValue::toBool(value(name));
        if (!parsed)
            return invalid(name, QStringLiteral("is not a boolean; expected true or false"));
        *target = *parsed;
        return std::nullopt;
    }

    // A whole number within the bounds the registry gives the variable.
    template <typename Number> Check number(const QString &name, Number *target) const
    {
        const ConfigVariable *variable = ConfigRegistry::variable(name);
        Q_ASSERT(variable && variable->type == ConfigVariable::Type::WholeNumber);
        const std::optional<qint64> parsed
            = TextValue::toWholeNumber(value(name), variable->minimum, variable->maximum);
        if (!parsed)
            return invalid(name,
                QStringLiteral("is not a whole number from %1 to %2").arg(variable->minimum).arg(variable->maximum));
        *target = static_cast<Number>(*parsed);
        return std::nullopt;
    }

    // A PEM file that must exist and be readable, at most 1 MiB of it.
    Check readPem(const QString &name, const QString &path, QByteArray *data) const
    {
        const QFileInfo info(path);
        if (!info.exists())
            return invalid(name, QStringLiteral("does not exist (looked for %1); expected a PEM file").arg(path));
        if (!info.isFile())
            return invalid(name, QStringLiteral("is not a file (%1); expected a PEM file").arg(path));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return invalid(name, QStringLiteral("cannot be read (%1: %2)").arg(path, file.errorString()));
        *data = file.read(1024 * 1024);
        return std::nullopt;
    }

private:
    QHash<QString, QString> m_values;
    QString m_baseDir;
    Config::TlsFiles m_tlsFiles;
};

Check readMe(const VariableReader &in, Config &config)
{
    const QString me = in.value(VarMe);
    if (me.isEmpty())
        return Fault { VarMe, QStringLiteral("TMAIL_ME is missing or empty; expected the host name of this server") };
    QHostAddress meAsAddress;
    if (meAsAddress.setAddress(me))
        return in.invalid(VarMe, QStringLiteral("is an IP address; expected a host name like mail.example.com"));
    const Expected<Domain> meDomain = Domain::parse(me);
    if (!meDomain)
        return in.invalid(VarMe,
            QStringLiteral("is not a valid host name (%1); expected a name like mail.example.com")
                .arg(meDomain.error()));
    config.me = meDomain->name();
    return std::nullopt;
}

Check readLogPath(const VariableReader &in, Config &config)
{
    const QString logPath = in.value(VarLogPath);
    if (logPath == QLatin1String("stdout"))
    {
        config.logPath = logPath;
    }
    else
    {
        if (logPath.isEmpty())
            return Fault { VarLogPath,
                QStringLiteral("TMAIL_LOGPATH is empty; expected stdout or an existing directory") };
        const QString path = in.path(VarLogPath);
        const QFileInfo info(path);
        if (!info.isDir())
            return in.invalid(VarLogPath,
                QStringLiteral("is not an existing directory (%1); expected stdout or an existing "
                               "directory")
                    .arg(path));
        if (!info.isWritable())
            return in.invalid(VarLogPath, QStringLiteral("is not writable (%1)").arg(path));
        config.logPath = path;
    }
    return std::nullopt;
}

Check readUser(const VariableReader &in, Config &config)
{
    const QString user = in.value(VarUser);
    static const QRegularExpression userName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.-]{0,31}$"));
    if (!user.isEmpty() && !userName.match(user).hasMatch())
        return in.invalid(
            VarUser, QStringLiteral("is not a valid user name; expected empty or a system user like tmail"));
    config.runAsUser = user;
    return std::nullopt;
}

void readGeneral(const VariableReader &in, Config &config, Faults &faults)
{
    faults.add(readMe(in, config));
    faults.add(in.boolean(VarDebug, &config.debugEnabled));
    faults.add(readLogPath(in, config));
    faults.add(readUser(in, config));
}

Check readSecretKey(const VariableReader &in, Config &config)
{
    if (in.value(VarSecretKey).isEmpty())
        return Fault { VarSecretKey,
            QStringLiteral("TMAIL_SECRET_KEY is empty; expected a key file path like conf/secret.key") };
    config.secretKeyPath = in.path(VarSecretKey);
    return std::nullopt;
}

Check readDatabase(const VariableReader &in, Config &config)
{
    const QString driver = in.value(VarDbDriver).toLower();
    static const QStringList drivers = { QStringLiteral("sqlite3"), QStringLiteral("sqlite"), QStringLiteral("mysql"),
        QStringLiteral("mariadb"), QStringLiteral("postgres"), QStringLiteral("postgresql") };
    if (!drivers.contains(driver))
        return in.invalid(VarDbDriver, QStringLiteral("is not supported; expected sqlite3, mysql or postgres"));
    // The driver is known: what DbSource refuses is the source (its messages name TMAIL_DB_SOURCE).
    const Expected<DbSource> db = DbSource::parse(driver, in.value(VarDbSource), in.baseDir());
    if (!db)
        return Fault { VarDbSource, db.error() };
    config.db = db.value();
    return std::nullopt;
}

Check readStoreDriver(const VariableReader &in, Config &config)
{
    const QString storeDriver = in.value(VarStoreDriver);
    if (storeDriver != QLatin1String("disk") && storeDriver != QLatin1String("database"))
        return in.invalid(VarStoreDriver, QStringLiteral("is not supported; expected disk or database"));
    config.storeDriver = storeDriver;
    return std::nullopt;
}

// The nearest directory at or above path that exists: where a missing one would be made.
QString nearestExistingDirectory(const QString &path)
{
    QString candidate = path;
    for (int depth = 0; depth < 256 && !QFileInfo(candidate).exists(); ++depth)
    {
        const QString parent = QFileInfo(candidate).absolutePath();
        if (parent == candidate)
            break;
        candidate = parent;
    }
    return candidate;
}

Check readStoreSource(const VariableReader &in, Config &config)
{
    if (in.value(VarStoreSource).isEmpty())
        return Fault { VarStoreSource,
            QStringLiteral("TMAIL_STORE_SOURCE is empty; expected the directory of the message store") };
    config.storePath = in.path(VarStoreSource);
    const QFileInfo info(config.storePath);
    if (info.exists() && !info.isDir())
        return in.invalid(VarStoreSource,
            QStringLiteral("is not a directory (%1); expected the directory of the message store")
                .arg(config.storePath));
    if (!info.exists())
    {
        // Reading changes nothing: fromVariables creates it once every value is right.
        const QFileInfo parent(nearestExistingDirectory(config.storePath));
        if (!parent.isDir() || !parent.isWritable())
            return in.invalid(
                VarStoreSource, QStringLiteral("does not exist and cannot be created (%1)").arg(config.storePath));
        return std::nullopt;
    }
    if (!info.isWritable())
        return in.invalid(VarStoreSource, QStringLiteral("is not writable (%1)").arg(config.storePath));
    return std::nullopt;
}

Check readListeners(const VariableReader &in, Config &config)
{
    const Expected<QList<ListenerDsn>> listeners = ListenerDsn::parseList(in.value(VarDsns));
    if (!listeners)
        return Fault { VarDsns, VarDsns + QStringLiteral(": ") + listeners.error() };
    config.listeners = listeners.value();
    return std::nullopt;
}

// The node id names this daemon's queue claims and heartbeat row: by default the host
// name and the first listener's port, which two daemons on one host never share.
Check readNodeId(const VariableReader &in, Config &config)
{
    QString nodeId = in.value(VarNodeId).trimmed();
    if (nodeId.isEmpty())
    {
        const quint16 port = config.listeners.isEmpty() ? 0 : config.listeners.first().port;
        nodeId = QStringLiteral("%1:%2").arg(QSysInfo::machineHostName()).arg(port).right(64);
    }
    if (nodeId.size() > 64)
        return in.invalid(VarNodeId, QStringLiteral("is longer than 64 characters"));
    for (const QChar c : std::as_const(nodeId))
    {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
            return in.invalid(VarNodeId, QStringLiteral("must be printable ASCII without spaces"));
    }
    config.nodeId = nodeId;
    return std::nullopt;
}

void readLimits(const VariableReader &in, Config &config, Faults &faults)
{
    faults.add(in.number(VarServerTimeout, &config.serverTimeoutSeconds));
    faults.add(in.number(VarMaxDataBytes, &config.maxDataBytes));
    faults.add(in.number(VarMaxHops, &config.maxHops));
    faults.add(in.number(VarMaxRcpt, &config.maxRcpt));
    faults.add(in.number(VarMaxBadRcpt, &config.maxBadRcpt));
    faults.add(in.number(VarConcurrency, &config.concurrencyIncoming));
    faults.add(in.number(VarAuthMaxFailures, &config.authMaxFailures));
    faults.add(in.number(VarAuthBanSeconds, &config.authBanSeconds));
    faults.add(in.number(VarMaxInFlight, &config.deliverdMaxInFlight));
    faults.add(in.number(VarRemoteTimeout, &config.deliverdRemoteTimeoutSeconds));
    faults.add(in.number(VarQueueLifetime, &config.deliverdQueueLifetimeMinutes));
    // Up to a year, as the queue lifetime.
    const std::optional<qint64> delayWarning = TextValue::toDurationSeconds(in.value(VarDelayWarning), 366 * 86400);
    if (delayWarning)
        config.deliverdDelayWarningSeconds = *delayWarning;
    else
        faults.add(in.invalid(VarDelayWarning,
            QStringLiteral("is not a duration; expected 0 (off) or a whole number with s, m, h or d, like 4h")));
    faults.add(in.number(VarLease, &config.deliverdLeaseSeconds));
    faults.add(in.number(VarDestConcurrency, &config.deliverdDestConcurrency));
    faults.add(in.number(VarDestRate, &config.deliverdDestRate));
    faults.add(in.boolean(VarSkipVerify, &config.deliverdRemoteTlsSkipVerify));
    faults.add(in.boolean(VarTlsFallback, &config.deliverdRemoteTlsFallback));
}

// TLS 1.2 suites for the listeners and deliverd, expanded by OpenSSL once here.
Check readTlsCiphers(const VariableReader &in, Config &config)
{
    const Expected<QList<QSslCipher>> ciphers = TlsCiphers::parse(in.value(VarTlsCiphers));
    if (!ciphers)
        return in.invalid(VarTlsCiphers, ciphers.error());
    config.tlsCiphers = ciphers.value();
    return std::nullopt;
}

// Outbound TLS policies: DANE (auto|off), MTA-STS (on|off), extra CA certificates.
void readTlsPolicies(const VariableReader &in, Config &config, Faults &faults)
{
    const QString dane = in.value(VarDane).toLower();
    if (dane != QLatin1String("auto") && dane != QLatin1String("off"))
        faults.add(in.invalid(VarDane, QStringLiteral("is not a DANE mode; expected auto or off")));
    config.deliverdDane = dane == QLatin1String("auto");
    const QString mtaSts = in.value(VarMtaSts).toLower();
    if (mtaSts != QLatin1String("on") && mtaSts != QLatin1String("off"))
        faults.add(in.invalid(VarMtaSts, QStringLiteral("is not an MTA-STS mode; expected on or off")));
    config.deliverdMtaSts = mtaSts == QLatin1String("on");
    config.deliverdTlsCaFile.clear();
    if (!in.value(VarTlsCaFile).isEmpty())
    {
        config.deliverdTlsCaFile = in.path(VarTlsCaFile);
        if (!QFileInfo(config.deliverdTlsCaFile).isReadable())
            faults.add(in.invalid(VarTlsCaFile, QStringLiteral("is not a readable file")));
    }
}

// Both must exist and parse, as STARTTLS is offered on every listener. With
// TlsFiles::PathsOnly only the paths are resolved (smtpd reads the files itself).
Check readTlsCert(const VariableReader &in, Config &config)
{
    if (in.value(VarTlsCert).isEmpty())
        return Fault { VarTlsCert,
            QStringLiteral("TMAIL_SMTPD_TLS_CERT is empty; expected the path of a PEM certificate") };
    config.tlsCertPath = in.path(VarTlsCert);
    QByteArray pem;
    if (in.readsTlsFiles())
    {
        if (const Check fault = in.readPem(VarTlsCert, config.tlsCertPath, &pem))
            return fault;
        const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
        if (certificates.isEmpty() || certificates.first().isNull())
            return in.invalid(VarTlsCert,
                QStringLiteral("is not a PEM certificate (%1); expected a file starting with "
                               "-----BEGIN CERTIFICATE-----")
                    .arg(config.tlsCertPath));
    }
    return std::nullopt;
}

Check readTlsKey(const VariableReader &in, Config &config)
{
    if (in.value(VarTlsKey).isEmpty())
        return Fault { VarTlsKey,
            QStringLiteral("TMAIL_SMTPD_TLS_KEY is empty; expected the path of a PEM private key") };
    config.tlsKeyPath = in.path(VarTlsKey);
    if (in.readsTlsFiles())
    {
        QByteArray pem;
        if (const Check fault = in.readPem(VarTlsKey, config.tlsKeyPath, &pem))
            return fault;
        if (QSslKey(pem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey).isNull()
            && QSslKey(pem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey).isNull())
            return in.invalid(VarTlsKey,
                QStringLiteral("is not an unencrypted PEM RSA or EC private key (%1)").arg(config.tlsKeyPath));
    }
    return std::nullopt;
}

void readDelivery(const VariableReader &in, Config &config, Faults &faults)
{
    const Expected<LocalIpPolicy> localIps = LocalIpPolicy::parse(in.value(VarLocalIps));
    if (faults.add(localIps ? Check() : Fault { VarLocalIps, VarLocalIps + QStringLiteral(": ") + localIps.error() }))
        config.deliverdLocalIps = localIps.value();

    const Expected<QList<DnsServer>> dnsServers = DnsServer::parseList(in.value(VarDnsServers));
    if (faults.add(
            dnsServers ? Check() : Fault { VarDnsServers, VarDnsServers + QStringLiteral(": ") + dnsServers.error() }))
        config.dnsServers = dnsServers.value();
}

// Local domains over LMTP: the target, and how smtpd verifies their recipients.
void readLmtp(const VariableReader &in, Config &config, Faults &faults)
{
    const Expected<LmtpTarget> target = LmtpTarget::parse(in.value(VarLmtpTarget));
    if (faults.add(target ? Check() : Fault { VarLmtpTarget, VarLmtpTarget + QStringLiteral(": ") + target.error() }))
        config.lmtpTarget = target.value();
    const QString verify = in.value(VarLmtpVerify).toLower();
    if (verify.isEmpty())
        config.lmtpVerify = config.lmtpTarget.isSet() ? Config::LmtpVerify::Lmtp : Config::LmtpVerify::Off;
    else if (verify == QLatin1String("lmtp"))
        config.lmtpVerify = Config::LmtpVerify::Lmtp;
    else if (verify == QLatin1String("users"))
        config.lmtpVerify = Config::LmtpVerify::Users;
    else if (verify == QLatin1String("off"))
        config.lmtpVerify = Config::LmtpVerify::Off;
    else
        faults.add(in.invalid(VarLmtpVerify, QStringLiteral("is not a verify mode; expected lmtp, users or off")));
    if (config.lmtpVerify == Config::LmtpVerify::Lmtp && !config.lmtpTarget.isSet())
        faults.add(in.invalid(VarLmtpVerify, QStringLiteral("needs TMAIL_LMTP_TARGET; expected users or off")));
}

Check readManager(const VariableReader &in, Config &config)
{
    const QString socketName = in.value(VarManagerSocket);
    if (socketName.isEmpty())
        return Fault { VarManagerSocket,
            QStringLiteral("TMAIL_MANAGER_SOCKET is empty; expected a local socket name like tmail-manager") };
    for (QChar c : socketName)
    {
        if (c.unicode() < 32 || c.unicode() == 127)
            return in.invalid(VarManagerSocket, QStringLiteral("contains a control character"));
    }
    config.managerSocket = socketName;
    return std::nullopt;
}

// A TCP listener "IP:PORT" or "[IPv6]:PORT", or empty for none (port 0). It must not be
// an smtpd listener of TMAIL_SMTPD_DSNS.
Check readListenAddress(
    const VariableReader &in, const Config &config, const QString &name, QHostAddress *address, quint16 *port)
{
    *address = QHostAddress();
    *port = 0;
    const QString text = in.value(name);
    if (text.isEmpty())
        return std::nullopt;
    const QString expected = QStringLiteral("expected IP:PORT like 127.0.0.1:9925, [IPv6]:PORT, or empty (off)");
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return in.invalid(name, QStringLiteral("is not of the form IP:PORT; ") + expected);
    QString host = text.left(colon);
    const bool bracketed = host.startsWith(QLatin1Char('['));
    if (bracketed)
    {
        if (!host.endsWith(QLatin1Char(']')))
            return in.invalid(name, QStringLiteral("has an unclosed '['; ") + expected);
        host = host.mid(1, host.size() - 2);
    }
    const std::optional<QHostAddress> parsed = TextValue::toAddress(host);
    if (!parsed)
        return in.invalid(name, QStringLiteral("has '%1', which is not an IP address; ").arg(host) + expected);
    const bool ipv6 = parsed->protocol() == QAbstractSocket::IPv6Protocol;
    if (ipv6 && !bracketed)
        return in.invalid(
            name, QStringLiteral("has an IPv6 address without brackets; write it like [%1]:PORT").arg(host));
    if (!ipv6 && bracketed)
        return in.invalid(
            name, QStringLiteral("has '%1' in brackets, which is not an IPv6 address; ").arg(host) + expected);
    const QString portText = text.mid(colon + 1);
    const std::optional<quint16> parsedPort = TextValue::toPort(portText);
    if (!parsedPort)
        return in.invalid(name, QStringLiteral("has port '%1'; expected a port from 1 to 65535").arg(portText));
    for (const ListenerDsn &listener : std::as_const(config.listeners))
    {
        if (listener.port == *parsedPort && listener.address == *parsed)
            return in.invalid(name,
                QStringLiteral("is also an smtpd listener of TMAIL_SMTPD_DSNS; expected another address or port"));
    }
    *address = *parsed;
    *port = *parsedPort;
    return std::nullopt;
}

// The HTTP listener for Prometheus.
Check readMetrics(const VariableReader &in, Config &config)
{
    return readListenAddress(in, config, VarMetricsListen, &config.metricsAddress, &config.metricsPort);
}

// The remote manager's TLS listener. It needs a certificate: its own pair, or else
// smtpd's (already checked by readTlsCert/readTlsKey); both or neither of its own.
Check readManagerListen(const VariableReader &in, Config &config)
{
    config.managerTlsCertPath.clear();
    config.managerTlsKeyPath.clear();
    if (const Check fault
        = readListenAddress(in, config, VarManagerListen, &config.managerAddress, &config.managerPort))
        return fault;
    if (config.managerPort != 0 && config.managerPort == config.metricsPort
        && config.managerAddress == config.metricsAddress)
        return in.invalid(VarManagerListen, QStringLiteral("is also TMAIL_METRICS_LISTEN; expected another port"));
    const bool hasCert = !in.value(VarManagerTlsCert).isEmpty();
    const bool hasKey = !in.value(VarManagerTlsKey).isEmpty();
    if (hasCert != hasKey)
        return in.invalid(hasCert ? VarManagerTlsKey : VarManagerTlsCert,
            QStringLiteral("is empty while %1 is set; expected both, or neither to use smtpd's certificate")
                .arg(hasCert ? VarManagerTlsCert : VarManagerTlsKey));
    if (!hasCert)
    {
        config.managerTlsCertPath = config.tlsCertPath;
        config.managerTlsKeyPath = config.tlsKeyPath;
        return std::nullopt;
    }
    config.managerTlsCertPath = in.path(VarManagerTlsCert);
    config.managerTlsKeyPath = in.path(VarManagerTlsKey);
    if (!in.readsTlsFiles() || config.managerPort == 0)
        return std::nullopt;
    QByteArray pem;
    if (const Check fault = in.readPem(VarManagerTlsCert, config.managerTlsCertPath, &pem))
        return fault;
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certificates.isEmpty() || certificates.first().isNull())
        return in.invalid(VarManagerTlsCert,
            QStringLiteral("is not a PEM certificate (%1); expected a file starting with -----BEGIN CERTIFICATE-----")
                .arg(config.managerTlsCertPath));
    if (const Check fault = in.readPem(VarManagerTlsKey, config.managerTlsKeyPath, &pem))
        return fault;
    if (QSslKey(pem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey).isNull()
        && QSslKey(pem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey).isNull())
        return in.invalid(VarManagerTlsKey,
            QStringLiteral("is not an unencrypted PEM RSA or EC private key (%1)").arg(config.managerTlsKeyPath));
    return std::nullopt;
}

} // namespace

void Config::takeLiveSettings(const Config &next)
{
    // One line per variable marked live in ConfigRegistry (tst_config checks the two agree).
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
    deliverdDelayWarningSeconds = next.deliverdDelayWarningSeconds;
    deliverdRemoteTlsSkipVerify = next.deliverdRemoteTlsSkipVerify;
    deliverdRemoteTlsFallback = next.deliverdRemoteTlsFallback;
    deliverdDane = next.deliverdDane;
    deliverdMtaSts = next.deliverdMtaSts;
    deliverdTlsCaFile = next.deliverdTlsCaFile;
    deliverdDestConcurrency = next.deliverdDestConcurrency;
    deliverdDestRate = next.deliverdDestRate;
    lmtpTarget = next.lmtpTarget;
    lmtpVerify = next.lmtpVerify;
}

// Every section, in order. A variable that depends on another (TMAIL_DB_SOURCE on
// TMAIL_DB_DRIVER) is checked in the same step, after it.
QList<Fault> readAll(const VariableReader &in, Config &config)
{
    Faults faults;
    config.baseDir = in.baseDir();
    readGeneral(in, config, faults);
    using Step = Check (*)(const VariableReader &, Config &);
    for (const Step step : { readDatabase, readStoreDriver, readStoreSource, readListeners, readNodeId })
        faults.add(step(in, config));
    readLimits(in, config, faults);
    for (const Step step : { readTlsCert, readTlsKey, readTlsCiphers })
        faults.add(step(in, config));
    readTlsPolicies(in, config, faults);
    readDelivery(in, config, faults);
    readLmtp(in, config, faults);
    faults.add(readManager(in, config));
    faults.add(readMetrics(in, config));
    faults.add(readManagerListen(in, config));
    faults.add(readSecretKey(in, config));
    return faults.list();
}

ConfigResult Config::fromVariables(const QHash<QString, QString> &variables, const QString &baseDir, TlsFiles tlsFiles)
{
    const VariableReader in(variables, baseDir, tlsFiles);
    Config config;
    const QList<Fault> faults = readAll(in, config);
    if (!faults.isEmpty())
        return ConfigResult(
            Expected<Config>::failure(ErrorKind::InvalidInput, faults.first().message), faults.first().variable);
    if (!QFileInfo::exists(config.storePath) && !QDir().mkpath(config.storePath))
        return ConfigResult(Expected<Config>::failure(ErrorKind::InvalidInput,
                                in.invalid(VarStoreSource,
                                      QStringLiteral("does not exist and cannot be created (%1)").arg(config.storePath))
                                    .message),
            VarStoreSource);
    return ConfigResult(std::move(config));
}

QList<ConfigFault> Config::check(const QHash<QString, QString> &variables, const QString &baseDir)
{
    const VariableReader in(variables, baseDir, TlsFiles::Read);
    Config config;
    QList<ConfigFault> faults;
    for (const Fault &fault : readAll(in, config))
        faults.append({ fault.variable, fault.message });
    return faults;
}

QHash<QString, QString> Config::environmentVariables()
{
    QHash<QString, QString> variables;
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList names = environment.keys();
    for (const QString &name : names)
    {
        if (name.startsWith(QLatin1String("TMAIL_")))
            variables.insert(name, environment.value(name));
    }
    return variables;
}

QString Config::Source::description() const
{
    return filePath.isEmpty() ? QStringLiteral("environment") : filePath;
}

QString Config::baseDirFor(const QString &filePath)
{
    // dist/conf/tmail.cfg: relative paths (db/, store/, ssl/) are those of dist/.
    const QFileInfo info(filePath);
    if (info.absoluteDir().dirName() == QLatin1String("conf"))
    {
        QDir parent = info.absoluteDir();
        parent.cdUp();
        return parent.absolutePath();
    }
    return QCoreApplication::applicationDirPath();
}

Expected<Config::Source> Config::fromFile(const QString &path)
{
    const Expected<QHash<QString, QString>> variables = ConfigFile::readValues(path);
    if (!variables)
        return Expected<Source>::failure(variables);
    Source source;
    source.variables = variables.value();
    source.filePath = QFileInfo(path).absoluteFilePath();
    source.baseDir = baseDirFor(path);
    return source;
}

Expected<QString> Config::locateFile(const QString &configPath)
{
    if (!configPath.isEmpty())
        return configPath;
    if (QProcessEnvironment::systemEnvironment().contains(VarMe))
        return QString();
    const QString fallback = QCoreApplication::applicationDirPath() + QStringLiteral("/conf/tmail.cfg");
    if (!QFileInfo::exists(fallback))
        return Expected<QString>::failure(ErrorKind::NotFound,
            MissingConfigError
                + QStringLiteral("\nGive the settings in the environment (TMAIL_ME…), in a file with "
                                 "`tmail --config FILE`, or in %1 (start from conf/tmail.cfg.base).")
                      .arg(fallback));
    return fallback;
}

Expected<Config::Source> Config::locate(const QString &configPath)
{
    const Expected<QString> path = locateFile(configPath);
    if (!path)
        return Expected<Source>::failure(path);
    if (path->isEmpty())
    {
        Source source;
        source.variables = environmentVariables();
        source.baseDir = QCoreApplication::applicationDirPath();
        return source;
    }
    Expected<Source> file = fromFile(path.value());
    if (!file)
        return file;
    Source source = std::move(file).value();
    const QHash<QString, QString> environment = environmentVariables();
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
    {
        if (!ConfigRegistry::variable(it.key()))
            continue;
        source.variables.insert(it.key(), it.value());
        source.environmentOverrides.append(it.key());
    }
    source.environmentOverrides.sort();
    return source;
}

Expected<Config::Source> Config::reread(const Config &running)
{
    return locate(running.sourceDescription == QLatin1String("environment") ? QString() : running.sourceDescription);
}

Expected<Config> Config::load(const QString &configPath)
{
    using Result = Expected<Config>;
    const Expected<Source> source = locate(configPath);
    if (!source)
        return Result::failure(source);
    Expected<Config> config = fromVariables(source->variables, source->baseDir);
    if (!config)
    {
        if (source->filePath.isEmpty())
            return config;
        return Result::failure(config.kind(), QStringLiteral("%1: %2").arg(source->filePath, config.error()));
    }
    config.value().sourceDescription = source->description();
    config.value().environmentOverrides = source->environmentOverrides;
    return config;
}
