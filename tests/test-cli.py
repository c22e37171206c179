#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line as scripts and support staff use it: exit statuses,
messages for bad input, the JSON contract, and the German report."""

import json
import os
import re
import socket
import subprocess
import sys

CLI = sys.argv[1]
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
results = []


def run(*args, env=None, timeout=60):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=full_env, timeout=timeout)


def check(name, condition, info=""):
    results.append((name, bool(condition), info))


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# Bad input of every kind: exit 2 and a sentence that names the problem.
bad = [
    (["--check", "alice@"], "domain after the “@” is missing"),
    (["--check", "@@"], "more than once"),
    (["--check", "@example.net"], "name before the “@” is missing"),
    (["--check", "a" * 3000 + "@example.net"], "too long"),
    (["--check", "alice @example.net"], "space"),
    (["--check", "alice\x01@example.net"], "control characters"),
    (["--check", "alice@localhost"], "has a dot"),
    (["--check", "mail-tls-check:?provider=nope"], "does not know the provider “nope”"),
    (["--check", "mail-tls-check:provider=demo"], "mail-tls-check:?provider=ID"),
    (["--check", "mail-tls-check:?provider=demo&provider=demo"], "more than once"),
    (["--check", "mail-tls-check:?email=%ZZ"], "hexadecimal"),
    (["--check", "mail-tls-check:?email=alice"], "“@” is missing"),
    (["--provider", "nope"], "does not know the provider"),
    (["--provider", "/nonexistent/x.provider"], "/nonexistent/x.provider"),
    (["--provider", os.path.join(SRCDIR, "test-cli.py")], "test-cli.py"),
    (["--check", "imap://:143"], "no server name"),
    (["--check", "smtp://bad host:99999"], "space"),
    (["--check", "smtp://mail.example.net:99999"], "65535"),
    (["--check", "smtp://mail.example.net:0"], "65535"),
    (["--check", "ftp://mail.example.net"], "ftp"),
    (["--check", "smtp://mail.example.net", "--timeout", "0"], "timeout"),
    (["--check", "smtp://mail.example.net", "--timeout", "soon"], "timeout"),
    (["--check", "--demo", "--lang", "fr"], "fr"),
    (["--check"], "Say what to check"),
    (["--no-such-option"], "no-such-option"),
]
for args, expect in bad:
    p = run(*args)
    name = "bad input " + " ".join(a if len(a) < 40 else a[:20] + "…" for a in args)
    check(name, p.returncode == 2 and expect in p.stderr and "Traceback" not in p.stderr
          and p.stdout == "", f"exit {p.returncode}, stderr: {p.stderr.strip()!r}")

# The demo provider as JSON: the contract of README.md, "JSON".
p = run("--check", "--demo", "--json")
try:
    doc = json.loads(p.stdout)
except ValueError as e:
    doc = None
    check("demo json parses", False, f"{e}: {p.stdout[:200]!r}")
if doc is not None:
    check("demo exit status 0", p.returncode == 0, f"exit {p.returncode}")
    check("json schema 2", doc.get("schema") == 2)
    check("json elapsed_ms", isinstance(doc.get("elapsed_ms"), int))
    local = doc.get("local", {})
    check("json local", local.get("tls_library", "").startswith("GnuTLS ")
          and set(local.get("versions_available", [])) <= {"1.0", "1.1", "1.2", "1.3"})
    eps = doc.get("endpoints", [])
    check("json seven demo endpoints", [e["url"].split(":")[0] for e in eps]
          == ["smtp", "smtps", "imap", "imaps", "pop3", "pop3s", "https"], [e.get("url") for e in eps])
    for e in eps:
        check(f"json {e['url']} ok, 1.2+ only",
              e["status"] == "ok"
              and e["versions"] == {"1.0": "rejected", "1.1": "rejected", "1.2": "accepted", "1.3": "accepted"}
              and e["negotiated"]["version"] == "1.3" and e["negotiated"]["cipher"]
              and e["address"] == "127.0.0.1"
              and e["certificate"]["errors"] == []
              and "Demo CA" in e["certificate"]["issuer"]
              and isinstance(e["elapsed_ms"], int), json.dumps(e)[:300])

# A closed port: a problem, exit 1, status refused.
port = closed_port()
p = run("--check", f"smtp://127.0.0.1:{port}", "--json", "--timeout", "3")
try:
    e = json.loads(p.stdout)["endpoints"][0]
    check("closed port: exit 1, refused", p.returncode == 1 and e["status"] == "refused" and e["detail"],
          f"exit {p.returncode} {e}")
except (ValueError, KeyError, IndexError) as err:
    check("closed port: exit 1, refused", False, f"{err}: {p.stdout[:200]!r}")

# This computer's own policy forbids TLS 1.0/1.1: "not tested", never a server fact.
p = run("--check", "--demo", "--json",
        env={"GNUTLS_SYSTEM_PRIORITY_FILE": os.path.join(SRCDIR, "data", "gnutls-no-legacy.config")})
try:
    doc = json.loads(p.stdout)
    check("local policy: versions_available", doc["local"]["versions_available"] == ["1.2", "1.3"],
          doc["local"])
    check("local policy: not-tested", all(e["versions"]["1.0"] == "not-tested" and e["versions"]["1.1"] ==
                                          "not-tested" and e["versions"]["1.2"] == "accepted"
                                          for e in doc["endpoints"]))
except (ValueError, KeyError) as err:
    check("local policy", False, f"{err}: {p.stdout[:200]!r}")

# The text report, in English and in German.
p = run("--check", "--demo", "--lang", "en")
check("text report english", p.returncode == 0 and "Webmail" in p.stdout and "TLS 1.2" in p.stdout
      and "checked in" in p.stdout, p.stdout[:300])
p = run("--check", "--demo", "--lang", "de")
check("text report german", p.returncode == 0 and "geprüft in" in p.stdout and "E-Mails empfangen" in p.stdout
      and "checked in" not in p.stdout, p.stdout[:300])
p = run("--check", "smtp://mail.example.net:99999", "--lang", "de")
check("german error message", p.returncode == 2 and "zwischen 1 und 65535" in p.stderr, p.stderr)
p = run("--check", "--demo", env={"LANGUAGE": "de", "LANG": "de_DE.UTF-8"})
check("language from the environment", "geprüft in" in p.stdout, p.stdout[:200])

# A provider by ID, as a support link, and by the domain of an address: the
# demo provider's seven servers each time.
for args in (["--check", "demo"], ["--check", "mail-tls-check:?provider=demo&email=alice%40example.net"],
             ["--provider", "demo"], ["--check", "alice@demo.mail-tls-check.invalid"]):
    p = run(*args, "--json")
    try:
        eps = json.loads(p.stdout)["endpoints"]
        check("demo provider via " + " ".join(args), p.returncode == 0 and len(eps) == 7
              and all(e["status"] == "ok" and e["source"] == "demo" for e in eps), f"exit {p.returncode} {p.stderr}")
    except (ValueError, KeyError) as err:
        check("demo provider via " + " ".join(args), False, f"{err}: {p.stdout[:200]!r} {p.stderr!r}")

# The report for support (issue 12, item 9): who, when, which version, which
# program and system; lines webmail does not break; the help article once.
HELP_URL = "http://hilfe.macbay.de/v3-email-versandprobleme-mit-aelteren-macos/"
VERSION = run("--version").stdout.split()[-1]


def long_lines(text):
    """Lines over 76 characters, but for a single web address (it cannot be broken)."""
    return [line for line in text.splitlines()
            if len(line) > 76 and not (" " not in line.strip() and "://" in line)]


def report_checks(lang, text, words):
    check(f"report {lang}: lines of at most 76 characters", not long_lines(text), "\n".join(long_lines(text)))
    flat = re.sub(r"\n {3,}", " ", text)  # the words as read, wherever a line was broken
    for what, word in words.items():
        check(f"report {lang}: {what}", word in text or word in flat, f"{word!r} not in:\n{text[:1500]}")


hosts = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"mtc-test-cli-hosts-{os.getpid()}")
with open(hosts, "w") as f:
    f.write("127.0.0.1 cube.macbay.net\n")
try:
    link = "mail-tls-check:?provider=macbay-v3&email=oma.schmidt%40gmx.de"
    for lang, words in (
            ("en", {"title and version": f"Report of Mail TLS Check {VERSION}\n",
                    "date": "  Date of the check:",
                    "address": "  E-mail address:    oma.schmidt@gmx.de\n",
                    "program and system": "  Mail program:      Apple Mail on OS X 10.11 El Capitan, on another",
                    "checked from this computer": "  Checked from:      a computer with ",
                    "servers": "  Servers:           7 checked in ",
                    "support: no published address": "macbay (v3 platform) has published no support address",
                    "support: privacy": "the only personal detail in it is your e-mail address",
                    "support: sending without the mail program": "If your mail program cannot send"}),
            ("de", {"title and version": f"Bericht von Mail-TLS-Check {VERSION}\n",
                    "date": "  Geprüft am:      ",
                    "address": "  E-Mail-Adresse:  oma.schmidt@gmx.de\n",
                    "program and system": "  E-Mail-Programm: Apple Mail unter OS X 10.11 El Capitan, auf einem",
                    "checked from this computer": "  Geprüft von:     einem Computer mit ",
                    "servers": "  Server:          7 geprüft in ",
                    "support: no published address": "macbay (Plattform v3) hat keine Support-Adresse",
                    "support: privacy": "die einzige persönliche Angabe darin ist Ihre E-Mail-Adresse",
                    "support: sending without the mail program": "Wenn Ihr E-Mail-Programm nicht senden kann"})):
        p = run("--check", link, "--client", "apple-mail", "--system", "macos-10.11", "--lang", lang,
                "--timeout", "3", env={"MTC_HOSTS_FILE": hosts})
        report_checks(lang, p.stdout, words)
        check(f"report {lang}: the help article's address once, in the header",
              p.stdout.count(HELP_URL) == 1 and p.stdout.index(HELP_URL) < p.stdout.index("\n\n"),
              p.stdout.count(HELP_URL))
        check(f"report {lang}: nothing of the old wording",
              "This computer:" not in p.stdout and "Dieser Computer:" not in p.stdout
              and " 0.0 " not in p.stdout, p.stdout[:600])
    p = run("--check", link, "--client", "apple-mail", "--system", "macos-10.11", "--json", "--timeout", "3",
            env={"MTC_HOSTS_FILE": hosts})
    try:
        doc = json.loads(p.stdout)
        check("json: schema 2 with the report's new members",
              doc["schema"] == 2 and doc["program_version"] == VERSION and doc["checked_at"].startswith("20")
              and doc["user"] == {"email_address": "oma.schmidt@gmx.de", "client": "apple-mail",
                                  "system": "macos-10.11", "this_computer": False}
              and doc["help_url"] == HELP_URL, json.dumps({k: doc.get(k) for k in (
                  "program_version", "checked_at", "user", "help_url")}))
        support = [s for s in doc["verdict"]["steps"] if s["id"] == "support"][0]
        check("json: the support step points nowhere near the help article",
              support["url"] is None and HELP_URL not in support["text"], support)
    except (ValueError, KeyError, IndexError) as err:
        check("json: the report's new members", False, f"{err}: {p.stdout[:300]!r}")
finally:
    os.unlink(hosts)

# The demo in both languages: this computer's own program; webmail for sending.
for lang, words in (("en", {"this computer": ", on the computer that ran the check\n  Checked from:",
                            "less than a second": "checked in less than a second",
                            "webmail for the report": "send the report from your webmail at https://127.0.0.1:"}),
                    ("de", {"this computer": ", auf dem Computer, auf dem die Prüfung lief\n  Geprüft von:",
                            "less than a second": "geprüft in weniger als einer Sekunde",
                            "webmail for the report": "senden Sie den Bericht über Ihr Webmail unter https://"})):
    p = run("--check", "--demo", "--client", "thunderbird", "--lang", lang)
    report_checks(f"demo {lang}", p.stdout, words)
    check(f"report demo {lang}: no e-mail address, none claimed", "@" not in p.stdout.split("\n\n")[0]
          and ("nothing personal" in p.stdout or "nichts Persönliches" in p.stdout), p.stdout[:400])

# Sources in the report's language: the knowledge base's German titles.
p = run("--check", "--demo", "--client", "apple-mail", "--system", "macos-10.11", "--lang", "de")
check("report de: sources with German titles", "\n  Quellen:\n  Apple-Fehlerbericht 22758677:" in p.stdout
      and "Apple bug report" not in p.stdout, p.stdout[-2500:])
p = run("--check", "--demo", "--client", "apple-mail", "--system", "macos-10.11", "--lang", "en")
check("report en: sources with English titles", "\n  Sources:\n  Apple bug report 22758677:" in p.stdout,
      p.stdout[-2500:])

# Offline: in a network namespace with no network at all (unshare -rn, only
# lo), an address must not be blamed.  The verdict is "offline", the text
# says so plainly, the look-ups stay under "Details for support", --json
# answers JSON, and versions that were never tried are "not tested".
def run_offline(*args):
    return subprocess.run(["unshare", "-rn", "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "sh",
                           CLI, *args], capture_output=True, text=True, env=dict(os.environ), timeout=120)


OFFLINE_WORDS = {
    "en": ("This computer cannot look up names on the internet right now", "Details for support:",
           "could not be looked up", "not tested"),
    "de": ("Dieser Computer kann gerade keine Namen im Internet nachschlagen", "Details für den Support:",
           "konnte nicht nachgeschlagen werden", "nicht geprüft"),
}
BLAME = ("typing mistakes", "mistyped", "Tippfehler", "falsch eingegeben", "does not exist", "existiert nicht")
LINK = "mail-tls-check:?provider=macbay-v3&email=oma@macbay.de"
# An address whose domain no bundled profile lists, so that it is looked up.
try:
    can_unshare = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=20).returncode == 0
except (OSError, subprocess.TimeoutExpired):
    can_unshare = False
if not can_unshare:
    check("offline # SKIP unshare -rn is not allowed here", True)
else:
    for lang, (plain, details, lookup, untested) in OFFLINE_WORDS.items():
        p = run_offline("--check", "oma.schmidt@example.org", "--lang", lang)
        text = p.stdout
        check(f"offline address {lang}: plain words, exit 1", p.returncode == 1 and plain in text
              and details in text and lookup in text, f"exit {p.returncode}\n{text}\n{p.stderr}")
        check(f"offline address {lang}: the look-ups under the details",
              text.find(details) < text.find("_submission._tcp") and "autoconfig.example.org" in text, text)
        check(f"offline address {lang}: the address is not blamed", not any(b in text for b in BLAME), text)

        p = run_offline("--check", "--json", "oma.schmidt@example.org", "--lang", lang)
        try:
            doc = json.loads(p.stdout)
            disc = doc["discoveries"][0]
            check(f"offline address json {lang}: verdict offline", p.returncode == 1 and doc["schema"] == 2
                  and doc["verdict"]["id"] == "offline" and doc["endpoints"] == []
                  and plain in doc["verdict"]["explanation"], p.stdout[:400])
            check(f"offline address json {lang}: the discovery notes", disc["address"] == "oma.schmidt@example.org"
                  and disc["offline"] is True and disc["source"] is None
                  and set(disc["notes"]) == {"autoconfig", "ispdb", "srv", "mx", "common-names"}
                  and all(lookup in note for note in disc["notes"].values()), json.dumps(disc))
            check(f"offline address json {lang}: nothing blamed",
                  not any(b in p.stdout for b in BLAME), p.stdout[:400])
        except (ValueError, KeyError, IndexError) as err:
            check(f"offline address json {lang}", False, f"{err}: {p.stdout[:300]!r} {p.stderr!r}")

        p = run_offline("--check", LINK, "--lang", lang)
        text = p.stdout
        check(f"offline link {lang}: exit 1, could not be looked up", p.returncode == 1 and lookup in text
              and details in text, f"exit {p.returncode}\n{text}")
        check(f"offline link {lang}: nothing mistyped when nothing was typed",
              not any(b in text for b in BLAME), text)
        check(f"offline link {lang}: every cell not tested (\"–\", and the legend says what it means)",
              sum(1 for line in text.splitlines() if line.rstrip().endswith("–        –        –        –")) == 7
              and "– " + untested in text and "error" not in text.split("\n\n")[-1], text)
        p = run_offline("--check", "--json", LINK, "--lang", lang)
        try:
            doc = json.loads(p.stdout)
            check(f"offline link json {lang}: verdict offline, versions not-tested", p.returncode == 1
                  and doc["verdict"]["id"] == "offline" and len(doc["endpoints"]) == 7
                  and all(e["status"] == "dns-error" and set(e["versions"].values()) == {"not-tested"}
                          for e in doc["endpoints"]), p.stdout[:400])
        except (ValueError, KeyError) as err:
            check(f"offline link json {lang}", False, f"{err}: {p.stdout[:300]!r} {p.stderr!r}")

p = run("--version")
check("version", p.returncode == 0 and p.stdout.startswith("mail-tls-check "))

print(f"1..{len(results)}")
for i, (name, ok, info) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} {name}")
    if not ok and info:
        for line in str(info).splitlines():
            print(f"# {line}")
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
