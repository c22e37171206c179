#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The way through the wizard and out of it (issue 12, items 3, 4, 5, 8),
in English and German: the checking page says a server answers, never that
it works; Tab on the result page goes from the details to the buttons, never
into the table or the collapsed details; every page and every new result
starts at its top; Escape cancels a running check; Open Webmail without a
browser shows the address to copy; Help is there without a provider's
article; Finish closes the window.  Screenshots at 360 and 1024 px, and once
in the dark theme."""

import json
import os
import subprocess
import tempfile
import time

from wizardtest import APP, button, check, finish, has_text, press, screenshot, start, stop, stops_at_once

from dogtail import rawinput  # noqa: E402 (after wizardtest, which configures dogtail)

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(APP))), "data")

TEXTS = {
    "en": {
        "next": "Next",
        "check": "Check",
        "back": "Back",
        "computer": "Your Computer and Mail Program",
        "answers": "answers",
        "works": "works",
        "details": "Details for support",
        "steps": "What You Can Do",
        "finish": "Finish",
        "webmail": "Open Webmail",
        # A browser that could not be started, or one that may not come up.
        "no_browser": ("No web browser opened on this computer. Copy this address into a web browser:",
                       "If no browser window appears, copy this address into your web browser:"),
        "copy": "Copy Address",
        "copied": "The address is copied.",
        "close_message": "Close Message",
        "cancel": "Cancel",
        "cancelled": "The check was cancelled.",
        "menu": "Menu",
        "help": "Help",
        "help_title": "What This Program Does",
        "help_text": "It never asks for your password.",
    },
    "de": {
        "next": "Weiter",
        "check": "Prüfen",
        "back": "Zurück",
        "computer": "Ihr Computer und Ihr E-Mail-Programm",
        "answers": "antwortet",
        "works": "funktioniert",
        "details": "Details für den Support",
        "steps": "Was Sie tun können",
        "finish": "Fertig",
        "webmail": "Webmail öffnen",
        "no_browser": ("Auf diesem Computer hat sich kein Webbrowser geöffnet. Kopieren Sie diese Adresse in "
                       "einen Webbrowser:",
                       "Wenn sich kein Browserfenster zeigt, kopieren Sie diese Adresse in Ihren Webbrowser:"),
        "copy": "Adresse kopieren",
        "copied": "Die Adresse ist kopiert.",
        "close_message": "Meldung schließen",
        "cancel": "Abbrechen",
        "cancelled": "Die Prüfung wurde abgebrochen.",
        "menu": "Menü",
        "help": "Hilfe",
        "help_title": "Was dieses Programm tut",
        "help_text": "Nach Ihrem Passwort fragt es nie.",
    },
}


def expected_verdict(lang):
    """The verdict the CLI gives for the demo and the wizard's preselection,
    Apple Mail on OS X 10.11: its id and its title."""
    out = subprocess.run([APP, "--check", "--demo", "--json", "--client", "apple-mail", "--system", "macos-10.11",
                          "--lang", lang], capture_output=True, text=True, timeout=60)
    verdict = json.loads(out.stdout)["verdict"]
    return verdict["id"], verdict["title"]


def sized_env(width, extra=None):
    """A wizard whose remembered window is @width px wide and not very high,
    so that the result and the steps scroll; no web browser anywhere."""
    home = tempfile.mkdtemp(prefix="mtc-flow-")
    os.makedirs(os.path.join(home, "glib-2.0", "settings"))
    with open(os.path.join(home, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write(f"[io/github/mailtlscheck/MailTlsCheck]\nwindow-size=({width}, 560)\n")
    env = {"GSETTINGS_BACKEND": "keyfile", "GSETTINGS_SCHEMA_DIR": SCHEMA_DIR, "XDG_CONFIG_HOME": home,
           "BROWSER": "false"}
    env.update(extra or {})
    return env


def point_at(app):
    """Without a window manager the keyboard goes where the pointer is."""
    frame = app.child(roleName="frame")
    (x, y), (w, h) = frame.position, frame.size
    rawinput.absoluteMotion(x + w // 2, y + h // 2)


def focused(app):
    """The role and name of what has the keyboard focus."""
    nodes = app.findChildren(lambda n: n.focused, recursive=True, showingOnly=False)
    return [(n.roleName, (n.name or "").replace("_", "")) for n in nodes][:1]


def tab_chain(app, count):
    chain = []
    for _ in range(count):
        rawinput.pressKey("Tab")
        time.sleep(0.4)
        chain.extend(focused(app) or [("nothing", "")])
    return chain


def page_scroll(app):
    """The value of the page's vertical scroll bar (the scrolled window of the
    page shown); None when the page does not scroll."""
    bars = app.findChildren(lambda n: n.roleName == "scroll bar" and n.showing
                            and n.getState().contains(_vertical()), recursive=True)
    return bars[0].value if bars else None, bars


def _vertical():
    import pyatspi
    return pyatspi.STATE_VERTICAL


def label_top_in_frame(app, text):
    """Whether a showing label starting with @text lies inside the window."""
    frame = app.child(roleName="frame")
    labels = app.findChildren(lambda n: n.roleName == "label" and (n.name or "").startswith(text) and n.showing,
                              recursive=True)
    if not labels:
        return False
    fy, fh = frame.position[1], frame.size[1]
    ly = labels[0].position[1]
    return fy <= ly < fy + fh


def to_check(app, t):
    for name in (t["next"], t["next"], t["check"]):
        if not press(app, name):
            return False
    return True


def watch_progress(app, t, tag, verdict_title, shot):
    """The rows of the checking page until the result shows: what they said."""
    seen = set()
    shot_taken = False
    deadline = time.time() + 60
    while time.time() < deadline:
        if has_text(app, verdict_title, timeout=0.1):
            break
        lists = app.findChildren(lambda n: n.roleName == "list box" and n.showing, recursive=True)
        for lst in lists:
            for label in lst.findChildren(lambda n: n.roleName == "label", recursive=True):
                seen.add(label.name)
        if not shot_taken and t["answers"] in seen and shot:
            screenshot(f"{tag}-checking")
            shot_taken = True
    check(f"{tag}: a server that answered says “{t['answers']}” while checking", t["answers"] in seen, seen)
    check(f"{tag}: no server “{t['works']}” while checking", t["works"] not in seen, seen)


def result_page(app, t, tag, verdict_id, verdict_title):
    check(f"{tag}: the result is the CLI's verdict {verdict_id}", has_text(app, verdict_title, timeout=30))
    point_at(app)
    start_focus = focused(app)
    check(f"{tag}: the result page starts with the focus on the details", start_focus
          and start_focus[0] == ("toggle button", t["details"]), start_focus)
    chain = tab_chain(app, 4)
    check(f"{tag}: Tab from the collapsed details goes to the buttons, never to a label",
          chain and chain[0][0] == "push button" and all(role != "label" for role, _ in chain), chain)
    buttons = {name for role, name in chain if role == "push button"}
    check(f"{tag}: … Back and Next among them", {t["back"], t["steps"]} <= buttons, chain)

    details = button(app, t["details"])
    details.doActionNamed("activate")
    time.sleep(0.5)
    table = app.findChildren(lambda n: n.roleName == "label" and n.name in ("yes", "ja") and n.showing,
                             recursive=True)
    check(f"{tag}: the details open with the table", bool(table))
    chain = tab_chain(app, 4)
    check(f"{tag}: Tab from the open details skips the table's cells and the details' text",
          chain and all(role != "label" for role, _ in chain), chain)


def scrolled_result_again(app, t, tag, verdict_title):
    """The result scrolled to its end, Back, Check again: the new result is at
    its top."""
    value, bars = page_scroll(app)
    if not check(f"{tag}: the open details make the result page scroll", bars, value):
        return
    bars[0].value = bars[0].queryValue().maximumValue
    time.sleep(0.5)
    check(f"{tag}: … scrolled down", page_scroll(app)[0] > 0, page_scroll(app)[0])
    if not check(f"{tag}: Back to the computer page", press(app, t["back"]) and has_text(app, t["computer"])):
        return
    check(f"{tag}: Check again", press(app, t["check"]) and has_text(app, verdict_title, timeout=30))
    time.sleep(0.5)
    value, _ = page_scroll(app)
    check(f"{tag}: the new result starts at its top", value == 0, value)
    check(f"{tag}: … the verdict in view", label_top_in_frame(app, verdict_title))


def steps_page(app, t, tag):
    check(f"{tag}: result → steps", press(app, t["steps"]) and has_text(app, t["steps"]))
    time.sleep(0.5)
    value, _ = page_scroll(app)
    check(f"{tag}: the steps page opens at its top", value in (0, None), value)
    check(f"{tag}: … its heading in view", label_top_in_frame(app, t["steps"]))
    fin = button(app, t["finish"])
    check(f"{tag}: the last page has {t['finish']}", fin is not None and fin.sensitive)
    screenshot(f"{tag}-steps")

    webmail = button(app, t["webmail"])
    if not check(f"{tag}: Open Webmail offered", webmail is not None):
        return
    url = webmail.description or ""
    webmail.click()
    check(f"{tag}: Open Webmail without a browser says what to do",
          has_text(app, t["no_browser"][0], timeout=5) or has_text(app, t["no_browser"][1], timeout=1))
    bars = app.findChildren(lambda n: n.roleName == "info bar" and n.showing, recursive=True)
    address = bars and bars[0].findChildren(lambda n: n.roleName == "label" and n.showing and n.name == url,
                                            recursive=True)
    check(f"{tag}: … and shows the address to copy above the page", url.startswith("https://") and address,
          (url, [b.name for b in bars]))
    screenshot(f"{tag}-no-browser")
    copy = button(app, t["copy"])
    if check(f"{tag}: … with {t['copy']}", copy is not None):
        copy.click()
        check(f"{tag}: {t['copy']} says it is done", has_text(app, t["copied"], timeout=5))
    close = button(app, t["close_message"])
    if check(f"{tag}: the message's close button is called “{t['close_message']}”", close is not None):
        close.click()
        time.sleep(0.5)
        check(f"{tag}: … and closes it", not has_text(app, t["copied"], timeout=1))

    # Back to the result and on again: the steps page is at its top again.
    value, bars = page_scroll(app)
    if bars:
        bars[0].value = bars[0].queryValue().maximumValue
        time.sleep(0.3)
        press(app, t["back"])
        has_text(app, t["details"])
        press(app, t["steps"])
        has_text(app, t["steps"])
        time.sleep(0.5)
        value, _ = page_scroll(app)
        check(f"{tag}: the steps page, shown again, starts at its top", value == 0, value)


def help_without_article(app, t, tag):
    """The demo has no help article: Help opens the program's own help."""
    if not open_help(app, t, tag):
        return
    shown = has_text(app, t["help_title"], timeout=5) and has_text(app, t["help_text"], timeout=2)
    check(f"{tag}: Help opens the program's own help", shown)
    screenshot(f"{tag}-help")
    if shown:
        rawinput.pressKey("Escape")
        time.sleep(0.5)
        check(f"{tag}: … which Escape closes", not has_text(app, t["help_title"], timeout=1))


def open_help(app, t, tag):
    """Help from the menu: whether it was there and not greyed out."""
    menu = button(app, t["menu"])
    if not check(f"{tag}: a menu", menu is not None):
        return False
    menu.click()
    time.sleep(0.5)
    items = app.findChildren(lambda n: (n.name or "").replace("_", "") == t["help"] and n.showing
                             and n.roleName in ("push button", "menu item"), recursive=True)
    if not check(f"{tag}: the menu offers Help, not greyed out", items and items[0].sensitive):
        rawinput.pressKey("Escape")
        return False
    items[0].click()
    return True


def help_article(lang):
    """A provider whose profile names its help article: Help opens it, and
    without a browser the article's address is there to copy."""
    t = TEXTS[lang]
    tag = f"{lang}-help-article"
    article = "http://hilfe.macbay.de/v3-email-versandprobleme-mit-aelteren-macos/"
    proc, app = start(lang, sized_env(1024), args=("mail-tls-check:?provider=macbay-v3&email=anna@example.net",))
    try:
        if not open_help(app, t, tag):
            return
        bars = app.findChildren(lambda n: n.roleName == "info bar" and n.showing, recursive=True)
        shown = bars and bars[0].findChildren(lambda n: n.roleName == "label" and n.name == article, recursive=True)
        check(f"{tag}: Help shows the provider's article to copy", shown, [b.name for b in bars])
        check(f"{tag}: … not the program's own help", not has_text(app, t["help_title"], timeout=1))
        screenshot(f"{tag}")
    finally:
        stop(proc)


def flow(lang, width, full=True, theme=None):
    t = TEXTS[lang]
    tag = f"{lang}-{width}" + ("-dark" if theme else "")
    verdict_id, verdict_title = expected_verdict(lang)
    # Slow enough that some rows have answered while others still wait.
    extra = {"MTC_DEMO_DELAY_MS": "1500"}
    if theme:
        extra["GTK_THEME"] = theme
    proc, app = start(lang, sized_env(width, extra))
    try:
        if not check(f"{tag}: to the check", to_check(app, t)):
            return
        watch_progress(app, t, tag, verdict_title, shot=True)
        if full:
            result_page(app, t, tag, verdict_id, verdict_title)
            screenshot(f"{tag}-result-details")
            scrolled_result_again(app, t, tag, verdict_title)
        else:
            check(f"{tag}: the result is the CLI's verdict {verdict_id}", has_text(app, verdict_title, timeout=30))
        screenshot(f"{tag}-result")
        steps_page(app, t, tag)
        if full:
            help_without_article(app, t, tag)
        if press(app, t["finish"]):
            try:
                code = proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                code = None
            check(f"{tag}: {t['finish']} closes the window and ends the program", code == 0, code)
        else:
            check(f"{tag}: {t['finish']} can be pressed", False)
    finally:
        stop(proc)


def escape(lang):
    """Escape during a slow check stops it, as Cancel does."""
    t = TEXTS[lang]
    tag = f"{lang}-escape"
    proc, app = start(lang, sized_env(1024, {"MTC_DEMO_DELAY_MS": "3000"}))
    try:
        if not check(f"{tag}: to the check", to_check(app, t)):
            return
        check(f"{tag}: Cancel while checking", button(app, t["cancel"]) is not None)
        point_at(app)
        time.sleep(1)
        check(f"{tag}: Escape stops the check at once",
              *stops_at_once(app, lambda: rawinput.pressKey("Escape"), t["cancelled"]))
        check(f"{tag}: … back on the computer page", has_text(app, t["computer"]))
        screenshot(f"{tag}-cancelled")
    finally:
        stop(proc)


for lang in ("en", "de"):
    for width, full in ((360, True), (1024, False)):
        try:
            flow(lang, width, full)
        except Exception as e:  # a failure to find the program is a failed test, not a crash
            check(f"{lang}-{width}: the flow", False, repr(e))
    try:
        escape(lang)
    except Exception as e:
        check(f"{lang}: Escape", False, repr(e))
try:
    help_article("en")
except Exception as e:
    check("en: Help with a provider's article", False, repr(e))
try:
    flow("en", 1024, full=False, theme="Adwaita:dark")
except Exception as e:
    check("en-1024-dark: the flow", False, repr(e))

finish()
