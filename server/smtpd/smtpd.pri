# smtpd: listeners, sessions, the DATA reader and the relay decision.
# Every TLS handshake shares one context through QSslSocketPrivate, Qt's private API
# (Debian: qt6-base-private-dev; see Smtpd::startServerEncryption). Without those headers
# each handshake builds its own SSL_CTX and RSA key copy: same behaviour, ~40% more CPU.
exists($$[QT_INSTALL_HEADERS]/QtNetwork/$$QT_VERSION/QtNetwork/private/qsslsocket_p.h) {
    QT += network-private
    DEFINES += TMAIL_SHARED_TLS_CONTEXT
} else {
    warning("Qt's private network headers (qt6-base-private-dev) are missing: each STARTTLS handshake will build its own TLS context")
}
HEADERS += \
    $$PWD/authlimiter.h \
    $$PWD/datareader.h \
    $$PWD/dbworker.h \
    $$PWD/relaypolicy.h \
    $$PWD/smtpcommand.h \
    $$PWD/smtpd.h \
    $$PWD/smtplistener.h \
    $$PWD/smtpsession.h
SOURCES += \
    $$PWD/authlimiter.cpp \
    $$PWD/datareader.cpp \
    $$PWD/dbworker.cpp \
    $$PWD/relaypolicy.cpp \
    $$PWD/smtpcommand.cpp \
    $$PWD/smtpd.cpp \
    $$PWD/smtplistener.cpp \
    $$PWD/smtpsession.cpp
