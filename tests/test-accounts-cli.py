#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`mail-tls-check --accounts` with HOME set to the fixture home
(tests/data/accounts/home; KMail's among them): the accounts in words, in German, and as JSON
(README, "JSON"), the broken files named, exit status 0; an empty home says
that nothing was found; the password in the fixture's files appears
nowhere, not even in the debug output."""

import json
import os
import subprocess
import sys
import tempfile

from tap import check, finish

CLI = sys.argv[1]
HOME = os.path.join(os.environ["G_TEST_SRCDIR"], "data", "accounts", "home")
PASSWORD = "Geheim-Passwort-4711"


def run(*args, home=HOME, env=None):
    full_env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LANG", "LC_MESSAGES")}
    full_env.update({"HOME": home, "LC_ALL": "C.UTF-8", "G_MESSAGES_DEBUG": "all"})
    full_env.update(env or {})
    return subprocess.run([CLI, "--accounts", *args], capture_output=True, text=True, env=full_env, timeout=60)


p = run()
out = " ".join(p.stdout.split())
check("--accounts: exit status 0", p.returncode == 0, f"exit {p.returncode}\n{p.stderr[-500:]}")
check("Thunderbird 115's account in one line, its STARTTLS on 465 as configured",
      "In Thunderbird: alice@example.net — receives from imap.example.net, port 993, SSL/TLS; "
      "sends through smtp.example.net, port 465, STARTTLS" in out, p.stdout)
check("its version and its TLS limit",
      "Version: Thunderbird 115.3.1, as its settings say. Its settings allow TLS 1.0 and older only." in out,
      p.stdout)
check("Thunderbird 78's account", "In Thunderbird: oma.schmidt@example.de — receives from imap.example.de, "
      "port 143, STARTTLS; sends through smtp.example.de, port 587, STARTTLS" in out, p.stdout)
check("Evolution's, Geary's and Claws Mail's accounts",
      "In Evolution: carla@example.com — receives from imap.example.com, port 993, SSL/TLS; sends through "
      "smtp.example.com, port 25, STARTTLS" in out
      and "In Geary: dora@example.info — receives from mail.example.info, port 993, SSL/TLS; sends through "
      "mail.example.info, port 587, STARTTLS" in out
      and "In Geary: emil.example@gmail.com — its settings file names no servers" in out
      and "In Claws Mail: frieda@example.net — receives from imap.example.net, port 993, SSL/TLS" in out, p.stdout)
check("KMail's accounts: an IMAP resource with its identity's transport, the default transport for an "
      "identity whose transport id points nowhere, a POP3 resource",
      "In KMail: gisela@example.org — receives from imap.example.org, port 143, STARTTLS; sends through "
      "mail.example.org, port 465, SSL/TLS" in out
      and "In KMail: helga@example.de — receives from imap.kmail.example.de, port 993, SSL/TLS; sends through "
      "smtp.kmail.example.de, port 587, STARTTLS" in out
      and "In KMail: gisela@example.org — receives from pop.example.org, port 995, SSL/TLS" in out, p.stdout)
check("the broken files named, with why",
      "Some settings files could not be read:" in out
      and "/broken.default/prefs.js could not be read: line 3: the line is not a preference" in out
      and "/sources/broken.source could not be read: its contents are not in the form the program writes." in out
      and "KMail’s settings file " in out
      and "/.config/akonadi_imap_resource_3rc could not be read: its contents are not in the form" in out,
      p.stdout)
check("the password nowhere, not in the debug output either", PASSWORD not in p.stdout + p.stderr,
      "password shown")

p = run("--lang", "de")
out = " ".join(p.stdout.split())
check("--lang de: the same in German",
      p.returncode == 0
      and "Auf diesem Computer wurden diese Konten von E-Mail-Programmen gefunden:" in out
      and "In Thunderbird: alice@example.net – empfängt von imap.example.net, Port 993, SSL/TLS; sendet über "
      "smtp.example.net, Port 465, STARTTLS" in out
      and "Seine Einstellungen erlauben nur TLS 1.0 und älter." in out
      and "In KMail: gisela@example.org – empfängt von imap.example.org, Port 143, STARTTLS; sendet über "
      "mail.example.org, Port 465, SSL/TLS" in out
      and "/.config/akonadi_imap_resource_3rc von KMail konnte nicht gelesen werden" in out
      and "konnte nicht gelesen werden: Zeile 3: Die Zeile ist keine Einstellung" in out, p.stdout)
check("--lang de: the password nowhere", PASSWORD not in p.stdout + p.stderr, "password shown")

p = run("--json")
try:
    doc = json.loads(p.stdout)
except ValueError as e:
    doc = {}
    check("--json is JSON", False, f"{e}\n{p.stdout[:500]}")
accounts = doc.get("accounts", [])
check("--json: schema 2, eleven accounts, three problems",
      p.returncode == 0 and doc.get("schema") == 2 and len(accounts) == 11 and len(doc.get("problems", [])) == 3,
      p.stdout[:800])
alice = next((a for a in accounts if a.get("address") == "alice@example.net"), {})
check("--json: an account's fields",
      alice.get("program") == "thunderbird" and alice.get("program_name") == "Thunderbird"
      and alice.get("program_version") == "115.3.1"
      and alice.get("incoming") == {"protocol": "imap", "host": "imap.example.net", "port": 993,
                                    "security": "ssl-tls"}
      and alice.get("outgoing") == {"protocol": "smtp", "host": "smtp.example.net", "port": 465,
                                    "security": "starttls"}
      and alice.get("tls_version_min") is None and alice.get("tls_version_max") == "1.0"
      and alice.get("file", "").endswith("/.thunderbird/k2x9a1bc.default-release/prefs.js")
      and alice.get("description", "").startswith("In Thunderbird: alice@example.net — receives from"),
      json.dumps(alice, indent=1))
emil = next((a for a in accounts if a.get("address") == "emil.example@gmail.com"), {})
check("--json: no servers is null", "incoming" in emil and emil["incoming"] is None and emil["outgoing"] is None,
      json.dumps(emil))
helga = next((a for a in accounts if a.get("address") == "helga@example.de"), {})
check("--json: a KMail account, its version not known",
      helga.get("program") == "kmail" and helga.get("program_name") == "KMail"
      and "program_version" in helga and helga["program_version"] is None
      and helga.get("incoming") == {"protocol": "imap", "host": "imap.kmail.example.de", "port": 993,
                                    "security": "ssl-tls"}
      and helga.get("outgoing") == {"protocol": "smtp", "host": "smtp.kmail.example.de", "port": 587,
                                    "security": "starttls"}
      and helga.get("file", "").endswith("/.config/akonadi_imap_resource_1rc"),
      json.dumps(helga, indent=1))
check("--json: the password nowhere", PASSWORD not in p.stdout + p.stderr, "password shown")

with tempfile.TemporaryDirectory() as empty:
    p = run(home=empty)
    check("an empty home: exit 0 and the one sentence",
          p.returncode == 0 and p.stdout == "No mail program accounts were found on this computer.\n",
          f"exit {p.returncode}\n{p.stdout}")
    p = run("--lang", "de", home=empty)
    check("an empty home in German",
          p.stdout == "Auf diesem Computer wurden keine Konten von E-Mail-Programmen gefunden.\n", p.stdout)
    p = run("--json", home=empty)
    check("an empty home as JSON", p.returncode == 0 and json.loads(p.stdout).get("accounts") == []
          and json.loads(p.stdout).get("problems") == [], p.stdout)

# On a desktop too (a display set, as in a terminal window there): the list,
# not the wizard, which knows no such option.
desktop = run(env={"DISPLAY": ":4711", "WAYLAND_DISPLAY": "wayland-4711"})
plain = run()
check("--accounts with a display: the list in the terminal", desktop.returncode == 0
      and desktop.stdout == plain.stdout and "In Thunderbird:" in plain.stdout,
      desktop.stdout[:300] + desktop.stderr[-300:])

finish()
