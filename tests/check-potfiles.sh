#!/bin/sh
# Fails when a source file with translatable text is missing from po/POTFILES.in,
# or when POTFILES.in lists a file that does not exist; when po/data-strings.pot
# (the texts of the knowledge base and the provider profiles) is not what
# po/data-strings.py makes of them, or one of those files carries a Key[xx]=.
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
# The data files: English only, their texts listed for the template by
# po/data-strings.py (the program translates them through the catalogue).
for f in data/mail-tls-check.knowledge data/providers/*.provider; do
  if grep -nE '^[A-Za-z0-9-]+\[[^]]*\][[:space:]]*=' "$f"; then
    echo "$f carries translations of its own: they belong in po/*.po (HACKING.md, \"A language\")"
    status=1
  fi
done
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT INT TERM
python3 po/data-strings.py --output "$tmp"
if ! cmp -s "$tmp" po/data-strings.pot; then
  echo "po/data-strings.pot is out of date: run python3 po/data-strings.py"
  diff -u po/data-strings.pot "$tmp" | head -20
  status=1
fi
if ! grep -qxF po/data-strings.pot po/POTFILES.in; then
  echo "not listed in po/POTFILES.in: po/data-strings.pot"
  status=1
fi
[ $status -eq 0 ] && echo "po/POTFILES.in lists every file with translatable text, po/data-strings.pot is up to date"
exit $status
