# Included by every fuzz target: a libFuzzer program linked with the sanitized
# libtmailserver and libtmailshared of the build tree two levels up (build-asan/).
# No precompiled header: a suite is one or two files, and compiling the header costs
# more than it saves (measured: tst_smtpd 36 s of CPU with it, 16 s without).
TMAIL_NO_PCH = 1
include($$PWD/../../common.pri)
# This .pro is qmake'd on its own, so shadowed() cannot find the build root: it is
# the directory that holds shared/ and server/, TMAIL_FUZZ_BUILD_ROOT or ../../.. from here.
isEmpty(TMAIL_FUZZ_BUILD_ROOT): TMAIL_FUZZ_BUILD_ROOT = $$clean_path($$OUT_PWD/../../..)
TMAIL_BUILD_ROOT = $$TMAIL_FUZZ_BUILD_ROOT
include($$PWD/../../server/server.pri)
TEMPLATE = app
QT = core network sql
CONFIG += console
CONFIG -= app_bundle
QMAKE_CXXFLAGS += -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
QMAKE_LFLAGS += -fsanitize=fuzzer,address,undefined
