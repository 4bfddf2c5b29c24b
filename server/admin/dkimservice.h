// DKIM key administration (add, rotate, delete, list, DNS records, DNS check): one
// function per operation, validating its input before anything is written. The command
// line and the manager server both call these; private keys never leave this layer.
#pragma once

#include "config/config.h"
#include "core/expected.h"
#include "db/database.h"
#include "db/dkimkeytable.h"

#include <QDateTime>
#include <QList>
#include <QString>

// What `dkim check` found for one selector.
struct DkimDnsCheck
{
    enum class State
    {
        Published, // a TXT record carries this key
        Missing, // no TXT record at SELECTOR._domainkey.DOMAIN
        DifferentKey, // TXT records there, none with this key
        Unavailable, // DNS did not answer
    };
    QString domain;
    QString selector;
    QString algorithm;
    State state = State::Missing;
    QString detail;

    static QString stateName(State state); // "published", "missing", "different key", "unavailable"
};

class DkimService
{
public:
    explicit DkimService(Database &db) : m_db(db) { }

    // algorithm: "rsa", "ed25519" or "both"; selector empty: tmail<yyyymm> (-rsa/-ed when
    // both). bits: 2048, 3072 or 4096 (RSA). Returns the keys made, without private keys.
    Expected<QList<DkimKey>> add(const QString &domain, const QString &selector, const QString &algorithm, int bits,
        const QDateTime &now = QDateTime::currentDateTimeUtc());
    // New keys of the algorithms the domain signs with now, under a new selector; the old
    // keys stop signing and stay listed (and in `dns`) until deleted.
    Expected<QList<DkimKey>> rotate(const QString &domain, const QDateTime &now = QDateTime::currentDateTimeUtc());
    // selector empty: every key of the domain.
    Status remove(const QString &domain, const QString &selector = QString());
    Expected<QList<DkimKey>> list();
    // One zone-file line per key of the domain (NotFound when it has none).
    Expected<QStringList> dnsRecords(const QString &domain);
    Expected<QList<DkimDnsCheck>> check(const QString &domain, const QList<DnsServer> &dnsServers);

    // add()'s validation alone, for callers that check input before opening the database.
    static Status checkAddInput(const QString &domain, const QString &selector, const QString &algorithm, int bits);

    // The domain as stored: lower-case A-labels (an IDN is converted); InvalidInput otherwise.
    static Expected<QString> normaliseDomain(const QString &text);

private:
    Expected<QList<DkimKey>> keysOf(const QString &domain);
    Expected<QList<DkimKey>> makeKeys(const QString &domain, const QString &selector, const QStringList &algorithms,
        int bits, const QDateTime &now, bool rotation);

    Database &m_db;
};
