// c-ares driven with select() until the one answer comes or the time is up.
#include "dkim/txtlookup.h"

#include <ares.h>
#include <arpa/nameser.h>
#include <sys/select.h>

#include <QElapsedTimer>

namespace {

struct Answer
{
    bool done = false;
    TxtLookup result;
};

void onAnswer(void *arg, int status, int, unsigned char *answer, int length)
{
    auto *state = static_cast<Answer *>(arg);
    state->done = true;
    TxtLookup &result = state->result;
    if (status == ARES_ENOTFOUND || status == ARES_ENODATA)
    {
        result.outcome = TxtLookup::Outcome::NotFound;
        result.error = QString::fromLatin1(ares_strerror(status));
        return;
    }
    if (status != ARES_SUCCESS)
    {
        result.outcome = TxtLookup::Outcome::Temporary;
        result.error = QString::fromLatin1(ares_strerror(status));
        return;
    }
    ares_txt_ext *reply = nullptr;
    const int parsed = ares_parse_txt_reply_ext(answer, length, &reply);
    if (parsed == ARES_ENODATA)
    {
        result.outcome = TxtLookup::Outcome::NotFound;
        return;
    }
    if (parsed != ARES_SUCCESS)
    {
        result.outcome = TxtLookup::Outcome::Temporary;
        result.error = QString::fromLatin1(ares_strerror(parsed));
        return;
    }
    // A record's strings follow each other; record_start marks the first of each.
    for (ares_txt_ext *txt = reply; txt; txt = txt->next)
    {
        const QByteArray part(reinterpret_cast<const char *>(txt->txt), qsizetype(txt->length));
        if (txt->record_start || result.records.isEmpty())
            result.records.append(part);
        else
            result.records.last().append(part);
    }
    ares_free_data(reply);
    result.outcome = result.records.isEmpty() ? TxtLookup::Outcome::NotFound : TxtLookup::Outcome::Found;
}

} // namespace

TxtLookup TxtLookup::run(const QString &name, const QList<DnsServer> &servers, int timeoutMs)
{
    static const int initialised = ares_library_init(ARES_LIB_INIT_ALL);
    Q_UNUSED(initialised);
    Answer state;
    ares_options options {};
    options.timeout = 2000;
    options.tries = 2;
    ares_channel channel = nullptr;
    if (ares_init_options(&channel, &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES) != ARES_SUCCESS)
    {
        state.result.error = QStringLiteral("cannot start the DNS resolver");
        return state.result;
    }
    if (!servers.isEmpty())
    {
        QStringList list;
        for (const DnsServer &server : servers)
        {
            const QString host = server.address.protocol() == QAbstractSocket::IPv6Protocol
                ? QLatin1Char('[') + server.address.toString() + QLatin1Char(']')
                : server.address.toString();
            list.append(host + QLatin1Char(':') + QString::number(server.port));
        }
        const QByteArray csv = list.join(QLatin1Char(',')).toLatin1();
        if (ares_set_servers_ports_csv(channel, csv.constData()) != ARES_SUCCESS)
        {
            ares_destroy(channel);
            state.result.error = QStringLiteral("invalid DNS server list");
            return state.result;
        }
    }
    const QByteArray query = name.toLatin1();
    ares_query(channel, query.constData(), ns_c_in, ns_t_txt, onAnswer, &state);
    QElapsedTimer clock;
    clock.start();
    while (!state.done && clock.elapsed() < timeoutMs)
    {
        fd_set readers;
        fd_set writers;
        FD_ZERO(&readers);
        FD_ZERO(&writers);
        const int count = ares_fds(channel, &readers, &writers);
        if (count == 0)
            break;
        timeval wait {};
        timeval max { 0, 100000 };
        ares_timeout(channel, &max, &wait);
        select(count, &readers, &writers, nullptr, &wait);
        ares_process(channel, &readers, &writers);
    }
    ares_destroy(channel); // calls onAnswer with ARES_EDESTRUCTION when still pending
    if (!state.done || state.result.error == QLatin1String(ares_strerror(ARES_EDESTRUCTION)))
    {
        state.result.outcome = TxtLookup::Outcome::Temporary;
        state.result.error = QStringLiteral("no answer from DNS within %1 ms").arg(timeoutMs);
    }
    return state.result;
}
