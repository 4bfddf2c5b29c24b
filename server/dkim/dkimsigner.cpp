// DKIM-Signature fields: the body hash, the header hash input of RFC 6376 §3.7, and the
// field folded under 78 columns with b= computed while empty.
#include "dkim/dkimsigner.h"

#include "core/domain.h"

#include <QCryptographicHash>
#include <QUrl>

namespace {

constexpr int MaxLine = 76; // columns before CRLF, well under RFC 5322's 78

// Folds "tag=value;" tokens into lines; a value may be broken where FWS is allowed.
class Folder
{
public:
    explicit Folder(const QByteArray &start) : m_text(start), m_column(start.size()) { }

    // A token that starts a tag (preceded by a space, or a fold).
    void addTag(const QByteArray &token)
    {
        if (m_column + 1 + token.size() > MaxLine)
            fold();
        else
            append(" ");
        append(token);
    }
    // A piece that continues the previous token (no space unless folded).
    void addPiece(const QByteArray &piece)
    {
        if (m_column + piece.size() > MaxLine)
            fold();
        append(piece);
    }
    const QByteArray &text() const { return m_text; }

private:
    void fold()
    {
        m_text.append("\r\n\t");
        m_column = 8;
    }
    void append(const QByteArray &part)
    {
        m_text.append(part);
        m_column += part.size();
    }
    QByteArray m_text;
    qsizetype m_column;
};

// Removes RFC 5322 comments and quoted strings' quotes from an address header value.
QByteArray withoutComments(const QByteArray &value, int *mailboxCount)
{
    QByteArray out;
    int depth = 0;
    bool quoted = false;
    bool inAngle = false;
    int commas = 0;
    bool sawText = false;
    for (qsizetype i = 0; i < value.size(); ++i)
    {
        const char c = value.at(i);
        if (quoted)
        {
            if (c == '\\' && i + 1 < value.size())
            {
                ++i;
                continue;
            }
            if (c == '"')
                quoted = false;
            continue; // display names do not matter
        }
        if (depth > 0)
        {
            if (c == '\\' && i + 1 < value.size())
                ++i;
            else if (c == '(')
                ++depth;
            else if (c == ')')
                --depth;
            continue;
        }
        if (c == '"')
        {
            quoted = true;
            sawText = true;
            continue;
        }
        if (c == '(')
        {
            depth = 1;
            continue;
        }
        if (c == '<')
            inAngle = true;
        else if (c == '>')
            inAngle = false;
        else if (c == ',' && !inAngle)
        {
            if (sawText)
                ++commas;
            sawText = false;
            out.append(c);
            continue;
        }
        if (c != ' ' && c != '\t')
            sawText = true;
        out.append(c);
    }
    *mailboxCount = commas + (sawText ? 1 : 0);
    return out;
}

} // namespace

void DkimKeyring::add(const DkimSigningKey &key)
{
    m_byDomain[key.domain].append(key);
}

QList<DkimSigningKey> DkimKeyring::keysFor(const QString &domain) const
{
    QString name = domain;
    while (!name.isEmpty())
    {
        const auto found = m_byDomain.constFind(name);
        if (found != m_byDomain.constEnd())
            return found.value();
        const qsizetype dot = name.indexOf(QLatin1Char('.'));
        if (dot < 0)
            break;
        name = name.mid(dot + 1);
    }
    return {};
}

qsizetype DkimKeyring::keyCount() const
{
    qsizetype count = 0;
    for (const auto &keys : m_byDomain)
        count += keys.size();
    return count;
}

const QList<QByteArray> &DkimSigner::signedHeaderNames()
{
    static const QList<QByteArray> names = {
        "from",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "reply-to",
        "in-reply-to",
        "references",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
    };
    return names;
}

Expected<QString> DkimSigner::fromDomain(const DkimMessageParts &parts)
{
    QByteArray from;
    int fromCount = 0;
    for (const DkimHeaderField &field : parts.headers)
    {
        if (field.name.compare("from", Qt::CaseInsensitive) == 0)
        {
            ++fromCount;
            from = field.raw;
        }
    }
    if (fromCount == 0)
        return Expected<QString>::failure(ErrorKind::InvalidInput, QStringLiteral("the message has no From: header"));
    if (fromCount > 1)
        return Expected<QString>::failure(
            ErrorKind::InvalidInput, QStringLiteral("the message has %1 From: headers").arg(fromCount));
    int mailboxes = 0;
    QByteArray value = withoutComments(DkimCanon::unfoldedValue(from), &mailboxes);
    if (mailboxes != 1)
        return Expected<QString>::failure(
            ErrorKind::InvalidInput, QStringLiteral("the From: header has %1 addresses").arg(mailboxes));
    const qsizetype open = value.lastIndexOf('<');
    if (open >= 0)
    {
        const qsizetype close = value.indexOf('>', open);
        value = value.mid(open + 1, close < 0 ? -1 : close - open - 1);
    }
    value = value.trimmed();
    const qsizetype at = value.lastIndexOf('@');
    if (at < 0)
        return Expected<QString>::failure(ErrorKind::InvalidInput, QStringLiteral("the From: address has no domain"));
    const QString unicode = QString::fromUtf8(value.mid(at + 1).trimmed());
    const QString ace = QString::fromLatin1(QUrl::toAce(unicode));
    const Expected<Domain> domain = Domain::parse(ace.isEmpty() ? unicode : ace);
    if (!domain)
        return Expected<QString>::failure(
            ErrorKind::InvalidInput, QStringLiteral("the From: domain is invalid: %1").arg(domain.error()));
    return domain->name();
}

QList<QByteArray> DkimSigner::headerList(const DkimMessageParts &parts)
{
    QHash<QByteArray, int> counts;
    QList<QByteArray> listHeaders;
    for (const DkimHeaderField &field : parts.headers)
    {
        const QByteArray name = field.name.toLower();
        ++counts[name];
        if (name.startsWith("list-") && !listHeaders.contains(name))
            listHeaders.append(name);
    }
    QList<QByteArray> list;
    for (const QByteArray &name : signedHeaderNames())
    {
        int times = counts.value(name);
        if (name == "from" || name == "subject")
            ++times;
        for (int i = 0; i < times; ++i)
            list.append(name);
    }
    for (const QByteArray &name : std::as_const(listHeaders))
    {
        for (int i = 0; i < counts.value(name); ++i)
            list.append(name);
    }
    return list;
}

Expected<QByteArray> DkimSigner::signatureField(const QByteArray &message, const DkimMessageParts &parts,
    const DkimSigningKey &key, qint64 unixTime, const QByteArray &bodyHash)
{
    Q_UNUSED(message);
    const QList<QByteArray> names = headerList(parts);

    // RFC 6376 §5.4.2: the n-th instance of a name in h= is the n-th from the bottom.
    QByteArray hashInput;
    QHash<QByteArray, int> used;
    for (const QByteArray &name : names)
    {
        int skip = used[name]++;
        for (qsizetype i = parts.headers.size() - 1; i >= 0; --i)
        {
            if (parts.headers.at(i).name.compare(name, Qt::CaseInsensitive) != 0)
                continue;
            if (skip-- > 0)
                continue;
            hashInput.append(DkimCanon::relaxedHeader(parts.headers.at(i).raw));
            break;
        }
    }

    Folder folder("DKIM-Signature:");
    folder.addTag("v=1;");
    folder.addTag("a=" + DkimKeys::algorithmName(key.key.algorithm()).toLatin1() + ';');
    folder.addTag("c=relaxed/relaxed;");
    folder.addTag("d=" + key.domain.toLatin1() + ';');
    folder.addTag("s=" + key.selector.toLatin1() + ';');
    folder.addTag("t=" + QByteArray::number(unixTime) + ';');
    for (qsizetype i = 0; i < names.size(); ++i)
    {
        const QByteArray piece = names.at(i) + (i + 1 < names.size() ? ":" : ";");
        if (i == 0)
            folder.addTag("h=" + piece);
        else
            folder.addPiece(piece);
    }
    folder.addTag("bh=" + bodyHash + ';');
    folder.addTag("b=");
    const QByteArray unsignedField = folder.text();
    // §3.7: the signature field itself, canonicalised, without its final CRLF.
    QByteArray canonical = DkimCanon::relaxedHeader(unsignedField);
    canonical.chop(2);
    hashInput.append(canonical);

    Expected<QByteArray> signature = key.key.algorithm() == DkimAlgorithm::Ed25519Sha256
        ? key.key.sign(QCryptographicHash::hash(hashInput, QCryptographicHash::Sha256))
        : key.key.sign(hashInput);
    if (!signature)
        return signature;

    // b= carries the value on the lines after "b=", where FWS is allowed in base64.
    QByteArray field = unsignedField;
    const QByteArray value = signature->toBase64();
    qsizetype column = field.size() - field.lastIndexOf('\n') - 1;
    for (qsizetype pos = 0; pos < value.size();)
    {
        const qsizetype room = MaxLine - column;
        if (room <= 8)
        {
            field.append("\r\n\t");
            column = 8;
            continue;
        }
        const QByteArray piece = value.mid(pos, room);
        field.append(piece);
        column += piece.size();
        pos += piece.size();
    }
    field.append("\r\n");
    return field;
}

DkimSignResult DkimSigner::sign(const QByteArray &message, const DkimKeyring &keyring, qint64 unixTime)
{
    DkimSignResult result;
    const DkimMessageParts parts = DkimCanon::split(message);
    if (parts.bodyOffset < 0)
    {
        result.outcome = DkimSignResult::Outcome::NotSignable;
        result.reason = QStringLiteral("the header section has a line that is not a header field");
        return result;
    }
    const Expected<QString> domain = fromDomain(parts);
    if (!domain)
    {
        result.outcome = DkimSignResult::Outcome::NotSignable;
        result.reason = domain.error();
        return result;
    }
    result.domain = domain.value();
    const QList<DkimSigningKey> keys = keyring.keysFor(domain.value());
    if (keys.isEmpty())
    {
        result.outcome = DkimSignResult::Outcome::NoKey;
        return result;
    }
    const QByteArray body = message.mid(parts.bodyOffset);
    const QByteArray bodyHash
        = QCryptographicHash::hash(DkimCanon::relaxedBody(body), QCryptographicHash::Sha256).toBase64();
    for (const DkimSigningKey &key : keys)
    {
        const Expected<QByteArray> field = signatureField(message, parts, key, unixTime, bodyHash);
        if (!field)
        {
            result.outcome = DkimSignResult::Outcome::Failed;
            result.reason = field.error();
            result.headers.clear();
            return result;
        }
        result.headers.append(field.value());
        result.selectors.append(key.selector);
    }
    result.outcome = DkimSignResult::Outcome::Signed;
    return result;
}
