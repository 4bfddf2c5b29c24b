# queue: the disk store of bodies, the group-committing queue writer, the remover of
# delivered bodies, bounces, and the administrator's queue actions.
HEADERS += \
    $$PWD/bouncer.h \
    $$PWD/bodyremover.h \
    $$PWD/diskstore.h \
    $$PWD/queueactions.h \
    $$PWD/tlsreportsender.h \
    $$PWD/queuewriter.h
SOURCES += \
    $$PWD/bouncer.cpp \
    $$PWD/bodyremover.cpp \
    $$PWD/diskstore.cpp \
    $$PWD/queueactions.cpp \
    $$PWD/tlsreportsender.cpp \
    $$PWD/queuewriter.cpp
PKGCONFIG *= zlib
