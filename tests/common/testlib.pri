# Settings of both test helper libraries (the same as test.pri gives the suites).
# No precompiled header: a suite is one or two files, and compiling the header costs
# more than it saves (measured: tst_smtpd 36 s of CPU with it, 16 s without).
TMAIL_NO_PCH = 1
include($$PWD/../../common.pri)
TEMPLATE = lib
CONFIG += staticlib
QT = core network testlib
INCLUDEPATH += $$PWD
DEFINES += TMAIL_SOURCE_DIR=\\\"$$TMAIL_ROOT\\\" TMAIL_BUILD_DIR=\\\"$$TMAIL_BUILD_ROOT\\\"
