// `tmail queue` and the manager's queue requests on real deferred mail: a real daemon
// relays through routes to a real SMTP sink (TestSmtpSink) that answers 451 to every
// recipient, so messages stay queued and every new attempt shows at the sink.
#include "managertestclient.h"
#include "testsmtpsink.h"
#include "tmaildaemon.h"
#include "tmailprocess.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QtTest>

#include <algorithm>

namespace {

QJsonObject resultOf(const QJsonObject &response)
{
    return response.value(QStringLiteral("result")).toObject();
}

QStringList idsOf(const QJsonObject &response)
{
    QStringList ids;
    for (const QJsonValue &id : resultOf(response).value(QStringLiteral("ids")).toArray())
        ids.append(id.toString());
    ids.sort();
    return ids;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

class TestQueueTools : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void holdKeepsMessagesFromDeliverdUntilReleased();
    void bulkActionsTouchExactlyWhatTheDryRunListed();
    void badInputExitsTwoAndTouchesNothing();
    void showSummaryAndListFitTheTerminal();
    void managerHoldsReleasesAndShowsThroughTheSameCode();

private:
    // Sends one message through the daemon; returns its queue id.
    QString send(const QString &sender, const QString &recipient, const QByteArray &subject);
    // How many RCPT commands for address the sink has seen.
    int rcptCount(const QString &address) const;
    // Waits (bounded) until the sink saw every address at least `times` times.
    bool waitForAttempts(const QStringList &addresses, int times, int timeoutMs);
    TmailRun queue(const QStringList &args) const;
    // Full ids in `queue list --wide`, optionally with a filter.
    QStringList listedIds(const QStringList &filter = {}) const;

    std::unique_ptr<TmailEnvironment> m_env;
    std::unique_ptr<TestSmtpSink> m_sink;
    TmailDaemon m_daemon;
    quint16 m_smtpPort = 0;
    // The five messages of every test, by name.
    QHash<QString, QString> m_ids;
};

void TestQueueTools::init()
{
    m_env = std::make_unique<TmailEnvironment>();
    QVERIFY(m_env->isValid());
    m_sink = std::make_unique<TestSmtpSink>();
    QVERIFY(m_sink->listen(QHostAddress::LocalHost, 0));
    m_smtpPort = freeLoopbackPort();
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(m_smtpPort));
    // No DNS answers: mail without a route (bounces to the senders) stays queued.
    m_env->set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(freeLoopbackPort()));
    QCOMPARE(m_env->run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    QCOMPARE(m_env->run({ QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("127.0.0.1") }).exitCode, 0);
    for (const QString &domain : { QStringLiteral("a.test"), QStringLiteral("b.test") })
    {
        QCOMPARE(m_env
                     ->run({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), domain,
                         QStringLiteral("-rh"), QStringLiteral("127.0.0.1"), QStringLiteral("-rp"),
                         QString::number(m_sink->serverPort()) })
                     .exitCode,
            0);
    }
    for (const QString &user : { QStringLiteral("u1@a.test"), QStringLiteral("u2@b.test"), QStringLiteral("u3@b.test"),
             QStringLiteral("u4@a.test"), QStringLiteral("u5@a.test") })
        m_sink->rcptReplies.insert(user, { QStringLiteral("451 4.3.0 mailbox busy, try again later") });
    QVERIFY2(m_daemon.start(*m_env), m_daemon.log().constData());

    // Three old messages, then three seconds, then two new ones.
    m_ids.clear();
    m_ids.insert(QStringLiteral("m1"), send(QStringLiteral("alice@s1.test"), QStringLiteral("u1@a.test"), "m1"));
    m_ids.insert(QStringLiteral("m2"), send(QStringLiteral("bob@s2.test"), QStringLiteral("u2@b.test"), "m2"));
    m_ids.insert(QStringLiteral("m3"), send(QStringLiteral("alice@s1.test"), QStringLiteral("u3@b.test"), "m3"));
    QTest::qWait(3000);
    m_ids.insert(QStringLiteral("m4"), send(QStringLiteral("bob@s2.test"), QStringLiteral("u4@a.test"), "m4"));
    m_ids.insert(QStringLiteral("m5"), send(QString(), QStringLiteral("u5@a.test"), "m5"));
    for (const QString &id : m_ids)
        QVERIFY2(id.size() == 40, qPrintable(id));
    // Each deferred once: the sink saw every recipient.
    QVERIFY2(waitForAttempts({ QStringLiteral("u1@a.test"), QStringLiteral("u2@b.test"), QStringLiteral("u3@b.test"),
                                 QStringLiteral("u4@a.test"), QStringLiteral("u5@a.test") },
                 1, 20000),
        m_daemon.log().constData());
    QTRY_COMPARE_WITH_TIMEOUT(listedIds({ QStringLiteral("--status"), QStringLiteral("deferred") }).size(), 5, 10000);
}

void TestQueueTools::cleanup()
{
    m_daemon.kill();
    m_sink.reset();
    m_env.reset();
}

QString TestQueueTools::send(const QString &sender, const QString &recipient, const QByteArray &subject)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_smtpPort);
    if (!socket.waitForConnected(5000) || !smtpExchange(socket, {}).startsWith("220 "))
        return QString();
    smtpExchange(socket, "EHLO client.test");
    if (!smtpExchange(socket, "MAIL FROM:<" + sender.toUtf8() + ">").startsWith("250")
        || !smtpExchange(socket, "RCPT TO:<" + recipient.toUtf8() + ">").startsWith("250")
        || !smtpExchange(socket, "DATA").startsWith("354"))
        return QString();
    const QByteArray queued = smtpExchange(socket,
        "From: <" + sender.toUtf8() + ">\r\nSubject: " + subject + "\r\nX-Test: " + subject + "\r\n\r\nbody of "
            + subject + "\r\nsecond line\r\n.");
    smtpExchange(socket, "QUIT");
    return queued.startsWith("250 2.0.0 Ok: queued ") ? QString::fromLatin1(queued.mid(21, 40)) : QString();
}

int TestQueueTools::rcptCount(const QString &address) const
{
    const QString command = QStringLiteral("RCPT TO:<%1>").arg(address);
    return int(std::count_if(m_sink->commands.cbegin(), m_sink->commands.cend(),
        [&command](const QString &line) { return line.startsWith(command, Qt::CaseInsensitive); }));
}

bool TestQueueTools::waitForAttempts(const QStringList &addresses, int times, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs)
    {
        if (std::all_of(addresses.cbegin(), addresses.cend(),
                [this, times](const QString &address) { return rcptCount(address) >= times; }))
            return true;
        QTest::qWait(100);
    }
    return false;
}

TmailRun TestQueueTools::queue(const QStringList &args) const
{
    return m_env->run(QStringList { QStringLiteral("queue") } + args);
}

QStringList TestQueueTools::listedIds(const QStringList &filter) const
{
    const TmailRun list = queue(QStringList { QStringLiteral("list"), QStringLiteral("--wide") } + filter);
    QStringList ids;
    static const QRegularExpression idAtStart(QStringLiteral("^([0-9a-f]{40}) "));
    for (const QString &line : list.out.split(QLatin1Char('\n')))
    {
        const QRegularExpressionMatch match = idAtStart.match(line);
        if (match.hasMatch())
            ids.append(match.captured(1));
    }
    ids.sort();
    return ids;
}

void TestQueueTools::holdKeepsMessagesFromDeliverdUntilReleased()
{
    const QStringList onA = sorted(
        { m_ids.value(QStringLiteral("m1")), m_ids.value(QStringLiteral("m4")), m_ids.value(QStringLiteral("m5")) });

    // The dry run names exactly the messages with a recipient in a.test, and holds none.
    TmailRun run = queue(
        { QStringLiteral("hold"), QStringLiteral("--domain"), QStringLiteral("a.test"), QStringLiteral("--dry-run") });
    QCOMPARE(run.exitCode, 0);
    for (const QString &id : m_ids)
        QCOMPARE(run.out.contains(id), onA.contains(id));
    QVERIFY2(run.out.contains(QStringLiteral("nothing was changed")), qPrintable(run.out));
    QCOMPARE(listedIds({ QStringLiteral("--status"), QStringLiteral("held") }), QStringList());
    m_daemon.waitForLog("(only reads what the daemon wrote)", 500);
    QVERIFY(!m_daemon.log().contains("queue hold"));

    run = queue({ QStringLiteral("hold"), QStringLiteral("--domain"), QStringLiteral("a.test") });
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(listedIds({ QStringLiteral("--status"), QStringLiteral("held") }), onA);
    QCOMPARE(listedIds({ QStringLiteral("--status"), QStringLiteral("deferred") }),
        sorted({ m_ids.value(QStringLiteral("m2")), m_ids.value(QStringLiteral("m3")) }));
    // The daemon's log names the action, the filter and every message touched.
    QVERIFY2(
        m_daemon.waitForLog(QStringLiteral("change from the command line: queue hold (domain a.test): 3 message(s) %1")
                                .arg(onA.join(QLatin1Char(' ')))
                                .toUtf8(),
            5000),
        m_daemon.log().constData());
    // `list` shows the status.
    run = queue({ QStringLiteral("list") });
    QCOMPARE(run.out.count(QStringLiteral(" held ")), 3);

    // Every message made due now: deliverd tries the two that are not held, never the others.
    const int before1 = rcptCount(QStringLiteral("u1@a.test"));
    const int before4 = rcptCount(QStringLiteral("u4@a.test"));
    const int before5 = rcptCount(QStringLiteral("u5@a.test"));
    QCOMPARE(queue({ QStringLiteral("retry"), QStringLiteral("--all") }).exitCode, 0);
    QVERIFY2(waitForAttempts({ QStringLiteral("u2@b.test"), QStringLiteral("u3@b.test") }, 2, 15000),
        m_daemon.log().constData());
    QTest::qWait(2000);
    QCOMPARE(rcptCount(QStringLiteral("u1@a.test")), before1);
    QCOMPARE(rcptCount(QStringLiteral("u4@a.test")), before4);
    QCOMPARE(rcptCount(QStringLiteral("u5@a.test")), before5);

    // Released by a 12-digit prefix of its id, m1 alone is tried again.
    run = queue({ QStringLiteral("release"), m_ids.value(QStringLiteral("m1")).left(12) });
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(m_ids.value(QStringLiteral("m1")) + QStringLiteral(" released")), qPrintable(run.out));
    QCOMPARE(queue({ QStringLiteral("retry"), m_ids.value(QStringLiteral("m1")) }).exitCode, 0);
    QVERIFY2(waitForAttempts({ QStringLiteral("u1@a.test") }, before1 + 1, 15000), m_daemon.log().constData());
    QTest::qWait(1000);
    QCOMPARE(rcptCount(QStringLiteral("u4@a.test")), before4);
    QCOMPARE(rcptCount(QStringLiteral("u5@a.test")), before5);
    QCOMPARE(listedIds({ QStringLiteral("--status"), QStringLiteral("held") }),
        sorted({ m_ids.value(QStringLiteral("m4")), m_ids.value(QStringLiteral("m5")) }));
    QVERIFY2(m_daemon.waitForLog(QStringLiteral("change from the command line: queue release: 1 message(s) %1")
                                     .arg(m_ids.value(QStringLiteral("m1")))
                                     .toUtf8(),
                 5000),
        m_daemon.log().constData());
}

void TestQueueTools::bulkActionsTouchExactlyWhatTheDryRunListed()
{
    const QString m1 = m_ids.value(QStringLiteral("m1"));
    const QString m2 = m_ids.value(QStringLiteral("m2"));
    const QString m3 = m_ids.value(QStringLiteral("m3"));
    const QString m4 = m_ids.value(QStringLiteral("m4"));
    const QString m5 = m_ids.value(QStringLiteral("m5"));

    // alice's messages older than 2 s: m1 and m3 (m4 and m5 came 3 s later).
    const QStringList bounceArgs = { QStringLiteral("bounce"), QStringLiteral("--sender"),
        QStringLiteral("alice@s1.test"), QStringLiteral("--older-than"), QStringLiteral("2s") };
    TmailRun run = queue(bounceArgs + QStringList { QStringLiteral("--dry-run") });
    QCOMPARE(run.exitCode, 0);
    for (const QString &id : { m1, m2, m3, m4, m5 })
        QCOMPARE(run.out.contains(id), id == m1 || id == m3);
    QCOMPARE(listedIds(), sorted({ m1, m2, m3, m4, m5 }));

    run = queue(bounceArgs);
    QCOMPARE(run.exitCode, 0);
    // Gone, and a bounce to alice queued for each (from <>, to alice@s1.test).
    QStringList left = listedIds();
    QVERIFY(!left.contains(m1) && !left.contains(m3));
    QCOMPARE(left.size(), 5);
    const QStringList bounces = listedIds({ QStringLiteral("--sender"), QStringLiteral("<>") });
    QCOMPARE(bounces.size(), 3); // m5 and the two bounces
    QVERIFY(bounces.contains(m5));
    run = queue({ QStringLiteral("list"), QStringLiteral("--wide"), QStringLiteral("--sender"), QStringLiteral("<>") });
    QCOMPARE(run.out.count(QStringLiteral("alice@s1.test")), 2);
    QVERIFY2(m_daemon.waitForLog(QStringLiteral("queue bounce (sender alice@s1.test, older than 2s): 2 message(s) %1")
                                     .arg(sorted({ m1, m3 }).join(QLatin1Char(' ')))
                                     .toUtf8(),
                 5000),
        m_daemon.log().constData());

    // Every message of the sender domain s2.test: m2 and m4, discarded without notice.
    const QStringList discardArgs
        = { QStringLiteral("discard"), QStringLiteral("--sender"), QStringLiteral("s2.test") };
    run = queue(discardArgs + QStringList { QStringLiteral("--dry-run") });
    QCOMPARE(run.exitCode, 0);
    for (const QString &id : left)
        QCOMPARE(run.out.contains(id), id == m2 || id == m4);
    QCOMPARE(listedIds(), left);
    run = queue(discardArgs);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(listedIds(), bounces);

    // Retry by sender and domain: *.test holds the bounces' s1.test too, a.test only m5.
    // The dry runs first, then the sink sees u5 again.
    const QStringList retryArgs = { QStringLiteral("retry"), QStringLiteral("--domain"), QStringLiteral("*.test"),
        QStringLiteral("--sender"), QStringLiteral("<>") };
    run = queue(retryArgs + QStringList { QStringLiteral("--dry-run") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("would touch 3 message(s)")), qPrintable(run.out));
    run = queue(
        { QStringLiteral("retry"), QStringLiteral("--domain"), QStringLiteral("a.test"), QStringLiteral("--dry-run") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("would touch 1 message(s)")) && run.out.contains(m5), qPrintable(run.out));
    const int before5 = rcptCount(QStringLiteral("u5@a.test"));
    QCOMPARE(queue({ QStringLiteral("retry"), QStringLiteral("--domain"), QStringLiteral("a.test") }).exitCode, 0);
    QVERIFY2(waitForAttempts({ QStringLiteral("u5@a.test") }, before5 + 1, 15000), m_daemon.log().constData());
    QCOMPARE(rcptCount(QStringLiteral("u1@a.test")), 1);
}

void TestQueueTools::badInputExitsTwoAndTouchesNothing()
{
    const QStringList all = listedIds();
    QCOMPARE(all.size(), 5);
    const QList<QStringList> bad = {
        { QStringLiteral("hold"), QStringLiteral("--domain"), QStringLiteral("not a domain") },
        { QStringLiteral("hold"), QStringLiteral("--domain"), QStringLiteral("a.*.test") },
        { QStringLiteral("bounce"), QStringLiteral("--sender"), QStringLiteral("bad@@s1.test") },
        { QStringLiteral("discard"), QStringLiteral("--older-than"), QStringLiteral("2x") },
        { QStringLiteral("discard"), QStringLiteral("--older-than"), QStringLiteral("-2h") },
        { QStringLiteral("retry"), QStringLiteral("--status"), QStringLiteral("frozen") },
        { QStringLiteral("discard"), QStringLiteral("0123456789abcdef") }, // no such message
        { QStringLiteral("discard"), m_ids.value(QStringLiteral("m1")), QStringLiteral("0123456789abcdef") },
        { QStringLiteral("hold"), QStringLiteral("1234567") }, // too short a prefix
        { QStringLiteral("discard"), m_ids.value(QStringLiteral("m1")).left(8) }, // shared by the five
        { QStringLiteral("discard") }, // nothing selected: --all must be said
        { QStringLiteral("discard"), QStringLiteral("--all"), QStringLiteral("--domain"), QStringLiteral("a.test") },
        { QStringLiteral("show"), QStringLiteral("0123456789abcdef") },
    };
    for (const QStringList &args : bad)
    {
        const TmailRun run = queue(args);
        QVERIFY2(run.exitCode == 2, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + run.err));
        QVERIFY2(!run.err.isEmpty(), qPrintable(args.join(QLatin1Char(' '))));
    }
    // The ambiguous prefix names the messages that share it.
    const TmailRun ambiguous = queue({ QStringLiteral("discard"), m_ids.value(QStringLiteral("m1")).left(8) });
    QVERIFY2(ambiguous.err.contains(QStringLiteral("ambiguous"))
            && ambiguous.err.contains(m_ids.value(QStringLiteral("m1"))),
        qPrintable(ambiguous.err));
    QCOMPARE(listedIds(), all);
    QCOMPARE(listedIds({ QStringLiteral("--status"), QStringLiteral("held") }), QStringList());
    m_daemon.waitForLog("(only reads what the daemon wrote)", 500);
    QVERIFY(!m_daemon.log().contains("change from the command line: queue"));
}

void TestQueueTools::showSummaryAndListFitTheTerminal()
{
    const QString m2 = m_ids.value(QStringLiteral("m2"));
    TmailRun run = queue({ QStringLiteral("show"), m2.left(12), QStringLiteral("--headers") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("Subject: m2\n")) && run.out.contains(QStringLiteral("X-Test: m2\n")),
        qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("Received: ")), qPrintable(run.out));
    QVERIFY(!run.out.contains(QStringLiteral("body of m2")));
    QVERIFY(!run.out.contains(QStringLiteral("sender:")));
    run = queue({ QStringLiteral("show"), m2, QStringLiteral("--body") });
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, QStringLiteral("body of m2\nsecond line\n"));
    run = queue({ QStringLiteral("show"), m2 });
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("sender:      bob@s2.test"))
            && run.out.contains(QStringLiteral("*** HEADERS ***")) && run.out.contains(QStringLiteral("Subject: m2\n"))
            && run.out.contains(QStringLiteral("*** BODY ***\nbody of m2\n")),
        qPrintable(run.out));

    // qshape's layout: a TOTAL row, then domains by count; columns T 5 10 … 1280 1280+.
    run = queue({ QStringLiteral("summary") });
    QCOMPARE(run.exitCode, 0);
    const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY2(lines.size() == 5, qPrintable(run.out));
    QCOMPARE(lines.at(1).split(QLatin1Char(' '), Qt::SkipEmptyParts),
        QStringList({ QStringLiteral("DOMAIN"), QStringLiteral("T"), QStringLiteral("5"), QStringLiteral("10"),
            QStringLiteral("20"), QStringLiteral("40"), QStringLiteral("80"), QStringLiteral("160"),
            QStringLiteral("320"), QStringLiteral("640"), QStringLiteral("1280"), QStringLiteral("1280+") }));
    QCOMPARE(lines.at(2).split(QLatin1Char(' '), Qt::SkipEmptyParts),
        QStringList({ QStringLiteral("TOTAL"), QStringLiteral("5"), QStringLiteral("5"), QStringLiteral("0"),
            QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("0"),
            QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("0") }));
    QCOMPARE(lines.at(3).split(QLatin1Char(' '), Qt::SkipEmptyParts).mid(0, 3),
        QStringList({ QStringLiteral("a.test"), QStringLiteral("3"), QStringLiteral("3") }));
    QCOMPARE(lines.at(4).split(QLatin1Char(' '), Qt::SkipEmptyParts).mid(0, 3),
        QStringList({ QStringLiteral("b.test"), QStringLiteral("2"), QStringLiteral("2") }));

    // One line per message within 100 columns; the error cut with an ellipsis; --wide whole.
    run = queue({ QStringLiteral("list") });
    QCOMPARE(run.exitCode, 0);
    const QStringList listLines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(listLines.size(), 2 + 5);
    for (const QString &line : listLines)
        QVERIFY2(line.size() <= 100, qPrintable(line));
    QVERIFY2(run.out.contains(QStringLiteral("…")), qPrintable(run.out));
    for (const QString &id : m_ids)
        QVERIFY2(run.out.contains(id.left(12)) && !run.out.contains(id), qPrintable(run.out));
    run = queue({ QStringLiteral("list"), QStringLiteral("--wide") });
    QVERIFY(run.out.contains(QStringLiteral("451 4.3.0 mailbox busy, try again later")));
    for (const QString &id : m_ids)
        QVERIFY(run.out.contains(id));
}

void TestQueueTools::managerHoldsReleasesAndShowsThroughTheSameCode()
{
    ManagerTestClient client;
    const QJsonObject hello = client.handshake(m_env->path(QStringLiteral("manager.sock")));
    QVERIFY(!hello.isEmpty());
    QVERIFY(hello.value(QStringLiteral("features")).toArray().contains(QStringLiteral("queue.tools")));
    const QString m2 = m_ids.value(QStringLiteral("m2"));
    const QString m3 = m_ids.value(QStringLiteral("m3"));

    // A filtered list, with each message's status.
    QJsonObject response
        = client.call(QStringLiteral("queue.list"), { { QStringLiteral("domain"), QStringLiteral("b.test") } });
    QVERIFY(response.value(QStringLiteral("ok")).toBool());
    QCOMPARE(resultOf(response).value(QStringLiteral("total")).toInt(), 2);
    for (const QJsonValue &item : resultOf(response).value(QStringLiteral("items")).toArray())
        QCOMPARE(item.toObject().value(QStringLiteral("status")).toString(), QStringLiteral("deferred"));

    // Bulk hold: the dry run names m2 and m3 and holds nothing; then for real.
    const QJsonObject byDomain { { QStringLiteral("domain"), QStringLiteral("b.test") } };
    QJsonObject dry = byDomain;
    dry.insert(QStringLiteral("dryRun"), true);
    response = client.call(QStringLiteral("queue.hold"), dry);
    QVERIFY(response.value(QStringLiteral("ok")).toBool());
    QCOMPARE(idsOf(response), sorted({ m2, m3 }));
    QCOMPARE(listedIds({ QStringLiteral("--status"), QStringLiteral("held") }), QStringList());
    response = client.call(QStringLiteral("queue.hold"), byDomain);
    QCOMPARE(idsOf(response), sorted({ m2, m3 }));
    QCOMPARE(listedIds({ QStringLiteral("--status"), QStringLiteral("held") }), sorted({ m2, m3 }));
    QVERIFY2(m_daemon.waitForLog(QStringLiteral(": queue.hold (domain b.test): 2 message(s) %1")
                                     .arg(sorted({ m2, m3 }).join(QLatin1Char(' ')))
                                     .toUtf8(),
                 5000),
        m_daemon.log().constData());

    // A single release by prefix, then the viewer's content.
    response = client.call(QStringLiteral("queue.release"), { { QStringLiteral("id"), m2.left(12) } });
    QCOMPARE(idsOf(response), QStringList { m2 });
    QCOMPARE(listedIds({ QStringLiteral("--status"), QStringLiteral("held") }), QStringList { m3 });
    response = client.call(
        QStringLiteral("queue.show"), { { QStringLiteral("id"), m3 }, { QStringLiteral("content"), true } });
    QVERIFY(response.value(QStringLiteral("ok")).toBool());
    QVERIFY(resultOf(response).value(QStringLiteral("held")).toBool());
    QVERIFY(resultOf(response).value(QStringLiteral("headers")).toString().contains(QStringLiteral("Subject: m3\r\n")));
    QCOMPARE(
        resultOf(response).value(QStringLiteral("body")).toString(), QStringLiteral("body of m3\r\nsecond line\r\n"));

    // Bad input is refused with the field named, and changes nothing.
    response
        = client.call(QStringLiteral("queue.discard"), { { QStringLiteral("olderThan"), QStringLiteral("soon") } });
    QCOMPARE(response.value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString(),
        QStringLiteral("olderThan"));
    response = client.call(
        QStringLiteral("queue.discard"), { { QStringLiteral("id"), QStringLiteral("0123456789abcdef") } });
    QVERIFY(!response.value(QStringLiteral("ok")).toBool());
    QCOMPARE(listedIds().size(), 5);
}

QTEST_GUILESS_MAIN(TestQueueTools)
#include "tst_queuetools.moc"
