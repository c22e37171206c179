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
# What a software centre needs from it: the launcher, what it provides (the
# command and the link scheme of the desktop file), a content rating, and a
# release with its date and notes.
for pattern in '<launchable type="desktop-id">io.github.mailtlscheck.MailTlsCheck.desktop</launchable>' \
               '<binary>mail-tls-check</binary>' \
               '<mediatype>x-scheme-handler/mail-tls-check</mediatype>' \
               '<content_rating type="oars-1.1"' \
               '<release version="[^"]*" date="[0-9]{4}-[0-9]{2}-[0-9]{2}">'; do
  if ! grep -q -E "$pattern" "$file"; then
    echo "missing: $pattern"
    exit 1
  fi
done
if ! sed -n '/<release /,/<\/release>/p' "$file" | grep -q '<p>'; then
  echo "the release has no notes"
  exit 1
fi
exit 0
