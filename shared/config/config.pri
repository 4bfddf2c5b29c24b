HEADERS += $$PWD/config.h $$PWD/dbsource.h
SOURCES += $$PWD/config.cpp $$PWD/dbsource.cpp
