#!/bin/sh
# The real-server tests, on the Postfix, Dovecot, nginx and Exim servers that
# ./dev.sh test starts (tests/real/servers.sh): our version matrix against
# sslscan's, and the verdicts for the help article's cases.
# Skipped (exit 77) when they are not running.
set -eu
cli=${1:?usage: run-real-tests.sh MAIL_TLS_CHECK}
here=$(cd "$(dirname "$0")" && pwd)
env_file=${MTC_REAL_SERVERS_ENV:-}
if [ -z "$env_file" ] || [ ! -f "$env_file" ]; then
  echo "The real servers are not running (MTC_REAL_SERVERS_ENV unset): start them with tests/real/servers.sh, or run ./dev.sh test."
  exit 77
fi
state=$(dirname "$env_file")
if ! "$here/servers.sh" status "$state" >/dev/null 2>&1; then
  echo "The real servers described in $env_file are not all up."
  exit 1
fi
status=0
/usr/bin/python3 "$here/compare-sslscan.py" --cli "$cli" --env "$env_file" || status=1
/usr/bin/python3 "$here/test-verdicts.py" --cli "$cli" --env "$env_file" || status=1
exit $status
