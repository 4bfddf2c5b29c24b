# Included by every program that links libtmailshared.
QT *= core network
LIBS += -L$$TMAIL_BUILD_ROOT/shared -ltmailshared
PRE_TARGETDEPS += $$TMAIL_BUILD_ROOT/shared/libtmailshared.a
CONFIG += link_pkgconfig
PKGCONFIG += openssl
