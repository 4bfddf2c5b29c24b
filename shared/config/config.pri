HEADERS += $$PWD/config.h $$PWD/dbsource.h $$PWD/tlsciphers.h
SOURCES += $$PWD/config.cpp $$PWD/dbsource.cpp $$PWD/tlsciphers.cpp
