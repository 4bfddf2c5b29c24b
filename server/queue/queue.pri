# queue: the disk store of bodies and the group-committing queue writer.
HEADERS += \
    $$PWD/diskstore.h \
    $$PWD/queuewriter.h
SOURCES += \
    $$PWD/diskstore.cpp \
    $$PWD/queuewriter.cpp
