HEADERS += $$PWD/dbsource.h $$PWD/database.h $$PWD/passwordhasher.h $$PWD/records.h $$PWD/tables.h \
    $$PWD/queuetable.h
SOURCES += $$PWD/dbsource.cpp $$PWD/database.cpp $$PWD/passwordhasher.cpp $$PWD/tables.cpp \
    $$PWD/queuetable.cpp
RESOURCES += $$PWD/sql/sql.qrc
