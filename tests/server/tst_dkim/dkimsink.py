#!/usr/bin/python3
"""A capturing SMTP sink for the DKIM tests: accepts every message and writes its exact
octets (dot-stuffing undone) to DIR/N.eml. Usage: dkimsink.py HOST PORT DIR"""
import os
import socket
import sys
import threading

host, port, directory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
counter = [0]
lock = threading.Lock()


def serve(conn):
    reader = conn.makefile('rb')

    def send(line):
        conn.sendall(line + b'\r\n')

    send(b'220 sink.test ESMTP')
    while True:
        line = reader.readline()
        if not line:
            return
        verb = line[:4].upper()
        if verb in (b'EHLO', b'HELO'):
            send(b'250-sink.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING')
        elif verb == b'DATA':
            send(b'354 go')
            data = bytearray()
            while True:
                part = reader.readline()
                if not part or part == b'.\r\n':
                    break
                if part.startswith(b'.'):
                    part = part[1:]
                data += part
            with lock:
                counter[0] += 1
                name = os.path.join(directory, '%05d.eml' % counter[0])
            with open(name + '.part', 'wb') as f:
                f.write(bytes(data))
            os.rename(name + '.part', name)
            send(b'250 2.0.0 captured')
        elif verb == b'QUIT':
            send(b'221 bye')
            return
        else:
            send(b'250 ok')


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((host, port))
server.listen(64)
print('listening', flush=True)
while True:
    client, _ = server.accept()
    threading.Thread(target=serve, args=(client,), daemon=True).start()
