#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Claws Mail writes its own settings file: its setup wizard, driven through
the accessibility bus as a person fills it in (IMAP with TLS on port 993,
sending through port 587 with STARTTLS, a password typed), writes
~/.claws-mail/accountrc; `mail-tls-check --accounts --json` then reads
exactly what was typed, and the password appears nowhere in what it
prints.  Claws Mail is a Debian package that ./dev.sh installs."""

import json
import os
import shutil
import subprocess
import time

from wizardtest import APP, SHOTS, check, finish

from dogtail import tree  # noqa: E402 (after wizardtest, which configures dogtail)

HOME = os.environ["HOME"]
CONFIG = os.path.join(HOME, ".claws-mail")
PASSWORD = "Geheim-Claws-0815"


def shot(name):
    subprocess.run(["import", "-window", "root", os.path.join(SHOTS, f"claws-{name}.png")], check=False)


def showing(node, role, name=None):
    return [n for n in node.findChildren(lambda n: n.roleName == role and n.showing
                                         and (name is None or n.name == name), recursive=True)]


def entry_for(wizard, label, near=None):
    """The text field a label names: the grid lists a field next to its
    label. With @near, the label beside the label @near (the page's second
    "Password:" is the client certificate's)."""
    found = [n for n in showing(wizard, "label", label)
             if near is None or any(c.roleName == "label" and c.name == near for c in n.parent.children)]
    if not found:
        return None
    siblings = found[0].parent.children
    i = [s for s in range(len(siblings)) if siblings[s] == found[0]][0]
    for j in (i - 1, i + 1):
        if 0 <= j < len(siblings) and siblings[j].roleName in ("text", "password text"):
            return siblings[j]
    return None


def fill(wizard, label, text, near=None):
    field = entry_for(wizard, label, near)
    if field is None:
        return False
    field.grabFocus()
    field.text = text
    # A password field reads back as dots.
    return field.text == text or (field.roleName == "password text" and len(field.text) == len(text))


def next_page(wizard):
    showing(wizard, "push button", "Next")[0].click()
    time.sleep(0.8)


def tick(wizard, name, index=0):
    boxes = showing(wizard, "check box", name)
    if len(boxes) <= index:
        return False
    if not boxes[index].checked:
        boxes[index].click()
        time.sleep(0.3)
    return boxes[index].checked


def wait_for(predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def main():
    if shutil.which("claws-mail") is None:
        print("1..0 # SKIP claws-mail is not installed (./dev.sh test installs it)")
        raise SystemExit(0)
    env = dict(os.environ, LANG="C.UTF-8", LANGUAGE="en", LC_ALL="C.UTF-8")
    proc = subprocess.Popen(["claws-mail"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        app = None
        deadline = time.time() + 30
        while app is None and time.time() < deadline:
            try:
                app = tree.root.application("claws-mail")
            except Exception:
                time.sleep(0.5)
        wizard = app.child(roleName="dialog", name="Claws Mail Setup Wizard") if app else None
        if not check("Claws Mail starts its setup wizard with an empty home", wizard is not None):
            return
        shot("1-welcome")
        next_page(wizard)
        check("About You: name and address typed",
              fill(wizard, "Your name:", "Frieda Muster") and fill(wizard, "Your email address:", "frieda@example.test"))
        shot("2-about-you")
        next_page(wizard)

        combo = showing(wizard, "combo box")[0]
        combo.click()
        time.sleep(0.5)
        [n for n in combo.findChildren(lambda n: n.roleName == "menu item" and n.name == "IMAP",
                                       recursive=True)][0].click()
        time.sleep(0.5)
        typed = [combo.name == "IMAP", tick(wizard, "Use TLS to connect to receiving server"),
                 fill(wizard, "Server address:", "imap.example.test:993"),
                 fill(wizard, "Username:", "frieda"), fill(wizard, "Password:", PASSWORD, near="Username:")]
        check("Receiving: IMAP on imap.example.test port 993 with TLS, a user name and a password",
              all(typed), typed)
        shot("3-receiving")
        next_page(wizard)

        check("Sending: smtp.example.test port 587 with STARTTLS",
              fill(wizard, "SMTP server address:", "smtp.example.test:587")
              and tick(wizard, "Use TLS to connect to SMTP server")
              and tick(wizard, "Use STARTTLS command to start encryption"))
        shot("4-sending")
        next_page(wizard)
        shot("5-mailbox")
        next_page(wizard)
        shot("6-finished")
        showing(wizard, "push button", "Save")[0].click()

        accountrc = os.path.join(CONFIG, "accountrc")
        check("Claws Mail writes its accountrc", wait_for(lambda: os.path.exists(accountrc)
                                                          and os.path.getsize(accountrc) > 0, 30))
        # The main window tries the server (which does not exist) and says
        # so: close what it says, as a person would, before quitting.
        time.sleep(3)
        shot("7-main-window")
        for _ in range(5):
            closes = showing(app, "push button", "Close")
            if not closes:
                break
            closes[0].click()
            time.sleep(1)
    finally:
        subprocess.run(["claws-mail", "--exit"], env=env, timeout=30, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()

    saved = os.path.join(SHOTS, "claws-accountrc.txt")
    if os.path.exists(os.path.join(CONFIG, "accountrc")):
        shutil.copy(os.path.join(CONFIG, "accountrc"), saved)
    if os.path.exists(os.path.join(CONFIG, "clawsrc")):
        shutil.copy(os.path.join(CONFIG, "clawsrc"), os.path.join(SHOTS, "claws-clawsrc.txt"))
    p = subprocess.run([APP, "--accounts", "--json"], capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8"))
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = {}
    accounts = [a for a in doc.get("accounts", []) if a.get("program") == "claws-mail"]
    a = accounts[0] if len(accounts) == 1 else {}
    check("--accounts finds the one account Claws Mail wrote", len(accounts) == 1, p.stdout[:600] + p.stderr[-400:])
    check("… the address typed", a.get("address") == "frieda@example.test", a.get("address"))
    check("… receives from imap.example.test, port 993, SSL/TLS",
          a.get("incoming") == {"protocol": "imap", "host": "imap.example.test", "port": 993, "security": "ssl-tls"},
          a.get("incoming"))
    check("… sends through smtp.example.test, port 587, STARTTLS",
          a.get("outgoing") == {"protocol": "smtp", "host": "smtp.example.test", "port": 587, "security": "starttls"},
          a.get("outgoing"))
    check("… no problems reported", doc.get("problems") == [], doc.get("problems"))
    text = subprocess.run([APP, "--accounts"], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, LANGUAGE="de", LC_ALL="C.UTF-8"))
    words = " ".join(text.stdout.split())
    check("--accounts in German: „In Claws Mail: frieda@example.test – empfängt von imap.example.test, Port 993, "
          "SSL/TLS; sendet über smtp.example.test, Port 587, STARTTLS“",
          "In Claws Mail: frieda@example.test – empfängt von imap.example.test, Port 993, SSL/TLS; sendet über "
          "smtp.example.test, Port 587, STARTTLS" in words, words[:600] + text.stderr[-300:])
    check("the password typed into Claws Mail appears nowhere",
          PASSWORD not in p.stdout + p.stderr + text.stdout + text.stderr)


main()
finish()
