#!/usr/bin/python3
"""Compare mail-tls-check's version matrix with sslscan's on real servers.

Usage:
    /usr/bin/python3 tests/real/compare-sslscan.py \
        --cli _build/src/mail-tls-check --env STATEDIR/endpoints.env

STATEDIR/endpoints.env is written by tests/real/servers.sh start STATEDIR.
For every endpoint (Postfix, Dovecot, nginx and Exim; groups below) this runs
sslscan (XML on stdout) to learn which TLS versions the server accepts, then
runs `mail-tls-check --check URL... --json --timeout 10` once with all URLs
and judges every cell, TLS 1.0 to 1.3, of every endpoint strictly:
  * sslscan must have tested the version: a version it could not test is a
    failure of this test, never a cell left out;
  * ours "accepted" iff sslscan "enabled", ours "rejected" iff sslscan
    "disabled"; anything else ("error", "not-tested", missing) fails, and the
    failure names the cell's version_reasons entry and version_details text;
  * sslscan must see what the group's server is set up for (EXPECT), so that
    a failure says whether the server or we are wrong;
  * every endpoint's status is "ok";
  * the certificate issuer names the test CA and its errors contain
    "unknown-ca" (the test CA is not in the system trust store).
The Exim instance that allows few connections per client address
("exim-limited") is judged against sslscan's answer for its twin with the
limit raised ("exim-modern", same TLS set-up): sslscan opens several
connections at once, Exim turns the extra ones away, and sslscan then reports
every version "disabled" (seen with sslscan 2.0.7 and
smtp_accept_max_per_host = 3). sslscan's own answer there is printed for
information.
The last line is "N passed, M failed"; the exit status is 0 only if M is 0.
Standard library only.
"""

import argparse
import concurrent.futures
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET

VERSIONS = ("1.0", "1.1", "1.2", "1.3")
STARTTLS_FLAG = {
    "smtp": "--starttls-smtp",
    "imap": "--starttls-imap",
    "pop3": "--starttls-pop3",
}
IMPLICIT = {"smtps", "imaps", "pop3s", "https"}
DEFAULT_CA_NAME = "Mail TLS Check Real-Server Test CA"

# What each group's servers are set up for (our wording; sslscan's is
# "enabled" for "accepted", "disabled" for "rejected"). Every version of every
# group is named: nothing is left uncompared.
MODERN = {"1.0": "rejected", "1.1": "rejected",
          "1.2": "accepted", "1.3": "accepted"}
ALL_ACCEPTED = {v: "accepted" for v in VERSIONS}
GROUPS = (  # (group, endpoints.env variable, expected matrix)
    ("modern", "REAL_MODERN", MODERN),
    ("legacy", "REAL_LEGACY", ALL_ACCEPTED),
    ("exim-modern", "REAL_EXIM_MODERN", MODERN),
    ("exim-legacy", "REAL_EXIM_LEGACY", ALL_ACCEPTED),
    ("exim-limited", "REAL_EXIM_LIMITED", MODERN),
)
# A group whose own sslscan answer is not trusted, and the group of the same
# servers with the limit raised that stands in for it (endpoints by position).
ORACLE_TWIN = {"exim-limited": "exim-modern"}
SSLSCAN_WORD = {"accepted": "enabled", "rejected": "disabled"}


class Checks:
    def __init__(self):
        self.passed = 0
        self.failures = []
        self.notes = []

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)
        return ok

    def note(self, text):
        self.notes.append(text)


def read_env(path):
    """Parse the shell-sourceable KEY="value" file written by servers.sh."""
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, _, value = line.partition("=")
            key = key.strip()
            if key.startswith("export "):
                key = key[len("export "):].strip()
            try:
                env[key] = " ".join(shlex.split(value))
            except ValueError:
                env[key] = value
    return env


def url_key(url):
    """(scheme, host, port) — robust against a trailing '/' or case."""
    u = urllib.parse.urlsplit(url.strip())
    try:
        port = u.port
    except ValueError:
        port = None
    return (u.scheme.lower(), (u.hostname or "").lower(), port)


# ------------------------------------------------------------------ sslscan
def sslscan_cmd(sslscan, url):
    scheme, host, port = url_key(url)
    cmd = [sslscan, "--no-colour", "--xml=-", "--timeout=5",
           "--no-heartbleed", "--no-compression", "--no-groups",
           "--no-fallback", "--no-renegotiation", "--no-cipher-details"]
    if scheme in STARTTLS_FLAG:
        cmd.append(STARTTLS_FLAG[scheme])
    elif scheme not in IMPLICIT:
        raise ValueError(f"unknown scheme in {url}")
    cmd.append(f"{host}:{port}")
    return cmd


def parse_sslscan_xml(text):
    """-> dict(versions={v: 'enabled'|'disabled'|None}, ciphers={v: n},
    issuer=str|None, subject=str|None, error=str|None).
    None for a version means sslscan did not report it (could not test)."""
    res = {"versions": {v: None for v in VERSIONS},
           "ciphers": {v: 0 for v in VERSIONS},
           "issuer": None, "subject": None, "error": None}
    start = text.find("<?xml")
    if start < 0:
        start = text.find("<document")
    if start < 0:
        res["error"] = "no XML in sslscan's output: " + (text.strip()[:300] or "(empty)")
        return res
    try:
        root = ET.fromstring(text[start:].encode("utf-8"))
    except ET.ParseError as e:
        res["error"] = f"sslscan's XML does not parse: {e}"
        return res
    err = root.find("error")
    test = root.find("ssltest")
    if test is None:
        res["error"] = ("sslscan scanned nothing: " +
                        (err.text.strip() if err is not None and err.text
                         else "no <ssltest> (STARTTLS dialogue failed?)"))
        return res
    for p in test.findall("protocol"):
        if p.get("type") == "tls" and p.get("version") in VERSIONS:
            en = p.get("enabled")
            if en == "1":
                res["versions"][p.get("version")] = "enabled"
            elif en == "0":
                res["versions"][p.get("version")] = "disabled"
    for c in test.findall("cipher"):
        v = (c.get("sslversion") or "").replace("TLSv", "")
        if v in res["ciphers"]:
            res["ciphers"][v] += 1
    cert = test.find("certificates/certificate")
    if cert is not None:
        iss = cert.find("issuer")
        sub = cert.find("subject")
        res["issuer"] = iss.text.strip() if iss is not None and iss.text else None
        res["subject"] = sub.text.strip() if sub is not None and sub.text else None
    return res


def run_sslscan(sslscan, url):
    cmd = sslscan_cmd(sslscan, url)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=180, check=False)
    except subprocess.TimeoutExpired:
        return {"versions": {v: None for v in VERSIONS},
                "ciphers": {v: 0 for v in VERSIONS}, "issuer": None,
                "subject": None, "cmd": cmd,
                "error": "sslscan took longer than 180 s"}
    res = parse_sslscan_xml(p.stdout.decode("utf-8", "replace"))
    res["cmd"] = cmd
    if res["error"] and p.stderr:
        res["error"] += " | stderr: " + p.stderr.decode("utf-8", "replace").strip()[:300]
    return res


def wait_quiet(ip, limit=10.0):
    """Wait (at most limit seconds) until no TCP connection to ip is open on
    this machine, so that the next client starts from a server that counts
    none of the previous one's connections."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            out = subprocess.run(["ss", "-Htn", "src", ip], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, check=False).stdout
        except OSError:
            return
        if not [l for l in out.decode().splitlines()
                if l.split() and l.split()[0] not in ("LISTEN", "TIME-WAIT")]:
            return
        time.sleep(0.1)


# ---------------------------------------------------------------------- CLI
def run_cli(cli, urls, timeout):
    cmd = [cli, "--check", *urls, "--json", "--timeout", str(timeout)]
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, env=env, check=False,
                           timeout=max(120, timeout * len(urls) * 2))
    except subprocess.TimeoutExpired:
        return cmd, None, "the CLI did not finish in time", None
    except OSError as e:
        return cmd, None, f"cannot run the CLI: {e}", None
    out = p.stdout.decode("utf-8", "replace")
    errtext = p.stderr.decode("utf-8", "replace").strip()
    if p.returncode not in (0, 1):
        return cmd, None, (f"the CLI exited with status {p.returncode} "
                           f"(0 or 1 expected); stderr: {errtext[:500]}"), p.returncode
    try:
        data = json.loads(out)
    except json.JSONDecodeError as e:
        return cmd, None, (f"the CLI's output is not JSON ({e}); first bytes: "
                           f"{out[:300]!r}; stderr: {errtext[:300]}"), p.returncode
    if not isinstance(data, dict) or not isinstance(data.get("endpoints"), list):
        return cmd, None, "the CLI's JSON has no \"endpoints\" list", p.returncode
    return cmd, data, None, p.returncode


# ------------------------------------------------------------------- report
def short(v):
    return {"accepted": "acc", "rejected": "rej", "error": "ERR",
            "not-tested": "n/t", "enabled": "on", "disabled": "off",
            None: "?"}.get(v, str(v)[:4])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", required=True, help="path to mail-tls-check")
    ap.add_argument("--env", required=True, help="STATEDIR/endpoints.env")
    ap.add_argument("--sslscan", default="sslscan", help="sslscan command")
    ap.add_argument("--timeout", type=int, default=10,
                    help="--timeout given to mail-tls-check (default 10)")
    args = ap.parse_args()

    sslscan = shutil.which(args.sslscan)
    if not sslscan:
        print(f"ERROR: '{args.sslscan}' not found on PATH: this comparison needs "
              "sslscan (Debian package: sslscan).", file=sys.stderr)
        return 2
    if not (os.path.isfile(args.cli) and os.access(args.cli, os.X_OK)):
        print(f"ERROR: the CLI '{args.cli}' does not exist or is not executable "
              "(build it first).", file=sys.stderr)
        return 2
    try:
        env = read_env(args.env)
    except OSError as e:
        print(f"ERROR: cannot read {args.env}: {e} (run tests/real/servers.sh "
              "start STATEDIR first)", file=sys.stderr)
        return 2
    ca_name = env.get("REAL_CA_NAME") or DEFAULT_CA_NAME
    groups = {g: env.get(var, "").split() for g, var, _ in GROUPS}
    expect = {g: exp for g, _, exp in GROUPS}
    endpoints = [(g, u) for g, _, _ in GROUPS for u in groups[g]]
    if not endpoints:
        print(f"ERROR: {args.env} lists no endpoints", file=sys.stderr)
        return 2

    ver_line = subprocess.run([sslscan, "--version"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, check=False)
    ver_text = " ".join(ver_line.stdout.decode("utf-8", "replace")
                        .replace("\x1b[0m", "").replace("\x1b[1;34m", "").split())
    print(f"sslscan: {sslscan} ({ver_text})")
    print(f"CLI:     {args.cli}")
    print(f"CA:      {ca_name}")
    print()

    c = Checks()
    for g, var, _ in GROUPS:
        c.check(groups[g], f"{args.env} lists no {var} endpoints (servers.sh "
                           f"of another version?): group {g} cannot be compared")

    # The endpoint whose sslscan answer judges each endpoint: itself, or for a
    # group in ORACLE_TWIN the endpoint at the same position in the twin group.
    oracle = {}
    for g, u in endpoints:
        oracle[u] = u
        if g in ORACLE_TWIN:
            twins = groups[ORACLE_TWIN[g]]
            i = groups[g].index(u)
            ok = (i < len(twins) and url_key(twins[i])[0] == url_key(u)[0] and
                  url_key(twins[i])[2] == url_key(u)[2])
            if c.check(ok, f"{u} [{g}]: no endpoint of the same scheme and port "
                           f"at the same place in {ORACLE_TWIN[g]} to judge it by"):
                oracle[u] = twins[i]

    # sslscan first, then the CLI alone, so neither disturbs the other's
    # timing or the other's count of connections at a server that limits it.
    # The servers whose own answer is only shown go first, one at a time
    # (Exim counts its connections from one client across both ports); then
    # the rest, a few at a time (each makes ~100 connections).
    scans = {}
    for g, u in endpoints:
        if g in ORACLE_TWIN:
            scans[u] = run_sslscan(sslscan, u)
            wait_quiet(url_key(u)[1])
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futs = {u: pool.submit(run_sslscan, sslscan, u)
                for _, u in endpoints if u not in scans}
        scans.update({u: f.result() for u, f in futs.items()})
    for g, u in endpoints:
        if g in ORACLE_TWIN:
            wait_quiet(url_key(u)[1])

    cmd, data, cli_error, cli_rc = run_cli(args.cli, [u for _, u in endpoints],
                                           args.timeout)
    print("CLI command: " + " ".join(shlex.quote(x) for x in cmd))
    if cli_rc is not None:
        print(f"CLI exit status: {cli_rc}")
    c.check(cli_error is None, f"CLI run: {cli_error}")
    ours = {}
    if data:
        for ep in data["endpoints"]:
            if isinstance(ep, dict) and "url" in ep:
                ours[url_key(ep["url"])] = ep

    # sslscan itself: it tested every version, and sees what the server is set
    # up for. Checked once per scan that judges something.
    for group, url in endpoints:
        if oracle[url] != url:
            continue
        s = scans[url]
        tag = f"{url} [{group}]"
        if not c.check(s["error"] is None, f"{tag}: sslscan: {s['error']}"):
            s["versions"] = {v: None for v in VERSIONS}
        for v in VERSIONS:
            got = s["versions"][v]
            if not c.check(got is not None,
                           f"{tag}: TLS {v}: sslscan could not test it, so "
                           "this cell cannot be judged"):
                continue
            want_ss = SSLSCAN_WORD[expect[group][v]]
            c.check(got == want_ss,
                    f"{tag}: TLS {v}: test server set up wrongly? sslscan says "
                    f"{got}, the {group} server should have it {want_ss}")

    rows = []
    reasons_seen = False
    for group, url in endpoints:
        s = scans[oracle[url]]
        o = ours.get(url_key(url))
        tag = f"{url} [{group}]"
        if not c.check(o is not None, f"{tag}: missing from the CLI's JSON"):
            rows.append((group, url, s, None))
            continue
        vers = o.get("versions") or {}
        details = o.get("version_details") or {}
        reasons = o.get("version_reasons") or {}
        reasons_seen = reasons_seen or any(reasons.get(v) for v in VERSIONS)
        c.check(o.get("status") == "ok",
                f"{tag}: status {o.get('status')!r}, expected 'ok' "
                f"(detail: {o.get('detail')!r})")
        by = "" if oracle[url] == url else f" (on {oracle[url]})"
        for v in VERSIONS:
            ss = s["versions"][v]
            mine = vers.get(v)
            if ss is None:
                # Already a failure of sslscan's above; ours cannot be judged.
                continue
            want = "accepted" if ss == "enabled" else "rejected"
            c.check(mine == want,
                    f"{tag}: TLS {v}: we say {mine!r}, sslscan{by} says {ss!r}; "
                    f"reason {reasons.get(v)!r}; details {details.get(v)!r}")
        cert = o.get("certificate") or {}
        issuer = cert.get("issuer") or ""
        c.check(ca_name.lower() in str(issuer).lower(),
                f"{tag}: certificate issuer {issuer!r} does not name {ca_name!r}")
        errors = cert.get("errors")
        c.check(isinstance(errors, list) and "unknown-ca" in errors,
                f"{tag}: certificate errors {errors!r} lack 'unknown-ca'")
        rows.append((group, url, s, o))
    if data and not reasons_seen:
        c.note("version_reasons is null in every cell: this CLI does not say "
               "yet how it decided them")
    for group, url in endpoints:
        if oracle[url] == url:
            continue
        own, twin = scans[url], scans[oracle[url]]
        own_v = " ".join(f"{v}:{short(own['versions'][v])}" for v in VERSIONS)
        c.note(f"{url} [{group}] judged by sslscan on {oracle[url]}; sslscan on "
               f"{url} itself says {own_v}"
               + (f" (error: {own['error']})" if own["error"] else "")
               + ("" if own["versions"] == twin["versions"] else
                  ": not what the same server with the limit raised accepts"))

    # ---- table
    hdr = (f"{'endpoint':<26} {'grp':<12} " +
           " ".join(f"{'TLS ' + v:>9}" for v in VERSIONS) +
           f"  {'status':<10} {'negotiated':<30} cert errors")
    print()
    print("Per version: ours/sslscan  (acc/rej/ERR/n-t = ours; on/off = sslscan; "
          "? = not reported; exim-limited: sslscan on its twin)")
    print(hdr)
    print("-" * len(hdr))
    for group, url, s, o in rows:
        vers = (o or {}).get("versions") or {}
        cells = []
        for v in VERSIONS:
            cells.append(f"{short(vers.get(v)) if o else '-'}/{short(s['versions'][v])}")
        neg = (o or {}).get("negotiated") or {}
        negs = (f"{neg.get('version', '')} {neg.get('cipher', '')}".strip()
                if o else "-")
        cert = (o or {}).get("certificate") or {}
        errs = ",".join(cert.get("errors") or []) if o else "-"
        status = (o or {}).get("status", "-")
        print(f"{url:<26} {group:<12} " + " ".join(f"{x:>9}" for x in cells) +
              f"  {str(status):<10} {negs[:30]:<30} {errs}")
    print()
    print("sslscan cipher suites accepted per version (information):")
    for group, url, s, o in rows:
        counts = " ".join(f"{v}:{s['ciphers'][v]:>2}" for v in VERSIONS)
        print(f"  {url:<26} {counts}   issuer: {s.get('issuer')}")

    if c.notes:
        print()
        print("Notes:")
        for n in c.notes:
            print("  - " + n)
    if c.failures:
        print()
        print("FAILURES:")
        for f in c.failures:
            print("  - " + f)
    print()
    print(f"{c.passed} passed, {len(c.failures)} failed")
    return 0 if not c.failures else 1


if __name__ == "__main__":
    sys.exit(main())
