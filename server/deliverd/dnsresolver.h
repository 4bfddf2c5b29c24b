// Asynchronous DNS for deliverd: a c-ares channel driven by the Qt event loop
// (its sockets watched by QSocketNotifiers, its timeouts by one QTimer).
#pragma once

#include "config/config.h"

#include <functional>
#include <memory>

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

class QSocketNotifier;
struct ares_channeldata;

// The mail exchangers of a domain, as RFC 5321 §5.1 and RFC 7505 use them.
struct MxLookup
{
    enum class Outcome
    {
        Exchangers, // exchangers holds the hosts, lowest preference first
        NoMx, // the domain exists but has no MX: use its own A/AAAA
        NullMx, // "MX 0 ." : the domain accepts no mail (permanent)
        NotFound, // NXDOMAIN (permanent)
        Temporary // SERVFAIL, refused, timeout… (retry later)
    };
    Outcome outcome = Outcome::Temporary;
    QStringList exchangers;
    QString error; // for logs and bounces when outcome is not Exchangers
};

// The addresses of one host name.
struct AddressLookup
{
    enum class Outcome
    {
        Found,
        NotFound, // NXDOMAIN or no A/AAAA (permanent for this host)
        Temporary
    };
    Outcome outcome = Outcome::Temporary;
    QList<QHostAddress> addresses;
    QString error;
};

struct MxRecord
{
    QString host;
    int preference = 0;
};

class DnsResolver : public QObject
{
    Q_OBJECT
public:
    // servers: empty = the system's resolvers (/etc/resolv.conf).
    explicit DnsResolver(const QList<DnsServer> &servers, QObject *parent = nullptr);
    ~DnsResolver() override;

    // False (with error()) when c-ares could not be set up; lookups then fail as Temporary.
    bool isValid() const { return m_channel != nullptr; }
    const QString &error() const { return m_error; }

    // done runs later from the event loop, never inside the call, and only while context lives.
    void lookupMx(const QString &domain, QObject *context, std::function<void(const MxLookup &)> done);
    void lookupAddresses(const QString &host, QObject *context, std::function<void(const AddressLookup &)> done);

    // Lowest preference first; equal preferences in random order (RFC 5321 §5.1 load sharing).
    static QStringList orderExchangers(QList<MxRecord> records);

private:
    struct SocketWatch;
    static void socketStateChanged(void *data, int socket, int readable, int writable);
    void updateSocket(int socket, bool readable, bool writable);
    void process(int readSocket, int writeSocket);
    void rearmTimer();

    ares_channeldata *m_channel = nullptr;
    QString m_error;
    QHash<int, std::shared_ptr<SocketWatch>> m_sockets;
    QTimer m_timer;
};
