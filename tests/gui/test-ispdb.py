#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The provider page (issue 14, item 6), through AT-SPI, in English and
German: it says, beside the address, that Thunderbird's provider list
learns only the part after the "@"; the provider list offers the bundled
profiles of the big providers by name.  Nothing is checked on the network.
Screenshots at 360 and 1024 px, once in the dark theme."""

import os
import tempfile
import time

from wizardtest import APP, button, check, finish, has_text, screenshot, start, stop, wait_sensitive

from dogtail import rawinput  # noqa: E402 (after wizardtest, which configures dogtail)

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(APP))), "data")

TEXTS = {
    "en": {
        "next": "Next",
        "provider": "Your Mail Provider",
        "privacy": "Thunderbird’s provider list, which it may also ask, learns only the part after the “@”.",
        "providers": ["GMX", "WEB.DE", "T-Online (Telekom)", "Gmail (Google)", "Outlook.com (Microsoft)",
                      "iCloud Mail (Apple)", "mailbox.org", "Posteo", "Strato", "Microsoft 365 (business)"],
    },
    "de": {
        "next": "Weiter",
        "provider": "Ihr E-Mail-Anbieter",
        "privacy": "Die Anbieterliste von Thunderbird, die er dazu ebenfalls fragen kann, erfährt nur den Teil "
                   "nach dem „@“.",
        # The profiles' names are brand names; their German forms come from
        # the catalogue once the profiles' texts are translated there.
        "providers": ["GMX", "WEB.DE", "T-Online (Telekom)", "Gmail (Google)", "Outlook.com (Microsoft)",
                      "iCloud Mail (Apple)", "mailbox.org", "Posteo", "Strato"],
    },
}


def environment(width, theme=None):
    """A wizard whose remembered window is @width px wide, in a home of its own."""
    home = tempfile.mkdtemp(prefix="mtc-ispdb-")
    config = os.path.join(home, "config")
    os.makedirs(os.path.join(config, "glib-2.0", "settings"))
    with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write(f"[io/github/mailtlscheck/MailTlsCheck]\nwindow-size=({width}, 640)\n")
    env = {"GSETTINGS_BACKEND": "keyfile", "GSETTINGS_SCHEMA_DIR": SCHEMA_DIR, "XDG_CONFIG_HOME": config,
           "XDG_DATA_HOME": os.path.join(home, "data")}
    if theme:
        env["GTK_THEME"] = theme
    return env


def provider_names(app):
    combos = app.findChildren(lambda n: n.roleName == "combo box" and n.showing, recursive=True)
    if not combos:
        return []
    return [n.name for n in combos[0].findChildren(lambda n: n.roleName == "menu item", recursive=True,
                                                   showingOnly=False)]


def label_with(app, text):
    found = app.findChildren(lambda n: n.roleName == "label" and text in (n.name or "") and n.showing,
                             recursive=True)
    return found[0] if found else None


def provider_page(lang, width, theme=None):
    t = TEXTS[lang]
    tag = f"{lang} {width}px" + (" dark" if theme else "")
    proc, app = start(lang, environment(width, theme), args=())
    try:
        frame = app.child(roleName="frame")
        (x, y), (w, h) = frame.position, frame.size
        rawinput.absoluteMotion(x + w // 2, y + h // 2)
        nxt = button(app, t["next"])
        if not check(f"{tag}: welcome → provider", nxt is not None and wait_sensitive(nxt)):
            return
        nxt.click()
        if not check(f"{tag}: the provider page", has_text(app, t["provider"])):
            return
        time.sleep(0.5)
        privacy = label_with(app, t["privacy"])
        check(f"{tag}: says what Thunderbird's provider list learns: {t['privacy']}", privacy is not None)
        entry = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)
        if privacy is not None and entry:
            # Beside the address: right above its field, in the same column.
            gap = entry[0].position[1] - (privacy.position[1] + privacy.size[1])
            check(f"{tag}: the sentence stands right above the address field", 0 <= gap < 80, f"gap {gap} px")
            check(f"{tag}: the sentence fits the window", privacy.position[0] + privacy.size[0] <= x + w,
                  f"{privacy.position} {privacy.size} in {w} px")
        names = provider_names(app)
        missing = [p for p in t["providers"] if p not in names]
        check(f"{tag}: the provider list names the bundled providers", not missing, f"missing {missing} in {names}")
        screenshot(f"ispdb-{lang}-{width}" + ("-dark" if theme else "") + "-provider")
    finally:
        stop(proc)


for lang in ("en", "de"):
    for width in (360, 1024):
        provider_page(lang, width)
provider_page("de", 1024, theme="Adwaita:dark")
finish()
