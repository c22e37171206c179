#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The wizard driven as a person would, through AT-SPI (dogtail): the whole
demo in English with the mouse and in German with the keyboard, to the steps
page, checking the words on every page; Cancel on the checking page; a
screenshot of every page."""

import os
import subprocess
import time

from wizardtest import (APP, button, check, finish, has_text, screenshot, start, stop, stops_at_once,
                        wait_sensitive)

from dogtail import rawinput, tree  # noqa: E402 (after wizardtest, which configures dogtail)

TEXTS = {
    "en": {
        "welcome": "Why Can’t My Mail Program Connect?",
        "next": "Next",
        "provider": "Your Mail Provider",
        "demo": "This is a demonstration",
        "computer": "Your Computer and Mail Program",
        "check": "Check",
        "checking": "Checking Your Provider’s Servers…",
        "what": "What You Can Do",
        "keys": {"Next": "n", "Check": "c", "What You Can Do": "w"},
        "result": "Your Mail Program Is Too Old",
        "explains": "Apple Mail on OS X 10.11 El Capitan knows only an older kind",
        "steps": "What You Can Do",
        "webmail": "Open Webmail",
        "cancel": "Cancel",
        "cancelled": "The check was cancelled.",
        "password": "never asks for your password",
    },
    "de": {
        "welcome": "Warum verbindet sich mein E-Mail-Programm nicht?",
        "next": "Weiter",
        "provider": "Ihr E-Mail-Anbieter",
        "demo": "Dies ist eine Vorführung",
        "computer": "Ihr Computer und Ihr E-Mail-Programm",
        "check": "Prüfen",
        "checking": "Die Server Ihres Anbieters werden geprüft\u00a0…",
        "what": "Was Sie tun können",
        "keys": {"Weiter": "w", "Prüfen": "p", "Was Sie tun können": "w"},
        "result": "Ihr E-Mail-Programm ist zu alt",
        "explains": "Apple Mail unter OS X 10.11 El Capitan beherrscht nur eine ältere Art",
        "steps": "Was Sie tun können",
        "webmail": "Webmail öffnen",
        "cancel": "Abbrechen",
        "cancelled": "Die Prüfung wurde abgebrochen.",
        "password": "fragt nie nach Ihrem Passwort",
    },
}


def switch_language(app):
    """The menu's Language › Deutsch, on the steps page: the same page in German."""
    menu = button(app, "Menu")
    if not check("en: a menu button with an accessible name", menu is not None):
        return
    menu.click()
    time.sleep(0.5)
    # A popover of model buttons, or a classic menu: whichever the toolkit shows.
    items = app.findChildren(lambda n: n.name == "Language" and n.showing
                             and n.roleName in ("push button", "menu", "menu item"), recursive=True)
    if not check("en: the menu offers Language", bool(items)):
        return
    items[0].click()
    time.sleep(0.5)
    german = app.findChildren(lambda n: n.name == "Deutsch" and n.showing
                              and n.roleName in ("push button", "radio button", "check box", "radio menu item",
                                                 "menu item"), recursive=True)
    if not check("en: … and Deutsch", bool(german)):
        return
    german[0].click()
    new_app = tree.root.application("mail-tls-check")
    check("en → de while running: the steps page in German", has_text(new_app, TEXTS["de"]["steps"]))
    check("… with the verdict's steps in German", button(new_app, TEXTS["de"]["webmail"]) is not None
          and has_text(new_app, "Jetzt Webmail nutzen"))
    screenshot("en-9-switched-to-german")


def walk(lang, keyboard):
    t = TEXTS[lang]
    proc, app = start(lang)
    try:
        if keyboard:
            # Without a window manager the keyboard goes where the pointer is.
            frame = app.child(roleName="frame")
            x, y = frame.position
            w, h = frame.size
            rawinput.absoluteMotion(x + w // 2, y + h // 2)
        check(f"{lang}: welcome page", has_text(app, t["welcome"]) and has_text(app, t["password"]))
        screenshot(f"{lang}-1-welcome")
        nxt = button(app, t["next"])
        if not check(f"{lang}: a Next button", nxt is not None):
            return

        def forward(name):
            b = button(app, name)
            if b is None:
                return False
            if not wait_sensitive(b):
                return False
            if keyboard:
                # The button's mnemonic, as a keyboard user would press it.
                rawinput.keyCombo("<Alt>" + t["keys"][name])
            else:
                b.click()
            return True

        check(f"{lang}: welcome → provider", forward(t["next"]) and has_text(app, t["provider"]))
        check(f"{lang}: provider page marks the demo", has_text(app, t["demo"]))
        screenshot(f"{lang}-2-provider")

        check(f"{lang}: provider → computer", forward(t["next"]) and has_text(app, t["computer"]))
        mac = app.findChildren(lambda n: n.roleName == "label" and "10.11" in (n.name or "") and n.showing,
                               recursive=True)
        check(f"{lang}: computer page describes the old Mac", bool(mac))
        combo = app.findChildren(lambda n: n.roleName == "combo box" and n.showing, recursive=True)
        check(f"{lang}: Apple Mail preselected", combo and "Apple Mail" in (combo[0].name or ""),
              combo[0].name if combo else "no combo box")
        # The list shows the system the text names, though it sits in the
        # Mac group of the list; and still after Back and Next.
        for again in ("", " after Back and Next"):
            if again:
                button(app, "Back" if lang == "en" else "Zurück").click()
                has_text(app, t["provider"])
                button(app, t["next"]).click()
                has_text(app, t["computer"])
            combo = app.findChildren(lambda n: n.roleName == "combo box" and n.showing, recursive=True)
            check(f"{lang}: the system list shows OS X 10.11 El Capitan{again}",
                  len(combo) == 2 and combo[1].name == "OS X 10.11 El Capitan", [c.name for c in combo])
        screenshot(f"{lang}-3-computer")

        check(f"{lang}: computer → check", forward(t["check"]))
        check(f"{lang}: the check ends on the result page", has_text(app, t["result"], timeout=30))
        # The verdict's own explanation, naming the program and the system
        # chosen on the computer page.
        titles = app.findChildren(lambda n: n.roleName == "label" and n.showing and len(n.name or "") > 20,
                                  recursive=True)
        check(f"{lang}: the result explains client-too-old for Apple Mail on 10.11", has_text(app, t["explains"]),
              [n.name for n in titles][:3])
        screenshot(f"{lang}-5-result")

        check(f"{lang}: result → steps", forward(t["what"]) and has_text(app, t["steps"]))
        webmail = button(app, t["webmail"])
        check(f"{lang}: webmail offered", webmail is not None)
        cards = app.findChildren(lambda n: n.roleName == "panel" and n.showing and n.name, recursive=True)
        screenshot(f"{lang}-6-steps")
        if lang == "en":
            switch_language(app)
        rss_file = os.environ.get("MTC_GUI_RSS_FILE")
        if rss_file:
            with open(f"/proc/{proc.pid}/status") as status:
                peak = [line.split()[1] for line in status if line.startswith("VmHWM:")][0]
            with open(rss_file, "a") as out:
                out.write(f"{lang} {peak}\n")
    finally:
        stop(proc)


def cancel(lang):
    t = TEXTS[lang]
    proc, app = start(lang, {"MTC_DEMO_DELAY_MS": "3000"})
    try:
        for name in (t["next"], t["next"], t["check"]):
            b = button(app, name)
            wait_sensitive(b)
            b.click()
        check(f"{lang}: checking page shows progress", has_text(app, t["checking"]))
        screenshot(f"{lang}-4-checking")
        c = button(app, t["cancel"])
        if not check(f"{lang}: a Cancel button while checking", c is not None):
            return
        check(f"{lang}: Cancel stops the check at once", *stops_at_once(app, c.click, t["cancelled"]))
        check(f"{lang}: back on the computer page", has_text(app, t["computer"]))
        screenshot(f"{lang}-7-cancelled")
    finally:
        stop(proc)


def link():
    """A support link opens the wizard filled in; a second link reuses the window."""
    proc, app = start("en", args=("mail-tls-check:?provider=macbay-v3&email=anna@example.net",))
    try:
        entries = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)
        check("link: the address is filled in", any(e.text == "anna@example.net" for e in entries),
              [e.text for e in entries])
        combo = app.findChildren(lambda n: n.roleName == "combo box" and n.showing, recursive=True)
        check("link: the provider is chosen", combo and combo[0].name == "macbay (v3 platform)",
              combo[0].name if combo else "no combo box")
        second = subprocess.run([APP, "mail-tls-check:?email=bert@example.org"], timeout=20)
        time.sleep(1)
        frames = app.findChildren(lambda n: n.roleName == "frame", recursive=False)
        entries = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)
        check("link: a second link reuses the running window", second.returncode == 0 and len(frames) == 1
              and any(e.text == "bert@example.org" for e in entries), [e.text for e in entries])
        bad = subprocess.run([APP, "mail-tls-check:?email=@@"], timeout=20)
        check("link: a broken link is explained", bad.returncode == 0 and has_text(app, "cannot be used"))
        screenshot("en-8-link")
    finally:
        stop(proc)


def by_hand():
    """Servers typed by hand are the ones checked: the demo provider's servers
    in a process of their own, on ports the in-process demo does not use."""
    demo_bin = os.path.join(os.path.dirname(os.path.abspath(APP)), "demo", "mtc-demo-servers")
    demo = subprocess.Popen([demo_bin], stdout=subprocess.PIPE, text=True)
    proc = None
    try:
        urls = [demo.stdout.readline().strip() for _ in range(7)]
        imaps = [u for u in urls if u.startswith("imaps://")][0]
        port = imaps.rsplit(":", 1)[1]
        proc, app = start("en")
        b = button(app, TEXTS["en"]["next"])
        wait_sensitive(b)
        b.click()
        expander = app.findChildren(lambda n: "servers by hand" in (n.name or "") and n.showing, recursive=True)
        if not check("by hand: an expander for servers by hand", bool(expander)):
            return
        # The expander opens on its title, not across the row: its own action.
        expander[0].doActionNamed("activate")
        time.sleep(0.5)
        field = app.findChildren(lambda n: n.roleName == "text" and n.name == "Servers" and n.showing,
                                 recursive=True)
        if not check("by hand: a Servers field", bool(field)):
            return
        field[0].text = imaps
        for name in (TEXTS["en"]["next"], TEXTS["en"]["check"]):
            b = button(app, name)
            wait_sensitive(b)
            b.click()
        # The demo authority is not trusted for servers typed by hand.
        check("by hand: the result, the certificate of an authority nobody trusts",
              has_text(app, "Mail Server Has a Problem", timeout=30))
        # The servers are named in the details, which are shown only when opened.
        details = button(app, "Details for support")
        if details is not None:
            details.doActionNamed("activate")
            time.sleep(0.5)
        shown = app.findChildren(lambda n: n.roleName == "label" and f":{port}" in (n.name or ""), recursive=True)
        check(f"by hand: the server typed (port {port}) is the one checked", bool(shown))
        screenshot("en-10-by-hand")
    finally:
        if proc is not None:
            stop(proc)
        demo.terminate()
        demo.wait(timeout=10)


for lang, keyboard in (("en", False), ("de", True)):
    try:
        walk(lang, keyboard)
    except Exception as e:  # a failure to find the program is a failed test, not a crash
        check(f"{lang}: walk through the wizard", False, repr(e))
try:
    link()
except Exception as e:
    check("link", False, repr(e))
for lang in ("en", "de"):
    try:
        cancel(lang)
    except Exception as e:
        check(f"{lang}: cancel", False, repr(e))
try:
    by_hand()
except Exception as e:
    check("by hand", False, repr(e))

finish()
