# smtpd: listeners, sessions, the DATA reader and the relay decision.
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
