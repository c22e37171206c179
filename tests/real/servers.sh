#!/bin/bash
# Real mail and web servers on loopback for Mail TLS Check's real-server tests.
#
#   tests/real/servers.sh start  STATEDIR   (re)start everything, wait until up
#   tests/real/servers.sh stop   STATEDIR   stop everything (also after a failed start)
#   tests/real/servers.sh status STATEDIR   exit 0 iff every port accepts connections
#
# Servers (one test CA, one server certificate for all of them):
#   Postfix  127.0.0.2  587 (STARTTLS), 465 (implicit TLS)        TLS >= 1.2
#   Dovecot  127.0.0.3  143, 110 (STARTTLS), 993, 995 ("modern")  TLS >= 1.2
#   nginx    127.0.0.4  2096 (webmail)                            TLS 1.2, 1.3
#   Dovecot  127.0.0.5  143, 110 (STARTTLS), 993, 995 ("legacy")  TLS >= 1.0
#   Postfix  127.0.0.5  587 (STARTTLS), 465 ("legacy")            TLS >= 1.0
#
# Needs (Debian 12): postfix dovecot-imapd dovecot-pop3d nginx-light gnutls-bin
# bsdutils (script) coreutils; run as root (Postfix and Dovecot drop privileges
# themselves). STATEDIR/endpoints.env is written for the test scripts.
# Postfix refuses "postfix -c DIR" unless DIR is in alternate_config_directories
# of /etc/postfix/main.cf: start adds it there (idempotently), nothing else.
set -euo pipefail

usage() {
    echo "usage: $0 start|stop|status STATEDIR" >&2
    exit 2
}

[ $# -eq 2 ] || usage
ACTION=$1
case "$ACTION" in start|stop|status) ;; *) usage ;; esac
mkdir -p -- "$2"
STATE=$(cd -- "$2" && pwd -P)

PF_DIR=$STATE/postfix            # config_directory of the private instance
PF_QUEUE=$STATE/postfix-queue
PF_DATA=$STATE/postfix-data
PF_LOG=$STATE/postfix.log
DC_MODERN=$STATE/dovecot-modern
DC_LEGACY=$STATE/dovecot-legacy
NG_DIR=$STATE/nginx
PKI=$STATE/pki
CA_NAME="Mail TLS Check Real-Server Test CA"
START_TIMEOUT=20

IP_POSTFIX=127.0.0.2
IP_MODERN=127.0.0.3
IP_NGINX=127.0.0.4
IP_LEGACY=127.0.0.5

# "name|ip|port|log file" for every listening port we start
PORTS=(
    "postfix|$IP_POSTFIX|587|$PF_LOG"
    "postfix|$IP_POSTFIX|465|$PF_LOG"
    "dovecot-modern|$IP_MODERN|143|$DC_MODERN/dovecot.log"
    "dovecot-modern|$IP_MODERN|993|$DC_MODERN/dovecot.log"
    "dovecot-modern|$IP_MODERN|110|$DC_MODERN/dovecot.log"
    "dovecot-modern|$IP_MODERN|995|$DC_MODERN/dovecot.log"
    "nginx|$IP_NGINX|2096|$NG_DIR/error.log"
    "dovecot-legacy|$IP_LEGACY|143|$DC_LEGACY/dovecot.log"
    "dovecot-legacy|$IP_LEGACY|993|$DC_LEGACY/dovecot.log"
    "dovecot-legacy|$IP_LEGACY|110|$DC_LEGACY/dovecot.log"
    "dovecot-legacy|$IP_LEGACY|995|$DC_LEGACY/dovecot.log"
    "postfix|$IP_LEGACY|587|$PF_LOG"
    "postfix|$IP_LEGACY|465|$PF_LOG"
)

log() { echo "servers.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

port_open() {  # ip port
    timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

need_cmds() {
    local missing=() c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || missing+=("$c")
    done
    [ ${#missing[@]} -eq 0 ] ||
        die "missing commands: ${missing[*]} (Debian packages: postfix dovecot-imapd dovecot-pop3d nginx-light gnutls-bin bsdutils)"
}

# Run a postfix command. Without a terminal postfix reports errors only to
# syslog (none runs here), so give it a pseudo-terminal via script(1) and keep
# what it says in the instance log.
postfix_cmd() {
    local rc=0 cmd
    printf -v cmd '%q ' postfix -c "$PF_DIR" "$@"
    script -qec "$cmd" /dev/null </dev/null >>"$STATE/postfix-cmd.log" 2>&1 || rc=$?
    return $rc
}

# ---------------------------------------------------------------- certificates
make_pki() {
    mkdir -p "$PKI"
    # Reuse a complete set that stays valid for at least a day.
    if [ -s "$PKI/ca.pem" ] && [ -s "$PKI/server.pem" ] && [ -s "$PKI/server-key.pem" ] &&
       [ -s "$PKI/dh.pem" ] &&
       certtool --certificate-info --infile "$PKI/server.pem" 2>/dev/null |
           grep -q 'mail.real.test' &&
       [ "$(date -d "$(certtool --certificate-info --infile "$PKI/server.pem" |
            sed -n 's/.*Not After: //p' | head -n1)" +%s 2>/dev/null || echo 0)" \
            -gt "$(( $(date +%s) + 86400 ))" ]; then
        return 0
    fi
    log "creating test CA and server certificate in $PKI"
    rm -f "$PKI"/*
    cat >"$PKI/ca.tmpl" <<EOF
cn = "$CA_NAME"
organization = "Mail TLS Check tests"
serial = 1
expiration_days = 3650
ca
cert_signing_key
crl_signing_key
EOF
    cat >"$PKI/server.tmpl" <<EOF
cn = "mail.real.test"
organization = "Mail TLS Check tests"
serial = 2
expiration_days = 825
dns_name = "mail.real.test"
ip_address = "127.0.0.2"
ip_address = "127.0.0.3"
ip_address = "127.0.0.4"
ip_address = "127.0.0.5"
tls_www_server
signing_key
encryption_key
EOF
    # RSA keys: TLS 1.0 clients (and plain-RSA key exchange) need RSA.
    certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$PKI/ca-key.pem" 2>/dev/null
    certtool --generate-self-signed --load-privkey "$PKI/ca-key.pem" \
        --template "$PKI/ca.tmpl" --outfile "$PKI/ca.pem" 2>/dev/null
    certtool --generate-privkey --key-type rsa --bits 2048 --outfile "$PKI/server-key.pem" 2>/dev/null
    certtool --generate-certificate --load-privkey "$PKI/server-key.pem" \
        --load-ca-certificate "$PKI/ca.pem" --load-ca-privkey "$PKI/ca-key.pem" \
        --template "$PKI/server.tmpl" --outfile "$PKI/server.pem" 2>/dev/null
    # RFC 7919 group for DHE suites (only the PEM block: OpenSSL wants that)
    certtool --get-dh-params --sec-param medium 2>/dev/null |
        sed -n '/-----BEGIN DH PARAMETERS-----/,/-----END DH PARAMETERS-----/p' >"$PKI/dh.pem"
    cat "$PKI/server.pem" "$PKI/ca.pem" >"$PKI/server-chain.pem"
    chmod 600 "$PKI"/*key.pem
    if [ ! -s "$PKI/server.pem" ] || [ ! -s "$PKI/dh.pem" ]; then
        die "certificate generation failed"
    fi
}

# --------------------------------------------------------------------- postfix
register_postfix_dir() {
    local main=/etc/postfix/main.cf cur
    if [ ! -e "$main" ]; then
        # Debian's "No configuration" install leaves none; postfix -c needs one.
        log "creating minimal $main (the package left none)"
        mkdir -p /etc/postfix
        cat >"$main" <<EOF
# Minimal main.cf created by Mail TLS Check's tests/real/servers.sh: the
# postfix package was installed with "No configuration". The system instance
# is not used; this file exists so that private test instances may run.
compatibility_level = 3.6
EOF
    fi
    cur=$(postconf -c /etc/postfix -h alternate_config_directories 2>/dev/null || true)
    if ! tr -s ', \t' '\n' <<<"$cur" | grep -Fxq -- "$PF_DIR"; then
        log "adding $PF_DIR to alternate_config_directories in $main"
        if [ -n "$cur" ]; then
            postconf -c /etc/postfix -e "alternate_config_directories = $cur, $PF_DIR"
        else
            postconf -c /etc/postfix -e "alternate_config_directories = $PF_DIR"
        fi
    fi
}

write_postfix() {
    mkdir -p "$PF_DIR" "$PF_QUEUE" "$PF_DATA"
    chmod 755 "$PF_DIR" "$PF_QUEUE"
    chown postfix "$PF_DATA"   # master.lock etc. are created as mail_owner
    chmod 700 "$PF_DATA"
    : >"$PF_LOG"
    cat >"$PF_DIR/main.cf" <<EOF
# Private Postfix instance for Mail TLS Check's real-server tests.
compatibility_level = 3.6
queue_directory = $PF_QUEUE
data_directory = $PF_DATA
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-mtc-real
maillog_file = $PF_LOG
maillog_file_prefixes = $STATE
myhostname = mail.real.test
mydomain = real.test
myorigin = \$myhostname
mydestination =
relayhost =
# Binding 127.0.0.2 here is refused ("no local interface found": only
# 127.0.0.1 is on lo); the services in master.cf name their address instead.
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtputf8_enable = no
biff = no
smtpd_banner = \$myhostname ESMTP Mail TLS Check real-server test
smtpd_tls_cert_file = $PKI/server-chain.pem
smtpd_tls_key_file = $PKI/server-key.pem
smtpd_tls_dh1024_param_file = $PKI/dh.pem
smtpd_tls_security_level = may
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_loglevel = 1
smtpd_tls_session_cache_database =
smtp_tls_security_level = none
EOF
    # No chroot (the queue is not a prepared chroot); no port 25.
    cat >"$PF_DIR/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command + args
$IP_POSTFIX:587 inet n       -       n       -       -       smtpd
  -o syslog_name=postfix-mtc-real/submission
  -o smtpd_tls_security_level=encrypt
$IP_POSTFIX:465 inet n       -       n       -       -       smtpd
  -o syslog_name=postfix-mtc-real/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
# A provider that still allows TLS 1.0 (OpenSSL 3 needs security level 0 for it).
$IP_LEGACY:587 inet n       -       n       -       -       smtpd
  -o syslog_name=postfix-mtc-real/legacy-submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_protocols=>=TLSv1
  -o smtpd_tls_mandatory_protocols=>=TLSv1
  -o smtpd_tls_mandatory_ciphers=medium
  -o tls_medium_cipherlist=ALL:@SECLEVEL=0
$IP_LEGACY:465 inet n       -       n       -       -       smtpd
  -o syslog_name=postfix-mtc-real/legacy-submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_protocols=>=TLSv1
  -o smtpd_tls_mandatory_protocols=>=TLSv1
  -o smtpd_tls_mandatory_ciphers=medium
  -o tls_medium_cipherlist=ALL:@SECLEVEL=0
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
}

start_postfix() {
    register_postfix_dir
    write_postfix
    : >"$STATE/postfix-cmd.log"
    # "start" runs "check-fatal", which creates the queue's subdirectories.
    postfix_cmd start ||
        die "postfix start failed: $(tail -n 20 "$STATE/postfix-cmd.log"; tail -n 20 "$PF_LOG")"
}

stop_postfix() {
    local pidf=$PF_QUEUE/pid/master.pid pid
    if [ -f "$PF_DIR/main.cf" ] && [ -f "$pidf" ]; then
        postfix_cmd stop || true
    fi
    if [ -f "$pidf" ]; then
        pid=$(tr -dc 0-9 <"$pidf")
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
           grep -q master "/proc/$pid/comm" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
        fi
    fi
}

# --------------------------------------------------------------------- dovecot
write_dovecot() {  # dir ip name min_protocol cipher_list
    local dir=$1 ip=$2 name=$3 minproto=$4 ciphers=$5
    mkdir -p "$dir/run" "$dir/state"
    chmod 755 "$dir" "$dir/run"
    : >"$dir/users"      # no users at all: no login can ever succeed
    : >"$dir/dovecot.log"
    cat >"$dir/dovecot.conf" <<EOF
# Private Dovecot instance "$name" for Mail TLS Check's real-server tests.
# A nested block cannot be written on one line: one setting per line.
instance_name = $name
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = imap pop3
listen = $ip
default_internal_user = dovecot
default_login_user = dovenull
login_greeting = Mail TLS Check real-server test ($name) ready.
ssl = yes
ssl_cert = <$PKI/server-chain.pem
ssl_key = <$PKI/server-key.pem
ssl_dh = <$PKI/dh.pem
ssl_min_protocol = $minproto
${ciphers:+ssl_cipher_list = $ciphers}
ssl_prefer_server_ciphers = no
disable_plaintext_auth = yes
auth_mechanisms = plain
passdb {
  driver = passwd-file
  args = $dir/users
}
userdb {
  driver = passwd-file
  args = $dir/users
}
service imap-login {
  inet_listener imap {
    port = 143
  }
  inet_listener imaps {
    port = 993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 110
  }
  inet_listener pop3s {
    port = 995
    ssl = yes
  }
}
EOF
}

# Daemons keep the stdout/stderr they were started with: never start one inside
# $(...) or a pipe (the caller would wait for EOF forever); use a file.
start_dovecot() {  # dir
    if ! dovecot -c "$1/dovecot.conf" </dev/null >"$1/start.out" 2>&1; then
        die "dovecot ($1) did not start: $(cat "$1/start.out")
$(tail -n 20 "$1/dovecot.log" 2>/dev/null)"
    fi
}

stop_dovecot() {  # dir
    local pidf=$1/run/master.pid pid
    if [ -f "$1/dovecot.conf" ]; then
        dovecot -c "$1/dovecot.conf" stop >/dev/null 2>&1 || true
    fi
    if [ -f "$pidf" ]; then
        pid=$(tr -dc 0-9 <"$pidf")
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
           grep -q dovecot "/proc/$pid/comm" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
        fi
    fi
}

# ----------------------------------------------------------------------- nginx
write_nginx() {
    mkdir -p "$NG_DIR/html" "$NG_DIR/temp"
    chmod 755 "$NG_DIR" "$NG_DIR/html"
    : >"$NG_DIR/error.log"
    cat >"$NG_DIR/html/index.html" <<EOF
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Webmail (test)</title></head>
<body><h1>Webmail</h1><p>Mail TLS Check real-server test page.</p></body></html>
EOF
    cat >"$NG_DIR/nginx.conf" <<EOF
# Private nginx instance (webmail stand-in) for Mail TLS Check's real-server tests.
user www-data;
worker_processes 1;
pid $NG_DIR/nginx.pid;
error_log $NG_DIR/error.log warn;
events {
    worker_connections 128;
}
http {
    default_type text/html;
    access_log $NG_DIR/access.log;
    client_body_temp_path $NG_DIR/temp/client_body;
    proxy_temp_path $NG_DIR/temp/proxy;
    fastcgi_temp_path $NG_DIR/temp/fastcgi;
    uwsgi_temp_path $NG_DIR/temp/uwsgi;
    scgi_temp_path $NG_DIR/temp/scgi;
    server {
        listen $IP_NGINX:2096 ssl;
        server_name mail.real.test;
        ssl_certificate $PKI/server-chain.pem;
        ssl_certificate_key $PKI/server-key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        root $NG_DIR/html;
        index index.html;
    }
}
EOF
}

nginx_args() { echo -p "$NG_DIR" -c "$NG_DIR/nginx.conf" -e "$NG_DIR/error.log"; }

start_nginx() {
    # shellcheck disable=SC2046
    if ! nginx $(nginx_args) </dev/null >"$NG_DIR/start.out" 2>&1; then
        die "nginx did not start: $(cat "$NG_DIR/start.out")
$(tail -n 20 "$NG_DIR/error.log" 2>/dev/null)"
    fi
}

stop_nginx() {
    local pidf=$NG_DIR/nginx.pid pid
    if [ -f "$NG_DIR/nginx.conf" ] && [ -f "$pidf" ]; then
        # shellcheck disable=SC2046
        nginx $(nginx_args) -s stop >/dev/null 2>&1 || true
    fi
    if [ -f "$pidf" ]; then
        pid=$(tr -dc 0-9 <"$pidf")
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
           grep -q nginx "/proc/$pid/comm" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
        fi
    fi
}

# ---------------------------------------------------------------------- common
all_up() {
    local e name ip port logf
    for e in "${PORTS[@]}"; do
        IFS='|' read -r name ip port logf <<<"$e"
        port_open "$ip" "$port" || return 1
    done
}

wait_all_up() {
    local deadline=$((SECONDS + START_TIMEOUT)) e name ip port logf
    local down=("${PORTS[@]}") pending
    while :; do
        # probe only what is still down (each probe is a log line on the server)
        pending=("${down[@]}")
        down=()
        for e in "${pending[@]}"; do
            IFS='|' read -r name ip port logf <<<"$e"
            port_open "$ip" "$port" || down+=("$e")
        done
        [ ${#down[@]} -eq 0 ] && return 0
        [ $SECONDS -ge $deadline ] && break
        sleep 0.2
    done
    local msg="not up after ${START_TIMEOUT}s:" seen=""
    for e in "${down[@]}"; do
        IFS='|' read -r name ip port logf <<<"$e"
        msg+=" $name($ip:$port)"
    done
    log "ERROR: $msg"
    for e in "${down[@]}"; do
        IFS='|' read -r name ip port logf <<<"$e"
        case " $seen " in *" $name "*) continue ;; esac
        seen+=" $name"
        log "--- last lines of $logf ($name) ---"
        tail -n 20 "$logf" >&2 2>/dev/null || log "(no log)"
    done
    exit 1
}

wait_all_down() {
    local deadline=$((SECONDS + 10)) e name ip port logf busy
    while :; do
        busy=""
        for e in "${PORTS[@]}"; do
            IFS='|' read -r name ip port logf <<<"$e"
            port_open "$ip" "$port" && busy+=" $name($ip:$port)"
        done
        [ -z "$busy" ] && return 0
        [ $SECONDS -ge $deadline ] && { log "WARNING: still listening after stop:$busy"; return 1; }
        sleep 0.2
    done
}

do_stop() {
    # "dovecot stop" waits ~2 s for its processes: stop all four side by side.
    stop_nginx &
    stop_dovecot "$DC_LEGACY" &
    stop_dovecot "$DC_MODERN" &
    stop_postfix &
    wait
    wait_all_down || true
}

write_env() {
    local tmp=$STATE/endpoints.env.tmp
    cat >"$tmp" <<EOF
# Written by tests/real/servers.sh start — shell-sourceable.
REAL_STATEDIR="$STATE"
REAL_CA_FILE="$PKI/ca.pem"
REAL_CA_NAME="$CA_NAME"
REAL_SERVER_NAME="mail.real.test"
REAL_MODERN="smtp://$IP_POSTFIX:587 smtps://$IP_POSTFIX:465 imap://$IP_MODERN:143 imaps://$IP_MODERN:993 pop3://$IP_MODERN:110 pop3s://$IP_MODERN:995 https://$IP_NGINX:2096"
REAL_LEGACY="smtp://$IP_LEGACY:587 smtps://$IP_LEGACY:465 imap://$IP_LEGACY:143 imaps://$IP_LEGACY:993 pop3://$IP_LEGACY:110 pop3s://$IP_LEGACY:995"
EOF
    mv -f "$tmp" "$STATE/endpoints.env"
}

do_start() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (Postfix and Dovecot drop privileges themselves)"
    need_cmds postfix postconf dovecot nginx certtool script timeout
    local t0=$SECONDS
    do_stop
    rm -f "$STATE/endpoints.env"
    # Postfix (as postfix) and Dovecot's login processes (as dovenull) must reach
    # their files: STATEDIR and every parent must be searchable by others.
    chmod 755 "$STATE"
    local d=$STATE
    while [ "$d" != / ]; do
        d=$(dirname "$d")
        [ "$(stat -c %A "$d" | cut -c10)" != "-" ] ||
            die "$d is not searchable by other users; postfix/dovecot cannot reach $STATE (use a STATEDIR under e.g. /tmp)"
    done
    make_pki
    # modern: Dovecot's default cipher list
    write_dovecot "$DC_MODERN" "$IP_MODERN" mtc-real-modern TLSv1.2 ''
    # OpenSSL 3 allows TLS 1.0/1.1 only at security level 0.
    write_dovecot "$DC_LEGACY" "$IP_LEGACY" mtc-real-legacy TLSv1 'ALL:@SECLEVEL=0'
    write_nginx
    start_postfix
    start_dovecot "$DC_MODERN"
    start_dovecot "$DC_LEGACY"
    start_nginx
    wait_all_up
    write_env
    log "all servers up in $((SECONDS - t0))s; endpoints in $STATE/endpoints.env"
}

case "$ACTION" in
    start) do_start ;;
    stop)
        do_stop
        log "stopped"
        ;;
    status)
        if all_up; then
            echo "all up"
        else
            for e in "${PORTS[@]}"; do
                IFS='|' read -r name ip port logf <<<"$e"
                port_open "$ip" "$port" || echo "down: $name $ip:$port"
            done
            exit 1
        fi
        ;;
esac
