#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 13, item 1: the wizard's Language menu lists every language there
is a catalogue for, by its own name and sorted, the one in use marked.
With a French catalogue made at test time (no po file, tests/catalogues.py)
beside the build's German one, the menu offers Deutsch, English and
Français through AT-SPI; Français turns the wizard French, then Deutsch
German; the items are radio menu items a screen reader hears as checked or
not; a desktop in French (LANG=fr_FR.UTF-8) gets the French wizard
without asking, whose menu also works by keyboard.  Screenshots of the open menu at 1024 and 360 px, in
English, French and German, and once dark."""

import os
import subprocess
import sys
import tempfile
import time

from wizardtest import APP, SHOTS, button, check, finish, has_text, screenshot, start, stop

from dogtail import rawinput, tree  # noqa: E402 (after wizardtest, which configures dogtail)

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from catalogues import FRENCH, make_localedir  # noqa: E402

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(APP))), "data")
SCREEN_WIDTH = 1024  # run-gui-tests.sh's Xvfb
NAMES = ["Deutsch", "English", "Français"]
MENU = {"en": "Language", "de": "Sprache", "fr": "Langue"}
WELCOME = {"en": "Why Can’t My Mail Program Connect?",
           "de": "Warum verbindet sich mein E-Mail-Programm nicht?",
           "fr": FRENCH[(None, "Why Can’t My Mail Program Connect?")]}
ITEM_ROLES = ("push button", "radio button", "check box", "menu item", "radio menu item", "check menu item")


def env_for(localedir, width, extra=None):
    """The catalogues in @localedir; a remembered window @width px wide."""
    home = tempfile.mkdtemp(prefix="mtc-languages-")
    os.makedirs(os.path.join(home, "glib-2.0", "settings"))
    with open(os.path.join(home, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write(f"[io/github/mailtlscheck/MailTlsCheck]\nwindow-size=({width}, 560)\n")
    env = {"MTC_LOCALEDIR": localedir, "GSETTINGS_BACKEND": "keyfile", "GSETTINGS_SCHEMA_DIR": SCHEMA_DIR,
           "XDG_CONFIG_HOME": home}
    env.update(extra or {})
    return env


def showing(app, name, roles, timeout=5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = app.findChildren(lambda n: (n.name or "").replace("_", "") == name and n.showing
                                 and n.roleName in roles, recursive=True)
        if found:
            return found[0]
        time.sleep(0.3)
    return None


def open_language_menu(app, lang, tag):
    """Menu › Language (in @lang): the items shown, name → node, or None."""
    menu = button(app, {"en": "Menu", "de": "Menü", "fr": "Menu"}[lang])
    if not check(f"{tag}: the menu button", menu is not None):
        return None
    menu.click()
    submenu = showing(app, MENU[lang], ("push button", "menu", "menu item"))
    if not check(f"{tag}: the menu offers {MENU[lang]}", submenu is not None):
        return None
    submenu.click()
    time.sleep(0.5)
    items = {}
    for name in NAMES:
        node = showing(app, name, ITEM_ROLES)
        if node is not None:
            items[name] = node
    return items


def marked(node):
    try:
        return node.checked
    except Exception:
        return False


def check_menu(items, tag, current):
    check(f"{tag}: Deutsch, English and Français offered, each a named item",
          items is not None and sorted(items) == NAMES, sorted(items or {}))
    if not items or sorted(items) != NAMES:
        return False
    tops = [items[name].position[1] for name in NAMES]
    check(f"{tag}: sorted by name", tops == sorted(tops), tops)
    check(f"{tag}: {current} marked, and only it",
          [name for name in NAMES if marked(items[name])] == [current],
          {name: (items[name].roleName, marked(items[name])) for name in NAMES})
    return True


def pick(app, items, name, lang, tag):
    items[name].click()
    new_app = tree.root.application("mail-tls-check")
    check(f"{tag}: {name} picked, the welcome page in it", has_text(new_app, WELCOME[lang]))
    return new_app


def switching(localedir):
    """English → Français → Deutsch through the menu, at 1024 px."""
    proc, app = start("en", env_for(localedir, 1024))
    try:
        check("en: the wizard in English", has_text(app, WELCOME["en"]))
        # In each language its menu, then the next language picked from it.
        for lang, current, following in (("en", "English", ("Français", "fr")),
                                         ("fr", "Français", ("Deutsch", "de")),
                                         ("de", "Deutsch", None)):
            items = open_language_menu(app, lang, f"{lang}-1024")
            ok = check_menu(items, f"{lang}-1024", current)
            screenshot(f"languages-{lang}-1024-menu")
            if not ok or following is None:
                return
            app = pick(app, items, *following, f"{lang}-1024")
    finally:
        stop(proc)


def whole_screen(name):
    """The menu may reach beyond a narrow window: the whole screen."""
    time.sleep(0.3)
    subprocess.run(["import", "-window", "root", os.path.join(SHOTS, name + ".png")], check=False)


def narrow(localedir, lang, current, theme=None):
    """The menu at 360 px: whole, on the screen."""
    tag = f"{lang}-360" + ("-dark" if theme else "")
    extra = {"GTK_THEME": theme} if theme else {}
    proc, app = start(lang, env_for(localedir, 360, extra))
    try:
        items = open_language_menu(app, lang, tag)
        if check_menu(items, tag, current):
            # The classic menu is a window of its own, beside the narrow one.
            inside = all(0 <= n.position[0] and n.position[0] + n.size[0] <= SCREEN_WIDTH and n.size[0] > 0
                         for n in items.values())
            check(f"{tag}: every item whole on the screen", inside,
                  {name: (n.position, n.size) for name, n in items.items()})
        whole_screen(f"languages-{tag}-menu")
    finally:
        stop(proc)


def desktop_french(localedir):
    """No LANGUAGE, a French desktop: French, and Français marked."""
    proc, app = start("", env_for(localedir, 1024, {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "",
                                                    "LANG": "fr_FR.UTF-8"}))
    try:
        check("LANG=fr_FR.UTF-8: the wizard in French", has_text(app, WELCOME["fr"]))
        check_menu(open_language_menu(app, "fr", "desktop-fr"), "desktop-fr", "Français")
        rawinput.pressKey("Escape")
        rawinput.pressKey("Escape")
        time.sleep(0.5)
        # By keyboard: the menu's first item is Langue, its first Deutsch.
        frame = app.child(roleName="frame")
        (x, y), (w, h) = frame.position, frame.size
        rawinput.absoluteMotion(x + w // 2, y + h // 2)
        button(app, "Menu").click()
        time.sleep(0.5)
        for key in ("Down", "Right", "Return"):
            rawinput.pressKey(key)
            time.sleep(0.3)
        check("desktop-fr: Down, Right, Return picks Deutsch",
              has_text(tree.root.application("mail-tls-check"), WELCOME["de"]))
    finally:
        stop(proc)


with tempfile.TemporaryDirectory() as localedir:
    make_localedir(localedir, os.environ["MTC_LOCALEDIR"])
    for run in (lambda: switching(localedir),
                lambda: narrow(localedir, "de", "Deutsch"),
                lambda: narrow(localedir, "en", "English", theme="Adwaita:dark"),
                lambda: desktop_french(localedir)):
        try:
            run()
        except Exception as e:  # a broken run is a failure, the others still run
            check("a run of the language test", False, repr(e))
finish()
