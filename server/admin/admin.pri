# admin: the administrative operations, each written once, called by the command line
# and by the manager server alike.
HEADERS += $$PWD/dkimservice.h
SOURCES += $$PWD/dkimservice.cpp
