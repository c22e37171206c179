#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""1,001 endpoints under `ulimit -n 256`: every one checked right, no "Too
many open files", no abort.  143 server names (a hosts file, MTC_HOSTS_FILE)
on 20 loopback addresses, each served by a demo provider process (seven
ports), make 1,001 endpoints on 140 ports: more than 4 connections to each
could hold at once would exceed the descriptor limit many times over.
MTC_SCALE_NAMES, MTC_SCALE_ADDRESSES and MTC_SCALE_NOFILE change the numbers, for
measuring."""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

CLI = sys.argv[1]
DEMO = sys.argv[2]
N_ADDRESSES = int(os.environ.get("MTC_SCALE_ADDRESSES", "20"))
N_NAMES = int(os.environ.get("MTC_SCALE_NAMES", "143"))
LIMIT = int(os.environ.get("MTC_SCALE_NOFILE", "256"))
results = []


def check(name, condition, info=""):
    results.append((name, bool(condition), info))


servers = []
ports = {}
try:
    for i in range(N_ADDRESSES):
        address = f"127.0.1.{i + 1}"
        server = subprocess.Popen([DEMO, "--address", address], stdout=subprocess.PIPE, text=True)
        servers.append(server)
        urls = [server.stdout.readline().strip() for _ in range(7)]
        ports[address] = [(url.split(":")[0], url.rsplit(":", 1)[1]) for url in urls]

    # --max-connections: 1 to 4, and the check is still right with 1.
    for bad in ("0", "5", "two", ""):
        p = subprocess.run([CLI, "--check", "--max-connections", bad, "imaps://127.0.0.1"], capture_output=True,
                           text=True)
        check(f"--max-connections {bad!r} refused", p.returncode == 2 and "between 1 and 4" in p.stderr, p.stderr)
    first = [f"{scheme}://127.0.1.1:{port}" for scheme, port in ports["127.0.1.1"]]
    p = subprocess.run([CLI, "--check", "--json", "--max-connections", "1", *first], capture_output=True, text=True)
    one = json.loads(p.stdout)["endpoints"] if p.stdout.startswith("{") else []
    check("--max-connections 1: every endpoint ok",
          len(one) == 7 and all(e["status"] == "ok" and e["versions"]["1.2"] == "accepted" for e in one),
          p.stdout[-2000:] + p.stderr[-2000:])

    with tempfile.NamedTemporaryFile("w", suffix=".hosts", delete=False) as hosts:
        targets = []
        for n in range(N_NAMES):
            address = f"127.0.1.{n % N_ADDRESSES + 1}"
            name = f"mail{n}.scale.test"
            hosts.write(f"{address} {name}\n")
            targets += [f"{scheme}://{name}:{port}" for scheme, port in ports[address]]

    def lower_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))

    start = time.monotonic()
    p = subprocess.run([CLI, "--check", "--json", *targets], capture_output=True, text=True,
                       env={**os.environ, "MTC_HOSTS_FILE": hosts.name}, preexec_fn=lower_limit, timeout=600)
    elapsed = time.monotonic() - start
    os.unlink(hosts.name)

    check("no abort", p.returncode in (0, 1), f"exit {p.returncode}: {p.stderr[-2000:]}")
    check("no “Too many open files”", "Too many open files" not in p.stdout + p.stderr,
          p.stderr[-2000:])
    report = json.loads(p.stdout) if p.stdout.startswith("{") else {"endpoints": []}
    endpoints = report["endpoints"]
    check(f"{len(targets)} endpoints reported", len(endpoints) == len(targets) == 7 * N_NAMES, len(endpoints))
    wrong = [(e["url"], e["status"], e["detail"]) for e in endpoints if e["status"] != "ok"]
    check("every endpoint ok", not wrong, f"{len(wrong)} not ok, e.g. {wrong[:3]}")
    expected = {"1.0": "rejected", "1.1": "rejected", "1.2": "accepted", "1.3": "accepted"}
    cells = [e["url"] for e in endpoints if e["versions"] != expected]
    check("every cell right", not cells, f"{len(cells)} wrong, e.g. {cells[:3]}")
    print(f"# {len(endpoints)} endpoints with ulimit -n {LIMIT} in {elapsed:.1f} s, "
          f"{len(wrong)} not ok", flush=True)
finally:
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait()

print(f"1..{len(results)}")
for i, (name, ok, info) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} {name}")
    if not ok:
        for line in str(info).splitlines():
            print(f"# {line}")
