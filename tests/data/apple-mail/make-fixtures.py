#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the Apple Mail fixtures of tests/test-plist.c and test-apple-mail.c
and the seeds of tests/fuzz/corpus/apple-plist with python3's plistlib, so
that the binary ones are what a real binary-plist writer makes.  Run it from
this folder after changing it; its output is committed.

The key names of Accounts.plist are the ones src/core/accounts/mtc-apple-mail.c
reads, with the sources named there.  The values are invented for the tests
(example.net is reserved for examples, RFC 2606)."""

import datetime
import os
import plistlib
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, '..', '..', 'fuzz', 'corpus', 'apple-plist')

PASSWORD = 'Geheim-Passwort-42'


def write(path, value, fmt):
    path = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        plistlib.dump(value, f, fmt=fmt, sort_keys=False)
    return path


def seed(name, path=None, data=None):
    os.makedirs(CORPUS, exist_ok=True)
    target = os.path.join(CORPUS, name)
    if path is not None:
        shutil.copyfile(path, target)
    else:
        with open(target, 'wb') as f:
            f.write(data)


# Every type both formats have, and the binary format's own.
ALL_TYPES = {
    'ascii': 'imap.example.net',
    'unicode': 'Jürgen’s Konto ✉ 𝄞',
    'small': 7,
    'two-bytes': 993,
    'four-bytes': 70000,
    'eight-bytes': 2 ** 40,
    'negative': -5,
    'real': 1.5,
    'true': True,
    'false': False,
    'date': datetime.datetime(2014, 10, 16, 12, 0, 0),
    'data': b'\x00\x01\x02binary',
    'array': ['one', 2, ['nested', {'deep': 'value'}]],
    'empty-dict': {},
    'empty-array': [],
    'long-string': 'x' * 40,
}

V2_ACCOUNTS = {
    'DeliveryAccounts': [
        {
            'AccountType': 'SMTPAccount',
            'Hostname': 'smtp.other.example.net',
            'Username': 'someone',
        },
        {
            'AccountType': 'SMTPAccount',
            'Hostname': 'smtp.example.net',
            'PortNumber': '587',
            'SSLEnabled': 'NO',
            'Username': 'alice@example.net',
            'Password': PASSWORD,
        },
    ],
    'MailAccounts': [
        {
            'AccountName': 'On My Mac',
            'AccountType': 'LocalAccount',
        },
        {
            'AccountName': 'Work',
            'AccountType': 'IMAPAccount',
            'EmailAddresses': ['alice@example.net', 'a.example@example.net'],
            'FullUserName': 'Alice Example',
            'Hostname': 'imap.example.net',
            'PortNumber': '993',
            'SSLEnabled': 'YES',
            'SMTPIdentifier': 'smtp.example.net:alice@example.net',
            'Username': 'alice@example.net',
            'Password': PASSWORD,
        },
        {
            'AccountName': 'Home',
            'AccountType': 'POPAccount',
            'EmailAddresses': ['bob@example.net'],
            'Hostname': 'pop.example.net',
            'SSLEnabled': 'NO',
            'PortNumber': '110',
            'SMTPIdentifier': 'smtp.missing.example.net:bob',
            'Username': 'bob',
        },
        {
            'AccountName': 'Mail',
            'AccountType': 'GmailAccount',
            'EmailAddresses': ['not an address', 'dora@example.net'],
            'Hostname': 'imap.mail.example.net',
            'PortNumber': '143',
            'SSLEnabled': 'YES',
            'SMTPIdentifier': 'smtp.other.example.net:someone',
        },
    ],
}

V3_ACCOUNTS = {
    'DeliveryAccounts': [
        {
            'AccountType': 'SMTPAccount',
            'Hostname': 'mail.example.net',
            'PortNumber': 465,
            'SSLEnabled': True,
            'Username': 'carol',
            'Password': PASSWORD,
        },
    ],
    'MailAccounts': [
        {
            'AccountName': 'Cloud',
            'AccountType': 'iToolsAccount',
            'EmailAddresses': ['carol@cloud.example.net'],
            'Hostname': 'imap.cloud.example.net',
            'PortNumber': 993,
            'SSLEnabled': True,
            'SMTPIdentifier': 'smtp.cloud.example.net:carol',
            'UseDefaultPorts': 'YES',
        },
        {
            'AccountName': 'Carol',
            'AccountType': 'IMAPAccount',
            'EmailAddresses': ['carol@example.net'],
            'Hostname': 'mail.example.net',
            'SSLEnabled': True,
            'SMTPIdentifier': 'mail.example.net:carol',
            'Username': 'carol',
        },
    ],
}

MAIL_INFO = {
    'CFBundleIdentifier': 'com.apple.mail',
    'CFBundleShortVersionString': '8.2',
}

if __name__ == '__main__':
    xml = write('all-types.xml', ALL_TYPES, plistlib.FMT_XML)
    binary = write('all-types.bplist', dict(ALL_TYPES, uid=plistlib.UID(300)), plistlib.FMT_BINARY)
    v2 = write('home-v2/Library/Mail/V2/MailData/Accounts.plist', V2_ACCOUNTS, plistlib.FMT_XML)
    v3 = write('home-v3/Library/Mail/V3/MailData/Accounts.plist', V3_ACCOUNTS, plistlib.FMT_BINARY)
    # The V2 folder an upgrade to 10.10 leaves behind: not read.
    write('home-v3/Library/Mail/V2/MailData/Accounts.plist', V2_ACCOUNTS, plistlib.FMT_XML)
    info = write('root-v3/Applications/Mail.app/Contents/Info.plist', MAIL_INFO, plistlib.FMT_BINARY)
    with open(v3, 'rb') as f:
        whole = f.read()
    # Cut inside the offset table: the trailer is gone.
    broken = os.path.join(HERE, 'home-broken/Library/Mail/V2/MailData/Accounts.plist')
    os.makedirs(os.path.dirname(broken), exist_ok=True)
    with open(broken, 'wb') as f:
        f.write(whole[:len(whole) // 2])

    for path, name in [(xml, 'all-types.xml'), (binary, 'all-types.bplist'),
                       (v2, 'accounts-v2.xml'), (v3, 'accounts-v3.bplist'),
                       (info, 'mail-info.bplist'), (broken, 'truncated.bplist')]:
        seed(name, path)
    # Tricky ones: a dictionary that holds itself, a reference past the last
    # object, a count that claims more than the file, a UTF-16 string with a
    # lone surrogate, an XML key without a value, nesting too deep.
    def bplist(objects, top=0, ref_size=1, offset_size=1):
        body = b'bplist00'
        offsets = []
        for obj in objects:
            offsets.append(len(body))
            body += obj
        table = len(body)
        for off in offsets:
            body += off.to_bytes(offset_size, 'big')
        body += bytes(6) + bytes([offset_size, ref_size])
        body += len(objects).to_bytes(8, 'big') + top.to_bytes(8, 'big') + table.to_bytes(8, 'big')
        return body

    seed('cycle.bplist', data=bplist([b'\xd1\x01\x00', b'\x51k']))
    seed('self-array.bplist', data=bplist([b'\xa1\x00']))
    seed('ref-past-end.bplist', data=bplist([b'\xa1\x07']))
    seed('huge-count.bplist', data=bplist([b'\x5f\x13\x7f\xff\xff\xff\xff\xff\xff\xff']))
    seed('lone-surrogate.bplist', data=bplist([b'\x61\xd8\x00']))
    seed('bad-trailer.bplist', data=bplist([b'\x08'], top=5))
    # A small file that expands into 255^4 values: refused by the budget.
    bomb = [bytes([0xaf, 0x10, 0xff]) + bytes([i + 1]) * 255 for i in range(4)] + [b'\x51x']
    seed('bomb.bplist', data=bplist(bomb, offset_size=2))
    seed('key-without-value.xml', data=b'<?xml version="1.0"?><plist version="1.0"><dict><key>a</key></dict></plist>')
    seed('deep.xml', data=b'<plist>' + b'<array>' * 100 + b'</array>' * 100 + b'</plist>')
    seed('two-tops.xml', data=b'<plist><string>a</string><string>b</string></plist>')
    seed('entities.xml', data=b'<plist><dict><key>a&amp;b</key><string>&lt;&#x1F600;&gt;</string></dict></plist>')
