HEADERS += $$PWD/dbsource.h $$PWD/database.h $$PWD/passwordhasher.h $$PWD/records.h $$PWD/tables.h
SOURCES += $$PWD/dbsource.cpp $$PWD/database.cpp $$PWD/passwordhasher.cpp $$PWD/tables.cpp
RESOURCES += $$PWD/sql/sql.qrc
