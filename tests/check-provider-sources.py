#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every bundled provider profile (data/providers/*.provider) says where its
servers come from, and lists no host its sources do not publish.

A profile's comment names each source in three lines (the format is at the
top of data/providers/macbay-v3.provider):

  #   Source: the page's title (or the file, for Thunderbird's ISPDB)
  #   Url: https://… where it is
  #   Hosts: the host names it publishes, separated by spaces

Checked: at least one source; each with an http(s) Url and its Hosts; every
host in a [Server …] group's Urls is among the Hosts of some source, unless
the server is Candidate=true (not published, with a Note, which the loader
enforces); every profile is compiled in (data/mail-tls-check.gresource.xml).
The demo profile (Demo=true) lists no servers and needs no source.

  check-provider-sources.py SOURCE_ROOT"""

import configparser
import os
import re
import sys
import urllib.parse

from tap import check, finish

SOURCE_LINE = re.compile(r"^#\s+(Source|Url|Hosts):\s*(.*?)\s*$")


def sources_of(text):
    """The comment's sources, in order: [{"Source": …, "Url": …, "Hosts": […]}]."""
    sources = []
    for line in text.splitlines():
        m = SOURCE_LINE.match(line)
        if m is None:
            continue
        key, value = m.groups()
        if key == "Source":
            sources.append({"Source": value})
        elif sources and key not in sources[-1]:
            sources[-1][key] = value.split() if key == "Hosts" else value
        else:
            sources.append({key: value, "broken": f"“{key}:” without its “Source:” line before it"})
    return sources


def hosts_of(urls):
    """The host names of a Urls= value (endpoint URLs or bare host names)."""
    hosts = set()
    for item in filter(None, (u.strip() for u in urls.split(";"))):
        host = urllib.parse.urlsplit(item).hostname if "://" in item else item
        if host:
            hosts.add(host.lower())
    return hosts


def main():
    top = sys.argv[1]
    folder = os.path.join(top, "data", "providers")
    with open(os.path.join(top, "data", "mail-tls-check.gresource.xml"), encoding="utf-8") as f:
        compiled = f.read()
    names = sorted(n for n in os.listdir(folder) if n.endswith(".provider"))
    check("there are bundled profiles besides the demo and macbay", len(names) >= 12, names)
    for name in names:
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        keyfile = configparser.ConfigParser(interpolation=None, strict=False)
        keyfile.optionxform = str
        keyfile.read_string(text)
        check(f"{name}: compiled in", f"<file>providers/{name}</file>" in compiled)
        if keyfile.get("Provider", "Demo", fallback="false") == "true":
            continue
        sources = sources_of(text)
        check(f"{name}: names its sources", len(sources) > 0, "no “#   Source:” line")
        published = set()
        for source in sources:
            title = source.get("Source", "?")
            url = source.get("Url", "")
            check(f"{name}: source “{title}” is whole",
                      "broken" not in source and url.startswith(("https://", "http://"))
                      and len(source.get("Hosts", [])) > 0, source)
            published.update(h.lower() for h in source.get("Hosts", []))
        for group in keyfile.sections():
            if not group.startswith("Server "):
                continue
            if keyfile.get(group, "Candidate", fallback="false") == "true":
                continue
            unpublished = hosts_of(keyfile.get(group, "Urls", fallback="")) - published
            check(f"{name}: [{group}]: every host is in a cited source", not unpublished,
                      f"not among the sources' Hosts: {sorted(unpublished)}")
    finish()


if __name__ == "__main__":
    main()
