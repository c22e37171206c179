# SPDX-License-Identifier: GPL-3.0-or-later
"""TAP output for the Python tests: collect checks, then print them and exit
with the status meson expects."""

import sys

results = []


def check(name, condition, info=""):
    results.append((name, bool(condition), info))


def finish():
    print(f"1..{len(results)}")
    for i, (name, ok, info) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")
        if not ok:
            for line in str(info).splitlines():
                print(f"# {line}")
    sys.exit(0 if all(ok for _, ok, _ in results) else 1)
