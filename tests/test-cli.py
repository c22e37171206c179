#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line as scripts and support staff use it: exit statuses,
messages for bad input, the JSON contract, and the German report."""

import json
import os
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
      and "servers checked" in p.stdout, p.stdout[:300])
p = run("--check", "--demo", "--lang", "de")
check("text report german", p.returncode == 0 and "Server geprüft" in p.stdout and "E-Mails empfangen" in p.stdout
      and "servers checked" not in p.stdout, p.stdout[:300])
p = run("--check", "smtp://mail.example.net:99999", "--lang", "de")
check("german error message", p.returncode == 2 and "zwischen 1 und 65535" in p.stderr, p.stderr)
p = run("--check", "--demo", env={"LANGUAGE": "de", "LANG": "de_DE.UTF-8"})
check("language from the environment", "Server geprüft" in p.stdout, p.stdout[:200])

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
try:
    can_unshare = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=20).returncode == 0
except (OSError, subprocess.TimeoutExpired):
    can_unshare = False
if not can_unshare:
    check("offline # SKIP unshare -rn is not allowed here", True)
else:
    for lang, (plain, details, lookup, untested) in OFFLINE_WORDS.items():
        p = run_offline("--check", "oma.schmidt@gmx.de", "--lang", lang)
        text = p.stdout
        check(f"offline address {lang}: plain words, exit 1", p.returncode == 1 and plain in text
              and details in text and lookup in text, f"exit {p.returncode}\n{text}\n{p.stderr}")
        check(f"offline address {lang}: the look-ups under the details",
              text.find(details) < text.find("_submission._tcp") and "autoconfig.gmx.de" in text, text)
        check(f"offline address {lang}: the address is not blamed", not any(b in text for b in BLAME), text)

        p = run_offline("--check", "--json", "oma.schmidt@gmx.de", "--lang", lang)
        try:
            doc = json.loads(p.stdout)
            disc = doc["discoveries"][0]
            check(f"offline address json {lang}: verdict offline", p.returncode == 1 and doc["schema"] == 2
                  and doc["verdict"]["id"] == "offline" and doc["endpoints"] == []
                  and plain in doc["verdict"]["explanation"], p.stdout[:400])
            check(f"offline address json {lang}: the discovery notes", disc["address"] == "oma.schmidt@gmx.de"
                  and disc["offline"] is True and disc["source"] is None
                  and set(disc["notes"]) == {"autoconfig", "srv", "mx", "common-names"}
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
        check(f"offline link {lang}: every cell not tested",
              all(line.count(untested) == 4 for line in text.splitlines() if "cube.macbay.net:" in line
                  and "://" in line and ("  " + untested) in line)
              and sum(1 for line in text.splitlines() if line.count(untested) == 4) == 7, text)
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
