// Several tmail nodes on one database with TMAIL_STORE_DRIVER=database, against the real
// binary: three daemons on one PostgreSQL (then one MariaDB) share the load, one is
// SIGKILLed mid-load and every acknowledged message still reaches the counting sink once
// the lease runs out, with duplicates only among the messages in flight at the kill; a
// message accepted by one node is delivered by another; a body larger than MariaDB's
// max_allowed_packet goes through; a configuration change made through one node applies
// on the others; `tmail store migrate` round-trips disk → database → disk byte for byte.
// Every wait is bounded.
#include "smtptestclient.h"
#include "testdatabases.h"
#include "testpeers.h"
#include "testsmtpsink.h"
#include "tmaildaemon.h"
#include "tmailprocess.h"

#include "config/dbsource.h"

#include <memory>

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QVariant>

#include <csignal>

namespace {

constexpr int LeaseSeconds = 3;
constexpr int MaxInFlight = 5;
const QString SinkDomain = QStringLiteral("sink.test");

// The database server of a backend, as test.sh exports it.
QString sourceOf(const QString &backend)
{
    return qEnvironmentVariable(
        backend == QLatin1String("postgres") ? "TMAIL_TEST_PG_SOURCE" : "TMAIL_TEST_MYSQL_SOURCE");
}

// A direct connection to the shared server, to empty it and to count what is left.
struct DirectConnection
{
    QString name;
    QSqlDatabase db;
    explicit DirectConnection(const QString &backend) : name(QStringLiteral("tst_cluster_") + backend)
    {
        const QString driver
            = backend == QLatin1String("postgres") ? QStringLiteral("postgres") : QStringLiteral("mysql");
        const Expected<DbSource> source = DbSource::parse(driver, sourceOf(backend), QDir::tempPath());
        db = QSqlDatabase::addDatabase(
            backend == QLatin1String("postgres") ? QStringLiteral("QPSQL") : QStringLiteral("QMARIADB"), name);
        if (source)
        {
            db.setHostName(source->host);
            db.setPort(source->port);
            db.setUserName(source->user);
            db.setPassword(source->password);
            db.setDatabaseName(source->databaseName);
            db.open();
        }
    }
    ~DirectConnection()
    {
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
    }
    qint64 scalar(const QString &sql)
    {
        QSqlQuery query(db);
        if (!query.exec(sql) || !query.next())
            return -1;
        return query.value(0).toLongLong();
    }
};

// One node: its own directory (store, manager socket) and listener, the shared database.
struct Node
{
    std::unique_ptr<TmailEnvironment> env = std::make_unique<TmailEnvironment>();
    TmailDaemon daemon;
    quint16 port = 0;
    QString id;
};

// A message the test sends: a header that names it, so that the sink can count it.
QByteArray messageText(int sequence, qint64 bodyBytes = 0)
{
    QByteArray text = "Subject: cluster test\r\nX-Seq: " + QByteArray::number(sequence) + "\r\n\r\n";
    const QByteArray line = QByteArray(76, 'x') + "\r\n";
    while (text.size() < bodyBytes)
        text += line;
    text += "end\r\n";
    return text;
}

// Sends one message through port; true once it is acknowledged with 250. A session that
// fails (no answer in time, a 4xx) is tried again, at most three times, as an SMTP client
// retries a temporary failure (RFC 5321 §4.5.4.1); each failure is logged with its reply.
bool sendMessage(quint16 port, int sequence, qint64 bodyBytes = 0)
{
    for (int attempt = 1; attempt <= 3; ++attempt)
    {
        SmtpTestClient client;
        QString reply;
        if (client.connectTo(port) && (reply = client.readReply(10000)).startsWith(QLatin1String("220")))
        {
            const QStringList commands
                = { QStringLiteral("EHLO client.test"), QStringLiteral("MAIL FROM:<sender@client.test>"),
                      QStringLiteral("RCPT TO:<rcpt@%1>").arg(SinkDomain), QStringLiteral("DATA") };
            bool ok = true;
            for (const QString &command : commands)
            {
                reply = client.command(command, 10000);
                const QString expected
                    = command == QLatin1String("DATA") ? QStringLiteral("354") : QStringLiteral("250");
                if (!reply.startsWith(expected))
                {
                    ok = false;
                    break;
                }
            }
            if (ok)
            {
                client.send(messageText(sequence, bodyBytes) + ".\r\n");
                reply = client.readReply(60000);
                client.command(QStringLiteral("QUIT"));
                if (reply.startsWith(QLatin1String("250")))
                    return true;
            }
        }
        qInfo("message %d, attempt %d through port %u: '%s'", sequence, attempt, unsigned(port), qPrintable(reply));
        if (reply.startsWith(QLatin1Char('5')))
            return false;
        QTest::qWait(200);
    }
    return false;
}

// Waits (running the event loop, so the sink works) until every sequence of expected has
// arrived, timeoutMs at most.
bool waitForAll(const TestSmtpSink &sink, const QList<int> &expected, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs)
    {
        const QHash<int, int> counts = sink.sequenceCounts();
        bool all = true;
        for (int sequence : expected)
            all = all && counts.contains(sequence);
        if (all)
            return true;
        QTest::qWait(100);
    }
    return false;
}

// SIGTERM, then waits for the exit with the event loop running, so that the in-process sink
// still answers the QUIT of the node's last session. True on a clean exit within 30 s.
bool stopNode(TmailDaemon &daemon)
{
    if (!daemon.isRunning())
        return false;
    daemon.signal(SIGTERM);
    QElapsedTimer timer;
    timer.start();
    while (daemon.isRunning() && timer.elapsed() < 30000)
    {
        QTest::qWait(50);
        daemon.log() += daemon.process().readAll();
    }
    if (daemon.isRunning())
    {
        daemon.kill();
        return false;
    }
    daemon.log() += daemon.process().readAll();
    return daemon.process().exitStatus() == QProcess::NormalExit && daemon.process().exitCode() == 0;
}

} // namespace

class TestCluster : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void killedNodesMessagesAreDeliveredByTheOthers_data();
    void killedNodesMessagesAreDeliveredByTheOthers();
    void messageAcceptedOnOneNodeIsDeliveredByAnother_data();
    void messageAcceptedOnOneNodeIsDeliveredByAnother();
    void bodyLargerThanMaxAllowedPacketGoesThroughMariaDb();
    void storeMigrationRoundTrips();

private:
    void backendRows();
    // Empties the shared database, makes the nodes' environments (not started) and
    // the schema, relay permission and route to sinkPort.
    bool setUpNodes(const QString &backend, int count, quint16 sinkPort, std::vector<std::unique_ptr<Node>> *nodes);
    QStringList m_backends;
};

void TestCluster::initTestCase()
{
    for (const QString &backend : { QStringLiteral("postgres"), QStringLiteral("mysql") })
    {
        if (!sourceOf(backend).isEmpty())
            m_backends.append(backend);
    }
}

void TestCluster::backendRows()
{
    TMAIL_REQUIRE_PEER(m_backends.size() == 2,
        "TMAIL_TEST_PG_SOURCE / TMAIL_TEST_MYSQL_SOURCE not set (test.sh starts the shared database servers)");
    QTest::addColumn<QString>("backend");
    for (const QString &backend : std::as_const(m_backends))
        QTest::newRow(qPrintable(backend)) << backend;
}

bool TestCluster::setUpNodes(
    const QString &backend, int count, quint16 sinkPort, std::vector<std::unique_ptr<Node>> *nodes)
{
    {
        DirectConnection direct(backend);
        if (!direct.db.isOpen() || !TestDatabases::dropAllTables(direct.db).isEmpty())
            return false;
    }
    for (int i = 0; i < count; ++i)
    {
        auto node = std::make_unique<Node>();
        if (!node->env->isValid())
            return false;
        node->port = freeLoopbackPort();
        node->id = QStringLiteral("node-%1").arg(QChar(u'a' + i));
        node->env->set(QStringLiteral("TMAIL_DB_DRIVER"), backend);
        node->env->set(QStringLiteral("TMAIL_DB_SOURCE"), sourceOf(backend));
        node->env->set(QStringLiteral("TMAIL_STORE_DRIVER"), QStringLiteral("database"));
        node->env->set(QStringLiteral("TMAIL_NODE_ID"), node->id);
        node->env->set(QStringLiteral("TMAIL_DELIVERD_LEASE"), QString::number(LeaseSeconds));
        node->env->set(QStringLiteral("TMAIL_DELIVERD_MAX_IN_FLIGHT"), QString::number(MaxInFlight));
        node->env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(node->port));
        nodes->push_back(std::move(node));
    }
    const TmailEnvironment &first = *nodes->front()->env;
    return first.run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode == 0
        && first
               .run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), SinkDomain,
                   QStringLiteral("-rh"), QStringLiteral("127.0.0.1"), QStringLiteral("-rp"),
                   QString::number(sinkPort) })
               .exitCode
        == 0;
}

void TestCluster::killedNodesMessagesAreDeliveredByTheOthers_data()
{
    backendRows();
}

void TestCluster::killedNodesMessagesAreDeliveredByTheOthers()
{
    QFETCH(QString, backend);
    TestSmtpSink sink;
    QVERIFY(sink.listen(QHostAddress::LocalHost, 0));
    std::vector<std::unique_ptr<Node>> nodes;
    QVERIFY(setUpNodes(backend, 3, sink.serverPort(), &nodes));
    for (const auto &node : nodes)
        QVERIFY2(node->daemon.start(*node->env), node->daemon.log().constData());

    // A change made through node a (relay permission for the test client) applies on b and c.
    std::vector<std::unique_ptr<SmtpTestClient>> probes;
    for (size_t other = 1; other < nodes.size(); ++other)
    {
        auto probe = std::make_unique<SmtpTestClient>();
        QVERIFY(probe->connectTo(nodes[other]->port) && probe->readReply().startsWith(QLatin1String("220")));
        QVERIFY(probe->command(QStringLiteral("EHLO client.test")).startsWith(QLatin1String("250")));
        QVERIFY(probe->command(QStringLiteral("MAIL FROM:<s@client.test>")).startsWith(QLatin1String("250")));
        QVERIFY(probe->command(QStringLiteral("RCPT TO:<r@%1>").arg(SinkDomain)).startsWith(QLatin1String("554")));
        QVERIFY(probe->command(QStringLiteral("RSET")).startsWith(QLatin1String("250")));
        probes.push_back(std::move(probe));
    }
    QVERIFY(
        nodes[0]->env->run({ QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("127.0.0.1") }).exitCode
        == 0);
    QElapsedTimer propagation;
    propagation.start();
    for (size_t other = 0; other < probes.size(); ++other)
    {
        SmtpTestClient &probe = *probes[other];
        bool relayed = false;
        while (!relayed && propagation.elapsed() < 5000)
        {
            probe.command(QStringLiteral("RSET"));
            probe.command(QStringLiteral("MAIL FROM:<s@client.test>"));
            relayed = probe.command(QStringLiteral("RCPT TO:<r@%1>").arg(SinkDomain)).startsWith(QLatin1String("250"));
            if (!relayed)
                QTest::qWait(50);
        }
        QVERIFY2(relayed, qPrintable(nodes[other + 1]->id));
        qInfo("relay IP added through node-a applied on %s after %lld ms", qPrintable(nodes[other + 1]->id),
            propagation.elapsed());
        probe.command(QStringLiteral("QUIT"));
    }
    QVERIFY2(propagation.elapsed() < 2000, "a change must apply on every node within about a second");

    // The load: messages to every node in turn; node-c is killed two thirds of the way,
    // while it holds claims: the sink stops accepting for a moment, so that node-c's
    // sessions wait for their greeting with the messages claimed.
    constexpr int Messages = 90;
    constexpr int KillAt = Messages * 2 / 3;
    QList<int> acknowledged;
    qint64 claimedByKilled = 0;
    for (int sequence = 0; sequence < Messages; ++sequence)
    {
        const bool killed = sequence >= KillAt + 6;
        if (sequence == KillAt)
            sink.pauseAccepting();
        const Node &target = *nodes[size_t(sequence >= KillAt && !killed ? 2 : sequence % (killed ? 2 : 3))];
        if (sendMessage(target.port, sequence))
            acknowledged.append(sequence);
        if (sequence == KillAt + 5)
        {
            DirectConnection direct(backend);
            QElapsedTimer held;
            held.start();
            const QString count = QStringLiteral("SELECT COUNT(*) FROM queue_messages WHERE claimed_by = 'node-c'");
            while (direct.scalar(count) < 1 && held.elapsed() < 10000)
                QTest::qWait(50);
            claimedByKilled = direct.scalar(count);
            nodes[2]->daemon.kill(); // SIGKILL, not restarted
            sink.resumeAccepting();
        }
        QTest::qWait(5); // the sink and the nodes' deliveries run meanwhile
    }
    qInfo("node-c held %lld claim(s) when it was killed", claimedByKilled);
    QVERIFY(claimedByKilled > 0);
    QCOMPARE(acknowledged.size(), Messages);

    // Every acknowledged message arrives, the killed node's own claims once their lease ran out.
    QVERIFY2(waitForAll(sink, acknowledged, 60000 + LeaseSeconds * 1000),
        qPrintable(QStringLiteral("%1 of %2 messages arrived").arg(sink.sequenceCounts().size()).arg(Messages)));
    QTest::qWait(LeaseSeconds * 1000); // late duplicates would show now
    const QHash<int, int> counts = sink.sequenceCounts();
    int duplicates = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        duplicates += it.value() - 1;
    qInfo("%s: %d messages, %d delivered twice (only those in flight at the kill may be)", qPrintable(backend),
        Messages, duplicates);
    // In flight at the kill: at most MaxInFlight sessions, each with one message whose
    // outcome may not have been committed yet.
    QVERIFY2(duplicates <= MaxInFlight, qPrintable(QString::number(duplicates)));

    // `tmail nodes` lists the three, from any node's configuration.
    const TmailRun listed = nodes[1]->env->run({ QStringLiteral("nodes") });
    QCOMPARE(listed.exitCode, 0);
    for (const auto &node : nodes)
        QVERIFY2(listed.out.contains(node->id), qPrintable(listed.out));

    // The queue empties, bodies with it.
    QVERIFY(stopNode(nodes[0]->daemon));
    QVERIFY(stopNode(nodes[1]->daemon));
    DirectConnection direct(backend);
    QCOMPARE(direct.scalar(QStringLiteral("SELECT COUNT(*) FROM queue_messages")), 0);
    QCOMPARE(direct.scalar(QStringLiteral("SELECT COUNT(*) FROM queue_bodies")), 0);
}

void TestCluster::messageAcceptedOnOneNodeIsDeliveredByAnother_data()
{
    backendRows();
}

void TestCluster::messageAcceptedOnOneNodeIsDeliveredByAnother()
{
    QFETCH(QString, backend);
    // The route points at a port where nothing listens yet: node a accepts, cannot deliver.
    const quint16 sinkPort = freeLoopbackPort();
    std::vector<std::unique_ptr<Node>> nodes;
    QVERIFY(setUpNodes(backend, 2, sinkPort, &nodes));
    QCOMPARE(
        nodes[0]->env->run({ QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("127.0.0.1") }).exitCode,
        0);
    Node &a = *nodes[0];
    Node &b = *nodes[1];
    QVERIFY2(a.daemon.start(*a.env), a.daemon.log().constData());
    QVERIFY(sendMessage(a.port, 1, 300 * 1024));
    {
        // Its first attempt fails (nothing listens), then the node stops.
        DirectConnection direct(backend);
        QElapsedTimer timer;
        timer.start();
        while (direct.scalar(QStringLiteral("SELECT MAX(attempts) FROM queue_messages")) < 1 && timer.elapsed() < 20000)
            QTest::qWait(100);
        QVERIFY2(
            direct.scalar(QStringLiteral("SELECT MAX(attempts) FROM queue_messages")) >= 1, a.daemon.log().constData());
    }
    QVERIFY(a.daemon.terminate());
    // Nothing of a's disk is needed: the body is in the database.
    QVERIFY(QDir(a.env->path(QStringLiteral("store"))).removeRecursively());

    TestSmtpSink sink;
    QVERIFY(sink.listen(QHostAddress::LocalHost, sinkPort));
    QVERIFY2(b.daemon.start(*b.env), b.daemon.log().constData());
    QCOMPARE(b.env->run({ QStringLiteral("queue"), QStringLiteral("retry"), QStringLiteral("--all") }).exitCode, 0);
    const bool arrived = waitForAll(sink, { 1 }, 20000);
    b.daemon.log() += b.daemon.process().readAll();
    QVERIFY2(arrived, b.daemon.log().constData());
    QCOMPARE(sink.messages.size(), 1);
    // As sent, under the Received: field the node added.
    QVERIFY(sink.messages.first().data.endsWith(messageText(1, 300 * 1024)));
    QVERIFY2(stopNode(b.daemon), b.daemon.log().right(3000).constData());
}

void TestCluster::bodyLargerThanMaxAllowedPacketGoesThroughMariaDb()
{
    TMAIL_REQUIRE_PEER(m_backends.contains(QLatin1String("mysql")),
        "TMAIL_TEST_MYSQL_SOURCE not set (test.sh starts the shared database servers)");
    qint64 maxPacket = 0;
    {
        DirectConnection direct(QStringLiteral("mysql"));
        maxPacket = direct.scalar(QStringLiteral("SELECT @@max_allowed_packet"));
    }
    QVERIFY(maxPacket > 0);
    const qint64 bodyBytes = maxPacket + 1024 * 1024;
    TestSmtpSink sink;
    QVERIFY(sink.listen(QHostAddress::LocalHost, 0));
    std::vector<std::unique_ptr<Node>> nodes;
    QVERIFY(setUpNodes(QStringLiteral("mysql"), 1, sink.serverPort(), &nodes));
    Node &a = *nodes[0];
    a.env->set(QStringLiteral("TMAIL_SMTPD_MAX_DATABYTES"), QString::number(bodyBytes * 2));
    QCOMPARE(a.env->run({ QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("127.0.0.1") }).exitCode, 0);
    QVERIFY2(a.daemon.start(*a.env), a.daemon.log().constData());
    QVERIFY(sendMessage(a.port, 7, bodyBytes));
    QVERIFY2(waitForAll(sink, { 7 }, 60000), a.daemon.log().constData());
    QVERIFY(sink.messages.first().data.size() > bodyBytes);
    QVERIFY(sink.messages.first().data.endsWith(messageText(7, bodyBytes)));
    QVERIFY(stopNode(a.daemon));
}

void TestCluster::storeMigrationRoundTrips()
{
    // sqlite, one node: the route leads nowhere, so the messages stay queued.
    TmailEnvironment env;
    QVERIFY(env.isValid());
    const quint16 port = freeLoopbackPort();
    env.set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(port));
    QCOMPARE(env.run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    QCOMPARE(env.run({ QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("127.0.0.1") }).exitCode, 0);
    QCOMPARE(env.run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), SinkDomain,
                         QStringLiteral("-rh"), QStringLiteral("127.0.0.1"), QStringLiteral("-rp"),
                         QString::number(freeLoopbackPort()) })
                 .exitCode,
        0);
    TmailDaemon daemon;
    QVERIFY2(daemon.start(env), daemon.log().constData());
    const QList<qint64> sizes = { 0, 10 * 1024, 1536 * 1024 }; // the last spans several chunks
    for (int i = 0; i < sizes.size(); ++i)
        QVERIFY(sendMessage(port, i, sizes.at(i)));
    // Refused while the daemon runs; nothing moves.
    TmailRun run = env.run(
        { QStringLiteral("store"), QStringLiteral("migrate"), QStringLiteral("--to"), QStringLiteral("database") });
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(
        run.err.contains(QLatin1String("running")) || run.err.contains(QLatin1String("runs")), qPrintable(run.err));
    QVERIFY(daemon.terminate());

    const auto storeFiles = [&env]() {
        QHash<QString, QByteArray> files;
        const QDir store(env.path(QStringLiteral("store")));
        QDirIterator it(store.path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
        {
            const QString path = it.next();
            const QString relative = store.relativeFilePath(path);
            if (relative.startsWith(QLatin1String("tmp/")) || relative.startsWith(QLatin1String("work/")))
                continue;
            QFile file(path);
            if (file.open(QIODevice::ReadOnly))
                files.insert(QFileInfo(path).fileName(), file.readAll());
        }
        return files;
    };
    const QHash<QString, QByteArray> before = storeFiles();
    QCOMPARE(before.size(), sizes.size());
    qint64 totalBytes = 0;
    for (const QByteArray &body : before)
        totalBytes += body.size();

    run = env.run(
        { QStringLiteral("store"), QStringLiteral("migrate"), QStringLiteral("--to"), QStringLiteral("database") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("3 message(s), %1 bytes moved to the database store").arg(totalBytes)),
        qPrintable(run.out));
    QVERIFY(storeFiles().isEmpty());
    // Again: nothing left to move.
    run = env.run(
        { QStringLiteral("store"), QStringLiteral("migrate"), QStringLiteral("--to"), QStringLiteral("database") });
    QVERIFY2(run.out.contains(QLatin1String("0 message(s), 0 bytes")), qPrintable(run.out));

    run = env.run(
        { QStringLiteral("store"), QStringLiteral("migrate"), QStringLiteral("--to"), QStringLiteral("disk") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("3 message(s), %1 bytes moved to the disk store").arg(totalBytes)),
        qPrintable(run.out));
    QCOMPARE(storeFiles(), before);

    // A bad target changes nothing.
    run = env.run({ QStringLiteral("store"), QStringLiteral("migrate"), QStringLiteral("--to"), QStringLiteral("s3") });
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(storeFiles(), before);
}

QTEST_MAIN(TestCluster)
#include "tst_cluster.moc"
