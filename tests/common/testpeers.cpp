// See testpeers.h.
#include "testpeers.h"

#include <QStandardPaths>

namespace TestPeers {

bool required()
{
    const QByteArray value = qgetenv("TMAIL_TEST_REQUIRE_PEERS");
    return !value.isEmpty() && value != "0";
}

bool hasProgram(const QString &program)
{
    return !QStandardPaths::findExecutable(program).isEmpty()
        || !QStandardPaths::findExecutable(program, { QStringLiteral("/usr/sbin"), QStringLiteral("/sbin") }).isEmpty();
}

} // namespace TestPeers
