# deliverd: the scheduler, routes, DNS through c-ares, the SMTP client and bounces.
CONFIG += link_pkgconfig
PKGCONFIG *= libcares
HEADERS += \
    $$PWD/deliverd.h \
    $$PWD/deliveryjob.h \
    $$PWD/deliveryworker.h \
    $$PWD/dnsresolver.h \
    $$PWD/localaddresspicker.h \
    $$PWD/retryschedule.h \
    $$PWD/routeselector.h \
    $$PWD/smtpclient.h
SOURCES += \
    $$PWD/deliverd.cpp \
    $$PWD/deliveryjob.cpp \
    $$PWD/deliveryworker.cpp \
    $$PWD/dnsresolver.cpp \
    $$PWD/localaddresspicker.cpp \
    $$PWD/retryschedule.cpp \
    $$PWD/routeselector.cpp \
    $$PWD/smtpclient.cpp
