# managerserver: the daemon's local-socket and remote TLS server for tmail-manager (protocol in shared/manager).
HEADERS += \
    $$PWD/dkimrequests.h \
    $$PWD/managerclient.h \
    $$PWD/managerdbworker.h \
    $$PWD/managerserver.h \
    $$PWD/managertlslistener.h
SOURCES += \
    $$PWD/dkimrequests.cpp \
    $$PWD/managerclient.cpp \
    $$PWD/managerdbworker.cpp \
    $$PWD/managerserver.cpp \
    $$PWD/managertlslistener.cpp
