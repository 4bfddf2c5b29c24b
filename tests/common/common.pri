# Shared test helpers (running the tmail binary).
INCLUDEPATH += $$PWD
HEADERS += $$PWD/tmailprocess.h
SOURCES += $$PWD/tmailprocess.cpp
