// Passwords for the command line that never go through argv, where `ps` and
// /proc/PID/cmdline show them to every local user: typed at the terminal without echo,
// as passwd(1) asks, or one line of standard input (`--password-stdin`).
#pragma once

#include "core/expected.h"

#include <QString>
#include <QTextStream>

class PasswordInput
{
public:
    // The longest line either reader takes, in bytes; the credential checks bound it further.
    static constexpr int MaxBytes = 64 * 1024;

    // Whether fromTerminal can ask: standard input is a terminal.
    static bool hasTerminal();

    // One line of standard input without its end of line ("\n" or "\r\n").
    // InvalidInput when it is empty, too long or not UTF-8.
    static Expected<QString> fromStdin();

    // Asks at the controlling terminal with echo off, the prompt on err; when confirm,
    // asks again and the two answers must be the same. InvalidInput when standard input
    // is not a terminal, on end of input, on an empty answer or when the answers differ.
    static Expected<QString> fromTerminal(QTextStream &err, const QString &prompt, bool confirm);
};
