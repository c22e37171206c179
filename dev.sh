#!/usr/bin/env bash
# Mail TLS Check — the two commands of README's quick start.
#
#   ./dev.sh run    install what is missing, build, start the wizard on the
#                   built-in demo provider (without a display: print its diagnosis)
#   ./dev.sh test   install what is missing, build (also with AddressSanitizer and
#                   UndefinedBehaviorSanitizer), start the real mail servers on
#                   loopback addresses, run the whole test suite, stop the servers
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$top"

build=${MTC_BUILDDIR:-_build}
build_san=${MTC_SAN_BUILDDIR:-_build-sanitize}

# Debian packages: building, the tests' own peers and tools, the real servers.
build_packages=(meson ninja-build pkg-config gcc gettext libglib2.0-dev libglib2.0-bin glib-networking
                libgnutls28-dev libsoup-3.0-dev libjson-glib-dev libgtk-3-dev desktop-file-utils appstream ca-certificates
                adwaita-icon-theme fonts-dejavu-core)
# Exim is not installed (it conflicts with Postfix): tests/real/servers.sh fetches
# and unpacks its .debs; libidn12 is the one library of it that nothing else here brings.
test_packages=(python3 gnutls-bin sslscan postfix dovecot-imapd dovecot-pop3d nginx-light procps iproute2
               xvfb xauth dbus dbus-x11 at-spi2-core python3-dogtail python3-gi gir1.2-atspi-2.0 imagemagick
               faketime valgrind libidn12 build-essential dpkg-dev debhelper lintian xdg-utils bash-completion
               man-db evolution-data-server gir1.2-edataserver-1.2 thunderbird claws-mail)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_missing() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  # Postfix asks how to configure itself; the tests configure their own instance.
  echo "postfix postfix/main_mailer_type select No configuration" | "${sudo[@]}" debconf-set-selections
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

configure() {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
}

build_main() {
  configure "$build"
  meson compile -C "$build"
}

cmd_run() {
  install_missing "${build_packages[@]}"
  build_main
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    say "Starting the wizard on the built-in demo provider"
  else
    say "No display: checking the built-in demo provider in the terminal"
  fi
  # meson devenv: the build's translations and settings schema (meson.add_devenv).
  exec meson devenv -C "$build" "$top/$build/src/mail-tls-check" --demo "$@"
}

summarize() {
  # One closing line for every build directory's results: "N passed, N failed, N skipped".
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
passed = failed = skipped = 0
for log in sys.argv[1:]:
    try:
        with open(log) as f:
            for line in f:
                result = json.loads(line).get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
    except FileNotFoundError:
        failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
}

cmd_test() {
  install_missing "${build_packages[@]}" "${test_packages[@]}"
  build_main
  configure "$build_san" -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
  meson compile -C "$build_san"

  # Outside the tree: the servers drop privileges and must be able to read it.
  local state=/tmp/mail-tls-check-real-servers
  say "Starting Postfix, Dovecot and nginx on loopback addresses"
  trap 'tests/real/servers.sh stop "$state" >/dev/null 2>&1 || true' EXIT
  tests/real/servers.sh start "$state"
  export MTC_REAL_SERVERS_ENV="$state/endpoints.env"

  local status=0
  say "Test suite"
  meson test -C "$build" --print-errorlogs "$@" || status=1
  say "Test suite under AddressSanitizer and UndefinedBehaviorSanitizer"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    meson test -C "$build_san" --print-errorlogs --timeout-multiplier 3 --no-suite gui "$@" \
    || status=1
  # The wizard too, without leak detection: GTK, fontconfig and the
  # accessibility bridge keep their one-time allocations until exit.
  cp "$build_san/meson-logs/testlog.json" "$build_san/meson-logs/testlog-main.json"
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    meson test -C "$build_san" --print-errorlogs --timeout-multiplier 3 --suite gui "$@" || status=1

  tests/real/servers.sh stop "$state" || true
  trap - EXIT
  summarize "$build/meson-logs/testlog.json" "$build_san/meson-logs/testlog-main.json" \
            "$build_san/meson-logs/testlog.json"
  return $status
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  *)
    echo "usage: $0 run | test" >&2
    exit 2
    ;;
esac
