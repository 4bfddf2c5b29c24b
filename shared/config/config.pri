HEADERS += $$PWD/config.h
SOURCES += $$PWD/config.cpp
