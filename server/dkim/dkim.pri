# dkim: DKIM signing of outgoing mail (RFC 6376, RFC 8463): canonicalisation, keys, signer,
# the tag-list parser for signatures and DNS records, and the TXT lookup of `dkim check`.
CONFIG += link_pkgconfig
PKGCONFIG *= libcares libcrypto
HEADERS += \
    $$PWD/dkimcanon.h \
    $$PWD/dkimkeyring.h \
    $$PWD/dkimkeys.h \
    $$PWD/dkimsigner.h \
    $$PWD/dkimtaglist.h \
    $$PWD/txtlookup.h
SOURCES += \
    $$PWD/dkimcanon.cpp \
    $$PWD/dkimkeys.cpp \
    $$PWD/dkimsigner.cpp \
    $$PWD/dkimtaglist.cpp \
    $$PWD/txtlookup.cpp
