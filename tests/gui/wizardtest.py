#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every GUI test of the wizard shares: starting the wizard on the
accessibility bus, finding labels and buttons as a person sees them,
screenshots, and TAP output.  The scripts beside this file import it; run
them through run-gui-tests.sh (Xvfb, D-Bus, AT-SPI)."""

import os
import shutil
import subprocess
import sys
import tempfile
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

APP, SHOTS = sys.argv[1], sys.argv[2]
SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(APP))), "data")
results = []
CURRENT_APP = []
HOMES = []


def settings_env(width, height=640):
    """The environment for a wizard whose remembered window is @width ×
    @height px, in a settings folder of its own (removed by finish())."""
    home = tempfile.mkdtemp(prefix="mtc-gui-")
    HOMES.append(home)
    os.makedirs(os.path.join(home, "glib-2.0", "settings"))
    with open(os.path.join(home, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write(f"[io/github/mailtlscheck/MailTlsCheck]\nwindow-size=({width}, {height})\n")
    # The title bar's buttons as GTK has them when the desktop says nothing
    # (window menu, Minimize, Maximize, Close): the most room they take.
    os.makedirs(os.path.join(home, "gtk-3.0"))
    with open(os.path.join(home, "gtk-3.0", "settings.ini"), "w") as f:
        f.write("[Settings]\ngtk-decoration-layout=menu:minimize,maximize,close\n")
    return {"GSETTINGS_BACKEND": "keyfile", "GSETTINGS_SCHEMA_DIR": SCHEMA_DIR, "XDG_CONFIG_HOME": home}


def check(name, condition, info=""):
    results.append((name, bool(condition), info))
    return condition


def screenshot(name):
    """The window alone when it can be found, else the whole screen."""
    path = os.path.join(SHOTS, name + ".png")
    crop = []
    try:
        frame = CURRENT_APP[-1].child(roleName="frame", retry=False)
        (x, y), (w, h) = frame.position, frame.size
        if w > 0 and h > 0:
            crop = ["-crop", f"{w}x{h}+{max(x, 0)}+{max(y, 0)}", "+repage"]
    except Exception:
        pass
    time.sleep(0.3)
    subprocess.run(["import", "-window", "root", *crop, path], check=False)


def start(lang, extra_env=None, args=("--demo",)):
    env = dict(os.environ)
    env["LANGUAGE"] = lang
    env.update(extra_env or {})
    # None in @extra_env removes a variable.
    env = {k: v for k, v in env.items() if v is not None}
    proc = subprocess.Popen([APP, *args], env=env)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            app = tree.root.application("mail-tls-check")
            app.child(roleName="frame", retry=False)
            CURRENT_APP.append(app)
            return proc, app
        except Exception:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the wizard did not show up on the accessibility bus")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def has_text(app, text, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = app.findChildren(lambda n: n.roleName == "label" and text in (n.name or "") and n.showing,
                                 recursive=True)
        if found:
            return True
        time.sleep(0.3)
    return False


def label_text(app):
    """Every label of the page, scrolled into view or not, as one text."""
    config.config.searchShowingOnly = False
    try:
        labels = app.findChildren(lambda n: n.roleName == "label" and n.visible and n.name, recursive=True)
        return " ".join(n.name for n in labels)
    finally:
        config.config.searchShowingOnly = True


def button(app, name, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = app.findChildren(lambda n: n.roleName in ("push button", "toggle button")
                                 and (n.name or "").replace("_", "") == name and n.showing,
                                 recursive=True)
        if found:
            return found[0]
        time.sleep(0.3)
    return None


def wait_sensitive(node, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if node.sensitive:
            return True
        time.sleep(0.2)
    return False


def press(app, name):
    """Clicks the button NAME once it can be clicked; whether it could."""
    b = button(app, name)
    if b is None or not wait_sensitive(b):
        return False
    b.click()
    return True


def stops_at_once(app, stop_it, cancelled, limit=5):
    """Calls @stop_it (a click on Cancel, a key) during a check: whether the
    page says @cancelled within @limit seconds, and how long it took."""
    started = time.time()
    stop_it()
    ok = has_text(app, cancelled, timeout=limit)
    took = time.time() - started
    return ok and took < limit, f"{took:.1f} s"


def finish():
    """Prints the results as TAP and exits: 0 when every check passed."""
    for home in HOMES:
        shutil.rmtree(home, ignore_errors=True)
    print(f"1..{len(results)}")
    for i, (name, ok, info) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
        if not ok and info:
            print(f"# {info}")
    sys.exit(0 if all(ok for _, ok, _ in results) else 1)
