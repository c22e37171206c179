#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The installed wizard as the desktop starts it, seen through AT-SPI: from
the desktop file's Exec line, and from a mail-tls-check: link opened with
xdg-open. Runs inside a private D-Bus session with the accessibility bus
(test-install.py starts it); prints one JSON line per check.

  installed-wizard.py DESKTOP_FILE WIZARD_PATH SCREENSHOT_DIR"""

import json
import os
import shlex
import subprocess
import sys
import time

os.environ.setdefault("DOGTAIL_NO_SCREENSHOTS", "1")
from dogtail import config  # noqa: E402

config.config.logDebugToStdOut = False
config.config.logDebugToFile = False
config.config.searchShowingOnly = True
config.config.defaultDelay = 0.3
config.config.searchBackoffDuration = 0.3
config.config.searchCutoffCount = 20

from dogtail import tree  # noqa: E402

DESKTOP, WIZARD, SHOTS = sys.argv[1:4]


def check(name, condition, info=""):
    print(json.dumps({"name": name, "ok": bool(condition), "info": str(info)}), flush=True)
    return condition


def exec_line(path):
    """The Exec key of the [Desktop Entry] group, without field codes."""
    group = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                group = line
            elif group == "[Desktop Entry]" and line.startswith("Exec="):
                words = shlex.split(line[len("Exec="):])
                return [w for w in words if not (len(w) == 2 and w[0] == "%")]
    raise RuntimeError(f"no Exec line in {path}")


def find_app(timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            app = tree.root.application("mail-tls-check")
            app.child(roleName="frame", retry=False)
            return app
        except Exception:
            time.sleep(0.3)
    return None


def has_label(app, text, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if app.findChildren(lambda n: n.roleName == "label" and text in (n.name or "") and n.showing,
                            recursive=True):
            return True
        time.sleep(0.3)
    return False


def program_of(app):
    try:
        return os.readlink(f"/proc/{app.get_process_id()}/exe")
    except Exception as e:
        return repr(e)


def screenshot(name):
    time.sleep(0.5)
    subprocess.run(["import", "-window", "root", os.path.join(SHOTS, name + ".png")], check=False)


def stop(proc, app):
    pid = app.get_process_id() if app is not None else None
    for p in (proc.pid, pid):
        if p:
            try:
                os.kill(p, 15)
            except ProcessLookupError:
                pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    # The wizard is a unique application: wait until it has left the bus.
    deadline = time.time() + 10
    while pid and time.time() < deadline and os.path.exists(f"/proc/{pid}"):
        time.sleep(0.2)


def from_exec_line():
    command = exec_line(DESKTOP)
    proc = subprocess.Popen(command)
    app = find_app()
    try:
        check("the desktop file's Exec line starts the wizard", app is not None, " ".join(command))
        if app is None:
            return
        check("the started wizard is the installed one", program_of(app) == WIZARD, program_of(app))
        check("it opens on the welcome page", has_label(app, "Why Can’t My Mail Program Connect?"))
        screenshot("installed-exec-line")
    finally:
        stop(proc, app)


def from_link():
    link = "mail-tls-check:?provider=demo"
    proc = subprocess.Popen(["xdg-open", link])
    app = find_app()
    try:
        check("xdg-open on a mail-tls-check: link starts the wizard", app is not None, link)
        if app is None:
            return
        check("the wizard the link started is the installed one", program_of(app) == WIZARD, program_of(app))
        check("the link opens the provider page", has_label(app, "Your Mail Provider"))
        screenshot("installed-link")
    finally:
        stop(proc, app)


for part in (from_exec_line, from_link):
    try:
        part()
    except Exception as e:  # a program that cannot be found is a failed check, not a crash
        check(part.__name__, False, repr(e))
