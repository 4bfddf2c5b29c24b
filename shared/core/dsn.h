// The parameters of the SMTP DSN extension (RFC 3461): RET and ENVID on MAIL, NOTIFY
// and ORCPT on RCPT, parsed once from the command line and carried with the message.
#pragma once

#include "core/expected.h"

#include <QString>

namespace Dsn {

// RET (RFC 3461 §4.3): what a failure notice returns of the message.
enum class Ret
{
    Unset = 0, // not given: the headers
    Full = 1,
    Hdrs = 2
};

// NOTIFY (RFC 3461 §4.1) as bits; 0 means the parameter was not given.
enum Notify : int
{
    NotifyNever = 1,
    NotifySuccess = 2,
    NotifyFailure = 4,
    NotifyDelay = 8
};

// RFC 3461 §4: "+XX" for '+', '=' and every octet outside '!'..'~' (UTF-8 for the rest).
QString xtextEncode(const QString &text);
// The text an xtext stands for; fails on a character xtext does not allow, a bad "+XX",
// or a decoded control character (the value ends up in DSN header fields).
Expected<QString> xtextDecode(const QString &xtext);

Expected<Ret> parseRet(const QString &value);
// ENVID: xtext of at most 100 characters; the decoded envelope id.
Expected<QString> parseEnvid(const QString &value);
// "NEVER" alone, or SUCCESS, FAILURE and DELAY, each at most once, comma-separated.
Expected<int> parseNotify(const QString &value);
// ORCPT: "addr-type;xtext" of at most 500 characters; the type and the decoded address,
// as "rfc822;user@example.com" (the form of the Original-Recipient field).
Expected<QString> parseOrcpt(const QString &value);

// The NOTIFY and ORCPT parameters as a next hop receives them ("SUCCESS,FAILURE").
QString notifyText(int notify);
QString orcptParameter(const QString &orcpt);
QString retText(Ret ret);

// Whether a notice of that kind goes out for a recipient's NOTIFY; when NOTIFY was not
// given, failures and delays are reported (RFC 3461 §4.1 leaves the default to the MTA).
bool wants(int notify, Notify kind);

} // namespace Dsn
