# cli: the command line (tmail COMMAND …) and its table printer.
HEADERS += \
    $$PWD/commandline.h \
    $$PWD/deliveryplan.h \
    $$PWD/dkimcommand.h \
    $$PWD/sendmailcommand.h \
    $$PWD/texttable.h
SOURCES += \
    $$PWD/commandline.cpp \
    $$PWD/deliveryplan.cpp \
    $$PWD/dkimcommand.cpp \
    $$PWD/sendmailcommand.cpp \
    $$PWD/texttable.cpp
