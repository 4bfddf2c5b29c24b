HEADERS += \
    $$PWD/config.h \
    $$PWD/configfile.h \
    $$PWD/configregistry.h \
    $$PWD/configreload.h \
    $$PWD/dbsource.h
SOURCES += \
    $$PWD/config.cpp \
    $$PWD/configfile.cpp \
    $$PWD/configregistry.cpp \
    $$PWD/dbsource.cpp
