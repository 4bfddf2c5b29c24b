HEADERS += \
    $$PWD/commandline.h \
    $$PWD/texttable.h \
    $$PWD/daemon.h \
    $$PWD/privileges.h \
    $$PWD/service.h
SOURCES += \
    $$PWD/commandline.cpp \
    $$PWD/texttable.cpp \
    $$PWD/daemon.cpp \
    $$PWD/privileges.cpp \
    $$PWD/service.cpp
RESOURCES += $$PWD/service.qrc
