HEADERS += \
    $$PWD/expected.h \
    $$PWD/domain.h \
    $$PWD/mailaddress.h \
    $$PWD/iprange.h \
    $$PWD/timestamp.h
SOURCES += \
    $$PWD/domain.cpp \
    $$PWD/mailaddress.cpp \
    $$PWD/iprange.cpp \
    $$PWD/timestamp.cpp
