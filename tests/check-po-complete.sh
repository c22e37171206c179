#!/bin/sh
# Fails when a translation lacks a string of the program or has a fuzzy one:
# the template is made afresh from po/POTFILES.in (the keywords of meson's
# "glib" preset; the knowledge base's and the provider profiles' texts through
# po/data-strings.py) and merged with po/LANG.po.
#   check-po-complete.sh SOURCE_ROOT LANG
set -eu
top=${1:?usage: check-po-complete.sh SOURCE_ROOT LANG}
lang=${2:?usage: check-po-complete.sh SOURCE_ROOT LANG}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$top"
# The data files' texts made afresh too, so that a text added to them
# counts even before po/data-strings.pot is made again.
python3 po/data-strings.py --output "$tmp/data-strings.pot"
grep -v '^#' po/POTFILES.in | grep . | sed "s|^po/data-strings.pot\$|$tmp/data-strings.pot|" > "$tmp/files"
xgettext --files-from="$tmp/files" --directory="$top" --output="$tmp/template.pot" --from-code=UTF-8 \
  --add-comments=TRANSLATORS --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format --flag=g_markup_printf_escaped:1:c-format \
  --flag=g_printerr:1:c-format --flag=g_print:1:c-format
msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/template.pot" --output-file="$tmp/merged.po"
missing=$(msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -c '^msgid "[^"]' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" | grep -c '^msgid "[^"]' || true)
if [ "$missing" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
  echo "po/$lang.po: $missing untranslated and $fuzzy fuzzy strings:"
  msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep '^msgid' | head -20
  msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" | grep '^msgid' | head -20
  exit 1
fi
echo "po/$lang.po translates every string of the program"
