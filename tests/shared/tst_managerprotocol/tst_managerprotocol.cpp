// Round trips of every manager message and the frame codec's handling of split,
// oversized and malformed frames.
#include "manager/framecodec.h"
#include "manager/managerprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QtEndian>

using namespace ManagerProtocol;

class TestManagerProtocol : public QObject
{
    Q_OBJECT
private slots:
    void helloRoundTrips();
    void helloWithoutVersionIsRefused();
    void deniedRoundTrips();
    void requestRoundTrips();
    void requestNeedsIdAndMethod();
    void successResponseRoundTrips();
    void failureResponseRoundTripsEveryCode();
    void eventRoundTrips();
    void pingRoundTrips();
    void frameRoundTripsThroughTheCodec();
    void framesSplitAcrossReadsAreReassembled();
    void severalFramesInOneRead();
    void oversizedFrameIsRefusedBeforeBuffering();
    void malformedFrameIsSkippedAndTheStreamGoesOn();
    void nonObjectJsonIsMalformed();
    void lengthPrefixIsBigEndian();
};

void TestManagerProtocol::helloRoundTrips()
{
    Hello hello;
    hello.features = { Feature::Log, Feature::Events };
    hello.software = QStringLiteral("tmail-manager 0.1.0");
    const Expected<Hello> back = Hello::fromJson(hello.toJson());
    QVERIFY(back);
    QCOMPARE(back->magic, Magic);
    QCOMPARE(back->version, Version);
    QCOMPARE(back->features, hello.features);
    QCOMPARE(back->software, hello.software);
}

void TestManagerProtocol::helloWithoutVersionIsRefused()
{
    QJsonObject object = Hello().toJson();
    object.remove(QStringLiteral("version"));
    QVERIFY(!Hello::fromJson(object));
    QVERIFY(!Hello::fromJson(Request().toJson()));
}

void TestManagerProtocol::deniedRoundTrips()
{
    const Expected<Denied> back
        = Denied::fromJson(Denied { QStringLiteral("only uid 0"), QStringLiteral("uid") }.toJson());
    QVERIFY(back);
    QCOMPARE(back->code, QStringLiteral("uid"));
    QCOMPARE(back->reason, QStringLiteral("only uid 0"));
}

void TestManagerProtocol::requestRoundTrips()
{
    Request request;
    request.id = 42;
    request.method = Method::RcptHostsAdd;
    request.params = { { QStringLiteral("domain"), QStringLiteral("example.org") } };
    const Expected<Request> back = Request::fromJson(request.toJson());
    QVERIFY(back);
    QCOMPARE(back->id, 42);
    QCOMPARE(back->method, Method::RcptHostsAdd);
    QCOMPARE(back->params, request.params);
}

void TestManagerProtocol::requestNeedsIdAndMethod()
{
    QJsonObject object = Request { 7, Method::Status, {} }.toJson();
    object.remove(QStringLiteral("id"));
    QVERIFY(!Request::fromJson(object));
    object = Request { 7, Method::Status, {} }.toJson();
    object.insert(QStringLiteral("id"), 1.5);
    QVERIFY(!Request::fromJson(object));
    object = Request { 7, QString(), {} }.toJson();
    QVERIFY(!Request::fromJson(object));
    object = Request { 7, Method::Status, {} }.toJson();
    object.insert(QStringLiteral("params"), QJsonArray { 1, 2 });
    QVERIFY(!Request::fromJson(object));
}

void TestManagerProtocol::successResponseRoundTrips()
{
    const QJsonObject result { { QStringLiteral("items"), QJsonArray { QStringLiteral("a") } } };
    const Expected<Response> back = Response::fromJson(Response::success(9, result).toJson());
    QVERIFY(back);
    QVERIFY(back->ok);
    QCOMPARE(back->id.value_or(-1), 9);
    QCOMPARE(back->result.toObject(), result);
}

void TestManagerProtocol::failureResponseRoundTripsEveryCode()
{
    for (int code = int(ErrorCode::BadFrame); code <= int(ErrorCode::Internal); ++code)
    {
        const Response response
            = Response::failure(3, ErrorCode(code), QStringLiteral("why"), QStringLiteral("domain"));
        const Expected<Response> back = Response::fromJson(response.toJson());
        QVERIFY(back);
        QVERIFY(!back->ok);
        QCOMPARE(int(back->error), code);
        QCOMPARE(back->message, QStringLiteral("why"));
        QCOMPARE(back->field, QStringLiteral("domain"));
        QCOMPARE(errorCodeFromName(errorCodeName(ErrorCode(code))).value_or(ErrorCode::Internal), ErrorCode(code));
    }
    const Expected<Response> noId
        = Response::fromJson(Response::failure(std::nullopt, ErrorCode::BadFrame, QString()).toJson());
    QVERIFY(noId);
    QVERIFY(!noId->id.has_value());
}

void TestManagerProtocol::eventRoundTrips()
{
    const Event event { EventName::Changed, { { QStringLiteral("list"), QStringLiteral("users") } } };
    const Expected<Event> back = Event::fromJson(event.toJson());
    QVERIFY(back);
    QCOMPARE(back->name, EventName::Changed);
    QCOMPARE(back->data, event.data);
}

void TestManagerProtocol::pingRoundTrips()
{
    const Expected<Ping> ping = Ping::fromJson(Ping { 5, false }.toJson());
    QVERIFY(ping);
    QVERIFY(!ping->pong);
    QCOMPARE(ping->id, 5);
    const Expected<Ping> pong = Ping::fromJson(Ping { 5, true }.toJson());
    QVERIFY(pong);
    QVERIFY(pong->pong);
}

void TestManagerProtocol::frameRoundTripsThroughTheCodec()
{
    const QJsonObject object
        = Request { 1, Method::Status, { { QStringLiteral("é"), QStringLiteral("ü✓") } } }.toJson();
    FrameCodec codec;
    codec.feed(FrameCodec::encode(object));
    QJsonObject out;
    QCOMPARE(codec.takeFrame(&out), FrameCodec::Result::Frame);
    QCOMPARE(out, object);
    QCOMPARE(codec.takeFrame(&out), FrameCodec::Result::NeedMore);
}

void TestManagerProtocol::framesSplitAcrossReadsAreReassembled()
{
    const QJsonObject object
        = Event { EventName::Log, { { QStringLiteral("message"), QString(5000, QLatin1Char('x')) } } }.toJson();
    const QByteArray bytes = FrameCodec::encode(object);
    FrameCodec codec;
    QJsonObject out;
    for (qsizetype i = 0; i < bytes.size(); ++i)
    {
        QCOMPARE(codec.takeFrame(&out), FrameCodec::Result::NeedMore);
        codec.feed(bytes.mid(i, 1));
    }
    QCOMPARE(codec.takeFrame(&out), FrameCodec::Result::Frame);
    QCOMPARE(out, object);
}

void TestManagerProtocol::severalFramesInOneRead()
{
    FrameCodec codec;
    codec.feed(FrameCodec::encode(Ping { 1, false }.toJson()) + FrameCodec::encode(Ping { 2, false }.toJson()));
    QJsonObject out;
    QCOMPARE(codec.takeFrame(&out), FrameCodec::Result::Frame);
    QCOMPARE(Ping::fromJson(out)->id, 1);
    QCOMPARE(codec.takeFrame(&out), FrameCodec::Result::Frame);
    QCOMPARE(Ping::fromJson(out)->id, 2);
    QCOMPARE(codec.takeFrame(&out), FrameCodec::Result::NeedMore);
}

void TestManagerProtocol::oversizedFrameIsRefusedBeforeBuffering()
{
    FrameCodec codec;
    QByteArray header(4, Qt::Uninitialized);
    qToBigEndian<quint32>(MaxFrameSize + 1, header.data());
    codec.feed(header);
    QJsonObject out;
    QString error;
    QCOMPARE(codec.takeFrame(&out, &error), FrameCodec::Result::TooLarge);
    QVERIFY(error.contains(QString::number(MaxFrameSize + 1)));
    // Nothing more is buffered once the stream is broken.
    codec.feed(QByteArray(1024, 'x'));
    QCOMPARE(codec.bufferedBytes(), 0);
    QCOMPARE(codec.takeFrame(&out), FrameCodec::Result::TooLarge);

    FrameCodec exact;
    const QByteArray atCap
        = FrameCodec::encode({ { QStringLiteral("type"), QString(int(MaxFrameSize) - 20, QLatin1Char('a')) } });
    QVERIFY(atCap.size() - 4 <= qsizetype(MaxFrameSize));
    exact.feed(atCap);
    QCOMPARE(exact.takeFrame(&out), FrameCodec::Result::Frame);
}

void TestManagerProtocol::malformedFrameIsSkippedAndTheStreamGoesOn()
{
    const QByteArray garbage = "{not json";
    QByteArray frame(4, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(garbage.size()), frame.data());
    frame += garbage;
    FrameCodec codec;
    codec.feed(frame + FrameCodec::encode(Ping { 3, false }.toJson()));
    QJsonObject out;
    QString error;
    QCOMPARE(codec.takeFrame(&out, &error), FrameCodec::Result::Malformed);
    QVERIFY(!error.isEmpty());
    QCOMPARE(codec.takeFrame(&out), FrameCodec::Result::Frame);
    QCOMPARE(Ping::fromJson(out)->id, 3);
}

void TestManagerProtocol::nonObjectJsonIsMalformed()
{
    const QByteArray array = "[1,2,3]";
    QByteArray frame(4, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(array.size()), frame.data());
    FrameCodec codec;
    codec.feed(frame + array);
    QJsonObject out;
    QCOMPARE(codec.takeFrame(&out), FrameCodec::Result::Malformed);
}

void TestManagerProtocol::lengthPrefixIsBigEndian()
{
    const QByteArray bytes = FrameCodec::encode({ { QStringLiteral("type"), QStringLiteral("ping") } });
    const QByteArray payload = QJsonDocument(QJsonObject { { QStringLiteral("type"), QStringLiteral("ping") } })
                                   .toJson(QJsonDocument::Compact);
    QCOMPARE(bytes.size(), payload.size() + 4);
    QCOMPARE(quint8(bytes.at(0)), 0);
    QCOMPARE(quint8(bytes.at(3)), quint8(payload.size()));
    QCOMPARE(bytes.mid(4), payload);
}

QTEST_GUILESS_MAIN(TestManagerProtocol)
#include "tst_managerprotocol.moc"
