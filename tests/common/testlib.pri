# Settings of both test helper libraries (the same as test.pri gives the suites).
include($$PWD/../../common.pri)
TEMPLATE = lib
CONFIG += staticlib
QT = core network testlib
INCLUDEPATH += $$PWD
DEFINES += TMAIL_SOURCE_DIR=\\\"$$TMAIL_ROOT\\\" TMAIL_BUILD_DIR=\\\"$$TMAIL_BUILD_ROOT\\\"
