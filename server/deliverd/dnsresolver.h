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
    bool authenticated = false; // the resolver set AD: DNSSEC-validated (RFC 4035 §3.2.3)
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
    bool authenticated = false; // every answer (A and AAAA) carried AD; only from lookupAddressesSecure
};

// One TLSA record (RFC 6698 §2.1).
struct TlsaRecord
{
    int usage = 0; // 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE
    int selector = 0; // 0 full certificate, 1 SubjectPublicKeyInfo
    int matching = 0; // 0 exact, 1 SHA-256, 2 SHA-512
    QByteArray data;
};

// The TLSA records of _PORT._tcp.HOST.
struct TlsaLookup
{
    enum class Outcome
    {
        Found, // records holds them
        None, // NXDOMAIN or no TLSA
        Temporary // SERVFAIL (bogus for a validator), timeout…: RFC 7672 §2.2 says defer
    };
    Outcome outcome = Outcome::Temporary;
    QList<TlsaRecord> records;
    QString error;
    bool authenticated = false;
};

// The TXT strings of a name, each record's strings joined (RFC 7208 §3.3 style).
struct TxtLookup
{
    enum class Outcome
    {
        Found,
        None,
        Temporary
    };
    Outcome outcome = Outcome::Temporary;
    QStringList texts;
    QString error;
    bool authenticated = false;
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
    // A and AAAA asked with AD set, so that authenticated says whether both were validated.
    void lookupAddressesSecure(const QString &host, QObject *context, std::function<void(const AddressLookup &)> done);
    void lookupTlsa(const QString &host, quint16 port, QObject *context, std::function<void(const TlsaLookup &)> done);
    void lookupTxt(const QString &name, QObject *context, std::function<void(const TxtLookup &)> done);
    // The same TXT lookup for a caller that must have the answer before it goes on (the
    // command line, a manager request): a resolver on a thread of its own answers while the
    // caller's thread waits, at most timeoutMs, and handles none of its own events meanwhile.
    static TxtLookup lookupTxtAndWait(const QList<DnsServer> &servers, const QString &name, int timeoutMs);

    // The TLSA records in the answer section of a DNS message; false on a malformed message.
    static bool parseTlsaAnswer(const QByteArray &message, QList<TlsaRecord> *records);
    // The AD bit of a DNS message's header (false when too short).
    static bool authenticatedData(const QByteArray &message);

    // Lowest preference first; equal preferences in random order (RFC 5321 §5.1 load sharing).
    static QStringList orderExchangers(QList<MxRecord> records);

private:
    struct SocketWatch;
    struct RawAnswer
    {
        int status = 0; // ARES_SUCCESS, ARES_ENOTFOUND (NXDOMAIN), ARES_ENODATA, or a failure
        QByteArray message;
        bool authenticated = false;
    };
    // Sends one query with RD and AD set (RFC 6840 §5.7) and hands back the raw answer.
    void queryRaw(const QString &name, int type, std::function<void(const RawAnswer &)> done);
    static void socketStateChanged(void *data, int socket, int readable, int writable);
    void updateSocket(int socket, bool readable, bool writable);
    void process(int readSocket, int writeSocket);
    void rearmTimer();

    ares_channeldata *m_channel = nullptr;
    QString m_error;
    QHash<int, std::shared_ptr<SocketWatch>> m_sockets;
    QTimer m_timer;
};
