// Length-prefixed frames of the manager link: a quint32 big-endian payload length,
// then that many bytes of compact UTF-8 JSON (one object per frame).
#pragma once

#include "manager/managerprotocol.h"

#include <QByteArray>
#include <QJsonObject>

class FrameCodec
{
public:
    enum class Result
    {
        NeedMore, // no complete frame buffered yet
        Frame, // *object holds the next frame
        Malformed, // a complete frame that is not a JSON object: skipped, the stream goes on
        TooLarge, // the announced length exceeds the cap: the stream cannot be trusted any more
    };

    explicit FrameCodec(quint32 maxFrameSize = ManagerProtocol::MaxFrameSize);

    // The bytes to write for one frame (the payload is not checked against the cap).
    static QByteArray encode(const QJsonObject &object);

    // Appends received bytes; call takeFrame() until it returns NeedMore.
    void feed(const QByteArray &bytes);
    Result takeFrame(QJsonObject *object, QString *error = nullptr);

    qsizetype bufferedBytes() const { return m_buffer.size(); }

private:
    quint32 m_maxFrameSize;
    QByteArray m_buffer;
    bool m_broken = false;
};
