// The tmail command line, driven as an operator would: the real binary, a real
// sqlite database, exit codes and messages checked, bad input changing nothing.
#include "testpeers.h"
#include "tmailprocess.h"

#include "cli/commandline.h"
#include "config/configregistry.h"
#include "config/dbsource.h"
#include "db/database.h"
#include "db/secretbox.h"
#include "db/tables.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void missingConfigGivesTheSeedMessage();
    void helpAndVersion();
    void commandsNeedTheSchema();
    void dbInitIsIdempotent();
    void rcpthostLifecycle();
    void routePasswordsAreSealedAtRest();
    void userLifecycleStoresOnlyAHash();
    void relayIpLifecycle();
    void throttleLifecycle();
    void routesLifecycle();
    void seedSpellings();
    void badInputExitsTwoAndChangesNothing_data();
    void badInputExitsTwoAndChangesNothing();
    void configFileErrorsNameTheVariable();
    void emptyQueue();
    void daemonWithoutTablesOffTerminalExits();
    void daemonAsksAtATerminal();
    void exitStatusFollowsErrorKind();
    void passwordFromStdinAuthenticates();
    void passwordStdinStaysOutOfCmdline();
    void passwordAtTerminalIsNotEchoed();
    void passwordMismatchAtTerminalChangesNothing();
    void configCheckListsEveryBadValue();
    void adminLifecycle();
    void adminBadInputExitsTwoAndChangesNothing_data();
    void adminBadInputExitsTwoAndChangesNothing();
    void adminPasswordStaysOutOfCmdline();
    void adminPasswordAtTerminalIsNotEchoed();
    void configCheckAcceptsAValidFile();
    void configShowMasksSecretsAndDefaults();

private:
    QString snapshot();
    // Removes every TMAIL_* variable from the environment tmail runs with.
    void clearSettings();
    // Whether the user table of the environment's database accepts login with password.
    bool authenticates(const QString &login, const QString &password);
    // Whether the administrators' table accepts name with password, and with which role.
    std::optional<AdminValues::AdminRole> adminRole(const QString &name, const QString &password);
    QList<Route> routes();
    // Runs `tmail ARGS` on a pseudo-terminal (util-linux script), typing each answer after
    // the prompt that asks for it; *output gets all the terminal shows. False on time-out.
    bool runOnTerminal(const QStringList &args, const QList<QByteArray> &answers, QByteArray *output, int *exitCode);
    std::unique_ptr<TmailEnvironment> m_env;
};

void TestCli::init()
{
    m_env = std::make_unique<TmailEnvironment>();
    QVERIFY(m_env->isValid());
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(freeLoopbackPort()));
}

QString TestCli::snapshot()
{
    QString all;
    for (const char *command : { "rcpthost", "user", "relayip", "routes", "throttle" })
    {
        const TmailRun run = m_env->run({ QString::fromLatin1(command), QStringLiteral("list") });
        all += run.out + run.err;
    }
    return all;
}

void TestCli::missingConfigGivesTheSeedMessage()
{
    m_env->environment().remove(QStringLiteral("TMAIL_ME"));
    const TmailRun run = m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("list") });
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("unable to load config from env, TMAIL_ME variable is missing.")),
        qPrintable(run.err));
    const TmailRun daemon = m_env->run({});
    QCOMPARE(daemon.exitCode, 1);
    QVERIFY(daemon.err.contains(QStringLiteral("TMAIL_ME variable is missing")));
}

void TestCli::helpAndVersion()
{
    TmailRun run = m_env->run({ QStringLiteral("--version") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.startsWith(QStringLiteral("tmail ")));
    run = m_env->run({ QStringLiteral("--help") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(QStringLiteral("Usage: tmail")));
    for (const char *command : { "db", "rcpthost", "user", "relayip", "routes", "queue", "smtpd" })
    {
        run = m_env->run({ QString::fromLatin1(command), QStringLiteral("--help") });
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QStringLiteral("Usage: tmail ")), command);
    }
}

void TestCli::commandsNeedTheSchema()
{
    const TmailRun run = m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("list") });
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("tmail db init")), qPrintable(run.err));
}

void TestCli::dbInitIsIdempotent()
{
    TmailRun run = m_env->run({ QStringLiteral("db"), QStringLiteral("init") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(QStringLiteral("is ready")));
    run = m_env->run({ QStringLiteral("db"), QStringLiteral("init") });
    QCOMPARE(run.exitCode, 0);
    run = m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("list") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(QStringLiteral("(none)")));
}

void TestCli::rcpthostLifecycle()
{
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    TmailRun run = m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("Example.COM") });
    QCOMPARE(run.exitCode, 0);
    run = m_env->run(
        { QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("-l"), QStringLiteral("local.test") });
    QCOMPARE(run.exitCode, 0);
    run = m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("list") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(QRegularExpression(QStringLiteral("^example\\.com\\s+no$"), QRegularExpression::MultilineOption)
                 .match(run.out)
                 .hasMatch(),
        qPrintable(run.out));
    QVERIFY(QRegularExpression(QStringLiteral("^local\\.test\\s+yes$"), QRegularExpression::MultilineOption)
                .match(run.out)
                .hasMatch());

    run = m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("example.com") });
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("already exists")), qPrintable(run.err));

    run = m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("del"), QStringLiteral("EXAMPLE.com") });
    QCOMPARE(run.exitCode, 0);
    run = m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("del"), QStringLiteral("example.com") });
    QCOMPARE(run.exitCode, 1);
    run = m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("list") });
    QVERIFY(!run.out.contains(QStringLiteral("example.com")));
}

void TestCli::userLifecycleStoresOnlyAHash()
{
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    const QString password = QStringLiteral("Unguessable-Pa55word");
    TmailRun run
        = m_env->run({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("toorop@Toorop.FR"), password });
    QCOMPARE(run.exitCode, 0);
    run = m_env->run({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--no-relay"),
        QStringLiteral("norelay@toorop.fr"), QStringLiteral("x") });
    QCOMPARE(run.exitCode, 0);
    run = m_env->run({ QStringLiteral("user"), QStringLiteral("list") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(QRegularExpression(QStringLiteral("^toorop@toorop\\.fr\\s+yes"), QRegularExpression::MultilineOption)
                 .match(run.out)
                 .hasMatch(),
        qPrintable(run.out));
    QVERIFY(QRegularExpression(QStringLiteral("^norelay@toorop\\.fr\\s+no"), QRegularExpression::MultilineOption)
                .match(run.out)
                .hasMatch());

    QByteArray raw;
    for (const char *suffix : { "", "-wal" })
    {
        QFile file(m_env->path(QStringLiteral("db/tmail.db")) + QString::fromLatin1(suffix));
        if (file.open(QIODevice::ReadOnly))
            raw += file.readAll();
    }
    QVERIFY(!raw.isEmpty());
    QVERIFY2(!raw.contains(password.toUtf8()), "the clear password is in the database file");

    run = m_env->run({ QStringLiteral("user"), QStringLiteral("passwd"), QStringLiteral("toorop@toorop.fr"),
        QStringLiteral("new") });
    QCOMPARE(run.exitCode, 0);
    run = m_env->run({ QStringLiteral("user"), QStringLiteral("del"), QStringLiteral("toorop@toorop.fr") });
    QCOMPARE(run.exitCode, 0);
    run = m_env->run({ QStringLiteral("user"), QStringLiteral("del"), QStringLiteral("toorop@toorop.fr") });
    QCOMPARE(run.exitCode, 1);
    run = m_env->run(
        { QStringLiteral("user"), QStringLiteral("passwd"), QStringLiteral("nobody@toorop.fr"), QStringLiteral("x") });
    QCOMPARE(run.exitCode, 1);
}

void TestCli::relayIpLifecycle()
{
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    for (const char *ip : { "192.0.2.7", "198.51.100.0/24", "2001:db8::/32" })
        QCOMPARE(m_env->run({ QStringLiteral("relayip"), QStringLiteral("add"), QString::fromLatin1(ip) }).exitCode, 0);
    TmailRun run = m_env->run({ QStringLiteral("relayip"), QStringLiteral("list") });
    QCOMPARE(run.exitCode, 0);
    for (const char *ip : { "192.0.2.7", "198.51.100.0/24", "2001:db8::/32" })
        QVERIFY2(run.out.contains(QString::fromLatin1(ip)), qPrintable(run.out));
    QCOMPARE(m_env->run({ QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("192.0.2.7") }).exitCode, 1);
    QCOMPARE(
        m_env->run({ QStringLiteral("relayip"), QStringLiteral("del"), QStringLiteral("198.51.100.0/24") }).exitCode,
        0);
    run = m_env->run({ QStringLiteral("relayip"), QStringLiteral("list") });
    QVERIFY(!run.out.contains(QStringLiteral("198.51.100.0")));
}

void TestCli::routesLifecycle()
{
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    TmailRun run = m_env->run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
        QStringLiteral("toorop.fr"), QStringLiteral("-rh"), QStringLiteral("mail.toorop.fr") });
    QCOMPARE(run.exitCode, 0);
    run = m_env->run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
        QStringLiteral("example.org"), QStringLiteral("-rh"), QStringLiteral("192.0.2.25"), QStringLiteral("-rp"),
        QStringLiteral("2525"), QStringLiteral("-p"), QStringLiteral("5"), QStringLiteral("-l"),
        QStringLiteral("127.0.0.1|127.0.0.2"), QStringLiteral("-u"), QStringLiteral("relayuser"), QStringLiteral("-pw"),
        QStringLiteral("it's'; DROP TABLE routes;--"), QStringLiteral("-s"), QStringLiteral("sender.test") });
    QCOMPARE(run.exitCode, 0);
    const QRegularExpression added(QStringLiteral("route (\\d+) added"));
    const QRegularExpressionMatch match = added.match(run.out);
    QVERIFY2(match.hasMatch(), qPrintable(run.out));
    run = m_env->run({ QStringLiteral("routes"), QStringLiteral("list") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("mail.toorop.fr:25")), qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral("192.0.2.25:2525")));
    QVERIFY(run.out.contains(QStringLiteral("sender.test")));
    QVERIFY(!run.out.contains(QStringLiteral("DROP TABLE"))); // passwords are not listed
    run = m_env->run({ QStringLiteral("routes"), QStringLiteral("del"), match.captured(1) });
    QCOMPARE(run.exitCode, 0);
    run = m_env->run({ QStringLiteral("routes"), QStringLiteral("del"), match.captured(1) });
    QCOMPARE(run.exitCode, 1);
    run = m_env->run({ QStringLiteral("routes"), QStringLiteral("list") });
    QVERIFY(!run.out.contains(QStringLiteral("192.0.2.25")));
    QVERIFY(run.out.contains(QStringLiteral("mail.toorop.fr")));
}

void TestCli::seedSpellings()
{
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    QCOMPARE(
        m_env->run({ QStringLiteral("smtpd"), QStringLiteral("addRcpthost"), QStringLiteral("toorop.fr") }).exitCode,
        0);
    QCOMPARE(m_env
                 ->run({ QStringLiteral("smtpd"), QStringLiteral("addUser"), QStringLiteral("toorop@toorop.fr"),
                     QStringLiteral("password") })
                 .exitCode,
        0);
    TmailRun run = m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("list") });
    QVERIFY(run.out.contains(QStringLiteral("toorop.fr")));
    run = m_env->run({ QStringLiteral("user"), QStringLiteral("list") });
    QVERIFY(run.out.contains(QStringLiteral("toorop@toorop.fr")));
    QCOMPARE(
        m_env->run({ QStringLiteral("smtpd"), QStringLiteral("delUser"), QStringLiteral("toorop@toorop.fr") }).exitCode,
        0);
    QCOMPARE(
        m_env->run({ QStringLiteral("smtpd"), QStringLiteral("delRcpthost"), QStringLiteral("toorop.fr") }).exitCode,
        0);
    run = m_env->run({ QStringLiteral("user"), QStringLiteral("list") });
    QVERIFY(!run.out.contains(QStringLiteral("toorop@toorop.fr")));
    QCOMPARE(m_env->run({ QStringLiteral("smtpd"), QStringLiteral("frob") }).exitCode, 2);
}

void TestCli::throttleLifecycle()
{
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    const auto run = [this](std::initializer_list<const char *> words) {
        QStringList args = { QStringLiteral("throttle") };
        for (const char *word : words)
            args.append(QString::fromUtf8(word));
        return m_env->run(args);
    };
    TmailRun added = run({ "add", "-d", "*.Google.com", "--concurrency", "5", "--rate", "600/m" });
    QCOMPARE(added.exitCode, 0);
    QCOMPARE(added.out, QStringLiteral("throttle *.google.com added.\n"));
    QCOMPARE(run({ "add", "-d", "small.example", "--concurrency", "1" }).exitCode, 0);
    QCOMPARE(run({ "add", "-d", "slow.example", "--rate", "90/h" }).exitCode, 0);
    // Already there: exit 1, nothing changed.
    const TmailRun again = run({ "add", "-d", "SMALL.example", "--rate", "1/m" });
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains(QStringLiteral("already exists")), qPrintable(again.err));
    const TmailRun listed = run({ "list" });
    QCOMPARE(listed.exitCode, 0);
    const QStringList lines = listed.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5); // the header, its rule, three throttles by pattern
    QVERIFY(lines.at(0).startsWith(QStringLiteral("DESTINATION")));
    QVERIFY2(lines.at(2).contains(QRegularExpression(QStringLiteral("^\\*\\.google\\.com +5 +600/m$"))),
        qPrintable(lines.at(2)));
    QVERIFY2(lines.at(3).contains(QRegularExpression(QStringLiteral("^slow\\.example +default +90/h$"))),
        qPrintable(lines.at(3)));
    QVERIFY2(lines.at(4).contains(QRegularExpression(QStringLiteral("^small\\.example +1 +default$"))),
        qPrintable(lines.at(4)));
    QCOMPARE(run({ "del", "-d", "Small.Example" }).exitCode, 0);
    const TmailRun missing = run({ "del", "-d", "small.example" });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QStringLiteral("no throttle for small.example")), qPrintable(missing.err));
    QCOMPARE(run({ "list" }).out.count(QLatin1Char('\n')), 4);
}

void TestCli::badInputExitsTwoAndChangesNothing_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const auto row = [](const char *name, QStringList args, const char *message) {
        QTest::newRow(name) << args << QString::fromUtf8(message);
    };
    row("unknown command", { QStringLiteral("frobnicate") }, "unknown command");
    row("unknown global option", { QStringLiteral("--bogus") }, "unknown option");
    row("rcpthost no subcommand", { QStringLiteral("rcpthost") }, "needs a subcommand");
    row("rcpthost empty label", { QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("bad..domain") },
        "empty label");
    row("rcpthost space", { QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("a b.com") },
        "invalid domain");
    row("rcpthost injection",
        { QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("x.com'); DROP TABLE rcpthosts;--") },
        "invalid domain");
    row("rcpthost literal", { QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("[127.0.0.1]") },
        "invalid domain");
    row("rcpthost two domains",
        { QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("a.com"), QStringLiteral("b.com") },
        "one DOMAIN");
    row("rcpthost unknown flag",
        { QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("-x"), QStringLiteral("a.com") },
        "unknown option");
    row("user bad email",
        { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("notanemail"), QStringLiteral("pw") },
        "invalid e-mail");
    row("user two at",
        { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("a@b@c.com"), QStringLiteral("pw") },
        "invalid e-mail");
    row("user no password", { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("a@b.com") },
        "--password-stdin");
    row("user empty password", { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("a@b.com"), QString() },
        "must not be empty");
    row("user control password",
        { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("a@b.com"), QStringLiteral("a\nb") },
        "control");
    row("relayip bad", { QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("300.1.1.1") }, "invalid IP");
    row("relayip host bits", { QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("10.0.0.1/24") },
        "host bits");
    row("relayip prefix", { QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("10.0.0.0/33") },
        "invalid IP");
    row("routes no host",
        { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("x.com") }, "-rh HOST");
    row("routes no domain",
        { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-rh"), QStringLiteral("h.com") },
        "-d DOMAIN");
    row("routes bad port",
        { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("x.com"),
            QStringLiteral("-rh"), QStringLiteral("h.com"), QStringLiteral("-rp"), QStringLiteral("70000") },
        "1-65535");
    row("routes bad priority",
        { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("x.com"),
            QStringLiteral("-rh"), QStringLiteral("h.com"), QStringLiteral("-p"), QStringLiteral("high") },
        "priority");
    row("routes user without password",
        { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("x.com"),
            QStringLiteral("-rh"), QStringLiteral("h.com"), QStringLiteral("-u"), QStringLiteral("u") },
        "--password-stdin");
    row("routes password without user",
        { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("x.com"),
            QStringLiteral("-rh"), QStringLiteral("h.com"), QStringLiteral("-pw"), QStringLiteral("p") },
        "goes with -u USER");
    row("user password twice",
        { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--password-stdin"), QStringLiteral("a@b.com"),
            QStringLiteral("pw") },
        "not both");
    row("smtpd addUser no password", { QStringLiteral("smtpd"), QStringLiteral("addUser"), QStringLiteral("a@b.com") },
        "--password-stdin");
    row("routes bad local ips",
        { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("x.com"),
            QStringLiteral("-rh"), QStringLiteral("h.com"), QStringLiteral("-l"), QStringLiteral("1.2.3|nope") },
        "local IPs");
    row("routes injected domain",
        { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("x.com'--"),
            QStringLiteral("-rh"), QStringLiteral("h.com") },
        "invalid -d");
    row("routes bad host",
        { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("x.com"),
            QStringLiteral("-rh"), QStringLiteral("h_.com;rm") },
        "invalid -rh");
    row("routes option twice",
        { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("x.com"),
            QStringLiteral("-d"), QStringLiteral("y.com"), QStringLiteral("-rh"), QStringLiteral("h.com") },
        "twice");
    row("routes missing value", { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d") },
        "needs a value");
    row("routes del not a number", { QStringLiteral("routes"), QStringLiteral("del"), QStringLiteral("abc") },
        "invalid route ID");
    row("queue show bad id", { QStringLiteral("queue"), QStringLiteral("show"), QStringLiteral("123") },
        "40 hexadecimal");
    row("queue retry both",
        { QStringLiteral("queue"), QStringLiteral("retry"), QStringLiteral("--all"), QStringLiteral("ab") },
        "not both");
    row("db unknown", { QStringLiteral("db"), QStringLiteral("drop") }, "unknown db subcommand");
    const auto throttle = [](std::initializer_list<const char *> words) {
        QStringList args = { QStringLiteral("throttle") };
        for (const char *word : words)
            args.append(QString::fromUtf8(word));
        return args;
    };
    row("throttle no pattern", throttle({ "add", "--concurrency", "2" }), "needs -d PATTERN");
    row("throttle bad pattern", throttle({ "add", "-d", "a.*.com", "--concurrency", "2" }), "not a domain or *.domain");
    row("throttle no limit", throttle({ "add", "-d", "example.com" }), "give a concurrency, a rate or both");
    row("throttle zero concurrency", throttle({ "add", "-d", "example.com", "--concurrency", "0" }), "from 1 to");
    row("throttle bad rate", throttle({ "add", "-d", "example.com", "--rate", "600" }), "not a rate");
    row("throttle rate per second", throttle({ "add", "-d", "example.com", "--rate", "10/s" }), "not a rate");
    row("throttle zero rate", throttle({ "add", "-d", "example.com", "--rate", "0/m" }), "not a rate");
    row("throttle del bad pattern", throttle({ "del", "-d", "exa mple.com" }), "not a domain");
    row("throttle operand", throttle({ "add", "example.com" }), "takes no operand");
}

void TestCli::badInputExitsTwoAndChangesNothing()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    QCOMPARE(
        m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("kept.test") }).exitCode, 0);
    const QString before = snapshot();
    const TmailRun run = m_env->run(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY(run.err.contains(QStringLiteral("Usage: tmail")));
    QCOMPARE(snapshot(), before);
}

void TestCli::configFileErrorsNameTheVariable()
{
    QFile base(QStringLiteral(TMAIL_SOURCE_DIR "/resources/tmail.cfg.base"));
    QVERIFY(base.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(base.readAll());
    text += QStringLiteral("\nexport TMAIL_SMTPD_DSNS=\"127.0.0.1:99999:false\"\n");
    const QString path = m_env->path(QStringLiteral("bad.cfg"));
    QFile bad(path);
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(text.toUtf8());
    bad.close();
    // Only the file: a TMAIL_* variable of the environment would win over its line.
    m_env->environment() = m_env->environmentWithoutSettings();
    const TmailRun run
        = m_env->run({ QStringLiteral("--config"), path, QStringLiteral("rcpthost"), QStringLiteral("list") });
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("TMAIL_SMTPD_DSNS")) && run.err.contains(QStringLiteral("99999")),
        qPrintable(run.err));

    const TmailRun daemon = m_env->run({ QStringLiteral("--config"), path });
    QCOMPARE(daemon.exitCode, 1);
    QVERIFY2(daemon.err.contains(QStringLiteral("TMAIL_SMTPD_DSNS")), qPrintable(daemon.err));

    const TmailRun missing = m_env->run({ QStringLiteral("--config"), m_env->path(QStringLiteral("nope.cfg")),
        QStringLiteral("rcpthost"), QStringLiteral("list") });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QStringLiteral("nope.cfg")), qPrintable(missing.err));
}

void TestCli::emptyQueue()
{
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    TmailRun run = m_env->run({ QStringLiteral("queue"), QStringLiteral("list") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(QStringLiteral("(none)")));
    run = m_env->run({ QStringLiteral("queue"), QStringLiteral("show"), QString(40, QLatin1Char('a')) });
    QCOMPARE(run.exitCode, 2);
    run = m_env->run({ QStringLiteral("queue"), QStringLiteral("retry"), QStringLiteral("--all") });
    QCOMPARE(run.exitCode, 0);
}

void TestCli::daemonWithoutTablesOffTerminalExits()
{
    const TmailRun run = m_env->run({});
    QCOMPARE(run.exitCode, 1);
    const QString output = run.out + run.err;
    QVERIFY2(output.contains(QStringLiteral("misses some tables")), qPrintable(output));
    QVERIFY(output.contains(QStringLiteral("tmail db init")));
}

void TestCli::daemonAsksAtATerminal()
{
    // util-linux `script` gives tmail a pseudo-terminal, as an operator's shell would.
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        TMAIL_REQUIRE_PEER(false, "util-linux script is not installed");
    const QString port = m_env->environment().value(QStringLiteral("TMAIL_SMTPD_DSNS")).section(QLatin1Char(':'), 1, 1);
    QProcess process;
    process.setProcessEnvironment(m_env->environment());
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("script"),
        { QStringLiteral("-qfec"), TmailEnvironment::tmailBinary(), QStringLiteral("/dev/null") });
    QVERIFY(process.waitForStarted());
    QByteArray output;
    QElapsedTimer timer;
    timer.start();
    while (!output.contains("(y/n): ") && timer.elapsed() < 20000)
    {
        process.waitForReadyRead(500);
        output += process.readAll();
    }
    const QByteArray prompt = QByteArray("Database 'driver: sqlite3, source: ")
        + m_env->path(QStringLiteral("db/tmail.db")).toUtf8() + QByteArray("' misses some tables.");
    QVERIFY2(output.contains(prompt), output.constData());
    QVERIFY(output.contains("Should i create them ? (y/n): "));
    process.write("y\n");
    const QByteArray launched = "INFO - smtpd 127.0.0.1:" + port.toUtf8() + " launched.";
    while (!output.contains(launched) && timer.elapsed() < 30000 && process.state() == QProcess::Running)
    {
        process.waitForReadyRead(500);
        output += process.readAll();
    }
    QVERIFY2(output.contains(launched), output.constData());
    const QRegularExpression line(QStringLiteral("^\\[mx\\.test\\.local - 127\\.0\\.0\\.1\\] \\d{4}/\\d\\d/\\d\\d "
                                                 "\\d\\d:\\d\\d:\\d\\d\\.\\d{6} INFO - smtpd "),
        QRegularExpression::MultilineOption);
    QVERIFY2(line.match(QString::fromUtf8(output).remove(QLatin1Char('\r'))).hasMatch(), output.constData());
    process.terminate();
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(m_env->run({ QStringLiteral("rcpthost"), QStringLiteral("list") }).exitCode, 0);
}

void TestCli::exitStatusFollowsErrorKind()
{
    // Only the arguments' fault is "bad usage"; everything else that fails is 1.
    QCOMPARE(CommandLine::exitStatusFor(ErrorKind::InvalidInput), int(CommandLine::BadUsage));
    for (const ErrorKind kind : { ErrorKind::NotFound, ErrorKind::AlreadyExists, ErrorKind::Unavailable,
             ErrorKind::PermissionDenied, ErrorKind::Internal })
        QCOMPARE(CommandLine::exitStatusFor(kind), int(CommandLine::Failure));

    // The same through the binary: a missing record is no usage error (no usage printed).
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    const TmailRun missing = m_env->run({ QStringLiteral("routes"), QStringLiteral("del"), QStringLiteral("999") });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QStringLiteral("no route 999")), qPrintable(missing.err));
    QVERIFY(!missing.err.contains(QStringLiteral("Usage: tmail")));
    const TmailRun gone
        = m_env->run({ QStringLiteral("queue"), QStringLiteral("discard"), QString(40, QLatin1Char('b')) });
    QCOMPARE(gone.exitCode, 2); // an unknown message ID is bad input for the queue commands
    QVERIFY2(gone.err.contains(QStringLiteral("no queued message")), qPrintable(gone.err));
}

bool TestCli::authenticates(const QString &login, const QString &password)
{
    const Expected<DbSource> source = DbSource::parse(
        QStringLiteral("sqlite3"), m_env->path(QStringLiteral("db/tmail.db")), m_env->path(QString()));
    if (!source)
        return false;
    Expected<Database> db = Database::open(source.value(), QStringLiteral("tst_cli-auth"));
    if (!db)
        return false;
    const Expected<std::optional<User>> user = UserTable(db.value()).authenticate(login, password);
    return user && user.value().has_value();
}

std::optional<AdminValues::AdminRole> TestCli::adminRole(const QString &name, const QString &password)
{
    const Expected<DbSource> source = DbSource::parse(
        QStringLiteral("sqlite3"), m_env->path(QStringLiteral("db/tmail.db")), m_env->path(QString()));
    if (!source)
        return std::nullopt;
    Expected<Database> db = Database::open(source.value(), QStringLiteral("tst_cli-admin"));
    if (!db)
        return std::nullopt;
    const Expected<std::optional<Admin>> admin = AdminTable(db.value()).authenticate(name, password);
    if (!admin || !admin.value())
        return std::nullopt;
    return admin.value()->role;
}

void TestCli::adminLifecycle()
{
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    TmailRun run
        = m_env->run({ QStringLiteral("admin"), QStringLiteral("add"), QStringLiteral("Alice"),
                         QStringLiteral("--role"), QStringLiteral("operator"), QStringLiteral("--password-stdin") },
            "alice pass 1\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(run.out, QStringLiteral("administrator alice added with the role operator.\n"));
    QVERIFY(adminRole(QStringLiteral("alice"), QStringLiteral("alice pass 1")) == AdminValues::AdminRole::Operator);
    QVERIFY(adminRole(QStringLiteral("alice"), QStringLiteral("alice pass 2")) == std::nullopt);
    QVERIFY(adminRole(QStringLiteral("bob"), QStringLiteral("alice pass 1")) == std::nullopt);

    run = m_env->run({ QStringLiteral("admin"), QStringLiteral("add"), QStringLiteral("--password-stdin"),
                         QStringLiteral("--role"), QStringLiteral("Viewer"), QStringLiteral("bob.v") },
        "bob password\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    run = m_env->run({ QStringLiteral("admin"), QStringLiteral("list") });
    QCOMPARE(run.exitCode, 0);
    const QRegularExpression alice(QStringLiteral("^alice +operator +\\d{4}-"), QRegularExpression::MultilineOption);
    const QRegularExpression bob(QStringLiteral("^bob\\.v +viewer +\\d{4}-"), QRegularExpression::MultilineOption);
    QVERIFY2(run.out.contains(alice), qPrintable(run.out));
    QVERIFY2(run.out.contains(bob), qPrintable(run.out));
    QVERIFY2(run.out.indexOf(QLatin1String("alice")) < run.out.indexOf(QLatin1String("bob.v")), qPrintable(run.out));
    QVERIFY2(!run.out.contains(QLatin1String("pbkdf2")), qPrintable(run.out));

    // A name taken, in any case: refused (1), the first password still works.
    run = m_env->run({ QStringLiteral("admin"), QStringLiteral("add"), QStringLiteral("ALICE"),
                         QStringLiteral("--role"), QStringLiteral("admin"), QStringLiteral("--password-stdin") },
        "other password\n");
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("already exists")), qPrintable(run.err));
    QVERIFY(adminRole(QStringLiteral("alice"), QStringLiteral("alice pass 1")) == AdminValues::AdminRole::Operator);

    run = m_env->run({ QStringLiteral("admin"), QStringLiteral("passwd"), QStringLiteral("--password-stdin"),
                         QStringLiteral("alice") },
        "alice new pass\r\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(adminRole(QStringLiteral("alice"), QStringLiteral("alice new pass")) == AdminValues::AdminRole::Operator);
    QVERIFY(adminRole(QStringLiteral("alice"), QStringLiteral("alice pass 1")) == std::nullopt);

    run = m_env->run({ QStringLiteral("admin"), QStringLiteral("del"), QStringLiteral("alice") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(adminRole(QStringLiteral("alice"), QStringLiteral("alice new pass")) == std::nullopt);
    run = m_env->run({ QStringLiteral("admin"), QStringLiteral("del"), QStringLiteral("alice") });
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("no administrator alice")), qPrintable(run.err));
    run = m_env->run({ QStringLiteral("admin"), QStringLiteral("passwd"), QStringLiteral("--password-stdin"),
                         QStringLiteral("alice") },
        "whatever pass\n");
    QCOMPARE(run.exitCode, 1);
}

void TestCli::adminBadInputExitsTwoAndChangesNothing_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("message");
    const auto row = [](const char *name, const QStringList &args, const QByteArray &input, const char *message) {
        QTest::newRow(name) << args << input << QString::fromUtf8(message);
    };
    const QString add = QStringLiteral("add");
    const QString role = QStringLiteral("--role");
    const QString stdinFlag = QStringLiteral("--password-stdin");
    row("no subcommand", {}, QByteArray(), "needs a subcommand");
    row("unknown subcommand", { QStringLiteral("grant") }, QByteArray(), "unknown admin subcommand");
    row("password as an argument",
        { add, QStringLiteral("eve"), QStringLiteral("secret-pw-1"), role, QStringLiteral("admin") }, "x\n",
        "never an argument");
    row("no role", { add, QStringLiteral("eve"), stdinFlag }, "long enough\n", "needs --role");
    row("bad role", { add, QStringLiteral("eve"), role, QStringLiteral("root"), stdinFlag }, "long enough\n",
        "not a role");
    row("role without value", { add, QStringLiteral("eve"), stdinFlag, role }, "long enough\n", "needs a value");
    row("bad name", { add, QStringLiteral("eve smith"), role, QStringLiteral("admin"), stdinFlag }, "long enough\n",
        "invalid administrator name");
    row("name with a quote", { add, QStringLiteral("eve'--"), role, QStringLiteral("admin"), stdinFlag },
        "long enough\n", "invalid administrator name");
    row("empty name", { add, QString(), role, QStringLiteral("admin"), stdinFlag }, "long enough\n",
        "invalid administrator name");
    row("short password", { add, QStringLiteral("eve"), role, QStringLiteral("admin"), stdinFlag }, "short\n",
        "at least 8");
    row("empty stdin", { add, QStringLiteral("eve"), role, QStringLiteral("admin"), stdinFlag }, QByteArray(),
        "standard input");
    row("control character", { add, QStringLiteral("eve"), role, QStringLiteral("admin"), stdinFlag },
        "long\x01enough\n", "control characters");
    row("no terminal", { add, QStringLiteral("eve"), role, QStringLiteral("admin") }, "long enough\n",
        "not a terminal");
    row("role on passwd",
        { QStringLiteral("passwd"), QStringLiteral("root"), role, QStringLiteral("admin"), stdinFlag }, "long enough\n",
        "--role goes with admin add");
    row("del with stdin", { QStringLiteral("del"), QStringLiteral("root"), stdinFlag }, QByteArray(), "no option");
    row("list with name", { QStringLiteral("list"), QStringLiteral("root") }, QByteArray(), "no argument");
}

void TestCli::adminBadInputExitsTwoAndChangesNothing()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, input);
    QFETCH(QString, message);
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    TmailRun run
        = m_env->run({ QStringLiteral("admin"), QStringLiteral("add"), QStringLiteral("root"), QStringLiteral("--role"),
                         QStringLiteral("admin"), QStringLiteral("--password-stdin") },
            "root password\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString before = m_env->run({ QStringLiteral("admin"), QStringLiteral("list") }).out;
    run = m_env->run(QStringList { QStringLiteral("admin") } + args, input);
    QVERIFY2(run.exitCode == 2, qPrintable(QStringLiteral("%1: %2").arg(run.exitCode).arg(run.err)));
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QCOMPARE(m_env->run({ QStringLiteral("admin"), QStringLiteral("list") }).out, before);
    QVERIFY(adminRole(QStringLiteral("root"), QStringLiteral("root password")) == AdminValues::AdminRole::Admin);
    QVERIFY(adminRole(QStringLiteral("eve"), QStringLiteral("long enough")) == std::nullopt);
}

void TestCli::adminPasswordStaysOutOfCmdline()
{
    if (!QFileInfo::exists(QStringLiteral("/proc/self/cmdline")))
        TMAIL_REQUIRE_PEER(false, "no /proc file system");
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    const QByteArray password = "Admin-Not-In-Ps-4c1";
    QProcess process;
    process.setProcessEnvironment(m_env->environment());
    process.start(TmailEnvironment::tmailBinary(),
        { QStringLiteral("admin"), QStringLiteral("add"), QStringLiteral("carol"), QStringLiteral("--role"),
            QStringLiteral("admin"), QStringLiteral("--password-stdin") });
    QVERIFY(process.waitForStarted());
    // tmail now waits for its line: it must still be running a moment later.
    QVERIFY(!process.waitForFinished(500));
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(process.processId()));
    QVERIFY(cmdline.open(QIODevice::ReadOnly));
    const QByteArray arguments = cmdline.readAll();
    QVERIFY2(arguments.contains("carol"), arguments.constData());
    QVERIFY(!arguments.contains(password));
    process.write(password + '\n');
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(30000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    QVERIFY(adminRole(QStringLiteral("carol"), QString::fromLatin1(password)) == AdminValues::AdminRole::Admin);
}

void TestCli::adminPasswordAtTerminalIsNotEchoed()
{
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        TMAIL_REQUIRE_PEER(false, "util-linux script is not installed");
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    const QByteArray password = "Admin-Typed-At-Tty-3";
    QByteArray output;
    int exitCode = -1;
    QVERIFY(runOnTerminal({ QStringLiteral("admin"), QStringLiteral("add"), QStringLiteral("dave"),
                              QStringLiteral("--role"), QStringLiteral("viewer") },
        { password, password }, &output, &exitCode));
    QVERIFY2(exitCode == 0, output.constData());
    QVERIFY2(output.contains("Password for administrator dave: "), output.constData());
    QVERIFY2(!output.contains(password), output.constData());
    QVERIFY(adminRole(QStringLiteral("dave"), QString::fromLatin1(password)) == AdminValues::AdminRole::Viewer);

    // Two different answers: nothing changes.
    output.clear();
    QVERIFY(runOnTerminal({ QStringLiteral("admin"), QStringLiteral("passwd"), QStringLiteral("dave") },
        { "Another-Pass-1", "Another-Pass-2" }, &output, &exitCode));
    QCOMPARE(exitCode, 2);
    QVERIFY(adminRole(QStringLiteral("dave"), QString::fromLatin1(password)) == AdminValues::AdminRole::Viewer);
}

// A copy of the database alone does not reveal a route's SMTP password: it is sealed with
// the key file TMAIL_SECRET_KEY names (made 0600 on first use), and opens with that key only.
void TestCli::routePasswordsAreSealedAtRest()
{
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    const QString keyFile = m_env->path(QStringLiteral("conf/secret.key"));
    QVERIFY(!QFile::exists(keyFile));
    const QString password = QStringLiteral("Relay-Pw-9f3");
    const TmailRun added
        = m_env->run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
                         QStringLiteral("sealed.test"), QStringLiteral("-rh"), QStringLiteral("127.0.0.1"),
                         QStringLiteral("-u"), QStringLiteral("relayuser"), QStringLiteral("--password-stdin") },
            password.toUtf8() + '\n');
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY(QFile::exists(keyFile));
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
        | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    QVERIFY(QFile::permissions(keyFile).testFlag(QFileDevice::ReadOwner));
    QCOMPARE(int(QFile::permissions(keyFile) & others), 0);

    // The bytes of the database file hold neither the password nor its base64.
    QFile dbFile(m_env->path(QStringLiteral("db/tmail.db")));
    QVERIFY(dbFile.open(QIODevice::ReadOnly));
    const QByteArray bytes = dbFile.readAll();
    QVERIFY(!bytes.contains(password.toUtf8()));
    QVERIFY(!bytes.contains(password.toUtf8().toBase64()));
    QVERIFY(bytes.contains("enc1:"));
    // With its key, the route reads back as given (what deliverd sends in AUTH).
    QList<Route> stored = routes();
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().smtpPassword, password);

    // Another key (the database copied to a node without this key file): a clear error.
    QTemporaryDir other;
    SecretBox::setKeyFile(other.filePath(QStringLiteral("secret.key")));
    {
        const Expected<DbSource> source = DbSource::parse(
            QStringLiteral("sqlite3"), m_env->path(QStringLiteral("db/tmail.db")), m_env->path(QString()));
        QVERIFY(source);
        Expected<Database> db = Database::open(source.value(), QStringLiteral("tst_cli-otherkey"));
        QVERIFY(db);
        Expected<QList<Route>> list = RouteTable(db.value()).list();
        QVERIFY(!list);
        QVERIFY2(list.error().contains(QLatin1String("is missing")), qPrintable(list.error()));
        QVERIFY(SecretBox::seal(QStringLiteral("x")));
        list = RouteTable(db.value()).list();
        QVERIFY(!list);
        QVERIFY2(list.error().contains(QLatin1String("does not open")), qPrintable(list.error()));
    }
    // The command line says so too, and changes nothing.
    QVERIFY(QFile::rename(keyFile, keyFile + QStringLiteral(".away")));
    const TmailRun listed = m_env->run({ QStringLiteral("routes"), QStringLiteral("list") });
    QCOMPARE(listed.exitCode, 1);
    QVERIFY2(listed.err.contains(QLatin1String("TMAIL_SECRET_KEY")), qPrintable(listed.err));
    QVERIFY(QFile::rename(keyFile + QStringLiteral(".away"), keyFile));
    const TmailRun again = m_env->run({ QStringLiteral("routes"), QStringLiteral("list") });
    QVERIFY2(again.exitCode == 0 && again.out.contains(QLatin1String("sealed.test")), qPrintable(again.err));
    QVERIFY(!again.out.contains(password));
}

QList<Route> TestCli::routes()
{
    const Expected<DbSource> source = DbSource::parse(
        QStringLiteral("sqlite3"), m_env->path(QStringLiteral("db/tmail.db")), m_env->path(QString()));
    if (!source)
        return {};
    Expected<Database> db = Database::open(source.value(), QStringLiteral("tst_cli-routes"));
    if (!db)
        return {};
    // The route passwords were sealed with the key file of this environment's tmail.
    SecretBox::setKeyFile(m_env->path(QStringLiteral("conf/secret.key")));
    const Expected<QList<Route>> list = RouteTable(db.value()).list();
    return list ? list.value() : QList<Route>();
}

void TestCli::passwordFromStdinAuthenticates()
{
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    const QString login = QStringLiteral("stdin@example.test");
    TmailRun run
        = m_env->run({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--password-stdin"), login },
            "From-Stdin pa55 word\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(authenticates(login, QStringLiteral("From-Stdin pa55 word")));
    QVERIFY(!authenticates(login, QStringLiteral("From-Stdin pa55 word\n")));
    QVERIFY(!authenticates(login, QStringLiteral("From-Stdin")));

    // passwd, with a CRLF line; the seed's spelling; no final newline.
    run = m_env->run(
        { QStringLiteral("user"), QStringLiteral("passwd"), QStringLiteral("--password-stdin"), login }, "Changed\r\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(authenticates(login, QStringLiteral("Changed")));
    QVERIFY(!authenticates(login, QStringLiteral("From-Stdin pa55 word")));
    run = m_env->run({ QStringLiteral("smtpd"), QStringLiteral("addUser"), QStringLiteral("--password-stdin"),
                         QStringLiteral("seed@example.test") },
        "seed-pw");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(authenticates(QStringLiteral("seed@example.test"), QStringLiteral("seed-pw")));

    // Only the first line is the password.
    run = m_env->run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("x.test"),
                         QStringLiteral("-rh"), QStringLiteral("relay.x.test"), QStringLiteral("-u"),
                         QStringLiteral("relayuser"), QStringLiteral("--password-stdin") },
        "route secret\nsecond line\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QList<Route> stored = routes();
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().smtpUser, QStringLiteral("relayuser"));
    QCOMPARE(stored.first().smtpPassword, QStringLiteral("route secret"));

    // An empty line, no input at all, or bytes that are not UTF-8: refused, nothing written.
    const QString before = snapshot();
    for (const QByteArray &input : { QByteArray("\n"), QByteArray(), QByteArray("\r\n"), QByteArray("\xff\xfe\n") })
    {
        run = m_env->run({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--password-stdin"),
                             QStringLiteral("empty@example.test") },
            input);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("standard input")), qPrintable(run.err));
        run = m_env->run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
                             QStringLiteral("y.test"), QStringLiteral("-rh"), QStringLiteral("relay.y.test"),
                             QStringLiteral("-u"), QStringLiteral("u"), QStringLiteral("--password-stdin") },
            input);
        QCOMPARE(run.exitCode, 2);
    }
    QCOMPARE(snapshot(), before);
    QVERIFY(authenticates(login, QStringLiteral("Changed")));
}

void TestCli::passwordStdinStaysOutOfCmdline()
{
    if (!QFileInfo::exists(QStringLiteral("/proc/self/cmdline")))
        TMAIL_REQUIRE_PEER(false, "no /proc file system");
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    const QByteArray password = "Not-In-Ps-9f3a";
    const QString login = QStringLiteral("ps@example.test");
    QProcess process;
    process.setProcessEnvironment(m_env->environment());
    process.start(TmailEnvironment::tmailBinary(),
        { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("--password-stdin"), login });
    QVERIFY(process.waitForStarted());
    // tmail now waits for its line: it must still be running a moment later.
    QVERIFY(!process.waitForFinished(500));
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(process.processId()));
    QVERIFY(cmdline.open(QIODevice::ReadOnly));
    const QByteArray arguments = cmdline.readAll();
    QVERIFY2(arguments.contains("--password-stdin"), arguments.constData());
    QVERIFY2(arguments.contains(login.toUtf8()), arguments.constData());
    QVERIFY(!arguments.contains(password));
    process.write(password + '\n');
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(30000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    QVERIFY(authenticates(login, QString::fromLatin1(password)));
}

bool TestCli::runOnTerminal(
    const QStringList &args, const QList<QByteArray> &answers, QByteArray *output, int *exitCode)
{
    QStringList quoted;
    for (const QString &arg : QStringList { TmailEnvironment::tmailBinary() } + args)
        quoted.append(
            QLatin1Char('\'') + QString(arg).replace(QStringLiteral("'"), QStringLiteral("'\\''")) + QLatin1Char('\''));
    QProcess process;
    process.setProcessEnvironment(m_env->environment());
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("script"),
        { QStringLiteral("-qfec"), quoted.join(QLatin1Char(' ')), QStringLiteral("/dev/null") });
    if (!process.waitForStarted())
        return false;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < answers.size(); ++i)
    {
        // Each prompt ends with "password for …: "; echo is off before it shows.
        while (output->count("assword for ") <= i && timer.elapsed() < 20000 && process.state() == QProcess::Running)
        {
            process.waitForReadyRead(200);
            *output += process.readAll();
        }
        if (output->count("assword for ") <= i)
            break;
        // The prompt's last byte is out: a moment for tmail to sit in read().
        QThread::msleep(100);
        process.write(answers.at(i) + '\n');
    }
    while (process.state() == QProcess::Running && timer.elapsed() < 30000)
    {
        process.waitForFinished(200);
        *output += process.readAll();
    }
    *output += process.readAll();
    if (process.state() == QProcess::Running)
    {
        process.kill();
        process.waitForFinished(5000);
        return false;
    }
    *exitCode = process.exitCode();
    return true;
}

void TestCli::passwordAtTerminalIsNotEchoed()
{
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        TMAIL_REQUIRE_PEER(false, "util-linux script is not installed");
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    const QString login = QStringLiteral("tty@example.test");
    const QByteArray password = "Typed-At-The-Tty-71";
    QByteArray output;
    int exitCode = -1;
    QVERIFY(runOnTerminal(
        { QStringLiteral("user"), QStringLiteral("add"), login }, { password, password }, &output, &exitCode));
    QVERIFY2(exitCode == 0, output.constData());
    QVERIFY2(output.contains("Password for tty@example.test: "), output.constData());
    QVERIFY2(output.contains("Retype password for tty@example.test: "), output.constData());
    QVERIFY2(!output.contains(password), output.constData());
    QVERIFY2(output.contains("user tty@example.test added."), output.constData());
    QVERIFY(authenticates(login, QString::fromLatin1(password)));

    // The new password of passwd, and a route's, the same way.
    const QByteArray changed = "Changed-At-The-Tty";
    output.clear();
    QVERIFY(runOnTerminal(
        { QStringLiteral("user"), QStringLiteral("passwd"), login }, { changed, changed }, &output, &exitCode));
    QVERIFY2(exitCode == 0, output.constData());
    QVERIFY2(!output.contains(changed), output.constData());
    QVERIFY(authenticates(login, QString::fromLatin1(changed)));
    output.clear();
    QVERIFY(runOnTerminal(
        { QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), QStringLiteral("tty.test"),
            QStringLiteral("-rh"), QStringLiteral("relay.tty.test"), QStringLiteral("-u"), QStringLiteral("ttyuser") },
        { "route-tty-pw", "route-tty-pw" }, &output, &exitCode));
    QVERIFY2(exitCode == 0, output.constData());
    QVERIFY2(output.contains("Password for ttyuser at relay.tty.test: "), output.constData());
    QVERIFY2(!output.contains("route-tty-pw"), output.constData());
    QCOMPARE(routes().value(0).smtpPassword, QStringLiteral("route-tty-pw"));
}

void TestCli::passwordMismatchAtTerminalChangesNothing()
{
    if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
        TMAIL_REQUIRE_PEER(false, "util-linux script is not installed");
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    QCOMPARE(m_env
                 ->run({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("kept@example.test"),
                     QStringLiteral("kept-pw") })
                 .exitCode,
        0);
    const QString before = snapshot();
    QByteArray output;
    int exitCode = -1;
    QVERIFY(runOnTerminal({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("new@example.test") },
        { "first-answer", "second-answer" }, &output, &exitCode));
    QVERIFY2(exitCode == 2, output.constData());
    QVERIFY2(output.contains("differ"), output.constData());
    output.clear();
    QVERIFY(runOnTerminal({ QStringLiteral("user"), QStringLiteral("passwd"), QStringLiteral("kept@example.test") },
        { "first-answer", "second-answer" }, &output, &exitCode));
    QVERIFY2(exitCode == 2, output.constData());
    QCOMPARE(snapshot(), before);
    QVERIFY(authenticates(QStringLiteral("kept@example.test"), QStringLiteral("kept-pw")));
    QVERIFY(!authenticates(QStringLiteral("new@example.test"), QStringLiteral("first-answer")));
}

void TestCli::clearSettings()
{
    const QStringList names = m_env->environment().keys();
    for (const QString &name : names)
    {
        if (name.startsWith(QLatin1String("TMAIL_")))
            m_env->environment().remove(name);
    }
}

// The 1-based line of the file text that assigns name.
static int lineOf(const QString &text, const QString &name)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i)
    {
        if (lines.at(i).startsWith(QStringLiteral("export ") + name + QLatin1Char('=')))
            return i + 1;
    }
    return 0;
}

void TestCli::configCheckListsEveryBadValue()
{
    const QString path = m_env->path(QStringLiteral("three-bad.cfg"));
    const QString store = m_env->path(QStringLiteral("store-not-yet"));
    QVERIFY(m_env->writeConfigFile(path,
        { { QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("0") },
            { QStringLiteral("TMAIL_DELIVERD_DANE"), QStringLiteral("maybe") },
            { QStringLiteral("TMAIL_DEBUG_ENABLED"), QStringLiteral("perhaps") },
            { QStringLiteral("TMAIL_STORE_SOURCE"), store } }));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = file.readAll();
    file.close();
    const QString text = QString::fromUtf8(before);
    clearSettings();

    for (const QStringList &args : { QStringList { QStringLiteral("config"), QStringLiteral("check"), path },
             QStringList { QStringLiteral("--config"), path, QStringLiteral("config"), QStringLiteral("check") } })
    {
        const TmailRun run = m_env->run(args);
        QCOMPARE(run.exitCode, 2);
        const QString where = QFileInfo(path).absoluteFilePath();
        for (const char *name : { "TMAIL_SMTPD_MAX_HOPS", "TMAIL_DELIVERD_DANE", "TMAIL_DEBUG_ENABLED" })
        {
            const int line = lineOf(text, QString::fromLatin1(name));
            QVERIFY(line > 0);
            const QString expected
                = QStringLiteral("%1 line %2: %3: '").arg(where).arg(line).arg(QString::fromLatin1(name));
            QVERIFY2(run.err.contains(expected), qPrintable(expected + QStringLiteral("\n") + run.err));
        }
        QVERIFY2(run.err.contains(QStringLiteral("whole number from 1 to 1000")), qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("3 bad values")), qPrintable(run.err));
        QVERIFY(!run.err.contains(QStringLiteral("TMAIL_STORE_SOURCE")));
        QVERIFY(run.out.isEmpty());
    }
    // Nothing was written: the file, the store directory it names, the database.
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
    QVERIFY(!QFileInfo::exists(store));
    QVERIFY(!QFileInfo::exists(m_env->path(QStringLiteral("db/tmail.db"))));

    // Lines that are no assignment are listed too, and the values of the others checked.
    QString brokenText = text;
    brokenText += QStringLiteral("export TMAIL_SMTPD_DSNS=\"unterminated\n"
                                 "export TMAIL_NO_SUCH_SETTING=\"1\"\n"
                                 "export TMAIL_SMTPD_MAX_RCPT=\"-1\"\n");
    const int last = int(brokenText.count(QLatin1Char('\n')));
    const QString broken = m_env->path(QStringLiteral("broken.cfg"));
    QFile brokenFile(broken);
    QVERIFY(brokenFile.open(QIODevice::WriteOnly));
    brokenFile.write(brokenText.toUtf8());
    brokenFile.close();
    TmailRun run = m_env->run({ QStringLiteral("config"), QStringLiteral("check"), broken });
    QCOMPARE(run.exitCode, 2);
    const QString brokenWhere = QFileInfo(broken).absoluteFilePath();
    QVERIFY2(run.err.contains(QStringLiteral("%1 line %2: unterminated double quote").arg(brokenWhere).arg(last - 2)),
        qPrintable(run.err));
    QVERIFY2(run.err.contains(
                 QStringLiteral("unknown variable TMAIL_NO_SUCH_SETTING in %1 line %2").arg(brokenWhere).arg(last - 1)),
        qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("%1 line %2: TMAIL_SMTPD_MAX_RCPT: '-1'").arg(brokenWhere).arg(last)),
        qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("%1 line %2: TMAIL_DEBUG_ENABLED")
                                  .arg(brokenWhere)
                                  .arg(lineOf(text, QStringLiteral("TMAIL_DEBUG_ENABLED")))),
        qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("6 bad values")), qPrintable(run.err));
    run = m_env->run({ QStringLiteral("config"), QStringLiteral("check"), m_env->path(QStringLiteral("nope.cfg")) });
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral("nope.cfg")), qPrintable(run.err));
}

void TestCli::configCheckAcceptsAValidFile()
{
    const QString path = m_env->path(QStringLiteral("valid.cfg"));
    QVERIFY(m_env->writeConfigFile(path));
    int settings = 0;
    for (const QString &name : m_env->environment().keys())
        settings += name.startsWith(QLatin1String("TMAIL_")) ? 1 : 0;
    QVERIFY(settings > 5);

    // The environment's settings (TMAIL_ME is set), then the file.
    TmailRun run = m_env->run({ QStringLiteral("config"), QStringLiteral("check") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(run.out, QStringLiteral("environment: %1 settings, valid\n").arg(settings));
    clearSettings();
    run = m_env->run({ QStringLiteral("config"), QStringLiteral("check"), path });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(run.out, QStringLiteral("%1: %2 settings, valid\n").arg(QFileInfo(path).absoluteFilePath()).arg(settings));
    QVERIFY(run.err.isEmpty());

    // A default that does not work is reported though the file does not set it.
    const QString sparse = m_env->path(QStringLiteral("sparse.cfg"));
    QFile sparseFile(sparse);
    QVERIFY(sparseFile.open(QIODevice::WriteOnly));
    sparseFile.write("export TMAIL_SMTPD_MAX_HOPS=\"5\"\n");
    sparseFile.close();
    run = m_env->run({ QStringLiteral("config"), QStringLiteral("check"), sparse });
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral("(TMAIL_ME not set, its default): TMAIL_ME")), qPrintable(run.err));
    QVERIFY(!run.err.contains(QStringLiteral("TMAIL_SMTPD_MAX_HOPS")));
    run = m_env->run({ QStringLiteral("config"), QStringLiteral("check"), QStringLiteral("--bogus") });
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.contains(QStringLiteral("Usage: tmail config")));
}

void TestCli::configShowMasksSecretsAndDefaults()
{
    const QString secret = QStringLiteral("S3cret-Db-Pa55");
    m_env->set(QStringLiteral("TMAIL_DB_DRIVER"), QStringLiteral("postgres"));
    m_env->set(QStringLiteral("TMAIL_DB_SOURCE"),
        QStringLiteral("host=127.0.0.1 port=5432 user=tmail password=%1 dbname=tmail").arg(secret));
    m_env->set(QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("7"));
    m_env->set(QStringLiteral("TMAIL_SMTPD_MAX_RCPT"), QStringLiteral("0")); // the default
    TmailRun run = m_env->run({ QStringLiteral("config"), QStringLiteral("show") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(!run.out.contains(secret), qPrintable(run.out));
    QVERIFY2(run.out.contains(
                 QStringLiteral("TMAIL_DB_SOURCE=host=127.0.0.1 port=5432 user=tmail password=*** dbname=tmail\n")),
        qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral("TMAIL_SMTPD_MAX_HOPS=7\n")));
    QVERIFY(run.out.contains(QStringLiteral("TMAIL_DB_DRIVER=postgres\n")));
    QVERIFY2(!run.out.contains(QStringLiteral("TMAIL_SMTPD_MAX_RCPT")), qPrintable(run.out));
    QVERIFY(!run.out.contains(QStringLiteral("TMAIL_DELIVERD_DANE")));
    // Exactly the variables that differ from their default.
    QStringList expected;
    for (const ConfigVariable &variable : ConfigRegistry::variables())
    {
        if (m_env->environment().contains(variable.name)
            && m_env->environment().value(variable.name).trimmed() != variable.defaultValue)
            expected.append(variable.name);
    }
    QStringList shown;
    for (const QString &line : run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        shown.append(line.section(QLatin1Char('='), 0, 0));
    QCOMPARE(shown, expected);

    run = m_env->run({ QStringLiteral("config"), QStringLiteral("show"), QStringLiteral("--all") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(!run.out.contains(secret));
    shown.clear();
    for (const QString &line : run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        shown.append(line.section(QLatin1Char('='), 0, 0));
    QStringList every;
    for (const ConfigVariable &variable : ConfigRegistry::variables())
        every.append(variable.name);
    QCOMPARE(shown, every);
    QVERIFY(run.out.contains(QStringLiteral("TMAIL_SMTPD_MAX_RCPT=0\n")));
    QVERIFY(run.out.contains(QStringLiteral("TMAIL_DELIVERD_DANE=auto\n")));

    // From a file given with --config, as the other commands read it.
    const QString path = m_env->path(QStringLiteral("show.cfg"));
    QVERIFY(m_env->writeConfigFile(path, { { QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("9") } }));
    clearSettings();
    run = m_env->run({ QStringLiteral("--config"), path, QStringLiteral("config"), QStringLiteral("show") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains(QStringLiteral("TMAIL_SMTPD_MAX_HOPS=9\n")));
    QVERIFY(!run.out.contains(secret));
    run = m_env->run({ QStringLiteral("config"), QStringLiteral("show"), QStringLiteral("extra") });
    QCOMPARE(run.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
