# The manager protocol: message types and the frame codec, shared by the daemon's
# manager server and tmail-manager.
HEADERS += \
    $$PWD/framecodec.h \
    $$PWD/managerprotocol.h
SOURCES += \
    $$PWD/framecodec.cpp \
    $$PWD/managerprotocol.cpp
