#!/usr/bin/env bash
# valgrind memcheck on the command line program against loopback servers:
# the built-in demo provider (--check --demo, servers in the same process),
# every misbehaving server of mtc-demo-servers --misbehave, and a few usage
# errors.  Fails on any memcheck error: invalid reads or writes, use of
# uninitialised values, bad frees, and definitely lost memory ("possibly
# lost" blocks are shown as TAP comments, not counted).  Suppressed:
# only the libraries' own one-time allocations (mtc.supp, and GLib's own
# glib.supp when installed).
#
#   tests/valgrind/run-valgrind.sh BUILD_DIR
#
# TAP output; skipped ("1..0 # SKIP") without valgrind or in a sanitizer
# build.
# The valgrind logs stay in BUILD_DIR/valgrind/.
set -uo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cli=$build/src/mail-tls-check
servers=$build/src/demo/mtc-demo-servers
logs=$build/valgrind

if ! command -v valgrind >/dev/null; then
  echo "1..0 # SKIP valgrind is not installed"
  exit 0
fi
# AddressSanitizer and valgrind do not go together.
if grep -qa -e __asan_init -e __ubsan_handle "$cli"; then
  echo "1..0 # SKIP built with a sanitizer"
  exit 0
fi

suppressions=(--suppressions="$here/mtc.supp")
[ -f /usr/share/glib-2.0/valgrind/glib.supp ] && suppressions+=(--suppressions=/usr/share/glib-2.0/valgrind/glib.supp)
# GLib's advice for valgrind: plain malloc for slices, memory cleared when freed.
export G_SLICE=always-malloc G_DEBUG=gc-friendly
export GSETTINGS_BACKEND=memory GIO_USE_PROXY_RESOLVER=dummy

rm -rf "$logs"
mkdir -p "$logs"
server_pid=
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null
}
trap cleanup EXIT

n=0
failed=0
# memcheck NAME EXPECTED_STATUSES CLI_ARGS…
memcheck() {
  local name=$1 expected=$2 status start took
  shift 2
  n=$((n + 1))
  start=$(date +%s)
  valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite,possible \
    --error-exitcode=99 --num-callers=40 --gen-suppressions=all "${suppressions[@]}" \
    --log-file="$logs/$name.log" "$cli" "$@" >"$logs/$name.out" 2>"$logs/$name.err"
  status=$?
  took=$(($(date +%s) - start))
  if [ $status -eq 99 ]; then
    echo "not ok $n - $name: memcheck errors (exit $status, $took s)"
    sed 's/^/# /' "$logs/$name.log" | head -300
    failed=1
  elif [[ " $expected " != *" $status "* ]]; then
    echo "not ok $n - $name: exit status $status, expected one of: $expected ($took s)"
    sed 's/^/# /' "$logs/$name.err" | tail -20
    failed=1
  else
    echo "ok $n - $name: no memcheck errors, exit $status ($took s)"
    # "Possibly lost" is no error, but worth a look when it appears.
    [ ! -s "$logs/$name.log" ] || sed 's/^/# /' "$logs/$name.log" | head -100
  fi
}

echo "1..5"

# The demo provider: servers and checks in one process.  0 or 1: the verdict
# depends on this computer's mail program.
memcheck demo "0 1" --check --demo --json

# Every misbehaviour on every protocol (119 services), from another process.
"$servers" --misbehave >"$logs/misbehave.urls" 2>"$logs/misbehave-servers.err" &
server_pid=$!
for _ in $(seq 100); do
  [ "$(wc -l <"$logs/misbehave.urls")" -ge 119 ] && break
  sleep 0.1
done
mapfile -t urls <"$logs/misbehave.urls"
if [ ${#urls[@]} -lt 119 ]; then
  n=$((n + 1))
  echo "not ok $n - misbehave: mtc-demo-servers --misbehave printed ${#urls[@]} URLs"
  failed=1
else
  memcheck misbehave "1" --check --json --timeout 3 "${urls[@]}"
  # The text report too, with a short timeout: many probes end at the deadline.
  memcheck misbehave-text "1" --check --lang de --timeout 0.5 "${urls[@]:0:35}"
fi
kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null
server_pid=

# Usage errors end early, through other paths.
memcheck bad-target "2" --check "smtp://bad host"
memcheck bad-timeout "2" --check --timeout 0 --demo

exit $failed
