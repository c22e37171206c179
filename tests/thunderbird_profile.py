# SPDX-License-Identifier: GPL-3.0-or-later
"""Thunderbird 128 profiles (profiles.ini, compatibility.ini, prefs.js) as
Thunderbird writes them, with the pref names the readers cite from
comm-central.

write_accounts(home, accounts) writes one profile with the given accounts:
each a dict with "address", "imap" = (host, port, socketType) and "smtp" =
(host, port, try_ssl) (2 = STARTTLS, 3 = SSL/TLS), and optionally "extra",
more prefs of that account's incoming server (e.g. a password).

write_profile(home, ports) is the one for the loopback demo servers:
alice@example.test sends with STARTTLS on the implicit-TLS port;
bob@example.test uses everything as published. PORTS maps a scheme (smtp,
smtps, imaps, …) to the demo server's port, as mtc-demo-servers prints
them."""

import os

PROFILE = "abcd1234.default-release"


def write_accounts(home, accounts, more_profiles=""):
    """Returns the profile's directory."""
    tb = os.path.join(home, ".thunderbird")
    profile = os.path.join(tb, PROFILE)
    os.makedirs(profile)
    with open(os.path.join(tb, "profiles.ini"), "w") as f:
        f.write(f"[Profile0]\nName=default-release\nIsRelative=1\nPath={PROFILE}\nDefault=1\n\n"
                f"{more_profiles}[General]\nStartWithLastProfile=1\nVersion=2\n")
    with open(os.path.join(profile, "compatibility.ini"), "w") as f:
        f.write("[Compatibility]\nLastVersion=128.5.0_20241119000000/20241119000000\nLastOSABI=Linux_x86_64-gcc3\n")
    names = ",".join(f"account{i}" for i in range(1, len(accounts) + 1))
    prefs = {"mail.accountmanager.accounts": f'"{names}"'}
    for i, account in enumerate(accounts, 1):
        imap_host, imap_port, socket_type = account["imap"]
        smtp_host, smtp_port, try_ssl = account["smtp"]
        prefs.update({
            f"mail.account.account{i}.identities": f'"id{i}"',
            f"mail.account.account{i}.server": f'"server{i}"',
            f"mail.identity.id{i}.useremail": f'"{account["address"]}"',
            f"mail.identity.id{i}.smtpServer": f'"smtp{i}"',
            f"mail.server.server{i}.hostname": f'"{imap_host}"',
            f"mail.server.server{i}.port": imap_port,
            f"mail.server.server{i}.socketType": socket_type,
            f"mail.server.server{i}.type": '"imap"',
            f"mail.server.server{i}.userName": f'"{account["address"]}"',
            **{f"mail.server.server{i}.{k}": v for k, v in account.get("extra", {}).items()},
            f"mail.smtpserver.smtp{i}.hostname": f'"{smtp_host}"',
            f"mail.smtpserver.smtp{i}.port": smtp_port,
            f"mail.smtpserver.smtp{i}.try_ssl": try_ssl,
        })
    prefs["mail.smtpservers"] = '"' + ",".join(f"smtp{i}" for i in range(1, len(accounts) + 1)) + '"'
    with open(os.path.join(profile, "prefs.js"), "w") as f:
        f.write("// Mozilla User Preferences\n\n")
        for key, value in prefs.items():
            f.write(f'user_pref("{key}", {value});\n')
    return profile


def write_profile(home, ports):
    return write_accounts(home, [
        # alice: receives as published, sends with STARTTLS on the implicit-TLS port.
        {"address": "alice@example.test", "imap": ("127.0.0.1", ports["imaps"], 3),
         "smtp": ("127.0.0.1", ports["smtps"], 2)},
        # bob: everything as published.
        {"address": "bob@example.test", "imap": ("127.0.0.1", ports["imaps"], 3),
         "smtp": ("127.0.0.1", ports["smtps"], 3)},
    ])
