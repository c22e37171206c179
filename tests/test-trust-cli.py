#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Certificates judged by this computer's own trust store, through the real program.

The demo servers' certificate authority is added to the system's CA bundle
in a private mount namespace (the test's own trust store: nothing on the
machine changes), and the demo servers' name is answered by a hosts file
(MTC_HOSTS_FILE). Then, without --ca-file:
  - trusted by the system store and the right name: no certificate problem;
  - the machine's unchanged store: "unknown-ca";
  - trusted, but reached by a name it is not made out for: "bad-identity" alone."""

import json
import os
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
DEMO = sys.argv[2]
SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
NAME = "demo.mail-tls-check.invalid"
OTHER = "other.mail-tls-check.invalid"
results = []


def check(name, condition, info=""):
    results.append((name, bool(condition), info))


def finish():
    print(f"1..{len(results)}")
    for i, (name, ok, info) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
        if not ok and info:
            for line in str(info).splitlines():
                print(f"# {line}")
    sys.exit(0 if all(ok for _, ok, _ in results) else 1)


def errors_of(p):
    try:
        doc = json.loads(p.stdout)
        return [e["certificate"]["errors"] if e.get("certificate") else None for e in doc["endpoints"]]
    except (ValueError, KeyError, TypeError) as e:
        return f"no JSON ({e}): exit {p.returncode}, {p.stderr[-300:]!r}"


if not os.path.exists(SYSTEM_BUNDLE):
    print(f"1..0 # SKIP no system CA bundle at {SYSTEM_BUNDLE} (package ca-certificates)")
    sys.exit(0)

with tempfile.TemporaryDirectory() as tmp:
    ca = os.path.join(tmp, "ca.pem")
    demo = subprocess.Popen([DEMO, "--ca-file", ca], stdout=subprocess.PIPE, text=True)
    try:
        urls = [demo.stdout.readline().strip() for _ in range(7)]
        bundle = os.path.join(tmp, "bundle.pem")
        with open(bundle, "w") as out, open(SYSTEM_BUNDLE) as system, open(ca) as ours:
            out.write(system.read())
            out.write(ours.read())
        hosts = os.path.join(tmp, "hosts")
        with open(hosts, "w") as f:
            f.write(f"127.0.0.1 {NAME} {OTHER}\n")
        by_name = [u.replace("127.0.0.1", NAME) for u in urls]
        private = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                   'mount --bind "$0" ' + SYSTEM_BUNDLE + ' && exec "$@"', bundle]
        probe = subprocess.run([*private, "grep", "-c", "BEGIN CERTIFICATE", SYSTEM_BUNDLE],
                               capture_output=True, text=True)
        if probe.returncode != 0:
            print("1..0 # SKIP no private mount namespace here: " + probe.stderr.strip()[:120])
            sys.exit(0)
        env = dict(os.environ, MTC_HOSTS_FILE=hosts)

        def run(*args, trusted):
            command = [CLI, "--check", *args, "--json", "--timeout", "10"]
            return subprocess.run([*private, *command] if trusted else command,
                                  capture_output=True, text=True, env=env, timeout=120)

        got = errors_of(run(*by_name, trusted=True))
        check("trusted by the system store, right name: no problem",
              got == [[]] * len(urls), got)
        got = errors_of(run(*by_name, trusted=False))
        check("the machine's own store does not know the demo authority: unknown-ca",
              got == [["unknown-ca"]] * len(urls), got)
        got = errors_of(run(*[u.replace("127.0.0.1", OTHER) for u in urls], trusted=True))
        check("trusted, reached by a name it is not made out for: bad-identity alone",
              got == [["bad-identity"]] * len(urls), got)
    finally:
        demo.terminate()
        demo.wait(timeout=10)

finish()
