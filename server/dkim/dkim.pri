# dkim: DKIM signing of outgoing mail (RFC 6376, RFC 8463): canonicalisation, keys, signer,
# the tag-list parser for signatures and DNS records.
CONFIG += link_pkgconfig
PKGCONFIG *= libcrypto
HEADERS += \
    $$PWD/dkimcanon.h \
    $$PWD/dkimkeyring.h \
    $$PWD/dkimkeys.h \
    $$PWD/dkimsigner.h \
    $$PWD/dkimtaglist.h
SOURCES += \
    $$PWD/dkimcanon.cpp \
    $$PWD/dkimkeys.cpp \
    $$PWD/dkimsigner.cpp \
    $$PWD/dkimtaglist.cpp
