#!/usr/bin/env bash
# Packaging check on a clean machine (not run by test.sh): builds the Linux zip,
# debootstraps a minimal Debian 12 root without Qt, unzips tmail there, runs it, sends a
# message with a raw SMTP client (bash /dev/tcp) and, when the manager has --screenshot,
# takes screenshots under the offscreen platform. Prints PASS/FAIL lines and a summary.
# Usage: [BUILD_DIR=build] [ROOTFS=/var/tmp/tmail-bookworm] bench/package.sh   (root)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rootfs=${ROOTFS:-/var/tmp/tmail-bookworm}
mirror=${MIRROR:-http://deb.debian.org/debian}
results=()
pass() { results+=("PASS $*"); echo "PASS $*"; }
fail() { results+=("FAIL $*"); echo "FAIL $*"; }
finish() {
    [ -n "${daemon_pid:-}" ] && kill "$daemon_pid" 2>/dev/null
    umount "$rootfs/proc" "$rootfs/dev/pts" 2>/dev/null
    echo "---"
    printf '%s\n' "${results[@]}"
}
trap finish EXIT

[ "$(id -u)" -eq 0 ] || { echo "package.sh: run as root (debootstrap, chroot)"; exit 1; }
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
command -v patchelf >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q patchelf >/dev/null

zip=$(BUILD_DIR=${BUILD_DIR:-$root/build} OUT_DIR=${OUT_DIR:-/var/tmp} "$root/packaging/linux/make-zip.sh" | tail -n 1)
[ -f "$zip" ] || { fail "make-zip.sh"; exit 1; }
pass "zip $zip ($(du -h "$zip" | cut -f1))"

if [ ! -x "$rootfs/bin/bash" ]; then
    start=$(date +%s)
    if ! debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/var/tmp/tmail-debootstrap.log 2>&1; then
        fail "debootstrap --variant=minbase bookworm (see /var/tmp/tmail-debootstrap.log)"
        exit 1
    fi
    pass "debootstrap minbase bookworm in $(( $(date +%s) - start )) s"
fi
if chroot "$rootfs" /usr/bin/dpkg -l 'libqt6*' 2>/dev/null | grep -q '^ii'; then
    fail "the root has Qt installed; it must not"
else
    pass "no Qt package in the root"
fi
mount -t proc proc "$rootfs/proc" 2>/dev/null || mount --bind /proc "$rootfs/proc"
mount --bind /dev/pts "$rootfs/dev/pts" 2>/dev/null

rm -rf "$rootfs/opt/tmail" "$rootfs/opt/tmail-"*
unzip -q "$zip" -d "$rootfs/opt" && mv "$rootfs/opt/$(basename "$zip" .zip)" "$rootfs/opt/tmail"
dir=/opt/tmail
sed -e 's|^export TMAIL_SMTPD_DSNS=.*|export TMAIL_SMTPD_DSNS="127.0.0.1:2599:false"|' \
    -e 's|^export TMAIL_MANAGER_SOCKET=.*|export TMAIL_MANAGER_SOCKET="/opt/tmail/manager.sock"|' \
    -e 's|^export TMAIL_DNS_SERVERS=.*|export TMAIL_DNS_SERVERS="127.0.0.1:5399"|' \
    "$rootfs$dir/conf/tmail.cfg.base" > "$rootfs$dir/conf/tmail.cfg"
# minbase has no openssl binary, so run cannot make the certificate: check that it says so,
# then bring one made here (as an operator would copy theirs).
no_openssl=$(chroot "$rootfs" /bin/bash -c "cd $dir && ./run --version 2>&1")
if echo "$no_openssl" | grep -q "could not make a self-signed certificate"; then
    pass "run without openssl in the root says it cannot make a certificate"
else
    fail "run without openssl: no clear message about the certificate"
fi
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=mail.example.com -days 30 \
    -keyout "$rootfs$dir/ssl/server.key" -out "$rootfs$dir/ssl/server.crt" >/dev/null 2>&1
if chroot "$rootfs" /bin/bash -c "cd $dir && ./run db init && ./run rcpthost add example.com" > /var/tmp/tmail-chroot-init.log 2>&1; then
    pass "./run db init; ./run rcpthost add (no Qt, no openssl in the root)"
else
    fail "./run db init: $(tail -n 3 /var/tmp/tmail-chroot-init.log)"
fi

chroot "$rootfs" /bin/bash -c "cd $dir && exec ./run" > /var/tmp/tmail-chroot-daemon.log 2>&1 &
for _ in $(seq 1 50); do
    grep -q "deliverd launched" /var/tmp/tmail-chroot-daemon.log && break
    sleep 0.2
done
# The tmail whose root is this chroot (the host sees the same pids).
daemon_pid=$(for pid in $(pgrep -x tmail); do [ "$(readlink "/proc/$pid/root")" = "$rootfs" ] && echo "$pid"; done | tail -n 1)
if grep -q "deliverd launched" /var/tmp/tmail-chroot-daemon.log; then
    pass "./run started tmail in the root"
else
    fail "./run: $(tail -n 5 /var/tmp/tmail-chroot-daemon.log)"
fi

# A raw SMTP client in bash, inside the root: each command, then the final reply line.
transcript=$(chroot "$rootfs" /bin/bash -c '
exec 3<>/dev/tcp/127.0.0.1/2599 || exit 1
reply() { while IFS= read -r -t 10 line <&3; do echo "S: $line"; [ "${line:3:1}" = " " ] && break; done; }
send() { echo "C: $1"; printf "%s\r\n" "$1" >&3; reply; }
reply
send "EHLO chroot.test"
send "MAIL FROM:<sender@example.net>"
send "RCPT TO:<someone@example.com>"
send "DATA"
printf "Subject: from a minimal Debian root\r\n\r\nhello\r\n.\r\n" >&3; reply
send "QUIT"' 2>&1)
echo "$transcript"
if echo "$transcript" | grep -q "250 2.0.0 Ok: queued"; then
    pass "message queued through the zip's tmail (raw client in the root)"
else
    fail "message not queued"
fi
if echo "$transcript" | grep -q "STARTTLS"; then
    pass "STARTTLS offered: the bundled OpenSSL backend loaded"
else
    fail "STARTTLS not offered"
fi

# The manager: which libraries the machine must provide (X/GL are not bundled).
missing=$(chroot "$rootfs" /bin/bash -c "cd $dir && ldd ./tmail-manager" | awk '/not found/ { print $1 }' | tr '\n' ' ')
if [ -n "$missing" ]; then
    echo "tmail-manager needs from the system: $missing"
    chroot "$rootfs" /bin/bash -c "apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libegl1 libgl1 libopengl0 libx11-6 libxcb1 fonts-dejavu-core >/dev/null" \
        && pass "installed the display libraries a desktop has (libegl1 libgl1 libopengl0 libx11-6 libxcb1) and a font" \
        || fail "apt-get in the root"
fi
# The screenshots need the daemon's manager socket: tmail must be running (above).
if chroot "$rootfs" /bin/bash -c "cd $dir && QT_QPA_PLATFORM=offscreen ./tmail-manager --help" 2>/dev/null | grep -q -- --screenshot; then
    if chroot "$rootfs" /bin/bash -c "cd $dir && QT_QPA_PLATFORM=offscreen timeout 60 ./tmail-manager --socket /opt/tmail/manager.sock --screenshot /tmp/shots" > /var/tmp/tmail-chroot-manager.log 2>&1 \
        && ls "$rootfs/tmp/shots/"*.png >/dev/null 2>&1; then
        mkdir -p /var/tmp/tmail-shots && cp "$rootfs/tmp/shots/"*.png /var/tmp/tmail-shots/
        pass "tmail-manager --screenshot under offscreen: $(ls "$rootfs/tmp/shots/"*.png | wc -l) images in /var/tmp/tmail-shots"
    else
        fail "tmail-manager --screenshot: $(tail -n 3 /var/tmp/tmail-chroot-manager.log)"
    fi
else
    if chroot "$rootfs" /bin/bash -c "cd $dir && QT_QPA_PLATFORM=offscreen ./tmail-manager --version" >/dev/null 2>&1; then
        pass "tmail-manager starts under offscreen (no --screenshot option in this build)"
    else
        fail "tmail-manager does not start under offscreen"
    fi
fi
