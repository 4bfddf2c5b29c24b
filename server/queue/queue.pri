# queue: the stores of bodies (disk, database), the group-committing queue writer, the remover of
# delivered bodies, bounces, and the administrator's queue actions.
HEADERS += \
    $$PWD/bouncer.h \
    $$PWD/bodyremover.h \
    $$PWD/databasestore.h \
    $$PWD/diskstore.h \
    $$PWD/messagestore.h \
    $$PWD/queueactions.h \
    $$PWD/tlsreportsender.h \
    $$PWD/storemigration.h \
    $$PWD/queuewriter.h
SOURCES += \
    $$PWD/bouncer.cpp \
    $$PWD/bodyremover.cpp \
    $$PWD/databasestore.cpp \
    $$PWD/diskstore.cpp \
    $$PWD/messagestore.cpp \
    $$PWD/queueactions.cpp \
    $$PWD/tlsreportsender.cpp \
    $$PWD/storemigration.cpp \
    $$PWD/queuewriter.cpp
PKGCONFIG *= zlib
