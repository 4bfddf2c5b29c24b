// Config: defaults, validation of every variable, tmail.cfg reading and rewriting, and
// tmail.cfg.base against the registry of variables.
#include <algorithm>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>
#include <functional>

#include "config/config.h"
#include "config/configfile.h"
#include "testcertificate.h"

class TestConfig : public QObject
{
    Q_OBJECT

private slots:
    void lmtpTargetAndVerifyDefaults();
    void initTestCase();

    void loadsDefaults();
    void refusesMissingMe();
    void rejectsBadValue_data();
    void rejectsBadValue();
    void acceptsGoodValue_data();
    void acceptsGoodValue();
    void parsesListenersWithBothSeparatorsAndIpv6();
    void parsesLocalIpGroups();
    void parsesDnsServers();
    void parsesDelayWarningDuration();
    void resolvesLogPathAndCreatesStore();
    void checkListsEveryFaultAndCreatesNothing();
    void acceptsEcKeyAndRefusesEncryptedKey();
    void pathsOnlyLeavesTlsFilesUnread();

    void liveVariablesAreThoseAReloadApplies();
    void takeLiveSettingsCopiesExactlyTheLiveVariables();
    void effectiveVariablesFillDefaultsAndTrim();

    void readsGoodFile();
    void rejectsBadFile_data();
    void rejectsBadFile();
    void reportsUnreadableFile();
    void parsesLenientlyListingEveryBadLine();
    void baseFileHasEveryVariableWithItsDefault();
    void baseFileAgreesWithTheRegistry();
    void rewriteChangesOnlyTheLinesSet();
    void rewriteAddsAMissingVariableAtTheEnd();
    void rewriteRefusesWhatWouldAddALine();
    void rewriteIsAtomicAndKeepsPermissions();
    void valueTypesRefuseWithInvalidInput();

    void loadsFromFileWithDistAsBaseDir();
    void environmentWinsOverTheFile();
    void failsWithoutEnvironmentOrFile();

private:
    QString path(const QString &relative) const { return m_dir.filePath(relative); }
    QHash<QString, QString> minimal() const
    {
        return { { QStringLiteral("TMAIL_ME"), QStringLiteral("mail.example.com") } };
    }
    QString writeFile(const QString &name, const QByteArray &content) const;
    bool openssl(const QStringList &arguments) const;

    QTemporaryDir m_dir;
};

bool TestConfig::openssl(const QStringList &arguments) const
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(60000) || process.exitCode() != 0)
    {
        qWarning("openssl failed: %s", process.readAll().constData());
        return false;
    }
    return true;
}

QString TestConfig::writeFile(const QString &name, const QByteArray &content) const
{
    const QString filePath = path(name);
    QDir().mkpath(QFileInfo(filePath).absolutePath());
    QFile file(filePath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QString();
    file.write(content);
    return filePath;
}

void TestConfig::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir().mkpath(path(QStringLiteral("ssl"))));
    TestCertificate certificate;
    certificate.commonName = QStringLiteral("test");
    const Status made = certificate.make(path(QStringLiteral("ssl")));
    QVERIFY2(made, qPrintable(made.error()));
    QVERIFY(!writeFile(
        QStringLiteral("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n")
                 .isEmpty());
    QVERIFY(!writeFile(QStringLiteral("plain.txt"), "hello\n").isEmpty());
    qunsetenv("TMAIL_ME");
}

void TestConfig::loadsDefaults()
{
    const Expected<Config> config = Config::fromVariables(minimal(), m_dir.path());
    QVERIFY2(config.ok(), qPrintable(config.error()));
    QCOMPARE(config->me, QStringLiteral("mail.example.com"));
    QCOMPARE(config->debugEnabled, false);
    QCOMPARE(config->logPath, QStringLiteral("stdout"));
    QCOMPARE(config->db.backend, DbSource::Backend::Sqlite);
    QCOMPARE(config->db.sqlitePath, QDir(m_dir.path()).filePath(QStringLiteral("db/tmail.db")));
    QCOMPARE(config->storeDriver, QStringLiteral("disk"));
    QCOMPARE(config->deliverdLeaseSeconds, 60);
    QCOMPARE(config->nodeId, QSysInfo::machineHostName() + QStringLiteral(":2525"));
    QCOMPARE(config->storePath, QDir(m_dir.path()).filePath(QStringLiteral("store")));
    QVERIFY(QFileInfo(config->storePath).isDir());
    QCOMPARE(config->listeners.size(), 1);
    QCOMPARE(config->listeners.first().toString(), QStringLiteral("127.0.0.1:2525"));
    QCOMPARE(config->listeners.first().implicitTls, false);
    QCOMPARE(config->serverTimeoutSeconds, 300);
    QCOMPARE(config->maxDataBytes, qint64(50000000));
    QCOMPARE(config->maxHops, 50);
    QCOMPARE(config->maxRcpt, 0);
    QCOMPARE(config->maxBadRcpt, 0);
    QCOMPARE(config->concurrencyIncoming, 500);
    QCOMPARE(config->tlsCertPath, path(QStringLiteral("ssl/server.crt")));
    QCOMPARE(config->tlsKeyPath, path(QStringLiteral("ssl/server.key")));
    QCOMPARE(config->deliverdLocalIps.failoverGroups.size(), 1);
    QCOMPARE(config->deliverdLocalIps.failoverGroups.first(),
        QList<QHostAddress> { QHostAddress(QStringLiteral("0.0.0.0")) });
    QCOMPARE(config->deliverdMaxInFlight, 50);
    QCOMPARE(config->deliverdRemoteTimeoutSeconds, 300);
    QCOMPARE(config->deliverdQueueLifetimeMinutes, 7200);
    QCOMPARE(config->deliverdRemoteTlsSkipVerify, true);
    QCOMPARE(config->deliverdRemoteTlsFallback, true);
    QVERIFY(config->dnsServers.isEmpty());
    QCOMPARE(config->managerSocket, QStringLiteral("tmail-manager"));
    QCOMPARE(config->authMaxFailures, 5);
    QCOMPARE(config->authBanSeconds, 600);
    QVERIFY(config->runAsUser.isEmpty());

    // Every default of variables() is itself valid.
    QHash<QString, QString> defaults;
    for (const ConfigVariable &variable : ConfigRegistry::variables())
        defaults.insert(variable.name, variable.defaultValue);
    defaults.insert(QStringLiteral("TMAIL_ME"), QStringLiteral("mail.example.com"));
    QVERIFY(Config::fromVariables(defaults, m_dir.path()).ok());
}

void TestConfig::refusesMissingMe()
{
    const Expected<Config> config = Config::fromVariables({}, m_dir.path());
    QVERIFY(!config.ok());
    QVERIFY2(config.error().contains(QLatin1String("TMAIL_ME")), qPrintable(config.error()));
}

void TestConfig::rejectsBadValue_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");

    const auto row = [](const char *name, const char *value, const char *expected) {
        QTest::addRow("%s=%s", name, value)
            << QString::fromUtf8(name) << QString::fromUtf8(value) << QString::fromUtf8(expected);
    };
    row("TMAIL_ME", "-bad-.example.com", "not a valid host name");
    row("TMAIL_ME", "192.0.2.1", "is an IP address");
    row("TMAIL_ME", "mail example.com", "not a valid host name");
    row("TMAIL_ME", "mail_1.example.com", "not a valid host name");
    row("TMAIL_ME", "", "missing or empty");
    row("TMAIL_DEBUG_ENABLED", "maybe", "expected true or false");
    row("TMAIL_LOGPATH", "/nonexistent/tmail/logs", "expected stdout or an existing directory");
    row("TMAIL_LOGPATH", "plain.txt", "not an existing directory");
    row("TMAIL_USER", "bad user", "not a valid user name");
    row("TMAIL_DB_DRIVER", "oracle", "'oracle' is not supported; expected sqlite3, mysql or postgres");
    row("TMAIL_DB_SOURCE", "ssl", "directory");
    row("TMAIL_STORE_DRIVER", "s3", "is not supported; expected disk or database");
    row("TMAIL_NODE_ID", "node one", "must be printable ASCII without spaces");
    row("TMAIL_DELIVERD_LEASE", "1", "from 2 to 86400");
    row("TMAIL_STORE_SOURCE", "plain.txt", "is not a directory");
    row("TMAIL_STORE_SOURCE", "plain.txt/store", "cannot be created");
    row("TMAIL_SMTPD_DSNS", "127.0.0.1:99999:false", "'127.0.0.1:99999:false' has port 99999; expected 1-65535");
    row("TMAIL_SMTPD_DSNS", "127.0.0.1:0:false", "expected 1-65535");
    row("TMAIL_SMTPD_DSNS", "127.0.0.1:2525", "IP:PORT:SSL");
    row("TMAIL_SMTPD_DSNS", "localhost:2525:false", "not an IP address");
    row("TMAIL_SMTPD_DSNS", "127.0.0.1:2525:maybe", "expected true or false");
    row("TMAIL_SMTPD_DSNS", "::1:2525:false", "brackets");
    row("TMAIL_SMTPD_DSNS", "[::1:2525:false", "unclosed");
    row("TMAIL_SMTPD_DSNS", "[127.0.0.1]:2525:false", "not an IPv6 address");
    row("TMAIL_SMTPD_DSNS", "127.0.0.1:2525:false,127.0.0.1:2525:true", "more than once");
    row("TMAIL_SMTPD_DSNS", "127.0.0.1:2525:false,,127.0.0.1:2526:false", "empty entry");
    row("TMAIL_SMTPD_DSNS", "", "expected at least one");
    row("TMAIL_SMTPD_SERVER_TIMEOUT", "0", "from 1 to 86400");
    row("TMAIL_SMTPD_SERVER_TIMEOUT", "abc", "whole number");
    row("TMAIL_SMTPD_SERVER_TIMEOUT", "-5", "whole number");
    row("TMAIL_SMTPD_MAX_DATABYTES", "-1", "whole number from 0");
    row("TMAIL_SMTPD_MAX_DATABYTES", "1e6", "whole number");
    row("TMAIL_SMTPD_MAX_HOPS", "0", "from 1 to 1000");
    row("TMAIL_SMTPD_MAX_RCPT", "-1", "whole number");
    row("TMAIL_SMTPD_MAX_BAD_RCPT", "x", "whole number");
    row("TMAIL_SMTPD_CONCURRENCY_INCOMING", "0", "from 1 to 100000");
    row("TMAIL_SMTPD_CONCURRENCY_INCOMING", "100001", "from 1 to 100000");
    row("TMAIL_SMTPD_CONCURRENCY_INCOMING", "99999999999999999999", "whole number");
    row("TMAIL_SMTPD_TLS_CERT", "missing.crt", "does not exist");
    row("TMAIL_SMTPD_TLS_CERT", "ssl", "is not a file");
    row("TMAIL_SMTPD_TLS_CERT", "garbage.pem", "is not a PEM certificate");
    row("TMAIL_SMTPD_TLS_CERT", "ssl/server.key", "is not a PEM certificate");
    row("TMAIL_SMTPD_TLS_CERT", "", "is empty");
    row("TMAIL_SMTPD_TLS_KEY", "missing.key", "does not exist");
    row("TMAIL_SMTPD_TLS_KEY", "ssl/server.crt", "private key");
    row("TMAIL_SMTPD_TLS_KEY", "plain.txt", "private key");
    row("TMAIL_SMTPD_TLS_CIPHERS", "NO-SUCH-CIPHER", "selects no cipher");
    row("TMAIL_SMTPD_TLS_CIPHERS", "", "is empty");
    row("TMAIL_SMTPD_AUTH_MAX_FAILURES", "0", "whole number");
    row("TMAIL_SMTPD_AUTH_BAN_SECONDS", "ten", "whole number");
    row("TMAIL_DELIVERD_LOCAL_IPS", "192.0.2.1|mail.example.com", "not an IP address");
    row("TMAIL_DELIVERD_LOCAL_IPS", "192.0.2.1&", "empty entry");
    row("TMAIL_DELIVERD_LOCAL_IPS", "192.0.2.0/24", "not an IP address");
    row("TMAIL_DELIVERD_LOCAL_IPS", "", "is empty");
    row("TMAIL_DELIVERD_MAX_IN_FLIGHT", "0", "from 1 to 100000");
    row("TMAIL_DELIVERD_REMOTE_TIMEOUT", "0", "from 1 to 86400");
    row("TMAIL_DELIVERD_QUEUE_LIFETIME", "0", "whole number");
    row("TMAIL_DELIVERD_REMOTE_TLS_SKIPVERIFY", "2", "expected true or false");
    row("TMAIL_DELIVERD_REMOTE_TLS_FALLBACK", "ok", "expected true or false");
    row("TMAIL_DELIVERD_DEST_CONCURRENCY", "0", "from 1 to 100000");
    row("TMAIL_DELIVERD_DEST_RATE", "-1", "whole number");
    row("TMAIL_DELIVERD_DEST_RATE", "600/m", "whole number");
    row("TMAIL_LMTP_TARGET", "dovecot", "has no port");
    row("TMAIL_LMTP_TARGET", "unix:run/lmtp", "not an absolute socket path");
    row("TMAIL_LMTP_TARGET", "127.0.0.1:0", "has port '0'");
    row("TMAIL_LMTP_TARGET", "::1:24", "IPv6 address without brackets");
    row("TMAIL_LMTP_TARGET", "[127.0.0.1]:24", "not an IPv6 address");
    row("TMAIL_LMTP_TARGET", "bad_host!:24", "neither an IP address nor a host name");
    row("TMAIL_LMTP_TARGET", "unix:/run/a b", "blank");
    row("TMAIL_LMTP_VERIFY", "maybe", "expected lmtp, users or off");
    row("TMAIL_LMTP_VERIFY", "lmtp", "needs TMAIL_LMTP_TARGET");
    row("TMAIL_DNS_SERVERS", "8.8.8.8:0", "expected 1-65535");
    row("TMAIL_DNS_SERVERS", "1.1.1.1:99999", "expected 1-65535");
    row("TMAIL_DNS_SERVERS", "dns.google", "not an IP address");
    row("TMAIL_DNS_SERVERS", "[::1", "unclosed");
    row("TMAIL_DNS_SERVERS", "[::1]x", "expected [IPv6]:PORT");
    row("TMAIL_MANAGER_SOCKET", "", "is empty");
    row("TMAIL_METRICS_LISTEN", "127.0.0.1", "is not of the form IP:PORT");
    row("TMAIL_METRICS_LISTEN", "127.0.0.1:0", "expected a port from 1 to 65535");
    row("TMAIL_METRICS_LISTEN", "metrics.example:9925", "not an IP address");
    row("TMAIL_MANAGER_LISTEN", "127.0.0.1", "is not of the form IP:PORT");
    row("TMAIL_MANAGER_LISTEN", "[::1:9930", "unclosed");
    row("TMAIL_MANAGER_LISTEN", "manager.example:9930", "not an IP address");
    row("TMAIL_MANAGER_LISTEN", "127.0.0.1:70000", "expected a port from 1 to 65535");
}

void TestConfig::rejectsBadValue()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, expected);

    QHash<QString, QString> variables = minimal();
    variables.insert(name, value);
    const ConfigResult config = Config::fromVariables(variables, m_dir.path());
    QVERIFY2(!config.ok(), "the bad value was accepted");
    const QString error = config.error();
    QCOMPARE(config.kind(), ErrorKind::InvalidInput);
    QCOMPARE(config.variable(), name);
    QVERIFY2(error.startsWith(name), qPrintable(error));
    QVERIFY2(error.contains(value), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void TestConfig::acceptsGoodValue_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");

    const auto row = [](const char *name, const char *value) {
        QTest::addRow("%s=%s", name, value) << QString::fromUtf8(name) << QString::fromUtf8(value);
    };
    row("TMAIL_ME", "localhost");
    row("TMAIL_ME", "Mail.Example.COM.");
    row("TMAIL_DEBUG_ENABLED", "TRUE");
    row("TMAIL_DEBUG_ENABLED", "yes");
    row("TMAIL_DEBUG_ENABLED", "0");
    row("TMAIL_DEBUG_ENABLED", "No");
    row("TMAIL_USER", "tmail");
    row("TMAIL_MANAGER_LISTEN", "127.0.0.1:9930");
    row("TMAIL_MANAGER_LISTEN", "[::1]:9930");
    row("TMAIL_DB_DRIVER", "SQLite3");
    row("TMAIL_SMTPD_MAX_DATABYTES", "0");
    row("TMAIL_SMTPD_CONCURRENCY_INCOMING", "100000");
    row("TMAIL_SMTPD_SERVER_TIMEOUT", " 30 ");
    row("TMAIL_DNS_SERVERS", "");
    row("TMAIL_MANAGER_SOCKET", "/run/tmail/manager.sock");
}

void TestConfig::acceptsGoodValue()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QHash<QString, QString> variables = minimal();
    variables.insert(name, value);
    const Expected<Config> config = Config::fromVariables(variables, m_dir.path());
    QVERIFY2(config.ok(), qPrintable(config.error()));
}

void TestConfig::parsesListenersWithBothSeparatorsAndIpv6()
{
    QHash<QString, QString> variables = minimal();
    variables.insert(QStringLiteral("TMAIL_SMTPD_DSNS"),
        QStringLiteral("127.0.0.1:2525:false; [::1]:2525:false , 0.0.0.0:4655:TRUE;[::]:5877:no"));
    const Expected<Config> config = Config::fromVariables(variables, m_dir.path());
    QVERIFY2(config.ok(), qPrintable(config.error()));
    QCOMPARE(config->listeners.size(), 4);
    QCOMPARE(config->listeners.at(0).toString(), QStringLiteral("127.0.0.1:2525"));
    QCOMPARE(config->listeners.at(1).toString(), QStringLiteral("[::1]:2525"));
    QCOMPARE(config->listeners.at(1).address, QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(config->listeners.at(2).port, quint16(4655));
    QCOMPARE(config->listeners.at(2).implicitTls, true);
    QCOMPARE(config->listeners.at(3).address, QHostAddress(QHostAddress::AnyIPv6));
    QCOMPARE(config->listeners.at(3).implicitTls, false);

    // Same address and port written twice, even differently, is refused.
    QVERIFY(!ListenerDsn::parseList(QStringLiteral("[::1]:25:false,[0:0::1]:25:true")).ok());
}

void TestConfig::parsesLocalIpGroups()
{
    const Expected<LocalIpPolicy> policy
        = LocalIpPolicy::parse(QStringLiteral("192.0.2.1|192.0.2.1|192.0.2.2 & 2001:db8::1 & [::1]"));
    QVERIFY2(policy.ok(), qPrintable(policy.error()));
    QCOMPARE(policy->failoverGroups.size(), 3);
    QCOMPARE(policy->failoverGroups.at(0).size(), 3);
    QCOMPARE(policy->failoverGroups.at(0).at(1), QHostAddress(QStringLiteral("192.0.2.1")));
    QCOMPARE(policy->failoverGroups.at(1), QList<QHostAddress> { QHostAddress(QStringLiteral("2001:db8::1")) });
    QCOMPARE(policy->failoverGroups.at(2), QList<QHostAddress> { QHostAddress(QHostAddress::LocalHostIPv6) });
}

void TestConfig::parsesDelayWarningDuration()
{
    QCOMPARE(Config().deliverdDelayWarningSeconds, qint64(4 * 3600)); // the default, 4h
    const QList<QPair<QString, qint64>> good = { { QStringLiteral("0"), 0 }, { QStringLiteral("4h"), 14400 },
        { QStringLiteral("30m"), 1800 }, { QStringLiteral("90s"), 90 }, { QStringLiteral("2d"), 172800 },
        { QStringLiteral("15"), 15 }, { QStringLiteral("1H"), 3600 } };
    for (const auto &[text, seconds] : good)
    {
        QHash<QString, QString> variables = minimal();
        variables.insert(QStringLiteral("TMAIL_DELIVERD_DELAY_WARNING"), text);
        const Expected<Config> config = Config::fromVariables(variables, m_dir.path());
        QVERIFY2(config.ok(), qPrintable(text + QStringLiteral(": ") + config.error()));
        QCOMPARE(config->deliverdDelayWarningSeconds, seconds);
    }
    for (const char *bad : { "", "h", "4x", "-1", "1.5h", "4 h", "400d", "4hh" })
    {
        QHash<QString, QString> variables = minimal();
        variables.insert(QStringLiteral("TMAIL_DELIVERD_DELAY_WARNING"), QString::fromLatin1(bad));
        const Expected<Config> config = Config::fromVariables(variables, m_dir.path());
        QVERIFY2(!config.ok(), bad);
        QVERIFY2(
            config.error().startsWith(QStringLiteral("TMAIL_DELIVERD_DELAY_WARNING: '")), qPrintable(config.error()));
    }
}

void TestConfig::parsesDnsServers()
{
    QHash<QString, QString> variables = minimal();
    variables.insert(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:5354, ::1 [::1]:5300;8.8.8.8"));
    const Expected<Config> config = Config::fromVariables(variables, m_dir.path());
    QVERIFY2(config.ok(), qPrintable(config.error()));
    QCOMPARE(config->dnsServers.size(), 4);
    QCOMPARE(config->dnsServers.at(0).address, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(config->dnsServers.at(0).port, quint16(5354));
    QCOMPARE(config->dnsServers.at(1).address, QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(config->dnsServers.at(1).port, quint16(53));
    QCOMPARE(config->dnsServers.at(2).port, quint16(5300));
    QCOMPARE(config->dnsServers.at(3).port, quint16(53));
}

void TestConfig::resolvesLogPathAndCreatesStore()
{
    QVERIFY(QDir().mkpath(path(QStringLiteral("logs"))));
    QHash<QString, QString> variables = minimal();
    variables.insert(QStringLiteral("TMAIL_LOGPATH"), QStringLiteral("logs"));
    variables.insert(QStringLiteral("TMAIL_STORE_SOURCE"), QStringLiteral("spool/deep/store"));
    const Expected<Config> config = Config::fromVariables(variables, m_dir.path());
    QVERIFY2(config.ok(), qPrintable(config.error()));
    QCOMPARE(config->logPath, path(QStringLiteral("logs")));
    QCOMPARE(config->storePath, path(QStringLiteral("spool/deep/store")));
    QVERIFY(QFileInfo(config->storePath).isDir());
}

void TestConfig::checkListsEveryFaultAndCreatesNothing()
{
    QHash<QString, QString> variables = minimal();
    variables.insert(QStringLiteral("TMAIL_STORE_SOURCE"), QStringLiteral("checked/store"));
    QVERIFY(Config::check(variables, m_dir.path()).isEmpty());
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("checked"))));

    // Three bad values in three sections: all listed, in order.
    variables.insert(QStringLiteral("TMAIL_DEBUG_ENABLED"), QStringLiteral("perhaps"));
    variables.insert(QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("0"));
    variables.insert(QStringLiteral("TMAIL_DELIVERD_MTASTS"), QStringLiteral("maybe"));
    const QList<ConfigFault> faults = Config::check(variables, m_dir.path());
    QStringList names;
    for (const ConfigFault &fault : faults)
    {
        names.append(fault.variable);
        QVERIFY2(fault.message.startsWith(fault.variable), qPrintable(fault.message));
    }
    QCOMPARE(names,
        QStringList({ QStringLiteral("TMAIL_DEBUG_ENABLED"), QStringLiteral("TMAIL_SMTPD_MAX_HOPS"),
            QStringLiteral("TMAIL_DELIVERD_MTASTS") }));
    // Loading names the first one, and creates nothing either.
    const ConfigResult loaded = Config::fromVariables(variables, m_dir.path());
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.variable(), QStringLiteral("TMAIL_DEBUG_ENABLED"));
    QCOMPARE(loaded.error(), faults.first().message);
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("checked"))));

    // A store that could not be created is a fault of its own.
    QVERIFY(!writeFile(QStringLiteral("afile"), "x").isEmpty());
    variables = minimal();
    variables.insert(QStringLiteral("TMAIL_STORE_SOURCE"), QStringLiteral("afile/store"));
    const QList<ConfigFault> store = Config::check(variables, m_dir.path());
    QCOMPARE(store.size(), 1);
    QCOMPARE(store.first().variable, QStringLiteral("TMAIL_STORE_SOURCE"));
}

void TestConfig::pathsOnlyLeavesTlsFilesUnread()
{
    QHash<QString, QString> variables = minimal();
    variables.insert(QStringLiteral("TMAIL_SMTPD_TLS_CERT"), QStringLiteral("plain.txt"));
    variables.insert(QStringLiteral("TMAIL_SMTPD_TLS_KEY"), QStringLiteral("missing.key"));
    QVERIFY(!Config::fromVariables(variables, m_dir.path()).ok());
    const Expected<Config> config = Config::fromVariables(variables, m_dir.path(), Config::TlsFiles::PathsOnly);
    QVERIFY2(config.ok(), qPrintable(config.error()));
    QCOMPARE(config->tlsCertPath, path(QStringLiteral("plain.txt")));
    QCOMPARE(config->tlsKeyPath, path(QStringLiteral("missing.key")));
    // The paths themselves are still required.
    variables.insert(QStringLiteral("TMAIL_SMTPD_TLS_KEY"), QString());
    QVERIFY(!Config::fromVariables(variables, m_dir.path(), Config::TlsFiles::PathsOnly).ok());
}

void TestConfig::liveVariablesAreThoseAReloadApplies()
{
    // What README and docs/manager-protocol.md promise; the rest waits for a restart.
    const QSet<QString> expected {
        QStringLiteral("TMAIL_DEBUG_ENABLED"),
        QStringLiteral("TMAIL_SMTPD_SERVER_TIMEOUT"),
        QStringLiteral("TMAIL_SMTPD_MAX_DATABYTES"),
        QStringLiteral("TMAIL_SMTPD_MAX_HOPS"),
        QStringLiteral("TMAIL_SMTPD_MAX_RCPT"),
        QStringLiteral("TMAIL_SMTPD_MAX_BAD_RCPT"),
        QStringLiteral("TMAIL_SMTPD_CONCURRENCY_INCOMING"),
        QStringLiteral("TMAIL_SMTPD_TLS_CERT"),
        QStringLiteral("TMAIL_SMTPD_TLS_KEY"),
        QStringLiteral("TMAIL_SMTPD_AUTH_MAX_FAILURES"),
        QStringLiteral("TMAIL_SMTPD_AUTH_BAN_SECONDS"),
        QStringLiteral("TMAIL_DELIVERD_LOCAL_IPS"),
        QStringLiteral("TMAIL_DELIVERD_MAX_IN_FLIGHT"),
        QStringLiteral("TMAIL_DELIVERD_REMOTE_TIMEOUT"),
        QStringLiteral("TMAIL_DELIVERD_QUEUE_LIFETIME"),
        QStringLiteral("TMAIL_DELIVERD_DELAY_WARNING"),
        QStringLiteral("TMAIL_DELIVERD_REMOTE_TLS_SKIPVERIFY"),
        QStringLiteral("TMAIL_DELIVERD_REMOTE_TLS_FALLBACK"),
        QStringLiteral("TMAIL_DELIVERD_DANE"),
        QStringLiteral("TMAIL_DELIVERD_MTASTS"),
        QStringLiteral("TMAIL_DELIVERD_TLS_CA_FILE"),
        QStringLiteral("TMAIL_DELIVERD_DEST_CONCURRENCY"),
        QStringLiteral("TMAIL_DELIVERD_DEST_RATE"),
        QStringLiteral("TMAIL_LMTP_TARGET"),
        QStringLiteral("TMAIL_LMTP_VERIFY"),
        QStringLiteral("TMAIL_SMTPD_TLS_CIPHERS"),
    };
    QSet<QString> live;
    for (const ConfigVariable &variable : ConfigRegistry::variables())
    {
        if (variable.live)
            live.insert(variable.name);
        QCOMPARE(ConfigRegistry::variable(variable.name), &variable);
    }
    QCOMPARE(live, expected);
    QVERIFY(!ConfigRegistry::variable(QStringLiteral("TMAIL_NOPE")));
}

void TestConfig::takeLiveSettingsCopiesExactlyTheLiveVariables()
{
    // For each variable: another valid value (with what else it needs) and how it shows in Config.
    using Field = std::function<QString(const Config &)>;
    struct Probe
    {
        QHash<QString, QString> values;
        Field field;
    };
    QVERIFY(QFile::copy(path(QStringLiteral("ssl/server.crt")), path(QStringLiteral("ssl/other.crt"))));
    QVERIFY(QFile::copy(path(QStringLiteral("ssl/server.key")), path(QStringLiteral("ssl/other.key"))));
    QHash<QString, Probe> probes;
    const auto add = [&probes](const QString &name, const QString &value, const Field &field) {
        probes.insert(name, { { { name, value } }, field });
    };
    const auto number = [](auto value) { return QString::number(value); };
    add(QStringLiteral("TMAIL_ME"), QStringLiteral("other.example.com"), [](const Config &c) { return c.me; });
    add(QStringLiteral("TMAIL_DEBUG_ENABLED"), QStringLiteral("true"),
        [=](const Config &c) { return number(c.debugEnabled); });
    add(QStringLiteral("TMAIL_LOGPATH"), m_dir.path(), [](const Config &c) { return c.logPath; });
    add(QStringLiteral("TMAIL_USER"), QStringLiteral("nobody"), [](const Config &c) { return c.runAsUser; });
    add(QStringLiteral("TMAIL_DB_SOURCE"), QStringLiteral("db/other.db"),
        [](const Config &c) { return c.db.describe(); });
    probes.insert(QStringLiteral("TMAIL_DB_DRIVER"),
        { { { QStringLiteral("TMAIL_DB_DRIVER"), QStringLiteral("postgres") },
              { QStringLiteral("TMAIL_DB_SOURCE"),
                  QStringLiteral("host=127.0.0.1 port=5432 user=u password=p dbname=d") } },
            [](const Config &c) { return c.db.describe(); } });
    add(QStringLiteral("TMAIL_STORE_DRIVER"), QStringLiteral("database"),
        [](const Config &c) { return c.storeDriver; });
    add(QStringLiteral("TMAIL_NODE_ID"), QStringLiteral("mx9"), [](const Config &c) { return c.nodeId; });
    add(QStringLiteral("TMAIL_DELIVERD_LEASE"), QStringLiteral("7"),
        [=](const Config &c) { return number(c.deliverdLeaseSeconds); });
    add(QStringLiteral("TMAIL_STORE_SOURCE"), QStringLiteral("store2"), [](const Config &c) { return c.storePath; });
    add(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:2526:false"),
        [](const Config &c) { return c.listeners.first().toString(); });
    add(QStringLiteral("TMAIL_SMTPD_SERVER_TIMEOUT"), QStringLiteral("10"),
        [=](const Config &c) { return number(c.serverTimeoutSeconds); });
    add(QStringLiteral("TMAIL_SMTPD_MAX_DATABYTES"), QStringLiteral("1000"),
        [=](const Config &c) { return number(c.maxDataBytes); });
    add(QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("5"),
        [=](const Config &c) { return number(c.maxHops); });
    add(QStringLiteral("TMAIL_SMTPD_MAX_RCPT"), QStringLiteral("3"),
        [=](const Config &c) { return number(c.maxRcpt); });
    add(QStringLiteral("TMAIL_SMTPD_MAX_BAD_RCPT"), QStringLiteral("4"),
        [=](const Config &c) { return number(c.maxBadRcpt); });
    add(QStringLiteral("TMAIL_SMTPD_CONCURRENCY_INCOMING"), QStringLiteral("7"),
        [=](const Config &c) { return number(c.concurrencyIncoming); });
    add(QStringLiteral("TMAIL_SMTPD_TLS_CERT"), QStringLiteral("ssl/other.crt"),
        [](const Config &c) { return c.tlsCertPath; });
    add(QStringLiteral("TMAIL_SMTPD_TLS_KEY"), QStringLiteral("ssl/other.key"),
        [](const Config &c) { return c.tlsKeyPath; });
    add(QStringLiteral("TMAIL_SMTPD_TLS_CIPHERS"), QStringLiteral("ECDHE-RSA-AES256-GCM-SHA384"),
        [](const Config &c) { return c.tlsCiphers.isEmpty() ? QString() : c.tlsCiphers.first().name(); });
    add(QStringLiteral("TMAIL_SMTPD_AUTH_MAX_FAILURES"), QStringLiteral("9"),
        [=](const Config &c) { return number(c.authMaxFailures); });
    add(QStringLiteral("TMAIL_SMTPD_AUTH_BAN_SECONDS"), QStringLiteral("60"),
        [=](const Config &c) { return number(c.authBanSeconds); });
    add(QStringLiteral("TMAIL_DELIVERD_LOCAL_IPS"), QStringLiteral("127.0.0.2"),
        [](const Config &c) { return c.deliverdLocalIps.failoverGroups.first().first().toString(); });
    add(QStringLiteral("TMAIL_DELIVERD_MAX_IN_FLIGHT"), QStringLiteral("3"),
        [=](const Config &c) { return number(c.deliverdMaxInFlight); });
    add(QStringLiteral("TMAIL_DELIVERD_REMOTE_TIMEOUT"), QStringLiteral("20"),
        [=](const Config &c) { return number(c.deliverdRemoteTimeoutSeconds); });
    add(QStringLiteral("TMAIL_DELIVERD_QUEUE_LIFETIME"), QStringLiteral("60"),
        [=](const Config &c) { return number(c.deliverdQueueLifetimeMinutes); });
    add(QStringLiteral("TMAIL_DELIVERD_DELAY_WARNING"), QStringLiteral("90m"),
        [=](const Config &c) { return number(c.deliverdDelayWarningSeconds); });
    add(QStringLiteral("TMAIL_DELIVERD_REMOTE_TLS_SKIPVERIFY"), QStringLiteral("false"),
        [=](const Config &c) { return number(c.deliverdRemoteTlsSkipVerify); });
    add(QStringLiteral("TMAIL_DELIVERD_REMOTE_TLS_FALLBACK"), QStringLiteral("false"),
        [=](const Config &c) { return number(c.deliverdRemoteTlsFallback); });
    add(QStringLiteral("TMAIL_DELIVERD_DANE"), QStringLiteral("off"),
        [=](const Config &c) { return number(c.deliverdDane); });
    add(QStringLiteral("TMAIL_DELIVERD_MTASTS"), QStringLiteral("off"),
        [=](const Config &c) { return number(c.deliverdMtaSts); });
    add(QStringLiteral("TMAIL_DELIVERD_TLS_CA_FILE"), QStringLiteral("ssl/other.crt"),
        [](const Config &c) { return c.deliverdTlsCaFile; });
    add(QStringLiteral("TMAIL_DELIVERD_DEST_CONCURRENCY"), QStringLiteral("3"),
        [=](const Config &c) { return number(c.deliverdDestConcurrency); });
    add(QStringLiteral("TMAIL_DELIVERD_DEST_RATE"), QStringLiteral("600"),
        [=](const Config &c) { return number(c.deliverdDestRate); });
    add(QStringLiteral("TMAIL_LMTP_TARGET"), QStringLiteral("unix:/run/dovecot/lmtp"),
        [](const Config &c) { return c.lmtpTarget.toString(); });
    add(QStringLiteral("TMAIL_LMTP_VERIFY"), QStringLiteral("users"),
        [=](const Config &c) { return number(int(c.lmtpVerify)); });
    add(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:5353"),
        [=](const Config &c) { return number(c.dnsServers.size()); });
    add(QStringLiteral("TMAIL_MANAGER_SOCKET"), QStringLiteral("other"),
        [](const Config &c) { return c.managerSocket; });
    add(QStringLiteral("TMAIL_SECRET_KEY"), QStringLiteral("conf/other.key"),
        [](const Config &c) { return c.secretKeyPath; });
    add(QStringLiteral("TMAIL_METRICS_LISTEN"), QStringLiteral("127.0.0.1:9925"),
        [](const Config &c) { return QStringLiteral("%1:%2").arg(c.metricsAddress.toString()).arg(c.metricsPort); });
    add(QStringLiteral("TMAIL_MANAGER_LISTEN"), QStringLiteral("127.0.0.1:9930"),
        [](const Config &c) { return QStringLiteral("%1:%2").arg(c.managerAddress.toString()).arg(c.managerPort); });
    // The manager's pair goes together.
    const QHash<QString, QString> managerPair
        = { { QStringLiteral("TMAIL_MANAGER_TLS_CERT"), QStringLiteral("ssl/other.crt") },
              { QStringLiteral("TMAIL_MANAGER_TLS_KEY"), QStringLiteral("ssl/other.key") } };
    probes.insert(QStringLiteral("TMAIL_MANAGER_TLS_CERT"),
        { managerPair, [](const Config &c) { return c.managerTlsCertPath; } });
    probes.insert(
        QStringLiteral("TMAIL_MANAGER_TLS_KEY"), { managerPair, [](const Config &c) { return c.managerTlsKeyPath; } });

    const Expected<Config> running = Config::fromVariables(minimal(), m_dir.path());
    QVERIFY2(running.ok(), qPrintable(running.error()));
    for (const ConfigVariable &variable : ConfigRegistry::variables())
    {
        QVERIFY2(probes.contains(variable.name), qPrintable(variable.name + QStringLiteral(" has no probe here")));
        const Probe &probe = probes.value(variable.name);
        if (probe.values.isEmpty())
            continue; // no other valid value to switch to
        QHash<QString, QString> changed = minimal();
        for (auto it = probe.values.cbegin(); it != probe.values.cend(); ++it)
            changed.insert(it.key(), it.value());
        const Expected<Config> next = Config::fromVariables(changed, m_dir.path());
        QVERIFY2(next.ok(), qPrintable(next.error()));
        QVERIFY2(probe.field(next.value()) != probe.field(running.value()), qPrintable(variable.name));
        Config reloaded = running.value();
        reloaded.takeLiveSettings(next.value());
        const QString expected = variable.live ? probe.field(next.value()) : probe.field(running.value());
        QVERIFY2(probe.field(reloaded) == expected,
            qPrintable(QStringLiteral("%1 is %2 in variables() but takeLiveSettings %3 it")
                           .arg(variable.name, variable.live ? QStringLiteral("live") : QStringLiteral("restart-only"),
                               variable.live ? QStringLiteral("does not copy") : QStringLiteral("copies"))));
    }
}

void TestConfig::lmtpTargetAndVerifyDefaults()
{
    const Expected<Config> none = Config::fromVariables(minimal(), m_dir.path());
    QVERIFY2(none.ok(), qPrintable(none.error()));
    QVERIFY(!none->lmtpTarget.isSet());
    QCOMPARE(none->lmtpVerify, Config::LmtpVerify::Off);
    QCOMPARE(none->deliverdDestConcurrency, 10);
    QCOMPARE(none->deliverdDestRate, 0);

    QHash<QString, QString> variables = minimal();
    variables.insert(QStringLiteral("TMAIL_LMTP_TARGET"), QStringLiteral("[::1]:24"));
    Expected<Config> tcp = Config::fromVariables(variables, m_dir.path());
    QVERIFY2(tcp.ok(), qPrintable(tcp.error()));
    QCOMPARE(tcp->lmtpTarget.host, QStringLiteral("::1"));
    QCOMPARE(tcp->lmtpTarget.port, quint16(24));
    QCOMPARE(tcp->lmtpTarget.toString(), QStringLiteral("[::1]:24"));
    QCOMPARE(tcp->lmtpVerify, Config::LmtpVerify::Lmtp); // a target makes lmtp the default

    variables.insert(QStringLiteral("TMAIL_LMTP_TARGET"), QStringLiteral("unix:/run/dovecot/lmtp"));
    variables.insert(QStringLiteral("TMAIL_LMTP_VERIFY"), QStringLiteral("OFF"));
    Expected<Config> local = Config::fromVariables(variables, m_dir.path());
    QVERIFY2(local.ok(), qPrintable(local.error()));
    QVERIFY(local->lmtpTarget.isUnix());
    QCOMPARE(local->lmtpTarget.socketPath, QStringLiteral("/run/dovecot/lmtp"));
    QCOMPARE(local->lmtpVerify, Config::LmtpVerify::Off);

    variables.insert(QStringLiteral("TMAIL_LMTP_TARGET"), QStringLiteral("lmtp.example.com:24"));
    Expected<Config> named = Config::fromVariables(variables, m_dir.path());
    QVERIFY2(named.ok(), qPrintable(named.error()));
    QCOMPARE(named->lmtpTarget.toString(), QStringLiteral("lmtp.example.com:24"));
}

void TestConfig::effectiveVariablesFillDefaultsAndTrim()
{
    const QHash<QString, QString> effective
        = ConfigRegistry::effectiveValues({ { QStringLiteral("TMAIL_ME"), QStringLiteral(" mail.example.com ") },
            { QStringLiteral("TMAIL_OTHER"), QStringLiteral("x") } });
    QCOMPARE(effective.size(), ConfigRegistry::variables().size());
    QCOMPARE(effective.value(QStringLiteral("TMAIL_ME")), QStringLiteral("mail.example.com"));
    QCOMPARE(effective.value(QStringLiteral("TMAIL_SMTPD_MAX_HOPS")), QStringLiteral("50"));
    QVERIFY(!effective.contains(QStringLiteral("TMAIL_OTHER")));
}

void TestConfig::acceptsEcKeyAndRefusesEncryptedKey()
{
    TestCertificate ec;
    ec.commonName = QStringLiteral("test");
    ec.key = TestCertificate::Key::EcP256;
    const Status made = ec.make(m_dir.path(), QStringLiteral("ec"));
    QVERIFY2(made, qPrintable(made.error()));
    QHash<QString, QString> variables = minimal();
    variables.insert(QStringLiteral("TMAIL_SMTPD_TLS_CERT"), path(QStringLiteral("ec.crt")));
    variables.insert(QStringLiteral("TMAIL_SMTPD_TLS_KEY"), path(QStringLiteral("ec.key")));
    Expected<Config> config = Config::fromVariables(variables, m_dir.path());
    QVERIFY2(config.ok(), qPrintable(config.error()));

    QVERIFY(openssl({ QStringLiteral("pkey"), QStringLiteral("-in"), path(QStringLiteral("ssl/server.key")),
        QStringLiteral("-aes128"), QStringLiteral("-passout"), QStringLiteral("pass:secret"), QStringLiteral("-out"),
        path(QStringLiteral("encrypted.key")) }));
    variables = minimal();
    variables.insert(QStringLiteral("TMAIL_SMTPD_TLS_KEY"), QStringLiteral("encrypted.key"));
    config = Config::fromVariables(variables, m_dir.path());
    QVERIFY(!config.ok());
    QVERIFY2(config.error().startsWith(QLatin1String("TMAIL_SMTPD_TLS_KEY")), qPrintable(config.error()));
}

void TestConfig::readsGoodFile()
{
    const QString file = writeFile(QStringLiteral("good.cfg"),
        "#!/bin/sh\n"
        "# a comment\n"
        "\n"
        "   \t\n"
        "export TMAIL_ME=\"mail.example.com\"\n"
        "TMAIL_DEBUG_ENABLED=true\n"
        "  export   TMAIL_LOGPATH='std'out   # trailing comment\n"
        "export TMAIL_DB_SOURCE=\"a\\\"b\\\\c\\$d\\`e $ f\\n\"\n"
        "export TMAIL_USER=''\n"
        "export TMAIL_MANAGER_SOCKET='it''s'\"$\"\r\n"
        "export TMAIL_DNS_SERVERS=\"1.1.1.1 8.8.8.8\"\n"
        "PATH_LIKE=/usr/bin\n"
        "export TMAIL_ME=\"second.example.com\"\n");
    QVERIFY(!file.isEmpty());
    const Expected<QHash<QString, QString>> variables = ConfigFile::readValues(file);
    QVERIFY2(variables.ok(), qPrintable(variables.error()));
    QCOMPARE(variables->value(QStringLiteral("TMAIL_ME")), QStringLiteral("second.example.com"));
    QCOMPARE(variables->value(QStringLiteral("TMAIL_DEBUG_ENABLED")), QStringLiteral("true"));
    QCOMPARE(variables->value(QStringLiteral("TMAIL_LOGPATH")), QStringLiteral("stdout"));
    QCOMPARE(variables->value(QStringLiteral("TMAIL_DB_SOURCE")), QStringLiteral("a\"b\\c$d`e $ f\\n"));
    QVERIFY(variables->contains(QStringLiteral("TMAIL_USER")));
    QCOMPARE(variables->value(QStringLiteral("TMAIL_USER")), QString());
    QCOMPARE(variables->value(QStringLiteral("TMAIL_MANAGER_SOCKET")), QStringLiteral("its$"));
    QCOMPARE(variables->value(QStringLiteral("TMAIL_DNS_SERVERS")), QStringLiteral("1.1.1.1 8.8.8.8"));
    QVERIFY(!variables->contains(QStringLiteral("PATH_LIKE")));
    QCOMPARE(variables->size(), 7);
}

void TestConfig::rejectsBadFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("expected");

    QTest::newRow("unterminated double quote")
        << QByteArray("# c\n\nexport TMAIL_ME=\"mail\n\"\n") << 3 << QStringLiteral("unterminated double quote");
    QTest::newRow("unterminated single quote")
        << QByteArray("export TMAIL_ME='mail\n") << 1 << QStringLiteral("unterminated single quote");
    QTest::newRow("garbage") << QByteArray("export TMAIL_ME=x\nthis is not a setting\n") << 2
                             << QStringLiteral("expected NAME=");
    QTest::newRow("command substitution")
        << QByteArray("export TMAIL_ME=$(hostname)\n") << 1 << QStringLiteral("not supported");
    QTest::newRow("quoted command substitution")
        << QByteArray("\n\nexport TMAIL_ME=\"$(hostname)\"\n") << 3 << QStringLiteral("not supported");
    QTest::newRow("variable expansion") << QByteArray("export TMAIL_ME=\"${HOST}\"\n") << 1
                                        << QStringLiteral("not supported");
    QTest::newRow("backticks") << QByteArray("export TMAIL_ME=\"`hostname`\"\n") << 1
                               << QStringLiteral("not supported");
    QTest::newRow("space before =") << QByteArray("export TMAIL_ME =\"x\"\n") << 1
                                    << QStringLiteral("is not followed by '='");
    QTest::newRow("second command") << QByteArray("export TMAIL_ME=\"x\"; rm -rf /\n") << 1
                                    << QStringLiteral("unexpected ';'");
    QTest::newRow("unquoted spaces") << QByteArray("export TMAIL_ME=mail example\n") << 1
                                     << QStringLiteral("unexpected text");
    QTest::newRow("export without value")
        << QByteArray("export TMAIL_ME\n") << 1 << QStringLiteral("is not followed by '='");
    QTest::newRow("unknown variable") << QByteArray("export TMAIL_ME=x\nexport TMAIL_SMTPD_DSN=\"x\"\n") << 2
                                      << QStringLiteral("unknown variable TMAIL_SMTPD_DSN in ");
}

void TestConfig::rejectsBadFile()
{
    QFETCH(QByteArray, content);
    QFETCH(int, line);
    QFETCH(QString, expected);
    const QString file = writeFile(QStringLiteral("bad.cfg"), content);
    const Expected<QHash<QString, QString>> variables = ConfigFile::readValues(file);
    QVERIFY(!variables.ok());
    QVERIFY2(
        variables.error().contains(QStringLiteral("%1 line %2").arg(file).arg(line)), qPrintable(variables.error()));
    QVERIFY2(variables.error().contains(expected), qPrintable(variables.error()));
}

void TestConfig::parsesLenientlyListingEveryBadLine()
{
    const QString text = QStringLiteral("# header\n"
                                        "export TMAIL_ME=\"mail.example.com\"\n"
                                        "export TMAIL_SMTPD_DSNS=\"unterminated\n"
                                        "TMAIL_TYPO=1\n"
                                        "rm -rf /\n"
                                        "export TMAIL_SMTPD_MAX_HOPS=\"9\" # kept\n");
    QStringList errors;
    const ConfigFile file = ConfigFile::parseLeniently(text, QStringLiteral("f.cfg"), &errors);
    QCOMPARE(errors.size(), 3);
    QVERIFY2(
        errors.at(0).startsWith(QStringLiteral("f.cfg line 3: unterminated double quote")), qPrintable(errors.at(0)));
    QCOMPARE(errors.at(1), QStringLiteral("unknown variable TMAIL_TYPO in f.cfg line 4"));
    QVERIFY2(errors.at(2).startsWith(QStringLiteral("f.cfg line 5: ")), qPrintable(errors.at(2)));
    const QHash<QString, QString> expected = { { QStringLiteral("TMAIL_ME"), QStringLiteral("mail.example.com") },
        { QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("9") } };
    QCOMPARE(file.values(), expected);
    QCOMPARE(file.assignments().last().line, 6);
    QCOMPARE(file.text(), text);
    // parse() still stops at the first.
    const Expected<ConfigFile> strict = ConfigFile::parse(text, QStringLiteral("f.cfg"));
    QVERIFY(!strict.ok());
    QCOMPARE(strict.error(), errors.first());
}

void TestConfig::reportsUnreadableFile()
{
    const QString missing = path(QStringLiteral("nothing/here.cfg"));
    const Expected<QHash<QString, QString>> variables = ConfigFile::readValues(missing);
    QVERIFY(!variables.ok());
    QVERIFY2(variables.error().contains(missing), qPrintable(variables.error()));
}

void TestConfig::baseFileHasEveryVariableWithItsDefault()
{
    const QString base = QStringLiteral(TMAIL_SOURCE_DIR "/resources/tmail.cfg.base");
    const Expected<QHash<QString, QString>> variables = ConfigFile::readValues(base);
    QVERIFY2(variables.ok(), qPrintable(variables.error()));

    // The file shows the defaults, but for an example host name (TMAIL_ME has no default)
    // and three listeners.
    QSet<QString> expectedNames;
    for (const ConfigVariable &variable : ConfigRegistry::variables())
    {
        expectedNames.insert(variable.name);
        QVERIFY2(variables->contains(variable.name), qPrintable(variable.name));
        QCOMPARE(variables->value(variable.name), variable.baseValue());
    }
    const QList<QString> names = variables->keys();
    QCOMPARE(QSet<QString>(names.begin(), names.end()), expectedNames);

    // Same order as variables(), each assignment under a comment.
    QFile file(base);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    static const QRegularExpression assignment(QStringLiteral("^export (TMAIL_[A-Z_]+)="));
    QStringList order;
    for (int i = 0; i < lines.size(); ++i)
    {
        const QRegularExpressionMatch match = assignment.match(lines.at(i));
        if (!match.hasMatch())
            continue;
        order.append(match.captured(1));
        QVERIFY2(i > 0 && lines.at(i - 1).startsWith(QLatin1Char('#')), qPrintable(lines.at(i)));
    }
    QStringList expectedOrder;
    for (const ConfigVariable &variable : ConfigRegistry::variables())
        expectedOrder.append(variable.name);
    QCOMPARE(order, expectedOrder);

    // And the whole file is a valid configuration.
    const Expected<Config> config = Config::fromVariables(variables.value(), m_dir.path());
    QVERIFY2(config.ok(), qPrintable(config.error()));
    QCOMPARE(config->listeners.size(), 3);

    // It is valid /bin/sh too, since `run` sources it.
    QProcess sh;
    sh.start(QStringLiteral("/bin/sh"), { QStringLiteral("-n"), base });
    QVERIFY(sh.waitForFinished());
    QCOMPARE(sh.exitCode(), 0);
}

void TestConfig::baseFileAgreesWithTheRegistry()
{
    // Each variable of the registry once, in its order, in its section, under the comment the
    // registry writes (description, explanation, accepted values; the file may wrap it
    // anywhere), with its default; no other variable.
    constexpr ConfigVariable::Language English = ConfigVariable::Language::English;
    const Expected<ConfigFile> file = ConfigFile::read(QStringLiteral(TMAIL_SOURCE_DIR "/resources/tmail.cfg.base"));
    QVERIFY2(file.ok(), qPrintable(file.error()));
    const QList<ConfigFile::Assignment> assignments = file->assignments();
    const QList<ConfigVariable> &variables = ConfigRegistry::variables();
    for (qsizetype index = 0; index < std::max(assignments.size(), variables.size()); ++index)
    {
        QVERIFY2(
            index < assignments.size(), qPrintable(variables.at(index).name + QStringLiteral(" is not in the file")));
        const ConfigFile::Assignment &assignment = assignments.at(index);
        QVERIFY2(index < variables.size(), qPrintable(assignment.name + QStringLiteral(" is not in the registry")));
        const ConfigVariable &variable = variables.at(index);
        const QByteArray where = QStringLiteral("line %1 (%2)").arg(assignment.line).arg(assignment.name).toUtf8();
        QVERIFY2(assignment.name == variable.name,
            qPrintable(QStringLiteral("%1 where the registry has %2").arg(QString::fromUtf8(where), variable.name)));
        QVERIFY2(assignment.value == variable.baseValue(), where.constData());
        QVERIFY2(assignment.section == variable.groupTitle(English), where.constData());
        QVERIFY2(assignment.comment.simplified() == variable.comment(English).simplified(),
            qPrintable(QStringLiteral("%1: the file says\n%2\nthe registry says\n%3")
                           .arg(QString::fromUtf8(where), assignment.comment, variable.comment(English))));
    }
    // Written once: no description is another's.
    QSet<QString> descriptions;
    for (const ConfigVariable &variable : variables)
    {
        QVERIFY2(!variable.description(English).isEmpty(), qPrintable(variable.name));
        QVERIFY2(!descriptions.contains(variable.description(English)), qPrintable(variable.name));
        descriptions.insert(variable.description(English));
    }
}

void TestConfig::rewriteChangesOnlyTheLinesSet()
{
    const QString text = QStringLiteral("#!/bin/sh\r\n"
                                        "\r\n"
                                        "# the host\n"
                                        "export TMAIL_ME=\"old.example.com\"   # keep this note\n"
                                        "\n"
                                        "  TMAIL_SMTPD_MAX_HOPS=30\r\n"
                                        "PATH=/usr/bin\n"
                                        "export TMAIL_SMTPD_MAX_HOPS='31'\n"
                                        "export TMAIL_USER=\"\"");
    Expected<ConfigFile> file = ConfigFile::parse(text, QStringLiteral("test.cfg"));
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QCOMPARE(file->text(), text); // read and written back byte for byte
    QCOMPARE(file->values().value(QStringLiteral("TMAIL_SMTPD_MAX_HOPS")), QStringLiteral("31"));
    QCOMPARE(file->assignments().first().comment, QStringLiteral("the host"));

    QVERIFY(file.value().set(QStringLiteral("TMAIL_ME"), QStringLiteral("new.example.com")));
    QVERIFY(file.value().set(QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("40")));
    const QString expected = QStringLiteral("#!/bin/sh\r\n"
                                            "\r\n"
                                            "# the host\n"
                                            "export TMAIL_ME=\"new.example.com\"   # keep this note\n"
                                            "\n"
                                            "  export TMAIL_SMTPD_MAX_HOPS=\"40\"\r\n"
                                            "PATH=/usr/bin\n"
                                            "export TMAIL_SMTPD_MAX_HOPS=\"40\"\n"
                                            "export TMAIL_USER=\"\"");
    QCOMPARE(file->text(), expected);
    QCOMPARE(file->values().value(QStringLiteral("TMAIL_ME")), QStringLiteral("new.example.com"));

    // What set() writes, the reader reads back as it was given, shell characters included.
    const QString tricky = QStringLiteral("/tmp/a\"b'c $(touch x) `id` \\ $HOME");
    QVERIFY(file.value().set(QStringLiteral("TMAIL_MANAGER_SOCKET"), tricky));
    const Expected<ConfigFile> reread = ConfigFile::parse(file->text(), QStringLiteral("test.cfg"));
    QVERIFY2(reread.ok(), qPrintable(reread.error()));
    QCOMPARE(reread->values().value(QStringLiteral("TMAIL_MANAGER_SOCKET")), tricky);
}

void TestConfig::rewriteAddsAMissingVariableAtTheEnd()
{
    Expected<ConfigFile> file = ConfigFile::parse(QStringLiteral("# only a comment"), QStringLiteral("test.cfg"));
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QVERIFY(file.value().set(QStringLiteral("TMAIL_ME"), QStringLiteral("mail.example.com")));
    QCOMPARE(file->text(), QStringLiteral("# only a comment\nexport TMAIL_ME=\"mail.example.com\"\n"));

    file = ConfigFile::parse(QString(), QStringLiteral("empty.cfg"));
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QCOMPARE(file->text(), QString());
    QVERIFY(file.value().set(QStringLiteral("TMAIL_DEBUG_ENABLED"), QStringLiteral("true")));
    QCOMPARE(file->text(), QStringLiteral("export TMAIL_DEBUG_ENABLED=\"true\"\n"));
}

void TestConfig::rewriteRefusesWhatWouldAddALine()
{
    const QString text = QStringLiteral("export TMAIL_ME=\"mail.example.com\"\n");
    Expected<ConfigFile> file = ConfigFile::parse(text, QStringLiteral("test.cfg"));
    QVERIFY2(file.ok(), qPrintable(file.error()));
    const QStringList values
        = { QStringLiteral("a\nexport TMAIL_USER=root"), QStringLiteral("a\rb"), QStringLiteral("a\tb"),
              QString(QStringLiteral("a") + QChar(0) + QStringLiteral("b")), QStringLiteral("a\x7f") };
    for (const QString &value : values)
    {
        const Status refused = file.value().set(QStringLiteral("TMAIL_ME"), value);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.kind(), ErrorKind::InvalidInput);
        QVERIFY2(refused.error().contains(QLatin1String("TMAIL_ME")), qPrintable(refused.error()));
    }
    const Status unknown = file.value().set(QStringLiteral("TMAIL_NOPE"), QStringLiteral("1"));
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.kind(), ErrorKind::InvalidInput);
    QCOMPARE(file->text(), text);
}

void TestConfig::rewriteIsAtomicAndKeepsPermissions()
{
    const QString filePath
        = writeFile(QStringLiteral("rewrite/tmail.cfg"), "# note\nexport TMAIL_ME=\"a.example.com\"\n");
    QVERIFY(QFile::setPermissions(filePath, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup));
    Expected<ConfigFile> file = ConfigFile::read(filePath);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QVERIFY(file.value().set(QStringLiteral("TMAIL_ME"), QStringLiteral("b.example.com")));
    const Status written = file->write(filePath);
    QVERIFY2(written.ok(), qPrintable(written.error()));
    QCOMPARE(ConfigFile::readValues(filePath)->value(QStringLiteral("TMAIL_ME")), QStringLiteral("b.example.com"));
    // Owner, group and others (the "User" bits are what this process may do).
    QCOMPARE(QFile::permissions(filePath) & QFileDevice::Permissions(0x7077),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup);
    // Nothing but the file itself in its directory: no temporary file left behind.
    QCOMPARE(QDir(QFileInfo(filePath).absolutePath()).entryList(QDir::Files | QDir::Hidden),
        QStringList { QStringLiteral("tmail.cfg") });

    // A directory it cannot write in: an error, and the file is as it was.
    const QString missing = path(QStringLiteral("nothing/here/tmail.cfg"));
    const Status refused = file->write(missing);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(missing), qPrintable(refused.error()));
}

void TestConfig::valueTypesRefuseWithInvalidInput()
{
    for (const QString &text : { QStringLiteral("127.0.0.1:2525"), QStringLiteral("[::1]:25:maybe"), QString() })
    {
        const Expected<QList<ListenerDsn>> listeners = ListenerDsn::parseList(text);
        QVERIFY(!listeners.ok());
        QCOMPARE(listeners.kind(), ErrorKind::InvalidInput);
    }
    const Expected<ListenerDsn> one = ListenerDsn::parse(QStringLiteral("[::1]:465:true"));
    QVERIFY2(one.ok(), qPrintable(one.error()));
    QCOMPARE(one->toString(), QStringLiteral("[::1]:465"));
    QVERIFY(one->implicitTls);

    const Expected<LocalIpPolicy> policy = LocalIpPolicy::parse(QStringLiteral("192.0.2.1|"));
    QVERIFY(!policy.ok());
    QCOMPARE(policy.kind(), ErrorKind::InvalidInput);

    const Expected<QList<DnsServer>> none = DnsServer::parseList(QStringLiteral("  "));
    QVERIFY2(none.ok(), qPrintable(none.error()));
    QVERIFY(none->isEmpty());
    const Expected<QList<DnsServer>> bad = DnsServer::parseList(QStringLiteral("1.1.1.1%eth0"));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.kind(), ErrorKind::InvalidInput);
    QVERIFY2(bad.error().contains(QLatin1String("not an IP address")), qPrintable(bad.error()));
}

void TestConfig::loadsFromFileWithDistAsBaseDir()
{
    qunsetenv("TMAIL_ME");
    const QString file = writeFile(QStringLiteral("conf/tmail.cfg"),
        "export TMAIL_ME=\"file.example.com\"\nexport TMAIL_STORE_SOURCE=\"spool\"\n");
    const Expected<Config> config = Config::load(file);
    QVERIFY2(config.ok(), qPrintable(config.error()));
    QCOMPARE(config->me, QStringLiteral("file.example.com"));
    QCOMPARE(config->baseDir, QDir(m_dir.path()).absolutePath());
    QCOMPARE(config->storePath, path(QStringLiteral("spool")));
    QCOMPARE(config->tlsCertPath, path(QStringLiteral("ssl/server.crt")));
    QCOMPARE(config->sourceDescription, file);

    const QString bad = writeFile(
        QStringLiteral("conf/bad.cfg"), "export TMAIL_ME=\"file.example.com\"\nexport TMAIL_SMTPD_MAX_HOPS=\"-1\"\n");
    const Expected<Config> refused = Config::load(bad);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QLatin1String("TMAIL_SMTPD_MAX_HOPS: '-1'")), qPrintable(refused.error()));
}

void TestConfig::environmentWinsOverTheFile()
{
    const QString file = writeFile(
        QStringLiteral("conf/tmail.cfg"), "export TMAIL_ME=\"file.example.com\"\nexport TMAIL_SMTPD_MAX_RCPT=\"7\"\n");
    qputenv("TMAIL_ME", "env.example.com");
    qputenv("TMAIL_SMTPD_TLS_CERT", path(QStringLiteral("ssl/server.crt")).toUtf8());
    qputenv("TMAIL_SMTPD_TLS_KEY", path(QStringLiteral("ssl/server.key")).toUtf8());
    qputenv("TMAIL_STORE_SOURCE", path(QStringLiteral("envstore")).toUtf8());
    qputenv("TMAIL_DB_SOURCE", path(QStringLiteral("db/tmail.db")).toUtf8());
    qputenv("TMAIL_NOT_A_SETTING", "ignored");
    // With a file: the file, each variable of the environment over its line.
    const Expected<Config> config = Config::load(file);
    // Without one: the environment alone, since TMAIL_ME is set.
    const Expected<Config> environment = Config::load();
    const QString error = config.ok() ? QString() : config.error();
    for (const char *name : { "TMAIL_ME", "TMAIL_SMTPD_TLS_CERT", "TMAIL_SMTPD_TLS_KEY", "TMAIL_STORE_SOURCE",
             "TMAIL_DB_SOURCE", "TMAIL_NOT_A_SETTING" })
        qunsetenv(name);
    QVERIFY2(config.ok(), qPrintable(error));
    QCOMPARE(config->me, QStringLiteral("env.example.com"));
    QCOMPARE(config->maxRcpt, 7);
    QCOMPARE(config->sourceDescription, QFileInfo(file).absoluteFilePath());
    QCOMPARE(config->environmentOverrides,
        QStringList(
            { QStringLiteral("TMAIL_DB_SOURCE"), QStringLiteral("TMAIL_ME"), QStringLiteral("TMAIL_SMTPD_TLS_CERT"),
                QStringLiteral("TMAIL_SMTPD_TLS_KEY"), QStringLiteral("TMAIL_STORE_SOURCE") }));
    QVERIFY2(environment.ok(), qPrintable(environment.ok() ? QString() : environment.error()));
    QCOMPARE(environment->me, QStringLiteral("env.example.com"));
    QCOMPARE(environment->sourceDescription, QStringLiteral("environment"));
    QCOMPARE(environment->baseDir, QCoreApplication::applicationDirPath());
    QVERIFY(environment->environmentOverrides.isEmpty());
}

void TestConfig::failsWithoutEnvironmentOrFile()
{
    qunsetenv("TMAIL_ME");
    QVERIFY(!QFileInfo::exists(QCoreApplication::applicationDirPath() + QStringLiteral("/conf/tmail.cfg")));
    const Expected<Config> config = Config::load();
    QVERIFY(!config.ok());
    // The historical line first, then what to do about it.
    const QStringList lines = config.error().split(QLatin1Char('\n'));
    QCOMPARE(lines.first(), QStringLiteral("unable to load config from env, TMAIL_ME variable is missing."));
    QCOMPARE(lines.size(), 2);
    QVERIFY2(
        lines.last().contains(QLatin1String("--config FILE")) && lines.last().contains(QLatin1String("conf/tmail.cfg")),
        qPrintable(lines.last()));
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
