#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The terminal report in the pseudo-language (issue 13, item 3): the
template regenerated from the sources, its pseudo-translation
(i18n/pseudo_po.py, code "qps") msgfmt --check'ed into a temporary locale
folder, and the report of several checks read in it.  Every word outside the
markers ⟦…⟧ that is not data (pseudo_po.ALLOWED_UNMARKED, and what a server
said or a certificate is called, after their labels) fails the test and is
listed with its line.

The checks: the demo provider; the demo for Apple Mail on OS X 10.11 (client
too old), as text and as JSON; a server that does not answer (this computer
cannot reach the provider); every misbehaving test server (mtc-demo-servers
--misbehave); a usage error; and --lang qps, which names the language itself.

Usage: test-pseudo-cli.py MAIL_TLS_CHECK MTC_DEMO_SERVERS BUILDDIR"""

import json
import os
import re
import select
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "i18n"))

from pseudo_po import CODE, OPEN, make_catalogue, pseudo, untranslated  # noqa: E402
from tap import check, finish  # noqa: E402

CLI, DEMO, BUILDDIR = sys.argv[1:4]

# Labels whose values are a server's or a certificate's own words, over one
# or more lines (src/core/report/mtc-report.c).
DATA_LABELS = [pseudo(label) for label in ("Server said:", "Certificate:", "Issued by:")]


def without_data(text):
    """@text with the values of DATA_LABELS blanked."""
    lines = text.splitlines()
    inside = False
    for i, line in enumerate(lines):
        label = next((lab for lab in DATA_LABELS if lab in line), None)
        if label is not None:
            head = line[:line.index(label) + len(label)]
            lines[i] = head + " " * (len(line) - len(head))
            inside = True
        elif inside and line.strip() and not line.strip().startswith(OPEN):
            lines[i] = ""
        else:
            inside = False
    return "\n".join(lines)


def words_outside(text):
    return untranslated(without_data(text))


def described(found, limit=40):
    return "\n".join(f"line {n}: {line!r} — unmarked: {' '.join(words)}" for n, line, words in found[:limit]) + \
        (f"\n… and {len(found) - limit} more lines" if len(found) > limit else "")


def run(*args, lang_env=True, localedir):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LANG", "LC_MESSAGES")}
    env.update({"MTC_LOCALEDIR": localedir, "LC_ALL": "C.UTF-8"})
    if lang_env:
        env["LANGUAGE"] = CODE
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=120)


def report_case(name, p, expect_status=(0, 1)):
    check(f"{name}: the report is printed", p.returncode in expect_status and len(p.stdout.splitlines()) > 5,
          f"exit {p.returncode}\n{p.stdout[:300]}\n{p.stderr[:300]}")
    check(f"{name}: the report is in the pseudo-language", p.stdout.count(OPEN) > 20, p.stdout[:300])
    found = words_outside(p.stdout)
    check(f"{name}: every word of the report is translated ({len(found)} lines with words that are not)",
          not found, described(found))
    found = words_outside(p.stderr)
    check(f"{name}: … and of what it says on stderr", not found, described(found))


with tempfile.TemporaryDirectory(prefix="mtc-pseudo-") as localedir:
    try:
        count, po = make_catalogue(BUILDDIR, localedir)
        built = True
    except (subprocess.CalledProcessError, RuntimeError, OSError) as e:
        built, count = False, 0
        check("the pseudo catalogue", False, f"{e}\n{getattr(e, 'stderr', '')}")
    if built:
        check(f"the pseudo catalogue: {count} messages from the template, msgfmt --check accepts it", count > 100)

        report_case("the demo", run("--check", "--demo", localedir=localedir))

        too_old = ("--check", "--demo", "--client", "apple-mail", "--system", "macos-10.11")
        report_case("the demo for Apple Mail on OS X 10.11", run(*too_old, localedir=localedir))
        p = run(*too_old, "--json", localedir=localedir)
        try:
            verdict = json.loads(p.stdout)["verdict"]
            check("… its verdict is client-too-old", verdict["id"] == "client-too-old", verdict["id"])
            words = [verdict["title"], verdict["explanation"], verdict["details"]] + \
                [s.get(k) or "" for s in verdict["steps"] for k in ("title", "text")]
            found = [w for w in words if words_outside(w)]
            check("… in JSON: the verdict's title, explanation, details and every step's words translated", not found,
                  "\n".join(found))
        except (ValueError, KeyError, TypeError) as e:
            check("… as JSON", False, f"{e}: {p.stdout[:300]!r} {p.stderr[:300]!r}")

        # Port 1 on loopback: nobody listens.
        report_case("a server that does not answer", run("--check", "--client", "thunderbird", "--system", "linux",
                                                         "smtp://127.0.0.1:1", localedir=localedir))

        ca = os.path.join(localedir, "ca.pem")
        demo = subprocess.Popen([DEMO, "--misbehave", "--ca-file", ca], stdout=subprocess.PIPE)
        # It prints one URL a line and then serves, without closing its
        # output: the URLs are there when a second passes without more.
        data = b""
        while select.select([demo.stdout], [], [], 1 if data else 10)[0]:
            chunk = os.read(demo.stdout.fileno(), 65536)
            if not chunk:
                break
            data += chunk
        urls = [u for u in data.decode().split() if "://" in u]
        try:
            p = run("--check", "--timeout", "3", "--ca-file", ca, *urls, localedir=localedir)
            report_case(f"every misbehaving test server ({len(urls)})", p)
        finally:
            demo.terminate()
            demo.wait(timeout=10)

        p = run("--check", "--demo", "--max-connections", "9", localedir=localedir)
        found = words_outside(p.stderr)
        check("a usage error: said in the pseudo-language", p.returncode == 2 and OPEN in p.stderr and not found,
              f"exit {p.returncode}\n{p.stderr}\n{described(found)}")

        # The language asked for by name, as a person would (issue 13, item 1:
        # any catalogue present is a language).
        p = run("--check", "--demo", "--lang", CODE, lang_env=False, localedir=localedir)
        check(f"--lang {CODE}: accepted", p.returncode in (0, 1) and re.search(r"\S", p.stdout), p.stderr[:300])
        report_case(f"--lang {CODE}", p)

finish()
