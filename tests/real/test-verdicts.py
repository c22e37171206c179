#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The verdict on real servers (issue 3's acceptance): Postfix, Dovecot,
nginx and Exim as tests/real/servers.sh starts them, the test CA trusted with
--ca-file as a provider's real certificate would be.

Usage: test-verdicts.py --cli PATH --env STATEDIR/endpoints.env
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from thunderbird_profile import write_accounts  # noqa: E402


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                env[key] = shlex.split(value)[0] if value else ""
    return env


def wait_quiet(urls, limit=10.0):
    """Wait (at most limit seconds) until no TCP connection to the hosts of
    urls is open here: a server that limits connections per client counts
    them until they are gone."""
    hosts = {urllib.parse.urlsplit(u).hostname for u in urls}
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        busy = False
        for host in hosts:
            out = subprocess.run(["ss", "-Htn", "src", host], capture_output=True,
                                 text=True, check=False).stdout
            busy = busy or any(l.split() and l.split()[0] not in ("LISTEN", "TIME-WAIT")
                               for l in out.splitlines())
        if not busy:
            return
        time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--env", required=True)
    args = parser.parse_args()
    env = read_env(args.env)
    modern = env["REAL_MODERN"].split()
    legacy = env["REAL_LEGACY"].split()
    webmail = [u for u in modern if u.startswith("https://")]
    results = []

    def run(targets, *options, json_out=True, home=None):
        cmd = [args.cli, "--check", *targets, "--ca-file", env["REAL_CA_FILE"], "--timeout", "5", *options]
        if json_out:
            cmd.append("--json")
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, LANGUAGE=os.environ.get("LANGUAGE", "en"),
                                    **({"HOME": home} if home else {})))
        return p, (json.loads(p.stdout) if json_out and p.stdout.startswith("{") else None)

    def check(name, ok, info=""):
        results.append((name, bool(ok), info))

    # The help article's case: the TLS-1.2-only provider and Apple Mail on El Capitan.
    p, d = run(modern, "--client", "apple-mail", "--system", "macos-10.11")
    v = d["verdict"] if d else {}
    check("TLS 1.2 only, Apple Mail on 10.11: client-too-old", v.get("id") == "client-too-old", v.get("id"))
    check("… first step: webmail, with its address", v.get("steps") and v["steps"][0]["id"] == "webmail"
          and v["steps"][0].get("url", "").startswith(webmail[0]), v.get("steps", [None])[0])
    check("… exit status 1", p.returncode == 1, p.returncode)

    # A Mac that can run 10.14: its Apple Mail speaks TLS 1.2.
    p, d = run(modern, "--client", "apple-mail", "--system", "macos-10.14")
    v = d["verdict"] if d else {}
    check("TLS 1.2 only, Apple Mail on 10.14: all-good", v.get("id") == "all-good", v.get("id"))
    check("… exit status 0", p.returncode == 0, p.returncode)

    # A provider that still allows TLS 1.0: works today, may stop.
    p, d = run(legacy + webmail, "--client", "apple-mail", "--system", "macos-10.11")
    v = d["verdict"] if d else {}
    check("TLS 1.0 allowed, Apple Mail on 10.11: all-good", v.get("id") == "all-good", v.get("id"))
    check("… with the word that this may stop", v.get("may_stop") is True, v.get("may_stop"))
    p, _ = run(legacy + webmail, "--client", "apple-mail", "--system", "macos-10.11", json_out=False)
    explanation = " ".join(p.stdout.split("What you can do")[0].split())
    check("… said in the text too", "It works today only because your provider still accepts the older" in explanation
          and "may stop doing so" in explanation, explanation)

    # Exim (GnuTLS, the MTA of cPanel hosting) next to the webmail port.
    exim_modern = env["REAL_EXIM_MODERN"].split()
    exim_legacy = env["REAL_EXIM_LEGACY"].split()
    exim_limited = env["REAL_EXIM_LIMITED"].split()
    p, d = run(exim_modern + webmail, "--client", "apple-mail", "--system", "macos-10.11")
    v = d["verdict"] if d else {}
    raised_verdict = v.get("id")
    check("Exim TLS >= 1.2, Apple Mail on 10.11: client-too-old", v.get("id") == "client-too-old", v.get("id"))
    p, d = run(exim_legacy + webmail, "--client", "apple-mail", "--system", "macos-10.11")
    v = d["verdict"] if d else {}
    check("Exim with TLS 1.0 allowed, Apple Mail on 10.11: all-good", v.get("id") == "all-good", v.get("id"))
    check("… with the word that this may stop", v.get("may_stop") is True, v.get("may_stop"))

    # The same Exim allowing only a few connections at once from one client
    # address, as a hosting server may: the verdict must not change, and no
    # endpoint or cell may show our own parallel connections turned away.
    wait_quiet(exim_limited)
    p, d = run(exim_limited + webmail, "--client", "apple-mail", "--system", "macos-10.11")
    v = d["verdict"] if d else {}
    check(f"Exim allowing {env.get('REAL_EXIM_LIMITED_PER_HOST', '?')} connections per client: "
          "the same verdict as with the limit raised", v.get("id") == raised_verdict == "client-too-old",
          (v.get("id"), raised_verdict))
    eps = [e for e in (d or {}).get("endpoints", []) if e.get("url") in exim_limited]
    check("… every endpoint answered, none busy",
          len(eps) == len(exim_limited) and all(e.get("status") == "ok" for e in eps),
          [(e.get("url"), e.get("status"), e.get("detail")) for e in eps])
    check("… no error cells",
          eps and all(c in ("accepted", "rejected") for e in eps for c in (e.get("versions") or {}).values()),
          [(e.get("url"), e.get("versions"), e.get("version_reasons")) for e in eps])

    # Mail ports closed (nothing listens on REAL_CLOSED_IP) while webmail answers.
    ip = env["REAL_CLOSED_IP"]
    closed = [f"smtp://{ip}:587", f"smtps://{ip}:465", f"imaps://{ip}:993"]
    p, d = run(closed + webmail, "--client", "apple-mail", "--system", "macos-10.14")
    v = d["verdict"] if d else {}
    check("mail ports closed, webmail answers: port-blocked", v.get("id") == "port-blocked", v.get("id"))
    check("… first step: webmail", v.get("steps") and v["steps"][0]["id"] == "webmail", v.get("steps"))

    # Thunderbird set to send through Postfix's port 25 (STARTTLS, no login,
    # as a provider's incoming mail server), where its submission ports
    # offer one (through Dovecot): wrong-settings, to the port for mail
    # programs. Postfix's own EHLO replies are the judge of "login".
    mx = env["REAL_MX"]
    mx_host = urllib.parse.urlsplit(mx).hostname
    imaps = next(u for u in modern if u.startswith("imaps://"))
    with tempfile.TemporaryDirectory() as home:
        write_accounts(home, [{"address": "alice@real.test",
                               "imap": (urllib.parse.urlsplit(imaps).hostname, 993, 3),
                               "smtp": (mx_host, 25, 2)}])
        p, d = run(modern, "--account", "alice@real.test", home=home)
    v = d["verdict"] if d else {}
    logins = {e["url"]: e.get("login") for e in (d or {}).get("endpoints", [])}
    submission = next(u for u in modern if u.startswith("smtp://"))
    check("Postfix port 25: STARTTLS works, no login offered; its submission offers one",
          logins.get(mx) == "not-offered" and logins.get(submission) == "offered", logins)
    steps = v.get("steps") or [{}]
    check("Thunderbird sending through port 25: wrong-settings, to port 465 with SSL/TLS",
          v.get("id") == "wrong-settings" and steps[0].get("id") == "change-setting"
          and steps[0].get("title") == "Change the Port to 465" and "SSL/TLS" in steps[0].get("change", ""),
          (v.get("id"), steps[0]))

    # Thunderbird set to no encryption on STARTTLS ports, where Dovecot
    # (disable_plaintext_auth: LOGINDISABLED) and Postfix (TLS enforced:
    # no AUTH before STARTTLS) take a password only encrypted: change the
    # connection security of both, with no provider profile telling.
    imap = next(u for u in modern if u.startswith("imap://"))
    with tempfile.TemporaryDirectory() as home:
        write_accounts(home, [{"address": "alice@real.test",
                               "imap": (urllib.parse.urlsplit(imap).hostname, 143, 0),
                               "smtp": (urllib.parse.urlsplit(submission).hostname, 587, 0)}])
        p, d = run(modern, "--account", "alice@real.test", home=home)
    v = d["verdict"] if d else {}
    before = {e["url"]: e.get("login_without_tls") for e in (d or {}).get("endpoints", [])}
    check("Dovecot and Postfix offer no login before STARTTLS",
          before.get(imap) == "not-offered" and before.get(submission) == "not-offered", before)
    changes = [s.get("change") for s in v.get("steps", []) if s.get("id") == "change-setting"]
    check("Thunderbird with no encryption: wrong-settings, STARTTLS for both servers",
          v.get("id") == "wrong-settings" and changes == ["Connection security: STARTTLS"] * 2,
          (v.get("id"), changes))

    # The whole report in German.
    p, _ = run(modern, "--client", "apple-mail", "--system", "macos-10.11", "--lang", "de", json_out=False)
    english = ["Your Mail Program", "What you can do", "What You Can Do", "Sending mail", "checked in",
               "Details for support"]
    german = ["Ihr E-Mail-Programm", "Was Sie tun können", "E-Mails senden", "geprüft in", "Details für den Support"]
    check("--lang de: the report in German", all(w in p.stdout for w in german)
          and not any(w in p.stdout for w in english), p.stdout[:800])

    print(f"1..{len(results)}")
    for i, (name, ok, info) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
        if not ok:
            print(f"# {info!r}"[:2000])
    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
