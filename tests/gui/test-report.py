#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The report for support and the way to support (issue 12, items 9 and 10),
through AT-SPI: the demo to the steps page, in English and German; the
support step's words (no published address, webmail for sending, the
privacy sentence the report card repeats word for word); Copy Report puts
the whole report on the clipboard (read back with a GTK clipboard): the
date, the version, the mail program and system chosen, lines of at most 76
characters; Print… opens the usual print dialog, and its "Print to File"
writes a PDF.  Screenshots of the steps page at 360 and 1024 px, in English
and German, and once dark."""

import os
import re
import shutil
import subprocess
import tempfile
import time

import gi

gi.require_version("Gdk", "3.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Gdk, Gtk  # noqa: E402

import wizardtest  # noqa: E402
from wizardtest import (APP, button, check, finish, has_text, label_text, screenshot, start, stop,  # noqa: E402
                        wait_sensitive)

from dogtail import config, rawinput  # noqa: E402 (after wizardtest, which configures dogtail)

# The wizard starts in a folder of its own (below): its path must not depend
# on the current one.
wizardtest.APP = os.path.abspath(APP)

# The window's size comes from the settings the wizard keeps (window-size).
SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(APP))), "data")
VERSION = "0.1.0"

TEXTS = {
    "en": {
        "next": "Next",
        "what": "What You Can Do",
        "check": "Check",
        "steps": "What You Can Do",
        "copy": "Copy Report",
        "print": "Print…",
        "copied": "The report is copied.",
        "support": ["Demo provider has published no support address that this check knows.",
                    "If your mail program cannot send, send the report from your webmail at https://127.0.0.1:",
                    "You can also print it and keep it at hand when you call."],
        "privacy": "It contains no password and nothing personal.",
        "card": "If you contact support, give them this report: it holds what the check found.",
        "report": [f"Report of Mail TLS Check {VERSION}\n", "  Date of the check: ",
                   "  Mail program:      Apple Mail on OS X 10.11 El Capitan, on",
                   "  Checked from:      a computer with ", "7 checked in less than a second",
                   "Your Mail Program Is Too Old"],
        "print_dialog": "Print",
        "print_button": "Print",
        "print_to_file": "Print to File",
    },
    "de": {
        "next": "Weiter",
        "what": "Was Sie tun können",
        "check": "Prüfen",
        "steps": "Was Sie tun können",
        "copy": "Bericht kopieren",
        "print": "Drucken …",
        "copied": "Der Bericht ist kopiert.",
        "support": ["Demo-Anbieter hat keine Support-Adresse veröffentlicht, die diese Prüfung kennt.",
                    "Wenn Ihr E-Mail-Programm nicht senden kann, senden Sie den Bericht über Ihr Webmail unter "
                    "https://127.0.0.1:",
                    "Sie können ihn auch ausdrucken und beim Anruf bereithalten."],
        "privacy": "Er enthält kein Passwort und nichts Persönliches.",
        "card": "Wenn Sie sich an den Support wenden, geben Sie diesen Bericht mit: Er enthält, was die Prüfung "
                "gefunden hat.",
        "report": [f"Bericht von Mail-TLS-Check {VERSION}\n", "  Geprüft am:      ",
                   "  E-Mail-Programm: Apple Mail unter OS X 10.11 El Capitan, auf",
                   "  Geprüft von:     einem Computer mit ", "7 geprüft in weniger als einer Sekunde",
                   "Ihr E-Mail-Programm ist zu alt"],
        "print_dialog": "Drucken",
        "print_button": "Drucken",
        "print_to_file": "In Datei drucken",
    },
}


def settings_env(width, theme=None):
    """A wizard whose remembered window is @width px wide, and a home of its own."""
    home = tempfile.mkdtemp(prefix="mtc-report-")
    os.makedirs(os.path.join(home, "glib-2.0", "settings"))
    with open(os.path.join(home, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write(f"[io/github/mailtlscheck/MailTlsCheck]\nwindow-size=({width}, 640)\n")
    # This machine has no print server: the file backend alone (CUPS's would
    # make the dialog wait for one).
    os.makedirs(os.path.join(home, "gtk-3.0"))
    with open(os.path.join(home, "gtk-3.0", "settings.ini"), "w") as f:
        f.write("[Settings]\ngtk-print-backends=file\n")
    env = {"GSETTINGS_BACKEND": "keyfile", "GSETTINGS_SCHEMA_DIR": SCHEMA_DIR, "XDG_CONFIG_HOME": home,
           "HOME": home}
    if theme:
        env["GTK_THEME"] = theme
    return env, home


def page_button(app, name, timeout=10):
    """A button of the page by its label, scrolled into view or not."""
    deadline = time.time() + timeout
    config.config.searchShowingOnly = False
    try:
        while time.time() < deadline:
            found = app.findChildren(lambda n: n.roleName == "push button" and n.visible
                                     and (n.name or "").replace("_", "") == name, recursive=True)
            if found:
                return found[0]
            time.sleep(0.3)
        return None
    finally:
        config.config.searchShowingOnly = True


def press(node):
    """The button's own action: it works where the page is scrolled away, as a keyboard would."""
    node.doActionNamed("click")


def to_steps(app, t):
    for name in (t["next"], t["next"], t["check"], t["what"]):
        b = button(app, name, timeout=30)
        if b is None or not wait_sensitive(b, timeout=30):
            return False
        press(b)
        time.sleep(0.5)
    return has_text(app, t["steps"], timeout=30)


def scroll_to_end(app):
    """The mouse wheel over the page until its end (the support step and the report card) shows."""
    frame = app.child(roleName="frame")
    (x, y), (w, h) = frame.position, frame.size
    for _ in range(40):
        rawinput.click(x + w // 2, y + h // 2, button=5)
    time.sleep(0.5)


def clipboard_text():
    clipboard = Gtk.Clipboard.get(Gdk.SELECTION_CLIPBOARD)
    deadline = time.time() + 10
    while time.time() < deadline:
        while Gtk.events_pending():
            Gtk.main_iteration()
        text = clipboard.wait_for_text()
        if text:
            return text
        time.sleep(0.3)
    return None


def long_lines(text):
    """Lines over 76 characters, but for a single web address (it cannot be broken)."""
    return [line for line in text.splitlines()
            if len(line) > 76 and not (" " not in line.strip() and "://" in line)]


def print_to_file(app, lang, t, home):
    """Print… opens the print dialog; its Print to File writes a PDF."""
    b = page_button(app, t["print"])
    if not check(f"{lang}: a Print… button beside Copy Report", b is not None):
        return
    press(b)
    deadline = time.time() + 15
    dialogs = []
    while time.time() < deadline and not dialogs:
        dialogs = app.findChildren(lambda n: n.roleName == "dialog" and n.showing, recursive=False)
        time.sleep(0.3)
    if not check(f"{lang}: Print… opens the print dialog", bool(dialogs)):
        return
    dialog = dialogs[0]
    check(f"{lang}: the print dialog is the usual one", dialog.name == t["print_dialog"], dialog.name)
    time.sleep(1)
    screenshot(f"report-{lang}-print-dialog")
    printers = dialog.findChildren(lambda n: n.roleName == "table cell" and n.name == t["print_to_file"],
                                   recursive=True)
    if not check(f"{lang}: the dialog offers Print to File", bool(printers)):
        return
    printers[0].click()
    time.sleep(0.5)
    go = dialog.findChildren(lambda n: n.roleName == "push button" and (n.name or "").replace("_", "")
                             == t["print_button"] and n.showing, recursive=True)
    if not check(f"{lang}: the dialog's Print button", bool(go)):
        return
    press(go[-1])
    deadline = time.time() + 20
    pdfs = []
    while time.time() < deadline and not pdfs:
        time.sleep(0.5)
        # The file backend's default name, in the home the wizard was given.
        pdfs = [os.path.join(d, f) for d, _, files in os.walk(home) for f in files if f.endswith(".pdf")]
    time.sleep(1)
    data = open(pdfs[0], "rb").read() if pdfs else b""
    check(f"{lang}: Print to File writes the report as a PDF", data.startswith(b"%PDF") and len(data) > 1000,
          f"{pdfs}: {len(data)} bytes")
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    check(f"{lang}: the report runs over several printed pages", pages >= 2, f"{pages} pages")
    if pdfs and shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", pdfs[0], "-"], capture_output=True, text=True).stdout
        check(f"{lang}: the printed report is the report", t["report"][0].strip() in text
              and "TLS 1.0" in text, text[:300])
    screenshot(f"report-{lang}-printed")


def walk(lang, width, theme=None, full=True):
    t = TEXTS[lang]
    env, home = settings_env(width, theme)
    # Print to File writes into the folder the wizard was started in.
    os.chdir(home)
    proc, app = start(lang, env)
    tag = f"{lang}-{width}" + ("-dark" if theme else "")
    try:
        if not check(f"{tag}: the demo to the steps page", to_steps(app, t)):
            return
        time.sleep(0.5)
        scroll_to_end(app)
        screenshot(f"report-{tag}-support")
        if not full:
            return
        words = label_text(app)
        for sentence in t["support"]:
            check(f"{lang}: the support step says “{sentence[:40]}…”", sentence in words, words[-1500:])
        check(f"{lang}: the support step and the report card say the same of privacy",
              words.count(t["privacy"]) == 2, words.count(t["privacy"]))
        check(f"{lang}: the report card", t["card"] + " " + t["privacy"] in words)
        check(f"{lang}: the support step names no help article", "hilfe.macbay.de" not in words)

        # Copy Report, read back from the clipboard.
        press(page_button(app, t["copy"]))
        time.sleep(0.5)
        check(f"{lang}: Copy Report says it copied", t["copied"] in label_text(app))
        text = clipboard_text() or ""
        for part in t["report"]:
            check(f"{lang}: the copied report has “{part.strip()[:40]}”",
                  part in text or part in re.sub(r"\n {3,}", " ", text), text[:800])
        check(f"{lang}: the copied report's lines are at most 76 characters", text and not long_lines(text),
              "\n".join(long_lines(text)))
        check(f"{lang}: the copied report holds the table", re.search(r"\nServer +\S+ +TLS 1\.0 +TLS 1\.1", text),
              text[-1500:])
        if width == 1024:
            print_to_file(app, lang, t, home)
    finally:
        stop(proc)


def main():
    for lang in ("en", "de"):
        for width in (1024, 360):
            try:
                walk(lang, width, full=width == 1024)
            except Exception as e:  # a failure to find the program is a failed test, not a crash
                check(f"{lang} {width}: the report", False, repr(e))
    try:
        walk("en", 1024, theme="Adwaita:dark", full=False)
    except Exception as e:
        check("dark: the steps page", False, repr(e))
    finish()


if __name__ == "__main__":
    main()
