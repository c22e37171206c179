#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Thunderbird itself on the fixture's profiles (78 ESR and 115 ESR, in a
scratch home): the installed Thunderbird opens each profile headless, in a
network namespace without network (`unshare -rn`, so it reaches no server),
upgrades it and writes prefs.js and compatibility.ini again in its own way.
`mail-tls-check --accounts --json` must find the same accounts in what
Thunderbird wrote as in the fixture, now with Thunderbird's own version.
Needs the Debian package thunderbird (dev.sh installs it)."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from tap import check, finish

CLI = sys.argv[1]
FIXTURE = os.path.join(os.environ["G_TEST_SRCDIR"], "data", "accounts", "home", ".thunderbird")
PROFILES = {"old78.default": "78.14.0", "k2x9a1bc.default-release": "115.3.1"}
PASSWORD = "Geheim-Passwort-4711"


def accounts(home):
    env = dict(os.environ, HOME=home, LC_ALL="C.UTF-8")
    p = subprocess.run([CLI, "--accounts", "--json"], capture_output=True, text=True, env=env, timeout=60)
    return json.loads(p.stdout)


def thunderbird_version():
    """"Mozilla Thunderbird 153.8.0esr" → "153.8.0", as compatibility.ini has it."""
    p = subprocess.run(["thunderbird", "--version"], capture_output=True, text=True, timeout=60)
    found = re.search(r"\b([0-9]+(\.[0-9]+)+)", p.stdout) if p.returncode == 0 else None
    return found.group(1) if found else None


def run_thunderbird(home, profile):
    """Thunderbird on PROFILE until it has written the upgraded prefs.js."""
    prefs = os.path.join(profile, "prefs.js")
    env = dict(os.environ, HOME=home, XDG_CACHE_HOME=os.path.join(home, ".cache"), MOZ_CRASHREPORTER_DISABLE="1")
    tb = subprocess.Popen(["unshare", "-rn", "thunderbird", "--headless", "--profile", profile],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    written = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and tb.poll() is None:
        time.sleep(1)
        with open(prefs, encoding="utf-8", errors="replace") as f:
            if "mail.root.imap" in f.read():
                written = True
                time.sleep(3)  # the rest of its start-up writes
                break
    if tb.poll() is None:
        os.killpg(tb.pid, signal.SIGTERM)
        try:
            tb.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(tb.pid, signal.SIGKILL)
            tb.wait()
    return written


version = thunderbird_version()
check("Thunderbird is installed (Debian package thunderbird)", version is not None, "thunderbird --version failed")

with tempfile.TemporaryDirectory() as home:
    root = os.path.join(home, ".thunderbird")
    os.makedirs(root)
    shutil.copy(os.path.join(FIXTURE, "profiles.ini"), root)
    for name in PROFILES:
        shutil.copytree(os.path.join(FIXTURE, name), os.path.join(root, name))
    before = accounts(home)
    check("the fixture's Thunderbird accounts, before", len(before["accounts"]) == 3, json.dumps(before, indent=1))

    for name in PROFILES:
        profile = os.path.join(root, name)
        written = version is not None and run_thunderbird(home, profile)
        with open(os.path.join(profile, "compatibility.ini"), encoding="utf-8") as f:
            compat = f.read()
        check(f"Thunderbird {version} opened the {PROFILES[name]} profile and wrote it again",
              written and f"LastVersion={version}_" in compat, compat)

    after = accounts(home)
    check("Thunderbird's files read without a problem", after["problems"] == [], json.dumps(after["problems"]))

    def essentials(account):
        return {k: account[k] for k in ("address", "incoming", "outgoing", "tls_version_max")}

    check("the same accounts, servers, ports and security in what Thunderbird wrote",
          [essentials(a) for a in after["accounts"]] == [essentials(a) for a in before["accounts"]],
          f"before: {json.dumps(before['accounts'], indent=1)}\nafter: {json.dumps(after['accounts'], indent=1)}")
    check(f"each now with Thunderbird's own version, {version}",
          all(a["program_version"] == version for a in after["accounts"]),
          json.dumps([a["program_version"] for a in after["accounts"]]))
    # security.tls.version.min=3 is the default of current versions: Thunderbird
    # drops a setting equal to its default when it writes prefs.js again.
    check("the 78 profile's security.tls.version.min=3 dropped as Thunderbird's own default",
          before["accounts"][0]["tls_version_min"] == "1.2" and after["accounts"][0]["tls_version_min"] is None,
          json.dumps([before["accounts"][0], after["accounts"][0]], indent=1))
    check("Thunderbird's own prefs.js, full of escapes and JSON in strings, parsed",
          all(os.path.getsize(os.path.join(root, n, "prefs.js")) > 4000 for n in PROFILES), "")

finish()
