#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The wizard starts from the accounts found (issue 14, item 2), through
AT-SPI, in English and German.  HOME is a fixture home whose Thunderbird
profile uses the loopback demo servers (mtc-demo-servers) and sends with
STARTTLS on the implicit-TLS port; a second profile is broken.  The person
picks the account with the keyboard: the address is filled in, the computer
page has Thunderbird selected with the version its profile states, the check
runs and the steps page says which setting to change.  An empty home: the
provider page as before, without a list.  Screenshots of the provider page
with accounts at 360 and 1024 px, once in the dark theme."""

import os
import subprocess
import sys
import tempfile
import time

from wizardtest import APP, button, check, finish, has_text, screenshot, start, stop, wait_sensitive

from dogtail import rawinput  # noqa: E402 (after wizardtest, which configures dogtail)

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from thunderbird_profile import write_accounts  # noqa: E402

BUILD = os.path.dirname(os.path.dirname(os.path.abspath(APP)))
SCHEMA_DIR = os.path.join(BUILD, "data")
DEMO = os.path.join(BUILD, "src", "demo", "mtc-demo-servers")

TEXTS = {
    "en": {
        "next": "Next",
        "keys": {"Next": "n", "Check": "c", "What You Can Do": "w"},
        "provider": "Your Mail Provider",
        "found": "Found in the mail programs on this computer",
        "row": "In Thunderbird: alice@example.test — receives from 127.0.0.1, port {imaps}, SSL/TLS; "
               "sends through 127.0.0.1, port {smtps}, STARTTLS",
        "another": "Another address, typed below",
        "problem": "could not be read: line 1: a text has no closing quotation mark.",
        "computer": "Your Computer and Mail Program",
        "version": "Version: Thunderbird 128.5.0, as its settings say.",
        "check": "Check",
        "what": "What You Can Do",
        "verdict": "A Setting in Thunderbird Needs to Change",
        # The demo provider's servers run on other ports than the account's
        # (mtc-demo-servers): the step names the port that works, with SSL/TLS.
        "step": "Change the Port to",
        "change": "“Connection security” to “SSL/TLS”",
    },
    "de": {
        "next": "Weiter",
        "keys": {"Weiter": "w", "Prüfen": "p", "Was Sie tun können": "w"},
        "provider": "Ihr E-Mail-Anbieter",
        "found": "In den E-Mail-Programmen auf diesem Computer gefunden",
        "row": "In Thunderbird: alice@example.test – empfängt von 127.0.0.1, Port {imaps}, SSL/TLS; "
               "sendet über 127.0.0.1, Port {smtps}, STARTTLS",
        "another": "Eine andere Adresse, die Sie unten eingeben",
        "problem": "konnte nicht gelesen werden",
        "computer": "Ihr Computer und Ihr E-Mail-Programm",
        "version": "Version: Thunderbird 128.5.0, laut seinen Einstellungen.",
        "check": "Prüfen",
        "what": "Was Sie tun können",
        "verdict": "Eine Einstellung in Thunderbird muss geändert werden",
        "step": "Den Port auf",
        "change": "„Verbindungssicherheit“ auf „SSL/TLS“",
    },
}


def write_home(ports):
    """A home with Thunderbird's profiles.ini, a profile for the demo servers
    and a broken one."""
    home = tempfile.mkdtemp(prefix="mtc-accounts-home-")
    write_accounts(home, [{
        "address": "alice@example.test", "imap": ("127.0.0.1", ports["imaps"], 3),
        "smtp": ("127.0.0.1", ports["smtps"], 2),
        # A password in the settings file: never shown, never sent.
        "extra": {"password": '"geheim-123"'},
    }], more_profiles="[Profile1]\nName=old\nIsRelative=1\nPath=broken.old\n\n")
    os.makedirs(os.path.join(home, ".thunderbird", "broken.old"))
    with open(os.path.join(home, ".thunderbird", "broken.old", "prefs.js"), "w") as f:
        f.write('user_pref("mail.accountmanager.accounts", "acc\n')
    return home


def environment(home, width, theme=None):
    """The wizard in HOME, its remembered window @width px wide."""
    config = os.path.join(home, "config")
    os.makedirs(os.path.join(config, "glib-2.0", "settings"), exist_ok=True)
    with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write(f"[io/github/mailtlscheck/MailTlsCheck]\nwindow-size=({width}, 700)\n")
    env = {"HOME": home, "GSETTINGS_BACKEND": "keyfile", "GSETTINGS_SCHEMA_DIR": SCHEMA_DIR,
           "XDG_CONFIG_HOME": config, "XDG_DATA_HOME": os.path.join(home, "data")}
    if theme:
        env["GTK_THEME"] = theme
    return env


def rows(app):
    return app.findChildren(lambda n: n.roleName == "list item" and n.showing, recursive=True)


def focused(app):
    found = app.findChildren(lambda n: n.focused and n.showing, recursive=True)
    return found[0] if found else None


def point_at(app):
    # Without a window manager the keyboard goes where the pointer is.
    frame = app.child(roleName="frame")
    (x, y), (w, h) = frame.position, frame.size
    rawinput.absoluteMotion(x + w // 2, y + h // 2)


def forward(app, t, name):
    b = button(app, name)
    if b is None or not wait_sensitive(b):
        return False
    rawinput.keyCombo("<Alt>" + t["keys"][name])
    return True


def to_provider(lang, env, tag):
    """The wizard started in @env and taken to the provider page by keyboard."""
    t = TEXTS[lang]
    proc, app = start(lang, env)
    point_at(app)
    ok = check(f"{tag}: welcome → provider", forward(app, t, t["next"]) and has_text(app, t["provider"]))
    return proc, app, ok


def pick_and_check(lang, home, ports):
    """The whole way with the keyboard: the account, the computer page, the
    check, the steps page."""
    t = TEXTS[lang]
    tag = f"{lang}"
    row_name = t["row"].format(**ports)
    proc, app, ok = to_provider(lang, environment(home, 1024), tag)
    try:
        if not ok:
            return
        check(f"{tag}: the list is labelled: {t['found']}", has_text(app, t["found"]))
        time.sleep(0.5)
        names = [r.name for r in rows(app)]
        check(f"{tag}: one row for the account, its accessible name the sentence, then another address",
              names == [row_name, t["another"]], names)
        check(f"{tag}: the broken profile is one quiet line", has_text(app, t["problem"]))
        check(f"{tag}: no password anywhere on the page",
              not app.findChildren(lambda n: "geheim-123" in (n.name or ""), recursive=True))
        now = focused(app)
        check(f"{tag}: the keyboard starts on the account", now is not None and now.name == row_name,
              now.name if now else None)
        rawinput.pressKey("space")
        time.sleep(0.5)
        entry = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)
        check(f"{tag}: Space on the account fills in its address",
              entry and entry[0].text == "alice@example.test", entry[0].text if entry else None)
        selected = [r.name for r in rows(app) if r.selected]
        check(f"{tag}: the account's row is selected", selected == [row_name], selected)

        if not check(f"{tag}: provider → computer", forward(app, t, t["next"]) and has_text(app, t["computer"])):
            return
        combo = app.findChildren(lambda n: n.roleName == "combo box" and n.showing, recursive=True)
        check(f"{tag}: Thunderbird selected on the computer page", combo and "Thunderbird" in (combo[0].name or ""),
              combo[0].name if combo else "no combo box")
        check(f"{tag}: with the version its profile states: {t['version']}", has_text(app, t["version"]))
        other = app.findChildren(lambda n: n.roleName == "check box" and n.showing, recursive=True)
        check(f"{tag}: the problem is on this computer, where the account is set up",
              other and not other[0].checked, [o.name for o in other])
        screenshot(f"accounts-{lang}-computer")

        check(f"{tag}: computer → check", forward(app, t, t["check"]))
        check(f"{tag}: the result page offers the steps", button(app, t["what"], timeout=40) is not None)
        check(f"{tag}: the verdict is wrong-settings: {t['verdict']}", has_text(app, t["verdict"]))
        screenshot(f"accounts-{lang}-result")
        check(f"{tag}: result → steps", forward(app, t, t["what"]))
        check(f"{tag}: the steps page names the setting: {t['step']} …", has_text(app, t["step"], timeout=10))
        check(f"{tag}: … and the change to make: {t['change']}", has_text(app, t["change"]))
        screenshot(f"accounts-{lang}-steps")
    finally:
        stop(proc)


def typed_over(home, ports):
    """Another address typed over the account's: the list follows."""
    t = TEXTS["en"]
    proc, app, ok = to_provider("en", environment(home, 1024), "en (typing)")
    try:
        if not check("en: the accounts are listed", ok and has_text(app, t["found"])):
            return
        time.sleep(0.5)
        rawinput.pressKey("space")
        time.sleep(0.3)
        entry = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)[0]
        entry.text = "bob@example.test"
        time.sleep(0.5)
        selected = [r.name for r in rows(app) if r.selected]
        check("en: an address typed over the account's selects Another address", selected == [t["another"]],
              selected)
    finally:
        stop(proc)


def provider_page(lang, home, width, theme=None):
    tag = f"{lang} {width}px" + (" dark" if theme else "")
    proc, app, ok = to_provider(lang, environment(home, width, theme), tag)
    try:
        if not ok:
            return
        time.sleep(0.5)
        frame = app.child(roleName="frame")
        (x, _), (w, _) = frame.position, frame.size
        wide = [r.name for r in rows(app) if r.position[0] + r.size[0] > x + w]
        check(f"{tag}: the rows fit the window", rows(app) and not wide, wide)
        screenshot(f"accounts-{lang}-{width}" + ("-dark" if theme else "") + "-provider")
    finally:
        stop(proc)


def nothing_found():
    """An empty home: the page as it always was, the address field first."""
    t = TEXTS["en"]
    home = tempfile.mkdtemp(prefix="mtc-accounts-empty-")
    proc, app, ok = to_provider("en", environment(home, 1024), "empty home")
    try:
        if not ok:
            return
        time.sleep(1)
        check("empty home: no list of accounts", not rows(app) and not has_text(app, t["found"], timeout=1))
        now = focused(app)
        check("empty home: the address field has the focus", now is not None and now.roleName == "text",
              now.roleName if now else None)
    finally:
        stop(proc)


demo = subprocess.Popen([DEMO], stdout=subprocess.PIPE, text=True)
try:
    urls = [demo.stdout.readline().strip() for _ in range(7)]
    ports = {u.split("://")[0]: int(u.rsplit(":", 1)[1]) for u in urls}
    home = write_home(ports)
    for lang in ("en", "de"):
        pick_and_check(lang, home, ports)
    typed_over(home, ports)
    for lang in ("en", "de"):
        for width in (360, 1024):
            provider_page(lang, home, width)
    provider_page("de", home, 1024, theme="Adwaita:dark")
    nothing_found()
finally:
    demo.terminate()
    demo.wait()

finish()
