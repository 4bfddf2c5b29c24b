# tmail-manager's classes (everything but main.cpp), also compiled into the GUI tests.
INCLUDEPATH += $$PWD
HEADERS += \
    $$PWD/admindialog.h \
    $$PWD/adminspage.h \
    $$PWD/configfield.h \
    $$PWD/certificatepins.h \
    $$PWD/configpage.h \
    $$PWD/connectdialog.h \
    $$PWD/dashboardpage.h \
    $$PWD/dkimkeydialog.h \
    $$PWD/dkimpage.h \
    $$PWD/domaindialog.h \
    $$PWD/domainspage.h \
    $$PWD/jsontablemodel.h \
    $$PWD/logfiltermodel.h \
    $$PWD/logmodel.h \
    $$PWD/logspage.h \
    $$PWD/mainwindow.h \
    $$PWD/managerconnection.h \
    $$PWD/queuepage.h \
    $$PWD/recorddialog.h \
    $$PWD/relayipdialog.h \
    $$PWD/relayipspage.h \
    $$PWD/routedialog.h \
    $$PWD/routespage.h \
    $$PWD/tablepage.h \
    $$PWD/throughputchart.h \
    $$PWD/userdialog.h \
    $$PWD/userspage.h
SOURCES += \
    $$PWD/admindialog.cpp \
    $$PWD/adminspage.cpp \
    $$PWD/configfield.cpp \
    $$PWD/certificatepins.cpp \
    $$PWD/configpage.cpp \
    $$PWD/connectdialog.cpp \
    $$PWD/dashboardpage.cpp \
    $$PWD/dkimkeydialog.cpp \
    $$PWD/dkimpage.cpp \
    $$PWD/domaindialog.cpp \
    $$PWD/domainspage.cpp \
    $$PWD/jsontablemodel.cpp \
    $$PWD/logfiltermodel.cpp \
    $$PWD/logmodel.cpp \
    $$PWD/logspage.cpp \
    $$PWD/mainwindow.cpp \
    $$PWD/managerconnection.cpp \
    $$PWD/queuepage.cpp \
    $$PWD/recorddialog.cpp \
    $$PWD/relayipdialog.cpp \
    $$PWD/relayipspage.cpp \
    $$PWD/routedialog.cpp \
    $$PWD/routespage.cpp \
    $$PWD/tablepage.cpp \
    $$PWD/throughputchart.cpp \
    $$PWD/userdialog.cpp \
    $$PWD/userspage.cpp
TRANSLATIONS = $$PWD/../translations/tmail_fr.ts $$PWD/../translations/tmail_en.ts
CONFIG += lrelease embed_translations
QM_FILES_RESOURCE_PREFIX = /i18n
RESOURCES += $$PWD/../resources/resources.qrc
