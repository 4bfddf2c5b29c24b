#!/bin/bash
# A Dovecot LMTP server on loopback for tmail's local delivery tests (RFC 2033).
#   dovecotlab.sh start DIR   writes dovecot.conf, a passwd-file of users and Maildirs
#                             under DIR, starts dovecot as the current user (root or not),
#                             prints the export lines (TMAIL_TEST_LMTP_*)
#   dovecotlab.sh stop DIR    stops it
# Listens on unix:DIR/run/lmtp and 127.0.0.1:PORT (PORT from DOVECOT_LAB_PORT, else a
# free one). Users: alice, bob and carol @dovecot.test, password "secret"; the mail of
# USER lands in DIR/mail/dovecot.test/USER/Maildir. carol has a quota of 1 KiB: a larger
# message gets Dovecot's permanent "552 5.2.2 Quota exceeded" after the data. Idempotent: starting a running lab
# prints its variables again.
set -euo pipefail

DOMAIN=dovecot.test
USERS=(alice bob carol)

die()
{
    echo "dovecotlab.sh: $*" >&2
    exit 1
}

show_log_and_die()
{
    echo "dovecotlab.sh: $*" >&2
    [ -f "$DIR/dovecot.log" ] && tail -n 30 "$DIR/dovecot.log" >&2
    exit 1
}

running()
{
    [ -f "$DIR/run/master.pid" ] && kill -0 "$(cat "$DIR/run/master.pid")" 2>/dev/null
}

print_env()
{
    echo "export TMAIL_TEST_LMTP_DIR=$DIR"
    echo "export TMAIL_TEST_LMTP_TARGET=127.0.0.1:$(cat "$DIR/port")"
    echo "export TMAIL_TEST_LMTP_SOCKET=unix:$DIR/run/lmtp"
    echo "export TMAIL_TEST_LMTP_DOMAIN=$DOMAIN"
    echo "export TMAIL_TEST_MAILDIR_ROOT=$DIR/mail/$DOMAIN"
}

free_port()
{
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start()
{
    command -v dovecot >/dev/null || die "Dovecot is not installed (apt-get install dovecot-core dovecot-lmtpd)"
    [ -x /usr/lib/dovecot/lmtp ] || die "dovecot-lmtpd is not installed"
    mkdir -p "$DIR/run" "$DIR/state" "$DIR/mail/$DOMAIN"
    # The Maildirs are written by an unprivileged user (see below): DIR must let it through.
    chmod 755 "$DIR" "$DIR/mail" "$DIR/mail/$DOMAIN"
    if running; then
        print_env
        return
    fi
    local port=${DOVECOT_LAB_PORT:-$(free_port)}
    echo "$port" >"$DIR/port"
    local user group uid gid
    user=$(id -un)
    group=$(id -gn)
    uid=$(id -u)
    gid=$(id -g)
    # Dovecot never writes mail as root: as root, the Maildirs belong to an unprivileged
    # user (the package's own "dovecot", else "nobody").
    if [ "$uid" = 0 ]; then
        local owner=nobody
        id dovecot >/dev/null 2>&1 && owner=dovecot
        uid=$(id -u "$owner")
        gid=$(id -g "$owner")
    fi
    : >"$DIR/users"
    for name in "${USERS[@]}"; do
        mkdir -p "$DIR/mail/$DOMAIN/$name"
        chown "$uid:$gid" "$DIR/mail/$DOMAIN/$name"
        local extra=
        [ "$name" = carol ] && extra="userdb_quota_rule=*:storage=1K"
        echo "$name@$DOMAIN:{PLAIN}secret::::$DIR/mail/$DOMAIN/$name::$extra" >>"$DIR/users"
    done
    cat >"$DIR/dovecot.conf" <<CONF
# Written by tests/helpers/dovecotlab.sh: LMTP only, everything under $DIR.
base_dir = $DIR/run
state_dir = $DIR/state
instance_name = tmail-lab-$port
log_path = $DIR/dovecot.log
info_log_path = $DIR/dovecot.log
protocols = lmtp
listen = 127.0.0.1
ssl = no
default_internal_user = $user
default_internal_group = $group
default_login_user = $user
first_valid_uid = 1
first_valid_gid = 0
mail_uid = $uid
mail_gid = $gid
mail_location = maildir:~/Maildir
lmtp_save_to_detail_mailbox = no
# Only Return-Path and Delivered-To are added: the tests compare the rest byte for byte.
lmtp_add_received_header = no
mail_plugins = quota
plugin {
  quota = maildir:User quota
}
passdb {
  driver = passwd-file
  args = $DIR/users
}
userdb {
  driver = passwd-file
  args = $DIR/users
}
service lmtp {
  user = $user
  inet_listener lmtp {
    address = 127.0.0.1
    port = $port
  }
  unix_listener lmtp {
    mode = 0666
  }
}
service auth {
  user = $user
  unix_listener auth-userdb {
    mode = 0666
  }
}
service auth-worker {
  user = $user
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
CONF
    dovecot -c "$DIR/dovecot.conf" >"$DIR/start.log" 2>&1 || {
        cat "$DIR/start.log" >&2
        show_log_and_die "dovecot did not start"
    }
    for _ in $(seq 1 100); do
        if [ -S "$DIR/run/lmtp" ] && python3 - "$port" <<'PY' 2>/dev/null; then
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
assert s.recv(512).startswith(b"220")
PY
            print_env
            return
        fi
        sleep 0.1
    done
    show_log_and_die "dovecot does not answer on 127.0.0.1:$port"
}

stop()
{
    [ -f "$DIR/dovecot.conf" ] || return 0
    if running; then
        local pid
        pid=$(cat "$DIR/run/master.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || return 0
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
}

[ $# -eq 2 ] || die "usage: dovecotlab.sh start|stop DIR"
mkdir -p "$2"
DIR=$(cd "$2" && pwd)
case $1 in
start) start ;;
stop) stop ;;
*) die "usage: dovecotlab.sh start|stop DIR" ;;
esac
