#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The knowledge base and the provider profiles speak the report's language
through the program's catalogue, read when the program runs: the report
under --lang de shows a source's title and a mail program's note as po/de.po
has them; a copy of the catalogue that lacks the title (built into a
temporary MTC_LOCALEDIR, no rebuild of the program) gives the English title
and keeps the German note; a profile's own Name[de]= wins over the catalogue.
Certificate dates are written in the report's language (JSON: ISO 8601).

Usage: test-data-lang.py MAIL_TLS_CHECK
"""

import json
import os
import re
import subprocess
import sys
import tempfile

from tap import check, finish

CLI = sys.argv[1]
CATALOGUES = os.environ["MTC_LOCALEDIR"]
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
DE_PO = os.path.join(SRCDIR, "..", "po", "de.po")

TITLE_EN = "Apple bug report 22758677: Mail uses only TLS 1.0 for IMAP, POP and SMTP (openradar mirror)"
TITLE_DE = "Apple-Fehlerbericht 22758677: Mail nutzt für IMAP, POP und SMTP nur TLS 1.0"
NOTE_EN = "Mail on OS X 10.6.8 to 10.11 uses only TLS 1.0 for IMAP, POP and SMTP"
NOTE_DE = "Mail unter OS X 10.6.8 bis 10.11 verwendet für IMAP, POP und SMTP nur TLS"


def run(*args, localedir):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LANG", "LC_ALL", "LC_MESSAGES")}
    env.update({"MTC_LOCALEDIR": localedir, "LC_ALL": "C.UTF-8"})
    return subprocess.run([CLI, "--check", "--demo", "--client", "apple-mail", "--system", "macos-10.11", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def details(p):
    """The verdict's details from --json: the text wraps no lines there."""
    try:
        return json.loads(p.stdout)["verdict"]["details"]
    except (ValueError, KeyError) as e:
        return f"{e}: {p.stdout[:300]!r} {p.stderr[:300]!r}"


p = run("--lang", "de", "--json", localedir=CATALOGUES)
text = details(p)
check("--lang de: a source's title from de.po", TITLE_DE in text and TITLE_EN not in text, text)
check("--lang de: Apple Mail's note from de.po", NOTE_DE in text and NOTE_EN not in text, text)
p = run("--lang", "de", localedir=CATALOGUES)
check("--lang de, the text report: the German title", "Apple-Fehlerbericht 22758677" in p.stdout, p.stdout)

p = run("--lang", "en", "--json", localedir=CATALOGUES)
text = details(p)
check("--lang en: the English title and note of the knowledge file", TITLE_EN in text and NOTE_EN in text, text)

# Certificate dates in the report's language, month names from the catalogue
# although LC_TIME stays C.UTF-8; the JSON keeps ISO 8601 (a contract).
MONTHS_DE = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
p = run("--lang", "de", localedir=CATALOGUES)
check("--lang de: a certificate's date in German words",
      re.search(r"^ *Gültig bis: +\d{1,2}\. (" + MONTHS_DE + r") \d{4}$", p.stdout, re.M), p.stdout)
p = run("--lang", "en", localedir=CATALOGUES)
check("--lang en: a certificate's date in English words",
      re.search(r"^ *Valid until: +(" + MONTHS_EN + r") \d{1,2}, \d{4}$", p.stdout, re.M), p.stdout)
p = run("--lang", "de", "--json", localedir=CATALOGUES)
check("--lang de --json: the certificate's date stays ISO 8601",
      re.search(r'"not_after" : "\d{4}-\d{2}-\d{2}T', p.stdout), p.stdout[:500])

with tempfile.TemporaryDirectory() as tmp:
    # de.po without the source's title, built into a catalogue of its own.
    with open(DE_PO, encoding="utf-8") as f:
        po = f.read()
    entry = re.compile(r'^msgid "' + re.escape(TITLE_EN) + r'"\nmsgstr ".*"\n', re.M)
    check("de.po translates the title once", len(entry.findall(po)) == 1, TITLE_EN)
    folder = os.path.join(tmp, "de", "LC_MESSAGES")
    os.makedirs(folder)
    with open(os.path.join(tmp, "de.po"), "w", encoding="utf-8") as f:
        f.write(entry.sub("", po))
    subprocess.run(["msgfmt", "-o", os.path.join(folder, "mail-tls-check.mo"), os.path.join(tmp, "de.po")],
                   check=True)
    p = run("--lang", "de", "--json", localedir=tmp)
    text = details(p)
    check("a catalogue lacking the title: that title in English", TITLE_EN in text and TITLE_DE not in text, text)
    check("… and the note still in German, from the same catalogue", NOTE_DE in text, text)

    # A profile that brings its own German name keeps it; one without takes
    # the catalogue's (the demo provider's name is in de.po).
    for own, expected in (("Name[de]=Mein Demo-Anbieter\n", "Mein Demo-Anbieter"), ("", "Demo-Anbieter")):
        profile = os.path.join(tmp, "own.provider")
        with open(profile, "w", encoding="utf-8") as f:
            f.write("[Provider]\nId=own\nName=Demo provider\n" + own
                    + "Domains=own.mail-tls-check.invalid\n\n[Server mail]\nUrls=smtps://127.0.0.1:1\n")
        p = subprocess.run([CLI, "--check", "--provider", profile, "--lang", "de", "--json"], capture_output=True,
                           text=True, timeout=60, env={**os.environ, "MTC_LOCALEDIR": CATALOGUES, "LC_ALL": "C.UTF-8"})
        check(f"a profile {'with' if own else 'without'} its own Name[de]=: {expected}",
              f"Support von {expected};" in p.stdout, p.stdout[-1500:] + p.stderr)

finish()
