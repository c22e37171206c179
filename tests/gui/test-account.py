#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The wizard with Thunderbird set up wrongly on this computer: HOME holds a
Thunderbird profile for the loopback demo servers (mtc-demo-servers) in
which alice@example.test sends with STARTTLS on the implicit-TLS port.  The
person types her address and the provider's servers by hand; the check
probes her account as Thunderbird is set, the result is wrong-settings (the
command line's --json says the same id) and the steps page says, in
Thunderbird's own words, to set "Connection security" to "SSL/TLS", with
Copy Settings copying exactly that change.  In English and German, at 360
and 1024 pixels, once in the dark theme."""

import json
import os
import subprocess
import sys
import tempfile
import time

from wizardtest import APP, button, check, finish, has_text, press, screenshot, start, stop
from dogtail import rawinput  # noqa: E402 (after wizardtest, which configures dogtail)

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from thunderbird_profile import write_profile  # noqa: E402

BUILDDIR = os.path.dirname(os.path.dirname(os.path.abspath(APP)))
DEMO = os.path.join(BUILDDIR, "src", "demo", "mtc-demo-servers")
ADDRESS = "alice@example.test"

TEXTS = {
    "en": {
        "next": "Next",
        "check": "Check",
        "what": "What You Can Do",
        "provider": "Your Mail Provider",
        "computer": "Your Computer and Mail Program",
        "expander": "Enter servers by hand",
        "result": "A Setting in Thunderbird Needs to Change",
        "explains": "For sending mail, your mail program is set to another kind of encryption",
        "steps": "What You Can Do",
        "step": "Change the Connection Security to SSL/TLS",
        "how": "set “Connection security” to “SSL/TLS”",
        "change": "Connection security: SSL/TLS",
        "copy": "Copy Settings",
        "copied": "The settings are copied.",
    },
    "de": {
        "next": "Weiter",
        "check": "Prüfen",
        "what": "Was Sie tun können",
        "provider": "Ihr E-Mail-Anbieter",
        "computer": "Ihr Computer und Ihr E-Mail-Programm",
        "expander": "Server von Hand eingeben",
        "result": "Eine Einstellung in Thunderbird muss geändert werden",
        "explains": "Zum Senden ist Ihr E-Mail-Programm auf eine andere Art der Verschlüsselung eingestellt",
        "steps": "Was Sie tun können",
        "step": "Die Verbindungssicherheit auf SSL/TLS umstellen",
        "how": "Stellen Sie „Verbindungssicherheit“ auf „SSL/TLS“",
        "change": "Verbindungssicherheit: SSL/TLS",
        "copy": "Einstellungen kopieren",
        "copied": "Die Einstellungen sind kopiert.",
    },
}


def sized_env(home, width, dark=False):
    """HOME with the profile; the window WIDTH pixels wide, in a settings file of its own."""
    config = tempfile.mkdtemp(prefix="mtc-gui-account-")
    os.makedirs(os.path.join(config, "glib-2.0", "settings"))
    with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write(f"[io/github/mailtlscheck/MailTlsCheck]\nwindow-size=({width}, 700)\n")
    env = {"HOME": home, "GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": config,
           "GSETTINGS_SCHEMA_DIR": os.path.join(BUILDDIR, "data")}
    if dark:
        env["GTK_THEME"] = "Adwaita:dark"
    return env


def labels_text(app):
    return " | ".join(n.name for n in app.findChildren(lambda n: n.roleName == "label" and n.showing and n.name,
                                                       recursive=True))


def cli_verdict(home, servers):
    env = dict(os.environ, HOME=home)
    p = subprocess.run([APP, "--check", "--json", "--timeout", "5", "--account", ADDRESS, *servers.split()],
                       capture_output=True, text=True, timeout=120, env=env)
    try:
        return json.loads(p.stdout)["verdict"]["id"]
    except (ValueError, KeyError):
        return p.stdout[:200] + p.stderr[:200]


def run(home, servers, lang, width, dark=False):
    t = TEXTS[lang]
    tag = f"{lang} {width}px" + (" dark" if dark else "")
    proc, app = start(lang, sized_env(home, width, dark), args=())
    try:
        check(f"{tag}: welcome → provider", press(app, t["next"]) and has_text(app, t["provider"]))
        entries = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)
        if not check(f"{tag}: an address field", bool(entries)):
            return
        entries[0].text = ADDRESS
        # The servers by keyboard, as the page's focus chain runs: from the
        # address to "Remember this address", to the provider list, to "Enter
        # servers by hand" (Space opens it), to the Servers field.  (The
        # expander cannot always be found through the accessibility tree.)
        # That they were typed shows in the result, which only they give.
        frame = app.child(roleName="frame")
        (x, y), (w, h) = frame.position, frame.size
        rawinput.absoluteMotion(x + w // 2, y + h // 2)
        entries[0].grabFocus()
        time.sleep(0.5)
        for key in ("Tab", "Tab", "Tab", "space", "Tab"):
            rawinput.pressKey(key)
            time.sleep(0.4)
        rawinput.typeText(servers)
        time.sleep(0.5)
        check(f"{tag}: provider → computer", press(app, t["next"]) and has_text(app, t["computer"]))
        check(f"{tag}: computer → check", press(app, t["check"]))
        check(f"{tag}: the result is wrong-settings: {t['result']}", has_text(app, t["result"], timeout=60),
              labels_text(app)[:600])
        check(f"{tag}: … in plain words", has_text(app, t["explains"]), labels_text(app)[:600])
        check(f"{tag}: result → steps", press(app, t["what"]) and has_text(app, t["steps"]))
        check(f"{tag}: the first step: {t['step']}", has_text(app, t["step"]), labels_text(app)[:800])
        check(f"{tag}: … in Thunderbird's words", has_text(app, t["how"]), labels_text(app)[:800])
        check(f"{tag}: the exact change shown", has_text(app, t["change"]), labels_text(app)[:800])
        screenshot(f"account-{lang}-{width}{'-dark' if dark else ''}-steps")
        copy = button(app, t["copy"])
        if check(f"{tag}: Copy Settings", copy is not None):
            copy.click()
            check(f"{tag}: … says it copied", has_text(app, t["copied"]), labels_text(app)[:800])
    finally:
        stop(proc)


demo = subprocess.Popen([DEMO], stdout=subprocess.PIPE, text=True)
try:
    urls = [demo.stdout.readline().strip() for _ in range(7)]
    ports = {u.split("://")[0]: int(u.rsplit(":", 1)[1]) for u in urls}
    SERVERS = (f"smtp://127.0.0.1:{ports['smtp']} smtps://127.0.0.1:{ports['smtps']} "
               f"imaps://127.0.0.1:{ports['imaps']}")
    with tempfile.TemporaryDirectory() as home:
        write_profile(home, ports)
        check("the command line's verdict for the same account: wrong-settings",
              cli_verdict(home, SERVERS) == "wrong-settings", cli_verdict(home, SERVERS))
        for lang in ("en", "de"):
            for width in (360, 1024):
                run(home, SERVERS, lang, width)
        run(home, SERVERS, "en", 1024, dark=True)
finally:
    demo.terminate()
    demo.wait()

finish()
