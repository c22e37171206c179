#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The provider and computer pages (issue 12, items 4, 6 and 7), through
AT-SPI, in English and German, on this (Linux) computer without the demo:
Tab goes from the address to the provider list to the expander and never
into the hidden field; servers typed by hand show in the provider list; the
address is judged only when the field is left or on Next, and nothing below
it moves; the lists show a choice; the mail programs are those the
knowledge base knows on Linux, the one that opens mail links chosen; another
computer with Apple Mail is not taken for Linux; the systems come in groups
with "I don't know".  Screenshots at 360 and 1024 px, once dark."""

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
        "computer": "Your Computer and Mail Program",
        "from_address": "Find it from my e-mail address",
        "by_hand": "The servers entered by hand below",
        "expander": "Enter servers by hand",
        "no_at": "“oma” is not an e-mail address: the “@” is missing.",
        "no_at2": "“oma.schmidt” is not an e-mail address: the “@” is missing.",
        "default": "Evolution (this computer’s default)",
        "other_client": "Another program, or I don’t know",
        "other_computer": "The problem is on another computer",
        "groups": ["Mac", "Windows", "Linux", "I don’t know"],
        "dont_know": "I don’t know",
    },
    "de": {
        "next": "Weiter",
        "provider": "Ihr E-Mail-Anbieter",
        "computer": "Ihr Computer und Ihr E-Mail-Programm",
        "from_address": "Aus meiner E-Mail-Adresse ermitteln",
        "by_hand": "Die unten von Hand eingegebenen Server",
        "expander": "Server von Hand eingeben",
        "no_at": "„oma“ ist keine E-Mail-Adresse: Das „@“ fehlt.",
        "no_at2": "„oma.schmidt“ ist keine E-Mail-Adresse: Das „@“ fehlt.",
        "default": "Evolution (Standard auf diesem Computer)",
        "other_client": "Ein anderes Programm, oder ich weiß es nicht",
        "other_computer": "Das Problem tritt auf einem anderen Computer auf",
        "groups": ["Mac", "Windows", "Linux", "Weiß ich nicht"],
        "dont_know": "Weiß ich nicht",
    },
}

# The mail programs the knowledge base knows on Linux, in its order (Claws
# Mail is not there: no source for it yet).
LINUX_PROGRAMS = ["Thunderbird", "Evolution", "Geary", "KMail"]


def environment(width, mail_default=True, theme=None):
    """A wizard whose remembered window is @width px wide, in a home of its
    own where Evolution opens mail links (or nothing does)."""
    home = tempfile.mkdtemp(prefix="mtc-pages-")
    config = os.path.join(home, "config")
    data = os.path.join(home, "data")
    os.makedirs(os.path.join(config, "glib-2.0", "settings"))
    os.makedirs(os.path.join(data, "applications"))
    with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write(f"[io/github/mailtlscheck/MailTlsCheck]\nwindow-size=({width}, 640)\n")
    with open(os.path.join(data, "applications", "org.gnome.Evolution.desktop"), "w") as f:
        f.write("[Desktop Entry]\nType=Application\nName=Evolution\nExec=true %u\n"
                "MimeType=x-scheme-handler/mailto;\n")
    env = {"GSETTINGS_BACKEND": "keyfile", "GSETTINGS_SCHEMA_DIR": SCHEMA_DIR,
           "XDG_CONFIG_HOME": config, "XDG_DATA_HOME": data}
    if mail_default:
        with open(os.path.join(config, "mimeapps.list"), "w") as f:
            f.write("[Default Applications]\nx-scheme-handler/mailto=org.gnome.Evolution.desktop\n")
        # GIO's own answer from the home's mimeapps.list, not the suite's "none".
        env["MTC_DEFAULT_MAIL_APP"] = None
    if theme:
        env["GTK_THEME"] = theme
    return env


def point_at(app):
    """Without a window manager the keyboard goes where the pointer is."""
    frame = app.child(roleName="frame")
    (x, y), (w, h) = frame.position, frame.size
    rawinput.absoluteMotion(x + w // 2, y + h // 2)
    time.sleep(0.3)


def focused(app):
    found = app.findChildren(lambda n: n.focused, recursive=True, showingOnly=False)
    return found[-1] if found else None


def list_with_focus(app):
    """A combo box's focus is on a button AT-SPI does not show: the list
    whose menu Space opens has it."""
    rawinput.pressKey("space")
    time.sleep(0.6)
    found = [c for c in app.findChildren(lambda n: n.roleName == "combo box", recursive=True)
             if any(m.showing for m in c.findChildren(lambda n: n.roleName == "menu", recursive=False,
                                                       showingOnly=False))]
    rawinput.pressKey("Escape")
    time.sleep(0.4)
    return found[0] if found else None


def describe(node):
    return f"{node.roleName} “{node.name}”" if node is not None else "nothing"


def combos(app):
    return app.findChildren(lambda n: n.roleName == "combo box" and n.showing, recursive=True)


def items(combo, top_only=False):
    """The names in a combo box's list: its menu's items (a group's items
    are in the group's own menu)."""
    menus = combo.findChildren(lambda n: n.roleName == "menu", recursive=False, showingOnly=False)
    if not menus:
        return []
    if top_only:
        return [n.name for n in menus[0].children if n.roleName == "menu item" or n.roleName == "menu"]
    return [n.name for n in menus[0].findChildren(lambda n: n.roleName == "menu item", recursive=True,
                                                    showingOnly=False)]


def choose(combo, name):
    """Chooses an entry as the keyboard or the mouse would: its menu item's action."""
    found = combo.findChildren(lambda n: n.roleName == "menu item" and n.name == name, recursive=True,
                               showingOnly=False)
    if not found:
        return False
    found[0].doActionNamed("click")
    time.sleep(0.5)
    return True


def label_y(app, text):
    found = app.findChildren(lambda n: n.roleName == "label" and n.name == text and n.showing, recursive=True)
    return found[0].position[1] if found else None


def go_next(app, t):
    b = button(app, t["next"])
    if b is None or not wait_sensitive(b):
        return False
    b.click()
    return True


def provider_page(lang, width, theme=None):
    t = TEXTS[lang]
    tag = f"{lang} {width}px" + (" dark" if theme else "")
    proc, app = start(lang, environment(width, theme=theme), args=())
    try:
        point_at(app)
        if not check(f"{tag}: welcome → provider", go_next(app, t) and has_text(app, t["provider"])):
            return
        time.sleep(0.5)
        provider = combos(app)
        check(f"{tag}: the provider list shows its first entry chosen",
              provider and provider[0].name == t["from_address"], describe(provider[0] if provider else None))
        if theme:
            screenshot(f"pages-{lang}-{width}-dark-provider")
            return
        screenshot(f"pages-{lang}-{width}-provider")
        if width != 1024:
            return

        # Tab, from the address on.
        field = focused(app)
        check(f"{tag}: the address field has the focus first", field is not None and field.roleName == "text",
              describe(field))
        seen = []
        for _ in range(5):
            rawinput.pressKey("Tab")
            time.sleep(0.4)
            seen.append(focused(app) or list_with_focus(app))
        names = [describe(n) for n in seen]
        order = [i for i, n in enumerate(seen) if n is not None and n.roleName == "combo box"] + \
                [i for i, n in enumerate(seen) if n is not None and t["expander"] in (n.name or "")]
        check(f"{tag}: Tab goes from the address to the provider list to the expander",
              len(order) == 2 and order[0] < order[1], names)
        check(f"{tag}: Tab never goes into the hidden servers field",
              not any(n is not None and n.roleName == "text" for n in seen), names)

        # The address, typed: no judgement while typing, one on leaving.
        entry = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)[0]
        entry.grabFocus()
        time.sleep(0.3)
        provider_label_y = label_y(app, "Provider" if lang == "en" else "Anbieter")
        rawinput.typeText("oma")
        time.sleep(1)
        check(f"{tag}: no message while the address is typed", not has_text(app, t["no_at"], timeout=1))
        screenshot(f"pages-{lang}-{width}-provider-typing")
        rawinput.pressKey("Tab")
        check(f"{tag}: the message after leaving the field: {t['no_at']}", has_text(app, t["no_at"]))
        check(f"{tag}: nothing below the address moves when the message comes",
              provider_label_y is not None and label_y(app, "Provider" if lang == "en" else "Anbieter")
              == provider_label_y, f"{provider_label_y}")
        screenshot(f"pages-{lang}-{width}-provider-message")

        # On Next (Enter in the field): the page stays, the message says why.
        entry.grabFocus()
        time.sleep(0.3)
        entry.text = "oma.schmidt"
        time.sleep(0.5)
        check(f"{tag}: typing again clears the old message", not has_text(app, t["no_at"], timeout=1))
        rawinput.pressKey("Return")
        check(f"{tag}: Next judges the address and stays on the page",
              has_text(app, t["no_at2"]) and has_text(app, t["provider"]))

        # Servers typed by hand show in the provider list; closing the field
        # brings the choice back.
        expander = app.findChildren(lambda n: t["expander"] in (n.name or "") and n.showing, recursive=True)
        if check(f"{tag}: an expander for servers by hand", bool(expander)):
            expander[0].doActionNamed("activate")
            time.sleep(0.5)
            servers = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)
            if check(f"{tag}: the opened expander shows the servers field", len(servers) == 2,
                     [describe(n) for n in servers]):
                servers[1].text = "imap.example.net"
                time.sleep(0.5)
                check(f"{tag}: typed servers show in the provider list: {t['by_hand']}",
                      combos(app)[0].name == t["by_hand"], combos(app)[0].name)
                screenshot(f"pages-{lang}-{width}-provider-by-hand")
                expander[0].doActionNamed("activate")
                time.sleep(0.5)
                check(f"{tag}: closing the field brings back the provider chosen",
                      combos(app)[0].name == t["from_address"], combos(app)[0].name)
    finally:
        stop(proc)


def computer_page(lang, width, mail_default=True, theme=None):
    t = TEXTS[lang]
    tag = f"{lang} {width}px" + ("" if mail_default else " no default") + (" dark" if theme else "")
    proc, app = start(lang, environment(width, mail_default, theme), args=())
    try:
        if not check(f"{tag}: welcome → provider", go_next(app, t) and has_text(app, t["provider"])):
            return
        entry = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)[0]
        entry.text = "oma.schmidt@example.net"
        if not check(f"{tag}: provider → computer", go_next(app, t) and has_text(app, t["computer"])):
            return
        time.sleep(0.5)
        client = combos(app)[0]
        programs = items(client)
        expected = [t["default"] if p == "Evolution" and mail_default else p for p in LINUX_PROGRAMS]
        check(f"{tag}: the mail programs on Linux, from the knowledge base", programs == expected + [t["other_client"]],
              programs)
        chosen = t["default"] if mail_default else t["other_client"]
        check(f"{tag}: the mail program list shows a choice: {chosen}", client.name == chosen, client.name)
        screenshot(f"pages-{lang}-{width}-computer" + ("" if mail_default else "-no-default")
                   + ("-dark" if theme else ""))
        if theme or width != 1024 or not mail_default:
            return

        # Another computer: every program, and Apple Mail is not on Linux.
        other = app.findChildren(lambda n: n.roleName == "check box" and n.name == t["other_computer"]
                                 and n.showing, recursive=True)
        if not check(f"{tag}: a box for another computer", bool(other)):
            return
        other[0].click()
        time.sleep(1)
        client, system = combos(app)[0], combos(app)[1] if len(combos(app)) > 1 else None
        if not check(f"{tag}: another computer shows its system list", system is not None):
            return
        check(f"{tag}: another computer offers Apple Mail", "Apple Mail" in items(client), items(client))
        check(f"{tag}: the system list has groups Mac, Windows, Linux and “{t['dont_know']}”",
              items(system, top_only=True) == t["groups"], items(system, top_only=True))
        all_systems = items(system)
        check(f"{tag}: the Mac group holds the Macs", "OS X 10.11 El Capitan" in all_systems
              and "macOS 26 Tahoe" in all_systems and "Windows 7" in all_systems, all_systems)
        system.click()
        time.sleep(0.8)
        screenshot(f"pages-{lang}-{width}-computer-systems")
        rawinput.pressKey("Escape")
        time.sleep(0.4)
        choose(client, "Apple Mail")
        client, system = combos(app)[0], combos(app)[1]
        check(f"{tag}: Apple Mail chosen", client.name == "Apple Mail", client.name)
        check(f"{tag}: another computer with Apple Mail is not taken for Linux",
              system.name == t["dont_know"], system.name)
        screenshot(f"pages-{lang}-{width}-computer-other")
        choose(system, "OS X 10.11 El Capitan")
        check(f"{tag}: a Mac from the Mac group", combos(app)[1].name == "OS X 10.11 El Capitan",
              combos(app)[1].name)
        other[0].click()
        time.sleep(1)
        check(f"{tag}: back on this computer, Apple Mail is not offered",
              "Apple Mail" not in items(combos(app)[0]) and combos(app)[0].name == t["other_client"],
              combos(app)[0].name)
    finally:
        stop(proc)


for lang in ("en", "de"):
    for width in (1024, 360):
        for page in (provider_page, computer_page):
            try:
                page(lang, width)
            except Exception as e:  # a failure to find the program is a failed test, not a crash
                check(f"{lang} {width}px: {page.__name__}", False, repr(e))
try:
    computer_page("en", 1024, mail_default=False)
except Exception as e:
    check("en: computer page without a default mail program", False, repr(e))
try:
    provider_page("de", 1024, theme="Adwaita:dark")
    computer_page("de", 1024, theme="Adwaita:dark")
except Exception as e:
    check("de dark", False, repr(e))

finish()
