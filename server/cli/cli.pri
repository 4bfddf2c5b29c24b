# cli: the command line (tmail COMMAND …) and its table printer.
HEADERS += \
    $$PWD/clustercommand.h \
    $$PWD/commanddatabase.h \
    $$PWD/commandline.h \
    $$PWD/configcommand.h \
    $$PWD/daemonsync.h \
    $$PWD/deliveryplan.h \
    $$PWD/dkimcommand.h \
    $$PWD/passwordinput.h \
    $$PWD/sendmailcommand.h \
    $$PWD/texttable.h
SOURCES += \
    $$PWD/clustercommand.cpp \
    $$PWD/commanddatabase.cpp \
    $$PWD/commandline.cpp \
    $$PWD/configcommand.cpp \
    $$PWD/daemonsync.cpp \
    $$PWD/deliveryplan.cpp \
    $$PWD/dkimcommand.cpp \
    $$PWD/passwordinput.cpp \
    $$PWD/sendmailcommand.cpp \
    $$PWD/texttable.cpp
