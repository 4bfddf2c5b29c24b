// Parsers for the values an administrator types (route fields, credentials, ids): the
// one implementation the command line, the manager server and tmail-manager's dialogs
// all call. Each returns the canonical form or an InvalidInput failure whose message
// reads after the field's name ("remote host: '…' is not a host name or an IP address").
#pragma once

#include "core/expected.h"

#include <QString>
#include <QStringList>

namespace AdminValues {

// Bounds of a route's numeric fields and credentials (the user column's size on MySQL).
constexpr int MinPort = 1;
constexpr int MaxPort = 65535;
constexpr int MinPriority = 0;
constexpr int MaxPriority = 1000000;
constexpr int MaxSmtpUserLength = 320;
constexpr int MaxSmtpPasswordLength = 1024;
// Administrator accounts of the remote manager: name length and password bounds.
constexpr int MaxAdminNameLength = 64;
constexpr int MinAdminPasswordLength = 8;
constexpr int MaxAdminPasswordLength = 1024;
// How much of a client-given name a log line quotes.
constexpr int MaxLoggedText = 200;

// A next hop: a host name (IDNA, as Domain::parse) or one IP address (as IpRange::parse,
// without a prefix length), in canonical form.
Expected<QString> remoteHost(const QString &text);
// A TCP port, 1 to 65535, from text or from a number.
Expected<quint16> port(const QString &text);
Expected<quint16> port(qint64 number);
// A route priority, 0 to 1000000 (lower first).
Expected<int> priority(const QString &text);
Expected<int> priority(qint64 number);
// A route id: a positive whole number.
Expected<qint64> routeId(const QString &text);
// TMAIL_DELIVERD_LOCAL_IPS syntax (a|b, a&b); empty text is "the global setting".
Expected<QString> localIps(const QString &text);
// A route's TLS policy towards its next hop: "opportunistic" (STARTTLS when offered, as
// the TMAIL_DELIVERD_REMOTE_TLS_* settings say), "required" (STARTTLS mandatory, any
// certificate), "verify" (STARTTLS and a certificate valid for the route host) or "dane"
// (the route host's DNSSEC-signed TLSA records, RFC 7672). Empty text is "opportunistic".
Expected<QString> routeTls(const QString &text);
// Every value routeTls accepts, the default first.
QStringList routeTlsPolicies();
// A sender domain filter; empty text is "any sender".
Expected<QString> senderDomain(const QString &text);
// An authenticated-user filter (an address); empty text is "any user".
Expected<QString> authUser(const QString &text);
// A password or SMTP user name: no control characters (NUL separates the fields of AUTH
// PLAIN, CR/LF lines), valid UTF-16, at most maxLength characters (0: no limit).
Status credential(const QString &text, int maxLength = 0);
// text for one log line: control characters shown as '?', at most maxLength characters
// (then an ellipsis), so that what a client sent can neither forge nor flood lines.
QString printable(const QString &text, int maxLength = MaxLoggedText);
// What an administrator of the remote manager may do; each role includes the ones before.
// viewer: read everything but secrets; operator: also act on the queue and change
// domains, users, relay IPs, routes and DKIM keys; admin: also the configuration.
enum class AdminRole
{
    Viewer,
    Operator,
    Admin,
};
QString adminRoleName(AdminRole role);
// viewer, operator or admin (any case).
Expected<AdminRole> adminRole(const QString &text);
// An administrator's name: 1 to 64 of the letters a-z, digits, '.', '_' and '-', starting
// with a letter or digit; returned in lower case.
Expected<QString> adminName(const QString &text);
// An administrator's password: 8 to 1024 characters, as credential() otherwise.
Status adminPassword(const QString &text);
// A queue message id: 40 hexadecimal digits, returned in lower case.
Expected<QString> queueId(const QString &text);
// The fewest digits of an id that `tmail queue` and the manager accept for a message.
constexpr int MinQueueIdPrefix = 8;
// A message id or its first digits: MinQueueIdPrefix to 40 hexadecimal digits, in lower case.
Expected<QString> queueIdPrefix(const QString &text);
// A DKIM signing domain (RFC 6376 d=): a domain of at least two labels, an IDN converted
// to its A-labels, in lower case.
Expected<QString> dkimDomain(const QString &text);
// A DKIM selector (RFC 6376 s=): one DNS label of letters, digits and '-'.
bool isDkimSelector(const QString &text);
// The RSA key sizes tmail makes DKIM keys of.
bool isDkimRsaBits(int bits);

// Bounds of a throttle's limits.
constexpr int MaxThrottleConcurrency = 100000;
constexpr int MaxThrottleRatePerHour = 60 * 1000000;
// A throttle's destination: a recipient domain ("example.com") or an MX host pattern
// whose leftmost label is '*' ("*.google.com", any name below google.com), in lower case
// with an IDN converted to its A-labels.
Expected<QString> throttlePattern(const QString &text);
// Concurrent sessions to a destination: 1 to MaxThrottleConcurrency.
Expected<int> throttleConcurrency(const QString &text);
// "N/m" (messages per minute) or "N/h" (per hour), N from 1, as messages per hour.
Expected<int> throttleRate(const QString &text);
// A rate per hour as throttleRate reads it back: "600/m", "90/h".
QString throttleRateText(int perHour);

} // namespace AdminValues
