#!/bin/bash
# servers.sh itself: start while running, start after every server crashed
# (stale pid files, children that outlived their master), a stale pid file
# that names another process, and stop leaving nothing behind. Runs on the
# servers that ./dev.sh test started and leaves them running, as it found them.
# Skipped (exit 77) when they are not running or when not root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
env_file=${MTC_REAL_SERVERS_ENV:-}
if [ -z "$env_file" ] || [ ! -f "$env_file" ]; then
  echo "The real servers are not running (MTC_REAL_SERVERS_ENV unset): skipped."
  exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "servers.sh needs root: skipped."
  exit 77
fi
state=$(dirname "$env_file")
servers=$here/servers.sh
passed=0 failed=0

check() {  # name command...
  local name=$1; shift
  if "$@"; then
    passed=$((passed + 1)); echo "ok - $name"
  else
    failed=$((failed + 1)); echo "not ok - $name"
  fi
}

run_servers() {  # action: keep what it says in a log, shown on failure
  "$servers" "$1" "$state" >"$state/lifecycle-$1.log" 2>&1 ||
    { sed 's/^/# /' "$state/lifecycle-$1.log"; return 1; }
}

# Main pids of every server, from their pid files.
main_pids() {
  local f
  for f in "$state"/postfix-queue/pid/master.pid "$state"/dovecot-*/run/master.pid \
           "$state"/nginx/nginx.pid "$state"/exim-*/run/exim.pid; do
    [ -f "$f" ] && tr -dc '0-9\n' <"$f"
  done
}

# Nothing of ours left: no listening socket on the servers' addresses, no
# process of the unpacked Exim, none that names the state directory.
nothing_left() {
  local _ left
  for _ in $(seq 30); do
    left=$(ss -Hltn | grep -E ' 127\.0\.0\.[2-8]:' || true)
    for p in /proc/[0-9]*; do
      [ "$(readlink "$p/exe" 2>/dev/null)" = "$state/exim-root/usr/sbin/exim4" ] &&
        left+=" exim:${p#/proc/}"
      tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF -- "$state/" &&
        left+=" ${p#/proc/}:$(tr '\0' ' ' 2>/dev/null <"$p/cmdline" | cut -c1-80)"
    done
    [ -z "$left" ] && return 0
    sleep 0.2
  done
  echo "# still there: $left"
  return 1
}

status_up() { "$servers" status "$state" >/dev/null; }

check "start while everything runs" run_servers start
check "… all up" status_up

# Crash: every server's main process killed at once, pid files left behind.
mapfile -t pids < <(main_pids)
check "found the servers' pid files (${#pids[@]})" test "${#pids[@]}" -ge 7
kill -KILL "${pids[@]}" 2>/dev/null
sleep 0.5
# A pid file naming a live process that is not ours: stop must spare it.
sleep 60 &
bystander=$!
echo "$bystander" >"$state/exim-modern/run/exim.pid"
check "start after a crash" run_servers start
check "… all up" status_up
check "… a process named by a stale pid file is left alone" kill -0 "$bystander"
kill "$bystander" 2>/dev/null
wait "$bystander" 2>/dev/null

check "stop" run_servers stop
check "… leaves nothing running or listening" nothing_left
check "stop when nothing runs" run_servers stop

check "start again (the servers stay up for the other tests)" run_servers start
check "… all up" status_up

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
