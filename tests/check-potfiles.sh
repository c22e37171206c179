#!/bin/sh
# Fails when a source file with translatable text is missing from po/POTFILES.in,
# or when POTFILES.in lists a file that does not exist.
set -eu
top=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$top"
status=0
for f in $(grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext)[[:space:]]*\(|translatable="yes"' \
             --include='*.c' --include='*.ui' --include='*.in' --include='*.xml' src data 2>/dev/null | sort); do
  if ! grep -qxF "$f" po/POTFILES.in; then
    echo "not listed in po/POTFILES.in: $f"
    status=1
  fi
done
while read -r f; do
  case "$f" in ''|'#'*) continue ;; esac
  if [ ! -f "$f" ]; then
    echo "listed in po/POTFILES.in but missing: $f"
    status=1
  fi
done < po/POTFILES.in
[ $status -eq 0 ] && echo "po/POTFILES.in lists every file with translatable text"
exit $status
