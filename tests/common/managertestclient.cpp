// See managertestclient.h.
#include "managertestclient.h"

#include "manager/managerprotocol.h"

#include <QTest>

using namespace ManagerProtocol;

ManagerTestClient::ManagerTestClient()
{
    connect(&m_socket, &QLocalSocket::readyRead, this, &ManagerTestClient::onReadyRead);
}

bool ManagerTestClient::connectTo(const QString &path)
{
    m_socket.connectToServer(path);
    return QTest::qWaitFor(
               [this]() {
                   return m_socket.state() == QLocalSocket::ConnectedState
                       || m_socket.state() == QLocalSocket::UnconnectedState;
               },
               5000)
        && isConnected();
}

QJsonObject ManagerTestClient::handshake(const QString &path)
{
    if (!connectTo(path))
        return {};
    Hello hello;
    hello.features = { Feature::Log, Feature::Events };
    hello.software = QStringLiteral("tst_manager");
    sendFrame(hello.toJson());
    return waitFor([](const QJsonObject &frame) {
        return frame.value(QStringLiteral("type")) == Type::Hello
            || frame.value(QStringLiteral("type")) == Type::Denied;
    });
}

void ManagerTestClient::sendRaw(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

QJsonObject ManagerTestClient::call(const QString &method, const QJsonObject &params)
{
    const qint64 id = m_nextId++;
    sendFrame(Request { id, method, params }.toJson());
    return waitFor([id](const QJsonObject &frame) {
        return frame.value(QStringLiteral("type")) == Type::Response
            && frame.value(QStringLiteral("id")).toDouble(-1) == double(id);
    });
}

QJsonObject ManagerTestClient::waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs)
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
            return false;
        },
        timeoutMs);
    return found;
}

QJsonObject ManagerTestClient::waitForEvent(
    const QString &name, const std::function<bool(const QJsonObject &)> &match, int timeoutMs)
{
    const QJsonObject frame = waitFor(
        [&](const QJsonObject &candidate) {
            return candidate.value(QStringLiteral("type")) == Type::Event
                && candidate.value(QStringLiteral("name")) == name
                && (!match || match(candidate.value(QStringLiteral("data")).toObject()));
        },
        timeoutMs);
    return frame.value(QStringLiteral("data")).toObject();
}

bool ManagerTestClient::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this]() { return m_socket.state() == QLocalSocket::UnconnectedState; }, timeoutMs);
}

void ManagerTestClient::onReadyRead()
{
    m_codec.feed(m_socket.readAll());
    for (;;)
    {
        QJsonObject frame;
        const FrameCodec::Result result = m_codec.takeFrame(&frame);
        if (result == FrameCodec::Result::NeedMore || result == FrameCodec::Result::TooLarge)
            return;
        if (result == FrameCodec::Result::Frame)
            m_frames.append(frame);
    }
}
