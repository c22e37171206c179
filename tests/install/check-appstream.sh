#!/bin/sh
# AppStream's pedantic validation of the built metainfo file: nothing but the
# notes explained in the file itself (each one listed here) may remain.
#   check-appstream.sh METAINFO_XML
set -u
file=${1:?usage: check-appstream.sh METAINFO_XML}
# The component ID keeps the case of the desktop file and the D-Bus name.
explained='cid-contains-uppercase-letter'

out=$(appstreamcli validate --pedantic --no-net "$file" 2>&1)
status=$?
echo "$out"
if [ $status -ne 0 ]; then
  echo "appstreamcli validate --pedantic failed ($status)"
  exit 1
fi
# Issue lines look like "P: ID:LINE: TAG ...".
unexplained=$(echo "$out" | grep -E '^[EWIP]: ' | grep -v -E ": ($explained)( |$)")
if [ -n "$unexplained" ]; then
  echo "not explained in the metainfo file:"
  echo "$unexplained"
  exit 1
fi
# Every screenshot caption in English and in German.
captions=$(grep -c '<caption>' "$file")
german=$(grep -c '<caption xml:lang="de">' "$file")
if [ "$captions" -eq 0 ] || [ "$captions" -ne "$german" ]; then
  echo "screenshot captions: $captions in English, $german in German"
  exit 1
fi
exit 0
