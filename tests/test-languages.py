#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A language is a catalogue: one the project has no po file for (French,
made here with msgfmt) is accepted by --lang, named by --help and by the
error for a language there is none of, and translates the report; codes
with a territory or a modifier (pt_BR, sr@latin, en@pseudo) and a made-up
one (x-pseudo) work the same; a catalogue without its language's name is
listed by its code, a broken one does no harm."""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from catalogues import FRENCH, add_catalogue, make_localedir  # noqa: E402
from tap import check, finish  # noqa: E402

CLI = sys.argv[1]
BUILD_LOCALEDIR = os.environ["MTC_LOCALEDIR"]
VERSION_LINE = "Report of Mail TLS Check %s"


def run(*args, localedir, env=None):
    full_env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LANG", "LC_ALL", "LC_MESSAGES")}
    full_env.update({"MTC_LOCALEDIR": localedir, "LC_ALL": "C.UTF-8"})
    full_env.update(env or {})
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=full_env, timeout=60)


def lang_help(p):
    return next((line for line in p.stdout.splitlines() if "--lang" in line), "")


with tempfile.TemporaryDirectory() as localedir:
    make_localedir(localedir, BUILD_LOCALEDIR)

    p = run("--check", "--demo", "--lang", "fr", localedir=localedir)
    check("--lang fr: accepted", p.returncode == 0, f"exit {p.returncode}\n{p.stderr}")
    check("… the report in the French given", p.stdout.startswith("Rapport de Mail TLS Check ")
          and "  " + FRENCH[(None, "Date of the check:")] in p.stdout, p.stdout[:300])
    check("… and nothing said on stderr", "translations" not in p.stderr, p.stderr)

    p = run("--check", "--demo", localedir=localedir, env={"LANGUAGE": "fr"})
    check("LANGUAGE=fr: the report in French", p.stdout.startswith("Rapport de Mail TLS Check "), p.stdout[:200])
    p = run("--check", "--demo", localedir=localedir, env={"LC_ALL": "", "LANG": "fr_FR.UTF-8"})
    check("LANG=fr_FR.UTF-8: French too (the catalogue fr serves fr_FR)",
          p.stdout.startswith("Rapport de Mail TLS Check "), p.stdout[:200])

    p = run("--check", "--demo", "--lang", "xx", localedir=localedir)
    check("--lang xx: refused as bad usage", p.returncode == 2 and p.stdout == "", f"exit {p.returncode}")
    check("… with a sentence naming de, en and fr",
          "The language “xx” is not available; use one of de, en, fr." in p.stderr, p.stderr)
    p = run("--check", "--demo", "--lang", "xx", localedir=localedir, env={"LANGUAGE": "de"})
    check("… in German for a German speaker",
          "Die Sprache „xx“ gibt es nicht; verfügbar sind de, en, fr." in p.stderr, p.stderr)
    p = run("--check", "--demo", "--lang", "../fr", localedir=localedir)
    check("--lang ../fr: refused, no path outside the catalogues", p.returncode == 2, f"exit {p.returncode}")

    p = run("--help", localedir=localedir)
    check("--help names de, en and fr", "Language of the report: de, en, fr" in lang_help(p), lang_help(p))

    p = run("--check", "--demo", "--lang", "de", localedir=localedir)
    check("--lang de still German beside it", p.stdout.startswith("Bericht von Mail-TLS-Check"), p.stdout[:200])

with tempfile.TemporaryDirectory() as empty:
    p = run("--help", localedir=empty)
    check("without catalogues --help names English only",
          lang_help(p).endswith("Language of the report: en"), lang_help(p))

# Codes of every shape gettext knows, each with a report line of its own.
CODES = {"pt_BR": "Relatório", "sr@latin": "Izveštaj", "en@pseudo": "[Ŕéƥöŕţ]", "x-pseudo": "[Xx]"}
with tempfile.TemporaryDirectory() as localedir:
    for code, word in CODES.items():
        add_catalogue(localedir, code, {(None, VERSION_LINE): word + " %s"})
    # A catalogue that is no catalogue: listed by its code, harmless.
    os.makedirs(os.path.join(localedir, "zz", "LC_MESSAGES"))
    with open(os.path.join(localedir, "zz", "LC_MESSAGES", "mail-tls-check.mo"), "wb") as broken:
        broken.write(b"\xde\x12\x04\x95" + b"\xff" * 30)

    p = run("--help", localedir=localedir)
    check("--help lists every code, those without a language name too",
          all(code in lang_help(p) for code in [*CODES, "en", "zz"]), lang_help(p))
    for code, word in CODES.items():
        p = run("--check", "--demo", "--lang", code, localedir=localedir)
        check(f"--lang {code}: its catalogue", p.returncode == 0 and p.stdout.startswith(word + " "),
              f"exit {p.returncode}\n{p.stderr}\n{p.stdout[:100]}")
        p = run("--check", "--demo", localedir=localedir, env={"LANGUAGE": code})
        check(f"LANGUAGE={code}: its catalogue", p.stdout.startswith(word + " "), p.stdout[:100])
    p = run("--check", "--demo", "--lang", "zz", localedir=localedir)
    check("--lang zz, a broken catalogue: English", p.returncode == 0
          and p.stdout.startswith("Report of Mail TLS Check "), f"exit {p.returncode}\n{p.stderr}")

finish()
