HEADERS += \
    $$PWD/adminvalues.h \
    $$PWD/expected.h \
    $$PWD/domain.h \
    $$PWD/mailaddress.h \
    $$PWD/iprange.h \
    $$PWD/textvalue.h \
    $$PWD/listenerdsn.h \
    $$PWD/localippolicy.h \
    $$PWD/dnsserver.h \
    $$PWD/dsn.h \
    $$PWD/lmtptarget.h \
    $$PWD/timestamp.h \
    $$PWD/queuefilter.h
SOURCES += \
    $$PWD/adminvalues.cpp \
    $$PWD/domain.cpp \
    $$PWD/mailaddress.cpp \
    $$PWD/iprange.cpp \
    $$PWD/textvalue.cpp \
    $$PWD/listenerdsn.cpp \
    $$PWD/localippolicy.cpp \
    $$PWD/dnsserver.cpp \
    $$PWD/dsn.cpp \
    $$PWD/lmtptarget.cpp \
    $$PWD/timestamp.cpp \
    $$PWD/queuefilter.cpp
