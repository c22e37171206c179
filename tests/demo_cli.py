# SPDX-License-Identifier: GPL-3.0-or-later
"""What the --account acceptance scripts share: the loopback demo servers
(mtc-demo-servers) started for the duration of a `with`, their ports and
the provider's endpoints, and the CLI run in a given HOME, in the C locale,
without the test hooks (MTC_*) of the environment."""

import contextlib
import os
import subprocess


def run(cli, home, *args):
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LANG", "LC_MESSAGES") and (not k.startswith("MTC_") or k == "MTC_LOCALEDIR")}
    env.update({"HOME": home, "LC_ALL": "C.UTF-8"})
    return subprocess.run([cli, *args], capture_output=True, text=True, env=env, timeout=120)


@contextlib.contextmanager
def demo_servers(demo):
    """Yields (ports, provider): PORTS maps a scheme (smtp, smtps, imaps, …)
    to its port, PROVIDER the provider's endpoints to check beside the
    account's."""
    proc = subprocess.Popen([demo], stdout=subprocess.PIPE, text=True)
    try:
        urls = [proc.stdout.readline().strip() for _ in range(7)]
        ports = {u.split("://")[0]: int(u.rsplit(":", 1)[1]) for u in urls}
        provider = [f"smtp://127.0.0.1:{ports['smtp']}", f"smtps://127.0.0.1:{ports['smtps']}",
                    f"imaps://127.0.0.1:{ports['imaps']}"]
        yield ports, provider
    finally:
        proc.terminate()
        proc.wait()
