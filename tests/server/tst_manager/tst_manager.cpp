// The manager protocol spoken with a running tmail (ManagerTestDaemon): one test per
// request family, plus the failure cases a manager must survive.
#include "managertestclient.h"
#include "managertestdaemon.h"
#include "smtptestclient.h"
#include "testpeers.h"
#include "testsmtpsink.h"

#include "config/configfile.h"
#include "db/database.h"
#include "db/queuetable.h"
#include "manager/managerprotocol.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>

#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ManagerProtocol;

namespace {

bool isOk(const QJsonObject &response)
{
    return response.value(QStringLiteral("ok")).toBool();
}

QString errorCode(const QJsonObject &response)
{
    return response.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

QString errorField(const QJsonObject &response)
{
    return response.value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString();
}

QJsonArray items(const QJsonObject &response)
{
    return response.value(QStringLiteral("result")).toObject().value(QStringLiteral("items")).toArray();
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Exit codes of the foreign-uid child process.
enum ChildResult
{
    ChildDenied = 0,
    ConnectRefused = 1,
    ChildAccepted = 2,
    Other = 3
};

// In a child that became 'nobody': connect, send a hello, read the answer.
int foreignClient(const QByteArray &path, const QByteArray &helloFrame)
{
    if (::setgid(65534) != 0 || ::setuid(65534) != 0)
        return Other;
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    memcpy(address.sun_path, path.constData(), size_t(path.size()));
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        return errno == EACCES || errno == EPERM ? ConnectRefused : Other;
    // The daemon may deny and close before reading the hello: a failed write is not an
    // answer, what can still be read is.
    [[maybe_unused]] const ssize_t written = ::write(fd, helloFrame.constData(), size_t(helloFrame.size()));
    char buffer[4096];
    size_t received = 0;
    for (;;)
    {
        pollfd poller = { fd, POLLIN, 0 };
        if (::poll(&poller, 1, 10000) <= 0)
            break;
        const ssize_t n = ::read(fd, buffer + received, sizeof buffer - received - 1);
        if (n <= 0)
            break;
        received += size_t(n);
        if (received >= sizeof buffer - 1)
            break;
    }
    buffer[received] = 0;
    if (received > 4 && strstr(buffer + 4, "\"denied\""))
        return ChildDenied;
    if (received > 4 && strstr(buffer + 4, "\"hello\""))
        return ChildAccepted;
    return Other;
}

} // namespace

class TestManager : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void handshakeGrantsFeatures();
    void otherProtocolVersionIsDenied();
    void requestBeforeHelloIsRefused();
    void statusReportsCounters();
    void rcptHostsAddListDelete();
    void changesAreLoggedWithTheirSource();
    void usersAddPasswordDelete();
    void relayIpsAddListDelete();
    void routesAddUpdateReorderDelete();
    void dkimKeysWithoutPrivateKeys();
    void queueListShowRetryDiscard();
    void malformedFrameThenValidRequest();
    void badRequestsGetErrorsNamingTheProblem();
    void oversizedFrameGetsAnErrorAndClose();
    void secondClientSeesChanges();
    void configGetDescribesEveryVariable();
    void configSetRejectsBadValueAndLeavesFileUnchanged();
    void configSetRewritesOnlyTheChangedLine();
    void configSetAppliesMaxRcptWithoutRestart();
    void configSetReportsRestartOnlySettingAndLeavesItAlone();
    void logSubscriptionReceivesSmtpSessionLines();
    void countersFollowAcceptedAndDelivered();
    void historyCountsEachMinuteOfTheDay();
    void queueDestinationsCountMessagesPerDomain();
    void nodesListShowsThisNode();
    void foreignUserIsStoppedBySocketMode();
    void foreignUserIsDeniedByPeerCredentials();

private:
    ManagerTestDaemon m_daemon;
    ManagerTestClient m_client;
};

void TestManager::initTestCase()
{
    QString error;
    QVERIFY2(m_daemon.start(&error), qPrintable(error));
    qInfo("manager served by %s", m_daemon.inProcess() ? "ManagerServer in the test process" : "the tmail binary");
    QCOMPARE(m_client.handshake(m_daemon.socketPath()).value(QStringLiteral("type")).toString(), Type::Hello);
}

void TestManager::cleanupTestCase()
{
    m_daemon.stop();
}

void TestManager::handshakeGrantsFeatures()
{
    ManagerTestClient client;
    const QJsonObject hello = client.handshake(m_daemon.socketPath());
    QCOMPARE(hello.value(QStringLiteral("magic")).toString(), Magic);
    QCOMPARE(hello.value(QStringLiteral("version")).toInt(), Version);
    const QJsonArray features = hello.value(QStringLiteral("features")).toArray();
    QVERIFY(features.contains(Feature::Log));
    QVERIFY(features.contains(Feature::Config));
    QVERIFY(hello.value(QStringLiteral("software")).toString().startsWith(QLatin1String("tmail ")));
}

void TestManager::otherProtocolVersionIsDenied()
{
    ManagerTestClient client;
    QVERIFY(client.connectTo(m_daemon.socketPath()));
    Hello hello;
    hello.version = Version + 1;
    client.sendFrame(hello.toJson());
    const QJsonObject denied
        = client.waitFor([](const QJsonObject &f) { return f.value(QStringLiteral("type")) == Type::Denied; });
    QCOMPARE(denied.value(QStringLiteral("code")).toString(), QStringLiteral("version"));
    QVERIFY(client.waitForDisconnected());
}

void TestManager::requestBeforeHelloIsRefused()
{
    ManagerTestClient client;
    QVERIFY(client.connectTo(m_daemon.socketPath()));
    const QJsonObject response = client.call(Method::Status);
    QVERIFY(!isOk(response));
    QCOMPARE(errorCode(response), QStringLiteral("not_ready"));
    QVERIFY(client.isConnected());
}

void TestManager::statusReportsCounters()
{
    const QJsonObject response = m_client.call(Method::Status);
    QVERIFY(isOk(response));
    const QJsonObject result = response.value(QStringLiteral("result")).toObject();
    QCOMPARE(result.value(QStringLiteral("me")).toString(), QStringLiteral("mx.test.local"));
    const QJsonObject counters = result.value(QStringLiteral("counters")).toObject();
    for (const char *name : { "sessions", "accepted", "delivered", "bounced", "queued" })
        QVERIFY2(counters.contains(QLatin1String(name)), name);
    QVERIFY(result.value(QStringLiteral("listeners")).toArray().size() == 1);
}

// Every administrative change leaves a log line naming the manager client and what it
// changed; reads leave none, and a password never appears.
void TestManager::changesAreLoggedWithTheirSource()
{
    QVERIFY(isOk(m_client.call(Method::RcptHostsAdd, { { QStringLiteral("domain"), QStringLiteral("logged.test") } })));
    QVERIFY(isOk(m_client.call(Method::UsersAdd,
        { { QStringLiteral("login"), QStringLiteral("who@logged.test") },
            { QStringLiteral("password"), QStringLiteral("Secret-Pw-42") } })));
    QVERIFY(isOk(m_client.call(Method::RcptHostsList)));
    // The daemon's log, from its first line, through log.subscribe.
    ManagerTestClient reader;
    QCOMPARE(reader.handshake(m_daemon.socketPath()).value(QStringLiteral("type")).toString(), Type::Hello);
    QVERIFY(isOk(reader.call(Method::LogSubscribe, { { QStringLiteral("after"), 0 } })));
    QByteArray seen;
    const QJsonObject last = reader.waitForEvent(QStringLiteral("log"), [&seen](const QJsonObject &frame) {
        const QByteArray text = QJsonDocument(frame).toJson(QJsonDocument::Compact);
        seen += text + '\n';
        return text.contains("users.add who@logged.test");
    });
    QVERIFY2(!last.isEmpty(), seen.constData());
    QVERIFY2(seen.contains("change from manager client "), seen.constData());
    QVERIFY2(seen.contains("rcpthosts.add logged.test"), seen.constData());
    QVERIFY2(!seen.contains("rcpthosts.list"), seen.constData());
    QVERIFY2(!seen.contains("Secret-Pw-42"), seen.constData());

    QVERIFY(
        isOk(m_client.call(Method::UsersDelete, { { QStringLiteral("login"), QStringLiteral("who@logged.test") } })));
    QVERIFY(
        isOk(m_client.call(Method::RcptHostsDelete, { { QStringLiteral("domain"), QStringLiteral("logged.test") } })));
}

void TestManager::rcptHostsAddListDelete()
{
    QVERIFY(isOk(m_client.call(Method::RcptHostsAdd, { { QStringLiteral("domain"), QStringLiteral("Example.ORG") } })));
    const QJsonArray list = items(m_client.call(Method::RcptHostsList));
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().toObject().value(QStringLiteral("domain")).toString(), QStringLiteral("example.org"));
    QVERIFY(m_daemon.tmail({ QStringLiteral("rcpthost"), QStringLiteral("list") })
                .out.contains(QLatin1String("example.org")));

    const QJsonObject duplicate
        = m_client.call(Method::RcptHostsAdd, { { QStringLiteral("domain"), QStringLiteral("example.org") } });
    QCOMPARE(errorCode(duplicate), QStringLiteral("already_exists"));
    const QJsonObject bad
        = m_client.call(Method::RcptHostsAdd, { { QStringLiteral("domain"), QStringLiteral("bad domain!") } });
    QCOMPARE(errorCode(bad), QStringLiteral("invalid_param"));
    QCOMPARE(errorField(bad), QStringLiteral("domain"));

    QVERIFY(
        isOk(m_client.call(Method::RcptHostsDelete, { { QStringLiteral("domain"), QStringLiteral("example.org") } })));
    QCOMPARE(errorCode(m_client.call(
                 Method::RcptHostsDelete, { { QStringLiteral("domain"), QStringLiteral("example.org") } })),
        QStringLiteral("not_found"));
    QCOMPARE(items(m_client.call(Method::RcptHostsList)).size(), 0);
}

void TestManager::usersAddPasswordDelete()
{
    const QJsonObject add = m_client.call(Method::UsersAdd,
        { { QStringLiteral("login"), QStringLiteral("alice@example.org") },
            { QStringLiteral("password"), QStringLiteral("s3cret") }, { QStringLiteral("mayRelay"), false } });
    QVERIFY2(isOk(add), qPrintable(errorCode(add)));
    const QJsonArray list = items(m_client.call(Method::UsersList));
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().toObject().value(QStringLiteral("login")).toString(), QStringLiteral("alice@example.org"));
    QCOMPARE(list.first().toObject().value(QStringLiteral("mayRelay")).toBool(), false);
    QVERIFY(!list.first().toObject().contains(QStringLiteral("passwordHash")));

    QVERIFY(isOk(m_client.call(Method::UsersSetPassword,
        { { QStringLiteral("login"), QStringLiteral("alice@example.org") },
            { QStringLiteral("password"), QStringLiteral("n3w") } })));
    const QJsonObject bad = m_client.call(Method::UsersAdd,
        { { QStringLiteral("login"), QStringLiteral("not-an-address") },
            { QStringLiteral("password"), QStringLiteral("x") } });
    QCOMPARE(errorField(bad), QStringLiteral("login"));
    const QJsonObject empty = m_client.call(Method::UsersAdd,
        { { QStringLiteral("login"), QStringLiteral("bob@example.org") }, { QStringLiteral("password"), QString() } });
    QCOMPARE(errorField(empty), QStringLiteral("password"));
    QVERIFY(
        isOk(m_client.call(Method::UsersDelete, { { QStringLiteral("login"), QStringLiteral("alice@example.org") } })));
    QCOMPARE(items(m_client.call(Method::UsersList)).size(), 0);
}

void TestManager::relayIpsAddListDelete()
{
    QVERIFY(isOk(m_client.call(Method::RelayIpsAdd, { { QStringLiteral("range"), QStringLiteral("192.0.2.0/24") } })));
    QCOMPARE(items(m_client.call(Method::RelayIpsList)).first().toObject().value(QStringLiteral("range")).toString(),
        QStringLiteral("192.0.2.0/24"));
    const QJsonObject bad
        = m_client.call(Method::RelayIpsAdd, { { QStringLiteral("range"), QStringLiteral("192.0.2.1/24") } });
    QCOMPARE(errorCode(bad), QStringLiteral("invalid_param"));
    QCOMPARE(errorField(bad), QStringLiteral("range"));
    QVERIFY(
        isOk(m_client.call(Method::RelayIpsDelete, { { QStringLiteral("range"), QStringLiteral("192.0.2.0/24") } })));
    QCOMPARE(items(m_client.call(Method::RelayIpsList)).size(), 0);
}

// dkim.* call the same DkimService as `tmail dkim`; no reply carries a private key.
void TestManager::dkimKeysWithoutPrivateKeys()
{
    QStringList replies;
    auto call = [&](const QString &method, const QJsonObject &params) {
        const QJsonObject response = m_client.call(method, params);
        replies.append(QString::fromUtf8(QJsonDocument(response).toJson()));
        return response;
    };
    const QJsonObject added = call(Method::DkimAdd, { { QStringLiteral("domain"), QStringLiteral("dkim.example") } });
    QVERIFY2(isOk(added), qPrintable(replies.last()));
    QCOMPARE(items(added).size(), 2);
    QCOMPARE(errorCode(call(Method::DkimAdd,
                 { { QStringLiteral("domain"), QStringLiteral("dkim.example") },
                     { QStringLiteral("algorithm"), QStringLiteral("dsa") } })),
        QStringLiteral("invalid_param"));
    const QJsonArray listed = items(call(Method::DkimList, {}));
    QCOMPARE(listed.size(), 2);
    QCOMPARE(listed.first().toObject().value(QStringLiteral("domain")).toString(), QStringLiteral("dkim.example"));
    QVERIFY(listed.first().toObject().value(QStringLiteral("active")).toBool());
    const QJsonObject dns = call(Method::DkimDns, { { QStringLiteral("domain"), QStringLiteral("dkim.example") } });
    const QJsonArray records
        = dns.value(QStringLiteral("result")).toObject().value(QStringLiteral("records")).toArray();
    QCOMPARE(records.size(), 2);
    QVERIFY(records.first().toString().contains(QLatin1String("._domainkey.dkim.example. IN TXT")));
    QVERIFY(isOk(call(Method::DkimRotate, { { QStringLiteral("domain"), QStringLiteral("dkim.example") } })));
    QCOMPARE(items(call(Method::DkimList, {})).size(), 4);
    QCOMPARE(errorCode(call(Method::DkimDelete, { { QStringLiteral("domain"), QStringLiteral("none.example") } })),
        QStringLiteral("not_found"));
    for (const QString &reply : std::as_const(replies))
        QVERIFY2(
            !reply.contains(QLatin1String("PRIVATE KEY")) && !reply.contains(QLatin1String("MIIE")), qPrintable(reply));
    QVERIFY(isOk(call(Method::DkimDelete, { { QStringLiteral("domain"), QStringLiteral("dkim.example") } })));
    QCOMPARE(items(call(Method::DkimList, {})).size(), 0);
}

void TestManager::routesAddUpdateReorderDelete()
{
    const QJsonObject first = m_client.call(Method::RoutesAdd,
        { { QStringLiteral("recipientDomain"), QStringLiteral("example.net") },
            { QStringLiteral("remoteHost"), QStringLiteral("mx1.example.net") }, { QStringLiteral("remotePort"), 2525 },
            { QStringLiteral("priority"), 1 } });
    QVERIFY(isOk(first));
    const qint64 firstId
        = qint64(first.value(QStringLiteral("result")).toObject().value(QStringLiteral("id")).toDouble());
    const QJsonObject second = m_client.call(Method::RoutesAdd,
        { { QStringLiteral("recipientDomain"), QStringLiteral("example.net") },
            { QStringLiteral("remoteHost"), QStringLiteral("192.0.2.25") }, { QStringLiteral("priority"), 2 },
            { QStringLiteral("smtpUser"), QStringLiteral("relay") },
            { QStringLiteral("smtpPassword"), QStringLiteral("pw") } });
    QVERIFY(isOk(second));
    const qint64 secondId
        = qint64(second.value(QStringLiteral("result")).toObject().value(QStringLiteral("id")).toDouble());
    QVERIFY(second.value(QStringLiteral("result")).toObject().value(QStringLiteral("hasPassword")).toBool());

    const QJsonObject badPort = m_client.call(Method::RoutesAdd,
        { { QStringLiteral("recipientDomain"), QStringLiteral("example.net") },
            { QStringLiteral("remoteHost"), QStringLiteral("mx") }, { QStringLiteral("remotePort"), 70000 } });
    QCOMPARE(errorField(badPort), QStringLiteral("remotePort"));
    const QJsonObject badHost = m_client.call(Method::RoutesAdd,
        { { QStringLiteral("recipientDomain"), QStringLiteral("example.net") },
            { QStringLiteral("remoteHost"), QStringLiteral("bad host") } });
    QCOMPARE(errorField(badHost), QStringLiteral("remoteHost"));

    QVERIFY(isOk(m_client.call(Method::RoutesUpdate,
        { { QStringLiteral("id"), firstId }, { QStringLiteral("remoteHost"), QStringLiteral("mx2.example.net") } })));
    QVERIFY(isOk(m_client.call(Method::RoutesSetPriorities,
        { { QStringLiteral("priorities"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), firstId }, { QStringLiteral("priority"), 5 } },
                QJsonObject { { QStringLiteral("id"), secondId }, { QStringLiteral("priority"), 1 } } } } })));
    const QJsonArray list = items(m_client.call(Method::RoutesList));
    QCOMPARE(list.size(), 2);
    QCOMPARE(qint64(list.at(0).toObject().value(QStringLiteral("id")).toDouble()), secondId); // priority 1 first
    QCOMPARE(list.at(1).toObject().value(QStringLiteral("remoteHost")).toString(), QStringLiteral("mx2.example.net"));
    QCOMPARE(list.at(1).toObject().value(QStringLiteral("priority")).toInt(), 5);
    QVERIFY(!list.at(0).toObject().contains(QStringLiteral("smtpPassword")));

    QVERIFY(isOk(m_client.call(Method::RoutesDelete, { { QStringLiteral("id"), firstId } })));
    QVERIFY(isOk(m_client.call(Method::RoutesDelete, { { QStringLiteral("id"), secondId } })));
    QCOMPARE(errorCode(m_client.call(Method::RoutesDelete, { { QStringLiteral("id"), secondId } })),
        QStringLiteral("not_found"));
}

void TestManager::queueListShowRetryDiscard()
{
    // Null senders: a running deliverd never bounces them, whatever happens to the attempts.
    QStringList ids;
    {
        const Expected<DbSource> source = DbSource::parse(
            QStringLiteral("sqlite3"), m_daemon.environment().path(QStringLiteral("db/tmail.db")), QString());
        QVERIFY(source);
        Expected<Database> db = Database::open(source.value(), QStringLiteral("test-queue"));
        QVERIFY2(db, qPrintable(db.error()));
        QueueTable queue(db.value());
        for (int i = 0; i < 2; ++i)
        {
            QueuedMessage message;
            message.id = QueueTable::newId();
            message.clientIp = QStringLiteral("127.0.0.1");
            message.helo = QStringLiteral("client.test");
            message.sizeBytes = 123;
            message.storeKey = message.id.left(2) + QLatin1Char('/') + message.id;
            message.createdAtMs = QDateTime::currentMSecsSinceEpoch() + i;
            message.nextAttemptAtMs = message.createdAtMs + 3600 * 1000;
            message.recipients = { QueuedRecipient {
                QStringLiteral("rcpt@example.invalid"), QueuedRecipient::Pending, QString(), 0, QString(), false } };
            QVERIFY(queue.enqueue({ message }));
            ids.append(message.id);
        }
    }
    const auto listedIds = [this]() {
        QStringList listed;
        const QJsonObject list
            = m_client.call(Method::QueueList, { { QStringLiteral("offset"), 0 }, { QStringLiteral("limit"), 1000 } });
        for (const QJsonValue &item : items(list))
            listed.append(item.toObject().value(QStringLiteral("id")).toString());
        return listed;
    };
    const QJsonObject list
        = m_client.call(Method::QueueList, { { QStringLiteral("offset"), 0 }, { QStringLiteral("limit"), 10 } });
    QVERIFY(isOk(list));
    QVERIFY(list.value(QStringLiteral("result")).toObject().value(QStringLiteral("total")).toInt() >= 2);
    QVERIFY(listedIds().contains(ids.at(0)) && listedIds().contains(ids.at(1)));
    const QJsonObject paged
        = m_client.call(Method::QueueList, { { QStringLiteral("offset"), 1 }, { QStringLiteral("limit"), 1 } });
    QCOMPARE(items(paged).size(), 1);
    QCOMPARE(errorField(m_client.call(Method::QueueList, { { QStringLiteral("limit"), 0 } })), QStringLiteral("limit"));

    const QJsonObject show = m_client.call(Method::QueueShow, { { QStringLiteral("id"), ids.at(0) } });
    QVERIFY(isOk(show));
    const QJsonObject message = show.value(QStringLiteral("result")).toObject();
    QCOMPARE(message.value(QStringLiteral("sender")).toString(), QString());
    QCOMPARE(message.value(QStringLiteral("helo")).toString(), QStringLiteral("client.test"));
    const QJsonObject recipient = message.value(QStringLiteral("recipients")).toArray().first().toObject();
    QCOMPARE(recipient.value(QStringLiteral("address")).toString(), QStringLiteral("rcpt@example.invalid"));
    QCOMPARE(errorField(m_client.call(Method::QueueShow, { { QStringLiteral("id"), QStringLiteral("xyz") } })),
        QStringLiteral("id"));

    QVERIFY(isOk(m_client.call(Method::QueueRetry, { { QStringLiteral("id"), ids.at(0) } })));
    QVERIFY(isOk(m_client.call(Method::QueueRetry, { { QStringLiteral("all"), true } })));

    const QJsonObject bounce = m_client.call(Method::QueueBounce, { { QStringLiteral("id"), ids.at(1) } });
    QVERIFY2(isOk(bounce), qPrintable(errorCode(bounce)));
    QCOMPARE(errorCode(m_client.call(Method::QueueShow, { { QStringLiteral("id"), ids.at(1) } })),
        QStringLiteral("not_found"));

    QVERIFY(isOk(m_client.call(Method::QueueDiscard, { { QStringLiteral("id"), ids.at(0) } })));
    QCOMPARE(errorCode(m_client.call(Method::QueueShow, { { QStringLiteral("id"), ids.at(0) } })),
        QStringLiteral("not_found"));
    QCOMPARE(errorCode(m_client.call(Method::QueueDiscard, { { QStringLiteral("id"), ids.at(0) } })),
        QStringLiteral("not_found"));
    QVERIFY(!listedIds().contains(ids.at(0)) && !listedIds().contains(ids.at(1)));
}

void TestManager::malformedFrameThenValidRequest()
{
    ManagerTestClient client;
    QVERIFY(!client.handshake(m_daemon.socketPath()).isEmpty());
    const QByteArray garbage = "{\"type\": \"request\", oops";
    QByteArray frame(4, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(garbage.size()), frame.data());
    client.sendRaw(frame + garbage);
    const QJsonObject error
        = client.waitFor([](const QJsonObject &f) { return f.value(QStringLiteral("type")) == Type::Response; });
    QCOMPARE(errorCode(error), QStringLiteral("bad_frame"));
    QVERIFY(error.value(QStringLiteral("id")).isNull());
    QVERIFY(client.isConnected());
    QVERIFY(isOk(client.call(Method::Status)));
}

void TestManager::badRequestsGetErrorsNamingTheProblem()
{
    ManagerTestClient client;
    QVERIFY(!client.handshake(m_daemon.socketPath()).isEmpty());
    QCOMPARE(errorCode(client.call(QStringLiteral("no.such.method"))), QStringLiteral("unknown_method"));
    client.sendFrame({ { QStringLiteral("type"), Type::Request }, { QStringLiteral("id"), 77 },
        { QStringLiteral("method"), Method::Status }, { QStringLiteral("params"), QJsonArray { 1 } } });
    const QJsonObject badParams
        = client.waitFor([](const QJsonObject &f) { return f.value(QStringLiteral("id")).toInt() == 77; });
    QCOMPARE(errorCode(badParams), QStringLiteral("bad_request"));
    client.sendFrame({ { QStringLiteral("type"), QStringLiteral("gossip") } });
    const QJsonObject unknownType
        = client.waitFor([](const QJsonObject &f) { return errorCode(f) == QLatin1String("bad_frame"); });
    QVERIFY(!unknownType.isEmpty());
    QCOMPARE(
        errorField(client.call(Method::RcptHostsAdd, { { QStringLiteral("domain"), 12 } })), QStringLiteral("domain"));
    QVERIFY(isOk(client.call(Method::Status)));
}

void TestManager::oversizedFrameGetsAnErrorAndClose()
{
    ManagerTestClient client;
    QVERIFY(!client.handshake(m_daemon.socketPath()).isEmpty());
    QByteArray header(4, Qt::Uninitialized);
    qToBigEndian<quint32>(MaxFrameSize + 1, header.data());
    client.sendRaw(header + QByteArray(64 * 1024, 'x'));
    const QJsonObject error
        = client.waitFor([](const QJsonObject &f) { return f.value(QStringLiteral("type")) == Type::Response; });
    QCOMPARE(errorCode(error), QStringLiteral("frame_too_large"));
    QVERIFY(client.waitForDisconnected());
    // The daemon goes on serving others.
    QVERIFY(isOk(m_client.call(Method::Status)));
}

void TestManager::secondClientSeesChanges()
{
    ManagerTestClient second;
    QVERIFY(!second.handshake(m_daemon.socketPath()).isEmpty());
    QVERIFY(isOk(m_client.call(Method::RcptHostsAdd, { { QStringLiteral("domain"), QStringLiteral("second.test") } })));
    const QJsonObject changed = second.waitForEvent(EventName::Changed);
    QVERIFY(QStringList({ QStringLiteral("rcpthosts"), QStringLiteral("all") })
                .contains(changed.value(QStringLiteral("list")).toString()));
    QCOMPARE(items(second.call(Method::RcptHostsList)).size(), 1);
    // A change made with the command line is noticed too (polled change serial).
    QCOMPARE(
        m_daemon.tmail({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("cli.test") }).exitCode, 0);
    QVERIFY(!second
                 .waitForEvent(EventName::Changed,
                     [](const QJsonObject &data) { return data.value(QStringLiteral("list")) == QLatin1String("all"); })
                 .isEmpty());
    QCOMPARE(items(second.call(Method::RcptHostsList)).size(), 2);
    QVERIFY(
        isOk(second.call(Method::RcptHostsDelete, { { QStringLiteral("domain"), QStringLiteral("second.test") } })));
    QVERIFY(isOk(second.call(Method::RcptHostsDelete, { { QStringLiteral("domain"), QStringLiteral("cli.test") } })));
}

void TestManager::configGetDescribesEveryVariable()
{
    const QJsonObject response = m_client.call(Method::ConfigGet);
    QVERIFY(isOk(response));
    const QJsonObject result = response.value(QStringLiteral("result")).toObject();
    QVERIFY(result.value(QStringLiteral("writable")).toBool());
    const QJsonArray variables = result.value(QStringLiteral("variables")).toArray();
    QCOMPARE(variables.size(), ConfigRegistry::variables().size());
    bool sawDriver = false;
    for (const QJsonValue &value : variables)
    {
        const QJsonObject variable = value.toObject();
        QVERIFY(!variable.value(QStringLiteral("comment")).toString().isEmpty());
        if (variable.value(QStringLiteral("name")) == QLatin1String("TMAIL_DB_DRIVER"))
        {
            sawDriver = true;
            QCOMPARE(variable.value(QStringLiteral("group")).toString(), QStringLiteral("Database"));
            QCOMPARE(variable.value(QStringLiteral("value")).toString(), QStringLiteral("sqlite3"));
        }
        if (variable.value(QStringLiteral("name")) == QLatin1String("TMAIL_ME"))
            QCOMPARE(variable.value(QStringLiteral("value")).toString(), QStringLiteral("mx.test.local"));
    }
    QVERIFY(sawDriver);
}

void TestManager::configSetRejectsBadValueAndLeavesFileUnchanged()
{
    const QByteArray before = fileBytes(m_daemon.configPath());
    QVERIFY(!before.isEmpty());
    const QJsonObject response = m_client.call(Method::ConfigSet,
        { { QStringLiteral("values"),
            QJsonObject { { QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("many") } } } });
    QCOMPARE(errorCode(response), QStringLiteral("config_invalid"));
    QCOMPARE(errorField(response), QStringLiteral("TMAIL_SMTPD_MAX_HOPS"));
    QVERIFY(response.value(QStringLiteral("error"))
                .toObject()
                .value(QStringLiteral("message"))
                .toString()
                .contains(QLatin1String("many")));
    const QJsonObject unknown = m_client.call(Method::ConfigSet,
        { { QStringLiteral("values"), QJsonObject { { QStringLiteral("TMAIL_NOPE"), QStringLiteral("1") } } } });
    QCOMPARE(errorField(unknown), QStringLiteral("TMAIL_NOPE"));
    QCOMPARE(fileBytes(m_daemon.configPath()), before);
}

void TestManager::configSetRewritesOnlyTheChangedLine()
{
    const QList<QByteArray> before = fileBytes(m_daemon.configPath()).split('\n');
    const QJsonObject response = m_client.call(Method::ConfigSet,
        { { QStringLiteral("values"),
            QJsonObject { { QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("40") } } } });
    QVERIFY2(isOk(response),
        qPrintable(response.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString()));
    const QJsonObject result = response.value(QStringLiteral("result")).toObject();
    QCOMPARE(result.value(QStringLiteral("changed")).toArray(), QJsonArray { QStringLiteral("TMAIL_SMTPD_MAX_HOPS") });
    // TMAIL_SMTPD_MAX_HOPS applies live: the daemon reloaded the file (the in-process
    // fixture has no daemon to reload, so there it waits for a restart).
    const QJsonArray hops { QStringLiteral("TMAIL_SMTPD_MAX_HOPS") };
    QCOMPARE(result.value(QStringLiteral("live")).toArray(), m_daemon.inProcess() ? QJsonArray() : hops);
    QCOMPARE(result.value(QStringLiteral("restart")).toArray(), m_daemon.inProcess() ? hops : QJsonArray());
    QCOMPARE(result.value(QStringLiteral("failed")).toArray(), QJsonArray());
    const QList<QByteArray> after = fileBytes(m_daemon.configPath()).split('\n');
    QCOMPARE(after.size(), before.size());
    int differences = 0;
    for (qsizetype i = 0; i < before.size(); ++i)
    {
        if (before.at(i) != after.at(i))
        {
            ++differences;
            QCOMPARE(after.at(i), QByteArray("export TMAIL_SMTPD_MAX_HOPS=\"40\""));
        }
    }
    QCOMPARE(differences, 1);
    QFileInfo info(m_daemon.configPath());
    QVERIFY(ConfigFile::readValues(m_daemon.configPath()));
    const QJsonArray variables = m_client.call(Method::ConfigGet)
                                     .value(QStringLiteral("result"))
                                     .toObject()
                                     .value(QStringLiteral("variables"))
                                     .toArray();
    for (const QJsonValue &value : variables)
    {
        if (value.toObject().value(QStringLiteral("name")) == QLatin1String("TMAIL_SMTPD_MAX_HOPS"))
        {
            QCOMPARE(value.toObject().value(QStringLiteral("value")).toString(), QStringLiteral("40"));
            QVERIFY(value.toObject().value(QStringLiteral("live")).toBool());
            QCOMPARE(value.toObject().value(QStringLiteral("pendingRestart")).toBool(), m_daemon.inProcess());
            if (!m_daemon.inProcess())
                QCOMPARE(value.toObject().value(QStringLiteral("running")).toString(), QStringLiteral("40"));
        }
    }
}

void TestManager::configSetAppliesMaxRcptWithoutRestart()
{
    if (m_daemon.inProcess())
        QSKIP("applying settings live is the daemon's reload; the in-process fixture has none");
    QVERIFY(isOk(m_client.call(Method::RcptHostsAdd, { { QStringLiteral("domain"), QStringLiteral("live.test") } })));
    // A session opened before the change, with one accepted recipient (the domain reaches
    // smtpd within a second).
    QTcpSocket smtp;
    smtp.connectToHost(QHostAddress::LocalHost, m_daemon.smtpPort());
    QVERIFY(smtp.waitForConnected(5000));
    QVERIFY(smtpExchange(smtp, QByteArray()).startsWith("220 "));
    QVERIFY(smtpExchange(smtp, "EHLO client.test").startsWith("250"));
    QVERIFY(QTest::qWaitFor(
        [&smtp]() {
            smtpExchange(smtp, "RSET");
            return smtpExchange(smtp, "MAIL FROM:<a@client.test>").startsWith("250")
                && smtpExchange(smtp, "RCPT TO:<one@live.test>").startsWith("250");
        },
        10000));
    QVERIFY(smtpExchange(smtp, "RCPT TO:<two@live.test>").startsWith("250"));

    const QJsonObject response = m_client.call(Method::ConfigSet,
        { { QStringLiteral("values"),
            QJsonObject { { QStringLiteral("TMAIL_SMTPD_MAX_RCPT"), QStringLiteral("1") } } } });
    QVERIFY2(isOk(response),
        qPrintable(response.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString()));
    const QJsonObject result = response.value(QStringLiteral("result")).toObject();
    const QJsonArray maxRcpt { QStringLiteral("TMAIL_SMTPD_MAX_RCPT") };
    QCOMPARE(result.value(QStringLiteral("changed")).toArray(), maxRcpt);
    QCOMPARE(result.value(QStringLiteral("live")).toArray(), maxRcpt);
    QCOMPARE(result.value(QStringLiteral("restart")).toArray(), QJsonArray());
    QVERIFY(QTest::qWaitFor(
        [this]() {
            return fileBytes(m_daemon.environment().path(QStringLiteral("daemon.log")))
                .contains("config.set: TMAIL_SMTPD_MAX_RCPT changed from '0' to '1'; applied");
        },
        5000));

    // The transaction in progress keeps its limit; the next one, in the same session, has the new one.
    QVERIFY(smtpExchange(smtp, "RCPT TO:<three@live.test>").startsWith("250"));
    QVERIFY(smtpExchange(smtp, "RSET").startsWith("250"));
    QVERIFY(smtpExchange(smtp, "MAIL FROM:<a@client.test>").startsWith("250"));
    QVERIFY(smtpExchange(smtp, "RCPT TO:<one@live.test>").startsWith("250"));
    const QByteArray refused = smtpExchange(smtp, "RCPT TO:<two@live.test>");
    QVERIFY2(refused.startsWith("452 4.5.3"), refused.constData());
    QVERIFY(smtpExchange(smtp, "QUIT").startsWith("221"));

    // Back to no limit, applied as well.
    const QJsonObject restored = m_client.call(Method::ConfigSet,
        { { QStringLiteral("values"),
            QJsonObject { { QStringLiteral("TMAIL_SMTPD_MAX_RCPT"), QStringLiteral("0") } } } });
    QCOMPARE(restored.value(QStringLiteral("result")).toObject().value(QStringLiteral("live")).toArray(), maxRcpt);
    QVERIFY(
        isOk(m_client.call(Method::RcptHostsDelete, { { QStringLiteral("domain"), QStringLiteral("live.test") } })));
}

void TestManager::configSetReportsRestartOnlySettingAndLeavesItAlone()
{
    const QString runningDsns = QStringLiteral("127.0.0.1:%1:false").arg(m_daemon.smtpPort());
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 otherPort = probe.serverPort();
    probe.close();
    const QString otherDsns = QStringLiteral("127.0.0.1:%1:false").arg(otherPort);
    const QJsonObject response = m_client.call(Method::ConfigSet,
        { { QStringLiteral("values"), QJsonObject { { QStringLiteral("TMAIL_SMTPD_DSNS"), otherDsns } } } });
    QVERIFY(isOk(response));
    const QJsonObject result = response.value(QStringLiteral("result")).toObject();
    QCOMPARE(result.value(QStringLiteral("live")).toArray(), QJsonArray());
    QCOMPARE(result.value(QStringLiteral("restart")).toArray(), QJsonArray { QStringLiteral("TMAIL_SMTPD_DSNS") });

    // Still served where it started; nothing listens on the new address yet.
    QTcpSocket other;
    other.connectToHost(QHostAddress::LocalHost, otherPort);
    QVERIFY(!other.waitForConnected(1000));
    QTcpSocket smtp;
    smtp.connectToHost(QHostAddress::LocalHost, m_daemon.smtpPort());
    QVERIFY(smtp.waitForConnected(5000));
    QVERIFY(smtpExchange(smtp, QByteArray()).startsWith("220 "));
    const QJsonArray variables = m_client.call(Method::ConfigGet)
                                     .value(QStringLiteral("result"))
                                     .toObject()
                                     .value(QStringLiteral("variables"))
                                     .toArray();
    bool seen = false;
    for (const QJsonValue &value : variables)
    {
        const QJsonObject variable = value.toObject();
        if (variable.value(QStringLiteral("name")) != QLatin1String("TMAIL_SMTPD_DSNS"))
            continue;
        seen = true;
        QVERIFY(!variable.value(QStringLiteral("live")).toBool());
        QVERIFY(variable.value(QStringLiteral("pendingRestart")).toBool());
        QCOMPARE(variable.value(QStringLiteral("running")).toString(), runningDsns);
    }
    QVERIFY(seen);

    // Set back to what runs: nothing is left to restart for.
    const QJsonObject restored = m_client.call(Method::ConfigSet,
        { { QStringLiteral("values"), QJsonObject { { QStringLiteral("TMAIL_SMTPD_DSNS"), runningDsns } } } });
    QCOMPARE(
        restored.value(QStringLiteral("result")).toObject().value(QStringLiteral("restart")).toArray(), QJsonArray());
}

void TestManager::logSubscriptionReceivesSmtpSessionLines()
{
    ManagerTestClient client;
    QVERIFY(!client.handshake(m_daemon.socketPath()).isEmpty());
    const QJsonObject subscribed = client.call(Method::LogSubscribe, { { QStringLiteral("after"), 0 } });
    QVERIFY(isOk(subscribed));
    // The replay from the ring buffer holds the start-up lines.
    QVERIFY(!client
                 .waitForEvent(EventName::Log,
                     [](const QJsonObject &entry) {
                         return entry.value(QStringLiteral("message")).toString().contains(QLatin1String("launched"));
                     })
                 .isEmpty());

    QTcpSocket smtp;
    smtp.connectToHost(QHostAddress::LocalHost, m_daemon.smtpPort());
    QVERIFY(QTest::qWaitFor([&smtp]() { return smtp.canReadLine(); }, 10000));
    QVERIFY(smtp.readLine().startsWith("220 "));
    smtp.write("QUIT\r\n");
    QVERIFY(QTest::qWaitFor([&smtp]() { return smtp.canReadLine(); }, 10000));
    QVERIFY(smtp.readLine().startsWith("221"));

    const QJsonObject entry = client.waitForEvent(EventName::Log, [](const QJsonObject &candidate) {
        return candidate.value(QStringLiteral("message")).toString().contains(QLatin1String("new connection from"));
    });
    QVERIFY(!entry.isEmpty());
    QCOMPARE(entry.value(QStringLiteral("category")).toString(), QStringLiteral("tmail.smtpd"));
    QVERIFY(entry.value(QStringLiteral("line")).toString().contains(QLatin1String("INFO")));
    QVERIFY(entry.value(QStringLiteral("id")).toDouble() > 0);
}

void TestManager::countersFollowAcceptedAndDelivered()
{
    if (m_daemon.inProcess())
        QSKIP("the in-process fixture runs no deliverd");
    if (::geteuid() != 0)
        QSKIP("smtp-sink -u postfix needs root");
    TMAIL_REQUIRE_PEER(
        QFileInfo::exists(QStringLiteral("/usr/sbin/smtp-sink")), "Postfix's smtp-sink is not installed");
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 sinkPort = probe.serverPort();
    probe.close();
    QProcess sink;
    sink.start(QStringLiteral("/usr/sbin/smtp-sink"),
        { QStringLiteral("-u"), QStringLiteral("postfix"), QStringLiteral("127.0.0.1:%1").arg(sinkPort),
            QStringLiteral("10") });
    QVERIFY(sink.waitForStarted(5000));
    QCOMPARE(
        m_daemon.tmail({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("counted.test") }).exitCode,
        0);
    QCOMPARE(m_daemon
                 .tmail({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
                     QStringLiteral("counted.test"), QStringLiteral("-rh"), QStringLiteral("127.0.0.1"),
                     QStringLiteral("-rp"), QString::number(sinkPort) })
                 .exitCode,
        0);
    const auto counter = [this](const char *name) {
        const QJsonObject result = m_client.call(Method::Status).value(QStringLiteral("result")).toObject();
        return result.value(QStringLiteral("counters")).toObject().value(QLatin1String(name)).toInt();
    };
    const int acceptedBefore = counter("accepted");
    const int deliveredBefore = counter("delivered");
    QTest::qWait(1100); // the rcpthost reaches the running daemon within a second

    QTcpSocket smtp;
    smtp.connectToHost(QHostAddress::LocalHost, m_daemon.smtpPort());
    const auto expect = [&smtp](const QByteArray &command, const QByteArray &code) {
        if (!command.isEmpty())
            smtp.write(command + "\r\n");
        QByteArray line;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 10000)
        {
            if (!smtp.canReadLine() && !smtp.waitForReadyRead(200))
                continue;
            line = smtp.readLine();
            if (line.size() < 4 || line.at(3) != '-')
                break;
        }
        return line.startsWith(code);
    };
    QVERIFY(expect({}, "220"));
    QVERIFY(expect("HELO client.test", "250"));
    QVERIFY(expect("MAIL FROM:<a@client.test>", "250"));
    QVERIFY(expect("RCPT TO:<one@counted.test>", "250"));
    QVERIFY(expect("RCPT TO:<two@counted.test>", "250"));
    QVERIFY(expect("DATA", "354"));
    QVERIFY(expect("Subject: counted\r\n\r\nbody\r\n.", "250"));
    QVERIFY(expect("QUIT", "221"));

    QTRY_COMPARE_WITH_TIMEOUT(counter("accepted"), acceptedBefore + 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(counter("delivered"), deliveredBefore + 2, 15000);
    sink.kill();
    sink.waitForFinished(5000);
}

// The sum of one series of a stats.history result.
static qint64 historyTotal(const QJsonObject &history, const char *series)
{
    qint64 total = 0;
    for (const QJsonValue &value : history.value(QLatin1String(series)).toArray())
        total += qint64(value.toDouble());
    return total;
}

void TestManager::historyCountsEachMinuteOfTheDay()
{
    if (m_daemon.inProcess())
        QSKIP("the in-process fixture runs no deliverd");
    const auto history
        = [this]() { return m_client.call(Method::StatsHistory).value(QStringLiteral("result")).toObject(); };
    const QJsonObject before = history();
    // A whole day, one number per minute, the last being the minute going on.
    for (const char *series : { "accepted", "acceptedTls", "delivered", "deferred", "bounced", "refused",
             "deliverySessions", "deliverySessionsTls" })
        QCOMPARE(before.value(QLatin1String(series)).toArray().size(), 1440);
    QCOMPARE(before.value(QStringLiteral("intervalSeconds")).toInt(), 60);
    const qint64 start = qint64(before.value(QStringLiteral("start")).toDouble());
    QCOMPARE(start % 60000, 0);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(start + 1439 * 60000 <= now && now < start + 1441 * 60000, qPrintable(QString::number(now - start)));
    QCOMPARE(errorField(m_client.call(Method::StatsHistory, { { QStringLiteral("minutes"), 0 } })),
        QStringLiteral("minutes"));
    QCOMPARE(errorField(m_client.call(Method::StatsHistory, { { QStringLiteral("minutes"), 1441 } })),
        QStringLiteral("minutes"));
    const QJsonObject hour = m_client.call(Method::StatsHistory, { { QStringLiteral("minutes"), 60 } })
                                 .value(QStringLiteral("result"))
                                 .toObject();
    QCOMPARE(hour.value(QStringLiteral("accepted")).toArray().size(), 60);

    TestSmtpSink sink;
    QVERIFY(sink.listen(QHostAddress::LocalHost, 0));
    QCOMPARE(
        m_daemon.tmail({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("history.test") }).exitCode,
        0);
    QCOMPARE(m_daemon
                 .tmail({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"),
                     QStringLiteral("history.test"), QStringLiteral("-rh"), QStringLiteral("127.0.0.1"),
                     QStringLiteral("-rp"), QString::number(sink.serverPort()) })
                 .exitCode,
        0);
    QTest::qWait(1100); // the rcpthost reaches the running daemon within a second

    constexpr int Messages = 3;
    SmtpTestClient smtp;
    QVERIFY(smtp.connectTo(m_daemon.smtpPort()));
    QVERIFY(smtp.readReply().startsWith(QLatin1String("220")));
    QVERIFY(smtp.command(QStringLiteral("HELO client.test")).startsWith(QLatin1String("250")));
    // One refusal: a parameter after HELO (RFC 5321 §4.1.1.11 needs EHLO for them).
    QVERIFY(smtp.command(QStringLiteral("MAIL FROM:<a@client.test> SIZE=10")).startsWith(QLatin1String("555")));
    for (int i = 0; i < Messages; ++i)
    {
        QVERIFY(smtp.command(QStringLiteral("MAIL FROM:<a@client.test>")).startsWith(QLatin1String("250")));
        QVERIFY(smtp.command(QStringLiteral("RCPT TO:<r%1@history.test>").arg(i)).startsWith(QLatin1String("250")));
        QVERIFY(smtp.command(QStringLiteral("DATA")).startsWith(QLatin1String("354")));
        QVERIFY(smtp.command(QStringLiteral("Subject: history %1\r\n\r\nbody\r\n.").arg(i))
                    .startsWith(QLatin1String("250")));
    }
    smtp.command(QStringLiteral("QUIT"));
    QTRY_COMPARE_WITH_TIMEOUT(sink.messages.size(), Messages, 20000);

    // Counted in the minutes they happened (a minute may have turned meanwhile: the sums
    // over the day hold it all), plain text all along.
    QJsonObject after;
    QTRY_VERIFY_WITH_TIMEOUT(
        (after = history(), historyTotal(after, "delivered") >= historyTotal(before, "delivered") + Messages), 10000);
    QCOMPARE(historyTotal(after, "accepted"), historyTotal(before, "accepted") + Messages);
    QCOMPARE(historyTotal(after, "delivered"), historyTotal(before, "delivered") + Messages);
    QCOMPARE(historyTotal(after, "refused"), historyTotal(before, "refused") + 1);
    QCOMPARE(historyTotal(after, "acceptedTls"), historyTotal(before, "acceptedTls"));
    QVERIFY(historyTotal(after, "deliverySessions") > historyTotal(before, "deliverySessions"));
    QCOMPARE(historyTotal(after, "deliverySessionsTls"), historyTotal(before, "deliverySessionsTls"));
    const QJsonArray accepted = after.value(QStringLiteral("accepted")).toArray();
    QVERIFY(accepted.last().toInt() + accepted.at(accepted.size() - 2).toInt() >= Messages);

    // The minutes going on reach every client as "history" events, without asking.
    const QJsonObject event = m_client.waitForEvent(
        EventName::History, [](const QJsonObject &data) { return historyTotal(data, "accepted") >= Messages; });
    QVERIFY2(!event.isEmpty(), "no history event");
    QCOMPARE(event.value(QStringLiteral("accepted")).toArray().size(), 2);
}

void TestManager::queueDestinationsCountMessagesPerDomain()
{
    // Waiting an hour: deliverd leaves them alone while the test looks.
    QStringList ids;
    {
        const Expected<DbSource> source = DbSource::parse(
            QStringLiteral("sqlite3"), m_daemon.environment().path(QStringLiteral("db/tmail.db")), QString());
        QVERIFY(source);
        Expected<Database> db = Database::open(source.value(), QStringLiteral("test-destinations"));
        QVERIFY2(db, qPrintable(db.error()));
        QueueTable queue(db.value());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const auto recipient = [](const char *address, int status = QueuedRecipient::Pending) {
            return QueuedRecipient { QString::fromLatin1(address), status, QString(), 0, QString(), false };
        };
        const QList<QList<QueuedRecipient>> messages {
            { recipient("a@busy.test"), recipient("b@busy.test"), recipient("c@quiet.test") },
            { recipient("d@BUSY.test") },
            { recipient("e@busy.test"), recipient("f@done.test", QueuedRecipient::Delivered) },
            { recipient("g@quiet.test", QueuedRecipient::Failed), recipient("h@quiet.test") },
        };
        for (int i = 0; i < messages.size(); ++i)
        {
            QueuedMessage message;
            message.id = QueueTable::newId();
            message.clientIp = QStringLiteral("127.0.0.1");
            message.helo = QStringLiteral("client.test");
            message.sizeBytes = 100;
            message.storeKey = message.id.left(2) + QLatin1Char('/') + message.id;
            message.createdAtMs = now - (i == 3 ? 7200 : 60) * 1000;
            message.nextAttemptAtMs = now + 3600 * 1000;
            message.recipients = messages.at(i);
            QVERIFY(queue.enqueue({ message }));
            ids.append(message.id);
        }
    }
    const QJsonObject answer = m_client.call(Method::QueueDestinations);
    QVERIFY2(isOk(answer), QJsonDocument(answer).toJson().constData());
    QHash<QString, QJsonObject> byDomain;
    QStringList order;
    for (const QJsonValue &item : items(answer))
    {
        order.append(item.toObject().value(QStringLiteral("domain")).toString());
        byDomain.insert(order.last(), item.toObject());
    }
    QVERIFY(order.size() <= 10);
    // busy.test: three messages (four recipients, one written in capitals); quiet.test: two;
    // done.test's only recipient is delivered.
    QVERIFY2(order.indexOf(QStringLiteral("busy.test")) >= 0
            && order.indexOf(QStringLiteral("busy.test")) < order.indexOf(QStringLiteral("quiet.test")),
        qPrintable(order.join(QLatin1Char(' '))));
    QVERIFY(!order.contains(QStringLiteral("done.test")));
    QCOMPARE(byDomain.value(QStringLiteral("busy.test")).value(QStringLiteral("messages")).toInt(), 3);
    QCOMPARE(byDomain.value(QStringLiteral("busy.test")).value(QStringLiteral("recipients")).toInt(), 4);
    QCOMPARE(byDomain.value(QStringLiteral("quiet.test")).value(QStringLiteral("messages")).toInt(), 2);
    QCOMPARE(byDomain.value(QStringLiteral("quiet.test")).value(QStringLiteral("recipients")).toInt(), 2);
    const int quietAge = byDomain.value(QStringLiteral("quiet.test")).value(QStringLiteral("oldestAgeSeconds")).toInt();
    QVERIFY2(quietAge >= 7200 && quietAge < 7260, qPrintable(QString::number(quietAge)));
    const int busyAge = byDomain.value(QStringLiteral("busy.test")).value(QStringLiteral("oldestAgeSeconds")).toInt();
    QVERIFY2(busyAge >= 60 && busyAge < 120, qPrintable(QString::number(busyAge)));
    const QJsonObject one = m_client.call(Method::QueueDestinations, { { QStringLiteral("limit"), 1 } });
    QCOMPARE(items(one).size(), 1);
    QCOMPARE(errorField(m_client.call(Method::QueueDestinations, { { QStringLiteral("limit"), 0 } })),
        QStringLiteral("limit"));

    QVERIFY(isOk(m_client.call(Method::QueueDiscard, { { QStringLiteral("ids"), QJsonArray::fromStringList(ids) } })));
    for (const QJsonValue &item : items(m_client.call(Method::QueueDestinations)))
        QVERIFY(item.toObject().value(QStringLiteral("domain")).toString() != QLatin1String("quiet.test"));
}

void TestManager::nodesListShowsThisNode()
{
    if (m_daemon.inProcess())
        QSKIP("the in-process fixture runs no deliverd, which beats");
    QJsonArray nodes;
    QTRY_VERIFY_WITH_TIMEOUT((nodes = items(m_client.call(Method::NodesList)), !nodes.isEmpty()), 10000);
    const QJsonObject node = nodes.first().toObject();
    QVERIFY(!node.value(QStringLiteral("id")).toString().isEmpty());
    QCOMPARE(node.value(QStringLiteral("state")).toString(), QStringLiteral("running"));
    QVERIFY(node.value(QStringLiteral("lastBeatAgeSeconds")).toInt() < 30);
    QVERIFY(node.value(QStringLiteral("version")).toString().size() > 0);
    // The same rows as `tmail nodes`.
    const TmailRun listed = m_daemon.tmail({ QStringLiteral("nodes") });
    QCOMPARE(listed.exitCode, 0);
    QVERIFY2(listed.out.contains(node.value(QStringLiteral("id")).toString()), qPrintable(listed.out));
}

void TestManager::foreignUserIsStoppedBySocketMode()
{
    if (::geteuid() != 0)
        QSKIP("needs root to become another user");
    struct stat info = {};
    QCOMPARE(::stat(QFile::encodeName(m_daemon.socketPath()).constData(), &info), 0);
    QCOMPARE(int(info.st_mode & 0777), 0600);
    // Let 'nobody' reach the directory, so that only the socket's own mode stops it.
    const QByteArray directory = QFile::encodeName(QFileInfo(m_daemon.socketPath()).absolutePath());
    ::chmod(directory.constData(), 0755);
    const QByteArray path = QFile::encodeName(m_daemon.socketPath());
    const QByteArray hello = FrameCodec::encode(Hello().toJson());
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(foreignClient(path, hello));
    int status = 0;
    QVERIFY(QTest::qWaitFor([&]() { return ::waitpid(child, &status, WNOHANG) == child; }, 20000));
    ::chmod(directory.constData(), 0700);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), int(ConnectRefused));
}

void TestManager::foreignUserIsDeniedByPeerCredentials()
{
    if (::geteuid() != 0)
        QSKIP("needs root to become another user");
    // Open the file modes wide: the daemon must still check who connects.
    const QByteArray directory = QFile::encodeName(QFileInfo(m_daemon.socketPath()).absolutePath());
    const QByteArray path = QFile::encodeName(m_daemon.socketPath());
    ::chmod(directory.constData(), 0755);
    ::chmod(path.constData(), 0666);
    const QByteArray hello = FrameCodec::encode(Hello().toJson());
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(foreignClient(path, hello));
    int status = 0;
    QVERIFY(QTest::qWaitFor([&]() { return ::waitpid(child, &status, WNOHANG) == child; }, 20000));
    ::chmod(path.constData(), 0600);
    ::chmod(directory.constData(), 0700);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), int(ChildDenied));
    QVERIFY(isOk(m_client.call(Method::Status)));
}

QTEST_GUILESS_MAIN(TestManager)
#include "tst_manager.moc"
