// Real peers a test talks to (swaks, msmtp, Postfix's tools, dnsmasq, database servers…).
// ./test.sh installs every one and exports TMAIL_TEST_REQUIRE_PEERS=1: there a missing
// peer is a failure, not a skip. Run by hand without it, the test is skipped with the
// same reason. A QSKIP elsewhere means "not applicable here", never "not installed".
#pragma once

#include <QString>
#include <QtTest>

namespace TestPeers {

// True when TMAIL_TEST_REQUIRE_PEERS is set to a non-zero value (./test.sh).
bool required();
// Whether program is on PATH (or in /usr/sbin and /sbin, where Postfix's tools live).
bool hasProgram(const QString &program);
// The reason as text, from a literal or a QString.
inline QString reasonText(const char *reason)
{
    return QString::fromUtf8(reason);
}
inline QString reasonText(const QString &reason)
{
    return reason;
}

} // namespace TestPeers

// Skips the test (or fails it under ./test.sh) when condition is false.
#define TMAIL_REQUIRE_PEER(condition, reason)                                                                          \
    do                                                                                                                 \
    {                                                                                                                  \
        if (!(condition))                                                                                              \
        {                                                                                                              \
            if (TestPeers::required())                                                                                 \
                QFAIL(qPrintable(QStringLiteral("missing peer (TMAIL_TEST_REQUIRE_PEERS is set): %1")                  \
                                     .arg(TestPeers::reasonText(reason))));                                            \
            QSKIP(qPrintable(TestPeers::reasonText(reason)));                                                          \
        }                                                                                                              \
    } while (false)
