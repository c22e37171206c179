#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`mail-tls-check --account ADDRESS` for a KMail account, its files written
as KMail's libraries write them (an Akonadi IMAP resource, mailtransports,
emailidentities) for the loopback demo servers (mtc-demo-servers): sending
with STARTTLS ("TLS" in mailtransports) on the implicit-TLS port is
wrong-settings, in English and German, its servers probed as KMail's; what
KMail speaks is never claimed read (it uses Qt and OpenSSL, this check
measures GnuTLS)."""

import json
import os
import sys
import tempfile

from demo_cli import demo_servers, run
from tap import check, finish

CLI = sys.argv[1]
DEMO = sys.argv[2]


def write_kmail(home, ports):
    config = os.path.join(home, ".config")
    os.makedirs(config)
    files = {
        "akonadi_imap_resource_0rc":
            f"[network]\nImapServer=127.0.0.1\nImapPort={ports['imaps']}\nUserName=ute\nname=Ute\n",
        "emailidentities":
            "[General]\nDefault Identity=4711\n\n[Identity #0]\nEmail Address=ute@example.test\n"
            "Identity=Ute\nTransport=1001\nuoid=4711\n",
        "mailtransports":
            "[General]\ndefault-transport=1001\n\n[Transport 1001]\nauth=true\nencryption=TLS\n"
            f"host=127.0.0.1\nid=1001\nname=Versand\nport={ports['smtps']}\nuser=ute\n",
    }
    for name, text in files.items():
        with open(os.path.join(config, name), "w") as f:
            f.write(text)


with demo_servers(DEMO) as (ports, provider):
    with tempfile.TemporaryDirectory() as home:
        write_kmail(home, ports)
        common = ["--check", "--timeout", "5", *provider]

        p = run(CLI, home, "--account", "ute@example.test", "--json", *common)
        try:
            doc = json.loads(p.stdout)
        except ValueError as e:
            doc = {}
            check("KMail, STARTTLS on the implicit-TLS port: JSON", False,
                  f"{e}: {p.stdout[:300]!r} {p.stderr[-500:]!r}")
        verdict = doc.get("verdict", {})
        steps = verdict.get("steps", [{}])
        check("KMail, STARTTLS on the implicit-TLS port: wrong-settings, exit status 1",
              verdict.get("id") == "wrong-settings" and p.returncode == 1, f"{verdict.get('id')}, exit {p.returncode}")
        check("the step names KMail and the outgoing server to change",
              steps[0].get("id") == "change-setting"
              and "In KMail, change the outgoing mail server 127.0.0.1 of your account:" in steps[0].get("text", ""),
              json.dumps(steps[0]))
        configured = {e["url"]: e.get("configured_in") for e in doc.get("endpoints", [])}
        check("KMail's servers probed as set, beside the provider's",
              configured.get(f"smtp://127.0.0.1:{ports['smtps']}") == "kmail"
              and configured.get(f"imaps://127.0.0.1:{ports['imaps']}") == "kmail", configured)
        check("the mail program is KMail, what it speaks not claimed read",
              doc.get("user", {}).get("client") == "kmail" and verdict.get("client_ability") != "read",
              json.dumps(doc.get("user")) + json.dumps(verdict)[:300])

        p = run(CLI, home, "--account", "ute@example.test", "--lang", "de", *common)
        out = " ".join(p.stdout.split())
        check("in German: the step names KMail and the server",
              p.returncode == 1 and "Öffnen Sie in KMail die Einstellungen des Postausgangsservers 127.0.0.1" in out,
              p.stdout[:1500] + p.stderr[-300:])

finish()
