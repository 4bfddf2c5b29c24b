HEADERS += \
    $$PWD/config.h \
    $$PWD/configfile.h \
    $$PWD/configregistry.h \
    $$PWD/configreload.h \
    $$PWD/dbsource.h \
    $$PWD/tlsciphers.h
SOURCES += \
    $$PWD/config.cpp \
    $$PWD/configfile.cpp \
    $$PWD/configregistry.cpp \
    $$PWD/dbsource.cpp \
    $$PWD/tlsciphers.cpp
