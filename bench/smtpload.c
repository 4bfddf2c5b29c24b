/* smtpload: a STARTTLS SMTP load generator for bench/bench.py.
 *
 * Drives SESSIONS sessions, CONCURRENCY at a time, from one poll() loop per process
 * (non-blocking sockets, non-blocking OpenSSL). Each session: greeting, EHLO, STARTTLS
 * (RFC 3207), TLS handshake, EHLO, then, when a message size is given, MAIL, RCPT, DATA
 * with one message of about SIZE bytes, and QUIT. Prints one JSON object: sessions done,
 * failures, messages accepted, wall time and its own user + system CPU, so that a run
 * shows whether the client or the server was the limit.
 *
 *   smtpload -p PORT [-h 127.0.0.1] [-n SESSIONS] [-c CONCURRENCY] [-s SIZE] [-r] [-j PROCS]
 *            [-t SESSION_TIMEOUT_S] [-T TOTAL_TIMEOUT_S] [-f SENDER] [-a RCPT] [-P] [-k MESSAGES]
 *   -r  resume TLS sessions (tickets or session IDs) of earlier sessions of the same process
 *   -P  plain: no STARTTLS (for comparison)
 *   -k  messages per session (default 1 when -s > 0)
 *
 * Build: gcc -O2 -o smtpload smtpload.c -lssl -lcrypto
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum State
{
    S_FREE,
    S_CONNECT,
    S_GREETING,
    S_EHLO1,
    S_STARTTLS,
    S_HANDSHAKE,
    S_EHLO2,
    S_MAIL,
    S_RCPT,
    S_DATA,
    S_BODY,
    S_QUIT
};

static const char *stateNames[] = { "free", "connect", "greeting", "ehlo", "starttls", "handshake", "ehlo-tls", "mail",
    "rcpt", "data", "body", "quit" };

struct Session
{
    int fd;
    SSL *ssl;
    enum State state;
    short events;
    double started;
    int messagesLeft;
    char in[16384];
    size_t inLength;
    const char *out;
    size_t outLength, outOffset;
    char command[512];
};

struct Totals
{
    long done, failed, messages, resumed, handshakes;
    char firstError[200];
};

static struct
{
    const char *host;
    int port;
    long sessions;
    int concurrency;
    long size;
    int resume, plain, procs, messagesPerSession;
    double sessionTimeout, totalTimeout;
    const char *sender, *rcpt;
} opt = { "127.0.0.1", 0, 100, 10, 0, 0, 0, 1, 1, 30, 600, "sender@bench-source.test", "rcpt@bench.test" };

static SSL_CTX *ctx;
static SSL_SESSION *lastSession;
static char *body;
static size_t bodyLength;
static struct sockaddr_in address;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int newSession(SSL *ssl, SSL_SESSION *session)
{
    (void)ssl;
    if (lastSession)
        SSL_SESSION_free(lastSession);
    lastSession = session;
    return 1; /* kept */
}

static void buildBody(void)
{
    char header[512];
    int headerLength = snprintf(header, sizeof header,
        "From: <%s>\r\nTo: <%s>\r\nSubject: smtpload\r\nMessage-ID: <smtpload.%d@bench-source.test>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n",
        opt.sender, opt.rcpt, (int)getpid());
    size_t total = (size_t)opt.size > (size_t)headerLength ? (size_t)opt.size : (size_t)headerLength;
    body = malloc(total + 128);
    memcpy(body, header, headerLength);
    size_t at = headerLength;
    while (at < total)
    {
        size_t line = total - at < 78 ? total - at : 78;
        if (line < 3)
            line = 3;
        memset(body + at, 'x', line - 2);
        body[at + line - 2] = '\r';
        body[at + line - 1] = '\n';
        at += line;
    }
    memcpy(body + at, ".\r\n", 3);
    bodyLength = at + 3;
}

static void fail(struct Session *s, struct Totals *t, const char *why)
{
    if (!t->firstError[0])
    {
        unsigned long e = ERR_peek_last_error();
        char ssl[120] = "";
        if (e)
            ERR_error_string_n(e, ssl, sizeof ssl);
        snprintf(
            t->firstError, sizeof t->firstError, "%s at %s%s%s", why, stateNames[s->state], ssl[0] ? ": " : "", ssl);
    }
    ERR_clear_error();
    t->failed++;
    if (s->ssl)
        SSL_free(s->ssl);
    close(s->fd);
    s->ssl = NULL;
    s->state = S_FREE;
}

static void finish(struct Session *s, struct Totals *t)
{
    if (s->ssl)
    {
        SSL_shutdown(s->ssl); /* our close_notify; the server's is not awaited */
        SSL_free(s->ssl);
    }
    ERR_clear_error();
    close(s->fd);
    s->ssl = NULL;
    s->state = S_FREE;
    t->done++;
}

static void send_(struct Session *s, const char *fmt, const char *arg)
{
    int n = snprintf(s->command, sizeof s->command, fmt, arg);
    s->out = s->command;
    s->outLength = (size_t)n;
    s->outOffset = 0;
}

/* 1: progress, 0: would block (events set), -1: error or end of stream. */
static int ioResult(struct Session *s, int r)
{
    if (r > 0)
        return 1;
    if (s->ssl)
    {
        int e = SSL_get_error(s->ssl, r);
        if (e == SSL_ERROR_WANT_READ)
            return s->events = POLLIN, 0;
        if (e == SSL_ERROR_WANT_WRITE)
            return s->events = POLLOUT, 0;
        return -1;
    }
    return -1;
}

static int writeSome(struct Session *s)
{
    const char *p = s->out + s->outOffset;
    size_t n = s->outLength - s->outOffset;
    if (s->ssl)
    {
        int r = SSL_write(s->ssl, p, n > 1 << 30 ? 1 << 30 : (int)n);
        int k = ioResult(s, r);
        if (k > 0)
            s->outOffset += (size_t)r;
        return k;
    }
    ssize_t r = send(s->fd, p, n, MSG_NOSIGNAL);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return s->events = POLLOUT, 0;
    if (r <= 0)
        return -1;
    s->outOffset += (size_t)r;
    return 1;
}

static int readSome(struct Session *s)
{
    size_t room = sizeof s->in - s->inLength;
    if (room == 0)
        return -1; /* a reply longer than 16 KiB */
    if (s->ssl)
    {
        int r = SSL_read(s->ssl, s->in + s->inLength, (int)room);
        int k = ioResult(s, r);
        if (k > 0)
            s->inLength += (size_t)r;
        return k;
    }
    ssize_t r = recv(s->fd, s->in + s->inLength, room, 0);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return s->events = POLLIN, 0;
    if (r <= 0)
        return -1;
    s->inLength += (size_t)r;
    return 1;
}

/* The code of a complete (last line "NNN ") reply at the start of the input, consumed; 0 if incomplete. */
static int takeReply(struct Session *s, int *offersStartTls)
{
    size_t at = 0;
    while (at < s->inLength)
    {
        char *nl = memchr(s->in + at, '\n', s->inLength - at);
        if (!nl)
            return 0;
        size_t end = (size_t)(nl - s->in) + 1;
        if (offersStartTls && end - at >= 12 && strncasecmp(s->in + at + 4, "STARTTLS", 8) == 0)
            *offersStartTls = 1;
        if (end - at < 4 || s->in[at + 3] != '-')
        {
            int code = atoi(s->in + at);
            memmove(s->in, s->in + end, s->inLength - end);
            s->inLength -= end;
            return code ? code : -1;
        }
        at = end;
    }
    return 0;
}

static void step(struct Session *s, struct Totals *t)
{
    if (s->state == S_CONNECT)
    {
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error)
            return fail(s, t, strerror(error));
        s->state = S_GREETING;
        s->events = POLLIN;
    }
    for (;;)
    {
        if (s->outOffset < s->outLength)
        {
            int r = writeSome(s);
            if (r < 0)
                return fail(s, t, "write failed");
            if (r == 0)
                return;
            continue;
        }
        if (s->state == S_HANDSHAKE)
        {
            int r = SSL_do_handshake(s->ssl);
            if (r != 1)
            {
                if (ioResult(s, r) < 0)
                    return fail(s, t, "TLS handshake failed");
                return;
            }
            t->handshakes++;
            if (SSL_session_reused(s->ssl))
                t->resumed++;
            s->state = S_EHLO2;
            send_(s, "EHLO %s\r\n", "smtpload.bench.test");
            continue;
        }
        int starttls = 0;
        int code = takeReply(s, s->state == S_EHLO1 ? &starttls : NULL);
        if (code == 0)
        {
            int r = readSome(s);
            if (r < 0)
                return fail(s, t, "connection closed");
            if (r == 0)
                return;
            continue;
        }
        switch (s->state)
        {
        case S_GREETING:
            if (code != 220)
                return fail(s, t, "greeting not 220");
            s->state = S_EHLO1;
            send_(s, "EHLO %s\r\n", "smtpload.bench.test");
            break;
        case S_EHLO1:
            if (code != 250)
                return fail(s, t, "EHLO refused");
            if (opt.plain)
                goto mail;
            if (!starttls)
                return fail(s, t, "no STARTTLS offered");
            s->state = S_STARTTLS;
            send_(s, "STARTTLS\r\n", "");
            break;
        case S_STARTTLS:
            if (code != 220)
                return fail(s, t, "STARTTLS refused");
            if (s->inLength)
                return fail(s, t, "data after the STARTTLS reply");
            s->ssl = SSL_new(ctx);
            SSL_set_fd(s->ssl, s->fd);
            SSL_set_connect_state(s->ssl);
            if (opt.resume && lastSession)
                SSL_set_session(s->ssl, lastSession);
            s->state = S_HANDSHAKE;
            break;
        case S_EHLO2:
            if (code != 250)
                return fail(s, t, "EHLO after STARTTLS refused");
        mail:
            if (s->messagesLeft <= 0)
            {
                s->state = S_QUIT;
                send_(s, "QUIT\r\n", "");
                break;
            }
            s->state = S_MAIL;
            send_(s, "MAIL FROM:<%s>\r\n", opt.sender);
            break;
        case S_MAIL:
            if (code != 250)
                return fail(s, t, "MAIL refused");
            s->state = S_RCPT;
            send_(s, "RCPT TO:<%s>\r\n", opt.rcpt);
            break;
        case S_RCPT:
            if (code != 250 && code != 251)
                return fail(s, t, "RCPT refused");
            s->state = S_DATA;
            send_(s, "DATA\r\n", "");
            break;
        case S_DATA:
            if (code != 354)
                return fail(s, t, "DATA refused");
            s->state = S_BODY;
            s->out = body;
            s->outLength = bodyLength;
            s->outOffset = 0;
            break;
        case S_BODY:
            if (code != 250)
                return fail(s, t, "message refused");
            t->messages++;
            s->messagesLeft--;
            goto mail;
        case S_QUIT:
            return finish(s, t);
        default:
            return fail(s, t, "unexpected state");
        }
    }
}

static void start(struct Session *s, struct Totals *t)
{
    memset(s, 0, offsetof(struct Session, in));
    s->inLength = 0;
    s->started = now();
    s->messagesLeft = opt.size > 0 ? opt.messagesPerSession : 0;
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (s->fd < 0)
    {
        s->state = S_CONNECT;
        s->fd = open("/dev/null", O_RDONLY);
        return fail(s, t, strerror(errno));
    }
    int one = 1;
    setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    s->state = S_CONNECT;
    s->events = POLLOUT;
    if (connect(s->fd, (struct sockaddr *)&address, sizeof address) < 0 && errno != EINPROGRESS)
        return fail(s, t, strerror(errno));
}

static void run(long sessions, int concurrency, struct Totals *t)
{
    struct Session *pool = calloc((size_t)concurrency, sizeof *pool);
    struct pollfd *fds = calloc((size_t)concurrency, sizeof *fds);
    int *index = calloc((size_t)concurrency, sizeof *index);
    long started = 0;
    double deadline = now() + opt.totalTimeout;
    for (;;)
    {
        int active = 0;
        for (int i = 0; i < concurrency; ++i)
        {
            if (pool[i].state == S_FREE && started < sessions)
            {
                start(&pool[i], t);
                started++;
            }
            if (pool[i].state != S_FREE)
            {
                fds[active].fd = pool[i].fd;
                fds[active].events = pool[i].events;
                fds[active].revents = 0;
                index[active++] = i;
            }
        }
        if (active == 0)
            break;
        double current = now();
        if (current > deadline)
        {
            for (int k = 0; k < active; ++k)
                fail(&pool[index[k]], t, "run timeout");
            t->failed += sessions - started;
            break;
        }
        int n = poll(fds, (nfds_t)active, 100);
        if (n < 0 && errno != EINTR)
            break;
        current = now();
        for (int k = 0; k < active; ++k)
        {
            struct Session *s = &pool[index[k]];
            if (fds[k].revents)
                step(s, t);
            else if (current - s->started > opt.sessionTimeout)
                fail(s, t, "session timeout");
        }
    }
    free(pool);
    free(fds);
    free(index);
}

int main(int argc, char **argv)
{
    int c;
    while ((c = getopt(argc, argv, "h:p:n:c:s:rj:t:T:f:a:Pk:")) != -1)
    {
        switch (c)
        {
        case 'h':
            opt.host = optarg;
            break;
        case 'p':
            opt.port = atoi(optarg);
            break;
        case 'n':
            opt.sessions = atol(optarg);
            break;
        case 'c':
            opt.concurrency = atoi(optarg);
            break;
        case 's':
            opt.size = atol(optarg);
            break;
        case 'r':
            opt.resume = 1;
            break;
        case 'j':
            opt.procs = atoi(optarg);
            break;
        case 't':
            opt.sessionTimeout = atof(optarg);
            break;
        case 'T':
            opt.totalTimeout = atof(optarg);
            break;
        case 'f':
            opt.sender = optarg;
            break;
        case 'a':
            opt.rcpt = optarg;
            break;
        case 'P':
            opt.plain = 1;
            break;
        case 'k':
            opt.messagesPerSession = atoi(optarg);
            break;
        default:
            fprintf(stderr,
                "usage: smtpload -p PORT [-h HOST] [-n SESSIONS] [-c CONCURRENCY] [-s SIZE] [-r] [-j PROCS] "
                "[-t S] [-T S] [-f SENDER] [-a RCPT] [-P] [-k MESSAGES]\n");
            return 2;
        }
    }
    if (opt.port <= 0 || opt.sessions < 0 || opt.concurrency < 1 || opt.procs < 1 || opt.procs > 64
        || opt.messagesPerSession < 1 || opt.size < 0 || opt.size > (1L << 30))
    {
        fprintf(stderr, "smtpload: bad arguments\n");
        return 2;
    }
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short)opt.port);
    if (inet_pton(AF_INET, opt.host, &address.sin_addr) != 1)
    {
        fprintf(stderr, "smtpload: -h takes an IPv4 address\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL); /* benchmark peers use self-signed certificates */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (opt.resume)
    {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ctx, newSession);
    }
    else
    {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    }
    buildBody();

    struct Totals *shared = mmap(
        NULL, sizeof(struct Totals) * (size_t)opt.procs, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return perror("mmap"), 1;
    memset(shared, 0, sizeof(struct Totals) * (size_t)opt.procs);
    double t0 = now();
    if (opt.procs == 1)
        run(opt.sessions, opt.concurrency, &shared[0]);
    else
    {
        for (int p = 0; p < opt.procs; ++p)
        {
            long sessions = opt.sessions / opt.procs + (p < opt.sessions % opt.procs ? 1 : 0);
            int concurrency = opt.concurrency / opt.procs + (p < opt.concurrency % opt.procs ? 1 : 0);
            pid_t pid = fork();
            if (pid == 0)
            {
                run(sessions, concurrency < 1 ? 1 : concurrency, &shared[p]);
                _exit(0);
            }
            if (pid < 0)
                return perror("fork"), 1;
        }
        while (wait(NULL) > 0)
            ;
    }
    double wall = now() - t0;
    struct rusage self, children;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    double user = self.ru_utime.tv_sec + self.ru_utime.tv_usec / 1e6 + children.ru_utime.tv_sec
        + children.ru_utime.tv_usec / 1e6;
    double sys = self.ru_stime.tv_sec + self.ru_stime.tv_usec / 1e6 + children.ru_stime.tv_sec
        + children.ru_stime.tv_usec / 1e6;
    struct Totals sum = { 0 };
    for (int p = 0; p < opt.procs; ++p)
    {
        sum.done += shared[p].done;
        sum.failed += shared[p].failed;
        sum.messages += shared[p].messages;
        sum.resumed += shared[p].resumed;
        sum.handshakes += shared[p].handshakes;
        if (!sum.firstError[0] && shared[p].firstError[0])
            memcpy(sum.firstError, shared[p].firstError, sizeof sum.firstError);
    }
    char error[420] = "";
    for (size_t i = 0, j = 0; sum.firstError[i] && j < sizeof error - 2; ++i)
    {
        char ch = sum.firstError[i];
        if (ch == '"' || ch == '\\')
            error[j++] = '\\';
        error[j++] = (ch >= 32 && ch < 127) ? ch : '?';
    }
    printf("{\"sessions\": %ld, \"done\": %ld, \"failed\": %ld, \"messages\": %ld, \"size\": %ld, "
           "\"tls_handshakes\": %ld, \"tls_resumed\": %ld, \"concurrency\": %d, \"procs\": %d, "
           "\"wall_s\": %.4f, \"sessions_per_s\": %.2f, \"cpu_user_s\": %.4f, \"cpu_sys_s\": %.4f, "
           "\"cpu_ms_per_session\": %.4f, \"first_error\": \"%s\"}\n",
        opt.sessions, sum.done, sum.failed, sum.messages, opt.size, sum.handshakes, sum.resumed, opt.concurrency,
        opt.procs, wall, wall > 0 ? sum.done / wall : 0.0, user, sys, sum.done ? (user + sys) * 1000 / sum.done : 0.0,
        error);
    return sum.failed ? 1 : 0;
}
