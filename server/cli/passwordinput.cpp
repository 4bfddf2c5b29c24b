// Reading a password from standard input or, with termios, from the controlling terminal
// with echo off. A signal that ends tmail while echo is off restores the terminal first.
#include "cli/passwordinput.h"

#include <QByteArray>
#include <QStringDecoder>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <iterator>
#include <termios.h>
#include <unistd.h>
#endif

namespace {

using Result = Expected<QString>;

Result refused(const QString &message)
{
    return Result::failure(ErrorKind::InvalidInput, message);
}

// The line's bytes as text, its end of line removed. origin names the source for errors.
Result lineToText(QByteArray line, const QString &origin)
{
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty())
        return refused(QStringLiteral("the password from %1 is empty; nothing was changed").arg(origin));
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8(line);
    if (utf8.hasError())
        return refused(QStringLiteral("the password from %1 is not valid UTF-8; nothing was changed").arg(origin));
    return text;
}

#ifdef Q_OS_UNIX

// Reads up to a '\n' (kept) or the end of input from fd, byte by byte so that nothing
// after the line is taken. False when the line is longer than MaxBytes or read fails.
bool readLine(int fd, QByteArray *line, bool *endOfInput)
{
    *endOfInput = false;
    while (line->size() <= PasswordInput::MaxBytes)
    {
        char c = 0;
        const ssize_t got = ::read(fd, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return false;
        if (got == 0)
        {
            *endOfInput = true;
            return true;
        }
        line->append(c);
        if (c == '\n')
            return true;
    }
    return false;
}

// The terminal while echo is off, for the signal handler that puts it back.
int quietTerminal = -1;
struct termios savedSettings;

void restoreAndRaise(int signalNumber)
{
    if (quietTerminal >= 0)
        tcsetattr(quietTerminal, TCSANOW, &savedSettings);
    std::signal(signalNumber, SIG_DFL);
    std::raise(signalNumber);
}

constexpr int EndingSignals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

// One answer typed at terminal fd with echo off.
Result askOnce(int fd, QTextStream &err, const QString &prompt)
{
    if (tcgetattr(fd, &savedSettings) != 0)
        return refused(QStringLiteral("cannot read the terminal's settings; use --password-stdin"));
    struct termios quiet = savedSettings;
    quiet.c_lflag &= ~tcflag_t(ECHO | ECHOE | ECHOK | ECHONL);
    quiet.c_lflag |= ICANON;
    struct sigaction restore = {};
    restore.sa_handler = restoreAndRaise;
    sigemptyset(&restore.sa_mask);
    struct sigaction previous[std::size(EndingSignals)] = {};
    quietTerminal = fd;
    for (size_t i = 0; i < std::size(EndingSignals); ++i)
        sigaction(EndingSignals[i], &restore, &previous[i]);
    // Echo goes off before the prompt shows: nothing typed after it is echoed.
    const bool quietened = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
    QByteArray line;
    bool endOfInput = false;
    bool read = false;
    if (quietened)
    {
        err << prompt;
        err.flush();
        read = readLine(fd, &line, &endOfInput);
        tcsetattr(fd, TCSAFLUSH, &savedSettings);
        // The Enter the operator typed was not echoed either.
        err << '\n';
        err.flush();
    }
    quietTerminal = -1;
    for (size_t i = 0; i < std::size(EndingSignals); ++i)
        sigaction(EndingSignals[i], &previous[i], nullptr);
    if (!quietened)
        return refused(QStringLiteral("cannot turn the terminal's echo off; use --password-stdin"));
    if (!read)
        return refused(QStringLiteral("the password typed is longer than %1 bytes or could not be read; "
                                      "nothing was changed")
                           .arg(PasswordInput::MaxBytes));
    if (endOfInput && line.isEmpty())
        return refused(QStringLiteral("no password was typed; nothing was changed"));
    return lineToText(line, QStringLiteral("the terminal"));
}

#endif

} // namespace

bool PasswordInput::hasTerminal()
{
#ifdef Q_OS_UNIX
    return isatty(STDIN_FILENO) == 1;
#else
    return false;
#endif
}

Expected<QString> PasswordInput::fromStdin()
{
#ifdef Q_OS_UNIX
    QByteArray line;
    bool endOfInput = false;
    if (!readLine(STDIN_FILENO, &line, &endOfInput))
        return refused(QStringLiteral("the password on standard input is longer than %1 bytes or could not be "
                                      "read; nothing was changed")
                           .arg(MaxBytes));
    return lineToText(line, QStringLiteral("standard input"));
#else
    QTextStream in(stdin);
    const QString line = in.readLine(MaxBytes);
    return lineToText(line.toUtf8(), QStringLiteral("standard input"));
#endif
}

Expected<QString> PasswordInput::fromTerminal(QTextStream &err, const QString &prompt, bool confirm)
{
    const QString noTerminal = QStringLiteral("no password given and standard input is not a terminal to ask "
                                              "for one; give it with --password-stdin (one line on standard "
                                              "input); nothing was changed");
#ifdef Q_OS_UNIX
    if (!hasTerminal())
        return refused(noTerminal);
    // The controlling terminal, as passwd(1) reads it; standard input when there is none.
    int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    const bool opened = fd >= 0;
    if (!opened)
        fd = STDIN_FILENO;
    Result first = askOnce(fd, err, prompt);
    if (first && confirm)
    {
        const Result second = askOnce(fd, err, QStringLiteral("Retype ") + prompt.left(1).toLower() + prompt.mid(1));
        if (!second)
            first = second;
        else if (second.value() != first.value())
            first = refused(QStringLiteral("the two passwords typed differ; nothing was changed"));
    }
    if (opened)
        ::close(fd);
    return first;
#else
    Q_UNUSED(err)
    Q_UNUSED(prompt)
    Q_UNUSED(confirm)
    return refused(noTerminal);
#endif
}
