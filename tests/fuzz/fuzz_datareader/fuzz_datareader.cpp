// libFuzzer target: DataReader, the DATA state machine. The same bytes fed at once and
// in pieces (as TCP may cut them) must give the same verdict, the same message and
// stop at the same byte; an accepted message never holds a bare CR or LF.
#include "smtpd/datareader.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QByteArray>

namespace {

struct Outcome
{
    qsizetype consumed = 0;
    bool finished = false;
    DataReader::Verdict verdict = DataReader::Verdict::Accepted;
    QByteArray output;
};

Outcome run(const QByteArray &input, qint64 maxBytes, int maxHops, const uint8_t *cuts, size_t cutCount)
{
    DataReader reader(maxBytes, maxHops);
    Outcome outcome;
    size_t cut = 0;
    while (outcome.consumed < input.size() && !reader.finished())
    {
        qsizetype piece = input.size() - outcome.consumed;
        if (cutCount > 0)
            piece = qMin<qsizetype>(piece, 1 + cuts[cut++ % cutCount]);
        const qsizetype used = reader.feed(input.constData() + outcome.consumed, piece);
        if (used < 0 || used > piece || (used < piece && !reader.finished()))
            std::abort();
        outcome.consumed += used;
        outcome.output += reader.takeOutput();
    }
    outcome.finished = reader.finished();
    outcome.verdict = reader.verdict();
    return outcome;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4 || size > 65536)
        return 0;
    // Header: maximum size (0 = none, else 1..255 * 16 octets), hop limit, cut pattern length.
    const qint64 maxBytes = qint64(data[0]) * 16;
    const int maxHops = data[1] % 8;
    const size_t cutCount = qMin<size_t>(data[2] % 16, size - 3);
    const uint8_t *cuts = data + 3;
    const QByteArray input(reinterpret_cast<const char *>(data + 3 + cutCount), qsizetype(size - 3 - cutCount));

    const Outcome whole = run(input, maxBytes, maxHops, nullptr, 0);
    const Outcome pieces = run(input, maxBytes, maxHops, cuts, cutCount);
    if (whole.consumed != pieces.consumed || whole.finished != pieces.finished || whole.verdict != pieces.verdict)
        std::abort();
    // Output taken before a refusal is thrown away by the session, so only accepted
    // messages must match.
    if (whole.verdict == DataReader::Verdict::Accepted && whole.output != pieces.output)
        std::abort();
    if (whole.verdict == DataReader::Verdict::Accepted)
    {
        if (maxBytes > 0 && whole.output.size() > maxBytes)
            std::abort();
        // Every CR and LF kept is part of a CRLF pair: nothing can be smuggled onward.
        for (qsizetype i = 0; i < whole.output.size(); ++i)
        {
            const char c = whole.output.at(i);
            if (c == '\r' && (i + 1 >= whole.output.size() || whole.output.at(i + 1) != '\n'))
                std::abort();
            if (c == '\n' && (i == 0 || whole.output.at(i - 1) != '\r'))
                std::abort();
        }
    }
    else if (!whole.output.isEmpty())
    {
        std::abort(); // a refused message keeps nothing
    }
    return 0;
}
