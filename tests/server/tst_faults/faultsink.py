#!/usr/bin/env python3
"""A scriptable SMTP sink for tst_faults: accepts every message and appends its
Subject to a file (one line per delivery, flushed), so the test counts deliveries.
Faults for the first connections:  --stall N  (greets, then never answers DATA's end),
--drop N (closes in the middle of DATA), --badtls N (offers STARTTLS, then sends garbage
instead of a TLS handshake). Bounded: exits after --lifetime seconds."""
import argparse
import socket
import sys
import threading
import time

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--stall", type=int, default=0)
parser.add_argument("--drop", type=int, default=0)
parser.add_argument("--badtls", type=int, default=0)
parser.add_argument("--lifetime", type=float, default=600)
args = parser.parse_args()

lock = threading.Lock()
faults = {"stall": args.stall, "drop": args.drop, "badtls": args.badtls}
out = open(args.out, "a", buffering=1)


def take_fault():
    with lock:
        for name in ("stall", "drop", "badtls"):
            if faults[name] > 0:
                faults[name] -= 1
                print("fault " + name, flush=True)
                return name
    return None


def serve(conn):
    fault = take_fault()
    conn.settimeout(60)
    f = conn.makefile("rb")
    try:
        conn.sendall(b"220 sink.test ESMTP\r\n")
        while True:
            line = f.readline(4096)
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                extra = b"250-STARTTLS\r\n" if fault == "badtls" else b""
                conn.sendall(b"250-sink.test\r\n" + extra + b"250-PIPELINING\r\n250 8BITMIME\r\n")
            elif verb == b"STAR":
                conn.sendall(b"220 go ahead\r\n")
                conn.sendall(b"this is not TLS\r\n" * 4)
                time.sleep(0.2)
                return
            elif verb == b"DATA":
                conn.sendall(b"354 go\r\n")
                subject = None
                lines = 0
                while True:
                    body = f.readline(65536)
                    if not body:
                        return
                    lines += 1
                    if subject is None and body.lower().startswith(b"subject:"):
                        subject = body[8:].strip().decode("utf-8", "replace")
                    if fault == "drop" and lines == 3:
                        return
                    if body == b".\r\n":
                        break
                if fault == "stall":
                    time.sleep(30)
                    return
                out.write((subject or "(none)") + "\n")
                conn.sendall(b"250 2.0.0 stored\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 ok\r\n")
    except OSError:
        pass
    finally:
        conn.close()


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", args.port))
server.listen(128)
server.settimeout(0.5)
print("ready", flush=True)
deadline = time.time() + args.lifetime
while time.time() < deadline:
    try:
        conn, _ = server.accept()
    except socket.timeout:
        continue
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
sys.exit(0)
