# db: the database connection, one class per table, and every SQL statement per backend.
HEADERS += $$PWD/database.h $$PWD/passwordhasher.h $$PWD/records.h $$PWD/tables.h \
    $$PWD/queuetable.h $$PWD/mtastspolicytable.h $$PWD/tlsreporttable.h $$PWD/dkimkeytable.h $$PWD/secretbox.h \
    $$PWD/nodetable.h
SOURCES += $$PWD/database.cpp $$PWD/passwordhasher.cpp $$PWD/tables.cpp \
    $$PWD/queuetable.cpp $$PWD/mtastspolicytable.cpp $$PWD/tlsreporttable.cpp $$PWD/dkimkeytable.cpp $$PWD/secretbox.cpp \
    $$PWD/nodetable.cpp
RESOURCES += $$PWD/sql/sql.qrc
CONFIG += link_pkgconfig
PKGCONFIG *= libcrypto
