#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/run-bench.sh [BUILDDIR]
#
# Measures Mail TLS Check side by side with sslscan and testssl.sh on the same
# seven loopback endpoints of the demo provider (SMTP, IMAP and POP3 with
# STARTTLS and with implicit TLS, and HTTPS webmail):
#
#   - wall time of `mail-tls-check --check URL… --json` over the seven,
#   - wall time of sslscan and of `testssl -p`, run one endpoint after the
#     other as a user would, and the ratios (goals: ours ≤ 1/20 of sslscan,
#     ≤ 1/200 of testssl),
#   - the same check through mtc-delay-proxy, which delays every chunk of
#     data by BENCH_DELAY_MS in each direction (100 ms round trip by
#     default), counted in round trips (goal: ≤ 5),
#   - peak RSS of ours (goal: ≤ 25 MiB),
#   - counted on the servers' side: the most connections ours holds open at
#     once to one port (goal: ≤ 4) and in all (goal: ≤ 4 per endpoint).
#
# Run from the top of the source tree after building (ninja -C _build).
# Prints a table and writes it to BUILDDIR/bench-results.txt; the tools'
# outputs are kept in BUILDDIR/bench-work/.  Nothing leaves 127.0.0.1.
#
# Environment:
#   BENCH_RUNS=5               runs of ours (median), also in the proxy test
#   BENCH_SSLSCAN_RUNS=5       runs of sslscan over the seven
#   BENCH_TESTSSL_RUNS=2       runs of testssl over the seven (about 40 s each)
#   BENCH_DELAY_MS=50          one-way delay of the proxy
#   BENCH_SSLSCAN_VIA_PROXY=1  also time sslscan once on one endpoint through
#                              the proxy, for scale (0: skip; takes a while)
#   BENCH_TIMER=hyperfine      "date" times with date +%s.%N instead

set -euo pipefail
export LC_NUMERIC=C

builddir=${1:-_build}
runs=${BENCH_RUNS:-5}
sslscan_runs=${BENCH_SSLSCAN_RUNS:-5}
testssl_runs=${BENCH_TESTSSL_RUNS:-2}
delay_ms=${BENCH_DELAY_MS:-50}
sslscan_via_proxy=${BENCH_SSLSCAN_VIA_PROXY:-1}

ours=$builddir/src/mail-tls-check
demo=$builddir/src/demo/mtc-demo-servers
proxy=$builddir/bench/mtc-delay-proxy
results=$builddir/bench-results.txt
work=$builddir/bench-work

# Loopback only: no proxy from the environment, no DNS for testssl's own
# self-test of openssl (it connects to "invalid." unless told otherwise).
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NXCONNECT=127.0.0.1:0

children=()

die ()
{
  echo "run-bench.sh: $*" >&2
  exit 1
}

say ()
{
  echo "== $*" >&2
}

# Each child leads a session of its own (setsid): end it and whatever it
# started, also in other process groups of that session (timeout makes one).
end_session ()
{
  kill -TERM -- "-$1" 2>/dev/null || true
  pkill -TERM -s "$1" 2>/dev/null || true
}

cleanup ()
{
  local pid
  for pid in "${children[@]}"; do
    end_session "$pid"
  done
  for pid in "${children[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts "$@" in the background as a session of its own; the pid goes to $last_child.
start_child ()
{
  setsid "$@" &
  last_child=$!
  children+=("$last_child")
}

# Runs "$@" as a child and waits for it, so that a signal to this script
# reaches the trap at once and the child's whole session is ended.
run_child ()
{
  local status=0
  start_child "$@"
  wait "$last_child" || status=$?
  forget_child "$last_child"
  return "$status"
}

forget_child ()
{
  local keep=() pid
  for pid in "${children[@]}"; do
    [[ $pid == "$1" ]] || keep+=("$pid")
  done
  children=("${keep[@]}")
}

stop_child ()
{
  end_session "$1"
  wait "$1" 2>/dev/null || true
  forget_child "$1"
}

need_tool ()
{
  command -v "$1" >/dev/null || die "'$1' is missing: install the Debian package '$2'"
}

now ()
{
  date +%s.%N
}

# time_runs LABEL N CMD… — runs CMD N times; sets t_median, t_min and t_max
# (wall seconds).  CMD's exit status is ignored here (it is checked apart).
# Not run in $(…), so that a signal reaches the trap while CMD runs.
time_runs ()
{
  local label=$1 n=$2 i t0 t1 cmdline
  shift 2
  if [[ $timer == hyperfine* ]]; then
    cmdline=$(printf '%q ' "$@")
    run_child hyperfine --shell=none --ignore-failure --style none --runs "$n" \
      --export-csv "$work/$label.hyperfine.csv" --export-json "$work/$label.hyperfine.json" -- "$cmdline" \
      >"$work/$label.hyperfine.log" 2>&1 || die "hyperfine failed for $label: see $work/$label.hyperfine.log"
    # command,mean,stddev,median,user,system,min,max — the command may hold commas.
    read -r t_median t_min t_max < <(awk -F, 'NR == 2 { print $(NF - 4), $(NF - 1), $NF }' "$work/$label.hyperfine.csv")
  else
    : >"$work/$label.times"
    for ((i = 0; i < n; i++)); do
      t0=$(now)
      run_child "$@" >/dev/null 2>&1 || true
      t1=$(now)
      calc "$t1 - $t0" >>"$work/$label.times"
      echo >>"$work/$label.times"
    done
    read -r t_median t_min t_max < <(sort -g "$work/$label.times" | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }')
  fi
}

# Arithmetic on decimals.
calc ()
{
  awk "BEGIN { printf \"%s\", $1 }"
}

host_port ()
{
  local hp=${1#*://}
  echo "${hp%%/*}"
}

scheme_of ()
{
  echo "${1%%://*}"
}

# Waits until FILE has COUNT lines matching PATTERN; fails if PID dies or
# after 20 s.
wait_for_lines ()
{
  local file=$1 pattern=$2 count=$3 pid=$4 what=$5 i
  for ((i = 0; i < 200; i++)); do
    if [[ $(grep -cE "$pattern" "$file" 2>/dev/null) -ge $count ]]; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || die "$what exited early; its output: $(cat "$file" "$file.err" 2>/dev/null)"
    sleep 0.1
  done
  die "$what did not print $count lines in 20 s; its output: $(cat "$file" "$file.err" 2>/dev/null)"
}

# Versions a tool found enabled, from its saved output, as "1.2 1.3";
# "FAILED: …" when the output does not show the protocol section, or when
# it shows every version off: sslscan says "disabled" for all of them when
# STARTTLS was refused and no handshake took place.
sslscan_versions ()
{
  local out=$1 lines found
  lines=$(sed 's/\x1b\[[0-9;]*m//g' "$out" | grep -E '^(SSLv2|SSLv3|TLSv1\.[0-3]) +(enabled|disabled)' || true)
  if [[ $(grep -c . <<<"$lines") -lt 6 ]]; then
    echo "FAILED: $(sed 's/\x1b\[[0-9;]*m//g' "$out" | grep -iE 'error|fail|could not|unable' | head -1)"
    return
  fi
  found=$(awk '$2 == "enabled" { sub(/^TLSv/, "", $1); sub(/^SSLv/, "ssl", $1); printf "%s ", $1 }' <<<"$lines")
  if [[ -n $found ]]; then
    echo "${found% }"
  else
    echo "FAILED: all versions 'disabled', no handshake at all"
  fi
}

testssl_versions ()
{
  local out=$1 lines found
  lines=$(grep -E '^ (SSLv2|SSLv3|TLS 1(\.[123])?) +(offered|not offered)' "$out" || true)
  if [[ $(grep -c . <<<"$lines") -lt 6 ]]; then
    echo "FAILED: $(grep -iE 'error|fail|couldn|unable|doesn.t seem|aborting' "$out" | head -1 | sed 's/^ *//')"
    return
  fi
  found=$(sed -E 's/^ (SSLv[23]|TLS 1(\.[123])?) +(.*)$/\1|\3/' <<<"$lines" |
    awk -F'|' '$2 !~ /^not offered/ { v = $1; if (v == "TLS 1") v = "1.0"; sub(/^TLS /, "", v); sub(/^SSLv/, "ssl", v);
                                      printf "%s ", v }')
  if [[ -n $found ]]; then
    echo "${found% }"
  else
    echo "FAILED: all versions 'not offered', no handshake at all"
  fi
}

ours_versions ()
{
  jq -r --arg url "$2" --argjson i "$3" '((.endpoints | map(select(.url == $url)) | first) // .endpoints[$i]) |
      if .versions then
        ([.versions | to_entries[] | select(.value == "accepted") | .key] | join(" ")) as $acc |
        ([.versions | to_entries[] | select(.value == "accepted" or .value == "rejected")] | length) as $tested |
        if $tested == 4 then (if $acc == "" then "none" else $acc end)
        else "\(.status): \($tested) of 4 versions tested (\(.detail // ""))" end
      else "\(.status) (\(.detail // ""))" end' "$1" 2>/dev/null | head -1
}

# ---------------------------------------------------------------------------

[[ -d $builddir ]] || die "no build directory '$builddir' (run: meson setup $builddir && ninja -C $builddir)"
for f in "$ours" "$demo" "$proxy"; do
  [[ -x $f ]] || die "'$f' is not built (run: ninja -C $builddir)"
done
need_tool sslscan sslscan
need_tool testssl testssl.sh
need_tool jq jq
need_tool setsid util-linux
need_tool awk mawk
need_tool pkill procps
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
  die "GNU time (/usr/bin/time) is missing: install the Debian package 'time'"
fi
for n in "$runs" "$sslscan_runs" "$testssl_runs" "$delay_ms"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS, BENCH_SSLSCAN_RUNS, BENCH_TESTSSL_RUNS and BENCH_DELAY_MS must be > 0"
done
timer="date +%s.%N"
if [[ ${BENCH_TIMER:-hyperfine} == hyperfine ]]; then
  if command -v hyperfine >/dev/null; then
    timer="hyperfine $(hyperfine --version | awk '{ print $2 }')"
  else
    say "hyperfine not found (Debian package 'hyperfine'): timing with date +%s.%N instead"
  fi
fi

rm -rf "$work"
mkdir -p "$work"

# --- The demo provider -------------------------------------------------------

say "starting the demo provider ($demo)"
start_child "$demo" --ca-file "$work/demo-ca.pem" >"$work/demo.out" 2>"$work/demo.out.err"
demo_pid=$last_child
wait_for_lines "$work/demo.out" '^[a-z0-9]+://' 7 "$demo_pid" "$demo"
mapfile -t urls < <(grep -E '^[a-z0-9]+://' "$work/demo.out" | head -7)
say "endpoints: ${urls[*]}"

# --- Ours --------------------------------------------------------------------

ours_status=0
run_child timeout 120 "$ours" --check "${urls[@]}" --json >"$work/ours.json" 2>"$work/ours.err" || ours_status=$?
if [[ $ours_status -ge 2 ]] || ! jq -e '.endpoints | length == 7' "$work/ours.json" >/dev/null 2>&1; then
  die "mail-tls-check --check failed (exit $ours_status): $(head -c 2000 "$work/ours.err")"
fi
say "timing mail-tls-check --check over the seven ($runs runs)"
time_runs ours "$runs" "$ours" --check "${urls[@]}" --json
t_ours=$t_median t_ours_min=$t_min t_ours_max=$t_max

# --- Politeness: connections as the servers see them --------------------------

say "counting connections on the servers' side (a demo provider of its own, one check)"
start_child "$demo" --stats "$work/demo-stats.txt" >"$work/demo-count.out" 2>"$work/demo-count.out.err"
count_pid=$last_child
wait_for_lines "$work/demo-count.out" '^[a-z0-9]+://' 7 "$count_pid" "$demo"
mapfile -t count_urls < <(grep -E '^[a-z0-9]+://' "$work/demo-count.out" | head -7)
run_child timeout 120 "$ours" --check "${count_urls[@]}" --json >/dev/null 2>&1 || true
stop_child "$count_pid"
max_at_once=$(awk '!/^#/ && $2 > m { m = $2 } END { print m + 0 }' "$work/demo-stats.txt")
n_accepted=$(awk '!/^#/ { n = $3 } END { print n + 0 }' "$work/demo-stats.txt")

# --- sslscan -----------------------------------------------------------------

mkdir -p "$work/sslscan" "$work/testssl"
{
  echo '#!/bin/sh'
  for i in "${!urls[@]}"; do
    case $(scheme_of "${urls[$i]}") in
      smtp) flag=--starttls-smtp ;;
      imap) flag=--starttls-imap ;;
      pop3) flag=--starttls-pop3 ;;
      *) flag= ;;
    esac
    echo "timeout 120 sslscan --no-colour $flag $(host_port "${urls[$i]}") >'$work/sslscan/$i.txt' 2>&1"
  done
} >"$work/sslscan-all.sh"
chmod +x "$work/sslscan-all.sh"
say "timing sslscan over the seven, one after the other ($sslscan_runs runs)"
time_runs sslscan "$sslscan_runs" "$work/sslscan-all.sh"
t_sslscan=$t_median t_sslscan_min=$t_min t_sslscan_max=$t_max

# --- testssl.sh ----------------------------------------------------------------

{
  echo '#!/bin/sh'
  for i in "${!urls[@]}"; do
    case $(scheme_of "${urls[$i]}") in
      smtp | imap | pop3) flag="-t $(scheme_of "${urls[$i]}")" ;;
      *) flag= ;;
    esac
    echo "timeout 600 testssl --warnings batch --quiet --color 0 --nodns none -p $flag $(host_port "${urls[$i]}")" \
         ">'$work/testssl/$i.txt' 2>&1"
  done
} >"$work/testssl-all.sh"
chmod +x "$work/testssl-all.sh"
say "timing testssl -p over the seven, one after the other ($testssl_runs runs, about 40 s each)"
time_runs testssl "$testssl_runs" "$work/testssl-all.sh"
t_testssl=$t_median t_testssl_min=$t_min t_testssl_max=$t_max

# --- Through the delaying proxy --------------------------------------------------

proxy_args=(--delay-ms "$delay_ms")
for url in "${urls[@]}"; do
  proxy_args+=(--listen 127.0.0.1:0 --to "$(host_port "$url")")
done
say "starting $proxy ${proxy_args[*]}"
start_child "$proxy" "${proxy_args[@]}" >"$work/proxy.out" 2>"$work/proxy.out.err"
proxy_pid=$last_child
wait_for_lines "$work/proxy.out" ' -> ' 7 "$proxy_pid" "$proxy"
mapfile -t proxy_lines < <(grep -E ' -> ' "$work/proxy.out")
proxied_urls=()
for i in "${!urls[@]}"; do
  read -r listen _ to <<<"${proxy_lines[$i]}"
  [[ $to == "$(host_port "${urls[$i]}")" ]] || die "proxy line '${proxy_lines[$i]}' does not match ${urls[$i]}"
  proxied_urls+=("$(scheme_of "${urls[$i]}")://$listen")
done

rtt=$(calc "2 * $delay_ms / 1000")
run_child timeout 120 "$ours" --check "${proxied_urls[@]}" --json \
  >"$work/ours-proxied.json" 2>"$work/ours-proxied.err" || true
say "timing mail-tls-check through the proxy ($runs runs, round trip $rtt s)"
time_runs ours-proxied "$runs" "$ours" --check "${proxied_urls[@]}" --json
t_proxied=$t_median t_proxied_min=$t_min t_proxied_max=$t_max

t_sslscan_proxied=
if [[ $sslscan_via_proxy == 1 ]]; then
  case $(scheme_of "${proxied_urls[0]}") in
    smtp) flag=(--starttls-smtp) ;;
    imap) flag=(--starttls-imap) ;;
    pop3) flag=(--starttls-pop3) ;;
    *) flag=() ;;
  esac
  say "timing sslscan once through the proxy on ${proxied_urls[0]}"
  t0=$(now)
  run_child timeout 900 sslscan --no-colour "${flag[@]}" "$(host_port "${proxied_urls[0]}")" \
    >"$work/sslscan-proxied.txt" 2>&1 || true
  t1=$(now)
  t_sslscan_proxied=$(calc "$t1 - $t0")
fi
stop_child "$proxy_pid"

# --- Peak RSS -------------------------------------------------------------------

say "measuring peak RSS of mail-tls-check (3 runs)"
rss_kib=0
for i in 1 2 3; do
  /usr/bin/time -f %M -o "$work/rss.$i" "$ours" --check "${urls[@]}" --json >/dev/null 2>&1 || true
  r=$(tail -1 "$work/rss.$i")
  [[ $r =~ ^[0-9]+$ ]] || die "/usr/bin/time gave no RSS: $(cat "$work/rss.$i")"
  if ((r > rss_kib)); then
    rss_kib=$r
  fi
done
stop_child "$demo_pid"

# --- Report ---------------------------------------------------------------------

verdict ()
{
  if [[ $(calc "($1) ? 1 : 0") == 1 ]]; then echo met; else echo "NOT met"; fi
}

row ()
{
  printf '%-44s %-11s %-15s %-5s %-17s %s\n' "$@"
}

secs ()
{
  printf '%.3f s' "$1"
}

# 0.021 → "1/48"; 1.5 → "1.50" (ours slower)
ratio ()
{
  calc "($1 < 1) ? sprintf(\"1/%d\", 1 / $1 + 0.5) : sprintf(\"%.2f\", $1)"
}

range ()
{
  printf '%.3f-%.3f' "$1" "$2"
}

r_sslscan=$(calc "$t_ours / $t_sslscan")
r_testssl=$(calc "$t_ours / $t_testssl")
n_rtt=$(calc "$t_proxied / $rtt")
rss_mib=$(calc "$rss_kib / 1024")
strip_colour='s/\x1b\[[0-9;]*m//g'

{
  echo "Mail TLS Check benchmark, $(date '+%Y-%m-%d %H:%M'), $(uname -n), $(nproc) CPUs"
  echo "Seven endpoints of the demo provider on 127.0.0.1; the other tools run one endpoint after the other."
  echo "Timer: $timer; sslscan $(sslscan --version 2>&1 | sed "$strip_colour" | awk 'NF { print $1; exit }')" \
       "($(sslscan --version 2>&1 | sed "$strip_colour" | awk '/OpenSSL/ { print $1, $2; exit }'));" \
       "testssl.sh $(dpkg-query -W -f '${Version}' testssl.sh 2>/dev/null || echo '?')"
  echo
  row "Measurement" "Median" "Min-max (s)" "Runs" "Goal" "Result"
  row "-----------" "------" "-----------" "----" "----" "------"
  row "mail-tls-check --check, 7 endpoints" "$(secs "$t_ours")" "$(range "$t_ours_min" "$t_ours_max")" "$runs"
  row "sslscan, 7 x one endpoint" "$(secs "$t_sslscan")" "$(range "$t_sslscan_min" "$t_sslscan_max")" "$sslscan_runs"
  row "testssl -p, 7 x one endpoint" "$(secs "$t_testssl")" "$(range "$t_testssl_min" "$t_testssl_max")" "$testssl_runs"
  row "ours / sslscan" "$(ratio "$r_sslscan")" "" "" "<= 1/20" \
      "$(verdict "$r_sslscan <= 1 / 20")"
  row "ours / testssl" "$(ratio "$r_testssl")" "" "" "<= 1/200" \
      "$(verdict "$r_testssl <= 1 / 200")"
  row "ours through proxy, $(calc "$rtt * 1000") ms round trip" "$(secs "$t_proxied")" \
      "$(range "$t_proxied_min" "$t_proxied_max")" "$runs" "<= $(calc "5 * $rtt") s" "$(verdict "$n_rtt <= 5")"
  row "  the same in round trips" "$(printf '%.1f RTT' "$n_rtt")" "" "" "<= 5 RTT" "$(verdict "$n_rtt <= 5")"
  if [[ -n $t_sslscan_proxied ]]; then
    row "sslscan through proxy, ${proxied_urls[0]%%://*} only" "$(secs "$t_sslscan_proxied")" "" 1 "(for scale)"
  fi
  row "peak RSS of ours (max of 3 runs)" "$(printf '%.1f MiB' "$rss_mib")" "" 3 "<= 25 MiB" \
      "$(verdict "$rss_mib <= 25")"
  row "most connections open at once, one port" "$max_at_once" "" 1 "<= 4" "$(verdict "$max_at_once <= 4")"
  row "connections in all (servers' count)" "$n_accepted" "" 1 "<= 28" "$(verdict "$n_accepted <= 28")"
  echo
  echo "TLS versions each tool found enabled (ours: accepted; a scan that failed says so):"
  printf '%-28s %-16s %-16s %-16s %s\n' "Endpoint" "ours" "sslscan" "testssl" "ours via proxy"
  for i in "${!urls[@]}"; do
    printf '%-28s %-16s %-16s %-16s %s\n' "${urls[$i]}" \
           "$(ours_versions "$work/ours.json" "${urls[$i]}" "$i")" \
           "$(sslscan_versions "$work/sslscan/$i.txt")" \
           "$(testssl_versions "$work/testssl/$i.txt")" \
           "$(ours_versions "$work/ours-proxied.json" "${proxied_urls[$i]}" "$i")"
  done
  if [[ -n $t_sslscan_proxied ]]; then
    echo "sslscan through the proxy on ${proxied_urls[0]}: $(sslscan_versions "$work/sslscan-proxied.txt")"
  fi
  n_failed=0
  for i in "${!urls[@]}"; do
    if [[ $(sslscan_versions "$work/sslscan/$i.txt") == FAILED* ]]; then
      n_failed=$((n_failed + 1))
    fi
    if [[ $(testssl_versions "$work/testssl/$i.txt") == FAILED* ]]; then
      n_failed=$((n_failed + 1))
    fi
  done
  if ((n_failed > 0)); then
    echo "WARNING: $n_failed scans by sslscan or testssl failed (see above): their times do not measure a full scan."
  fi
  echo
  echo "mail-tls-check exited $ours_status (0: nothing wrong found; 1: a problem was diagnosed)."
  echo "The proxy delays the data of each connection, not its TCP handshake."
  echo "Outputs of every tool: $work/"
} | tee "$results"

say "written to $results"
