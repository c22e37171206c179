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
#   Exim     127.0.0.6  587 (STARTTLS), 465 ("modern")            TLS >= 1.2
#   Exim     127.0.0.7  587 (STARTTLS), 465 ("legacy")            TLS >= 1.0
#   Exim     127.0.0.8  587 (STARTTLS), 465 ("limited")           TLS >= 1.2,
#            at most 3 connections at once from one client address
#
# Needs (Debian 12): postfix dovecot-imapd dovecot-pop3d nginx-light gnutls-bin
# libidn12 iproute2 (ss) bsdutils (script) coreutils apt dpkg; run as root
# (Postfix, Dovecot and Exim drop privileges themselves). STATEDIR/endpoints.env
# is written for the test scripts.
# Exim 4 (GnuTLS on the server side, the MTA of cPanel hosting) conflicts with
# Postfix as a package, so it is not installed: start fetches its .debs with
# "apt-get download" into STATEDIR/exim-debs (kept as a cache) and unpacks them
# into STATEDIR/exim-root; each instance runs that binary with its own
# configuration, spool, log and pid file. Exim runs as the system user
# Debian-exim, which start creates when it is missing (as exim4-base would).
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
EXIM_DEBS=$STATE/exim-debs       # downloaded .debs, kept between runs
EXIM_ROOT=$STATE/exim-root       # the unpacked packages
EXIM_BIN=$EXIM_ROOT/usr/sbin/exim4
EXIM_USER=Debian-exim            # compiled into Debian's exim4 binary
EX_MODERN=$STATE/exim-modern
EX_LEGACY=$STATE/exim-legacy
EX_LIMITED=$STATE/exim-limited
PKI=$STATE/pki
CA_NAME="Mail TLS Check Real-Server Test CA"
START_TIMEOUT=20

IP_POSTFIX=127.0.0.2
IP_MODERN=127.0.0.3
IP_NGINX=127.0.0.4
IP_LEGACY=127.0.0.5
IP_EXIM_MODERN=127.0.0.6
IP_EXIM_LEGACY=127.0.0.7
IP_EXIM_LIMITED=127.0.0.8
# Nothing listens here: the tests use it as a server whose mail ports are closed.
IP_CLOSED=127.0.0.9

# Exim's per-client limit (smtp_accept_max_per_host; unset in Exim itself, so
# only smtp_accept_max = 20 in all applies). The "limited" instance allows a
# small number, as a shared hosting server might, to see how sslscan's and our
# parallel connections fare; the others raise it far above what either opens.
EXIM_LIMITED_PER_HOST=3
EXIM_RAISED_PER_HOST=200

# "name|ip|port|log file" for every listening port we start
PORTS=(
    "postfix|$IP_POSTFIX|25|$PF_LOG"
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
    "exim-modern|$IP_EXIM_MODERN|587|$EX_MODERN/log/mainlog"
    "exim-modern|$IP_EXIM_MODERN|465|$EX_MODERN/log/mainlog"
    "exim-legacy|$IP_EXIM_LEGACY|587|$EX_LEGACY/log/mainlog"
    "exim-legacy|$IP_EXIM_LEGACY|465|$EX_LEGACY/log/mainlog"
    "exim-limited|$IP_EXIM_LIMITED|587|$EX_LIMITED/log/mainlog"
    "exim-limited|$IP_EXIM_LIMITED|465|$EX_LIMITED/log/mainlog"
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
        die "missing commands: ${missing[*]} (Debian packages: postfix dovecot-imapd dovecot-pop3d nginx-light gnutls-bin bsdutils apt dpkg iproute2)"
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
       certtool --certificate-info --infile "$PKI/server.pem" 2>/dev/null |
           grep -q "IPAddress: $IP_EXIM_LIMITED\$" &&
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
ip_address = "$IP_EXIM_MODERN"
ip_address = "$IP_EXIM_LEGACY"
ip_address = "$IP_EXIM_LIMITED"
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
    # No chroot (the queue is not a prepared chroot). Port 25 as a provider's
    # incoming mail server has it: STARTTLS, no login (Postfix's default);
    # submission with a login through the modern Dovecot's auth socket, as
    # Debian's master.cf suggests for it.
    cat >"$PF_DIR/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command + args
$IP_POSTFIX:25 inet n       -       n       -       -       smtpd
  -o syslog_name=postfix-mtc-real/smtp
$IP_POSTFIX:587 inet n       -       n       -       -       smtpd
  -o syslog_name=postfix-mtc-real/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_sasl_type=dovecot
  -o smtpd_sasl_path=$DC_MODERN/run/auth-postfix
$IP_POSTFIX:465 inet n       -       n       -       -       smtpd
  -o syslog_name=postfix-mtc-real/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_sasl_type=dovecot
  -o smtpd_sasl_path=$DC_MODERN/run/auth-postfix
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
# For Postfix's submission service: its logins are checked here.
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
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

# ------------------------------------------------------------------------ exim
# Fetch Debian's exim4-daemon-light and exim4-base (cached in EXIM_DEBS) and
# unpack them into EXIM_ROOT. They are not installed: the package conflicts
# with Postfix. The libraries they link against are ordinary packages.
exim_fetch() {
    local have=1 p f missing
    for p in exim4-daemon-light exim4-base; do
        compgen -G "$EXIM_DEBS/${p}_*.deb" >/dev/null || have=0
    done
    if [ $have -eq 0 ]; then
        log "downloading exim4-daemon-light and exim4-base into $EXIM_DEBS"
        mkdir -p "$EXIM_DEBS"
        rm -f "$EXIM_DEBS"/*.deb
        # Without package lists (a fresh machine) apt-get download finds
        # nothing: update them once and try again.
        if ! (cd "$EXIM_DEBS" && apt-get download -q exim4-daemon-light exim4-base) \
                >"$STATE/exim-download.log" 2>&1; then
            apt-get update -q >>"$STATE/exim-download.log" 2>&1 || true
            (cd "$EXIM_DEBS" && apt-get download -q exim4-daemon-light exim4-base) \
                >>"$STATE/exim-download.log" 2>&1 ||
                die "apt-get download exim4-daemon-light exim4-base failed: $(tail -n 5 "$STATE/exim-download.log")"
        fi
    fi
    # Unpack afresh when the cache is newer than what is unpacked.
    if [ ! -x "$EXIM_BIN" ] ||
       [ -n "$(find "$EXIM_DEBS" -name '*.deb' -newer "$EXIM_BIN" 2>/dev/null)" ]; then
        rm -rf "$EXIM_ROOT"
        mkdir -p "$EXIM_ROOT"
        for f in "$EXIM_DEBS"/exim4-daemon-light_*.deb "$EXIM_DEBS"/exim4-base_*.deb; do
            dpkg-deb -x "$f" "$EXIM_ROOT" || die "dpkg-deb -x $f failed"
        done
        touch "$EXIM_BIN"
    fi
    missing=$(ldd "$EXIM_BIN" 2>/dev/null |
              sed -n 's/^[[:space:]]*\([^ ]*\) => not found.*/\1/p' | tr '\n' ' ')
    [ -z "$missing" ] ||
        die "Exim needs libraries that are not installed: $missing(Debian 12: libidn12; ./dev.sh test installs it)"
}

# The system user Exim switches to, created as exim4-base's installation would.
exim_user() {
    getent group "$EXIM_USER" >/dev/null || groupadd --system "$EXIM_USER" ||
        die "cannot create the group $EXIM_USER"
    getent passwd "$EXIM_USER" >/dev/null ||
        useradd --system --gid "$EXIM_USER" --home-dir /var/spool/exim4 --no-create-home \
            --shell /usr/sbin/nologin "$EXIM_USER" ||
        die "cannot create the system user $EXIM_USER"
}

write_exim() {  # dir ip name gnutls_priority per_host_limit
    local dir=$1 ip=$2 name=$3 prio=$4 per_host=$5
    mkdir -p "$dir/spool" "$dir/log" "$dir/run"
    chown root:root "$dir"
    chmod 755 "$dir"
    : >"$dir/log/mainlog"
    chown -R "$EXIM_USER:$EXIM_USER" "$dir/spool" "$dir/log" "$dir/run"
    chmod 750 "$dir/spool" "$dir/log" "$dir/run"
    # Exim may read its key as Debian-exim: a copy readable by that group, as
    # Debian's /etc/exim4/exim.key is (root:Debian-exim, 0640).
    install -o root -g "$EXIM_USER" -m 0640 "$PKI/server-key.pem" "$dir/server-key.pem"
    # Exim refuses a configuration that is not owned by root or that others
    # may write to.
    cat >"$dir/exim.conf" <<EOF
# Private Exim instance "$name" for Mail TLS Check's real-server tests.
primary_hostname = mail.real.test
smtp_banner = \$primary_hostname ESMTP Exim \$version_number Mail TLS Check real-server test ($name)
exim_path = $EXIM_BIN
keep_environment =
spool_directory = $dir/spool
log_file_path = $dir/log/%slog
pid_file_path = $dir/run/exim.pid
log_selector = +smtp_connection +tls_cipher +incoming_interface
local_interfaces = <; $ip.587 ; $ip.465
tls_on_connect_ports = 465
tls_advertise_hosts = *
tls_certificate = $PKI/server-chain.pem
tls_privatekey = $dir/server-key.pem
# The TLS versions allowed, as a GnuTLS priority string.
tls_require_ciphers = $prio
# Connections at once: in all, and from one client address.
smtp_accept_max = 400
smtp_accept_max_per_host = $per_host
# No ident or reverse-DNS queries (nothing would answer them here).
rfc1413_hosts =
host_lookup =
# No mail is ever accepted: every recipient is refused.
acl_smtp_rcpt = acl_check_rcpt
begin acl
acl_check_rcpt:
  deny
    message = Mail TLS Check real-server test: no mail is accepted here
EOF
    chown root:root "$dir/exim.conf"
    chmod 644 "$dir/exim.conf"
}

start_exim() {  # dir
    rm -f "$1/run/exim.pid"
    if ! "$EXIM_BIN" -C "$1/exim.conf" -bd </dev/null >"$1/start.out" 2>&1; then
        die "exim ($1) did not start: $(cat "$1/start.out")
$(tail -n 20 "$1/log/paniclog" 2>/dev/null)"
    fi
}

# The pids of this instance's Exim processes: the daemon and the children it
# forked for connections (they keep its command line), found by what they run
# rather than by a pid file, which a crash may have left stale or removed.
exim_pids() {  # dir
    local p exe
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null) || continue
        [ "$exe" = "$EXIM_BIN" ] || continue
        tr '\0' '\n' <"$p/cmdline" 2>/dev/null | grep -qxF -- "$1/exim.conf" &&
            echo "${p#/proc/}"
    done
}

stop_exim() {  # dir
    local pids _
    pids=$(exim_pids "$1")
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill $pids 2>/dev/null || true
        for _ in $(seq 50); do
            pids=$(exim_pids "$1")
            [ -z "$pids" ] && break
            sleep 0.1
        done
        if [ -n "$pids" ]; then
            # shellcheck disable=SC2086
            kill -KILL $pids 2>/dev/null || true
        fi
    fi
    rm -f "$1/run/exim.pid"
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

# After a crash a server's children may outlive it: nginx's worker keeps
# listening when its master was killed. A process that still listens on one of
# our addresses and ports is such a leftover if it runs one of our servers'
# programs: end it by its pid.
kill_leftovers() {
    local e name ip port logf pid exe pids=() _
    for e in "${PORTS[@]}"; do
        IFS='|' read -r name ip port logf <<<"$e"
        for pid in $(ss -Hltnp "src $ip:$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2); do
            exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
            case "$exe" in
                /usr/sbin/nginx|/usr/sbin/dovecot|/usr/lib/dovecot/*|/usr/lib/postfix/*|"$EXIM_BIN")
                    log "ending $name's leftover process $pid ($exe) on $ip:$port"
                    pids+=("$pid") ;;
            esac
        done
    done
    [ ${#pids[@]} -gt 0 ] || return 0
    kill "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 30); do
        kill -0 "${pids[@]}" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
}

do_stop() {
    # "dovecot stop" waits ~2 s for its processes: stop them all side by side.
    stop_nginx &
    stop_dovecot "$DC_LEGACY" &
    stop_dovecot "$DC_MODERN" &
    stop_postfix &
    stop_exim "$EX_MODERN" &
    stop_exim "$EX_LEGACY" &
    stop_exim "$EX_LIMITED" &
    wait
    kill_leftovers
    wait_all_down
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
# Exim (GnuTLS): TLS >= 1.2; TLS >= 1.0; TLS >= 1.2 with at most
# REAL_EXIM_LIMITED_PER_HOST connections at once from one client address.
REAL_EXIM_MODERN="smtp://$IP_EXIM_MODERN:587 smtps://$IP_EXIM_MODERN:465"
REAL_EXIM_LEGACY="smtp://$IP_EXIM_LEGACY:587 smtps://$IP_EXIM_LEGACY:465"
REAL_EXIM_LIMITED="smtp://$IP_EXIM_LIMITED:587 smtps://$IP_EXIM_LIMITED:465"
REAL_EXIM_LIMITED_PER_HOST="$EXIM_LIMITED_PER_HOST"
# Postfix's port 25: STARTTLS, no login, as a provider's incoming mail server.
REAL_MX="smtp://$IP_POSTFIX:25"
# Nothing listens on this address.
REAL_CLOSED_IP="$IP_CLOSED"
EOF
    mv -f "$tmp" "$STATE/endpoints.env"
}

do_start() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (Postfix, Dovecot and Exim drop privileges themselves)"
    need_cmds postfix postconf dovecot nginx certtool script timeout apt-get dpkg-deb ldd \
        getent groupadd useradd ss
    local t0=$SECONDS
    do_stop || die "servers of an earlier start are still listening"
    rm -f "$STATE/endpoints.env"
    # Postfix (as postfix) and Dovecot's login processes (as dovenull) must reach
    # their files: STATEDIR and every parent must be searchable by others.
    chmod 755 "$STATE"
    local d=$STATE
    while [ "$d" != / ]; do
        d=$(dirname "$d")
        [ "$(stat -c %A "$d" | cut -c10)" != "-" ] ||
            die "$d is not searchable by other users; postfix/dovecot/exim cannot reach $STATE (use a STATEDIR under e.g. /tmp)"
    done
    make_pki
    # modern: Dovecot's default cipher list
    write_dovecot "$DC_MODERN" "$IP_MODERN" mtc-real-modern TLSv1.2 ''
    # OpenSSL 3 allows TLS 1.0/1.1 only at security level 0.
    write_dovecot "$DC_LEGACY" "$IP_LEGACY" mtc-real-legacy TLSv1 'ALL:@SECLEVEL=0'
    write_nginx
    exim_fetch
    exim_user
    # Exim with GnuTLS: TLS 1.0/1.1 need only to be named in the priority string.
    write_exim "$EX_MODERN" "$IP_EXIM_MODERN" mtc-real-exim-modern \
        'NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2' "$EXIM_RAISED_PER_HOST"
    write_exim "$EX_LEGACY" "$IP_EXIM_LEGACY" mtc-real-exim-legacy \
        'NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0' "$EXIM_RAISED_PER_HOST"
    write_exim "$EX_LIMITED" "$IP_EXIM_LIMITED" mtc-real-exim-limited \
        'NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2' "$EXIM_LIMITED_PER_HOST"
    start_postfix
    start_dovecot "$DC_MODERN"
    start_dovecot "$DC_LEGACY"
    start_nginx
    start_exim "$EX_MODERN"
    start_exim "$EX_LEGACY"
    start_exim "$EX_LIMITED"
    wait_all_up
    write_env
    log "all servers up in $((SECONDS - t0))s; endpoints in $STATE/endpoints.env"
}

case "$ACTION" in
    start) do_start ;;
    stop)
        do_stop || die "some servers are still listening"
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
