// The signing keys the daemon holds: immutable once built, shared by the signing threads,
// replaced as a whole when the database's change serial moves.
#pragma once

#include "dkim/dkimkeys.h"

#include <memory>

#include <QHash>
#include <QList>
#include <QString>

struct DkimSigningKey
{
    QString domain; // lower-case A-labels: the d= value
    QString selector; // the s= value
    DkimPrivateKey key;
};

class DkimKeyring
{
public:
    void add(const DkimSigningKey &key);
    // The active keys of domain or of its nearest parent that has any (a.b.example → b.example → example).
    QList<DkimSigningKey> keysFor(const QString &domain) const;
    bool isEmpty() const { return m_byDomain.isEmpty(); }
    qsizetype keyCount() const;

private:
    QHash<QString, QList<DkimSigningKey>> m_byDomain;
};

using DkimKeyringPtr = std::shared_ptr<const DkimKeyring>;
