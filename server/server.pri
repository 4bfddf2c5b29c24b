# Included by programs that link libtmailserver (the tmail binary and server tests).
include($$PWD/../shared/shared.pri)
QT *= core network sql
INCLUDEPATH += $$PWD
LIBS = -L$$TMAIL_BUILD_ROOT/server -ltmailserver $$LIBS
PRE_TARGETDEPS += $$TMAIL_BUILD_ROOT/server/libtmailserver.a
PKGCONFIG += libcares openssl zlib
