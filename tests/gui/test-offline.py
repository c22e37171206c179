#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The wizard on a computer without internet (run-gui-tests.sh runs this
script in a network namespace with loopback only, MTC_GUI_OFFLINE=1):

  the address      oma.schmidt@example.org (no bundled profile lists its
                   domain), typed: the check cannot look
                   anything up; the message stands on the provider page,
                   where the address is, in plain words, with Check Again,
                   which runs the check again
  the support link mail-tls-check:?provider=macbay-v3&email=oma@macbay.de:
                   the result page's verdict is "offline" (the command line's
                   --json says so), without "mistyped", with Check Again

in English and German, at 360 and 1024 pixels, once in the dark theme."""

import json
import os
import subprocess
import tempfile
import time

import pyatspi

from wizardtest import APP, button, check, finish, has_text, press, screenshot, start, stop

from dogtail import rawinput  # noqa: E402 (after wizardtest, which configures dogtail)

ADDRESS = "oma.schmidt@example.org"
LINK = "mail-tls-check:?provider=macbay-v3&email=oma@macbay.de"
BUILDDIR = os.path.dirname(os.path.dirname(os.path.abspath(APP)))

TEXTS = {
    "en": {
        "next": "Next",
        "check": "Check",
        "again": "Check Again",
        "again_key": "a",
        "provider": "Your Mail Provider",
        "computer": "Your Computer and Mail Program",
        "offline": "This computer cannot look up names on the internet right now",
        "result": "This Computer Cannot Reach Your Provider at All",
        "looked_up": "could not be looked up",
        "blame": ("typing mistakes", "mistyped", "does not exist"),
        "details": "Details for support",
        "not_tested": "not tested",
        "error_cell": "error",
    },
    "de": {
        "next": "Weiter",
        "check": "Prüfen",
        "again": "Erneut prüfen",
        "again_key": "p",
        "provider": "Ihr E-Mail-Anbieter",
        "computer": "Ihr Computer und Ihr E-Mail-Programm",
        "offline": "Dieser Computer kann gerade keine Namen im Internet nachschlagen",
        "result": "Dieser Computer erreicht Ihren Anbieter überhaupt nicht",
        "looked_up": "nicht nachgeschlagen werden",
        "blame": ("Tippfehler", "falsch eingegeben", "existiert nicht"),
        "details": "Details für den Support",
        "not_tested": "nicht geprüft",
        "error_cell": "Fehler",
    },
}


def sized_env(width, dark=False):
    """The window opens WIDTH pixels wide: its saved size, in a settings
    file of its own."""
    config = tempfile.mkdtemp(prefix="mtc-gui-offline-")
    os.makedirs(os.path.join(config, "glib-2.0", "settings"))
    with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write(f"[io/github/mailtlscheck/MailTlsCheck]\nwindow-size=({width}, 700)\n")
    env = {"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": config,
           "GSETTINGS_SCHEMA_DIR": os.path.join(BUILDDIR, "data")}
    if dark:
        env["GTK_THEME"] = "Adwaita:dark"
    return env


def labels_text(app):
    return " | ".join(n.name for n in app.findChildren(lambda n: n.roleName == "label" and n.showing and n.name,
                                                       recursive=True))


def expanded(node):
    return node.getState().contains(pyatspi.STATE_EXPANDED)


def cli_verdict(target, lang):
    p = subprocess.run([APP, "--check", "--json", "--lang", lang, target], capture_output=True, text=True,
                       timeout=120)
    try:
        return json.loads(p.stdout)["verdict"]
    except (ValueError, KeyError):
        return {"id": None, "title": p.stdout[:200] + p.stderr[:200]}


def address(lang, width, dark=False):
    t = TEXTS[lang]
    tag = f"{lang}-{width}{'-dark' if dark else ''}"
    proc, app = start(lang, sized_env(width, dark), args=())
    try:
        check(f"address {tag}: welcome → provider", press(app, t["next"]) and has_text(app, t["provider"]))
        entries = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)
        if not check(f"address {tag}: an address field", bool(entries)):
            return
        entries[0].text = ADDRESS
        check(f"address {tag}: provider → computer", press(app, t["next"]) and has_text(app, t["computer"]))
        check(f"address {tag}: computer → check", press(app, t["check"]))
        # The check fails at once: back on the provider page, where the address is.
        shown = has_text(app, t["offline"], timeout=30)
        check(f"address {tag}: the offline message in plain words", shown, labels_text(app))
        words = labels_text(app)
        check(f"address {tag}: … on the provider page", has_text(app, t["provider"], timeout=2)
              and any(e.text == ADDRESS for e in app.findChildren(lambda n: n.roleName == "text" and n.showing,
                                                                   recursive=True)), words)
        check(f"address {tag}: the address is not blamed", not any(b in words for b in t["blame"]), words)
        message = [n.name for n in app.findChildren(lambda n: n.roleName == "label" and n.showing
                                                    and t["offline"] in (n.name or ""), recursive=True)]
        check(f"address {tag}: the message alone, without the look-ups", len(message) == 1
              and "_imaps._tcp" not in message[0] and "autoconfig" not in message[0].lower(), message)
        again = button(app, t["again"])
        check(f"address {tag}: a Check Again button, keyboard focus on it", again is not None and again.focused,
              "missing" if again is None else f"focused={again.focused}")
        if again is not None:
            check(f"address {tag}: Check Again's description is the message",
                  t["offline"] in (again.description or ""), again.description)
        screenshot(f"offline-address-{tag}")
        # The look-ups are for support, one click away.
        expander = app.findChildren(lambda n: n.name == t["details"] and n.showing
                                    and n.roleName == "toggle button", recursive=True)
        if check(f"address {tag}: details for support beside the message", len(expander) == 1):
            expander[0].doActionNamed("activate")
            time.sleep(0.5)
            details = labels_text(app)
            check(f"address {tag}: the details list what was looked up", "_imaps._tcp" in details
                  and "autoconfig.example.org" in details and t["looked_up"] in details, details)
            if width == 1024:
                screenshot(f"offline-address-{tag}-details")
            expander[0].doActionNamed("activate")
            time.sleep(0.3)
        if again is None:
            return
        # Only a check that failed again shows the message anew, and that
        # closes the details: open them, press Check Again, see them closed.
        expander = app.findChildren(lambda n: n.name == t["details"] and n.showing
                                    and n.roleName == "toggle button", recursive=True)
        if expander:
            expander[0].doActionNamed("activate")
            time.sleep(0.5)
        was_open = bool(expander) and expanded(expander[0])
        # By keyboard, as she would: the button's mnemonic (without a window
        # manager the keyboard goes where the pointer is).
        frame = app.child(roleName="frame")
        (x, y), (w, h) = frame.position, frame.size
        rawinput.absoluteMotion(x + w // 2, y + h // 2)
        rawinput.keyCombo("<Alt>" + t["again_key"])
        deadline = time.time() + 30
        while time.time() < deadline and expanded(expander[0]):
            time.sleep(0.2)
        check(f"address {tag}: Check Again runs the check again", was_open and not expanded(expander[0])
              and has_text(app, t["offline"]) and button(app, t["again"]) is not None, f"details were open: {was_open}")
    finally:
        stop(proc)


def link(lang, width):
    t = TEXTS[lang]
    tag = f"{lang}-{width}"
    verdict = cli_verdict(LINK, lang)
    check(f"link {tag}: the command line's verdict is offline", verdict.get("id") == "offline", verdict)
    proc, app = start(lang, sized_env(width), args=(LINK,))
    try:
        check(f"link {tag}: provider page", has_text(app, t["provider"]))
        check(f"link {tag}: provider → computer", press(app, t["next"]) and has_text(app, t["computer"]))
        check(f"link {tag}: computer → check", press(app, t["check"]))
        check(f"link {tag}: the result page shows the offline verdict",
              has_text(app, verdict.get("title") or t["result"], timeout=30) and has_text(app, t["result"]),
              labels_text(app))
        words = labels_text(app)
        check(f"link {tag}: the names could not be looked up", t["looked_up"] in words, words)
        check(f"link {tag}: nothing mistyped, nothing blamed", not any(b in words for b in t["blame"]), words)
        again = button(app, t["again"])
        check(f"link {tag}: a Check Again button on the result page", again is not None)
        screenshot(f"offline-link-{tag}")
        # The details: the names could not be looked up, and no version was tried.
        expander = app.findChildren(lambda n: n.name == t["details"] and n.showing
                                    and n.roleName == "toggle button", recursive=True)
        if check(f"link {tag}: details for support", bool(expander),
                 [(n.roleName, n.name) for n in app.findChildren(lambda n: n.name == t["details"], recursive=True)]):
            expander[0].doActionNamed("activate")
            time.sleep(0.5)
            check(f"link {tag}: the details open", expander[0].checked or "expanded" in str(expander[0].getState()))
            # At 360 pixels the table scrolls sideways: its cells off screen count too.
            cells = [n.name for n in app.findChildren(lambda n: n.roleName == "label", recursive=True,
                                                      showingOnly=False)]
            check(f"link {tag}: 28 version cells, every one not tested",
                  cells.count(t["not_tested"]) == 28 and t["error_cell"] not in cells, cells)
            details = labels_text(app)
            check(f"link {tag}: the details say the names could not be looked up",
                  t["looked_up"] in details and not any(b in details for b in t["blame"]), details)
            screenshot(f"offline-link-{tag}-details")
            expander[0].doActionNamed("activate")
            time.sleep(0.3)
        if again is None:
            return
        # By keyboard: focus on the button, then Enter.
        again.grabFocus()
        time.sleep(0.3)
        check(f"link {tag}: Check Again takes the keyboard focus", again.focused)
        again.doActionNamed("click")
        check(f"link {tag}: Check Again runs the check and shows the verdict again",
              has_text(app, t["result"], timeout=30) and button(app, t["again"]) is not None, labels_text(app))
    finally:
        stop(proc)


for lang in ("en", "de"):
    for width in (360, 1024):
        for case in (address, link):
            try:
                case(lang, width)
            except Exception as e:  # a failure to find the program is a failed test, not a crash
                check(f"{case.__name__} {lang} {width}", False, repr(e))
try:
    address("en", 360, dark=True)
except Exception as e:
    check("address en 360 dark", False, repr(e))

finish()
