# Settings every sub-project of tmail shares.
CONFIG += c++17 warn_on
CONFIG -= debug_and_release
DEFINES += QT_NO_CAST_FROM_ASCII QT_NO_NARROWING_CONVERSIONS_IN_CONNECT QT_USE_QSTRINGBUILDER
DEFINES += TMAIL_VERSION=\\\"0.1.0\\\"
QMAKE_CXXFLAGS_WARN_ON += -Wall -Wextra -Werror
TMAIL_ROOT = $$PWD
TMAIL_BUILD_ROOT = $$shadowed($$PWD)
INCLUDEPATH += $$PWD/shared
# The Qt headers most files include, compiled once per project (precompiled.h picks them
# by the Qt modules in use). A project sets TMAIL_NO_PCH before including this file to
# leave it out. Warnings stay errors: the same flags build the header and its users.
isEmpty(TMAIL_NO_PCH) {
    CONFIG += precompile_header
    PRECOMPILED_HEADER = $$PWD/precompiled.h
}
