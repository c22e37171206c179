#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`meson devenv` runs the built program as an installation would: German
from the build's own catalogue, the settings schema found.  The environment
is cleared of the test hooks first, so that only the devenv can supply them."""

import os
import subprocess
import sys

from tap import check, finish

MESON, BUILDDIR = sys.argv[1], sys.argv[2]

env = {k: v for k, v in os.environ.items()
       if not k.startswith("MTC_") and k not in ("LANGUAGE", "LANG", "DISPLAY", "WAYLAND_DISPLAY",
                                                 "GSETTINGS_SCHEMA_DIR")}
env["LC_ALL"] = "C.UTF-8"
env["GSETTINGS_BACKEND"] = "memory"
# Not a test hook the devenv could supply: the machine's mail programs stay
# out of the demo's verdict.
env["MTC_DEFAULT_MAIL_APP"] = ""


def devenv(*command):
    return subprocess.run([MESON, "devenv", "-C", BUILDDIR, *command], capture_output=True, text=True,
                          env=env, timeout=120)


p = devenv("mail-tls-check", "--lang", "de", "--demo")
check("meson devenv mail-tls-check --lang de --demo reports in German",
      p.returncode == 0 and "Die Mailserver Ihres Anbieters funktionieren" in p.stdout
      and "geprüft in" in p.stdout and "checked in" not in p.stdout,
      f"exit {p.returncode}\n{p.stdout[:400]}\n{p.stderr[:400]}")
check("and says nothing about missing translations", "not found" not in p.stderr, p.stderr[:400])

p = devenv("mail-tls-check", "--lang", "en", "--demo")
check("--lang en in the devenv stays English", p.returncode == 0 and "checked in" in p.stdout,
      f"exit {p.returncode}\n{p.stdout[:400]}")

p = devenv("gsettings", "list-keys", "io.github.mailtlscheck.MailTlsCheck")
check("the devenv finds the settings schema compiled in the build", p.returncode == 0 and "window-size" in p.stdout,
      f"exit {p.returncode}\n{p.stdout}\n{p.stderr}")

finish()
