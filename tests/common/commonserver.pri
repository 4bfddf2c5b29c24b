# common.pri plus the in-process fixtures (libtmailtestserver): SmtpTestServer and
# ManagerTestDaemon. They link libtmailserver.
include($$PWD/../../server/server.pri)
include($$PWD/common.pri)
LIBS = -L$$TMAIL_BUILD_ROOT/tests/common -ltmailtestserver $$LIBS
PRE_TARGETDEPS += $$TMAIL_BUILD_ROOT/tests/common/libtmailtestserver.a
