#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# bench/gui-bench.sh [BUILDDIR]
#
# The wizard's start-up and memory, under Xvfb:
#   - from launching the program to its first drawn frame (median of
#     BENCH_GUI_RUNS, default 10; goal: at most 0.3 s);
#   - peak RSS while a person walks the whole demo to the steps page
#     (the GUI test's walk, through AT-SPI; goal: at most 80 MiB).
# Prints a table and appends it to BUILDDIR/bench-results-gui.txt.
set -euo pipefail
export LC_NUMERIC=C

builddir=${1:-_build}
runs=${BENCH_GUI_RUNS:-10}
app=$builddir/src/mail-tls-check
results=$builddir/bench-results-gui.txt

[ -x "$app" ] || { echo "gui-bench.sh: build first: $app is missing" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "gui-bench.sh: Xvfb is missing (Debian package xvfb)" >&2; exit 1; }

display=80
while [ -e "/tmp/.X11-unix/X$display" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
while [ ! -e "/tmp/.X11-unix/X$display" ]; do sleep 0.1; done
export DISPLAY=":$display" GSETTINGS_BACKEND=memory MTC_LOCALEDIR="$builddir/po"
unset WAYLAND_DISPLAY

times=()
out=$(mktemp)
for _ in $(seq "$runs"); do
  start=$(date +%s%6N)
  # To a file, not a pipe: helpers the session bus starts may keep a pipe open.
  MTC_BENCH_FIRST_FRAME=1 timeout 30 dbus-run-session -- "$app" --demo >"$out" 2>/dev/null || true
  line=$(grep first-frame-realtime-us "$out" || true)
  [ -n "$line" ] || { echo "gui-bench.sh: the wizard drew no frame within 30 s" >&2; exit 1; }
  end=${line##* }
  times+=("$(( end - start ))")
done
rm -f "$out"
median_us=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
first_frame=$(awk -v us="$median_us" 'BEGIN {printf "%.3f", us / 1e6}')

rss_file=$(mktemp)
MTC_GUI_RSS_FILE=$rss_file tests/gui/run-gui-tests.sh test-wizard.py "$app" "$builddir/bench-gui-shots" >/dev/null 2>&1 || true
peak_kib=$(awk '$1 == "en" {print $2}' "$rss_file" | head -n 1)
rm -f "$rss_file"
peak_mib=$(awk -v k="${peak_kib:-0}" 'BEGIN {printf "%.1f", k / 1024}')

verdict() { awk -v v="$1" -v g="$2" 'BEGIN {print (v <= g) ? "met" : "NOT met"}'; }
{
  printf '%s\n' "Mail TLS Check wizard, $(date -u +%Y-%m-%dT%H:%MZ), $runs starts"
  printf '%-44s %-12s %-12s %s\n' "Measurement" "Value" "Goal" "Result"
  printf '%-44s %-12s %-12s %s\n' "start to first drawn frame (median)" "$first_frame s" "<= 0.3 s" \
    "$(verdict "$first_frame" 0.3)"
  printf '%-44s %-12s %-12s %s\n' "peak RSS, demo walked to the steps page" "$peak_mib MiB" "<= 80 MiB" \
    "$(verdict "$peak_mib" 80)"
} | tee -a "$results"
