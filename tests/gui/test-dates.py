#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Dates in the wizard's language (issue 13, item 5), through AT-SPI: the
demo to the result page, its details for support open; the certificate's
date is written in words, "valid until December 28, 2026" in English and
"gültig bis 28. Dezember 2026" in German, month names from the catalogue
although the tests run in C.UTF-8.  Screenshots of the result page with its
details at 360 and 1024 px, in English and German, and once dark."""

import os
import re
import shutil
import tempfile
import time

from wizardtest import APP, button, check, finish, has_text, label_text, screenshot, start, stop, wait_sensitive

from dogtail import rawinput  # noqa: E402 (after wizardtest, which configures dogtail)

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(APP))), "data")

TEXTS = {
    "en": {
        "next": "Next",
        "check": "Check",
        "result": "Your Mail Program Is Too Old",
        "details": "Details for support",
        "date": r"valid until (January|February|March|April|May|June|July|August|September|October|November|"
                r"December) \d{1,2}, \d{4}",
    },
    "de": {
        "next": "Weiter",
        "check": "Prüfen",
        "result": "Ihr E-Mail-Programm ist zu alt",
        "details": "Details für den Support",
        "date": r"gültig bis \d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|"
                r"November|Dezember) \d{4}",
    },
}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
HOMES = []


def settings_env(width, theme=None):
    """A wizard whose remembered window is @width px wide."""
    home = tempfile.mkdtemp(prefix="mtc-dates-")
    HOMES.append(home)
    os.makedirs(os.path.join(home, "glib-2.0", "settings"))
    with open(os.path.join(home, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write(f"[io/github/mailtlscheck/MailTlsCheck]\nwindow-size=({width}, 640)\n")
    env = {"GSETTINGS_BACKEND": "keyfile", "GSETTINGS_SCHEMA_DIR": SCHEMA_DIR, "XDG_CONFIG_HOME": home}
    if theme:
        env["GTK_THEME"] = theme
    return env


def walk(lang, width, theme=None):
    t = TEXTS[lang]
    proc, app = start(lang, settings_env(width, theme))
    tag = f"{lang}-{width}" + ("-dark" if theme else "")
    try:
        for name in (t["next"], t["next"], t["check"]):
            b = button(app, name, timeout=30)
            if not check(f"{tag}: {name}", b is not None and wait_sensitive(b, timeout=30)):
                return
            b.doActionNamed("click")
            time.sleep(0.5)
        if not check(f"{tag}: the result page", has_text(app, t["result"], timeout=60)):
            return
        expander = app.findChildren(lambda n: n.name == t["details"] and n.showing
                                    and n.roleName == "toggle button", recursive=True)
        if not check(f"{tag}: details for support", len(expander) == 1):
            return
        expander[0].doActionNamed("activate")
        time.sleep(0.5)
        words = label_text(app)
        check(f"{tag}: the certificate's date in words", re.search(t["date"], words), words[-1500:])
        check(f"{tag}: no date written as 2026-12-28", not ISO_DATE.search(words), ISO_DATE.findall(words))
        # The end of the details, where the last server's certificate is,
        # scrolled to with the mouse wheel as she would.
        frame = app.child(roleName="frame")
        (x, y), (w, h) = frame.position, frame.size
        for _ in range(40):
            rawinput.click(x + w // 2, y + h // 2, button=5)
        time.sleep(0.5)
        screenshot(f"dates-{tag}-details")
    finally:
        stop(proc)


for lang, width, theme in (("en", 360, None), ("en", 1024, None), ("de", 360, None), ("de", 1024, None),
                           ("de", 1024, "Adwaita:dark")):
    try:
        walk(lang, width, theme)
    except Exception as e:
        check(f"{lang}-{width}: walk", False, repr(e))
for home in HOMES:
    shutil.rmtree(home, ignore_errors=True)
finish()
