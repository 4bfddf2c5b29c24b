// DaemonSync: hello, then one "sync" request, on a blocking QLocalSocket with a deadline.
#include "cli/daemonsync.h"

#include "manager/framecodec.h"
#include "manager/managerprotocol.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QLocalSocket>

#include <functional>

namespace DaemonSync {

namespace {

// The next frame for which accept() holds (others, such as events, are skipped); false
// when the deadline passes, the daemon closes or the stream breaks.
bool readUntil(QLocalSocket &socket, FrameCodec &codec, const QDeadlineTimer &deadline,
    const std::function<bool(const QJsonObject &)> &accept, QJsonObject *frame)
{
    for (;;)
    {
        QJsonObject next;
        const FrameCodec::Result result = codec.takeFrame(&next);
        if (result == FrameCodec::Result::TooLarge)
            return false;
        if (result == FrameCodec::Result::Frame && accept(next))
        {
            *frame = next;
            return true;
        }
        if (result != FrameCodec::Result::NeedMore)
            continue;
        if (deadline.hasExpired() || socket.state() != QLocalSocket::ConnectedState
            || !socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            return false;
        codec.feed(socket.readAll());
    }
}

} // namespace

bool run(const QString &socketName, const QString &change, int timeoutMs)
{
    using namespace ManagerProtocol;
    if (socketName.isEmpty())
        return false;
    const QDeadlineTimer deadline(timeoutMs);
    QLocalSocket socket;
    socket.connectToServer(socketName);
    if (!socket.waitForConnected(int(qMax<qint64>(1, deadline.remainingTime()))))
        return false;
    Hello hello;
    hello.software = QStringLiteral("tmail %1 (command line)").arg(QCoreApplication::applicationVersion());
    socket.write(FrameCodec::encode(hello.toJson()));
    FrameCodec codec;
    QJsonObject frame;
    const auto typeIs = [](const QString &type) {
        return [type](const QJsonObject &object) { return object.value(QStringLiteral("type")).toString() == type; };
    };
    const auto helloOrDenied = [](const QJsonObject &object) {
        const QString type = object.value(QStringLiteral("type")).toString();
        return type == Type::Hello || type == Type::Denied;
    };
    if (!readUntil(socket, codec, deadline, helloOrDenied, &frame) || !Hello::fromJson(frame))
        return false;
    Request request;
    request.id = 1;
    request.method = Method::Sync;
    request.params = QJsonObject { { QStringLiteral("change"), change } };
    socket.write(FrameCodec::encode(request.toJson()));
    if (!readUntil(socket, codec, deadline, typeIs(Type::Response), &frame))
        return false;
    const Expected<Response> response = Response::fromJson(frame);
    socket.disconnectFromServer();
    return response && response->ok;
}

} // namespace DaemonSync
