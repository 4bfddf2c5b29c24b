// The DATA state machine of SMTP, kept free of sockets so it can be tested byte by byte.
#include "smtpd/datareader.h"

#include <cstring>

namespace {

const QByteArray ReceivedPrefix = QByteArrayLiteral("received:");

} // namespace

DataReader::DataReader(qint64 maxBytes, int maxHops) : m_maxBytes(maxBytes), m_maxHops(maxHops) { }

QByteArray DataReader::takeOutput()
{
    QByteArray output;
    output.swap(m_output);
    return output;
}

void DataReader::refuse(Verdict verdict)
{
    if (m_verdict == Verdict::Accepted)
    {
        m_verdict = verdict;
        m_output.clear();
    }
}

void DataReader::emitBytes(const char *data, qsizetype size)
{
    m_messageBytes += size;
    if (m_maxBytes > 0 && m_messageBytes > m_maxBytes)
    {
        refuse(Verdict::TooBig);
    }
    if (m_verdict == Verdict::Accepted)
    {
        m_output.append(data, size);
    }
}

void DataReader::lineEnded()
{
    if (m_inHeaders)
    {
        if (m_lineLength == 0)
        {
            m_inHeaders = false; // the empty line between header and body
        }
        else if (m_linePrefix.size() == ReceivedPrefix.size()
            && m_linePrefix.compare(ReceivedPrefix, Qt::CaseInsensitive) == 0)
        {
            ++m_receivedHeaders;
            if (m_maxHops > 0 && m_receivedHeaders > m_maxHops)
            {
                refuse(Verdict::TooManyHops);
            }
        }
    }
    m_linePrefix.clear();
    m_lineLength = 0;
}

void DataReader::textByte(char c)
{
    m_lineLength = qMin(m_lineLength + 1, MaxLineLength);
    if (m_lineLength > MaxLineLength - 2)
    {
        refuse(Verdict::LineTooLong);
    }
    if (m_inHeaders && m_linePrefix.size() < ReceivedPrefix.size())
    {
        m_linePrefix.append(c);
    }
    emitBytes(&c, 1);
}

qsizetype DataReader::feed(const char *data, qsizetype size)
{
    qsizetype i = 0;
    while (i < size && m_state != State::Finished)
    {
        const char c = data[i];
        switch (m_state)
        {
        case State::LineStart:
            if (c == '.')
            {
                m_state = State::Dot;
                ++i;
                continue;
            }
            m_state = State::Text;
            continue; // the same byte, as text
        case State::Dot:
            if (c == '\r')
            {
                m_state = State::DotCr;
                ++i;
                continue;
            }
            // A stuffed dot: drop it, the rest of the line is text. A following bare LF
            // is refused below and does NOT end the data (no smuggling through "\n.\n").
            ++m_lineLength;
            m_state = State::Text;
            continue;
        case State::DotCr:
            if (c == '\n')
            {
                m_state = State::Finished;
                ++i;
                continue;
            }
            // ".\r" followed by something else: a bare CR.
            refuse(Verdict::BareNewline);
            m_lineLength += 2;
            m_state = State::Text;
            continue;
        case State::Text:
        {
            // Fast path: copy the run of ordinary octets up to the next CR or LF.
            qsizetype end = i;
            while (end < size && data[end] != '\r' && data[end] != '\n')
            {
                ++end;
            }
            if (end > i)
            {
                const qsizetype run = end - i;
                if (m_inHeaders && m_linePrefix.size() < ReceivedPrefix.size())
                {
                    m_linePrefix.append(data + i, qMin<qsizetype>(run, ReceivedPrefix.size() - m_linePrefix.size()));
                }
                // The first limit crossed, by position, decides the verdict, however TCP
                // cut the bytes (found by fuzz_datareader). The length saturates: a line
                // of gigabytes must not overflow it.
                const qint64 lineRoom = MaxLineLength - 2 - m_lineLength;
                const bool lineFirst = m_maxBytes <= 0 || lineRoom <= m_maxBytes - m_messageBytes;
                m_lineLength = int(qMin<qint64>(qint64(m_lineLength) + run, MaxLineLength));
                if (lineFirst && m_lineLength > MaxLineLength - 2)
                {
                    refuse(Verdict::LineTooLong);
                }
                emitBytes(data + i, run);
                if (m_lineLength > MaxLineLength - 2)
                {
                    refuse(Verdict::LineTooLong);
                }
                i = end;
                continue;
            }
            if (c == '\r')
            {
                m_state = State::Cr;
            }
            else
            {
                // A bare LF: refused, and the line goes on (it never starts a new one).
                refuse(Verdict::BareNewline);
                textByte(c);
            }
            ++i;
            continue;
        }
        case State::Cr:
            if (c == '\n')
            {
                emitBytes("\r\n", 2);
                lineEnded();
                m_state = State::LineStart;
                ++i;
                continue;
            }
            // A bare CR: refused, kept as text, and this byte is looked at again.
            refuse(Verdict::BareNewline);
            textByte('\r');
            m_state = State::Text;
            continue;
        case State::Finished:
            break;
        }
    }
    return i;
}
