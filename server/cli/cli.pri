HEADERS += \
    $$PWD/commandline.h \
    $$PWD/texttable.h \
    $$PWD/daemon.h
SOURCES += \
    $$PWD/commandline.cpp \
    $$PWD/texttable.cpp \
    $$PWD/daemon.cpp
