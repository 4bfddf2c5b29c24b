// Checks a TLS peer's certificate chain against DNSSEC-authenticated TLSA records as
// RFC 7672 §3 says for SMTP: DANE-EE (usage 3) matches the leaf and ignores its names
// and dates; DANE-TA (usage 2) must anchor the chain, whose leaf must then carry the
// MX host name. PKIX usages 0 and 1 are not usable for SMTP and are ignored.
#pragma once

#include "core/expected.h"
#include "deliverd/dnsresolver.h"

#include <QList>
#include <QSslCertificate>
#include <QString>

namespace DaneVerifier {

// The records of usage 2 or 3 with a known selector (0, 1) and matching type (0, 1, 2).
QList<TlsaRecord> usable(const QList<TlsaRecord> &records);

// Ok when chain (leaf first, as the peer sent it) matches one of records (usable ones);
// else InvalidInput with the reason. hostName is the MX host (RFC 7672 §3.2.2).
Status verify(const QList<QSslCertificate> &chain, const QString &hostName, const QList<TlsaRecord> &records);

} // namespace DaneVerifier
