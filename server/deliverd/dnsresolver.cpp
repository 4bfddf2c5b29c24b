// c-ares in the Qt event loop: MX and address lookups for deliverd.
#include "deliverd/dnsresolver.h"

#include <algorithm>

#include <ares.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <QMetaObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QSocketNotifier>

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
    if (request->context) {
        QObject *context = request->context.data();
        QMetaObject::invokeMethod(
            context, [done = std::move(request->done), result = std::move(result)]() { done(result); },
            Qt::QueuedConnection);
    }
    delete request;
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

    if (libraryUsers++ == 0) {
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
    if (status != ARES_SUCCESS) {
        m_error = QStringLiteral("cannot initialise c-ares: %1").arg(aresText(status));
        return;
    }
    m_channel = channel;
    if (!servers.isEmpty()) {
        QStringList entries;
        for (const DnsServer &server : servers) {
            const QString host = server.address.protocol() == QAbstractSocket::IPv6Protocol
                ? QLatin1Char('[') + server.address.toString() + QLatin1Char(']')
                : server.address.toString();
            entries.append(host + QLatin1Char(':') + QString::number(server.port));
        }
        const QByteArray csv = entries.join(QLatin1Char(',')).toLatin1();
        const int set = ares_set_servers_ports_csv(m_channel, csv.constData());
        if (set != ARES_SUCCESS) {
            m_error = QStringLiteral("cannot use DNS servers %1: %2").arg(QString::fromLatin1(csv), aresText(set));
        }
    }
}

DnsResolver::~DnsResolver()
{
    if (m_channel) {
        // Pending callbacks run with ARES_EDESTRUCTION; their contexts get nothing.
        ares_destroy(m_channel);
        m_channel = nullptr;
    }
    m_sockets.clear();
    if (--libraryUsers == 0) {
        ares_library_cleanup();
    }
}

void DnsResolver::socketStateChanged(void *data, int socket, int readable, int writable)
{
    static_cast<DnsResolver *>(data)->updateSocket(socket, readable != 0, writable != 0);
}

void DnsResolver::updateSocket(int socket, bool readable, bool writable)
{
    if (!readable && !writable) {
        m_sockets.remove(socket);
        return;
    }
    std::shared_ptr<SocketWatch> &watch = m_sockets[socket];
    if (!watch) {
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
    if (!m_channel) {
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
    if (!m_channel || !ares_timeout(m_channel, nullptr, &wait)) {
        m_timer.stop();
        return;
    }
    const qint64 ms = qint64(wait.tv_sec) * 1000 + wait.tv_usec / 1000;
    m_timer.start(int(std::max<qint64>(ms, 1)));
}

void DnsResolver::lookupMx(const QString &domain, QObject *context, std::function<void(const MxLookup &)> done)
{
    auto *request = new Request<MxLookup> { context, std::move(done) };
    if (!m_channel) {
        MxLookup result;
        result.error = m_error;
        deliver(request, result);
        return;
    }
    const QByteArray name = domain.toUtf8();
    ares_query(
        m_channel, name.constData(), ns_c_in, ns_t_mx,
        [](void *arg, int status, int, unsigned char *answer, int length) {
            auto *request = static_cast<Request<MxLookup> *>(arg);
            if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
                delete request;
                return;
            }
            MxLookup result;
            if (status == ARES_ENOTFOUND) {
                result.outcome = MxLookup::Outcome::NotFound;
                result.error = QStringLiteral("domain not found (NXDOMAIN)");
            } else if (status == ARES_ENODATA) {
                result.outcome = MxLookup::Outcome::NoMx;
            } else if (status != ARES_SUCCESS) {
                result.outcome = MxLookup::Outcome::Temporary;
                result.error = QStringLiteral("MX lookup failed: %1").arg(aresText(status));
            } else {
                ares_mx_reply *reply = nullptr;
                const int parsed = ares_parse_mx_reply(answer, length, &reply);
                if (parsed == ARES_ENODATA) {
                    result.outcome = MxLookup::Outcome::NoMx;
                } else if (parsed != ARES_SUCCESS) {
                    result.outcome = MxLookup::Outcome::Temporary;
                    result.error = QStringLiteral("bad MX answer: %1").arg(aresText(parsed));
                } else {
                    QList<MxRecord> records;
                    for (ares_mx_reply *mx = reply; mx; mx = mx->next) {
                        QString host = QString::fromUtf8(mx->host);
                        if (host.endsWith(QLatin1Char('.'))) {
                            host.chop(1);
                        }
                        records.append({ host.toLower(), mx->priority });
                    }
                    ares_free_data(reply);
                    if (records.size() == 1 && records.first().host.isEmpty()) {
                        result.outcome = MxLookup::Outcome::NullMx;
                        result.error = QStringLiteral("the domain accepts no mail (null MX)");
                    } else {
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
        },
        request);
    rearmTimer();
}

void DnsResolver::lookupAddresses(
    const QString &host, QObject *context, std::function<void(const AddressLookup &)> done)
{
    auto *request = new Request<AddressLookup> { context, std::move(done) };
    const QHostAddress literal(host);
    if (!literal.isNull() || !m_channel) {
        AddressLookup result;
        if (!literal.isNull()) {
            result.outcome = AddressLookup::Outcome::Found;
            result.addresses.append(literal);
        } else {
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
            if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
                if (info) {
                    ares_freeaddrinfo(info);
                }
                delete request;
                return;
            }
            AddressLookup result;
            if (status == ARES_SUCCESS && info) {
                for (ares_addrinfo_node *node = info->nodes; node; node = node->ai_next) {
                    QHostAddress address(node->ai_addr);
                    if (!address.isNull() && !result.addresses.contains(address)) {
                        result.addresses.append(address);
                    }
                }
            }
            if (info) {
                ares_freeaddrinfo(info);
            }
            if (!result.addresses.isEmpty()) {
                result.outcome = AddressLookup::Outcome::Found;
            } else if (status == ARES_SUCCESS || !isTemporary(status)) {
                result.outcome = AddressLookup::Outcome::NotFound;
                result.error = QStringLiteral("no address found");
            } else {
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
    for (qsizetype i = records.size() - 1; i > 0; --i) {
        const qsizetype j = QRandomGenerator::global()->bounded(i + 1);
        std::swap(records[i], records[j]);
    }
    std::stable_sort(records.begin(), records.end(),
        [](const MxRecord &a, const MxRecord &b) { return a.preference < b.preference; });
    QStringList hosts;
    for (const MxRecord &record : records) {
        if (!hosts.contains(record.host)) {
            hosts.append(record.host);
        }
    }
    return hosts;
}
