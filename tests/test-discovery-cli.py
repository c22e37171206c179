#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Acceptance of discovery from an e-mail address, through the real program.

With autoconfig.example.test resolving to a loopback web server (the testing
hook MTC_HOSTS_FILE; MTC_AUTOCONFIG_HTTP_PORT because the server cannot
listen on port 80) that serves an autoconfig file naming loopback mail
servers (the demo servers, mtc-demo-servers), `mail-tls-check --check
alice@example.test --json` diagnoses exactly those servers."""

import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading

CLI = sys.argv[1]
DEMO = sys.argv[2]
results = []
requests = []


def check(name, condition, info=""):
    results.append((name, bool(condition), info))


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(*args, env=None, timeout=90):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MTC_") or k == "MTC_LOCALEDIR"}
    full_env.update(env or {})
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=full_env, timeout=timeout)


# The demo provider in a process of its own: seven endpoints on 127.0.0.1.
demo = subprocess.Popen([DEMO], stdout=subprocess.PIPE, text=True)
urls = [demo.stdout.readline().strip() for _ in range(7)]
ports = {u.split("://")[0]: int(u.rsplit(":", 1)[1]) for u in urls}


def server(kind, typ, scheme, socket_type):
    return (f'<{kind} type="{typ}"><hostname>mail.%EMAILDOMAIN%</hostname><port>{ports[scheme]}</port>'
            f'<socketType>{socket_type}</socketType><username>%EMAILADDRESS%</username></{kind}>')


AUTOCONFIG = f"""<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.test">
    <domain>example.test</domain>
    <displayName>Example Test Mail</displayName>
    {server("incomingServer", "imap", "imaps", "SSL")}
    {server("incomingServer", "imap", "imap", "STARTTLS")}
    {server("incomingServer", "pop3", "pop3s", "SSL")}
    {server("incomingServer", "pop3", "pop3", "STARTTLS")}
    {server("outgoingServer", "smtp", "smtps", "SSL")}
    {server("outgoingServer", "smtp", "smtp", "STARTTLS")}
  </emailProvider>
  <webMail><loginPage url="https://mail.example.test:{ports['https']}/"/></webMail>
</clientConfig>
""".encode()
EXPECTED = {f"{scheme}://mail.example.test:{port}" for scheme, port in ports.items()}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        requests.append((self.headers.get("Host"), self.path))
        if self.path.startswith("/mail/config-v1.1.xml?"):
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(AUTOCONFIG)))
            self.end_headers()
            self.wfile.write(AUTOCONFIG)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=web.serve_forever, daemon=True).start()
http_port = web.server_address[1]

with tempfile.TemporaryDirectory() as tmp:
    hosts = os.path.join(tmp, "hosts")
    with open(hosts, "w") as f:
        f.write("# the test's names\n127.0.0.1 autoconfig.example.test example.test mail.example.test ispdb.example.test\n")
    # Thunderbird's provider database (ISPDB) too is a stand-in on loopback,
    # on a closed port: the test never asks the real one.
    ispdb_url = f"https://ispdb.example.test:{closed_port()}/v1.1/"
    hooks = {"MTC_HOSTS_FILE": hosts, "MTC_AUTOCONFIG_HTTP_PORT": str(http_port),
             "MTC_AUTOCONFIG_HTTPS_PORT": str(closed_port()), "MTC_ISPDB_URL": ispdb_url}

    # The acceptance run.
    p = run("--check", "alice@example.test", "--json", "--timeout", "5", env=hooks)
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        doc = None
        check("acceptance: JSON", False, f"{e}: exit {p.returncode}, {p.stdout[:200]!r} {p.stderr[:500]!r}")
    if doc is not None:
        eps = doc.get("endpoints", [])
        got = [e["url"] for e in eps]
        check("acceptance: exactly the servers the autoconfig file names",
              len(got) == len(EXPECTED) and set(got) == EXPECTED, f"got {got}, expected {sorted(EXPECTED)}")
        source = f"autoconfig http://autoconfig.example.test:{http_port}/mail/config-v1.1.xml"
        check("acceptance: every endpoint says where it came from",
              all(e["source"].startswith(source) for e in eps), [e["source"] for e in eps])
        check("acceptance: the servers were diagnosed",
              all(e["status"] == "ok" and e["address"] == "127.0.0.1"
                  and e["versions"]["1.2"] == "accepted" and e["versions"]["1.0"] in ("rejected", "not-tested")
                  for e in eps), json.dumps(eps)[:400])
        check("acceptance: exit status 0 or 1, not a usage error", p.returncode in (0, 1), p.stderr)
        notes = (doc.get("discoveries") or [{}])[0].get("notes", {})
        check("acceptance: the ISPDB stand-in was asked for the domain only",
              ispdb_url + "example.test" in notes.get("ispdb", "") and "alice" not in notes.get("ispdb", ""),
              notes)
    query = "?emailaddress=alice%40example.test"
    check("acceptance: the address went only into the autoconfig query",
          ("autoconfig.example.test:%d" % http_port, "/mail/config-v1.1.xml" + query) in requests
          and all(path in ("/mail/config-v1.1.xml" + query, "/.well-known/autoconfig/mail/config-v1.1.xml" + query)
                  for _, path in requests), requests)

    # The text report says where the servers came from.
    p = run("--check", "alice@example.test", "--timeout", "5", "--lang", "en", env=hooks)
    check("text report names autoconfig",
          "The servers for alice@example.test come from the provider’s settings file (autoconfig)."
          in " ".join(p.stdout.split()),
          p.stdout[-600:] + p.stderr)

    # Without MTC_HOSTS_FILE the port hook does nothing: nothing reaches our
    # server. The system's own /etc/hosts is replaced, in a private mount
    # namespace, by one that sends the test's names to 127.0.0.1: so the
    # answer does not depend on this machine's files, and if the port hook
    # did work without MTC_HOSTS_FILE the query would reach our server.
    system_hosts = os.path.join(tmp, "system-hosts")
    with open(system_hosts, "w") as f:
        f.write("127.0.0.1 localhost\n127.0.0.1 autoconfig.example.test example.test mail.example.test\n")
    private = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
               'mount --bind "$0" /etc/hosts && exec "$@"', system_hosts]
    probe = subprocess.run([*private, "cat", "/etc/hosts"], capture_output=True, text=True)
    if probe.returncode != 0 or "autoconfig.example.test" not in probe.stdout:
        results.append(("hooks inert without MTC_HOSTS_FILE # SKIP no private mount namespace here: "
                        + probe.stderr.strip()[:120], True, ""))
    else:
        before = len(requests)
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("MTC_") or k == "MTC_LOCALEDIR"}
        full_env["MTC_AUTOCONFIG_HTTP_PORT"] = str(http_port)
        p = subprocess.run([*private, CLI, "--check", "alice@example.test", "--json", "--timeout", "2"],
                           capture_output=True, text=True, env=full_env, timeout=90)
        check("hooks inert without MTC_HOSTS_FILE", len(requests) == before and p.returncode == 1,
              f"exit {p.returncode}, {p.stderr[:300]!r}, requests {requests[before:]}")

    # A broken hosts file is a usage error that names the file.
    with open(hosts, "w") as f:
        f.write("not-an-address autoconfig.example.test\n")
    p = run("--check", "alice@example.test", env=hooks)
    check("broken hosts file", p.returncode == 2 and hosts in p.stderr and "line 1" in p.stderr, p.stderr)

web.shutdown()
demo.terminate()
demo.wait(timeout=10)

print(f"1..{len(results)}")
for i, (name, ok, info) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} {name}")
    if not ok and info:
        for line in str(info).splitlines():
            print(f"# {line}")
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
