#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A KMail account found and picked in the wizard (issue 14, items 1 and 2),
through AT-SPI, in English and German.  HOME holds KMail's files as its
libraries write them (an Akonadi IMAP resource, mailtransports,
emailidentities) for the loopback demo servers (mtc-demo-servers), sending
with STARTTLS on the implicit-TLS port.  The provider page lists "In KMail:
…"; picking it fills in the address, the computer page has KMail selected,
and the check ends in "A Setting in KMail Needs to Change" with the change
to make.  Screenshots of the provider page at 360 and 1024 px, in both
languages and once in the dark theme."""

import os
import shutil
import sys
import tempfile
import time

from wizardtest import APP, check, finish, has_text, press, screenshot, settings_env, start, stop

from dogtail import rawinput  # noqa: E402 (after wizardtest, which configures dogtail)

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from demo_cli import demo_servers  # noqa: E402

DEMO = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(APP))), "src", "demo", "mtc-demo-servers")

TEXTS = {
    "en": {
        "next": "Next", "check": "Check", "what": "What You Can Do",
        "provider": "Your Mail Provider",
        "row": "In KMail: ute@example.test — receives from 127.0.0.1, port {imaps}, SSL/TLS; "
               "sends through 127.0.0.1, port {smtps}, STARTTLS",
        "computer": "Your Computer and Mail Program",
        "verdict": "A Setting in KMail Needs to Change",
        "step": "In KMail, change the outgoing mail server 127.0.0.1 of your account",
    },
    "de": {
        "next": "Weiter", "check": "Prüfen", "what": "Was Sie tun können",
        "provider": "Ihr E-Mail-Anbieter",
        "row": "In KMail: ute@example.test – empfängt von 127.0.0.1, Port {imaps}, SSL/TLS; "
               "sendet über 127.0.0.1, Port {smtps}, STARTTLS",
        "computer": "Ihr Computer und Ihr E-Mail-Programm",
        "verdict": "Eine Einstellung in KMail muss geändert werden",
        "step": "Öffnen Sie in KMail die Einstellungen des Postausgangsservers 127.0.0.1",
    },
}


def write_home(ports):
    home = tempfile.mkdtemp(prefix="mtc-kmail-home-")
    config = os.path.join(home, ".config")
    os.makedirs(config)
    files = {
        "akonadi_imap_resource_0rc": f"[network]\nImapServer=127.0.0.1\nImapPort={ports['imaps']}\nname=Ute\n",
        "emailidentities": "[Identity #0]\nEmail Address=ute@example.test\nTransport=1001\nuoid=4711\n",
        # A password kept in the file where no keyring was found: never shown.
        "mailtransports": "[Transport 1001]\nencryption=TLS\nhost=127.0.0.1\nid=1001\npassword=geheim-123\n"
                          f"port={ports['smtps']}\n",
    }
    for name, text in files.items():
        with open(os.path.join(config, name), "w") as f:
            f.write(text)
    return home


def to_provider(lang, home, width, tag, theme=None):
    env = dict(settings_env(width, 700), HOME=home)
    if theme:
        env["GTK_THEME"] = theme
    proc, app = start(lang, env)
    # Without a window manager the keyboard goes where the pointer is.
    frame = app.child(roleName="frame")
    (x, y), (w, h) = frame.position, frame.size
    rawinput.absoluteMotion(x + w // 2, y + h // 2)
    ok = check(f"{tag}: welcome → provider",
               press(app, TEXTS[lang]["next"]) and has_text(app, TEXTS[lang]["provider"]))
    return proc, app, ok


def rows(app):
    return app.findChildren(lambda n: n.roleName == "list item" and n.showing, recursive=True)


def pick_and_check(lang, home, ports):
    t = TEXTS[lang]
    row_name = t["row"].format(**ports)
    proc, app, ok = to_provider(lang, home, 1024, lang)
    try:
        if not ok:
            return
        time.sleep(0.5)
        names = [r.name for r in rows(app)]
        check(f"{lang}: the KMail account listed in words: {row_name}", row_name in names, names)
        check(f"{lang}: no password anywhere on the page",
              not app.findChildren(lambda n: "geheim-123" in (n.name or ""), recursive=True))
        rawinput.pressKey("space")
        time.sleep(0.5)
        entry = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)
        check(f"{lang}: picking it fills in its address", entry and entry[0].text == "ute@example.test",
              entry[0].text if entry else None)
        if not check(f"{lang}: provider → computer", press(app, t["next"]) and has_text(app, t["computer"])):
            return
        combo = app.findChildren(lambda n: n.roleName == "combo box" and n.showing, recursive=True)
        check(f"{lang}: KMail selected on the computer page", combo and "KMail" in (combo[0].name or ""),
              combo[0].name if combo else "no combo box")
        check(f"{lang}: computer → check", press(app, t["check"]))
        check(f"{lang}: the verdict: {t['verdict']}", has_text(app, t["verdict"], timeout=40))
        check(f"{lang}: result → steps", press(app, t["what"]))
        check(f"{lang}: the step names KMail and the server: {t['step']}", has_text(app, t["step"], timeout=10))
        screenshot(f"accounts-kmail-{lang}-steps")
    finally:
        stop(proc)


def provider_page(lang, home, width, theme=None):
    tag = f"{lang} {width}px" + (" dark" if theme else "")
    proc, app, ok = to_provider(lang, home, width, tag, theme)
    try:
        if ok:
            time.sleep(0.5)
            check(f"{tag}: the KMail row is shown", any("In KMail:" in (r.name or "") for r in rows(app)))
            screenshot(f"accounts-kmail-{lang}-{width}" + ("-dark" if theme else "") + "-provider")
    finally:
        stop(proc)


with demo_servers(DEMO) as (ports, provider):
    home = write_home(ports)
    for lang in ("en", "de"):
        pick_and_check(lang, home, ports)
        for width in (360, 1024):
            provider_page(lang, home, width)
    provider_page("de", home, 1024, theme="Adwaita:dark")
    shutil.rmtree(home)

finish()
