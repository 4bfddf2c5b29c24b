// The dkim_keys table: the DKIM key pairs of each domain and selector. The private key is
// only read by activeKeys(), for the daemon's signer; list() never carries it.
#pragma once

#include "core/expected.h"
#include "db/database.h"

#include <QList>
#include <QString>

struct DkimKey
{
    qint64 id = 0;
    QString domain; // lower-case A-labels
    QString selector;
    QString algorithm; // "rsa-sha256" or "ed25519-sha256"
    int bits = 0; // RSA modulus size; 256 for Ed25519
    QByteArray publicKey; // the p= value (base64)
    QByteArray privateKey; // PEM; empty in list() results
    qint64 createdAtMs = 0;
    bool active = true; // signs new mail; an inactive key stays published until deleted
};

class DkimKeyTable
{
public:
    explicit DkimKeyTable(Database &db) : m_db(db) { }

    // Adds the keys in one transaction; AlreadyExists when a (domain, selector) is taken.
    // deactivateOthers: the domain's existing keys stop signing (a rotation).
    Status add(const QList<DkimKey> &keys, bool deactivateOthers);
    // NotFound when the domain (or that selector of it) has no key.
    Status remove(const QString &domain, const QString &selector = QString());
    bool selectorTaken(const QString &domain, const QString &selector, Status *error);
    Expected<QList<DkimKey>> list(); // without private keys
    Expected<QList<DkimKey>> activeKeys(); // with private keys

private:
    Database &m_db;
};
