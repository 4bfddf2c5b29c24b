# Shared test helpers (libtmailtest): SMTP and manager clients, certificates, the tmail
# daemon fixture, peers a suite needs, the shared database servers' reset. Include after
# server.pri when both are used.
INCLUDEPATH += $$PWD
LIBS = -L$$TMAIL_BUILD_ROOT/tests/common -ltmailtest $$LIBS
PRE_TARGETDEPS += $$TMAIL_BUILD_ROOT/tests/common/libtmailtest.a
