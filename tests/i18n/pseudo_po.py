#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A pseudo-language made from the template, for the tests (issue 13, item 3).

Every msgstr is its msgid between the markers ⟦ and ⟧, accented (a → á,
e → é …) and about a third longer (vowels doubled, then ~), so that text the
program shows without translating it, text cut off, and text that does not
fit stand out.  Kept as they are: printf directives (%s %d %u %'d %1$s %%
%02X %<PRIu64> …), ${…}, markup tags and entities, URLs, the program's
name and its options (--help), newlines and spaces at either end (outside
the markers), and the letter after a mnemonic's underscore.  Plurals are filled for every one of three forms
(more than English's two, so that code assuming two is caught), msgctxt is
kept.

The code is "qps": ISO 639 leaves qaa–qtz to local use, so no real
language will ever have it, and Windows' pseudo-locales are qps-ploc and
qps-plocm (https://learn.microsoft.com/windows/win32/intl/using-pseudo-locales-for-localization-testing).
gettext takes it from LANGUAGE like any code (LOCALEDIR/qps/LC_MESSAGES),
and unlike en_XA (Android's pseudo-locale) it is not read as English by the
program's own language checks.

    pseudo_po.py TEMPLATE.pot OUTPUT.po     the pseudo catalogue of a template
    pseudo_po.py --catalogue BUILDDIR DIR   the template regenerated from the
                                            sources by the build's pot target,
                                            its pseudo catalogue msgfmt --check'ed
                                            into DIR/qps/LC_MESSAGES

Standard library only."""

import os
import re
import shlex
import subprocess
import sys
import tempfile

CODE = "qps"
OPEN, CLOSE = "⟦", "⟧"
PLURAL_FORMS = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"

ACCENTS = str.maketrans("aeiouycnsAEIOUYCNS", "áéíóúýçñšÁÉÍÓÚÝÇÑŠ")
VOWELS = set("aeiouyAEIOUY")

# What a translation must keep exactly: printf and strftime directives (any
# letter after the flags, width and precision; xgettext writes <PRIu64>),
# ${…}, markup tags and entities, URLs, a mnemonic's letter.
PROTECTED = re.compile(r"""
    %(?:\d+\$)?[-+ #0'_^]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?(?:<[A-Za-z0-9_]+>|[A-Za-z%])
  | \$\{[^}]*\}
  | </?[A-Za-z][^<>]*>
  | &(?:[A-Za-z]+|\#[0-9]+|\#x[0-9A-Fa-f]+);
  | (?:https?|mailto|mail-tls-check):[^\s<>"“”]+
  | mail-tls-check(?:-wizard)?
  | (?<![\w-])--[a-z][a-z0-9-]*
  | _(?=[A-Za-z])[A-Za-z]
""", re.VERBOSE)


def pseudo(text):
    """The pseudo-translation of one string."""
    if text == "":
        return ""
    lead = re.match(r"\s*", text).group()
    body = text[len(lead):]
    trail = re.search(r"\s*$", body).group()
    body = body[:len(body) - len(trail)] if trail else body
    if body == "":
        return text
    pieces = []          # (is_text, piece)
    pos = 0
    for m in PROTECTED.finditer(body):
        if m.start() > pos:
            pieces.append((True, body[pos:m.start()]))
        pieces.append((False, m.group()))
        pos = m.end()
    if pos < len(body):
        pieces.append((True, body[pos:]))
    letters = sum(len(p) for is_text, p in pieces if is_text)
    extra = -(-letters // 3)
    out = []
    for is_text, piece in pieces:
        if not is_text:
            out.append(piece)
            continue
        chars = []
        for ch in piece:
            chars.append(ch.translate(ACCENTS))
            if extra > 0 and ch in VOWELS:
                chars.append(ch.lower().translate(ACCENTS))
                extra -= 1
        out.append("".join(chars))
    return lead + OPEN + "".join(out) + "~" * extra + CLOSE + trail


# The PO format, as far as a template from xgettext uses it.

def unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    s = s[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
               "v": "\v"}
    return re.sub(r'\\(.)', lambda m: escapes.get(m.group(1), m.group(0)), s)


def quote(s):
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    lines = s.split("\n")
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    if len(parts) <= 1:
        return '"' + (parts[0] if parts else "") + '"'
    return '""\n' + "\n".join('"' + p + '"' for p in parts)


def parse_po(text):
    """The entries of a PO file: dicts with 'comments' (lines), 'msgctxt',
    'msgid', 'msgid_plural', 'msgstr' (list)."""
    entries = []
    entry = None
    key = None

    def new():
        return {"comments": [], "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}

    for line in text.splitlines():
        if not line.strip():
            if entry is not None and entry["msgid"] is not None:
                entries.append(entry)
                entry = None
            continue
        if entry is None:
            entry = new()
        if line.startswith("#"):
            if entry["msgid"] is not None:
                entries.append(entry)
                entry = new()
            entry["comments"].append(line)
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if m:
            key = m.group(1)
            value = unquote(m.group(3))
            if key.startswith("msgstr"):
                index = int(m.group(2) or 0)
                entry["msgstr"][index] = value
                key = ("msgstr", index)
            else:
                if key == "msgctxt" and entry["msgid"] is not None:
                    entries.append(entry)
                    entry = new()
                entry[key] = value
        elif line.startswith('"'):
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += unquote(line)
            else:
                entry[key] += unquote(line)
        else:
            raise ValueError(f"a line this reader does not know: {line!r}")
    if entry is not None and entry["msgid"] is not None:
        entries.append(entry)
    return entries


HEADER = (f"Project-Id-Version: mail-tls-check\nLanguage: {CODE}\nMIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
          f"Plural-Forms: {PLURAL_FORMS}\n")


def pseudo_po(template):
    """The text of the pseudo catalogue of @template (the text of a .pot)."""
    out = ["# Pseudo-translation made by tests/i18n/pseudo_po.py for the tests; never installed.",
           'msgid ""', "msgstr " + quote(HEADER), ""]
    for e in parse_po(template):
        if e["msgid"] == "" and e["msgctxt"] is None:
            continue   # the template's header
        # Keep the flags (c-format …) for msgfmt --check; drop the fuzzy one.
        flags = [c for c in e["comments"] if c.startswith("#,")]
        flags = [re.sub(r",?\s*fuzzy", "", c) for c in flags]
        out.extend(c for c in flags if c.strip() != "#,")
        if e["msgctxt"] is not None:
            out.append("msgctxt " + quote(e["msgctxt"]))
        out.append("msgid " + quote(e["msgid"]))
        if e["msgid_plural"] is not None:
            out.append("msgid_plural " + quote(e["msgid_plural"]))
            out.append("msgstr[0] " + quote(pseudo(e["msgid"])))
            out.append("msgstr[1] " + quote(pseudo(e["msgid_plural"])))
            out.append("msgstr[2] " + quote(pseudo(e["msgid_plural"])))
        else:
            out.append("msgstr " + quote(pseudo(e["msgid"])))
        out.append("")
    return "\n".join(out)


def regenerate_template(builddir, destdir):
    """The template made from the sources now, by the command of the build's
    own pot target (build.ninja's mail-tls-check-pot), written to @destdir
    instead of the source tree's po/.  Returns its path."""
    with open(os.path.join(builddir, "build.ninja"), encoding="utf-8") as f:
        ninja = f.read()
    m = re.search(r"^ COMMAND = (.*--internal gettext pot .*)$", ninja, re.MULTILINE)
    if not m:
        raise RuntimeError(f"no pot target in {builddir}/build.ninja")
    command = shlex.split(m.group(1))
    subdir = [a for a in command if a.startswith("--subdir=")][0].split("=", 1)[1]
    source = [a for a in command if a.startswith("--source-root=")][0].split("=", 1)[1]
    for name in ("POTFILES.in", "POTFILES"):
        path = os.path.join(source, subdir, name)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f, open(os.path.join(destdir, name), "w", encoding="utf-8") as g:
                g.write(f.read())
    # gettext.py writes SOURCE_ROOT/SUBDIR/PKG.pot; an absolute SUBDIR wins the join.
    command = [f"--subdir={destdir}" if a.startswith("--subdir=") else a for a in command]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    pkg = [a for a in command if a.startswith("--pkgname=")][0].split("=", 1)[1]
    return os.path.join(destdir, pkg + ".pot")


def make_catalogue(builddir, localedir):
    """The pseudo-language compiled into @localedir/qps/LC_MESSAGES (its .po
    beside, @localedir/qps.po); returns (the number of messages, the .po's
    path)."""
    with tempfile.TemporaryDirectory(prefix="mtc-pseudo-pot-") as work:
        pot = regenerate_template(builddir, work)
        with open(pot, encoding="utf-8") as f:
            template = f.read()
    po = os.path.join(localedir, CODE + ".po")
    with open(po, "w", encoding="utf-8") as f:
        f.write(pseudo_po(template))
    target = os.path.join(localedir, CODE, "LC_MESSAGES")
    os.makedirs(target, exist_ok=True)
    subprocess.run(["msgfmt", "--check", "-o", os.path.join(target, "mail-tls-check.mo"), po], check=True,
                   capture_output=True, text=True)
    return len(parse_po(template)) - 1, po


# What the tests look for.

def unmarked(text):
    """@text with every marked part (⟦…⟧, nested too) taken out, its lines
    kept: what the program shows that no catalogue translated."""
    out, depth = [], 0
    for ch in text:
        if ch == OPEN:
            depth += 1
        elif ch == CLOSE and depth > 0:
            depth -= 1
        elif depth == 0 or ch == "\n":
            out.append(ch)
    return "".join(out)


def _os_name():
    """This computer's system as /etc/os-release names it (the report says
    what ran the check)."""
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return re.escape(line.split("=", 1)[1].strip().strip('"'))
    except OSError:
        pass
    return r"(?!)"


# The only text the program may show without a translation: what the person,
# this computer or a server supplies, and names that are not translated.
# Everything else a front end shows must come from the catalogue.
ALLOWED_UNMARKED = [
    ("text a server sent, quoted", r"“[^”]*”"),
    ("a certificate's name", r"\b(?:[A-Z]{1,2}=[^,\n]*,?)+"),
    ("the program's name (before a message, in a command to type)", r"\bmail-tls-check\b"),
    ("an address, a URL", r"\b[a-z][a-z0-9+.-]*://\S+|mail-tls-check:\S+"),
    ("an e-mail address", r"\S+@[\w.-]+"),
    ("a host name, an IP address, a version number", r"\b[\w-]+(?:\.[\w-]+)+\b(?::\d+)?"),
    ("a TLS version, a cipher suite", r"\b(?:TLS|SSL)[ _][\w.]+"),
    ("this computer's system", _os_name()),
    ("this computer's TLS library", r"\bGnuTLS\b"),
    ("a mail program's name", r"\b(?:Apple Mail|Thunderbird|Microsoft Outlook|Outlook|Windows Live Mail|"
                              r"Evolution|Geary|KMail)\b"),
    ("a system's name", r"\b(?:Mac OS X|OS X|macOS|Windows|Linux)\b(?: [\d.]+)?(?: [A-Z][a-z]+)*"),
    ("a number", r"\b\d+\b"),
]
_ALLOWED = re.compile("|".join(f"(?:{pattern})" for _, pattern in ALLOWED_UNMARKED), re.DOTALL)


def untranslated(text):
    """The lines of @text with words outside the markers that ALLOWED_UNMARKED
    does not allow: a list of (line number, the line, the words)."""
    rest = _ALLOWED.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), unmarked(text))
    found = []
    originals = text.splitlines()
    for number, line in enumerate(rest.splitlines()):
        words = re.findall(r"\S*[^\W\d_]\S*", line)
        if words:
            found.append((number + 1, originals[number] if number < len(originals) else "", words))
    return found


def main(argv):
    if len(argv) == 3 and argv[0] == "--catalogue":
        count, po = make_catalogue(argv[1], argv[2])
        print(f"{count} messages; {po}")
        return 0
    if len(argv) == 2:
        with open(argv[0], encoding="utf-8") as f, open(argv[1], "w", encoding="utf-8") as g:
            g.write(pseudo_po(f.read()))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
