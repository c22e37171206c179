#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The two verdicts that depend on this computer rather than on the servers,
produced end to end: the demo servers run as a process of their own, and the
program runs with its clock shifted (faketime) or with a GnuTLS policy that
forbids TLS 1.2 and 1.3.  And the provider's stated minimum, read from a
profile file: servers that still complete TLS 1.0 under a profile that says
TLS 1.2 and newer.

Usage: test-verdict-cli.py MAIL_TLS_CHECK MTC_DEMO_SERVERS
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

CLI, DEMO = sys.argv[1], sys.argv[2]
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
results = []


def check(name, ok, info=""):
    results.append((name, bool(ok), info))


with tempfile.TemporaryDirectory() as tmp:
    # The servers accept TLS 1.0 to 1.3; the profile states 1.2 and newer.
    ca = os.path.join(tmp, "legacy-ca.pem")
    demo = subprocess.Popen([DEMO, "--legacy", "--ca-file", ca], stdout=subprocess.PIPE, text=True)
    try:
        urls = [demo.stdout.readline().strip() for _ in range(7)]
        profile = os.path.join(tmp, "example-mail.provider")
        with open(profile, "w") as f:
            f.write("[Provider]\nId=example-mail\nName=Example Mail\nMinimumTls=1.2\nSupport=Call us\n"
                    f"WebmailUrl={urls[6]}\n\n[Server mail]\nUrls={';'.join(urls[:6])}\n")
        p = subprocess.run([CLI, "--check", "--provider", profile, "--ca-file", ca, "--client", "apple-mail",
                            "--system", "macos-10.11", "--json"], capture_output=True, text=True, timeout=120)
        try:
            d = json.loads(p.stdout)
            v = d["verdict"]
            check("stated minimum above Apple Mail's TLS 1.0: client-too-old", v["id"] == "client-too-old", v["id"])
            check("… needed: the stated 1.2", v["needed_version"] == "1.2", v["needed_version"])
            if "1.0" in d["local"]["versions_available"]:
                check("… the servers still accepted TLS 1.0",
                      all(e["versions"]["1.0"] == "accepted" for e in d["endpoints"]), d["endpoints"])
                check("… and the words say both facts",
                      "still let it through" in v["explanation"] and "when you log in" in v["explanation"]
                      and "still accepted TLS 1.0" in v["details"], v["explanation"])
        except (ValueError, KeyError, IndexError) as e:
            check("stated minimum", False, f"{e}: {p.stdout[:300]!r} {p.stderr[:300]!r}")
    finally:
        demo.terminate()
        demo.wait(timeout=10)

    ca = os.path.join(tmp, "ca.pem")
    demo = subprocess.Popen([DEMO, "--ca-file", ca], stdout=subprocess.PIPE, text=True)
    try:
        urls = [demo.stdout.readline().strip() for _ in range(7)]
        base = [CLI, "--check", *urls, "--ca-file", ca, "--client", "thunderbird", "--system", "linux", "--json"]

        # This computer's clock three years ahead: every certificate looks expired.
        if shutil.which("faketime") is None:
            # TAP's own skip: under protocol 'tap' an exit status of 77 is an error.
            print("1..0 # SKIP faketime is not installed (./dev.sh test installs it)")
            sys.exit(0)
        # libfaketime is preloaded ahead of AddressSanitizer's runtime in a
        # sanitizer build; ASan accepts that when told so.
        asan = os.environ.get("ASAN_OPTIONS", "")
        env = dict(os.environ, ASAN_OPTIONS=(asan + ":" if asan else "") + "verify_asan_link_order=0")
        p = subprocess.run(["faketime", "-f", "+3y", *base], capture_output=True, text=True, timeout=120, env=env)
        try:
            d = json.loads(p.stdout)
            v = d["verdict"]
            check("clock three years ahead: clock-wrong", v["id"] == "clock-wrong", v["id"])
            check("… first step: fix-clock", v["steps"][0]["id"] == "fix-clock", [s["id"] for s in v["steps"]])
            check("… the certificates look expired", all("expired" in e["certificate"]["errors"]
                                                         for e in d["endpoints"]))
        except (ValueError, KeyError, IndexError) as e:
            check("clock three years ahead", False, f"{e}: {p.stdout[:300]!r} {p.stderr[:300]!r}")

        # This computer's TLS library forbids TLS 1.2 and 1.3.
        env = dict(os.environ,
                   GNUTLS_SYSTEM_PRIORITY_FILE=os.path.join(SRCDIR, "data", "gnutls-no-modern.config"))
        p = subprocess.run(base, capture_output=True, text=True, timeout=120, env=env)
        try:
            d = json.loads(p.stdout)
            v = d["verdict"]
            check("local policy without TLS 1.2: locally-disabled", v["id"] == "locally-disabled", v["id"])
            check("… local.versions_available says so", d["local"]["versions_available"] == ["1.0", "1.1"],
                  d["local"])
            check("… 1.2 and 1.3 not tested, not blamed on the server",
                  all(e["versions"]["1.2"] == "not-tested" and e["versions"]["1.3"] == "not-tested"
                      for e in d["endpoints"]))
        except (ValueError, KeyError, IndexError) as e:
            check("local policy without TLS 1.2", False, f"{e}: {p.stdout[:300]!r} {p.stderr[:300]!r}")
    finally:
        demo.terminate()
        demo.wait(timeout=10)

print(f"1..{len(results)}")
for i, (name, ok, info) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} {name}")
    if not ok and info:
        print(f"# {info}")
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
