#!/usr/bin/env bash
# Regenerates the README's screenshots of tmail-manager (docs/manager-{en,fr}-PAGE.png) from the
# current build, so that they cannot go stale: a throwaway tmail with a few domains, users,
# relay IPs, routes, DKIM keys and messages waiting in its queue, then `tmail-manager
# --screenshot` under Qt's offscreen platform, in English and in French.
# Usage: [BUILD_DIR=build] [OUT_DIR=docs] docs/screenshots.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
out=${OUT_DIR:-$root/docs}
tmail=$build/server/tmail
manager=$build/gui/tmail-manager
for binary in "$tmail" "$manager"; do
    [ -x "$binary" ] || { echo "screenshots.sh: $binary is not built (scripts/build.sh)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/tmail-screenshots.XXXXXX)
daemon=
cleanup() {
    [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# A loopback address of its own (see NOTES on ephemeral ports): 127.84.0.1:2525.
address=127.84.0.1
port=2525
mkdir -p "$work/conf" "$work/db" "$work/store" "$work/ssl"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mx.example.com" \
    -keyout "$work/ssl/server.key" -out "$work/ssl/server.crt" 2>/dev/null
# tmail.cfg.base with the paths of this directory; a DNS server that does not answer keeps
# the messages in the queue with a last error, as on a real server with a broken destination.
sed -e "s|^export TMAIL_ME=.*|export TMAIL_ME=\"mx.example.com\"|" \
    -e "s|^export TMAIL_DB_SOURCE=.*|export TMAIL_DB_SOURCE=\"$work/db/tmail.db\"|" \
    -e "s|^export TMAIL_STORE_SOURCE=.*|export TMAIL_STORE_SOURCE=\"$work/store\"|" \
    -e "s|^export TMAIL_SMTPD_DSNS=.*|export TMAIL_SMTPD_DSNS=\"$address:$port:false\"|" \
    -e "s|^export TMAIL_SMTPD_TLS_CERT=.*|export TMAIL_SMTPD_TLS_CERT=\"$work/ssl/server.crt\"|" \
    -e "s|^export TMAIL_SMTPD_TLS_KEY=.*|export TMAIL_SMTPD_TLS_KEY=\"$work/ssl/server.key\"|" \
    -e "s|^export TMAIL_DNS_SERVERS=.*|export TMAIL_DNS_SERVERS=\"127.84.0.2:53\"|" \
    -e "s|^export TMAIL_DELIVERD_REMOTE_TIMEOUT=.*|export TMAIL_DELIVERD_REMOTE_TIMEOUT=\"5\"|" \
    -e "s|^export TMAIL_MANAGER_SOCKET=.*|export TMAIL_MANAGER_SOCKET=\"$work/manager.sock\"|" \
    "$root/resources/tmail.cfg.base" > "$work/conf/tmail.cfg"
chmod 600 "$work/conf/tmail.cfg"
# Settings come from the file only when TMAIL_ME is not in the environment.
unset TMAIL_ME
run() { "$tmail" --config "$work/conf/tmail.cfg" "$@" >/dev/null; }

run db init
run rcpthost add -l example.com
run rcpthost add example.org
run rcpthost add lists.example.com
run user add alice@example.com 'Demo-passw0rd'
run user add --no-relay bob@example.com 'Demo-passw0rd'
run relayip add 127.0.0.0/8
run relayip add 192.0.2.0/24
run routes add -d example.net -rh mx1.example.net -p 1
run routes add -d example.net -rh mx2.example.net -p 2
run routes add -d partner.example -rh 192.0.2.25 -rp 587 -u relay@partner.example -pw 'Demo-passw0rd'
run dkim add example.com
run dkim add lists.example.com -s news -a ed25519

"$tmail" --config "$work/conf/tmail.cfg" > "$work/tmail.log" 2>&1 &
daemon=$!
for _ in $(seq 100); do
    [ -S "$work/manager.sock" ] && (exec 3<>"/dev/tcp/$address/$port") 2>/dev/null && break
    sleep 0.1
done
[ -S "$work/manager.sock" ] || { echo "screenshots.sh: tmail did not start:" >&2; tail -n 5 "$work/tmail.log" >&2; exit 1; }

# A few messages to example.net, relayed from loopback, that wait in the queue.
send() {
    exec 3<>"/dev/tcp/$address/$port"
    local line
    read -r -t 5 line <&3
    printf 'EHLO client.example.com\r\n' >&3
    while read -r -t 5 line <&3 && [[ $line == 250-* ]]; do :; done
    printf 'MAIL FROM:<%s>\r\nRCPT TO:<%s>\r\nDATA\r\n' "$1" "$2" >&3
    read -r -t 5 line <&3; read -r -t 5 line <&3; read -r -t 5 line <&3
    printf 'From: <%s>\r\nTo: <%s>\r\nSubject: Newsletter\r\n\r\nHello.\r\n.\r\nQUIT\r\n' "$1" "$2" >&3
    read -r -t 5 line <&3; read -r -t 5 line <&3
    exec 3>&-
}
for i in 0 1 2 3 4 5; do
    send "news@lists.example.com" "reader$i@example.net"
done
# Let the first delivery attempt fail, so the queue shows its last error.
sleep 8

for language in en fr; do
    QT_QPA_PLATFORM=offscreen "$manager" --socket "$work/manager.sock" --lang "$language" --screenshot "$out"
done
ls "$out"/manager-*.png
