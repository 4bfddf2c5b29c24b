#!/usr/bin/env bash
# Installs what is missing, builds tmail and its tests, starts throwaway PostgreSQL and
# MariaDB servers on loopback, runs every test executable, and ends with the line
#   Totals: N passed, N failed, N skipped
# Exit status: 0 when nothing failed.
set -uo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"

scripts/install-deps.sh test || { echo "test.sh: could not install the packages"; exit 1; }
if ! scripts/build.sh > build.log 2>&1; then
    tail -50 build.log
    echo "test.sh: the build failed (see build.log)"
    echo "Totals: 0 passed, 1 failed, 0 skipped"
    exit 1
fi

work=$(mktemp -d /tmp/tmail-test.XXXXXX)
chmod 755 "$work"   # the postgres user must reach its data directory inside
cleanup() {
    tests/helpers/dbservers.sh stop "$work/db" >/dev/null 2>&1 || true
    tests/helpers/dnsseclab.sh stop "$work/dnssec" >/dev/null 2>&1 || true
    tests/helpers/dovecotlab.sh stop "$work/dovecot" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# Free loopback ports, so a run never collides with servers left by another one.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export TMAIL_TEST_PG_PORT=$(free_port) TMAIL_TEST_MYSQL_PORT=$(free_port)
if db_env=$(tests/helpers/dbservers.sh start "$work/db"); then
    eval "$db_env"
else
    echo "test.sh: the database servers did not start"
    db_failed=1
fi

# The DNSSEC lab (nsd + validating unbound on 127.53.0.x) for the DANE and MTA-STS suites.
if lab_env=$(tests/helpers/dnsseclab.sh start "$work/dnssec"); then
    eval "$lab_env"
else
    echo "test.sh: the DNSSEC lab did not start"
    db_failed=$((${db_failed:-0} + 1))
fi

# Dovecot's LMTP service (passwd-file users, Maildirs in $work/dovecot) for local delivery.
if lmtp_env=$(tests/helpers/dovecotlab.sh start "$work/dovecot"); then
    eval "$lmtp_env"
else
    echo "test.sh: the Dovecot lab did not start"
    db_failed=$((${db_failed:-0} + 1))
fi

export QT_QPA_PLATFORM=offscreen
export TMAIL_TEST_WORK_DIR=$work
# install-deps.sh installed every peer the tests use (swaks, msmtp, Postfix's tools,
# dnsmasq, the database servers…): a missing one fails its test here instead of skipping
# it (TMAIL_REQUIRE_PEER in tests/common/testpeers.h).
export TMAIL_TEST_REQUIRE_PEERS=1
passed=0 failed=${db_failed:-0} skipped=0
failed_suites=()
mapfile -t suites < <(find build/tests -type f -name 'tst_*' -perm -u+x | sort)
for suite in "${suites[@]}"; do
    name=$(basename "$suite")
    log="$work/$name.log"
    # Each suite bounds its own waits; this is the backstop for a hang.
    (cd "$(dirname "$suite")" && timeout -k 10 600 "./$name" -maxwarnings 0) > "$log" 2>&1
    code=$?
    totals=$(grep -E '^Totals: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$log" | tail -1)
    if [ -n "$totals" ]; then
        read -r p f s < <(echo "$totals" | sed -E 's/^Totals: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/')
    else
        p=0 f=1 s=0   # crashed or hung before Qt Test could report
    fi
    if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
    fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    printf '%-32s %4d passed %4d failed %4d skipped\n' "$name" "$p" "$f" "$s"
    if [ "$f" -ne 0 ]; then
        failed_suites+=("$name")
        grep -E '^(FAIL!|   Loc:|QWARN|QFATAL|SKIP)' "$log" | head -40
        [ -n "$totals" ] || tail -20 "$log"
    fi
done

# Sanitizer pass: libtmailshared, libtmailserver, a subset of the tests and the fuzz
# targets built with clang -fsanitize=address,undefined in build-asan/; the suites run
# there and each fuzz target replays its corpus (tests/fuzz/sanitize.sh). They count
# in the Totals. TMAIL_SKIP_SANITIZE=1 leaves it out.
if [ "${TMAIL_SKIP_SANITIZE:-0}" != 1 ]; then
    tests/fuzz/sanitize.sh "$work/asan" > "$work/sanitize.log" 2>&1
    grep -v '^SANITIZE_TOTALS' "$work/sanitize.log"
    p='' f='' s=''
    read -r p f s < <(grep '^SANITIZE_TOTALS' "$work/sanitize.log" | tail -1 | cut -d' ' -f2-)
    [ -n "$p" ] || { p=0 f=1 s=0; }
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    [ "$f" -eq 0 ] || failed_suites+=("sanitize")
fi

# The house format (.clang-format, Debian 12's clang-format 14): one check in the Totals.
if scripts/check-format.sh > "$work/format.log" 2>&1; then
    passed=$((passed + 1))
    printf '%-32s %4d passed %4d failed %4d skipped\n' check-format 1 0 0
else
    failed=$((failed + 1))
    failed_suites+=("check-format")
    printf '%-32s %4d passed %4d failed %4d skipped\n' check-format 0 1 0
    head -20 "$work/format.log"
fi

if [ ${#suites[@]} -eq 0 ]; then
    echo "test.sh: no test executable was built"
    failed=$((failed + 1))
fi
[ ${#failed_suites[@]} -eq 0 ] || echo "Failed suites: ${failed_suites[*]}"
echo "Totals: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
