#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A language asked for whose catalogue cannot be found is said on stderr,
in one English line that names the folder, and the program goes on in
English; English, a language without a translation, or a catalogue that is
there, say nothing."""

import json
import os
import subprocess
import sys
import tempfile

from tap import check, finish

CLI = sys.argv[1]
CATALOGUES = os.environ["MTC_LOCALEDIR"]


def run(*args, localedir, env=None):
    full_env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LANG", "LC_ALL", "LC_MESSAGES")}
    full_env.update({"MTC_LOCALEDIR": localedir, "LC_ALL": "C.UTF-8"})
    full_env.update(env or {})
    return subprocess.run([CLI, "--check", "--demo", *args], capture_output=True, text=True, env=full_env,
                          timeout=60)


def says_missing(p, folder):
    lines = [line for line in p.stderr.splitlines() if "translations" in line]
    return len(lines) == 1 and "“de”" in lines[0] and f"not found in {folder}" in lines[0] and "English" in lines[0]


with tempfile.TemporaryDirectory() as empty:
    p = run("--lang", "de", localedir=empty)
    check("--lang de without its catalogue: one line on stderr naming the folder", says_missing(p, empty),
          p.stderr)
    check("and the report goes on in English, as usual", p.returncode == 0 and "checked in" in p.stdout,
          f"exit {p.returncode}\n{p.stdout[:300]}")

    p = run("--lang", "de", "--json", localedir=empty)
    try:
        json_ok = json.loads(p.stdout)["schema"] >= 1
    except (ValueError, KeyError, TypeError):
        json_ok = False
    check("--json stays clean on stdout", says_missing(p, empty) and json_ok, p.stdout[:200])

    p = run(localedir=empty, env={"LANGUAGE": "de"})
    check("LANGUAGE=de without its catalogue is said too", says_missing(p, empty), p.stderr)

    p = run(localedir=empty, env={"LC_ALL": "", "LANG": "de_DE.UTF-8"})
    check("LANG=de_DE.UTF-8 without its catalogue is said too", says_missing(p, empty), p.stderr)

    for name, args, env in (("--lang en", ["--lang", "en"], None),
                            ("no language asked for", [], None),
                            ("LANGUAGE=fr, a language without a translation", [], {"LANGUAGE": "fr"}),
                            ("LANGUAGE=en:de, English first", [], {"LANGUAGE": "en:de"})):
        p = run(*args, localedir=empty, env=env)
        check(f"{name}: nothing said", p.returncode == 0 and "translations" not in p.stderr, p.stderr)

p = run("--lang", "de", localedir=CATALOGUES)
check("--lang de with its catalogue: German and nothing said",
      "translations" not in p.stderr and "geprüft in" in p.stdout, f"{p.stderr}\n{p.stdout[:300]}")

finish()
