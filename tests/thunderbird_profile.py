# SPDX-License-Identifier: GPL-3.0-or-later
"""A Thunderbird 128 profile (profiles.ini, compatibility.ini, prefs.js) for
the loopback demo servers, as Thunderbird writes it (the pref names the
readers cite from comm-central): alice@example.test sends with STARTTLS on
the implicit-TLS port; bob@example.test uses everything as published.
PORTS maps a scheme (smtp, smtps, imaps, …) to the demo server's port, as
mtc-demo-servers prints them."""

import os


def write_profile(home, ports):
    profile = os.path.join(home, ".thunderbird", "abcd1234.default-release")
    os.makedirs(profile)
    with open(os.path.join(home, ".thunderbird", "profiles.ini"), "w") as f:
        f.write("[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd1234.default-release\nDefault=1\n\n"
                "[General]\nStartWithLastProfile=1\nVersion=2\n")
    with open(os.path.join(profile, "compatibility.ini"), "w") as f:
        f.write("[Compatibility]\nLastVersion=128.5.0_20241119000000/20241119000000\nLastOSABI=Linux_x86_64-gcc3\n")
    prefs = {
        # alice: receives as published, sends with STARTTLS on the implicit-TLS port.
        "mail.accountmanager.accounts": '"account1,account2"',
        "mail.account.account1.identities": '"id1"',
        "mail.account.account1.server": '"server1"',
        "mail.identity.id1.useremail": '"alice@example.test"',
        "mail.identity.id1.smtpServer": '"smtp1"',
        "mail.server.server1.hostname": '"127.0.0.1"',
        "mail.server.server1.port": ports["imaps"],
        "mail.server.server1.socketType": 3,
        "mail.server.server1.type": '"imap"',
        "mail.server.server1.userName": '"alice@example.test"',
        "mail.smtpserver.smtp1.hostname": '"127.0.0.1"',
        "mail.smtpserver.smtp1.port": ports["smtps"],
        "mail.smtpserver.smtp1.try_ssl": 2,
        # bob: everything as published.
        "mail.account.account2.identities": '"id2"',
        "mail.account.account2.server": '"server2"',
        "mail.identity.id2.useremail": '"bob@example.test"',
        "mail.identity.id2.smtpServer": '"smtp2"',
        "mail.server.server2.hostname": '"127.0.0.1"',
        "mail.server.server2.port": ports["imaps"],
        "mail.server.server2.socketType": 3,
        "mail.server.server2.type": '"imap"',
        "mail.smtpserver.smtp2.hostname": '"127.0.0.1"',
        "mail.smtpserver.smtp2.port": ports["smtps"],
        "mail.smtpserver.smtp2.try_ssl": 3,
        "mail.smtpservers": '"smtp1,smtp2"',
    }
    with open(os.path.join(profile, "prefs.js"), "w") as f:
        f.write("// Mozilla User Preferences\n\n")
        for key, value in prefs.items():
            f.write(f'user_pref("{key}", {value});\n')
