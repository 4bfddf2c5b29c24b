#!/bin/bash
# A DNSSEC lab on loopback for tmail's DANE and MTA-STS tests:
#   nsd (authoritative, zones signed with ldns-signzone) on 127.53.0.1:53 and
#   unbound (validating, trust anchors of the signed zones, stub zones to nsd) on 127.53.0.2:53.
#   dnsseclab.sh start DIR   builds certificates, zones and configuration in DIR, starts both,
#                            prints the export lines (TMAIL_TEST_DNSSEC_*)
#   dnsseclab.sh stop DIR    stops both
# Both run in the foreground as children of this script's session, their pids in DIR.
# Idempotent: starting a running lab prints its variables again. Runs as root.
#
# Zones (every MX host has its own loopback address; the tests bind their sinks there, port 25):
#   ee.tlslab.test         signed; mx 127.53.1.1; TLSA 3 1 1 of certs/ee (and an ignored usage 1 record)
#   mismatch.tlslab.test   signed; mx 127.53.1.2; TLSA 3 1 1 of a key no sink has
#   nostarttls.tlslab.test signed; mx 127.53.1.3; TLSA 3 1 1 of certs/ee (the sink offers no STARTTLS)
#   unsigned.tlslab.test   not signed (no trust anchor): insecure; mx 127.53.1.4
#   bogus.tlslab.test      signed; mx 127.53.1.5; its TLSA record altered after signing: SERVFAIL
#   ta.tlslab.test         signed; mx 127.53.1.6; TLSA 2 0 1 of certs/ca; sink cert certs/ta (mx name)
#   tawrong.tlslab.test    signed; mx 127.53.1.7; TLSA 2 0 1 of certs/ca; sink cert certs/wrong (other name)
#   sts-*.tlslab.test      not signed; MTA-STS TXT and mta-sts.D -> 127.53.2.1 (the HTTPS server),
#                          mx hosts 127.53.1.2x (see zone_sts below)
#   nullmx.tlslab.test     not signed; a null MX (RFC 7505): the domain accepts no mail
set -euo pipefail

NSD_ADDR=127.53.0.1
RESOLVER_ADDR=127.53.0.2
HTTPS_ADDR=127.53.2.1

die()
{
    echo "dnsseclab.sh: $*" >&2
    exit 1
}

show_log_and_die()
{
    local log=$1
    shift
    echo "dnsseclab.sh: $*" >&2
    [ -f "$log" ] && tail -n 30 "$log" >&2
    exit 1
}

running()
{
    local pidfile=$1
    [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

print_env()
{
    echo "export TMAIL_TEST_DNSSEC_DIR=$DIR"
    echo "export TMAIL_TEST_DNSSEC_RESOLVER=$RESOLVER_ADDR:53"
    echo "export TMAIL_TEST_DNSSEC_HTTPS_ADDR=$HTTPS_ADDR"
}

# certificate NAME SUBJECT_CN [SAN] : CA-signed when SAN is given, else self-signed.
certificate()
{
    local name=$1 cn=$2 san=${3:-}
    if [ -z "$san" ]; then
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
            -subj "/CN=$cn" -keyout "certs/$name.key" -out "certs/$name.crt" 2>/dev/null
    else
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -subj "/CN=$cn" -keyout "certs/$name.key" -out "certs/$name.csr" 2>/dev/null
        printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" > "certs/$name.ext"
        openssl x509 -req -in "certs/$name.csr" -CA certs/ca.crt -CAkey certs/ca.key -CAcreateserial \
            -days 30 -extfile "certs/$name.ext" -out "certs/$name.crt" 2>/dev/null
    fi
}

spki_sha256()
{
    openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1
}

cert_sha256()
{
    openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1
}

make_certificates()
{
    mkdir -p certs
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
        -subj "/CN=tmail test CA" -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout certs/ca.key -out certs/ca.crt 2>/dev/null
    certificate ee "no name that matters"
    certificate other "a key nobody serves"
    certificate ta mx.ta.tlslab.test DNS:mx.ta.tlslab.test
    certificate wrong elsewhere.example DNS:elsewhere.example
    # MTA-STS: the policy host names and the MX names the test CA vouches for.
    local san=""
    for d in enforce testing cached newid big bad badmx untrusted; do
        san+="DNS:mta-sts.sts-$d.tlslab.test,DNS:mx.sts-$d.tlslab.test,"
    done
    certificate sts mta-sts.tlslab.test "${san%,}"
}

zone_header()
{
    local zone=$1
    cat <<EOF
\$ORIGIN $zone.
\$TTL 300
@ IN SOA ns.$zone. hostmaster.$zone. 1 3600 600 86400 300
@ IN NS ns.$zone.
ns IN A $NSD_ADDR
EOF
}

# zone_dane ZONE MX_ADDRESS TLSA_LINE...
zone_dane()
{
    local zone=$1 address=$2
    shift 2
    {
        zone_header "$zone"
        echo "@ IN MX 10 mx.$zone."
        echo "mx IN A $address"
        for tlsa in "$@"; do
            echo "_25._tcp.mx IN TLSA $tlsa"
        done
    } > "zones/$zone"
}

# zone_sts NAME MX_ADDRESS TXT : sts-NAME.tlslab.test with its MTA-STS TXT record
zone_sts()
{
    local zone=sts-$1.tlslab.test address=$2 txt=$3
    {
        zone_header "$zone"
        echo "@ IN MX 10 mx.$zone."
        echo "mx IN A $address"
        echo "mta-sts IN A $HTTPS_ADDR"
        [ -z "$txt" ] || echo "_mta-sts IN TXT \"$txt\""
        echo "_smtp._tls IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@reports.tlslab.test,https://mta-sts.$zone/tlsrpt\""
    } > "zones/$zone"
}

sign()
{
    local zone=$1
    local key
    key=$(cd keys && ldns-keygen -a ECDSAP256SHA256 -k "$zone")
    ldns-signzone -n -f "zones/$zone.signed" "zones/$zone" "keys/$key" >/dev/null
    cat "keys/$key.ds" >> anchors
}

make_zones()
{
    mkdir -p zones keys
    : > anchors
    local ee other ca
    ee=$(spki_sha256 certs/ee.crt)
    other=$(spki_sha256 certs/other.crt)
    ca=$(cert_sha256 certs/ca.crt)

    zone_dane ee.tlslab.test 127.53.1.1 "3 1 1 $ee" "1 1 1 $other"
    zone_dane mismatch.tlslab.test 127.53.1.2 "3 1 1 $other"
    zone_dane nostarttls.tlslab.test 127.53.1.3 "3 1 1 $ee"
    zone_dane unsigned.tlslab.test 127.53.1.4 "3 1 1 $other"
    zone_dane bogus.tlslab.test 127.53.1.5 "3 1 1 $ee"
    zone_dane ta.tlslab.test 127.53.1.6 "2 0 1 $ca"
    zone_dane tawrong.tlslab.test 127.53.1.7 "2 0 1 $ca"
    zone_sts enforce 127.53.1.21 "v=STSv1; id=enforce1"
    zone_sts testing 127.53.1.22 "v=STSv1; id=testing1"
    zone_sts cached 127.53.1.23 "v=STSv1; id=cached1"
    zone_sts newid 127.53.1.24 "v=STSv1; id=newid2"
    zone_sts big 127.53.1.25 "v=STSv1; id=big1"
    zone_sts bad 127.53.1.26 "v=STSv1; id=bad1"
    zone_sts badmx 127.53.1.27 "v=STSv1; id=badmx1"
    zone_sts untrusted 127.53.1.28 "v=STSv1; id=untrusted1"
    {
        zone_header nullmx.tlslab.test
        echo "@ IN MX 0 ."
    } > zones/nullmx.tlslab.test

    for zone in ee mismatch nostarttls bogus ta tawrong; do
        sign "$zone.tlslab.test"
    done
    # A validator must call this zone bogus: the TLSA data no longer matches its signature.
    sed -i -E 's/(IN[[:space:]]+TLSA[[:space:]]+3 1 1 )[0-9a-f]{8}/\1deadbeef/' zones/bogus.tlslab.test.signed
    for zone in zones/*.tlslab.test; do
        [ -f "$zone.signed" ] || cp "$zone" "$zone.signed"
    done
}

write_configs()
{
    {
        cat <<EOF
server:
    ip-address: $NSD_ADDR@53
    do-ip6: no
    reuseport: no
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "$DIR/zones"
    pidfile: "$DIR/nsd.pid"
    logfile: "$DIR/nsd.log"
    database: ""
    zonelistfile: "$DIR/nsd.zonelist"
    xfrdfile: "$DIR/nsd.xfrd"
    xfrdir: "$DIR"
    hide-version: yes
    verbosity: 1
remote-control:
    control-enable: no
EOF
        for zone in zones/*.tlslab.test; do
            zone=$(basename "$zone")
            printf 'zone:\n    name: "%s"\n    zonefile: "%s.signed"\n' "$zone" "$zone"
        done
    } > nsd.conf

    {
        cat <<EOF
server:
    interface: $RESOLVER_ADDR
    port: 53
    do-ip6: no
    interface-automatic: no
    so-reuseport: no
    num-threads: 1
    do-daemonize: no
    username: ""
    chroot: ""
    directory: "$DIR"
    pidfile: "$DIR/unbound.pid"
    use-syslog: no
    logfile: "$DIR/unbound.log"
    verbosity: 1
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    local-zone: "test." nodefault
    qname-minimisation: no
    aggressive-nsec: no
    module-config: "validator iterator"
    trust-anchor-file: "$DIR/anchors"
    val-log-level: 2
    cache-max-ttl: 30
    cache-max-negative-ttl: 5
remote-control:
    control-enable: no
EOF
        for zone in zones/*.tlslab.test; do
            zone=$(basename "$zone")
            printf 'stub-zone:\n    name: "%s"\n    stub-addr: %s@53\n' "$zone" "$NSD_ADDR"
        done
    } > unbound.conf
}

wait_for_answer()
{
    local server=$1 name=$2 i
    # Asking before the socket is bound would cost a whole dig timeout.
    for i in $(seq 1 100); do
        ss -Hlun "src $server:53" 2>/dev/null | grep -q . && break
        sleep 0.05
    done
    for i in $(seq 1 50); do
        if dig +time=1 +tries=1 +short @"$server" "$name" A 2>/dev/null | grep -q '^127\.'; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

start()
{
    command -v nsd >/dev/null || die "nsd is not installed (apt-get install nsd)"
    command -v unbound >/dev/null || die "unbound is not installed (apt-get install unbound)"
    command -v ldns-signzone >/dev/null || die "ldns-signzone is not installed (apt-get install ldnsutils)"
    command -v dig >/dev/null || die "dig is not installed (apt-get install bind9-dnsutils)"
    mkdir -p "$DIR"
    cd "$DIR"
    if running nsd.run.pid && running unbound.run.pid; then
        print_env
        return 0
    fi
    stop_servers
    if [ ! -f anchors ]; then
        make_certificates
        make_zones
    fi
    write_configs
    setsid nsd -d -c nsd.conf >>nsd.log 2>&1 < /dev/null &
    echo $! > nsd.run.pid
    setsid unbound -d -c unbound.conf >>unbound.log 2>&1 < /dev/null &
    echo $! > unbound.run.pid
    wait_for_answer "$NSD_ADDR" mx.ee.tlslab.test || show_log_and_die nsd.log "nsd did not answer on $NSD_ADDR:53"
    wait_for_answer "$RESOLVER_ADDR" mx.ee.tlslab.test \
        || show_log_and_die unbound.log "unbound did not answer on $RESOLVER_ADDR:53"
    # Answers from another lab already bound there would fool the checks above.
    running nsd.run.pid || show_log_and_die nsd.log "nsd exited (is another lab bound to $NSD_ADDR:53?)"
    running unbound.run.pid || show_log_and_die unbound.log "unbound exited (is another lab bound to $RESOLVER_ADDR:53?)"
    print_env
}

stop_servers()
{
    local pidfile pid i
    for pidfile in nsd.run.pid unbound.run.pid; do
        if running "$pidfile"; then
            pid=$(cat "$pidfile")
            kill "$pid" 2>/dev/null || true
            for i in $(seq 1 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    done
}

[ $# -eq 2 ] || die "usage: dnsseclab.sh start|stop DIR"
DIR=$(realpath -m "$2")
case "$1" in
start) start ;;
stop)
    [ -d "$DIR" ] || exit 0
    cd "$DIR"
    stop_servers
    ;;
*) die "usage: dnsseclab.sh start|stop DIR" ;;
esac
