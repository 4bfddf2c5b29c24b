// Splits a byte stream into manager frames, with a size cap checked before buffering.
#include "manager/framecodec.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QtEndian>

FrameCodec::FrameCodec(quint32 maxFrameSize) : m_maxFrameSize(maxFrameSize) { }

QByteArray FrameCodec::encode(const QJsonObject &object)
{
    const QByteArray payload = QJsonDocument(object).toJson(QJsonDocument::Compact);
    QByteArray frame(4, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(payload.size()), frame.data());
    frame.append(payload);
    return frame;
}

void FrameCodec::feed(const QByteArray &bytes)
{
    if (!m_broken)
        m_buffer.append(bytes);
}

FrameCodec::Result FrameCodec::takeFrame(QJsonObject *object, QString *error)
{
    if (m_broken)
        return Result::TooLarge;
    if (m_buffer.size() < 4)
        return Result::NeedMore;
    const quint32 length = qFromBigEndian<quint32>(m_buffer.constData());
    if (length > m_maxFrameSize)
    {
        // Nothing after an oversized length can be framed again: stop reading.
        m_broken = true;
        m_buffer.clear();
        if (error)
            *error = QStringLiteral("frame of %1 bytes exceeds the limit of %2 bytes").arg(length).arg(m_maxFrameSize);
        return Result::TooLarge;
    }
    if (quint64(m_buffer.size()) < 4 + quint64(length))
        return Result::NeedMore;
    const QByteArray payload = m_buffer.mid(4, qsizetype(length));
    m_buffer.remove(0, 4 + qsizetype(length));

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
    {
        if (error)
        {
            *error = parseError.error != QJsonParseError::NoError
                ? QStringLiteral("frame is not valid JSON: %1 at offset %2")
                      .arg(parseError.errorString())
                      .arg(parseError.offset)
                : QStringLiteral("frame is not a JSON object");
        }
        return Result::Malformed;
    }
    *object = document.object();
    return Result::Frame;
}
