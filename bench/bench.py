#!/usr/bin/env python3
"""tmail against Postfix on loopback: accept, relay, idle sessions, queue scale, STARTTLS.

Both MTAs run in the same invocation, alternating per round, each relaying to its own
fresh smtp-sink. Every wait is bounded in time and every load loop in count. Only
127.0.0.1 is used. bench/run.sh installs the packages and raises the file limit first.
"""
import argparse
import datetime
import json
import multiprocessing
import multiprocessing.pool
import os
import platform
import re
import resource
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

CLK_TCK = os.sysconf('SC_CLK_TCK')
SINK_DOMAIN = 'bench.test'
SENDER = 'sender@bench-source.test'
RCPT = 'rcpt@' + SINK_DOMAIN


T0 = time.monotonic()


def log(*args):
    print(f'[bench {time.monotonic() - T0:6.1f}s]', *args, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_greeting(port, timeout):
    """Seconds until a 220 arrives on a new connection, or None."""
    start = time.monotonic()
    deadline = start + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=max(0.1, deadline - time.monotonic())) as s:
                data = b''
                while b'\n' not in data:
                    chunk = s.recv(512)
                    if not chunk:
                        break
                    data += chunk
                if data.startswith(b'220'):
                    try:
                        s.sendall(b'QUIT\r\n')
                    except OSError:
                        pass
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.05)
    return None


def proc_stat(pid):
    """(ppid, utime+stime, cutime+cstime) in seconds, or None."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(')') + 2:].split()
    ppid = int(fields[1])
    own = (int(fields[11]) + int(fields[12])) / CLK_TCK
    children = (int(fields[13]) + int(fields[14])) / CLK_TCK
    return ppid, own, children


def descendants(root):
    parents = {}
    for name in os.listdir('/proc'):
        if name.isdigit():
            st = proc_stat(int(name))
            if st:
                parents[int(name)] = st[0]
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == pid]
        found.extend(kids)
        frontier.extend(kids)
    return found


def tree_cpu(root):
    """CPU seconds of a process, its reaped children and its live descendants."""
    st = proc_stat(root)
    if not st:
        return 0.0
    total = st[1] + st[2]
    for pid in descendants(root):
        sub = proc_stat(pid)
        if sub:
            total += sub[1] + sub[2]
    return total


def smaps_kib(pid, field):
    try:
        with open(f'/proc/{pid}/smaps_rollup') as f:
            for line in f:
                if line.startswith(field + ':'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sink:
    """smtp-sink with running counters (-c), read by a thread."""

    def __init__(self, port, max_sessions=1000):
        self.port = port
        self.mesg = 0
        self.cond = threading.Condition()
        self.proc = subprocess.Popen(
            ['smtp-sink', '-u', 'postfix', '-c', '-m', str(max_sessions), f'127.0.0.1:{port}', '4096'],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        if wait_greeting(port, 10) is None:
            raise RuntimeError('smtp-sink did not start')

    def _read(self):
        pending = b''
        while True:
            chunk = self.proc.stdout.read1(4096)
            if not chunk:
                return
            pending += chunk
            matches = re.findall(rb'mesg=(\d+)', pending)
            if matches:
                with self.cond:
                    self.mesg = int(matches[-1])
                    self.cond.notify_all()
            pending = pending[-64:]

    def wait_for(self, count, timeout):
        """monotonic time at which mesg >= count, or None after timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while self.mesg < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(min(left, 0.5))
            return time.monotonic()

    def pause(self):
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.proc.pid, signal.SIGCONT)

    def stop(self):
        try:
            os.kill(self.proc.pid, signal.SIGCONT)
        except OSError:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Postfix:
    name = 'postfix'

    def __init__(self, work, cert, key):
        self.dir = os.path.join(work, 'postfix')
        self.conf = os.path.join(self.dir, 'conf')
        self.spool = os.path.join(self.dir, 'spool')
        self.cert, self.key = cert, key
        self.port = None
        os.makedirs(self.conf, exist_ok=True)
        self._register()

    def _register(self):
        """The default main.cf must name our directory (see /work/shared/NOTES.md)."""
        main = '/etc/postfix/main.cf'
        if not os.path.exists(main):
            with open(main, 'w') as f:
                f.write('# Created by tmail bench/run.sh for private Postfix instances.\n')
        current = subprocess.run(['postconf', '-h', 'alternate_config_directories'],
                                 capture_output=True, text=True).stdout.split()
        current = [d.strip(',') for d in current]
        # Forget the directories of earlier bench runs that are gone.
        kept = [d for d in current if d and (os.path.isdir(d) or not d.startswith('/tmp/tmail-bench'))]
        if self.conf not in kept:
            kept.append(self.conf)
        subprocess.run(['postconf', '-e', 'alternate_config_directories = ' + ', '.join(kept),
                        'maillog_file_prefixes = /var, /dev/stdout, /tmp'], check=True)

    def _configure(self, port, sink_port, process_limit=100, milter=None, smtp_tls=False):
        main = f"""compatibility_level = 3.6
queue_directory = {self.spool}
data_directory = {self.dir}/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = bench-postfix.local
mydomain = bench-postfix.local
myorigin = $myhostname
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:no local delivery in the benchmark
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:{sink_port}
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtp_tls_security_level = {'may' if smtp_tls else 'none'}
smtpd_tls_security_level = may
smtpd_tls_cert_file = {self.cert}
smtpd_tls_key_file = {self.key}
smtpd_forbid_bare_newline = yes
# The queue-scale runs keep the sink stopped while filling: no timeouts meanwhile.
smtp_connect_timeout = 3600s
smtp_helo_timeout = 3600s
default_process_limit = {process_limit}
maillog_file = {self.dir}/maillog
maillog_file_prefixes = /var, /dev/stdout, /tmp
biff = no
"""
        if milter:
            # RFC 6376 signing by OpenDKIM, as a Postfix site would run it.
            main += f"smtpd_milters = {milter}\nnon_smtpd_milters = {milter}\nmilter_default_action = tempfail\n"
        with open(os.path.join(self.conf, 'main.cf'), 'w') as f:
            f.write(main)
        lines = []
        with open('/etc/postfix/master.cf') as f:
            for line in f:
                fields = line.split()
                if line[:1].isalnum() and len(fields) >= 8:
                    if fields[0] == 'smtp' and fields[1] == 'inet':
                        continue  # replaced below by our loopback port
                    fields[4] = 'n'  # no chroot: the spool is a temporary directory
                    line = ' '.join(fields) + '\n'
                lines.append(line)
        lines.append(f'127.0.0.1:{port} inet n - n - - smtpd\n')
        with open(os.path.join(self.conf, 'master.cf'), 'w') as f:
            f.writelines(lines)

    def start(self, sink_port, process_limit=100, milter=None, smtp_tls=False):
        self.port = free_port()
        shutil.rmtree(self.spool, ignore_errors=True)
        os.makedirs(os.path.join(self.dir, 'data'), exist_ok=True)
        shutil.chown(os.path.join(self.dir, 'data'), 'postfix', 'postfix')
        os.makedirs(self.spool, exist_ok=True)
        self._configure(self.port, sink_port, process_limit, milter, smtp_tls)
        subprocess.run(['postfix', '-c', self.conf, 'check'], capture_output=True)
        r = subprocess.run(['postfix', '-c', self.conf, 'start'], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError('postfix start failed: ' + r.stderr + self._maillog())
        if wait_greeting(self.port, 20) is None:
            raise RuntimeError('postfix does not greet' + self._maillog())

    def _maillog(self):
        try:
            with open(os.path.join(self.dir, 'maillog')) as f:
                return '\n' + ''.join(f.readlines()[-10:])
        except OSError:
            return ''

    def master_pid(self):
        try:
            with open(os.path.join(self.spool, 'pid', 'master.pid')) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def cpu(self):
        pid = self.master_pid()
        return tree_cpu(pid) if pid else 0.0

    def memory_kib(self):
        """Proportional set size of the whole instance (shared pages split)."""
        pid = self.master_pid()
        if not pid:
            return 0
        return sum(smaps_kib(p, 'Pss') for p in [pid] + descendants(pid))

    def stop(self):
        pid = self.master_pid()
        subprocess.run(['postfix', '-c', self.conf, 'stop'], capture_output=True)
        deadline = time.monotonic() + 20
        while pid and os.path.exists(f'/proc/{pid}') and time.monotonic() < deadline:
            time.sleep(0.1)
        if pid and os.path.exists(f'/proc/{pid}'):
            subprocess.run(['postfix', '-c', self.conf, 'abort'], capture_output=True)


class Tmail:
    name = 'tmail'

    def __init__(self, work, binary, cert, key, subdir='tmail'):
        self.dir = os.path.join(work, subdir)
        self.binary = binary
        self.cert, self.key = cert, key
        self.proc = None
        self.port = None
        self.overrides = {}  # TMAIL_* settings of the cluster scenario (database, store, node)

    def _env(self):
        env = dict(os.environ)
        env.update({
            'TMAIL_ME': 'bench-tmail.local',
            'TMAIL_DEBUG_ENABLED': 'false',
            'TMAIL_LOGPATH': os.path.join(self.dir, 'log'),
            'TMAIL_DB_DRIVER': 'sqlite3',
            'TMAIL_DB_SOURCE': os.path.join(self.dir, 'db', 'tmail.db'),
            # The store a new installation gets (resources/tmail.cfg.base); TMAIL_BENCH_STORE=disk
            # measures the other one.
            'TMAIL_STORE_DRIVER': os.environ.get('TMAIL_BENCH_STORE', 'database'),
            'TMAIL_STORE_SOURCE': os.path.join(self.dir, 'store'),
            'TMAIL_SMTPD_DSNS': f'127.0.0.1:{self.port}:false',
            'TMAIL_SMTPD_CONCURRENCY_INCOMING': '20000',
            'TMAIL_SMTPD_TLS_CERT': self.cert,
            'TMAIL_SMTPD_TLS_KEY': self.key,
            'TMAIL_MANAGER_SOCKET': f'tmail-bench-{os.getpid()}',
            'TMAIL_DNS_SERVERS': '127.0.0.1:9',
            # The queue-scale runs keep the sink stopped while filling: no timeouts meanwhile.
            'TMAIL_DELIVERD_REMOTE_TIMEOUT': '3600',
        })
        env.update(self.overrides)
        return env

    def _cli(self, *args):
        r = subprocess.run([self.binary, *args], env=self._env(), capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f'tmail {" ".join(args)}: {r.stdout}{r.stderr}')

    def start(self, sink_port, process_limit=None, dkim=False, throttle=None, setup=True, smtp_tls=False):
        # smtp_tls: a route's default is opportunistic STARTTLS already (as Postfix's "may").
        self.port = free_port()
        shutil.rmtree(self.dir, ignore_errors=True)
        for sub in ('db', 'store', 'log'):
            os.makedirs(os.path.join(self.dir, sub))
        if setup:  # a second node of a shared database finds it set up
            self._cli('db', 'init')
            self._cli('relayip', 'add', '127.0.0.1')
            self._cli('routes', 'add', '-d', SINK_DOMAIN, '-rh', '127.0.0.1', '-rp', str(sink_port))
        if dkim:
            # RSA-2048 and Ed25519 (the default of `tmail dkim add`).
            self._cli('dkim', 'add', SENDER.split('@')[1])
        if throttle:
            self._cli('throttle', 'add', '-d', SINK_DOMAIN, *throttle)
        self.proc = subprocess.Popen([self.binary], env=self._env(), stdin=subprocess.DEVNULL,
                                     stdout=open(os.path.join(self.dir, 'stdout.log'), 'w'),
                                     stderr=subprocess.STDOUT)
        if wait_greeting(self.port, 20) is None:
            self.stop()
            raise RuntimeError('tmail does not greet; see ' + os.path.join(self.dir, 'log'))

    def cpu(self):
        st = proc_stat(self.proc.pid) if self.proc else None
        return st[1] + st[2] if st else 0.0

    def memory_kib(self):
        try:
            with open(f'/proc/{self.proc.pid}/status') as f:
                for line in f:
                    if line.startswith('VmRSS:'):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def stop(self):
        if not self.proc:
            return
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


class OpenDkim:
    """An OpenDKIM milter signing for the sender's domain with one algorithm. OpenDKIM 2.11's
    SignatureAlgorithm is global, so RSA and Ed25519 dual signing takes two milters in a row."""

    def __init__(self, work, algorithm):
        self.algorithm = algorithm  # 'rsa-sha256' or 'ed25519-sha256'
        self.selector = 'rsa' if algorithm.startswith('rsa') else 'ed'
        self.dir = os.path.join(work, 'opendkim-' + self.selector)
        self.proc = None
        self.port = None

    def start(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        domain = SENDER.split('@')[1]
        args = ['-algorithm', 'rsa', '-pkeyopt', 'rsa_keygen_bits:2048'] if self.selector == 'rsa' \
            else ['-algorithm', 'ed25519']
        path = os.path.join(self.dir, 'key.pem')
        subprocess.run(['openssl', 'genpkey', *args, '-out', path], check=True, capture_output=True)
        with open(os.path.join(self.dir, 'keytable'), 'w') as f:
            f.write(f'{self.selector}._domainkey.{domain} {domain}:{self.selector}:{path}\n')
        with open(os.path.join(self.dir, 'signingtable'), 'w') as f:
            f.write(f'*@{domain} {self.selector}._domainkey.{domain}\n')
        self.port = free_port()
        conf = os.path.join(self.dir, 'opendkim.conf')
        with open(conf, 'w') as f:
            f.write(f"""Mode s
Syslog no
Canonicalization relaxed/relaxed
SignatureAlgorithm {self.algorithm}
KeyTable file:{self.dir}/keytable
SigningTable refile:{self.dir}/signingtable
InternalHosts 127.0.0.0/8
RequireSafeKeys no
Socket inet:{self.port}@127.0.0.1
PidFile {self.dir}/pid
""")
        self.proc = subprocess.Popen(['opendkim', '-f', '-x', conf], stdin=subprocess.DEVNULL,
                                     stdout=open(os.path.join(self.dir, 'log'), 'w'), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(('127.0.0.1', self.port), 1).close()
                return f'inet:127.0.0.1:{self.port}'
            except OSError:
                time.sleep(0.1)
        raise RuntimeError('opendkim did not listen')

    def cpu(self):
        st = proc_stat(self.proc.pid) if self.proc else None
        return st[1] + st[2] if st else 0.0

    def stop(self):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


def scenario_dkim(mta, opts, work):
    """Accept rate with DKIM signing (RSA-2048 + Ed25519), and without, on the same message:
    tmail signs itself; Postfix signs through an OpenDKIM milter."""
    n = opts.messages
    result = {}
    for signing in (False, True):
        sink = Sink(free_port())
        milters = [OpenDkim(work, 'rsa-sha256'), OpenDkim(work, 'ed25519-sha256')] \
            if (signing and mta.name == 'postfix') else []
        try:
            if mta.name == 'postfix':
                mta.start(sink.port, milter=', '.join(m.start() for m in milters) if milters else None)
            else:
                mta.start(sink.port, dkim=signing)
            try:
                cpu0 = mta.cpu() + sum(m.cpu() for m in milters)
                accept_s = run_source(mta.port, n, opts.sessions, opts.size, False, opts.timeout)
                if sink.wait_for(n, opts.timeout) is None:
                    raise RuntimeError(f'{mta.name}: the sink got {sink.mesg} of {n} messages')
                time.sleep(0.5)
                cpu = mta.cpu() + sum(m.cpu() for m in milters) - cpu0
            finally:
                mta.stop()
        finally:
            for milter in milters:
                milter.stop()
            sink.stop()
        key = 'signed' if signing else 'unsigned'
        result[key + '_accept_mps'] = n / accept_s
        result[key + '_cpu_s_per_1000'] = cpu * 1000 / n
    result['signing_cost'] = 1 - result['signed_accept_mps'] / result['unsigned_accept_mps']
    return result


class PgServer:
    """A throwaway PostgreSQL 15 on loopback, as tests/helpers/dbservers.sh runs it: initdb in
    the work directory as the postgres user, a free port, the default durability (fsync,
    synchronous_commit on). Every wait is bounded."""
    BIN = '/usr/lib/postgresql/15/bin'

    def __init__(self, work):
        self.dir = os.path.join(work, 'pg')
        self.data = os.path.join(self.dir, 'data')
        self.port = None

    def _as_postgres(self, *args, timeout=60):
        return subprocess.run(['runuser', '-u', 'postgres', '--', *args], capture_output=True, text=True,
                              timeout=timeout)

    def start(self):
        if not os.path.exists(os.path.join(self.BIN, 'pg_ctl')):
            raise RuntimeError('PostgreSQL 15 is not installed (apt-get install postgresql)')
        os.makedirs(self.dir, exist_ok=True)
        shutil.chown(self.dir, 'postgres')
        r = self._as_postgres(os.path.join(self.BIN, 'initdb'), '-D', self.data, '-U', 'postgres',
                              '--auth-local=trust', '--auth-host=scram-sha-256')
        if r.returncode != 0:
            raise RuntimeError('initdb failed: ' + r.stderr[-500:])
        self.port = free_port()
        r = self._as_postgres(os.path.join(self.BIN, 'pg_ctl'), '-D', self.data, '-o',
                              f'-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200',
                              '-l', os.path.join(self.dir, 'log'), '-w', '-t', '30', 'start')
        if r.returncode != 0:
            raise RuntimeError('PostgreSQL did not start: ' + r.stderr[-500:])
        self.sql("CREATE ROLE tmail LOGIN PASSWORD 'tmailpw'")

    def sql(self, statement, database='postgres'):
        r = self._as_postgres(os.path.join(self.BIN, 'psql'), '-h', self.dir, '-p', str(self.port), '-U', 'postgres',
                              '-d', database, '-v', 'ON_ERROR_STOP=1', '-qtA', '-c', statement)
        if r.returncode != 0:
            raise RuntimeError(f'psql {statement!r}: {r.stderr[-300:]}')
        return r.stdout.strip()

    def fresh_database(self, name):
        self.sql(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        self.sql(f'CREATE DATABASE {name} OWNER tmail')
        return f'host=127.0.0.1 port={self.port} user=tmail password=tmailpw dbname={name}'

    def commits(self, name):
        """Transactions committed in the database so far (pg_stat_database)."""
        return int(self.sql(f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{name}'") or 0)

    def stop(self):
        if self.port:
            self._as_postgres(os.path.join(self.BIN, 'pg_ctl'), '-D', self.data, '-m', 'fast', '-w', '-t', '30',
                              'stop')
            self.port = None


# The cluster scenario's tmail set-ups: (key, database, store, nodes).
CLUSTER_SETUPS = [
    ('sqlite_disk', 'sqlite', 'disk', 1),
    ('sqlite_database', 'sqlite', 'database', 1),
    ('pg_disk', 'postgres', 'disk', 1),
    ('pg_database', 'postgres', 'database', 1),
    ('pg_database_2nodes', 'postgres', 'database', 2),
]
CLUSTER_PG = {}  # the one PostgreSQL server of the run, started on first use


def cluster_run(nodes, opts, pg=None, database=None):
    """Accept (every smtp-source done) and relay (sink counted all) of opts.messages, split
    evenly over the nodes, one message per session; PostgreSQL commits during the relay."""
    n = opts.messages
    sink = Sink(free_port())
    try:
        for index, node in enumerate(nodes):
            node.start(sink.port, setup=index == 0)
        try:
            commits0 = pg.commits(database) if pg else 0
            t0 = time.monotonic()
            shares = [n // len(nodes) + (1 if i < n % len(nodes) else 0) for i in range(len(nodes))]
            with multiprocessing.pool.ThreadPool(len(nodes)) as pool:
                pool.starmap(run_source, [(node.port, share, opts.sessions, opts.size, False, opts.timeout)
                                          for node, share in zip(nodes, shares)])
            accept_s = time.monotonic() - t0
            done = sink.wait_for(n, opts.timeout)
            if done is None:
                raise RuntimeError(f'the sink got {sink.mesg} of {n} messages in {opts.timeout} s')
            relay_s = done - t0
            result = {'accept_mps': n / accept_s, 'relay_mps': n / relay_s}
            if pg:
                time.sleep(1.5)  # PostgreSQL publishes its counters at most once a second
                commits = pg.commits(database) - commits0
                result['pg_commits_per_s'] = commits / relay_s
                result['pg_commits_per_msg'] = commits / n
            return result
        finally:
            for node in nodes:
                node.stop()
    finally:
        sink.stop()


def scenario_cluster(mta, opts, work):
    """Accept and relay with the disk store and the database store, on sqlite and on
    PostgreSQL (one node, then two on the same database), and Postfix on the same load as
    the reference: its figures stand under every set-up's key, so each row's ratio compares
    that set-up with Postfix."""
    if mta.name == 'postfix':
        reference = scenario_transfer(mta, opts, False)
        return {f'{key}_{field}': reference[field] for key, _, _, _ in CLUSTER_SETUPS
                for field in ('accept_mps', 'relay_mps')}
    result = {}
    wanted = set(filter(None, opts.cluster_setups.split(','))) or {key for key, _, _, _ in CLUSTER_SETUPS}
    for key, database, store, count in CLUSTER_SETUPS:
        if key not in wanted:
            continue
        log(f'cluster: {key}')
        pg = None
        name = None
        if database == 'postgres':
            if 'server' not in CLUSTER_PG:
                CLUSTER_PG['server'] = PgServer(work)
                CLUSTER_PG['server'].start()
            pg = CLUSTER_PG['server']
            name = 'tmail_bench'
            source = pg.fresh_database(name)
        nodes = []
        for index in range(count):
            node = Tmail(work, mta.binary, mta.cert, mta.key, subdir=f'tmail-node{index}')
            node.overrides = {
                'TMAIL_STORE_DRIVER': store,
                'TMAIL_NODE_ID': f'bench-node{index}',
                'TMAIL_MANAGER_SOCKET': f'tmail-bench-{os.getpid()}-{index}',
            }
            if database == 'postgres':
                node.overrides.update({'TMAIL_DB_DRIVER': 'postgres', 'TMAIL_DB_SOURCE': source})
            nodes.append(node)
        try:
            figures = cluster_run(nodes, opts, pg, name)
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            log(f'cluster: {key} FAILED: {error}')
            continue
        for field, value in figures.items():
            result[f'{key}_{field}'] = value
    return result


def run_source(port, count, sessions, size, reuse, timeout):
    args = ['smtp-source', '-s', str(sessions), '-m', str(count), '-l', str(size),
            '-f', SENDER, '-t', RCPT, '-M', 'bench-source.test']
    if reuse:
        args.append('-d')
    args.append(f'127.0.0.1:{port}')
    start = time.monotonic()
    r = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    elapsed = time.monotonic() - start
    if r.returncode != 0 or r.stderr.strip():
        raise RuntimeError(f'smtp-source failed ({r.returncode}): {r.stderr.strip()[:500]}')
    return elapsed


def scenario_transfer(mta, opts, reuse):
    """Accept (smtp-source done) and relay (sink counted all) of the same load."""
    n = opts.messages
    sink = Sink(free_port())
    try:
        mta.start(sink.port)
        try:
            cpu0 = mta.cpu()
            t0 = time.monotonic()
            accept_s = run_source(mta.port, n, opts.sessions, opts.size, reuse, opts.timeout)
            done = sink.wait_for(n, opts.timeout)
            if done is None:
                raise RuntimeError(f'{mta.name}: the sink got {sink.mesg} of {n} messages in {opts.timeout} s')
            relay_s = done - t0
            # Let the last removals from the queue finish before reading the CPU.
            time.sleep(0.5)
            cpu = mta.cpu() - cpu0
        finally:
            mta.stop()
    finally:
        sink.stop()
    return {'accept_mps': n / accept_s, 'relay_mps': n / relay_s, 'cpu_s_per_1000': cpu * 1000 / n}


class TimedSink:
    """A minimal SMTP receiver that notes when each message's data ended (smtp-sink's
    counters come through a buffered pipe: too coarse to time ten messages a second)."""

    def __init__(self):
        self.arrivals = []
        self.lock = threading.Lock()
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(('127.0.0.1', 0))
        self.server.listen(128)
        self.port = self.server.getsockname()[1]
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        with conn, conn.makefile('rb') as reader:
            conn.sendall(b'220 timed-sink ESMTP\r\n')
            in_data = False
            for line in reader:
                if in_data:
                    if line == b'.\r\n':
                        in_data = False
                        with self.lock:
                            self.arrivals.append(time.monotonic())
                        conn.sendall(b'250 2.0.0 ok\r\n')
                    continue
                verb = line[:4].upper()
                if verb in (b'EHLO', b'HELO'):
                    conn.sendall(b'250-timed-sink\r\n250 PIPELINING\r\n')
                elif verb == b'DATA':
                    in_data = True
                    conn.sendall(b'354 go on\r\n')
                elif verb == b'QUIT':
                    conn.sendall(b'221 bye\r\n')
                    return
                else:
                    conn.sendall(b'250 ok\r\n')

    def wait_for(self, count, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.arrivals) >= count:
                    return self.arrivals[count - 1]
            time.sleep(0.05)
        return None

    def stop(self):
        self.running = False
        self.server.close()


def scenario_ratelimit(mta, opts):
    """Delivery rate to one destination under `tmail throttle add --rate 600/m`: the
    messages are all accepted at once, the sink notes when each one arrives. The rate is
    measured between the 10th and the last arrival (the first ones wait for no earlier one)."""
    if mta.name != 'tmail':
        return {'skipped': 'tmail only'}
    per_minute = opts.rate_limit
    count = opts.rate_messages
    sink = TimedSink()
    try:
        mta.start(sink.port, throttle=['--rate', f'{per_minute}/m'])
        try:
            run_source(mta.port, count, opts.sessions, opts.size, True, opts.timeout)
            first = sink.wait_for(10, opts.timeout)
            last = sink.wait_for(count, opts.timeout + count * 60 / per_minute)
            if first is None or last is None:
                raise RuntimeError(f'tmail: the sink got {len(sink.arrivals)} of {count} messages')
        finally:
            mta.stop()
    finally:
        sink.stop()
    measured = (count - 10) / (last - first) * 60
    return {'limit_per_min': per_minute, 'measured_per_min': measured,
            'deviation_pct': (measured - per_minute) / per_minute * 100}


def scenario_queue_scale(mta, opts, count):
    """Fill the queue with the sink stopped, then time its drain."""
    sink = Sink(free_port())
    try:
        mta.start(sink.port)
        try:
            sink.pause()
            t0 = time.monotonic()
            run_source(mta.port, count, opts.sessions, opts.size, True, opts.timeout)
            fill_s = time.monotonic() - t0
            time.sleep(1)
            t1 = time.monotonic()
            sink.resume()
            # The steady rate between 10% and 90% delivered: leaves out the burst of
            # sessions that were waiting on the stopped sink, and the tail.
            low, high = max(1, count // 10), max(2, count * 9 // 10)
            t_low = sink.wait_for(low, opts.timeout)
            t_high = sink.wait_for(high, opts.timeout)
            done = sink.wait_for(count, opts.timeout)
            if done is None or t_low is None or t_high is None:
                raise RuntimeError(f'{mta.name}: drained {sink.mesg} of {count} in {opts.timeout} s')
        finally:
            mta.stop()
    finally:
        sink.stop()
    return {'fill_mps': count / fill_s, 'drain_mps': (high - low) / max(t_high - t_low, 1e-3),
            'drain_all_mps': count / (done - t1)}


def hold_sessions(port, count, timeout):
    """Open count connections (in batches) and keep those that got their 220."""
    held, sel = [], selectors.DefaultSelector()
    deadline = time.monotonic() + timeout
    batch = 250
    opened = 0
    while opened < count and time.monotonic() < deadline:
        waiting = {}
        for _ in range(min(batch, count - opened)):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(('127.0.0.1', port))
            waiting[s] = b''
            sel.register(s, selectors.EVENT_READ)
            opened += 1
        batch_deadline = min(deadline, time.monotonic() + 5)
        while waiting and time.monotonic() < batch_deadline:
            for key, _ in sel.select(0.2):
                s = key.fileobj
                try:
                    data = s.recv(512)
                except OSError:
                    data = b''
                if not data:
                    sel.unregister(s)
                    waiting.pop(s, None)
                    s.close()
                    continue
                waiting[s] += data
                if b'\n' in waiting[s]:
                    sel.unregister(s)
                    if waiting.pop(s).startswith(b'220'):
                        held.append(s)
                    else:
                        s.close()
        for s in waiting:
            sel.unregister(s)
            s.close()
        if len(held) < opened - batch:
            break  # the server stopped greeting: it holds no more
    sel.close()
    return held, opened


def scenario_concurrency(mta, opts):
    count = opts.idle_sessions if mta.name == 'tmail' else opts.idle_sessions_postfix
    sink = Sink(free_port())
    try:
        mta.start(sink.port, process_limit=100)
        try:
            time.sleep(0.5)
            mem0 = mta.memory_kib()
            held, opened = hold_sessions(mta.port, count, opts.timeout)
            time.sleep(1)
            mem1 = mta.memory_kib()
            latencies = []
            for _ in range(opts.latency_samples):
                latency = wait_greeting(mta.port, 3)
                latencies.append(latency if latency is not None else float('inf'))
            for s in held:
                s.close()
        finally:
            mta.stop()
    finally:
        sink.stop()
    per_session = (mem1 - mem0) / len(held) if held else None
    latency = statistics.median(latencies)
    return {
        'idle_sessions_tried': opened,
        'idle_sessions_held': len(held),
        'kib_per_session': per_session,
        # A new session that got no greeting within 3 s counts as 3000 ms (Postfix: past its process limit).
        'greeting_ms_while_held': 3000.0 if latency == float('inf') else latency * 1000,
    }


class TlsSink(Sink):
    """bench/tlssink.c: like smtp-sink, but offers STARTTLS and counts the messages that
    arrived inside TLS. Its worker processes share the counters; lines may come out of order."""

    def __init__(self, port, tools, cert, key, workers=1):
        self.port = port
        self.mesg = 0
        self.tls = 0
        self.sessions = 0
        self.cond = threading.Condition()
        self.proc = subprocess.Popen(
            [os.path.join(tools, 'tlssink'), '-p', str(port), '-c', cert, '-k', key, '-j', str(workers)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        if wait_greeting(port, 10) is None:
            self.stop()
            raise RuntimeError('tlssink did not start')

    def _read(self):
        pending = b''
        while True:
            chunk = self.proc.stdout.read1(65536)
            if not chunk:
                return
            pending += chunk
            lines = re.findall(rb'mesg=(\d+) tls=(\d+) sess=(\d+)', pending)
            if lines:
                with self.cond:
                    self.mesg = max(self.mesg, max(int(m) for m, _, _ in lines))
                    self.tls = max(self.tls, max(int(t) for _, t, _ in lines))
                    self.sessions = max(self.sessions, max(int(n) for _, _, n in lines))
                    self.cond.notify_all()
            pending = pending[pending.rfind(b'\n') + 1:]

    def cpu(self):
        return tree_cpu(self.proc.pid)


def run_load(port, opts, sessions, concurrency, size, resume=False):
    """bench/smtpload.c: sessions over STARTTLS, concurrency at a time; its JSON and the
    elapsed time seen from here (process start included, as for smtp-source)."""
    args = [os.path.join(opts.tools, 'smtpload'), '-p', str(port), '-n', str(sessions), '-c', str(concurrency),
            '-s', str(size), '-j', str(opts.client_procs), '-t', '60', '-T', str(opts.timeout),
            '-f', SENDER, '-a', RCPT]
    if resume:
        args.append('-r')
    start = time.monotonic()
    r = subprocess.run(args, capture_output=True, text=True, timeout=opts.timeout + 30)
    elapsed = time.monotonic() - start
    try:
        report = json.loads(r.stdout)
    except ValueError:
        raise RuntimeError(f'smtpload ({r.returncode}): {r.stdout[:200]} {r.stderr[:300]}') from None
    if report['failed']:
        raise RuntimeError(f'smtpload: {report["failed"]} of {sessions} sessions failed: {report["first_error"]}')
    return report, elapsed


def client_cpu_ms(report):
    return (report['cpu_user_s'] + report['cpu_sys_s']) * 1000 / max(1, report['done'])


def tls_handshakes(mta, opts):
    """Handshake-only STARTTLS sessions: connect, EHLO, STARTTLS, handshake, EHLO, QUIT."""
    cpu0 = mta.cpu()
    report, elapsed = run_load(mta.port, opts, opts.tls_sessions, opts.tls_clients, 0, opts.tls_resume)
    cpu = mta.cpu() - cpu0
    ok = report['done']
    return {'tls_sessions_per_s': ok / elapsed, 'tls_ok': ok, 'tls_tried': opts.tls_sessions,
            'tls_cpu_ms_per_session': cpu * 1000 / ok if ok else None,
            'client_cpu_ms_per_session': client_cpu_ms(report), 'client_wall_s': report['wall_s'],
            'tls_resumed': report['tls_resumed']}


def tls_mail(mta, sink, opts, count, size):
    """One message per STARTTLS session in; relayed to the sink over STARTTLS. Accept =
    messages / time until the client got every 250; relay = until the sink counted all."""
    base, base_tls, base_sessions = sink.mesg, sink.tls, sink.sessions
    cpu0 = mta.cpu()
    sink_cpu0 = sink.cpu()
    t0 = time.monotonic()
    report, accept_s = run_load(mta.port, opts, count, opts.sessions, size)
    done = sink.wait_for(base + count, opts.timeout)
    if done is None:
        raise RuntimeError(f'{mta.name}: the sink got {sink.mesg - base} of {count} messages in {opts.timeout} s')
    relay_s = done - t0
    time.sleep(0.5)
    cpu = mta.cpu() - cpu0
    sink_cpu = sink.cpu() - sink_cpu0
    over_tls = sink.tls - base_tls
    if over_tls < count:
        raise RuntimeError(f'{mta.name}: {count - over_tls} of {count} messages were relayed in clear')
    return {'accept_mps': count / accept_s, 'relay_mps': count / relay_s, 'cpu_s_per_1000': cpu * 1000 / count,
            'client_cpu_ms_per_session': client_cpu_ms(report), 'sink_cpu_ms_per_message': sink_cpu * 1000 / count,
            'relayed_over_tls': over_tls, 'sink_sessions': sink.sessions - base_sessions}


def scenario_tls_group(mta, opts, parts):
    """The STARTTLS scenarios named in parts ('tls', 'tlsmail', 'tlsmail_large'), one after the
    other on one start of the MTA and of a sink that offers STARTTLS, which both MTAs take
    (Postfix: smtp_tls_security_level = may; tmail: a route's opportunistic TLS). A full run
    passes one part at a time (fresh servers for each); --smoke all three (fewer starts)."""
    sink = TlsSink(free_port(), opts.tools, opts.sink_cert, opts.sink_key, opts.sink_workers)
    results = {}
    try:
        mta.start(sink.port, smtp_tls=True)
        try:
            for part in parts:
                try:
                    if part == 'tls':
                        results[part] = tls_handshakes(mta, opts)
                    elif part == 'tlsmail':
                        results[part] = tls_mail(mta, sink, opts, opts.tlsmail_messages, 2048)
                    else:
                        results[part] = tls_mail(mta, sink, opts, opts.tlsmail_large_messages, 102400)
                except (RuntimeError, OSError, subprocess.SubprocessError) as error:
                    log(f'{mta.name} {part} FAILED: {error}')
                    results[part] = {'error': str(error)[:500]}
        finally:
            mta.stop()
    finally:
        sink.stop()
    return results


def machine():
    info = {'kernel': platform.release(), 'cores': os.cpu_count()}
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    info['cpu'] = line.split(':', 1)[1].strip()
                    break
        with open('/proc/meminfo') as f:
            info['mem_gib'] = round(int(f.readline().split()[1]) / 1048576, 1)
    except OSError:
        pass
    try:
        with open('/etc/debian_version') as f:
            info['debian'] = f.read().strip()
    except OSError:
        pass
    info['postfix'] = subprocess.run(['postconf', '-d', '-h', 'mail_version'],
                                     capture_output=True, text=True).stdout.strip()
    return info


# key, label, higher is better
METRICS = [
    ('accept_single.accept_mps', 'accept msg/s, 1 msg/session', True),
    ('accept_single.relay_mps', 'relay msg/s, 1 msg/session', True),
    ('accept_single.cpu_s_per_1000', 'CPU s / 1000 msg, 1 msg/session', False),
    ('accept_reuse.accept_mps', 'accept msg/s, reused sessions', True),
    ('accept_reuse.relay_mps', 'relay msg/s, reused sessions', True),
    ('accept_reuse.cpu_s_per_1000', 'CPU s / 1000 msg, reused sessions', False),
    ('tls.tls_sessions_per_s', 'STARTTLS sessions/s', True),
    ('tls.tls_cpu_ms_per_session', 'CPU ms / STARTTLS session', False),
    ('tls.client_cpu_ms_per_session', 'client CPU ms / STARTTLS session', None),
    ('tlsmail.accept_mps', 'accept msg/s, STARTTLS, 2 KiB', True),
    ('tlsmail.relay_mps', 'relay msg/s, STARTTLS both legs, 2 KiB', True),
    ('tlsmail.cpu_s_per_1000', 'CPU s / 1000 msg, STARTTLS, 2 KiB', False),
    ('tlsmail.client_cpu_ms_per_session', 'client CPU ms / session, 2 KiB', None),
    ('tlsmail.sink_cpu_ms_per_message', 'sink CPU ms / message, 2 KiB', None),
    ('tlsmail_large.accept_mps', 'accept msg/s, STARTTLS, 100 KiB', True),
    ('tlsmail_large.relay_mps', 'relay msg/s, STARTTLS both legs, 100 KiB', True),
    ('tlsmail_large.cpu_s_per_1000', 'CPU s / 1000 msg, STARTTLS, 100 KiB', False),
    ('tlsmail_large.client_cpu_ms_per_session', 'client CPU ms / session, 100 KiB', None),
    ('concurrency.idle_sessions_held', 'idle sessions held (of tried)', True),
    ('concurrency.kib_per_session', 'KiB per idle session', False),
    ('concurrency.greeting_ms_while_held', 'greeting ms while held', False),
    ('queue_small.drain_mps', 'delivery msg/s, small queue (10-90%)', True),
    ('queue_large.drain_mps', 'delivery msg/s, large queue (10-90%)', True),
    ('queue_large.drain_all_mps', 'delivery msg/s, large queue (all)', True),
    ('queue_large.fill_mps', 'accept msg/s while sink stopped', True),
    ('dkim.unsigned_accept_mps', 'accept msg/s, DKIM scenario unsigned', True),
    ('dkim.signed_accept_mps', 'accept msg/s, DKIM-signed (RSA+Ed25519)', True),
    ('dkim.signed_cpu_s_per_1000', 'CPU s / 1000 msg, DKIM-signed', False),
    ('dkim.signing_cost', 'accept rate lost to signing', False),
    ('ratelimit.measured_per_min', 'msg/min to a destination at --rate 600/m', None),
    ('ratelimit.deviation_pct', 'deviation from 600/m, %', None),
] + [
    (f'cluster.{key}_{field}', f'{label} msg/s, {setup}', True)
    for key, setup in (('sqlite_disk', 'sqlite, disk store'), ('sqlite_database', 'sqlite, database store'),
                       ('pg_disk', 'PostgreSQL, disk store'), ('pg_database', 'PostgreSQL, database store'),
                       ('pg_database_2nodes', 'PostgreSQL, db store, 2 nodes'))
    for field, label in (('accept_mps', 'accept'), ('relay_mps', 'relay'))
] + [
    (f'cluster.{key}_pg_commits_per_s', f'PostgreSQL commits/s, {setup}', None)
    for key, setup in (('pg_disk', 'disk store'), ('pg_database', 'db store'), ('pg_database_2nodes', '2 nodes'))
] + [
    (f'cluster.{key}_pg_commits_per_msg', f'PostgreSQL commits/msg, {setup}', None)
    for key, setup in (('pg_disk', 'disk store'), ('pg_database', 'db store'), ('pg_database_2nodes', '2 nodes'))
]


def median_of(rounds, mta, key):
    scenario, field = key.split('.')
    values = [r[mta][scenario][field] for r in rounds
              if isinstance(r.get(mta, {}).get(scenario), dict) and r[mta][scenario].get(field) is not None]
    return statistics.median(values) if values else None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--tmail', required=True, help='path of the tmail binary')
    parser.add_argument('--results', required=True, help='directory for RESULT-DATE.json and latest.json')
    parser.add_argument('--smoke', action='store_true', help='tiny run: 50 messages, 1 round')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--messages', type=int, default=5000)
    parser.add_argument('--sessions', type=int, default=20)
    parser.add_argument('--size', type=int, default=2048)
    parser.add_argument('--idle-sessions', type=int, default=10000)
    parser.add_argument('--idle-sessions-postfix', type=int, default=1000)
    parser.add_argument('--latency-samples', type=int, default=10)
    parser.add_argument('--queue-small', type=int, default=1000)
    parser.add_argument('--queue-large', type=int, default=100000)
    parser.add_argument('--tls-sessions', type=int, default=2000, help='tls scenario: STARTTLS sessions')
    parser.add_argument('--tls-clients', type=int, default=20, help='tls scenario: concurrent sessions')
    parser.add_argument('--tlsmail-messages', type=int, default=2000, help='tlsmail: 2 KiB messages')
    parser.add_argument('--tlsmail-large-messages', type=int, default=1000, help='tlsmail_large: 100 KiB messages')
    parser.add_argument('--tls-resume', action='store_true',
                        help='tls scenario: the client resumes earlier TLS sessions (tickets or session IDs)')
    parser.add_argument('--client-procs', type=int, default=1, help='processes of bench/smtpload')
    parser.add_argument('--sink-workers', type=int, default=1, help='processes of bench/tlssink')
    parser.add_argument('--tools', default=os.path.dirname(os.path.abspath(__file__)),
                        help='directory of the built smtpload and tlssink (bench/run.sh builds them)')
    parser.add_argument('--timeout', type=int, default=600, help='bound of every single wait, seconds')
    parser.add_argument('--rate-limit', type=int, default=600, help='ratelimit scenario: messages per minute')
    parser.add_argument('--rate-messages', type=int, default=600, help='ratelimit scenario: messages sent')
    parser.add_argument('--only', default='',
                        help='comma-separated scenarios: '
                        'transfer,tls,tlsmail,tlsmail_large,concurrency,queue,dkim,ratelimit; '
                        'cluster (disk vs database store on sqlite and PostgreSQL) runs only when named')
    parser.add_argument('--cluster-setups', default='',
                        help='cluster scenario: comma-separated subset of ' + ','.join(k for k, _, _, _ in CLUSTER_SETUPS))
    parser.add_argument('--mtas', default='tmail,postfix')
    opts = parser.parse_args()
    if opts.smoke:
        opts.rounds, opts.messages, opts.sessions = 1, 50, 5
        opts.idle_sessions, opts.idle_sessions_postfix, opts.latency_samples = 200, 50, 3
        opts.queue_small, opts.queue_large = 20, 50
        opts.tls_sessions, opts.tls_clients = 20, 4
        opts.tlsmail_messages, opts.tlsmail_large_messages = 20, 10
        opts.rate_messages = 60
        opts.timeout = 40
    scenarios = {'transfer', 'tls', 'tlsmail', 'tlsmail_large', 'concurrency', 'queue', 'dkim', 'ratelimit'}
    only = set(filter(None, opts.only.split(','))) or scenarios
    if only - scenarios - {'cluster'}:  # cluster runs only when named
        parser.error('unknown scenario: ' + ', '.join(sorted(only - scenarios - {'cluster'})))

    work = tempfile.mkdtemp(prefix='tmail-bench-', dir='/tmp')
    os.chmod(work, 0o755)  # the postfix user must reach the spool inside
    cert, key = os.path.join(work, 'server.crt'), os.path.join(work, 'server.key')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=bench.local',
                    '-days', '2', '-keyout', key, '-out', cert], check=True, capture_output=True)
    os.chmod(key, 0o644)
    # The STARTTLS sink signs with ECDSA P-256: its handshakes cost little beside the MTAs'.
    opts.sink_cert, opts.sink_key = os.path.join(work, 'sink.crt'), os.path.join(work, 'sink.key')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
                    '-subj', '/CN=sink.bench.test', '-days', '2', '-keyout', opts.sink_key, '-out', opts.sink_cert],
                   check=True, capture_output=True)
    all_mtas = {'tmail': Tmail(work, os.path.abspath(opts.tmail), cert, key), 'postfix': Postfix(work, cert, key)}
    names = [n for n in opts.mtas.split(',') if n in all_mtas]
    rounds = []
    started = time.time()
    try:
        for number in range(opts.rounds):
            order = names if number % 2 == 0 else list(reversed(names))
            result = {name: {} for name in names}
            for name in order:
                mta = all_mtas[name]
                def measure(key, what, run):
                    log(f'round {number + 1}: {name} {what}')
                    try:
                        result[name][key] = run()
                    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
                        # One failed scenario is reported; the others still run.
                        log(f'round {number + 1}: {name} {what} FAILED: {error}')
                        result[name][key] = {'error': str(error)[:500]}

                if 'transfer' in only:
                    measure('accept_single', 'accept/relay, 1 message per session',
                            lambda: scenario_transfer(mta, opts, False))
                    measure('accept_reuse', 'accept/relay, reused sessions', lambda: scenario_transfer(mta, opts, True))
                if 'dkim' in only:
                    measure('dkim', 'accept with and without DKIM signing', lambda: scenario_dkim(mta, opts, work))
                tls_parts = [p for p in ('tls', 'tlsmail', 'tlsmail_large') if p in only]
                what = {'tls': 'STARTTLS', 'tlsmail': 'STARTTLS in and out, 2 KiB',
                        'tlsmail_large': 'STARTTLS in and out, 100 KiB'}
                for group in ([tls_parts] if opts.smoke else [[p] for p in tls_parts]):
                    if not group:
                        continue
                    measure('_tls', ' + '.join(what[p] for p in group),
                            lambda: scenario_tls_group(mta, opts, group))
                    group_result = result[name].pop('_tls')
                    for part in group:
                        result[name][part] = group_result.get(part, group_result)
                # The long scenarios run once, in the first round.
                if number == 0 and 'concurrency' in only:
                    measure('concurrency', 'idle sessions', lambda: scenario_concurrency(mta, opts))
                if number == 0 and 'ratelimit' in only and name == 'tmail':
                    measure('ratelimit', f'delivery rate to one destination at {opts.rate_limit}/m',
                            lambda: scenario_ratelimit(mta, opts))
                if number == 0 and 'queue' in only:
                    measure('queue_small', f'queue of {opts.queue_small}',
                            lambda: scenario_queue_scale(mta, opts, opts.queue_small))
                    measure('queue_large', f'queue of {opts.queue_large}',
                            lambda: scenario_queue_scale(mta, opts, opts.queue_large))
                if 'cluster' in only:
                    measure('cluster', 'disk vs database store, sqlite vs PostgreSQL, 1 vs 2 nodes',
                            lambda: scenario_cluster(mta, opts, work))
                log(f'round {number + 1}: {name}: {json.dumps(result[name])}')
            rounds.append(result)
    finally:
        for mta in all_mtas.values():
            try:
                mta.stop()
            except Exception:  # noqa: BLE001 - best effort cleanup
                pass
        if 'server' in CLUSTER_PG:
            CLUSTER_PG['server'].stop()
        shutil.rmtree(work, ignore_errors=True)

    summary = {}
    for key, label, higher in METRICS:
        row = {'label': label, 'higher_is_better': higher}
        for name in names:
            row[name] = median_of(rounds, name, key)
        if row.get('tmail') is not None and row.get('postfix'):
            row['ratio'] = row['tmail'] / row['postfix']
        summary[key] = row
    for name in names:
        small = summary['queue_small.drain_mps'].get(name)
        large = summary['queue_large.drain_mps'].get(name)
        if small and large:
            summary.setdefault('queue_scale', {'label': 'large/small delivery rate', 'higher_is_better': True})
            summary['queue_scale'][name] = large / small
    tried = {n: median_of(rounds, n, 'concurrency.idle_sessions_tried') for n in names}

    when = datetime.datetime.now(datetime.timezone.utc)
    report = {
        'date': when.isoformat(timespec='seconds'),
        'duration_s': round(time.time() - started, 1),
        'machine': machine(),
        'parameters': {k: v for k, v in vars(opts).items() if k not in ('tmail', 'results', 'tools', 'sink_cert', 'sink_key')},
        'summary': summary,
        'rounds': rounds,
    }

    def fmt(v):
        if v is None:
            return '-'
        return f'{v:.3g}' if abs(v) < 100 else f'{v:.0f}'

    print(f'tmail vs Postfix {report["machine"].get("postfix", "")}, {opts.rounds} round(s), medians '
          f'({report["machine"].get("cores")} cores, {report["machine"].get("cpu", "?")})')
    print(f'| {"metric":<36} | {"tmail":>9} | {"postfix":>9} | {"ratio":>6} |')
    print(f'|{"-" * 38}|{"-" * 11}|{"-" * 11}|{"-" * 8}|')
    for key, row in summary.items():
        label = row['label']
        if key == 'concurrency.idle_sessions_held':
            label = f'idle sessions held (tried {fmt(tried.get("tmail"))}/{fmt(tried.get("postfix"))})'
        print(f'| {label:<36} | {fmt(row.get("tmail")):>9} | {fmt(row.get("postfix")):>9} | '
              f'{fmt(row.get("ratio")):>6} |')

    os.makedirs(opts.results, exist_ok=True)
    name = 'SMOKE-' if opts.smoke else 'RESULT-'
    path = os.path.join(opts.results, name + when.strftime('%Y%m%d-%H%M%S') + '.json')
    with open(path, 'w') as f:
        json.dump(report, f, indent=1)
    if not opts.smoke:
        shutil.copyfile(path, os.path.join(opts.results, 'latest.json'))
    print('results:', path)


if __name__ == '__main__':
    main()
