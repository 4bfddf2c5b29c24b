# smtpd: listeners, sessions, the DATA reader and the relay decision.
# Every TLS handshake shares one OpenSSL context through QSslSocketPrivate, Qt's private API
# (Debian: qt6-base-private-dev; see TlsHandshakePool::startServerEncryption), as Qt's own HTTP client
# does. Without it each handshake builds its own SSL_CTX and RSA key copy: same behaviour,
# ~40% more CPU. A build without the private headers stops here unless it is asked for
# explicitly with CONFIG+=no_private_tls.
!no_private_tls {
    !exists($$[QT_INSTALL_HEADERS]/QtNetwork/$$QT_VERSION/QtNetwork/private/qsslsocket_p.h): \
        error("Qt's private network headers are missing: install qt6-base-private-dev, or build with CONFIG+=no_private_tls (one TLS context per handshake)")
    QT += network-private
    DEFINES += TMAIL_SHARED_TLS_CONTEXT
}
HEADERS += \
    $$PWD/authlimiter.h \
    $$PWD/datareader.h \
    $$PWD/dbworker.h \
    $$PWD/lmtpverifier.h \
    $$PWD/relaypolicy.h \
    $$PWD/smtpcommand.h \
    $$PWD/smtpd.h \
    $$PWD/smtplistener.h \
    $$PWD/smtpsession.h \
    $$PWD/tlshandshakepool.h
SOURCES += \
    $$PWD/authlimiter.cpp \
    $$PWD/datareader.cpp \
    $$PWD/dbworker.cpp \
    $$PWD/lmtpverifier.cpp \
    $$PWD/relaypolicy.cpp \
    $$PWD/smtpcommand.cpp \
    $$PWD/smtpd.cpp \
    $$PWD/smtplistener.cpp \
    $$PWD/smtpsession.cpp \
    $$PWD/tlshandshakepool.cpp
