# managerserver: the daemon's local-socket server for tmail-manager (protocol in shared/manager).
HEADERS += \
    $$PWD/managerclient.h \
    $$PWD/managerdbworker.h \
    $$PWD/managerserver.h
SOURCES += \
    $$PWD/managerclient.cpp \
    $$PWD/managerdbworker.cpp \
    $$PWD/managerserver.cpp
