// The remote manager as an administrator's desktop reaches it: a TLS client on a TCP port
// of the real daemon, administrators made with `tmail admin add`, every role's limits.
#include "managertestclient.h"
#include "managertestdaemon.h"
#include "testpeers.h"
#include "tmailprocess.h"

#include "manager/framecodec.h"
#include "manager/managerprotocol.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTcpSocket>
#include <QtTest>

using namespace ManagerProtocol;

namespace {

// A tmail-manager over TLS, reduced to what the tests need; waits are bounded.
class RemoteClient : public QObject
{
public:
    RemoteClient()
    {
        connect(&m_socket, &QIODevice::readyRead, this, [this]() {
            m_codec.feed(m_socket.readAll());
            for (int i = 0; i < 1000; ++i)
            {
                QJsonObject frame;
                const FrameCodec::Result result = m_codec.takeFrame(&frame);
                if (result != FrameCodec::Result::Frame)
                    break;
                m_frames.append(frame);
            }
        });
    }

    // TLS to 127.0.0.1:port from sourceAddress (another loopback address keeps a ban apart).
    bool connectTo(quint16 port, const QHostAddress &sourceAddress = QHostAddress(QStringLiteral("127.0.0.1")))
    {
        m_socket.setPeerVerifyMode(QSslSocket::VerifyNone); // a test certificate; the GUI pins it
        if (!m_socket.bind(sourceAddress, 0))
            return false;
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        return QTest::qWaitFor(
                   [this]() { return m_socket.isEncrypted() || m_socket.state() == QAbstractSocket::UnconnectedState; },
                   10000)
            && m_socket.isEncrypted();
    }

    QJsonObject hello()
    {
        Hello hello;
        hello.software = QStringLiteral("tst_remote");
        m_socket.write(FrameCodec::encode(hello.toJson()));
        return waitFor([](const QJsonObject &frame) {
            return frame.value(QStringLiteral("type")) == Type::Hello
                || frame.value(QStringLiteral("type")) == Type::Denied;
        });
    }

    QJsonObject call(const QString &method, const QJsonObject &params = {}, int timeoutMs = 15000)
    {
        const qint64 id = m_nextId++;
        m_socket.write(FrameCodec::encode(Request { id, method, params }.toJson()));
        return waitFor(
            [id](const QJsonObject &frame) {
                return frame.value(QStringLiteral("type")) == Type::Response
                    && frame.value(QStringLiteral("id")).toDouble(-1) == double(id);
            },
            timeoutMs);
    }

    QJsonObject login(const QString &user, const QString &password)
    {
        return call(Method::Login, { { QStringLiteral("user"), user }, { QStringLiteral("password"), password } });
    }

    bool waitForDisconnected(int timeoutMs)
    {
        return QTest::qWaitFor([this]() { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    }

    QSslSocket &socket() { return m_socket; }

private:
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs = 15000)
    {
        QJsonObject found;
        [[maybe_unused]] const bool matched = QTest::qWaitFor(
            [&]() {
                for (qsizetype i = 0; i < m_frames.size(); ++i)
                {
                    if (match(m_frames.at(i)))
                    {
                        found = m_frames.takeAt(i);
                        return true;
                    }
                }
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
        return found;
    }

    QSslSocket m_socket;
    FrameCodec m_codec;
    QList<QJsonObject> m_frames;
    qint64 m_nextId = 1;
};

QString errorCode(const QJsonObject &response)
{
    return response.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

bool isOk(const QJsonObject &response)
{
    return response.value(QStringLiteral("ok")).toBool();
}

QByteArray describe(const QJsonObject &response)
{
    return QJsonDocument(response).toJson(QJsonDocument::Compact);
}

} // namespace

class TestRemote : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void plainTcpClientGetsNothingUsable();
    void requestsBeforeLoginAreRefused();
    void wrongPasswordIsSlowedThenBanned();
    void viewerCannotChangeAnything();
    void operatorCannotChangeTheConfiguration();
    void adminCanDoEverything();
    void onlyAnAdminManagesAdministrators();
    void localSocketNeedsNoAccount();
    void slowHandshakeIsDropped();
    void daemonRefusesAnUnusableCertificate();

private:
    // A client logged in as name (password "NAME password").
    std::unique_ptr<RemoteClient> loggedIn(const QString &name);
    QString daemonLog() const;

    ManagerTestDaemon m_daemon;
    quint16 m_port = 0;
};

void TestRemote::initTestCase()
{
    m_port = freeLoopbackPort();
    m_daemon.setSetting(QStringLiteral("TMAIL_MANAGER_LISTEN"), QStringLiteral("127.0.0.1:%1").arg(m_port));
    m_daemon.setSetting(QStringLiteral("TMAIL_SMTPD_AUTH_MAX_FAILURES"), QStringLiteral("3"));
    QString error;
    QVERIFY2(m_daemon.start(&error), qPrintable(error));
    for (const char *role : { "viewer", "operator", "admin" })
    {
        const QString name = QStringLiteral("the-%1").arg(QLatin1String(role));
        const TmailRun run = m_daemon.environment().run(
            { QStringLiteral("admin"), QStringLiteral("add"), name, QStringLiteral("--role"), QLatin1String(role),
                QStringLiteral("--password-stdin") },
            (name + QStringLiteral(" password\n")).toUtf8());
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    }
}

void TestRemote::cleanupTestCase()
{
    m_daemon.stop();
}

QString TestRemote::daemonLog() const
{
    QFile file(const_cast<ManagerTestDaemon &>(m_daemon).environment().path(QStringLiteral("daemon.log")));
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(file.readAll());
}

std::unique_ptr<RemoteClient> TestRemote::loggedIn(const QString &name)
{
    auto client = std::make_unique<RemoteClient>();
    if (!client->connectTo(m_port))
        return nullptr;
    const QJsonObject hello = client->hello();
    if (hello.value(QStringLiteral("type")) != Type::Hello
        || !hello.value(QStringLiteral("features")).toArray().contains(Feature::Login))
        return nullptr;
    const QJsonObject login = client->login(name, name + QStringLiteral(" password"));
    if (!isOk(login))
    {
        qWarning() << "login failed:" << describe(login);
        return nullptr;
    }
    return client;
}

void TestRemote::plainTcpClientGetsNothingUsable()
{
    // A manager hello in clear text: the daemon speaks TLS only, and closes.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(5000));
    Hello hello;
    socket.write(FrameCodec::encode(hello.toJson()));
    QByteArray received;
    QVERIFY(QTest::qWaitFor(
        [&]() {
            received += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        8000));
    received += socket.readAll();
    QVERIFY2(!received.contains("tmail"), received.toHex().constData());
    FrameCodec codec;
    codec.feed(received);
    QJsonObject frame;
    QVERIFY(codec.takeFrame(&frame) != FrameCodec::Result::Frame);
}

void TestRemote::requestsBeforeLoginAreRefused()
{
    RemoteClient client;
    QVERIFY(client.connectTo(m_port));
    QVERIFY(client.socket().sessionProtocol() >= QSsl::TlsV1_2);
    const QJsonObject hello = client.hello();
    QCOMPARE(hello.value(QStringLiteral("type")).toString(), Type::Hello);
    for (const QString &method : { Method::Status, Method::RcptHostsList, Method::ConfigGet, Method::RcptHostsAdd })
    {
        const QJsonObject response = client.call(method, { { QStringLiteral("domain"), QStringLiteral("x.test") } });
        QVERIFY2(errorCode(response) == QLatin1String("authentication_required"), describe(response));
    }
    // Bad parameters are refused without counting as a failure.
    QJsonObject response = client.call(Method::Login, { { QStringLiteral("user"), 7 } });
    QVERIFY2(errorCode(response) == QLatin1String("invalid_param"), describe(response));
    response = client.login(QStringLiteral("the-viewer"), QStringLiteral("the-viewer password"));
    QVERIFY2(isOk(response), describe(response));
    QCOMPARE(response.value(QStringLiteral("result")).toObject().value(QStringLiteral("role")).toString(),
        QStringLiteral("viewer"));
    QVERIFY2(isOk(client.call(Method::Status)), "status after login");
}

void TestRemote::wrongPasswordIsSlowedThenBanned()
{
    // From 127.0.0.7, so that the ban leaves the other tests' 127.0.0.1 alone.
    const QHostAddress source(QStringLiteral("127.0.0.7"));
    RemoteClient client;
    QVERIFY(client.connectTo(m_port, source));
    QCOMPARE(client.hello().value(QStringLiteral("type")).toString(), Type::Hello);
    QElapsedTimer timer;
    timer.start();
    QJsonObject response = client.login(QStringLiteral("the-admin"), QStringLiteral("wrong one"));
    const qint64 first = timer.restart();
    QVERIFY2(errorCode(response) == QLatin1String("authentication_failed"), describe(response));
    response = client.login(QStringLiteral("nobody"), QStringLiteral("the-admin password"));
    const qint64 second = timer.restart();
    QVERIFY2(errorCode(response) == QLatin1String("authentication_failed"), describe(response));
    // 250 ms, then 500 ms, on top of the hash.
    QVERIFY2(first >= 240, qPrintable(QString::number(first)));
    QVERIFY2(second >= 490, qPrintable(QStringLiteral("%1 then %2").arg(first).arg(second)));
    // The third failure reaches TMAIL_SMTPD_AUTH_MAX_FAILURES: refused, link closed.
    response = client.login(QStringLiteral("the-admin"), QStringLiteral("wrong again"));
    QVERIFY2(errorCode(response) == QLatin1String("too_many_failures"), describe(response));
    QVERIFY(client.waitForDisconnected(5000));

    // Even the right password is refused from that address now, at once.
    RemoteClient again;
    QVERIFY(again.connectTo(m_port, source));
    QCOMPARE(again.hello().value(QStringLiteral("type")).toString(), Type::Hello);
    timer.restart();
    response = again.login(QStringLiteral("the-admin"), QStringLiteral("the-admin password"));
    QVERIFY2(errorCode(response) == QLatin1String("too_many_failures"), describe(response));
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(again.waitForDisconnected(5000));

    // Another address is not concerned.
    QVERIFY(loggedIn(QStringLiteral("the-admin")));
    const QString log = daemonLog();
    QVERIFY2(log.contains(QLatin1String("failed login from 127.0.0.7; the address is now refused")), qPrintable(log));
    QVERIFY2(!log.contains(QLatin1String("wrong again")), "a password in the log");
}

void TestRemote::viewerCannotChangeAnything()
{
    std::unique_ptr<RemoteClient> viewer = loggedIn(QStringLiteral("the-viewer"));
    QVERIFY(viewer);
    const QJsonObject before = viewer->call(Method::RcptHostsList);
    QVERIFY2(isOk(before), describe(before));
    int refused = 0;
    for (const QString &method : Method::all())
    {
        if (Method::requiredRole(method) == AdminValues::AdminRole::Viewer)
            continue;
        // Parameters that would be valid, so that only the role stands in the way.
        const QJsonObject params { { QStringLiteral("domain"), QStringLiteral("viewer.test") },
            { QStringLiteral("login"), QStringLiteral("v@viewer.test") },
            { QStringLiteral("password"), QStringLiteral("pw-viewer-1") },
            { QStringLiteral("range"), QStringLiteral("192.0.2.1") }, { QStringLiteral("all"), true },
            { QStringLiteral("values"),
                QJsonObject { { QStringLiteral("TMAIL_DEBUG_ENABLED"), QStringLiteral("true") } } } };
        const QJsonObject response = viewer->call(method, params);
        QVERIFY2(errorCode(response) == QLatin1String("permission_denied"),
            qPrintable(method + QLatin1Char(' ') + QString::fromUtf8(describe(response))));
        ++refused;
    }
    QVERIFY(refused >= 18);
    // What it may do: read.
    for (const QString &method : { Method::Status, Method::ConfigGet, Method::UsersList, Method::RoutesList,
             Method::QueueList, Method::DkimList, Method::StatsHistory, Method::QueueDestinations, Method::NodesList })
    {
        const QJsonObject response = viewer->call(method);
        QVERIFY2(isOk(response), qPrintable(method + QLatin1Char(' ') + QString::fromUtf8(describe(response))));
    }
    const QJsonObject after = viewer->call(Method::RcptHostsList);
    QCOMPARE(after.value(QStringLiteral("result")), before.value(QStringLiteral("result")));
    QVERIFY(!daemonLog().contains(QLatin1String("change from administrator the-viewer")));
}

void TestRemote::operatorCannotChangeTheConfiguration()
{
    std::unique_ptr<RemoteClient> op = loggedIn(QStringLiteral("the-operator"));
    QVERIFY(op);
    QJsonObject response = op->call(Method::ConfigSet,
        { { QStringLiteral("values"),
            QJsonObject { { QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("40") } } } });
    QVERIFY2(errorCode(response) == QLatin1String("permission_denied"), describe(response));
    QFile config(m_daemon.configPath());
    QVERIFY(config.open(QIODevice::ReadOnly));
    QVERIFY(!config.readAll().contains("TMAIL_SMTPD_MAX_HOPS=\"40\""));

    // What an operator is for: the tables and the queue.
    response = op->call(Method::RcptHostsAdd, { { QStringLiteral("domain"), QStringLiteral("operator.test") } });
    QVERIFY2(isOk(response), describe(response));
    response = op->call(Method::QueueRetry, { { QStringLiteral("all"), true } });
    QVERIFY2(isOk(response), describe(response));
    QVERIFY(QTest::qWaitFor(
        [this]() {
            return daemonLog().contains(QLatin1String("change from administrator the-operator (manager client"));
        },
        5000));
    QVERIFY2(daemonLog().contains(QLatin1String("rcpthosts.add operator.test")), qPrintable(daemonLog()));
}

void TestRemote::adminCanDoEverything()
{
    std::unique_ptr<RemoteClient> admin = loggedIn(QStringLiteral("the-admin"));
    QVERIFY(admin);
    QJsonObject response = admin->call(Method::ConfigSet,
        { { QStringLiteral("values"),
            QJsonObject { { QStringLiteral("TMAIL_SMTPD_MAX_HOPS"), QStringLiteral("40") } } } });
    QVERIFY2(isOk(response), describe(response));
    QFile config(m_daemon.configPath());
    QVERIFY(config.open(QIODevice::ReadOnly));
    QVERIFY(config.readAll().contains("TMAIL_SMTPD_MAX_HOPS=\"40\""));
    response = admin->call(Method::RcptHostsAdd, { { QStringLiteral("domain"), QStringLiteral("admin.test") } });
    QVERIFY2(isOk(response), describe(response));
    response = admin->call(Method::RcptHostsDelete, { { QStringLiteral("domain"), QStringLiteral("admin.test") } });
    QVERIFY2(isOk(response), describe(response));
    response = admin->call(Method::UsersAdd,
        { { QStringLiteral("login"), QStringLiteral("u@admin.test") },
            { QStringLiteral("password"), QStringLiteral("pw-admin-user") } });
    QVERIFY2(isOk(response), describe(response));
    QVERIFY(QTest::qWaitFor(
        [this]() { return daemonLog().contains(QLatin1String("(administrator the-admin (manager client")); }, 5000));
    QVERIFY2(!daemonLog().contains(QLatin1String("pw-admin-user")), "a password in the log");
    // Logging in twice is refused.
    response = admin->login(QStringLiteral("the-admin"), QStringLiteral("the-admin password"));
    QVERIFY2(errorCode(response) == QLatin1String("bad_request"), describe(response));
}

// The administrators, as `tmail admin` manages them, through the link: the role admin only,
// every value checked before anything changes, and never a password in the log.
void TestRemote::onlyAnAdminManagesAdministrators()
{
    std::unique_ptr<RemoteClient> admin = loggedIn(QStringLiteral("the-admin"));
    QVERIFY(admin);
    const QJsonObject before = admin->call(Method::AdminsList);
    QVERIFY2(isOk(before), describe(before));
    QStringList listed;
    for (const QJsonValue &item :
        before.value(QStringLiteral("result")).toObject().value(QStringLiteral("items")).toArray())
    {
        const QJsonObject row = item.toObject();
        listed.append(row.value(QStringLiteral("name")).toString() + QLatin1Char(':')
            + row.value(QStringLiteral("role")).toString());
        // The list never carries a password or its hash.
        QVERIFY2(
            !row.contains(QStringLiteral("password")) && !row.contains(QStringLiteral("passwordHash")), describe(row));
    }
    QVERIFY2(listed.contains(QStringLiteral("the-viewer:viewer"))
            && listed.contains(QStringLiteral("the-operator:operator"))
            && listed.contains(QStringLiteral("the-admin:admin")),
        qPrintable(listed.join(QLatin1Char(' '))));

    const QJsonObject newcomer { { QStringLiteral("name"), QStringLiteral("newcomer") },
        { QStringLiteral("role"), QStringLiteral("operator") },
        { QStringLiteral("password"), QStringLiteral("first secret 1") } };
    // A viewer and an operator: refused with the role error, whatever they ask.
    for (const char *role : { "the-viewer", "the-operator" })
    {
        std::unique_ptr<RemoteClient> client = loggedIn(QLatin1String(role));
        QVERIFY(client);
        for (const QString &method :
            { Method::AdminsList, Method::AdminsAdd, Method::AdminsSetPassword, Method::AdminsDelete })
        {
            const QJsonObject response = client->call(method,
                method == Method::AdminsDelete ? QJsonObject { { QStringLiteral("name"), QStringLiteral("the-admin") } }
                                               : newcomer);
            QVERIFY2(errorCode(response) == QLatin1String("permission_denied"),
                qPrintable(QLatin1String(role) + QLatin1Char(' ') + method + QLatin1Char(' ')
                    + QString::fromUtf8(describe(response))));
            QVERIFY2(response.value(QStringLiteral("error"))
                         .toObject()
                         .value(QStringLiteral("message"))
                         .toString()
                         .contains(QLatin1String("needs the role admin")),
                describe(response));
        }
    }
    QCOMPARE(admin->call(Method::AdminsList).value(QStringLiteral("result")), before.value(QStringLiteral("result")));

    // Bad input: a clear error naming the field, and nothing changes.
    const auto with = [&newcomer](const QString &key, const QJsonValue &value) {
        QJsonObject params = newcomer;
        if (value.isUndefined())
            params.remove(key);
        else
            params.insert(key, value);
        return params;
    };
    struct BadCase
    {
        QString method;
        QJsonObject params;
        QString field;
        QString says;
    };
    const QList<BadCase> bad = {
        { Method::AdminsAdd, with(QStringLiteral("name"), QString()), QStringLiteral("name"),
            QStringLiteral("must not be empty") },
        { Method::AdminsAdd, with(QStringLiteral("name"), QStringLiteral("Bad Name!")), QStringLiteral("name"),
            QStringLiteral("is not a name") },
        { Method::AdminsAdd, with(QStringLiteral("name"), QJsonValue()), QStringLiteral("name"),
            QStringLiteral("is missing") },
        { Method::AdminsAdd, with(QStringLiteral("role"), QStringLiteral("boss")), QStringLiteral("role"),
            QStringLiteral("is not a role") },
        { Method::AdminsAdd, with(QStringLiteral("role"), QJsonValue(QJsonValue::Undefined)), QStringLiteral("role"),
            QStringLiteral("is missing") },
        { Method::AdminsAdd, with(QStringLiteral("password"), QStringLiteral("short")), QStringLiteral("password"),
            QStringLiteral("at least 8") },
        { Method::AdminsAdd, with(QStringLiteral("password"), 12345678), QStringLiteral("password"),
            QStringLiteral("must be a string") },
        { Method::AdminsSetPassword,
            { { QStringLiteral("name"), QStringLiteral("the-viewer") }, { QStringLiteral("password"), QString() } },
            QStringLiteral("password"), QStringLiteral("at least 8") },
        { Method::AdminsDelete, { { QStringLiteral("name"), QString() } }, QStringLiteral("name"),
            QStringLiteral("must not be empty") },
    };
    for (const BadCase &test : bad)
    {
        const QJsonObject response = admin->call(test.method, test.params);
        const QJsonObject error = response.value(QStringLiteral("error")).toObject();
        QVERIFY2(errorCode(response) == QLatin1String("invalid_param")
                && error.value(QStringLiteral("field")).toString() == test.field
                && error.value(QStringLiteral("message")).toString().contains(test.says),
            qPrintable(test.method + QLatin1Char(' ') + QString::fromUtf8(describe(test.params)) + QStringLiteral(" → ")
                + QString::fromUtf8(describe(response))));
    }
    QJsonObject response = admin->call(Method::AdminsDelete, { { QStringLiteral("name"), QStringLiteral("nobody") } });
    QVERIFY2(errorCode(response) == QLatin1String("not_found"), describe(response));
    QCOMPARE(admin->call(Method::AdminsList).value(QStringLiteral("result")), before.value(QStringLiteral("result")));

    // An admin adds one, who logs in with that role; a second add of the name is refused.
    response = admin->call(Method::AdminsAdd, newcomer);
    QVERIFY2(isOk(response), describe(response));
    response = admin->call(Method::AdminsAdd, newcomer);
    QVERIFY2(errorCode(response) == QLatin1String("already_exists"), describe(response));
    const TmailRun list = m_daemon.environment().run({ QStringLiteral("admin"), QStringLiteral("list") });
    QVERIFY2(list.out.contains(QRegularExpression(QStringLiteral("newcomer +operator"))), qPrintable(list.out));
    {
        RemoteClient newcomerClient;
        QVERIFY(newcomerClient.connectTo(m_port));
        QCOMPARE(newcomerClient.hello().value(QStringLiteral("type")).toString(), Type::Hello);
        response = newcomerClient.login(QStringLiteral("newcomer"), QStringLiteral("first secret 1"));
        QVERIFY2(isOk(response), describe(response));
        QCOMPARE(response.value(QStringLiteral("result")).toObject().value(QStringLiteral("role")).toString(),
            QStringLiteral("operator"));
    }
    // A new password, then the first no longer opens (from an address of its own, whose
    // failure slows no one else).
    response = admin->call(Method::AdminsSetPassword,
        { { QStringLiteral("name"), QStringLiteral("newcomer") },
            { QStringLiteral("password"), QStringLiteral("second secret 2") } });
    QVERIFY2(isOk(response), describe(response));
    {
        RemoteClient again;
        QVERIFY(again.connectTo(m_port, QHostAddress(QStringLiteral("127.0.0.9"))));
        QCOMPARE(again.hello().value(QStringLiteral("type")).toString(), Type::Hello);
        response = again.login(QStringLiteral("newcomer"), QStringLiteral("first secret 1"));
        QVERIFY2(errorCode(response) == QLatin1String("authentication_failed"), describe(response));
    }
    {
        RemoteClient again;
        QVERIFY(again.connectTo(m_port));
        QCOMPARE(again.hello().value(QStringLiteral("type")).toString(), Type::Hello);
        response = again.login(QStringLiteral("newcomer"), QStringLiteral("second secret 2"));
        QVERIFY2(isOk(response), describe(response));
    }
    response = admin->call(Method::AdminsDelete, { { QStringLiteral("name"), QStringLiteral("newcomer") } });
    QVERIFY2(isOk(response), describe(response));
    QCOMPARE(admin->call(Method::AdminsList).value(QStringLiteral("result")), before.value(QStringLiteral("result")));

    // Each change is logged with who made it; no password ever is.
    QVERIFY(QTest::qWaitFor([this]() { return daemonLog().contains(QLatin1String("admins.delete newcomer")); }, 5000));
    const QString log = daemonLog();
    QVERIFY2(
        log.contains(QRegularExpression(QStringLiteral("change from administrator the-admin .*admins.add newcomer"))),
        qPrintable(log));
    QVERIFY2(log.contains(QLatin1String("admins.setPassword newcomer")), qPrintable(log));
    for (const char *secret : { "first secret 1", "second secret 2" })
        QVERIFY2(!log.contains(QLatin1String(secret)), "a password in the log");
}

void TestRemote::localSocketNeedsNoAccount()
{
    ManagerTestClient local;
    const QJsonObject hello = local.handshake(m_daemon.socketPath());
    QCOMPARE(hello.value(QStringLiteral("type")).toString(), Type::Hello);
    QVERIFY(!hello.value(QStringLiteral("features")).toArray().contains(Feature::Login));
    QJsonObject response
        = local.call(Method::RcptHostsAdd, { { QStringLiteral("domain"), QStringLiteral("local.test") } });
    QVERIFY2(isOk(response), describe(response));
    response = local.call(Method::ConfigGet);
    QVERIFY2(isOk(response), describe(response));
}

void TestRemote::slowHandshakeIsDropped()
{
    // Connect and send nothing: no TLS hello. A second client finishes TLS but never says
    // the manager hello. Both are dropped after 10 s.
    QTcpSocket silent;
    silent.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(silent.waitForConnected(5000));
    RemoteClient noHello;
    QVERIFY(noHello.connectTo(m_port));
    QElapsedTimer timer;
    timer.start();
    QVERIFY(QTest::qWaitFor([&]() { return silent.state() == QAbstractSocket::UnconnectedState; }, 20000));
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(elapsed >= 8000 && elapsed <= 13000, qPrintable(QString::number(elapsed)));
    QVERIFY(noHello.waitForDisconnected(3000));
    QVERIFY2(daemonLog().contains(QLatin1String("no TLS handshake within 10 s")), qPrintable(daemonLog()));
}

void TestRemote::daemonRefusesAnUnusableCertificate()
{
    TmailEnvironment env;
    QVERIFY(env.isValid());
    const quint16 port = freeLoopbackPort();
    env.set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(freeLoopbackPort()));
    env.set(QStringLiteral("TMAIL_MANAGER_SOCKET"), env.path(QStringLiteral("m.sock")));
    QCOMPARE(env.run({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    env.set(QStringLiteral("TMAIL_MANAGER_LISTEN"), QStringLiteral("127.0.0.1:%1").arg(port));
    QFile notPem(env.path(QStringLiteral("ssl/manager.crt")));
    QVERIFY(notPem.open(QIODevice::WriteOnly));
    notPem.write("not a certificate\n");
    notPem.close();
    env.set(QStringLiteral("TMAIL_MANAGER_TLS_CERT"), notPem.fileName());
    env.set(QStringLiteral("TMAIL_MANAGER_TLS_KEY"), env.path(QStringLiteral("ssl/server.key")));
    TmailRun run = env.run({});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("TMAIL_MANAGER_TLS_CERT")), qPrintable(run.err + run.out));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(!socket.waitForConnected(1000));

    // Only one of the pair: refused too.
    env.environment().remove(QStringLiteral("TMAIL_MANAGER_TLS_KEY"));
    env.set(QStringLiteral("TMAIL_MANAGER_TLS_CERT"), env.path(QStringLiteral("ssl/server.crt")));
    run = env.run({});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QLatin1String("TMAIL_MANAGER_TLS_KEY")), qPrintable(run.err + run.out));
}

QTEST_MAIN(TestRemote)
#include "tst_remote.moc"
