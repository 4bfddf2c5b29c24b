// The next hops deliverd would try for a domain, and the TLS each must have, found by a
// DeliveryJob in plan mode (the code that delivers, connecting to nothing):
// `tmail routes test` and `tmail tls check` print them.
#pragma once

#include "config/config.h"
#include "db/records.h"
#include "deliverd/deliveryjob.h"

#include <QList>

class Database;
#include <QString>
#include <QTextStream>

namespace DeliveryPlan {

// A real STARTTLS handshake to one address of a next hop (`tls check --connect`).
struct Probe
{
    QHostAddress address;
    SmtpSessionResult session;
    bool answered = false; // false: no answer within the time given
    bool meetsPolicy = false; // mail could go this way under the hop's TLS policy
};

struct Result
{
    QString domain;
    QList<HopPlan> hops; // in the order deliverd would try them
    bool answered = false; // false: the lookups did not end within the time given
    RecipientResult::Kind kind = RecipientResult::Kind::Temporary; // when no hop is usable
    QString detail; // why no hop is usable (the result a delivery would have)
    QList<QList<Probe>> probes; // after connect(): per hop (as hops), per address
    bool probed = false;

    // Some hop is usable; after connect(), some address of one also met its TLS policy.
    bool deliverable() const;
};

// Resolves routes (already selected for the message, in order; empty: the MX) the way
// deliverd does, waiting at most timeoutMs in a local event loop. With db, an MTA-STS
// policy deliverd has cached there is used as deliverd would (read only).
Result resolve(
    const Config &config, const QString &domain, const QList<Route> &routes, int timeoutMs, Database *db = nullptr);

// Connects to every address of every usable hop: greeting, EHLO, STARTTLS and the
// certificate check the hop's policy asks for, then QUIT (nothing is sent). Each
// attempt waits at most timeoutMs.
void connect(Result *result, const Config &config, int timeoutMs);

// The text `routes test` and `tls check` print.
void print(const Result &result, QTextStream &out);

} // namespace DeliveryPlan
