#!/usr/bin/env python3
"""Soak: tmail under a steady load for a long time, resident memory and descriptors sampled.

The load is half of the measured maximum accept rate (bench/results/latest.json,
accept_single) unless --rate says otherwise: every second one smtp-source run sends that
many messages (alternately one per session and 50 per session). Beside it, every 5 s, a
STARTTLS + AUTH session relays one message from an address that is not a relay IP, a
client from another address is refused relay, and every 60 s a wrong password is tried
and the command line lists the queue. At the end every acknowledged message must have
reached the sink. Only loopback is used; the run is bounded by --minutes.
"""
import argparse
import datetime
import json
import os
import smtplib
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (Tmail, Sink, free_port, machine)

AUTH_USER, AUTH_PASSWORD = 'soak@' + bench.SINK_DOMAIN, 'soak-password-1'


def status_fields(pid):
    fields = {}
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            key, _, value = line.partition(':')
            if key in ('VmRSS', 'Threads'):
                fields[key] = int(value.split()[0])
    fields['fds'] = len(os.listdir(f'/proc/{pid}/fd'))
    return fields


def slope_per_hour(points):
    """Least-squares slope of (seconds, value) points, per hour."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in points)
    return sxy / sxx * 3600 if sxx else 0.0


class SideTraffic(threading.Thread):
    """AUTH relay, refused relay, wrong passwords and CLI reads, counted."""

    def __init__(self, tmail, stop):
        super().__init__(daemon=True)
        self.tmail, self.stop = tmail, stop
        self.counts = {'auth_sent': 0, 'auth_failed': 0, 'refused_ok': 0, 'refused_wrong': 0,
                       'bad_password_tried': 0, 'cli_ok': 0, 'cli_failed': 0}
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def auth_relay(self):
        try:
            with smtplib.SMTP('127.0.0.1', self.tmail.port, timeout=30, source_address=('127.0.0.5', 0)) as s:
                s.starttls(context=self.context)
                s.login(AUTH_USER, AUTH_PASSWORD)
                s.sendmail('soak-auth@bench-source.test', [bench.RCPT], b'Subject: soak auth\r\n\r\nhello\r\n')
            self.counts['auth_sent'] += 1
        except (OSError, smtplib.SMTPException):
            self.counts['auth_failed'] += 1

    def refused_relay(self):
        try:
            with smtplib.SMTP('127.0.0.1', self.tmail.port, timeout=30, source_address=('127.0.0.6', 0)) as s:
                s.ehlo('soak-refused.test')
                s.mail('x@bench-source.test')
                code, _ = s.rcpt('victim@elsewhere.example')
            self.counts['refused_ok' if code == 554 else 'refused_wrong'] += 1
        except (OSError, smtplib.SMTPException):
            self.counts['refused_wrong'] += 1

    def bad_password(self):
        try:
            with smtplib.SMTP('127.0.0.1', self.tmail.port, timeout=30, source_address=('127.0.0.7', 0)) as s:
                s.starttls(context=self.context)
                s.login(AUTH_USER, 'wrong')
        except (OSError, smtplib.SMTPException):
            pass
        self.counts['bad_password_tried'] += 1

    def cli(self):
        r = subprocess.run([self.tmail.binary, 'queue', 'list'], env=self.tmail._env(),
                           capture_output=True, timeout=60)
        self.counts['cli_ok' if r.returncode == 0 else 'cli_failed'] += 1

    def run(self):
        tick = 0
        while not self.stop.wait(5):
            tick += 1
            self.auth_relay()
            self.refused_relay()
            if tick % 12 == 0:
                self.bad_password()
                self.cli()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--tmail', required=True)
    parser.add_argument('--results', required=True)
    parser.add_argument('--minutes', type=float, default=60)
    parser.add_argument('--rate', type=int, default=0, help='messages per second (default: half the measured maximum)')
    parser.add_argument('--warmup', type=float, default=5, help='minutes left out of the flatness figures')
    parser.add_argument('--sample', type=float, default=10, help='seconds between samples')
    opts = parser.parse_args()

    rate, basis = opts.rate, 'given'
    if not rate:
        try:
            with open(os.path.join(opts.results, 'latest.json')) as f:
                maximum = json.load(f)['summary']['accept_single.accept_mps']['tmail']
            rate, basis = max(1, int(maximum / 2)), f'half of {maximum:.0f} msg/s (latest.json accept_single)'
        except (OSError, KeyError, ValueError):
            rate, basis = 200, 'default (no latest.json)'
    bench.log(f'soak: {opts.minutes} min at {rate} msg/s ({basis})')

    work = tempfile.mkdtemp(prefix='tmail-soak-', dir='/tmp')
    os.chmod(work, 0o755)
    cert, key = os.path.join(work, 'server.crt'), os.path.join(work, 'server.key')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=soak.local',
                    '-days', '2', '-keyout', key, '-out', cert], check=True, capture_output=True)
    os.chmod(key, 0o644)
    tmail = bench.Tmail(work, os.path.abspath(opts.tmail), cert, key)
    sink = bench.Sink(bench.free_port())
    stop = threading.Event()
    samples, runs, behind, failures = [], 0, 0, []
    accepted = 0
    started = time.time()
    try:
        tmail.start(sink.port)
        tmail._cli('user', 'add', AUTH_USER, AUTH_PASSWORD)
        side = SideTraffic(tmail, stop)
        side.start()
        t0 = time.monotonic()
        end = t0 + opts.minutes * 60
        next_sample = t0
        cpu0 = tmail.cpu()
        current = None
        tick = 0
        while time.monotonic() < end:
            if current is not None:
                # Still running from the last second: the load is falling behind.
                if current.poll() is None:
                    behind += 1
                    try:
                        current.wait(60)
                    except subprocess.TimeoutExpired:
                        current.kill()
                        current.wait()
                out, err = current.communicate()
                if current.returncode == 0 and not err.strip():
                    accepted += rate
                else:
                    failures.append(f'tick {tick}: rc {current.returncode} {err.strip()[:200]!r}')
            reuse = tick % 2 == 1
            args = ['smtp-source', '-s', '10' if not reuse else '2', '-m', str(rate), '-l', '2048',
                    '-f', bench.SENDER, '-t', bench.RCPT, '-M', 'soak-source.test']
            if reuse:
                args.append('-d')
            current = subprocess.Popen(args + [f'127.0.0.1:{tmail.port}'], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True)
            runs += 1
            now = time.monotonic()
            if now >= next_sample:
                s = status_fields(tmail.proc.pid)
                s.update({'t': round(now - t0, 1), 'accepted': accepted + side.counts['auth_sent'],
                          'delivered': sink.mesg, 'cpu_s': round(tmail.cpu() - cpu0, 2)})
                samples.append(s)
                if len(samples) % 30 == 1:
                    bench.log(f"t={s['t']:.0f}s rss={s['VmRSS']} KiB fds={s['fds']} threads={s['Threads']} "
                              f"accepted={s['accepted']} delivered={s['delivered']} behind={behind}")
                next_sample += opts.sample
            tick += 1
            pause = t0 + tick - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        if current is not None:
            out, err = current.communicate(timeout=120)
            if current.returncode == 0 and not err.strip():
                accepted += rate
            else:
                failures.append(f'last tick: rc {current.returncode} {err.strip()[:200]!r}')
        stop.set()
        side.join(60)
        load_s = time.monotonic() - t0
        total = accepted + side.counts['auth_sent']
        done = sink.wait_for(total, 600)
        final = status_fields(tmail.proc.pid)
        cpu = tmail.cpu() - cpu0
    finally:
        stop.set()
        tmail.stop()
        sink.stop()

    warm = [s for s in samples if s['t'] >= opts.warmup * 60] or samples
    rss = [s['VmRSS'] for s in warm]
    fds = [s['fds'] for s in warm]
    result = {
        'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
        'machine': bench.machine(),
        'parameters': {'minutes': opts.minutes, 'rate_mps': rate, 'rate_basis': basis,
                       'warmup_minutes': opts.warmup, 'sample_s': opts.sample},
        'summary': {
            'load_s': round(load_s, 1),
            'achieved_mps': round(total / load_s, 1),
            'seconds_behind': behind,
            'source_failures': len(failures),
            'acknowledged': total,
            'delivered': sink.mesg,
            'all_delivered': done is not None,
            'cpu_s_per_1000': round(cpu * 1000 / max(1, total), 3),
            'rss_kib_after_warmup': rss[0], 'rss_kib_end': rss[-1], 'rss_kib_max': max(rss),
            'rss_kib_per_hour_slope_after_warmup': round(slope_per_hour([(s['t'], s['VmRSS']) for s in warm]), 1),
            'fds_min_after_warmup': min(fds), 'fds_max_after_warmup': max(fds),
            'fds_after_drain': final['fds'], 'rss_kib_after_drain': final['VmRSS'],
            'threads_max': max(s['Threads'] for s in samples),
            'side_traffic': side.counts,
        },
        'failures': failures[:20],
        'samples': samples,
        'wall_s': round(time.time() - started, 1),
    }
    stamp = datetime.datetime.now().strftime('%Y%m%d-%H%M%S')
    os.makedirs(opts.results, exist_ok=True)
    path = os.path.join(opts.results, f'SOAK-{stamp}.json')
    with open(path, 'w') as f:
        json.dump(result, f, indent=1)
    for key, value in result['summary'].items():
        print(f'{key:42} {value}')
    print(f'written: {path}')
    ok = done is not None and not failures and side.counts['auth_failed'] == 0 and side.counts['refused_wrong'] == 0
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
