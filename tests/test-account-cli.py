#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`mail-tls-check --account ADDRESS` with HOME set to a Thunderbird profile
written for the loopback demo servers (mtc-demo-servers): the account is
found through the readers, its servers are probed exactly as set beside the
provider's (the targets given), and Thunderbird sending with STARTTLS on the
implicit-TLS port is wrong-settings with "Connection security" to "SSL/TLS",
in English and German; a correct account gets the verdict the check gives
without it; an address no program has is a usage error listing the ones
found."""

import json
import sys
import tempfile

from demo_cli import demo_servers, run
from tap import check, finish
from thunderbird_profile import write_profile

CLI = sys.argv[1]
DEMO = sys.argv[2]


with demo_servers(DEMO) as (ports, provider):
    with tempfile.TemporaryDirectory() as home:
        write_profile(home, ports)
        common = ["--check", "--timeout", "5", *provider]

        p = run(CLI, home, "--account", "Alice@Example.test", "--json", *common)
        try:
            doc = json.loads(p.stdout)
        except ValueError as e:
            doc = {}
            check("STARTTLS on the implicit-TLS port: JSON", False, f"{e}: {p.stdout[:300]!r} {p.stderr[-500:]!r}")
        verdict = doc.get("verdict", {})
        steps = verdict.get("steps", [{}])
        check("STARTTLS on the implicit-TLS port: wrong-settings, exit status 1",
              verdict.get("id") == "wrong-settings" and p.returncode == 1, f"{verdict.get('id')}, exit {p.returncode}")
        check("its first step: Connection security to SSL/TLS, the exact change to copy",
              steps[0].get("id") == "change-setting"
              and steps[0].get("title") == "Change the Connection Security to SSL/TLS"
              and "set “Connection security” to “SSL/TLS”" in steps[0].get("text", "")
              and steps[0].get("change") == "Connection security: SSL/TLS", json.dumps(steps[0]))
        logins = {e["url"]: e.get("login", "absent") for e in doc.get("endpoints", [])}
        check("login: offered after STARTTLS on SMTP, absent elsewhere",
              logins.get(f"smtp://127.0.0.1:{ports['smtp']}") == "offered"
              and logins.get(f"smtps://127.0.0.1:{ports['smtps']}") == "absent"
              and logins.get(f"imaps://127.0.0.1:{ports['imaps']}") == "absent", json.dumps(logins))
        configured = {e["url"]: e.get("configured_in") for e in doc.get("endpoints", [])}
        check("the account's servers probed as set, beside the provider's",
              configured.get(f"smtp://127.0.0.1:{ports['smtps']}") == "thunderbird"
              and configured.get(f"imaps://127.0.0.1:{ports['imaps']}") == "thunderbird"
              and configured.get(f"smtps://127.0.0.1:{ports['smtps']}") is None
              and len(configured) == 4, configured)
        check("what Thunderbird speaks was read from its profile",
              verdict.get("client_ability") == "read" and doc.get("user", {}).get("client") == "thunderbird"
              and doc.get("user", {}).get("email_address") == "alice@example.test", json.dumps(verdict)[:300])

        p = run(CLI, home, "--account", "alice@example.test", "--lang", "de", *common)
        out = " ".join(p.stdout.split())
        check("in German: the step in German Thunderbird's words",
              "Die Verbindungssicherheit auf SSL/TLS umstellen" in out
              and "„Konten-Einstellungen“ › „Postausgangs-Server (SMTP)“" in out
              and "Stellen Sie „Verbindungssicherheit“ auf „SSL/TLS“" in out
              and "wie in Thunderbird eingestellt" in out, p.stdout[:1500] + p.stderr[-300:])

        p = run(CLI, home, "--account", "bob@example.test", "--json", *common)
        q = run(CLI, home, "--client", "thunderbird", "--json", *common)
        try:
            with_id = json.loads(p.stdout)["verdict"]["id"]
            without_id = json.loads(q.stdout)["verdict"]["id"]
        except (ValueError, KeyError) as e:
            with_id = without_id = str(e)
        check("a correct account: the verdict the check gives without it",
              with_id == without_id and with_id != "wrong-settings", f"{with_id} / {without_id}")

        p = run(CLI, home, "--account", "carla@example.test", *common)
        check("an address no program has: exit status 2, the addresses found listed",
              p.returncode == 2 and "No mail program on this computer has an account for carla@example.test. "
              "Accounts found: alice@example.test, bob@example.test." in " ".join(p.stderr.split()),
              f"exit {p.returncode}: {p.stderr}")
        with tempfile.TemporaryDirectory() as empty:
            p = run(CLI, empty, "--account", "carla@example.test", *common)
            check("and in an empty home: none found at all",
                  p.returncode == 2 and "no accounts were found at all" in p.stderr, p.stderr)
finish()
