#!/usr/bin/python3
"""Verifies every DKIM-Signature of each message with dkimpy, its DNS answers taken from
the zone lines of `tmail dkim dns`. Usage: verify.py ZONEFILE MESSAGE... Prints one line
per message: "FILE ok N" (N signatures, all valid) or "FILE fail REASON"; exit 0 when all ok."""
import re
import sys

import dkim

records = {}
for line in open(sys.argv[1], encoding='ascii'):
    m = re.match(r'(\S+)\.\s+IN\s+TXT\s+(.*)$', line.strip())
    if m:
        records[m.group(1).lower()] = ''.join(re.findall(r'"([^"]*)"', m.group(2))).encode()


def dnsfunc(name, timeout=5):
    name = name.decode() if isinstance(name, bytes) else name
    return records.get(name.rstrip('.').lower())


failed = 0
for path in sys.argv[2:]:
    message = open(path, 'rb').read()
    try:
        verifier = dkim.DKIM(message)
    except Exception as error:  # dkimpy refuses some header syntax outright
        failed += 1
        print(path, 'fail', error)
        continue
    count = sum(1 for h in verifier.headers if h[0].lower() == b'dkim-signature')
    results = []
    for index in range(count):
        try:
            results.append(verifier.verify(idx=index, dnsfunc=dnsfunc))
        except Exception as error:  # dkimpy raises on malformed input
            results.append(False)
            print(path, 'error', error, file=sys.stderr)
    if count > 0 and all(results):
        print(path, 'ok', count)
    else:
        failed += 1
        print(path, 'fail', results)
sys.exit(1 if failed else 0)
