#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Evolution's own source registry (evolution-data-server, in a private
D-Bus session, its configuration in a scratch home) against our reader:
the registry writes a new mail account itself, then lists the mail accounts
it understands, the fixture's and its own; `mail-tls-check --accounts
--json` on the same home must list the same addresses, servers, ports and
connection security.  Needs the Debian packages evolution-data-server,
gir1.2-edataserver-1.2, python3-gi and dbus (dev.sh installs them)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

SECURITY = {"none": "none", "starttls-on-standard-port": "starttls", "ssl-on-alternate-port": "ssl-tls"}
PROTOCOL = {"imapx": "imap", "pop": "pop3"}


def inside_the_session():
    """Run by dbus-run-session: what the registry says, as JSON on stdout."""
    import gi
    gi.require_version("EDataServer", "1.2")
    from gi.repository import EDataServer as E

    registry = E.SourceRegistry.new_sync(None)

    # A new account, written by the registry itself into XDG_CONFIG_HOME.
    account = E.Source.new(None, None)
    account.set_display_name("Written by the registry")
    account.get_extension(E.SOURCE_EXTENSION_MAIL_ACCOUNT).set_backend_name("imapx")
    auth = account.get_extension(E.SOURCE_EXTENSION_AUTHENTICATION)
    auth.set_host("imap.registry.example")
    auth.set_port(143)
    auth.set_user("gerd")
    account.get_extension(E.SOURCE_EXTENSION_SECURITY).set_method("starttls-on-standard-port")
    identity = E.Source.new(None, None)
    identity.set_parent(account.get_uid())
    identity.get_extension(E.SOURCE_EXTENSION_MAIL_IDENTITY).set_address("gerd@registry.example")
    transport = E.Source.new(None, None)
    transport.set_parent(account.get_uid())
    transport.get_extension(E.SOURCE_EXTENSION_MAIL_TRANSPORT).set_backend_name("smtp")
    tauth = transport.get_extension(E.SOURCE_EXTENSION_AUTHENTICATION)
    tauth.set_host("smtp.registry.example")
    tauth.set_port(465)
    transport.get_extension(E.SOURCE_EXTENSION_SECURITY).set_method("ssl-on-alternate-port")
    identity.get_extension(E.SOURCE_EXTENSION_MAIL_SUBMISSION).set_transport_uid(transport.get_uid())
    account.get_extension(E.SOURCE_EXTENSION_MAIL_ACCOUNT).set_identity_uid(identity.get_uid())
    registry.create_sources_sync([account, identity, transport], None)

    def server(source, protocol):
        auth = source.get_extension(E.SOURCE_EXTENSION_AUTHENTICATION)
        return {"protocol": protocol, "host": auth.get_host(), "port": auth.get_port() or None,
                "security": SECURITY.get(source.get_extension(E.SOURCE_EXTENSION_SECURITY).get_method(),
                                         "unknown")}

    found = []
    for source in registry.list_enabled(E.SOURCE_EXTENSION_MAIL_ACCOUNT):
        backend = source.get_extension(E.SOURCE_EXTENSION_MAIL_ACCOUNT).get_backend_name()
        if backend not in PROTOCOL:
            continue  # "On This Computer", "Search Folders"
        entry = {"address": None, "incoming": server(source, PROTOCOL[backend]), "outgoing": None}
        identity = registry.ref_source(source.get_extension(E.SOURCE_EXTENSION_MAIL_ACCOUNT).get_identity_uid())
        if identity is not None:
            entry["address"] = identity.get_extension(E.SOURCE_EXTENSION_MAIL_IDENTITY).get_address()
            transport = registry.ref_source(
                identity.get_extension(E.SOURCE_EXTENSION_MAIL_SUBMISSION).get_transport_uid())
            if transport is not None and \
               transport.get_extension(E.SOURCE_EXTENSION_MAIL_TRANSPORT).get_backend_name() == "smtp":
                entry["outgoing"] = server(transport, "smtp")
        found.append(entry)
    print(json.dumps(found))


if len(sys.argv) > 1 and sys.argv[1] == "--inside":
    inside_the_session()
    sys.exit(0)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import check, finish  # noqa: E402

CLI = sys.argv[1]
FIXTURE = os.path.join(os.environ["G_TEST_SRCDIR"], "data", "accounts", "home", ".config", "evolution")

with tempfile.TemporaryDirectory() as home:
    shutil.copytree(FIXTURE, os.path.join(home, ".config", "evolution"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBUS_")}
    env.update({"HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
                "XDG_CACHE_HOME": os.path.join(home, ".cache"), "GSETTINGS_BACKEND": "memory"})
    p = subprocess.run(["dbus-run-session", "--", "/usr/bin/python3", os.path.abspath(__file__), "--inside"],
                       capture_output=True, text=True, env=env, timeout=120)
    try:
        registry = json.loads(p.stdout)
    except ValueError:
        registry = None
    check("Evolution's registry ran in a private D-Bus session and listed mail accounts",
          p.returncode == 0 and registry is not None, f"exit {p.returncode}\n{p.stdout}\n{p.stderr[-2000:]}")
    registry = registry or []
    check("it lists the fixture's enabled account and the one it wrote itself, not the disabled one",
          sorted(a["address"] or "" for a in registry) == ["carla@example.com", "gerd@registry.example"],
          json.dumps(registry, indent=1))

    p = subprocess.run([CLI, "--accounts", "--json"], capture_output=True, text=True, env=env, timeout=60)
    ours = [{k: a[k] for k in ("address", "incoming", "outgoing")}
            for a in json.loads(p.stdout)["accounts"] if a["program"] == "evolution"]
    key = lambda a: a["address"] or ""  # noqa: E731
    check("our reader lists the same accounts, servers, ports and security as the registry",
          sorted(ours, key=key) == sorted(registry, key=key),
          f"ours: {json.dumps(ours, indent=1)}\nregistry: {json.dumps(registry, indent=1)}")
    check("and names the file the registry could not load either",
          any("broken.source could not be read" in s for s in json.loads(p.stdout)["problems"]), p.stdout)

finish()
