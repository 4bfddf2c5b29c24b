HEADERS += \
    $$PWD/adminvalues.h \
    $$PWD/expected.h \
    $$PWD/domain.h \
    $$PWD/mailaddress.h \
    $$PWD/iprange.h
SOURCES += \
    $$PWD/adminvalues.cpp \
    $$PWD/domain.cpp \
    $$PWD/mailaddress.cpp \
    $$PWD/iprange.cpp
