#!/usr/bin/env bash
# Runs the libFuzzer targets one after the other, each for SECONDS (default
# 600), at the lowest priority, and keeps every crash as a regression input.
#
#   tests/fuzz/run-fuzzers.sh [SECONDS] [TARGET…]
#
# TARGET is a directory name under tests/fuzz/corpus (smtp-reply, target, …);
# without any, every target runs.  The fuzz build (clang, libFuzzer, ASan,
# UBSan) is set up in $MTC_FUZZ_BUILDDIR (default _build-fuzz) when missing.
# New interesting inputs go to BUILDDIR/fuzz-work/TARGET/corpus (the seed
# corpus in the tree stays small); crashes, leaks, timeouts and out-of-memory
# inputs are copied to tests/fuzz/regressions/TARGET/, where the fuzz-corpus
# test suite runs them from then on.  Exit status 1 when anything was found.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fuzz=$top/tests/fuzz
build=${MTC_FUZZ_BUILDDIR:-$top/_build-fuzz}
rss_mb=${MTC_FUZZ_RSS_MB:-2048}
seconds=600
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for dir in "$fuzz"/corpus/*/; do
    targets+=("$(basename "$dir")")
  done
fi

# Longest input per target: above each parser's own bounds, so that they are
# reached, and no shorter than the largest seed.
max_len() {
  case $1 in
    *-reply) echo 20000 ;;
    target | link | address) echo 4096 ;;
    knowledge | provider) echo 65536 ;;
    autoconfig | prefs-js) echo 32768 ;;
    *) echo 8192 ;;
  esac
}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if [ ! -f "$build/build.ninja" ]; then
  say "Setting up the fuzz build in $build"
  CC=clang meson setup "$build" -Dfuzzing=true -Db_lundef=false -Dreal_server_tests=false >/dev/null
fi
exes=()
for t in "${targets[@]}"; do
  exes+=("tests/fuzz/fuzz-$t")
done
say "Building ${exes[*]}"
nice -n 19 ninja -C "$build" "${exes[@]}" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

found=0
summary=()
for t in "${targets[@]}"; do
  work=$build/fuzz-work/$t
  regressions=$fuzz/regressions/$t
  mkdir -p "$work/corpus" "$work/artifacts"
  log=$work/fuzz.log
  : >"$log"
  dict=()
  [ -f "$fuzz/dict/$t.dict" ] && dict=(-dict="$fuzz/dict/$t.dict")
  corpora=("$work/corpus" "$fuzz/corpus/$t")
  [ -d "$regressions" ] && corpora+=("$regressions")

  say "Fuzzing $t for $seconds s (log: $log)"
  start=$(date +%s)
  runs=0
  restarts=0
  # libFuzzer stops at the first crash: save it and go on for the rest of
  # the time (a few times at most, in case the same crash keeps coming).
  while :; do
    elapsed=$(($(date +%s) - start))
    left=$((seconds - elapsed))
    [ $left -gt 0 ] || break
    status=0
    nice -n 19 "$build/tests/fuzz/fuzz-$t" -max_total_time=$left -rss_limit_mb="$rss_mb" -timeout=10 \
      -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="$work/artifacts/" "${dict[@]}" \
      "${corpora[@]}" >"$work/last.log" 2>&1 || status=$?
    cat "$work/last.log" >>"$log"
    n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/last.log" | tail -1 | grep -o '[0-9]*$' || true)
    runs=$((runs + ${n:-0}))
    [ $status -eq 0 ] && break
    restarts=$((restarts + 1))
    [ $restarts -lt 5 ] || break
  done
  new=0
  for artifact in "$work"/artifacts/{crash,leak,timeout,oom}-*; do
    [ -e "$artifact" ] || continue
    mkdir -p "$regressions"
    if [ ! -e "$regressions/$(basename "$artifact")" ]; then
      cp "$artifact" "$regressions/"
      new=$((new + 1))
    fi
  done
  [ $new -eq 0 ] || found=1
  took=$(($(date +%s) - start))
  line="$t: $runs runs in $took s, $(ls "$work/corpus" | wc -l) corpus inputs, $new new regression inputs"
  say "$line"
  grep -E '^(Done [0-9]+ runs|stat::)' "$log" | tail -8 >&2 || true
  summary+=("$line")
done

say "Summary"
printf '%s\n' "${summary[@]}"
exit $found
