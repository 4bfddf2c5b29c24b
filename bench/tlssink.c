/* tlssink: a fast SMTP sink that offers STARTTLS (RFC 3207), for bench/bench.py.
 *
 * Postfix's smtp-sink has no STARTTLS; this one answers every command with a success
 * (PIPELINING, 8BITMIME, SIZE, ENHANCEDSTATUSCODES, STARTTLS), throws the messages away
 * and counts them. After each message it writes one line "mesg=N tls=M sess=S" to
 * standard output (M of the N arrived inside a TLS session), so the caller can time the
 * last arrival. One poll() loop per worker process; workers share the listening socket
 * and the counters (lines may arrive slightly out of order: take the largest).
 *
 *   tlssink -p PORT -c CERT.pem -k KEY.pem [-h 127.0.0.1] [-j WORKERS]
 *
 * Runs until SIGTERM or SIGINT. Build: gcc -O2 -o tlssink tlssink.c -lssl -lcrypto
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CONNECTIONS 4096

enum Mode
{
    M_COMMAND,
    M_DATA,
    M_HANDSHAKE
};

struct Connection
{
    int fd;
    SSL *ssl;
    enum Mode mode;
    int lineStart; /* the next input byte starts a line (DATA: a lone "." ends it) */
    int startTls; /* switch to TLS once the output is flushed */
    int closing; /* close once the output is flushed */
    short events;
    char in[32768];
    size_t inLength;
    char out[4096];
    size_t outLength, outOffset;
};

struct Counters
{
    long messages, tlsMessages, sessions;
};

static struct Counters *counters;
static SSL_CTX *ctx;
static volatile sig_atomic_t stopping;

static void onSignal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void reply(struct Connection *c, const char *text)
{
    size_t n = strlen(text);
    if (c->outLength + n > sizeof c->out)
    {
        c->closing = 1; /* a client pipelining more than 4 KiB of replies: not an MTA */
        return;
    }
    memcpy(c->out + c->outLength, text, n);
    c->outLength += n;
}

static void counted(struct Connection *c)
{
    long n = __atomic_add_fetch(&counters->messages, 1, __ATOMIC_SEQ_CST);
    long t = c->ssl ? __atomic_add_fetch(&counters->tlsMessages, 1, __ATOMIC_SEQ_CST)
                    : __atomic_load_n(&counters->tlsMessages, __ATOMIC_SEQ_CST);
    long s = __atomic_load_n(&counters->sessions, __ATOMIC_SEQ_CST);
    char line[96];
    int length = snprintf(line, sizeof line, "mesg=%ld tls=%ld sess=%ld\n", n, t, s);
    if (write(STDOUT_FILENO, line, (size_t)length) < 0)
        stopping = 1;
}

/* Handles the complete lines of the input; stops at STARTTLS or QUIT. */
static void processInput(struct Connection *c)
{
    size_t at = 0;
    while (at < c->inLength && !c->startTls && !c->closing)
    {
        char *nl = memchr(c->in + at, '\n', c->inLength - at);
        if (!nl)
            break;
        size_t end = (size_t)(nl - c->in) + 1;
        const char *line = c->in + at;
        size_t length = end - at;
        int wasLineStart = c->lineStart;
        c->lineStart = 1;
        at = end;
        if (c->mode == M_DATA)
        {
            if (wasLineStart && ((length == 3 && line[0] == '.' && line[1] == '\r') || (length == 2 && line[0] == '.')))
            {
                c->mode = M_COMMAND;
                counted(c);
                reply(c, "250 2.0.0 Ok: queued\r\n");
            }
            continue;
        }
        if (length >= 4 && (strncasecmp(line, "EHLO", 4) == 0))
            reply(c,
                c->ssl ? "250-tlssink\r\n250-PIPELINING\r\n250-SIZE 209715200\r\n250-8BITMIME\r\n"
                         "250 ENHANCEDSTATUSCODES\r\n"
                       : "250-tlssink\r\n250-PIPELINING\r\n250-SIZE 209715200\r\n250-8BITMIME\r\n"
                         "250-STARTTLS\r\n250 ENHANCEDSTATUSCODES\r\n");
        else if (length >= 8 && strncasecmp(line, "STARTTLS", 8) == 0)
        {
            if (c->ssl)
                reply(c, "503 5.5.1 TLS already active\r\n");
            else
            {
                reply(c, "220 2.0.0 Ready to start TLS\r\n");
                c->startTls = 1; /* anything pipelined after STARTTLS is discarded (RFC 3207 §4.2) */
                at = c->inLength;
            }
        }
        else if (length >= 4 && strncasecmp(line, "DATA", 4) == 0)
        {
            c->mode = M_DATA;
            reply(c, "354 End data with <CR><LF>.<CR><LF>\r\n");
        }
        else if (length >= 4 && strncasecmp(line, "QUIT", 4) == 0)
        {
            reply(c, "221 2.0.0 Bye\r\n");
            c->closing = 1;
        }
        else if (length >= 4 && strncasecmp(line, "RCPT", 4) == 0)
            reply(c, "250 2.1.5 Ok\r\n");
        else
            reply(c, "250 2.0.0 Ok\r\n");
    }
    memmove(c->in, c->in + at, c->inLength - at);
    c->inLength -= at;
    if (c->inLength == sizeof c->in)
    {
        /* A line longer than the buffer: keep its end only, it cannot be the lone dot. */
        c->lineStart = 0;
        c->inLength = 0;
    }
}

static int ioResult(struct Connection *c, int r)
{
    if (r > 0)
        return 1;
    if (c->ssl)
    {
        int e = SSL_get_error(c->ssl, r);
        if (e == SSL_ERROR_WANT_READ)
            return c->events = POLLIN, 0;
        if (e == SSL_ERROR_WANT_WRITE)
            return c->events = POLLOUT, 0;
        return -1;
    }
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    return -1;
}

static void drop(struct Connection *c)
{
    if (c->ssl)
        SSL_free(c->ssl);
    ERR_clear_error();
    close(c->fd);
    c->fd = -1;
    c->ssl = NULL;
}

static void step(struct Connection *c)
{
    for (;;)
    {
        if (c->outOffset < c->outLength)
        {
            size_t n = c->outLength - c->outOffset;
            int r;
            if (c->ssl)
                r = SSL_write(c->ssl, c->out + c->outOffset, (int)n);
            else
            {
                r = (int)send(c->fd, c->out + c->outOffset, n, MSG_NOSIGNAL);
                if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                    c->events = POLLOUT;
            }
            int k = ioResult(c, r);
            if (k < 0)
                return drop(c);
            if (k == 0)
                return;
            c->outOffset += (size_t)r;
            continue;
        }
        if (c->closing)
        {
            if (c->ssl)
                SSL_shutdown(c->ssl);
            return drop(c);
        }
        if (c->startTls)
        {
            c->startTls = 0;
            c->inLength = 0;
            c->ssl = SSL_new(ctx);
            SSL_set_fd(c->ssl, c->fd);
            SSL_set_accept_state(c->ssl);
            c->mode = M_HANDSHAKE;
        }
        if (c->mode == M_HANDSHAKE)
        {
            int r = SSL_do_handshake(c->ssl);
            if (r != 1)
            {
                if (ioResult(c, r) < 0)
                    return drop(c);
                return;
            }
            c->mode = M_COMMAND;
            c->lineStart = 1;
            continue;
        }
        c->outOffset = c->outLength = 0;
        processInput(c);
        if (c->outLength || c->closing || c->startTls)
            continue;
        size_t room = sizeof c->in - c->inLength;
        int r;
        if (c->ssl)
            r = SSL_read(c->ssl, c->in + c->inLength, (int)room);
        else
        {
            r = (int)recv(c->fd, c->in + c->inLength, room, 0);
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                c->events = POLLIN;
        }
        int k = ioResult(c, r);
        if (k < 0)
            return drop(c);
        if (k == 0)
            return;
        c->inLength += (size_t)r;
    }
}

static void serve(int listener)
{
    static struct Connection *conns[MAX_CONNECTIONS];
    static struct pollfd fds[MAX_CONNECTIONS + 1];
    static int index[MAX_CONNECTIONS + 1];
    int count = 0; /* conns[0..count) in use, compacted after each round */
    while (!stopping)
    {
        fds[0].fd = listener;
        fds[0].events = count < MAX_CONNECTIONS ? POLLIN : 0;
        fds[0].revents = 0;
        int n = 1;
        for (int i = 0; i < count; ++i)
        {
            fds[n].fd = conns[i]->fd;
            fds[n].events = conns[i]->events;
            fds[n].revents = 0;
            index[n++] = i;
        }
        if (poll(fds, (nfds_t)n, 500) < 0)
        {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int k = 1; k < n; ++k)
            if (fds[k].revents)
                step(conns[index[k]]);
        if (fds[0].revents & POLLIN)
        {
            for (int accepted = 0; accepted < 64 && count < MAX_CONNECTIONS; ++accepted)
            {
                int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
                if (fd < 0)
                    break;
                int one = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                struct Connection *c = calloc(1, sizeof *c);
                c->fd = fd;
                c->mode = M_COMMAND;
                c->lineStart = 1;
                c->events = POLLIN;
                __atomic_add_fetch(&counters->sessions, 1, __ATOMIC_SEQ_CST);
                reply(c, "220 tlssink ESMTP\r\n");
                conns[count++] = c;
                step(c);
            }
        }
        int kept = 0;
        for (int i = 0; i < count; ++i)
        {
            if (conns[i]->fd < 0)
                free(conns[i]);
            else
                conns[kept++] = conns[i];
        }
        count = kept;
    }
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1", *cert = NULL, *key = NULL;
    int port = 0, workers = 1, c;
    while ((c = getopt(argc, argv, "h:p:c:k:j:")) != -1)
    {
        switch (c)
        {
        case 'h':
            host = optarg;
            break;
        case 'p':
            port = atoi(optarg);
            break;
        case 'c':
            cert = optarg;
            break;
        case 'k':
            key = optarg;
            break;
        case 'j':
            workers = atoi(optarg);
            break;
        default:
            fprintf(stderr, "usage: tlssink -p PORT -c CERT -k KEY [-h HOST] [-j WORKERS]\n");
            return 2;
        }
    }
    if (port <= 0 || !cert || !key || workers < 1 || workers > 64)
    {
        fprintf(stderr, "usage: tlssink -p PORT -c CERT -k KEY [-h HOST] [-j WORKERS]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = onSignal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1
        || SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
    {
        ERR_print_errors_fp(stderr);
        return 1;
    }
    /* Resumption for clients that offer it: a session cache per worker and tickets. */
    SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"tlssink", 7);

    counters = mmap(NULL, sizeof *counters, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counters == MAP_FAILED)
        return perror("mmap"), 1;
    memset(counters, 0, sizeof *counters);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1)
        return fprintf(stderr, "tlssink: -h takes an IPv4 address\n"), 2;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 1024) < 0)
        return perror("tlssink: bind/listen"), 1;

    if (workers == 1)
        serve(listener);
    else
    {
        pid_t pids[64];
        for (int i = 0; i < workers; ++i)
        {
            pids[i] = fork();
            if (pids[i] == 0)
            {
                serve(listener);
                _exit(0);
            }
        }
        while (!stopping)
            pause();
        for (int i = 0; i < workers; ++i)
            if (pids[i] > 0)
                kill(pids[i], SIGTERM);
        while (wait(NULL) > 0)
            ;
    }
    return 0;
}
