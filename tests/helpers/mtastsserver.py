#!/usr/bin/env python3
"""A small HTTPS server for MTA-STS tests (RFC 8461 §3.3), on a loopback address.

    mtastsserver.py ADDRESS PORT CERT KEY ROOT

Serves ROOT/<Host header>/.well-known/mta-sts.txt as text/plain (ROOT/<host>/type, when
present, holds another Content-Type); 404 for anything else. A POST to /tlsrpt (a TLS
report, RFC 8460 §5.4) is kept as ROOT/<host>/posted/N.body with its Content-Type in
N.type. Prints "ready" once listening.
"""
import http.server
import os
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        root = self.server.root
        path = os.path.join(root, host, ".well-known", "mta-sts.txt")
        if "/" in host or host.startswith(".") or self.path != "/.well-known/mta-sts.txt" or not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            body = f.read()
        content_type = "text/plain"
        type_path = os.path.join(root, host, "type")
        if os.path.isfile(type_path):
            with open(type_path) as f:
                content_type = f.read().strip()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if 0 < length <= 1 << 20 else b""
        if "/" in host or host.startswith(".") or self.path != "/tlsrpt" or not body:
            self.send_error(404)
            return
        posted = os.path.join(self.server.root, host, "posted")
        os.makedirs(posted, exist_ok=True)
        number = len([name for name in os.listdir(posted) if name.endswith(".body")]) + 1
        with open(os.path.join(posted, "%d.type" % number), "w") as f:
            f.write(self.headers.get("Content-Type") or "")
        with open(os.path.join(posted, "%d.body" % number), "wb") as f:
            f.write(body)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    address, port, cert, key, root = sys.argv[1:6]
    server = http.server.ThreadingHTTPServer((address, int(port)), Handler)
    server.root = root
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
