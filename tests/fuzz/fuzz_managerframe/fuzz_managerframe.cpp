// libFuzzer target: the manager link decoder (FrameCodec) and every message's fromJson,
// fed the bytes a local client could send. A bad frame is an error, never a crash;
// an oversized length stops the stream; a decoded request encodes back to itself.
#include "manager/framecodec.h"
#include "manager/managerprotocol.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QByteArray>
#include <QJsonObject>

namespace {

void decodeMessages(const QJsonObject &object)
{
    using namespace ManagerProtocol;
    const Expected<Request> request = Request::fromJson(object);
    if (request)
    {
        const Expected<Request> again = Request::fromJson(request->toJson());
        if (!again || again->id != request->id || again->method != request->method || again->params != request->params)
            std::abort();
    }
    (void)Hello::fromJson(object);
    (void)Denied::fromJson(object);
    (void)Response::fromJson(object);
    (void)Event::fromJson(object);
    (void)Ping::fromJson(object);
    (void)errorCodeFromName(object.value(QStringLiteral("error")).toString());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 262144)
        return 0;
    // A small cap so the fuzzer reaches TooLarge; the first byte also cuts the stream.
    FrameCodec codec(4096);
    const qsizetype piece = 1 + data[0];
    const char *bytes = reinterpret_cast<const char *>(data + 1);
    const qsizetype total = qsizetype(size - 1);
    bool broken = false;
    for (qsizetype offset = 0; offset < total; offset += piece)
    {
        codec.feed(QByteArray(bytes + offset, qMin(piece, total - offset)));
        for (int frames = 0; frames < 10000; ++frames)
        {
            QJsonObject object;
            QString error;
            const FrameCodec::Result result = codec.takeFrame(&object, &error);
            if (result == FrameCodec::Result::NeedMore)
                break;
            if (result == FrameCodec::Result::TooLarge)
            {
                broken = true;
                if (error.isEmpty() && codec.bufferedBytes() != 0)
                    std::abort();
                break;
            }
            if (broken)
                std::abort(); // nothing is framed after an oversized length
            if (result == FrameCodec::Result::Malformed)
            {
                if (error.isEmpty())
                    std::abort();
                continue;
            }
            decodeMessages(object);
        }
        if (codec.bufferedBytes() > 4096 + 4 + piece)
            std::abort(); // the buffer never grows past one capped frame
    }
    return 0;
}
