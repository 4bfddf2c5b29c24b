// RFC 6376 §3.2 tag lists: tag-spec *( ";" tag-spec ) [ ";" ].
#include "dkim/dkimtaglist.h"

namespace {

bool isFws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

QByteArray trimmedFws(const QByteArray &text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isFws(text.at(begin)))
        ++begin;
    while (end > begin && isFws(text.at(end - 1)))
        --end;
    return text.mid(begin, end - begin);
}

bool isTagName(const QByteArray &name)
{
    if (name.isEmpty())
        return false;
    const char first = name.at(0);
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z')))
        return false;
    for (const char c : name)
    {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

Expected<DkimTagList> DkimTagList::parse(const QByteArray &text)
{
    DkimTagList list;
    const QList<QByteArray> specs = text.split(';');
    for (qsizetype i = 0; i < specs.size(); ++i)
    {
        const QByteArray spec = trimmedFws(specs.at(i));
        if (spec.isEmpty())
        {
            if (i == specs.size() - 1)
                break; // a trailing ';'
            return Expected<DkimTagList>::failure(ErrorKind::InvalidInput, QStringLiteral("empty tag"));
        }
        const qsizetype equals = spec.indexOf('=');
        if (equals < 0)
            return Expected<DkimTagList>::failure(ErrorKind::InvalidInput, QStringLiteral("a tag without '='"));
        const QByteArray name = trimmedFws(spec.left(equals));
        if (!isTagName(name))
            return Expected<DkimTagList>::failure(ErrorKind::InvalidInput, QStringLiteral("an invalid tag name"));
        if (list.contains(name))
            return Expected<DkimTagList>::failure(
                ErrorKind::InvalidInput, QStringLiteral("tag %1 appears twice").arg(QString::fromLatin1(name)));
        list.m_tags.append({ name, trimmedFws(spec.mid(equals + 1)) });
    }
    return list;
}

bool DkimTagList::contains(const QByteArray &tag) const
{
    for (const auto &pair : m_tags)
    {
        if (pair.first == tag)
            return true;
    }
    return false;
}

QByteArray DkimTagList::value(const QByteArray &tag) const
{
    for (const auto &pair : m_tags)
    {
        if (pair.first == tag)
            return pair.second;
    }
    return {};
}

Expected<DkimKeyRecord> DkimKeyRecord::parse(const QByteArray &text)
{
    const Expected<DkimTagList> list = DkimTagList::parse(text);
    if (!list)
        return Expected<DkimKeyRecord>::failure(list.kind(), list.error());
    const auto &tags = list->tags();
    for (qsizetype i = 0; i < tags.size(); ++i)
    {
        if (tags.at(i).first == "v" && (i != 0 || tags.at(i).second != "DKIM1"))
            return Expected<DkimKeyRecord>::failure(
                ErrorKind::InvalidInput, QStringLiteral("v= must come first and be DKIM1"));
    }
    if (!list->contains("p"))
        return Expected<DkimKeyRecord>::failure(ErrorKind::InvalidInput, QStringLiteral("no p= tag"));
    DkimKeyRecord record;
    if (list->contains("k"))
        record.keyType = list->value("k").toLower();
    QByteArray key = list->value("p");
    key.replace(' ', "").replace('\t', "").replace('\r', "").replace('\n', "");
    record.publicKey = key;
    return record;
}
