// The next hops deliverd would try for a domain, and the TLS each must have, found by a
// DeliveryJob in plan mode (the code that delivers, connecting to nothing):
// `tmail routes test` and `tmail tls check` print them.
#pragma once

#include "config/config.h"
#include "db/records.h"
#include "deliverd/deliveryjob.h"

#include <QList>
#include <QString>
#include <QTextStream>

namespace DeliveryPlan {

struct Result
{
    QString domain;
    QList<HopPlan> hops; // in the order deliverd would try them
    bool answered = false; // false: the lookups did not end within the time given
    RecipientResult::Kind kind = RecipientResult::Kind::Temporary; // when no hop is usable
    QString detail; // why no hop is usable (the result a delivery would have)

    bool deliverable() const;
};

// Resolves routes (already selected for the message, in order; empty: the MX) the way
// deliverd does, waiting at most timeoutMs in a local event loop.
Result resolve(const Config &config, const QString &domain, const QList<Route> &routes, int timeoutMs);

// The text `routes test` and `tls check` print.
void print(const Result &result, QTextStream &out);

} // namespace DeliveryPlan
