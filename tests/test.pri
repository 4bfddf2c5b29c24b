# Included by every test .pro: a Qt Test console program linked with libtmailshared.
# No precompiled header: a suite is one or two files, and compiling the header costs
# more than it saves (measured: tst_smtpd 36 s of CPU with it, 16 s without).
TMAIL_NO_PCH = 1
include($$PWD/../common.pri)
include($$PWD/../shared/shared.pri)
QT = core network sql testlib
CONFIG += console testcase no_testcase_installs
CONFIG -= app_bundle
TEMPLATE = app
# Absolute paths tests use to drive the real binaries and read resources.
DEFINES += TMAIL_SOURCE_DIR=\\\"$$TMAIL_ROOT\\\" TMAIL_BUILD_DIR=\\\"$$TMAIL_BUILD_ROOT\\\"
