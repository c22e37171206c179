#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The built desktop file and AppStream metainfo carry every translatable
text in every language of po/LINGUAS, as that language's catalogue has it
(i18n.merge_file puts them there; a text missing from po/xx.po, or a file
merged without the catalogues, fails here).

Usage: check-merged-translations.py DESKTOP METAINFO PO_DIR
"""

import gettext
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

DESKTOP, METAINFO, PO_DIR = sys.argv[1:4]
DESKTOP_KEYS = ("Name", "GenericName", "Comment", "Keywords")
# The elements the AppStream ITS rules translate.
METAINFO_TAGS = ("name", "summary", "p", "li", "caption", "developer_name")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
problems = []


def languages():
    with open(os.path.join(PO_DIR, "LINGUAS"), encoding="utf-8") as f:
        return [code for line in f if not line.startswith("#") for code in line.split()]


def catalogue(lang, tmp):
    mo = os.path.join(tmp, lang + ".mo")
    subprocess.run(["msgfmt", "-o", mo, os.path.join(PO_DIR, lang + ".po")], check=True)
    with open(mo, "rb") as f:
        return gettext.GNUTranslations(f)._catalog


def translation(cat, lang, english, where):
    text = cat.get(english)
    if not text:
        problems.append(f"po/{lang}.po does not translate {english!r} ({where})")
    return text


def check_desktop(lang, cat):
    entries = {}
    with open(DESKTOP, encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.rstrip("\n").partition("=")
            if sep:
                entries[key] = value
    for key in DESKTOP_KEYS:
        if key not in entries:
            continue
        wanted = translation(cat, lang, entries[key], f"{os.path.basename(DESKTOP)}, {key}")
        got = entries.get(f"{key}[{lang}]")
        if wanted and got != wanted:
            problems.append(f"{os.path.basename(DESKTOP)}: {key}[{lang}] is {got!r}, po/{lang}.po has {wanted!r}")


def check_metainfo(lang, cat):
    root = ET.parse(METAINFO).getroot()
    for parent in root.iter():
        children = list(parent)
        for child in children:
            if child.tag not in METAINFO_TAGS or XML_LANG in child.attrib:
                continue
            english = re.sub(r"\s+", " ", "".join(child.itertext())).strip()
            wanted = translation(cat, lang, english, f"{os.path.basename(METAINFO)}, <{child.tag}>")
            got = [re.sub(r"\s+", " ", "".join(c.itertext())).strip() for c in children
                   if c.tag == child.tag and c.attrib.get(XML_LANG) == lang]
            if wanted and wanted not in got:
                problems.append(f"{os.path.basename(METAINFO)}: no <{child.tag} xml:lang=\"{lang}\"> with "
                                f"{wanted!r} beside {english[:60]!r}")


with tempfile.TemporaryDirectory() as tmp:
    for lang in languages():
        cat = catalogue(lang, tmp)
        check_desktop(lang, cat)
        check_metainfo(lang, cat)

for p in problems:
    print(p)
if not problems:
    print(f"{os.path.basename(DESKTOP)} and {os.path.basename(METAINFO)} carry every text in "
          f"{', '.join(languages())}")
sys.exit(1 if problems else 0)
