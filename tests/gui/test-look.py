#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""How the wizard looks and what it says (issue 12, items 11 to 13), through
AT-SPI: the window started 360 px wide, with all of GTK's title-bar buttons, stays 360 px on every page and with the details open;
no line of text is longer than about 70 characters at 1024 px; the result
page's picture of the mismatch says in words what the mail program speaks
and what the servers accept; the demo's introduction follows the mail
program chosen; the result page's Next says where it leads.  Screenshots of
every page at 360 and 1024 px, in English and German, and once dark."""

import time

import pyatspi
from dogtail import rawinput

from wizardtest import button, check, finish, has_text, screenshot, settings_env, start, stop, wait_sensitive


# About 70 characters a line, counted exactly in the lines the labels show:
# AT-SPI's line boundaries come from each label's own Pango layout.  The
# clamp is measured in average character widths, so a line of narrow letters
# may hold a few more: 80 is where "about 70" ends.
MAX_LINE = 80

TEXTS = {
    "en": {
        "next": "Next",
        "check": "Check",
        "provider": "Your Mail Provider",
        "computer": "Your Computer and Mail Program",
        "checking": "Checking Your Provider’s Servers…",
        "result": "Your Mail Program Is Too Old",
        "what": "What You Can Do",
        "steps": "What You Can Do",
        "details": "Details for support",
        "table": "Versions each server accepts",
        "picture": "Your mail program speaks TLS up to version 1.0. "
                   "Your provider’s mail servers accept TLS 1.2 and TLS 1.3. They have no version in common.",
        "picture_name": "Encryption versions compared",
        "picture_words": ["Your mail program speaks", "Your provider’s mail servers accept"],
        "intro_thunderbird": "Thunderbird",
        "intro_apple": "Apple Mail",
    },
    "de": {
        "next": "Weiter",
        "check": "Prüfen",
        "provider": "Ihr E-Mail-Anbieter",
        "computer": "Ihr Computer und Ihr E-Mail-Programm",
        "checking": "Die Server Ihres Anbieters werden geprüft",
        "result": "Ihr E-Mail-Programm ist zu alt",
        "what": "Was Sie tun können",
        "steps": "Was Sie tun können",
        "details": "Details für den Support",
        "table": "Versionen, die jeder Server annimmt",
        "picture": "Ihr E-Mail-Programm spricht TLS bis Version 1.0. "
                   "Die Mailserver Ihres Anbieters nehmen TLS 1.2 und TLS 1.3 an. "
                   "Sie haben keine Version gemeinsam.",
        "picture_name": "Verschlüsselungsversionen im Vergleich",
        "picture_words": ["Ihr E-Mail-Programm spricht", "Die Mailserver Ihres Anbieters nehmen an"],
        "intro_thunderbird": "Thunderbird",
        "intro_apple": "Apple Mail",
    },
}


def frame_width(app):
    """The window's width without the frame's resize border: its widest part."""
    frame = app.child(roleName="frame")
    return max(child.size[0] for child in frame.children if child.showing)


def showing_labels(app):
    return app.findChildren(lambda n: n.roleName == "label" and n.showing and n.name, recursive=True)


def lines_of(node):
    """The lines a label shows, as AT-SPI gives them (the label's own layout)."""
    text = node.queryText()
    lines, offset = [], 0
    while offset < text.characterCount:
        line, start, end = text.getTextAtOffset(offset, pyatspi.TEXT_BOUNDARY_LINE_START)
        if end <= offset:
            break
        lines.append(line.rstrip("\n"))
        offset = end
    return lines


def longest_line(app):
    worst = ""
    for node in showing_labels(app):
        try:
            for line in lines_of(node):
                if len(line) > len(worst):
                    worst = line
        except NotImplementedError:
            pass
    return worst


def go(app, name, timeout=10):
    b = button(app, name, timeout)
    if b is None or not wait_sensitive(b, timeout):
        return False
    b.click()
    return True


def choose(app, combo_text, item):
    """Chooses @item in the first showing combo box whose name contains @combo_text."""
    combos = app.findChildren(lambda n: n.roleName == "combo box" and n.showing and combo_text in (n.name or ""),
                              recursive=True)
    if not combos:
        return False
    combos[0].click()
    time.sleep(0.8)
    items = app.findChildren(lambda n: n.roleName == "menu item" and n.name == item, recursive=True)
    if not items:
        return False
    items[0].click()
    time.sleep(0.5)
    return True


def walk(lang, width, theme=None, measure=True):
    """The demo from the welcome page to the steps: widths, lines and screenshots."""
    t = TEXTS[lang]
    env = settings_env(width)
    env["MTC_DEMO_DELAY_MS"] = "1500"
    if theme:
        env["GTK_THEME"] = theme
    tag = f"{lang}-{width}" + ("-dark" if theme else "")
    proc, app = start(lang, env)
    widths = {}
    lines = {}
    try:
        def page(name):
            time.sleep(0.6)
            widths[name] = frame_width(app)
            screenshot(f"look-{tag}-{name}")
            lines[name] = longest_line(app) if measure else ""

        page("1-welcome")
        check(f"{tag}: welcome → provider", go(app, t["next"]) and has_text(app, t["provider"]))
        page("2-provider")
        check(f"{tag}: provider → computer", go(app, t["next"]) and has_text(app, t["computer"]))
        page("3-computer")
        check(f"{tag}: computer → checking", go(app, t["check"]) and has_text(app, t["checking"]))
        page("4-checking")
        check(f"{tag}: the result", has_text(app, t["result"], timeout=60))
        page("5-result")
        if width == 360 and not theme:
            picture(app, lang)
            details(app, lang, tag)
        check(f"{tag}: the result page's Next says where it leads: “{t['what']}”", button(app, t["what"]) is not None)
        check(f"{tag}: result → steps", go(app, t["what"]) and has_text(app, t["steps"]))
        page("6-steps")
    finally:
        stop(proc)
    if measure and width == 360:
        check(f"{tag}: the window stays {width} px wide on every page",
              all(w == width for w in widths.values()), widths)
    if measure:
        worst = max(lines.values(), key=len)
        check(f"{tag}: no line longer than about 70 characters ({len(worst)})", len(worst) <= MAX_LINE, worst)
    return widths, lines


def picture(app, lang):
    """The picture of the mismatch: its words on the page, its facts for screen readers."""
    t = TEXTS[lang]
    pictures = app.findChildren(lambda n: n.showing and n.name == t["picture_name"], recursive=True)
    check(f"{lang}: the picture's accessible description says the mismatch",
          pictures and pictures[0].description == t["picture"],
          pictures[0].description if pictures else "no picture")
    for word in t["picture_words"]:
        check(f"{lang}: the picture shows “{word}”", has_text(app, word, timeout=2))
    # Two rows of four boxes, each with its version and a word.
    yes, no = ("ja", "nein") if lang == "de" else ("yes", "no")
    # In reading order: row by row, left to right.
    boxes = [n.name for n in sorted(pictures[0].findChildren(lambda n: n.roleName == "label", recursive=True),
                                    key=lambda n: (n.position[1], n.position[0]))] if pictures else []
    expected = [f"TLS 1.{v}\n{yes if v == 0 else no}" for v in range(4)] + \
        [f"TLS 1.{v}\n{yes if v >= 2 else no}" for v in range(4)]
    check(f"{lang}: the boxes say which versions each side speaks", [b for b in boxes if b.startswith("TLS")] == expected,
          boxes)


def details(app, lang, tag):
    """The details for support, opened at 360 px: the table of versions fits
    the window (no cell beyond its right edge) and the window stays as wide."""
    t = TEXTS[lang]
    expanders = app.findChildren(lambda n: n.showing and n.name == t["details"] and n.roleName != "label",
                                 recursive=True)
    if not check(f"{tag}: “{t['details']}” can be opened", bool(expanders), [n.roleName for n in expanders]):
        return
    expanders[0].doActionNamed("activate")
    time.sleep(0.8)
    # The table's right edge as shown: that of the panes that clip it.
    table = app.findChildren(lambda n: n.showing and n.name == t["table"], recursive=True)
    if not check(f"{tag}: the details hold the table “{t['table']}”", bool(table)):
        return
    right, node = 10 ** 6, table[0].parent
    while node is not None and node.roleName != "frame":
        x, width = node.position[0], node.size[0]
        # (A pane GTK has not placed on screen reports a position of -2**31.)
        if node.roleName in ("scroll pane", "viewport") and x > -10000 and width > 0:
            right = min(right, x + width)
        node = node.parent
    cells = table[0].findChildren(lambda n: n.roleName == "label" and n.name, recursive=True)
    beyond = [f"{n.name} ends at {n.position[0] + n.size[0]}" for n in cells if n.position[0] + n.size[0] > right]
    check(f"{tag}: the details table has server rows", any("://" in n.name for n in cells),
          [n.name for n in cells])
    check(f"{tag}: no cell of the details table beyond the window's edge ({right})", not beyond, beyond)
    check(f"{tag}: with the details open the window stays {frame_width(app)} px wide", frame_width(app) == 360)
    # The table in view for the screenshot: Page Down from the expander
    # scrolls the page.
    expanders[0].grabFocus()
    time.sleep(0.3)
    for step in range(1, 4):
        rawinput.pressKey("Page_Down")
        time.sleep(0.4)
        screenshot(f"look-{tag}-5-result-details-{step}")
    expanders[0].doActionNamed("activate")
    time.sleep(0.5)


def intro(lang):
    """The demo's introduction on the computer page names the program chosen."""
    t = TEXTS[lang]
    proc, app = start(lang)
    try:
        go(app, t["next"])
        go(app, t["next"])
        has_text(app, t["computer"])
        intro_label = app.findChildren(lambda n: n.roleName == "label" and n.showing
                                       and "10.11" in (n.name or "") and len(n.name) > 40, recursive=True)
        check(f"{lang}: the demo's introduction names Apple Mail first",
              intro_label and t["intro_apple"] in intro_label[0].name,
              intro_label[0].name if intro_label else "no introduction")
        if not check(f"{lang}: Thunderbird can be chosen", choose(app, "Apple Mail", "Thunderbird")):
            return
        intro_label = app.findChildren(lambda n: n.roleName == "label" and n.showing
                                       and "10.11" in (n.name or "") and len(n.name) > 40, recursive=True)
        text = intro_label[0].name if intro_label else ""
        check(f"{lang}: … then the introduction names Thunderbird, not Apple Mail",
              t["intro_thunderbird"] in text and t["intro_apple"] not in text, text)
        screenshot(f"look-{lang}-intro-thunderbird")
    finally:
        stop(proc)


def this_computer():
    """Outside the demo the computer page says once what this computer is."""
    proc, app = start("en", args=("mail-tls-check:?provider=macbay-v3&email=anna@example.net",))
    try:
        go(app, "Next")
        has_text(app, TEXTS["en"]["computer"])
        said = app.findChildren(lambda n: n.roleName == "label" and n.showing
                                and (n.name or "").startswith("This computer "), recursive=True)
        text = said[0].name if said else ""
        check("this computer: said once and plainly (“This computer runs …” or “This computer is a Mac with …”)",
              (text.startswith("This computer runs ") or text.startswith("This computer is a "))
              and "a computer with" not in text and text.count("(") <= 1, text)
    finally:
        stop(proc)


for lang in ("de", "en"):
    for width in (360, 1024):
        try:
            walk(lang, width)
        except Exception as e:
            check(f"{lang}-{width}: walk", False, repr(e))
try:
    walk("de", 360, theme="Adwaita:dark", measure=False)
except Exception as e:
    check("dark: walk", False, repr(e))
for lang in ("en", "de"):
    try:
        intro(lang)
    except Exception as e:
        check(f"{lang}: intro", False, repr(e))

try:
    this_computer()
except Exception as e:
    check("this computer", False, repr(e))
finish()
