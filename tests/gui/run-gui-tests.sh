#!/bin/sh
# Runs the wizard's GUI test as a person would use it: a private X server
# (Xvfb), a private D-Bus session with the accessibility bus, and dogtail
# driving the real program through AT-SPI.
#   run-gui-tests.sh SCRIPT MAIL_TLS_CHECK SCREENSHOT_DIR
# SCRIPT is one of the test-*.py beside this file.  With MTC_GUI_OFFLINE=1
# the whole run (X server, D-Bus, the accessibility bus on its abstract
# socket, the wizard) happens in a network namespace of its own with no
# network but loopback (unshare -rn): a computer without internet.
set -eu
usage="usage: run-gui-tests.sh SCRIPT MAIL_TLS_CHECK SCREENSHOT_DIR"
script=${1:?$usage}
app=${2:?$usage}
shots=${3:?$usage}
here=$(cd "$(dirname "$0")" && pwd)

for tool in Xvfb dbus-run-session import /usr/libexec/at-spi-bus-launcher; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    # TAP's own skip: under protocol 'tap' an exit status of 77 is an error.
    echo "1..0 # SKIP $tool is not installed (./dev.sh test installs it)"
    exit 0
  fi
done
if ! /usr/bin/python3 -c 'import dogtail' 2>/dev/null; then
  echo "1..0 # SKIP python3-dogtail is not installed (./dev.sh test installs it)"
  exit 0
fi

if [ "${MTC_GUI_OFFLINE:-}" = 1 ] && [ -z "${MTC_GUI_IN_NAMESPACE:-}" ]; then
  if ! unshare -rn true 2>/dev/null; then
    echo "1..0 # SKIP unshare -rn (a network namespace) is not allowed here"
    exit 0
  fi
  export MTC_GUI_IN_NAMESPACE=1
  exec unshare -rn sh -c 'ip link set lo up 2>/dev/null || true; exec "$0" "$@"' "$0" "$@"
fi

mkdir -p "$shots"
# A display number nobody uses.
display=90
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do
  display=$((display + 1))
done
Xvfb ":$display" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "${home:-/nonexistent}" 2>/dev/null || true' EXIT INT TERM
i=0
while [ ! -e "/tmp/.X11-unix/X$display" ] && [ $i -lt 50 ]; do
  sleep 0.1
  i=$((i + 1))
done

export DISPLAY=":$display"
export GTK_MODULES=gail:atk-bridge
export NO_AT_BRIDGE=0
export GTK_THEME=Adwaita
export GSETTINGS_BACKEND=memory
# An empty home: the wizard reads the mail programs' accounts from HOME, and
# must not find this machine's own (test-accounts.py gives it a fixture).
home=$(mktemp -d "${TMPDIR:-/tmp}/mtc-gui-home.XXXXXX")
export HOME="$home"
unset WAYLAND_DISPLAY
# Only the test script writes to stdout, the TAP stream (fd 3 below): the
# session bus and whatever it starts on demand (the accessibility registry,
# a keyring daemon) talk on their stdout, which goes to stderr.
exec 3>&1
dbus-run-session --config-file="$here/session-bus.conf" -- sh -c '
  /usr/libexec/at-spi-bus-launcher --launch-immediately &
  launcher=$!
  sleep 1
  /usr/bin/python3 "$0" "$1" "$2" >&3
  status=$?
  kill $launcher 2>/dev/null
  exit $status' "$here/$script" "$app" "$shots" >&2
