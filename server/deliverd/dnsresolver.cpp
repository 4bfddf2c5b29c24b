// c-ares in the Qt event loop: MX and address lookups for deliverd.
#include "deliverd/dnsresolver.h"

#include <algorithm>

#include <ares.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QEventLoop>
#include <QMetaObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QThread>

struct DnsResolver::SocketWatch
{
    std::unique_ptr<QSocketNotifier> read;
    std::unique_ptr<QSocketNotifier> write;
};

namespace {

// One pending query; deleted by its c-ares callback.
template <typename Result> struct Request
{
    QPointer<QObject> context;
    std::function<void(const Result &)> done;
};

template <typename Result> void deliver(Request<Result> *request, Result result)
{
    if (request->context)
    {
        QObject *context = request->context.data();
        QMetaObject::invokeMethod(
            context, [done = std::move(request->done), result = std::move(result)]() { done(result); },
            Qt::QueuedConnection);
    }
    delete request;
}

// For requests shared by the callbacks of several queries: delivers once.
template <typename Result> void deliver(const std::shared_ptr<Request<Result>> &request, Result result)
{
    if (request->context && request->done)
    {
        QObject *context = request->context.data();
        QMetaObject::invokeMethod(
            context, [done = std::move(request->done), result = std::move(result)]() { done(result); },
            Qt::QueuedConnection);
    }
    request->done = nullptr;
}

bool isTemporary(int status)
{
    return status != ARES_ENOTFOUND && status != ARES_ENODATA;
}

QString aresText(int status)
{
    return QString::fromLatin1(ares_strerror(status));
}

int libraryUsers = 0;

} // namespace

DnsResolver::DnsResolver(const QList<DnsServer> &servers, QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this]() { process(ARES_SOCKET_BAD, ARES_SOCKET_BAD); });

    if (libraryUsers++ == 0)
    {
        ares_library_init(ARES_LIB_INIT_ALL);
    }
    ares_options options {};
    options.sock_state_cb = &DnsResolver::socketStateChanged;
    options.sock_state_cb_data = this;
    options.timeout = 2000; // ms per try
    options.tries = 2;
    ares_channel channel = nullptr;
    const int status
        = ares_init_options(&channel, &options, ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
    if (status != ARES_SUCCESS)
    {
        m_error = QStringLiteral("cannot initialise c-ares: %1").arg(aresText(status));
        return;
    }
    m_channel = channel;
    if (!servers.isEmpty())
    {
        QStringList entries;
        for (const DnsServer &server : servers)
        {
            const QString host = server.address.protocol() == QAbstractSocket::IPv6Protocol
                ? QLatin1Char('[') + server.address.toString() + QLatin1Char(']')
                : server.address.toString();
            entries.append(host + QLatin1Char(':') + QString::number(server.port));
        }
        const QByteArray csv = entries.join(QLatin1Char(',')).toLatin1();
        const int set = ares_set_servers_ports_csv(m_channel, csv.constData());
        if (set != ARES_SUCCESS)
        {
            m_error = QStringLiteral("cannot use DNS servers %1: %2").arg(QString::fromLatin1(csv), aresText(set));
        }
    }
}

DnsResolver::~DnsResolver()
{
    if (m_channel)
    {
        // Pending callbacks run with ARES_EDESTRUCTION; their contexts get nothing.
        ares_destroy(m_channel);
        m_channel = nullptr;
    }
    m_sockets.clear();
    if (--libraryUsers == 0)
    {
        ares_library_cleanup();
    }
}

void DnsResolver::socketStateChanged(void *data, int socket, int readable, int writable)
{
    static_cast<DnsResolver *>(data)->updateSocket(socket, readable != 0, writable != 0);
}

void DnsResolver::updateSocket(int socket, bool readable, bool writable)
{
    if (!readable && !writable)
    {
        m_sockets.remove(socket);
        return;
    }
    std::shared_ptr<SocketWatch> &watch = m_sockets[socket];
    if (!watch)
    {
        watch = std::make_shared<SocketWatch>();
        watch->read = std::make_unique<QSocketNotifier>(socket, QSocketNotifier::Read);
        watch->write = std::make_unique<QSocketNotifier>(socket, QSocketNotifier::Write);
        connect(watch->read.get(), &QSocketNotifier::activated, this,
            [this, socket]() { process(socket, ARES_SOCKET_BAD); });
        connect(watch->write.get(), &QSocketNotifier::activated, this,
            [this, socket]() { process(ARES_SOCKET_BAD, socket); });
    }
    watch->read->setEnabled(readable);
    watch->write->setEnabled(writable);
}

void DnsResolver::process(int readSocket, int writeSocket)
{
    if (!m_channel)
    {
        return;
    }
    // Keep the notifiers alive while c-ares may close their sockets under us.
    const QHash<int, std::shared_ptr<SocketWatch>> keep = m_sockets;
    ares_process_fd(m_channel, readSocket, writeSocket);
    rearmTimer();
}

void DnsResolver::rearmTimer()
{
    timeval wait {};
    if (!m_channel || !ares_timeout(m_channel, nullptr, &wait))
    {
        m_timer.stop();
        return;
    }
    const qint64 ms = qint64(wait.tv_sec) * 1000 + wait.tv_usec / 1000;
    m_timer.start(int(std::max<qint64>(ms, 1)));
}

void DnsResolver::queryRaw(const QString &name, int type, std::function<void(const RawAnswer &)> done)
{
    auto *callback = new std::function<void(const RawAnswer &)>(std::move(done));
    unsigned char *query = nullptr;
    int length = 0;
    const QByteArray encoded = name.toUtf8();
    const int created = ares_create_query(encoded.constData(), ns_c_in, type, 0, 1, &query, &length, 1232);
    if (created != ARES_SUCCESS || length < 12)
    {
        if (query)
        {
            ares_free_string(query);
        }
        RawAnswer answer;
        answer.status = created != ARES_SUCCESS ? created : ARES_EBADQUERY;
        (*callback)(answer);
        delete callback;
        return;
    }
    // AD in a query asks the resolver to report validation (RFC 6840 §5.7); unbound sets
    // AD in the answer only for queries with AD or DO.
    query[3] |= 0x20;
    ares_send(
        m_channel, query, length,
        [](void *arg, int status, int, unsigned char *abuf, int alen) {
            auto *callback = static_cast<std::function<void(const RawAnswer &)> *>(arg);
            if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED)
            {
                delete callback;
                return;
            }
            RawAnswer answer;
            answer.status = status;
            if (status == ARES_SUCCESS && abuf && alen >= 12)
            {
                answer.message = QByteArray(reinterpret_cast<const char *>(abuf), alen);
                answer.authenticated = authenticatedData(answer.message);
                const int rcode = abuf[3] & 0x0f;
                const int answers = (abuf[6] << 8) | abuf[7];
                if (rcode == ns_r_nxdomain)
                {
                    answer.status = ARES_ENOTFOUND;
                }
                else if (rcode == ns_r_servfail)
                {
                    answer.status = ARES_ESERVFAIL;
                }
                else if (rcode == ns_r_refused)
                {
                    answer.status = ARES_EREFUSED;
                }
                else if (rcode != ns_r_noerror)
                {
                    answer.status = ARES_EBADRESP;
                }
                else if (answers == 0)
                {
                    answer.status = ARES_ENODATA;
                }
            }
            else if (status == ARES_SUCCESS)
            {
                answer.status = ARES_EBADRESP;
            }
            (*callback)(answer);
            delete callback;
        },
        callback);
    ares_free_string(query);
    rearmTimer();
}

bool DnsResolver::authenticatedData(const QByteArray &message)
{
    return message.size() >= 12 && (quint8(message.at(3)) & 0x20) != 0;
}

void DnsResolver::lookupMx(const QString &domain, QObject *context, std::function<void(const MxLookup &)> done)
{
    auto request = std::make_shared<Request<MxLookup>>(Request<MxLookup> { context, std::move(done) });
    if (!m_channel)
    {
        MxLookup result;
        result.error = m_error;
        deliver(request, result);
        return;
    }
    queryRaw(domain, ns_t_mx, [request](const RawAnswer &answer) {
        MxLookup result;
        result.authenticated = answer.authenticated;
        const int status = answer.status;
        if (status == ARES_ENOTFOUND)
        {
            result.outcome = MxLookup::Outcome::NotFound;
            result.error = QStringLiteral("domain not found (NXDOMAIN)");
        }
        else if (status == ARES_ENODATA)
        {
            result.outcome = MxLookup::Outcome::NoMx;
        }
        else if (status != ARES_SUCCESS)
        {
            result.outcome = MxLookup::Outcome::Temporary;
            result.error = QStringLiteral("MX lookup failed: %1").arg(aresText(status));
        }
        else
        {
            ares_mx_reply *reply = nullptr;
            const int parsed = ares_parse_mx_reply(reinterpret_cast<const unsigned char *>(answer.message.constData()),
                int(answer.message.size()), &reply);
            if (parsed == ARES_ENODATA)
            {
                result.outcome = MxLookup::Outcome::NoMx;
            }
            else if (parsed != ARES_SUCCESS)
            {
                result.outcome = MxLookup::Outcome::Temporary;
                result.error = QStringLiteral("bad MX answer: %1").arg(aresText(parsed));
            }
            else
            {
                QList<MxRecord> records;
                for (ares_mx_reply *mx = reply; mx; mx = mx->next)
                {
                    QString host = QString::fromUtf8(mx->host);
                    if (host.endsWith(QLatin1Char('.')))
                    {
                        host.chop(1);
                    }
                    records.append({ host.toLower(), mx->priority });
                }
                ares_free_data(reply);
                if (records.size() == 1 && records.first().host.isEmpty())
                {
                    result.outcome = MxLookup::Outcome::NullMx;
                    result.error = QStringLiteral("the domain accepts no mail (null MX)");
                }
                else
                {
                    // A "." among real exchangers is meaningless: skip it.
                    records.erase(std::remove_if(records.begin(), records.end(),
                                      [](const MxRecord &r) { return r.host.isEmpty(); }),
                        records.end());
                    result.outcome = records.isEmpty() ? MxLookup::Outcome::NoMx : MxLookup::Outcome::Exchangers;
                    result.exchangers = orderExchangers(records);
                }
            }
        }
        deliver(request, result);
    });
}

void DnsResolver::lookupAddressesSecure(
    const QString &host, QObject *context, std::function<void(const AddressLookup &)> done)
{
    auto request = std::make_shared<Request<AddressLookup>>(Request<AddressLookup> { context, std::move(done) });
    const QHostAddress literal(host);
    if (!literal.isNull() || !m_channel)
    {
        AddressLookup result;
        if (!literal.isNull())
        {
            result.outcome = AddressLookup::Outcome::Found;
            result.addresses.append(literal);
        }
        else
        {
            result.error = m_error;
        }
        deliver(request, result);
        return;
    }
    struct Pending
    {
        int left = 2;
        bool authenticated = true;
        bool temporary = false;
        QString error;
        QList<QHostAddress> v4;
        QList<QHostAddress> v6;
    };
    auto pending = std::make_shared<Pending>();
    const auto finish = [request, pending]() {
        if (--pending->left > 0)
        {
            return;
        }
        AddressLookup result;
        result.addresses = pending->v4 + pending->v6;
        result.authenticated = pending->authenticated && !pending->temporary;
        if (!result.addresses.isEmpty())
        {
            result.outcome = AddressLookup::Outcome::Found;
        }
        else if (pending->temporary)
        {
            result.outcome = AddressLookup::Outcome::Temporary;
            result.error = pending->error;
        }
        else
        {
            result.outcome = AddressLookup::Outcome::NotFound;
            result.error = QStringLiteral("no address found");
        }
        deliver(request, result);
    };
    for (const int type : { int(ns_t_a), int(ns_t_aaaa) })
    {
        queryRaw(host, type, [pending, finish, type](const RawAnswer &answer) {
            if (answer.status == ARES_SUCCESS)
            {
                const auto *data = reinterpret_cast<const unsigned char *>(answer.message.constData());
                const int length = int(answer.message.size());
                if (type == ns_t_a)
                {
                    ares_addrttl addresses[32];
                    int count = 32;
                    if (ares_parse_a_reply(data, length, nullptr, addresses, &count) == ARES_SUCCESS)
                    {
                        for (int i = 0; i < count; ++i)
                        {
                            pending->v4.append(QHostAddress(ntohl(addresses[i].ipaddr.s_addr)));
                        }
                    }
                }
                else
                {
                    ares_addr6ttl addresses[32];
                    int count = 32;
                    if (ares_parse_aaaa_reply(data, length, nullptr, addresses, &count) == ARES_SUCCESS)
                    {
                        for (int i = 0; i < count; ++i)
                        {
                            pending->v6.append(QHostAddress(addresses[i].ip6addr._S6_un._S6_u8));
                        }
                    }
                }
            }
            else if (isTemporary(answer.status))
            {
                pending->temporary = true;
                pending->error = QStringLiteral("address lookup failed: %1").arg(aresText(answer.status));
            }
            // A secure denial (NODATA with AD) keeps the lookup authenticated.
            if (!answer.authenticated)
            {
                pending->authenticated = false;
            }
            finish();
        });
    }
}

void DnsResolver::lookupTlsa(
    const QString &host, quint16 port, QObject *context, std::function<void(const TlsaLookup &)> done)
{
    auto request = std::make_shared<Request<TlsaLookup>>(Request<TlsaLookup> { context, std::move(done) });
    if (!m_channel)
    {
        TlsaLookup result;
        result.error = m_error;
        deliver(request, result);
        return;
    }
    const QString name = QStringLiteral("_%1._tcp.%2").arg(port).arg(host);
    queryRaw(name, 52 /* TLSA, RFC 6698 */, [request, name](const RawAnswer &answer) {
        TlsaLookup result;
        result.authenticated = answer.authenticated;
        if (answer.status == ARES_ENOTFOUND || answer.status == ARES_ENODATA)
        {
            result.outcome = TlsaLookup::Outcome::None;
        }
        else if (answer.status != ARES_SUCCESS)
        {
            result.error = QStringLiteral("TLSA lookup of %1 failed: %2").arg(name, aresText(answer.status));
        }
        else if (!parseTlsaAnswer(answer.message, &result.records))
        {
            result.error = QStringLiteral("TLSA lookup of %1: malformed answer").arg(name);
        }
        else
        {
            result.outcome = result.records.isEmpty() ? TlsaLookup::Outcome::None : TlsaLookup::Outcome::Found;
        }
        deliver(request, result);
    });
}

void DnsResolver::lookupTxt(const QString &name, QObject *context, std::function<void(const TxtLookup &)> done)
{
    auto request = std::make_shared<Request<TxtLookup>>(Request<TxtLookup> { context, std::move(done) });
    if (!m_channel)
    {
        TxtLookup result;
        result.error = m_error;
        deliver(request, result);
        return;
    }
    queryRaw(name, ns_t_txt, [request, name](const RawAnswer &answer) {
        TxtLookup result;
        result.authenticated = answer.authenticated;
        if (answer.status == ARES_ENOTFOUND || answer.status == ARES_ENODATA)
        {
            result.outcome = TxtLookup::Outcome::None;
        }
        else if (answer.status != ARES_SUCCESS)
        {
            result.error = QStringLiteral("TXT lookup of %1 failed: %2").arg(name, aresText(answer.status));
        }
        else
        {
            ares_txt_ext *reply = nullptr;
            const int parsed
                = ares_parse_txt_reply_ext(reinterpret_cast<const unsigned char *>(answer.message.constData()),
                    int(answer.message.size()), &reply);
            if (parsed == ARES_ENODATA)
            {
                result.outcome = TxtLookup::Outcome::None;
            }
            else if (parsed != ARES_SUCCESS)
            {
                result.error = QStringLiteral("TXT lookup of %1: %2").arg(name, aresText(parsed));
            }
            else
            {
                QByteArray current;
                bool any = false;
                for (ares_txt_ext *txt = reply; txt; txt = txt->next)
                {
                    if (txt->record_start && any)
                    {
                        result.texts.append(QString::fromUtf8(current));
                        current.clear();
                    }
                    any = true;
                    current.append(reinterpret_cast<const char *>(txt->txt), qsizetype(txt->length));
                }
                if (any)
                {
                    result.texts.append(QString::fromUtf8(current));
                }
                ares_free_data(reply);
                result.outcome = result.texts.isEmpty() ? TxtLookup::Outcome::None : TxtLookup::Outcome::Found;
            }
        }
        deliver(request, result);
    });
}

TxtLookup DnsResolver::lookupTxtAndWait(const QList<DnsServer> &servers, const QString &name, int timeoutMs)
{
    TxtLookup answer;
    answer.error = QStringLiteral("no answer from DNS for %1 within %2 ms").arg(name).arg(timeoutMs);
    std::unique_ptr<QThread> thread(QThread::create([&servers, &name, timeoutMs, &answer]() {
        DnsResolver resolver(servers);
        QEventLoop loop;
        resolver.lookupTxt(name, &loop, [&answer, &loop](const TxtLookup &lookup) {
            answer = lookup;
            loop.quit();
        });
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec(); // the answer always comes from the event loop, never inside lookupTxt()
    }));
    thread->start();
    thread->wait();
    return answer;
}

namespace {

// Skips a possibly compressed domain name (RFC 1035 §4.1.4); false when it runs off the end.
bool skipName(const QByteArray &message, qsizetype *offset)
{
    qsizetype at = *offset;
    for (int labels = 0; labels < 128; ++labels)
    {
        if (at >= message.size())
        {
            return false;
        }
        const quint8 length = quint8(message.at(at));
        if ((length & 0xc0) == 0xc0)
        {
            if (at + 2 > message.size())
            {
                return false;
            }
            *offset = at + 2;
            return true;
        }
        if ((length & 0xc0) != 0)
        {
            return false;
        }
        if (length == 0)
        {
            *offset = at + 1;
            return true;
        }
        at += 1 + length;
    }
    return false;
}

quint16 read16(const QByteArray &message, qsizetype offset)
{
    return quint16((quint8(message.at(offset)) << 8) | quint8(message.at(offset + 1)));
}

} // namespace

bool DnsResolver::parseTlsaAnswer(const QByteArray &message, QList<TlsaRecord> *records)
{
    records->clear();
    if (message.size() < 12)
    {
        return false;
    }
    const int questions = read16(message, 4);
    const int answers = read16(message, 6);
    qsizetype offset = 12;
    for (int i = 0; i < questions; ++i)
    {
        if (!skipName(message, &offset) || offset + 4 > message.size())
        {
            return false;
        }
        offset += 4;
    }
    for (int i = 0; i < answers; ++i)
    {
        if (!skipName(message, &offset) || offset + 10 > message.size())
        {
            return false;
        }
        const quint16 type = read16(message, offset);
        const quint16 klass = read16(message, offset + 2);
        const quint16 length = read16(message, offset + 8);
        offset += 10;
        if (offset + length > message.size())
        {
            return false;
        }
        if (type == 52 && klass == ns_c_in)
        {
            if (length < 3)
            {
                return false;
            }
            TlsaRecord record;
            record.usage = quint8(message.at(offset));
            record.selector = quint8(message.at(offset + 1));
            record.matching = quint8(message.at(offset + 2));
            record.data = message.mid(offset + 3, length - 3);
            records->append(record);
        }
        offset += length;
    }
    return true;
}

void DnsResolver::lookupAddresses(
    const QString &host, QObject *context, std::function<void(const AddressLookup &)> done)
{
    auto *request = new Request<AddressLookup> { context, std::move(done) };
    const QHostAddress literal(host);
    if (!literal.isNull() || !m_channel)
    {
        AddressLookup result;
        if (!literal.isNull())
        {
            result.outcome = AddressLookup::Outcome::Found;
            result.addresses.append(literal);
        }
        else
        {
            result.error = m_error;
        }
        deliver(request, result);
        return;
    }
    ares_addrinfo_hints hints {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_flags = ARES_AI_NOSORT;
    const QByteArray name = host.toUtf8();
    ares_getaddrinfo(
        m_channel, name.constData(), nullptr, &hints,
        [](void *arg, int status, int, ares_addrinfo *info) {
            auto *request = static_cast<Request<AddressLookup> *>(arg);
            if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED)
            {
                if (info)
                {
                    ares_freeaddrinfo(info);
                }
                delete request;
                return;
            }
            AddressLookup result;
            if (status == ARES_SUCCESS && info)
            {
                for (ares_addrinfo_node *node = info->nodes; node; node = node->ai_next)
                {
                    QHostAddress address(node->ai_addr);
                    if (!address.isNull() && !result.addresses.contains(address))
                    {
                        result.addresses.append(address);
                    }
                }
            }
            if (info)
            {
                ares_freeaddrinfo(info);
            }
            if (!result.addresses.isEmpty())
            {
                result.outcome = AddressLookup::Outcome::Found;
            }
            else if (status == ARES_SUCCESS || !isTemporary(status))
            {
                result.outcome = AddressLookup::Outcome::NotFound;
                result.error = QStringLiteral("no address found");
            }
            else
            {
                result.outcome = AddressLookup::Outcome::Temporary;
                result.error = QStringLiteral("address lookup failed: %1").arg(aresText(status));
            }
            deliver(request, result);
        },
        request);
    rearmTimer();
}

QStringList DnsResolver::orderExchangers(QList<MxRecord> records)
{
    // Shuffle first, then a stable sort keeps equal preferences in random order.
    for (qsizetype i = records.size() - 1; i > 0; --i)
    {
        const qsizetype j = QRandomGenerator::global()->bounded(i + 1);
        std::swap(records[i], records[j]);
    }
    std::stable_sort(records.begin(), records.end(),
        [](const MxRecord &a, const MxRecord &b) { return a.preference < b.preference; });
    QStringList hosts;
    for (const MxRecord &record : records)
    {
        if (!hosts.contains(record.host))
        {
            hosts.append(record.host);
        }
    }
    return hosts;
}
