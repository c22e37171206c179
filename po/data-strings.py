#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The translatable texts of the knowledge base and the provider profiles.

The data files (data/mail-tls-check.knowledge, data/providers/*.provider)
hold English only; the program translates their localised keys through its
gettext catalogue when it reads them (src/core/model/mtc-key-file.c).
xgettext knows no language for these files, so this script lists their
texts as a PO template, po/data-strings.pot, which po/POTFILES.in names:
xgettext reads a .pot given to it as PO and keeps each text's `#:` line
(the data file and line) and its `#.` translator comment, so the texts reach
po/mail-tls-check.pot through `meson compile -C _build mail-tls-check-pot`.

    python3 po/data-strings.py            # rewrite po/data-strings.pot
    python3 po/data-strings.py --output F # write it elsewhere (the tests)

tests/check-potfiles.sh fails when po/data-strings.pot is not what this
script makes from the data files, or when a bundled data file carries a
`Key[xx]=` translation of its own (translations belong in po/xx.po).
"""

import argparse
import glob
import os
import re
import sys

# Which keys are localised, per file and group, and what a translator must
# know about each: what the text is and where the person sees it.
KNOWLEDGE_KEYS = {
    ('Source', 'Title'): 'the title of a published source (an article, a bug report, a manual page) that the '
                         'report cites as evidence, in the list of sources of the details for support. Keep '
                         'product names and quoted titles as they are; say when the source itself is in '
                         'English.',
    ('System', 'Name'): 'the name of an operating system, shown in the report and in the wizard’s list of '
                        'systems (a product name: usually kept as it is).',
    ('Client', 'Name'): 'the name of a mail program or a browser, shown in the report and in the wizard’s '
                        'list of programs (a product name: usually kept as it is).',
    ('Fact', 'Note'): 'a technical note on what a mail program or browser can do on a system, shown in the '
                      'details for support; one paragraph.',
    ('Fix', 'Title'): 'the title of a step the person can take, shown as the heading of that step (header '
                      'capitalisation, short).',
    ('Fix', 'Text'): 'the text of a step the person can take, addressed to her directly (formal in German: '
                     '“Sie”); one paragraph.',
    ('Macs', 'Condition'): 'a condition that follows the name of the newest system a Mac model can run '
                           '(“macOS 10.14 Mojave, with …”), lower case, short.',
}
PROVIDER_KEYS = {
    ('Provider', 'Name'): 'the name of a mail provider, shown in the wizard and the report (a name: usually '
                          'kept as it is).',
    ('Provider', 'Support'): 'how to reach the mail provider’s support, in words, shown beside the steps.',
    ('Provider', 'HelpTitle'): 'the title of the mail provider’s help article, shown as a link.',
    ('Server', 'Note'): 'why the check tries a mail server the provider did not publish, shown in the '
                        'details for support; one paragraph.',
}

GROUP = re.compile(r'^\[([A-Za-z]+)(?: ([^\]]*))?\]\s*$')
ENTRY = re.compile(r'^([A-Za-z0-9-]+)(\[[^\]]*\])?\s*=\s*(.*?)\s*$')
ESCAPES = {'s': ' ', 'n': '\n', 't': '\t', 'r': '\r', '\\': '\\'}


def unescape(value):
    """A GKeyFile string value as g_key_file_get_string() returns it."""
    return re.sub(r'\\(.)', lambda m: ESCAPES.get(m.group(1), m.group(0)), value)


def po_string(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\t', '\\t') + '"'


def data_files(top):
    files = ['data/mail-tls-check.knowledge']
    files += sorted(os.path.relpath(p, top) for p in glob.glob(os.path.join(top, 'data', 'providers', '*.provider')))
    return files


def texts(top):
    """Yields (file, line, group kind, group id, key, English text, comment)."""
    for name in data_files(top):
        keys = KNOWLEDGE_KEYS if name.endswith('.knowledge') else PROVIDER_KEYS
        kind = gid = None
        with open(os.path.join(top, name), encoding='utf-8') as f:
            for number, line in enumerate(f, 1):
                group = GROUP.match(line)
                if group:
                    kind, gid = group.group(1), group.group(2)
                    continue
                entry = ENTRY.match(line)
                if entry is None or line.startswith('#'):
                    continue
                key, locale, value = entry.groups()
                if (kind, key) in keys and locale is None and value:
                    yield name, number, kind, gid, key, unescape(value), keys[(kind, key)]


def template(top):
    entries = {}
    for name, number, kind, gid, key, text, comment in texts(top):
        where = f'[{kind} {gid}]' if gid else f'[{kind}]'
        entry = entries.setdefault(text, {'comments': [], 'refs': []})
        line = f'TRANSLATORS: {comment} ({key}= of {where})'
        if line not in entry['comments']:
            entry['comments'].append(line)
        entry['refs'].append(f'{name}:{number}')
    out = ['# The texts of the knowledge base and the provider profiles, for the template.',
           '# Made by po/data-strings.py from the data files; do not edit.',
           'msgid ""',
           'msgstr ""',
           '"Content-Type: text/plain; charset=UTF-8\\n"',
           '"Content-Transfer-Encoding: 8bit\\n"',
           '']
    for text, entry in entries.items():
        out += [f'#. {c}' for c in entry['comments']]
        out += [f'#: {r}' for r in entry['refs']]
        out += [f'msgid {po_string(text)}', 'msgstr ""', '']
    return '\n'.join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument('--top', default=os.path.dirname(here), help='the source tree')
    parser.add_argument('--output', default=os.path.join(here, 'data-strings.pot'))
    args = parser.parse_args()
    with open(args.output, 'w', encoding='utf-8') as f:
        f.write(template(args.top))
    return 0


if __name__ == '__main__':
    sys.exit(main())
