# queue: the disk store of bodies, the group-committing queue writer and the remover of
# delivered bodies.
HEADERS += \
    $$PWD/bodyremover.h \
    $$PWD/diskstore.h \
    $$PWD/queuewriter.h
SOURCES += \
    $$PWD/bodyremover.cpp \
    $$PWD/diskstore.cpp \
    $$PWD/queuewriter.cpp
