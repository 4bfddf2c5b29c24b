# app: the daemon's composition root, service installation and the privilege drop.
HEADERS += \
    $$PWD/daemon.h \
    $$PWD/privileges.h \
    $$PWD/secretfiles.h \
    $$PWD/service.h
SOURCES += \
    $$PWD/daemon.cpp \
    $$PWD/privileges.cpp \
    $$PWD/secretfiles.cpp \
    $$PWD/service.cpp
# Each platform's service manager in its own file.
linux: SOURCES += $$PWD/service_linux.cpp
else: macos: SOURCES += $$PWD/service_macos.cpp
else: win32: SOURCES += $$PWD/service_windows.cpp
else: SOURCES += $$PWD/service_other.cpp
RESOURCES += $$PWD/service.qrc
