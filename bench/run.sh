#!/usr/bin/env bash
# Benchmarks tmail against a private Postfix instance on loopback (see bench/README or
# the README's "Benchmarks" section). Installs what it needs, then runs bench/bench.py.
#   bench/run.sh soak [--minutes 60] [--rate N]   (resident memory and descriptors under a steady load)
#   bench/run.sh cluster [--rounds N] …             (disk vs database store, sqlite vs PostgreSQL, 1 vs 2 nodes)
#   bench/run.sh [--smoke] [--rounds N] [--messages N] [--only transfer,tls,tlsmail,tlsmail_large,concurrency,queue,dkim,ratelimit] …
# Prints a table; writes bench/results/RESULT-DATE.json and latest.json (SMOKE-DATE.json for --smoke).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

need=()
command -v smtp-source >/dev/null 2>&1 || need+=(postfix)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v opendkim >/dev/null 2>&1 || [ -x /usr/sbin/opendkim ] || need+=(opendkim)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
[ -f /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
if [ ${#need[@]} -gt 0 ]; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin:/sbin"

tmail=${TMAIL_BENCH_BINARY:-}
if [ -z "$tmail" ]; then
    for candidate in "$root/build/server/tmail" "$root/dist/tmail"; do
        [ -x "$candidate" ] && { tmail=$candidate; break; }
    done
fi
if [ -z "$tmail" ]; then
    echo "bench/run.sh: no tmail binary; build first (scripts/build.sh) or set TMAIL_BENCH_BINARY" >&2
    exit 1
fi

# The STARTTLS client and sink (C, OpenSSL), built beside the tmail build.
tools=${TMAIL_BENCH_TOOLS:-$root/build/bench}
mkdir -p "$tools"
for tool in smtpload tlssink; do
    if [ ! -x "$tools/$tool" ] || [ "$here/$tool.c" -nt "$tools/$tool" ]; then
        gcc -O2 -Wall -Wextra -o "$tools/$tool" "$here/$tool.c" -lssl -lcrypto
    fi
done

# 10,000 idle sessions need as many descriptors in tmail and in the client.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
script=bench.py
if [ "${1:-}" = soak ]; then
    script=soak.py
    shift
elif [ "${1:-}" = cluster ]; then
    shift
    set -- --only cluster "$@"
fi
extra=()
[ "$script" = bench.py ] && extra=(--tools "$tools")
exec python3 "$here/$script" --tmail "$tmail" --results "${TMAIL_BENCH_RESULTS:-$here/results}" "${extra[@]}" "$@"
