# admin: each administrative operation written once (validate, then act), called by the
# command line and by the manager server alike. One line per file below.
HEADERS += $$PWD/adminservice.h
HEADERS += $$PWD/dkimservice.h
HEADERS += $$PWD/rcpthostservice.h
HEADERS += $$PWD/relayipservice.h
HEADERS += $$PWD/routeservice.h
HEADERS += $$PWD/throttleservice.h
HEADERS += $$PWD/userservice.h
SOURCES += $$PWD/adminservice.cpp
SOURCES += $$PWD/dkimservice.cpp
SOURCES += $$PWD/rcpthostservice.cpp
SOURCES += $$PWD/relayipservice.cpp
SOURCES += $$PWD/routeservice.cpp
SOURCES += $$PWD/throttleservice.cpp
SOURCES += $$PWD/userservice.cpp
