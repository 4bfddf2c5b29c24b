# deliverd: the scheduler, routes, DNS through c-ares, the SMTP client and bounces.
CONFIG += link_pkgconfig
PKGCONFIG *= libcares openssl
HEADERS += \
    $$PWD/daneverifier.h \
    $$PWD/deliverd.h \
    $$PWD/deliveryjob.h \
    $$PWD/deliveryworker.h \
    $$PWD/dnsresolver.h \
    $$PWD/dotstuffer.h \
    $$PWD/lmtpclient.h \
    $$PWD/localaddresspicker.h \
    $$PWD/mtastscache.h \
    $$PWD/mtastsfetcher.h \
    $$PWD/mtastspolicy.h \
    $$PWD/retryschedule.h \
    $$PWD/routeselector.h \
    $$PWD/smtpclient.h \
    $$PWD/smtpreplyreader.h
SOURCES += \
    $$PWD/daneverifier.cpp \
    $$PWD/deliverd.cpp \
    $$PWD/deliveryjob.cpp \
    $$PWD/deliveryworker.cpp \
    $$PWD/dnsresolver.cpp \
    $$PWD/lmtpclient.cpp \
    $$PWD/localaddresspicker.cpp \
    $$PWD/mtastscache.cpp \
    $$PWD/mtastsfetcher.cpp \
    $$PWD/mtastspolicy.cpp \
    $$PWD/retryschedule.cpp \
    $$PWD/routeselector.cpp \
    $$PWD/smtpclient.cpp \
    $$PWD/smtpreplyreader.cpp
