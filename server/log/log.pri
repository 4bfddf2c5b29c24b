HEADERS += $$PWD/logger.h
SOURCES += $$PWD/logger.cpp
