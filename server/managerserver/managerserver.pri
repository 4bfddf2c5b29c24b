# managerserver: the daemon's local-socket server for tmail-manager (protocol in shared/manager).
HEADERS += \
    $$PWD/dkimrequests.h \
    $$PWD/managerclient.h \
    $$PWD/managerdbworker.h \
    $$PWD/managerserver.h
SOURCES += \
    $$PWD/dkimrequests.cpp \
    $$PWD/managerclient.cpp \
    $$PWD/managerdbworker.cpp \
    $$PWD/managerserver.cpp
