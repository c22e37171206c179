# SPDX-License-Identifier: GPL-3.0-or-later
"""Catalogues of languages the project has no po file for, made with msgfmt
into a temporary locale directory beside the build's own (MTC_LOCALEDIR):
a translator's new language, as the program finds it without a change of
code.  test-languages.py and gui/test-languages.py use them."""

import os
import subprocess

# A few strings of French (the language name among them) for the report
# and the wizard.
FRENCH = {
    ("language name", "English"): "Français",
    (None, "Report of Mail TLS Check %s"): "Rapport de Mail TLS Check %s",
    (None, "Date of the check:"): "Date de la vérification :",
    (None, "_Language"): "_Langue",
    (None, "Why Can’t My Mail Program Connect?"): "Pourquoi mon programme de messagerie ne se connecte-t-il pas ?",
}


def po_text(entries):
    lines = ['msgid ""', 'msgstr ""', '"Project-Id-Version: mail-tls-check\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"',
             '"Content-Transfer-Encoding: 8bit\\n"', ""]
    for (context, msgid), msgstr in entries.items():
        if "%s" in msgid:
            lines.append("#, c-format")
        if context is not None:
            lines.append(f'msgctxt "{context}"')
        lines += [f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""]
    return "\n".join(lines)


def add_catalogue(localedir, code, entries):
    """localedir/code/LC_MESSAGES/mail-tls-check.mo made from @entries."""
    folder = os.path.join(localedir, code, "LC_MESSAGES")
    os.makedirs(folder, exist_ok=True)
    po = os.path.join(folder, "mail-tls-check.po")
    with open(po, "w", encoding="utf-8") as out:
        out.write(po_text(entries))
    subprocess.run(["msgfmt", "--check-format", "-o", os.path.join(folder, "mail-tls-check.mo"), po], check=True)
    os.remove(po)


def make_localedir(localedir, build_localedir):
    """The build's catalogues (German) and a French one, in @localedir."""
    for code in os.listdir(build_localedir):
        if os.path.isfile(os.path.join(build_localedir, code, "LC_MESSAGES", "mail-tls-check.mo")):
            os.symlink(os.path.join(build_localedir, code), os.path.join(localedir, code))
    add_catalogue(localedir, "fr", FRENCH)
    return localedir
