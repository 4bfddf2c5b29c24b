#!/bin/bash
# Throwaway PostgreSQL 15 and MariaDB servers on loopback for tmail's database tests.
#   dbservers.sh start DIR   starts both (data in DIR), prints the export lines
#   dbservers.sh stop DIR    stops both
# Idempotent: starting running servers or stopping stopped ones is fine. Runs as root.
set -euo pipefail

PG_PORT=${TMAIL_TEST_PG_PORT:-55432}
MY_PORT=${TMAIL_TEST_MYSQL_PORT:-53306}
PG_BIN=/usr/lib/postgresql/15/bin
DB_NAME=tmail_test
DB_USER=tmail
DB_PASSWORD=tmailpw

die()
{
    echo "dbservers.sh: $*" >&2
    exit 1
}

show_log_and_die()
{
    local log=$1
    shift
    echo "dbservers.sh: $*" >&2
    if [ -f "$log" ]; then
        echo "----- $log (last 40 lines) -----" >&2
        tail -n 40 "$log" >&2
    fi
    exit 1
}

pg_running()
{
    [ -f "$DIR/pg/data/postmaster.pid" ] \
        && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg/data" status >/dev/null 2>&1
}

my_running()
{
    [ -S "$DIR/my/sock" ] && mariadb-admin -S "$DIR/my/sock" -u root ping >/dev/null 2>&1
}

start_pg()
{
    [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 is not installed (apt-get install postgresql)"
    mkdir -p "$DIR/pg"
    chown postgres "$DIR/pg"
    if ! pg_running; then
        if [ ! -f "$DIR/pg/data/PG_VERSION" ]; then
            runuser -u postgres -- "$PG_BIN/initdb" -D "$DIR/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
                >"$DIR/pg/initdb.log" 2>&1 \
                || show_log_and_die "$DIR/pg/initdb.log" "initdb failed"
        fi
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg/data" \
            -o "-p $PG_PORT -k $DIR/pg -c listen_addresses=127.0.0.1" \
            -l "$DIR/pg/log" -w -t 30 start >/dev/null 2>&1 \
            || show_log_and_die "$DIR/pg/log" "PostgreSQL did not start on 127.0.0.1:$PG_PORT"
    fi
    local psql=(runuser -u postgres -- "$PG_BIN/psql" -h "$DIR/pg" -p "$PG_PORT" -U postgres -d postgres
                -v ON_ERROR_STOP=1 -qtA)
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'")" != 1 ]; then
        "${psql[@]}" -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" >/dev/null \
            || show_log_and_die "$DIR/pg/log" "cannot create role $DB_USER"
    fi
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'")" != 1 ]; then
        "${psql[@]}" -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >/dev/null \
            || show_log_and_die "$DIR/pg/log" "cannot create database $DB_NAME"
    fi
}

start_my()
{
    command -v mariadbd >/dev/null || die "MariaDB is not installed (apt-get install mariadb-server)"
    mkdir -p "$DIR/my"
    if ! my_running; then
        if [ ! -d "$DIR/my/data/mysql" ]; then
            mariadb-install-db --datadir="$DIR/my/data" --user=root \
                --auth-root-authentication-method=normal >"$DIR/my/install.log" 2>&1 \
                || show_log_and_die "$DIR/my/install.log" "mariadb-install-db failed"
        fi
        # setsid: the server must outlive this script and not get its terminal's signals.
        setsid mariadbd --no-defaults --datadir="$DIR/my/data" --port="$MY_PORT" \
            --socket="$DIR/my/sock" --pid-file="$DIR/my/mariadbd.pid" --bind-address=127.0.0.1 \
            --user=root --log-error="$DIR/my/log" \
            </dev/null >/dev/null 2>&1 &
        local i
        for i in $(seq 1 150); do
            my_running && break
            sleep 0.1
        done
        my_running || show_log_and_die "$DIR/my/log" "MariaDB did not start on 127.0.0.1:$MY_PORT"
    fi
    mariadb -S "$DIR/my/sock" -u root -e "
        CREATE DATABASE IF NOT EXISTS $DB_NAME CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
        CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
        CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
        GRANT ALL ON $DB_NAME.* TO '$DB_USER'@'127.0.0.1';
        GRANT ALL ON $DB_NAME.* TO '$DB_USER'@'localhost';" \
        || show_log_and_die "$DIR/my/log" "cannot create database $DB_NAME / user $DB_USER"
}

stop_pg()
{
    if pg_running; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null
    fi
}

stop_my()
{
    if my_running; then
        mariadb-admin -S "$DIR/my/sock" -u root shutdown
    fi
}

[ $# -eq 2 ] || die "usage: dbservers.sh start|stop DIR"
[ "$(id -u)" = 0 ] || die "must run as root (it starts the servers as postgres/root)"
DIR=$(realpath -m "$2")
case "$1" in
    start)
        mkdir -p "$DIR"
        chmod 755 "$DIR"
        start_pg
        start_my
        echo "export TMAIL_TEST_PG_SOURCE=\"host=127.0.0.1 port=$PG_PORT user=$DB_USER password=$DB_PASSWORD dbname=$DB_NAME\""
        echo "export TMAIL_TEST_MYSQL_SOURCE=\"host=127.0.0.1 port=$MY_PORT user=$DB_USER password=$DB_PASSWORD dbname=$DB_NAME\""
        ;;
    stop)
        [ -d "$DIR" ] || exit 0
        stop_pg
        stop_my
        ;;
    *)
        die "usage: dbservers.sh start|stop DIR"
        ;;
esac
