HEADERS += \
    $$PWD/expected.h \
    $$PWD/domain.h \
    $$PWD/mailaddress.h \
    $$PWD/iprange.h
SOURCES += \
    $$PWD/domain.cpp \
    $$PWD/mailaddress.cpp \
    $$PWD/iprange.cpp
