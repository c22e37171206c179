#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The whole wizard in the pseudo-language (issue 13, item 3), through
AT-SPI: the template regenerated from the sources and pseudo-translated
(tests/i18n/pseudo_po.py, code "qps": every string between ⟦ and ⟧, accented,
a third longer) into a temporary locale folder, LANGUAGE=qps.

Two walks, each at 360 px: the demo from the welcome page through the
checking page and the result (details open) to the steps, the menu and the
program's help; and a failure, a server typed by hand that does not answer
(this computer cannot reach the provider).  On every page every text shown
(labels, buttons, headings, menu items, the window title, accessible
descriptions) must carry the markers, except data (pseudo_po.ALLOWED_UNMARKED
and the languages' own names); no label may reach out of the window or out of
its own box, and the window stays 360 px wide.

Then the same walks right to left (MTC_TEXT_DIRECTION=rtl, which calls
gtk_widget_set_default_direction): every page reached, Next and Back there
and mirrored (Next on the left of Back).  And the demo once at 1024 px.
Screenshots of every page: _build/tests/gui-screenshots/pseudo-*.png."""

import os
import shutil
import sys
import tempfile
import time

import pyatspi

from wizardtest import APP, button, check, finish, has_text, screenshot, settings_env, start, stop, wait_sensitive

from dogtail import rawinput  # noqa: E402 (after wizardtest, which configures dogtail)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n"))
from pseudo_po import CODE, make_catalogue, pseudo, untranslated  # noqa: E402

BUILDDIR = os.path.dirname(os.path.dirname(os.path.abspath(APP)))
# Besides pseudo_po.ALLOWED_UNMARKED: the language menu names each language
# in itself, which no catalogue translates; the title bar's buttons are
# GTK's, translated by GTK's own catalogue (gtk30) in a real language.
AUTONYMS = {"Deutsch", "English"}
TOOLKIT_OWN = {("push button", "Close"), ("push button", "Minimize"), ("push button", "Maximize")}
# The roles whose name a person sees or hears as text.
TEXT_ROLES = {"label", "push button", "toggle button", "heading", "menu item", "check box", "radio button",
              "radio menu item", "check menu item", "combo box", "page tab", "link", "frame", "dialog",
              "info bar", "list item", "menu", "spin button", "panel", "filler"}
SERVER_BY_HAND = "smtp://127.0.0.1:1"


def shown(msgid):
    """What the wizard shows for @msgid in the pseudo-language."""
    return pseudo(msgid)


def named(msgid):
    """A button's accessible name for @msgid (its mnemonic's underscore gone)."""
    return pseudo(msgid).replace("_", "")


def pseudo_env(width, localedir, rtl):
    """The window @width px wide, the pseudo catalogue, the direction."""
    env = settings_env(width)
    env.update({"MTC_LOCALEDIR": localedir, "MTC_DEMO_DELAY_MS": "1500", "BROWSER": "false"})
    if rtl:
        env["MTC_TEXT_DIRECTION"] = "rtl"
    return env


def texts_shown(root):
    """(role, text) of everything @root shows as text: names and descriptions."""
    out = []
    nodes = [root] + root.findChildren(lambda n: n.showing and n.roleName in TEXT_ROLES, recursive=True)
    for n in nodes:
        for text in (n.name, n.description):
            if text and text.strip():
                out.append((n.roleName, text))
    return out


def unmarked_texts(root):
    """The texts of @root with words outside the markers that are not data."""
    bad = []
    for role, text in texts_shown(root):
        if text.strip() in AUTONYMS or (role, text) in TOOLKIT_OWN:
            continue
        found = untranslated(text)
        if found:
            bad.append(f"{role}: {text!r} — unmarked: {' '.join(w for _, _, ws in found for w in ws)}")
    return sorted(set(bad))


def frame_box(app):
    """The window's box without the frame's resize border: its widest part."""
    frame = app.child(roleName="frame")
    parts = [c for c in frame.children if c.showing]
    x = min(c.position[0] for c in parts)
    return x, max(c.position[0] + c.size[0] for c in parts) - x


def scrolls_sideways(node):
    """Whether @node lies in a part of the page that scrolls sideways (the
    details table at 360 px): cut off there is scrolled, not lost."""
    parent = node.parent
    while parent is not None and parent.roleName != "frame":
        if parent.roleName == "scroll pane":
            bars = [c for c in parent.children if c.roleName == "scroll bar" and c.showing
                    and c.getState().contains(pyatspi.STATE_HORIZONTAL)]
            if bars:
                return True
        parent = parent.parent
    return False


def cut_off(app):
    """Labels that reach out of the window, or whose text reaches out of the
    label's own box (first and last character of every line)."""
    fx, fw = frame_box(app)
    bad = []
    for n in app.findChildren(lambda n: n.roleName == "label" and n.showing and n.name, recursive=True):
        if scrolls_sideways(n):
            continue
        (x, y), (w, h) = n.position, n.size
        if x < fx - 1 or x + w > fx + fw + 1:
            bad.append(f"{n.name[:60]!r}: label at {x}…{x + w}, window {fx}…{fx + fw}")
            continue
        try:
            text = n.queryText()
        except NotImplementedError:
            continue
        offset = 0
        while offset < text.characterCount:
            _, start_, end = text.getTextAtOffset(offset, pyatspi.TEXT_BOUNDARY_LINE_START)
            if end <= offset:
                break
            for k in {start_, max(start_, end - 1)}:
                cx, cy, cw, ch = text.getCharacterExtents(k, pyatspi.DESKTOP_COORDS)
                if cw > 0 and (cx < x - 1 or cx + cw > x + w + 1):
                    bad.append(f"{n.name[:60]!r}: character {k} at {cx}…{cx + cw}, label {x}…{x + w}")
            offset = end
    return bad


def go(app, msgid, timeout=10):
    b = button(app, named(msgid), timeout)
    if b is None or not wait_sensitive(b, timeout):
        return False
    b.click()
    return True


class Walk:
    def __init__(self, app, tag, width, rtl):
        self.app, self.tag, self.width, self.rtl = app, tag, width, rtl
        self.widths = {}
        self.number = 0

    def page(self, name, measure=True):
        """One page: its words, its labels whole, its buttons, its screenshot."""
        time.sleep(0.8)
        self.number += 1
        screenshot(f"pseudo-{self.tag}-{self.number}-{name}")
        bad = unmarked_texts(self.app)
        check(f"{self.tag} {name}: every text carries the markers", not bad, "\n".join(bad))
        if measure and self.width == 360:
            self.widths[name] = frame_box(self.app)[1]
            bad = cut_off(self.app)
            check(f"{self.tag} {name}: nothing cut off", not bad, "\n".join(bad))
        nxt = button(self.app, named("_Next"), 1) or button(self.app, named("_Check"), 1) \
            or button(self.app, named("_What You Can Do"), 1) or button(self.app, named("_Finish"), 1)
        back = button(self.app, named("_Back"), 1)
        if nxt is not None and back is not None:
            if self.rtl:
                check(f"{self.tag} {name}: Next on the left of Back (mirrored)",
                      nxt.position[0] < back.position[0], (nxt.position, back.position))
            else:
                check(f"{self.tag} {name}: Next on the right of Back", nxt.position[0] > back.position[0],
                      (nxt.position, back.position))
        elif name not in ("checking", "menu"):  # Cancel alone while checking; the menu covers them
            check(f"{self.tag} {name}: Next and Back there", nxt is not None and (back is not None
                                                                                 or name == "welcome"),
                  (nxt, back))

    def done(self):
        if self.width == 360:
            check(f"{self.tag}: the window stays 360 px wide on every page",
                  self.widths and all(w == 360 for w in self.widths.values()), self.widths)


def expander(app, msgid, timeout=10):
    """The expander called @msgid (not the label inside it), or None."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = app.findChildren(lambda n: (n.name or "").replace("_", "") == named(msgid) and n.showing
                                 and n.roleName != "label", recursive=True)
        if found:
            return found[0]
        time.sleep(0.3)
    return None


def open_details(app):
    """Opens the details for support as a person at the keyboard does: the
    result page starts with the focus on them, and Space opens them."""
    details = expander(app, "_Details for support", timeout=3)
    if details is not None:
        details.doActionNamed("activate")
    else:
        rawinput.pressKey("space")
    time.sleep(0.6)
    return bool(app.findChildren(lambda n: n.name == shown("Versions each server accepts"), recursive=True))


def menu_and_help(walk):
    """The menu's items, then the program's own help (the demo has no article)."""
    app = walk.app
    menu = button(app, named("Menu"))
    if not check(f"{walk.tag}: a menu button", menu is not None):
        return
    menu.click()
    time.sleep(0.6)
    walk.page("menu", measure=False)
    items = app.findChildren(lambda n: (n.name or "").replace("_", "") == named("_Help") and n.showing
                             and n.roleName in ("push button", "menu item"), recursive=True)
    if not check(f"{walk.tag}: the menu offers Help", bool(items)):
        rawinput.pressKey("Escape")
        return
    items[0].click()
    if check(f"{walk.tag}: Help shows the program's help", has_text(app, shown("What This Program Does"))):
        dialogs = app.findChildren(lambda n: n.roleName == "dialog" and n.showing, recursive=True)
        root = dialogs[0] if dialogs else app
        time.sleep(0.5)
        walk.number += 1
        screenshot(f"pseudo-{walk.tag}-{walk.number}-help")
        bad = unmarked_texts(root)
        check(f"{walk.tag} help: every text carries the markers", not bad, "\n".join(bad))
        rawinput.pressKey("Escape")
        time.sleep(0.5)


def point_at(app):
    """Without a window manager the keyboard goes where the pointer is."""
    frame = app.child(roleName="frame")
    (x, y), (w, h) = frame.position, frame.size
    rawinput.absoluteMotion(x + w // 2, y + h // 2)


def result_and_steps(walk, details=True):
    """The result page (and its details open), then the steps page."""
    app, tag = walk.app, walk.tag
    walk.page("result")
    if details:
        point_at(app)
        check(f"{tag}: the details open", open_details(app))
        walk.page("result-details")
    if not check(f"{tag}: result → steps", go(app, "_What You Can Do") and has_text(app, shown("What You Can Do"))):
        return False
    walk.page("steps")
    return True


def demo(localedir, width=360, rtl=False, full=True):
    tag = f"demo-{width}" + ("-rtl" if rtl else "")
    proc, app = start(CODE, pseudo_env(width, localedir, rtl))
    walk = Walk(app, tag, width, rtl)
    try:
        if not check(f"{tag}: the welcome page in the pseudo-language",
                     has_text(app, shown("Why Can’t My Mail Program Connect?"))):
            return
        walk.page("welcome")
        if not check(f"{tag}: welcome → provider", go(app, "_Next") and has_text(app, shown("Your Mail Provider"))):
            return
        walk.page("provider")
        if not check(f"{tag}: provider → computer",
                     go(app, "_Next") and has_text(app, shown("Your Computer and Mail Program"))):
            return
        walk.page("computer")
        if not check(f"{tag}: computer → checking", go(app, "_Check")
                     and button(app, named("_Cancel")) is not None):
            return
        walk.page("checking", measure=False)
        if not check(f"{tag}: the result", button(app, named("_What You Can Do"), 60) is not None):
            return
        if not result_and_steps(walk, details=full):
            return
        if full:
            menu_and_help(walk)
        walk.done()
    finally:
        stop(proc)


def failure(localedir, width=360, rtl=False):
    """A server typed by hand that does not answer."""
    tag = f"failure-{width}" + ("-rtl" if rtl else "")
    proc, app = start(CODE, pseudo_env(width, localedir, rtl), args=())
    walk = Walk(app, tag, width, rtl)
    try:
        if not check(f"{tag}: welcome → provider", go(app, "_Next") and has_text(app, shown("Your Mail Provider"))):
            return
        # By keyboard, as the page's focus chain runs: from the address to
        # "Remember this address", to the provider list, to "Enter servers by
        # hand" (Space opens it), to the Servers field.  That the servers were
        # typed there shows in the result: only they can make the check fail
        # to reach anything.
        point_at(app)
        address = app.findChildren(lambda n: n.roleName == "text" and n.showing, recursive=True)
        if not check(f"{tag}: the address field", bool(address)):
            return
        address[0].grabFocus()
        time.sleep(0.5)
        for key in ("Tab", "Tab", "Tab", "space", "Tab"):
            rawinput.pressKey(key)
            time.sleep(0.4)
        rawinput.typeText(SERVER_BY_HAND)
        time.sleep(0.5)
        walk.page("provider-by-hand")
        if not check(f"{tag}: provider → computer",
                     go(app, "_Next") and has_text(app, shown("Your Computer and Mail Program"))):
            return
        walk.page("computer")
        if not check(f"{tag}: the result: this computer cannot reach the provider", go(app, "_Check")
                     and has_text(app, shown("This Computer Cannot Reach Your Provider at All"), 60)):
            return
        if not result_and_steps(walk):
            return
        walk.done()
    finally:
        stop(proc)


localedir = tempfile.mkdtemp(prefix="mtc-pseudo-locale-")
try:
    count, _ = make_catalogue(BUILDDIR, localedir)
    check(f"the pseudo catalogue ({count} messages) built and msgfmt --check'ed", count > 100)
    for rtl in (False, True):
        for case in (demo, failure):
            try:
                case(localedir, rtl=rtl)
            except Exception as e:  # a failure to find the program is a failed test, not a crash
                check(f"{case.__name__} {'rtl' if rtl else 'ltr'}", False, repr(e))
    try:
        demo(localedir, width=1024, full=False)
    except Exception as e:
        check("demo 1024", False, repr(e))
except Exception as e:
    check("the pseudo catalogue", False, f"{e!r} {getattr(e, 'stderr', '')}")
finally:
    shutil.rmtree(localedir, ignore_errors=True)
finish()
