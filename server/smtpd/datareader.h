// Decodes the bytes of an SMTP DATA section as they arrive: end of data only at
// <CR><LF>.<CR><LF>, bare CR/LF refused, dot-stuffing undone, size and hops counted.
#pragma once

#include <QByteArray>

class DataReader
{
public:
    // Why a message is refused; the first problem found wins. Reading always goes on
    // to the real end of data so that the session stays in step with the client.
    enum class Verdict
    {
        Accepted,
        BareNewline, // a CR or LF not part of a CRLF pair: 550 5.5.2
        LineTooLong, // a text line over 1000 octets with its CRLF: 500 5.5.2
        TooBig, // more than maxBytes of message: 552 5.3.4
        TooManyHops, // more Received headers than maxHops: 554 5.4.6
    };

    static constexpr int MaxLineLength = 1000; // octets, CRLF included (RFC 5321 4.5.3.1.6)

    // maxBytes 0: no size limit; maxHops 0: no hop limit.
    DataReader(qint64 maxBytes, int maxHops);

    // Consumes bytes up to and including the end of data; returns how many were used
    // (fewer than size only when the end of data was found inside them).
    qsizetype feed(const char *data, qsizetype size);

    bool finished() const { return m_state == State::Finished; }
    Verdict verdict() const { return m_verdict; }
    // Decoded message octets produced since the last call (nothing once refused).
    QByteArray takeOutput();
    qsizetype pendingOutput() const { return m_output.size(); }
    qint64 messageBytes() const { return m_messageBytes; }
    int receivedHeaders() const { return m_receivedHeaders; }

private:
    enum class State
    {
        LineStart, // after CRLF (or at the very beginning)
        Dot, // a '.' at the start of a line
        DotCr, // ".\r" at the start of a line
        Text, // inside a line
        Cr, // a '\r' inside a line, waiting for '\n'
        Finished,
    };

    void refuse(Verdict verdict);
    void emitBytes(const char *data, qsizetype size);
    void lineEnded();
    void textByte(char c);

    qint64 m_maxBytes;
    int m_maxHops;
    State m_state = State::LineStart;
    Verdict m_verdict = Verdict::Accepted;
    QByteArray m_output;
    qint64 m_messageBytes = 0;
    int m_lineLength = 0;
    bool m_inHeaders = true;
    QByteArray m_linePrefix; // first octets of a header line, to recognise "Received:"
    int m_receivedHeaders = 0;
};
