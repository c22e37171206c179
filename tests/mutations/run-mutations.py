#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Mutation check: is each small, deliberate mistake in the program caught by the tests?

Every mutation in mutations.txt names one file, a piece of text that occurs in
it exactly once, what to put there instead, and the test suites expected to
notice (or, with "tests", the tests themselves).  For each one, this script
changes a scratch copy of the tree, builds it, runs those tests and reports
"caught" (some test failed or hit its own time limit) or "survived" (every test
passed: the tests do not guard that line); "timeout" when the whole run
outlasted --timeout, which proves nothing either way.  A mutation
whose text no longer occurs exactly once is "stale", one that does not build is
"no-build"; both need the list updated.  A survivor with a "reason" line is
reported as "survived (explained)".

Slow (a build and a test run per mutation); not part of ./dev.sh test.

    tests/mutations/run-mutations.py [--only NAME[,NAME…]] [--keep] [--list FILE]

It needs the packages of ./dev.sh test, and the real servers where a mutation
names the suite "real" (MTC_REAL_SERVERS_ENV, as in ./dev.sh test).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))


def parse_list(path):
    """Blocks separated by blank lines; 'key = value' lines; '#' comments.
    A value may use Python string escapes (\\n, \\t, \\\\)."""
    mutations, current = [], {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if current:
                    mutations.append(current)
                    current = {}
                continue
            key, sep, value = line.partition(" = ")
            if not sep:
                sys.exit(f"{path}:{number}: expected 'key = value'")
            key = key.strip()
            if key in ("find", "replace"):
                value = value.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
            if key in current:
                sys.exit(f"{path}:{number}: '{key}' twice in one mutation")
            current[key] = value
    if current:
        mutations.append(current)
    names = set()
    for m in mutations:
        for key in ("name", "file", "find", "replace", "suites"):
            if key not in m:
                sys.exit(f"{path}: mutation {m.get('name', '?')} has no '{key}'")
        if m["name"] in names:
            sys.exit(f"{path}: mutation {m['name']} listed twice")
        names.add(m["name"])
    return mutations


def copy_tree(dest):
    files = subprocess.run(["git", "-C", TOP, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           check=True, capture_output=True).stdout.split(b"\0")
    for name in files:
        if not name:
            continue
        src = os.path.join(TOP, name.decode())
        if not os.path.isfile(src):
            continue
        dst = os.path.join(dest, name.decode())
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)


def selection(m):
    """What a mutation runs: the tests it names, else its suites."""
    if m.get("tests"):
        return m["tests"].split(), []
    return [], m["suites"].split()


def run_suites(build, suites, timeout, tests=()):
    """Runs the named TESTS, or else the SUITES; the names of those that
    failed, or None when the run outlasted TIMEOUT."""
    args = ["meson", "test", "-C", build, "--no-rebuild", "--timeout-multiplier", "1"]
    if tests:
        args += list(tests)
    else:
        for suite in suites:
            args += ["--suite", suite]
    try:
        subprocess.run(args, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    failed = []
    try:
        with open(os.path.join(build, "meson-logs", "testlog.json")) as f:
            for line in f:
                entry = json.loads(line)
                if entry.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL"):
                    failed.append(entry.get("name", "?"))
    except FileNotFoundError:
        failed.append("(no test log)")
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", default=os.path.join(HERE, "mutations.txt"))
    parser.add_argument("--only", default="")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy")
    parser.add_argument("--timeout", type=int, default=900, help="seconds for one mutation's suites")
    opts = parser.parse_args()

    mutations = parse_list(opts.list)
    if opts.only:
        wanted = set(opts.only.split(","))
        unknown = wanted - {m["name"] for m in mutations}
        if unknown:
            sys.exit("unknown mutation: " + ", ".join(sorted(unknown)))
        mutations = [m for m in mutations if m["name"] in wanted]

    scratch = tempfile.mkdtemp(prefix="mtc-mutations-")
    src = os.path.join(scratch, "src-tree")
    build = os.path.join(scratch, "build")
    print(f"scratch copy: {scratch}", file=sys.stderr)
    copy_tree(src)
    subprocess.run(["meson", "setup", build, src], check=True, capture_output=True)
    subprocess.run(["meson", "compile", "-C", build], check=True, capture_output=True)

    # The suites must pass before anything is changed, or nothing can be concluded.
    all_suites = sorted({s for m in mutations for s in selection(m)[1]})
    all_tests = sorted({t for m in mutations for t in selection(m)[0]})
    for suites, tests in ((all_suites, ()), ((), all_tests)):
        if not suites and not tests:
            continue
        baseline = run_suites(build, suites, opts.timeout * 4, tests)
        if baseline is None or baseline:
            sys.exit(f"the unchanged tree fails ({suites or tests}): {baseline}")

    rows = []
    for m in mutations:
        path = os.path.join(src, m["file"])
        with open(path, encoding="utf-8") as f:
            original = f.read()
        count = original.count(m["find"])
        started = time.monotonic()
        if count != 1:
            result, detail = "stale", f"text occurs {count} times"
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(original.replace(m["find"], m["replace"]))
            try:
                built = subprocess.run(["meson", "compile", "-C", build], capture_output=True)
                if built.returncode != 0:
                    result, detail = "no-build", built.stdout.decode(errors="replace")[-300:]
                else:
                    tests, suites = selection(m)
                    failed = run_suites(build, suites, opts.timeout, tests)
                    if failed is None:
                        result, detail = "timeout", f"over {opts.timeout} s"
                    elif failed:
                        result, detail = "caught", ", ".join(failed)
                    elif m.get("reason"):
                        result, detail = "survived (explained)", m["reason"]
                    else:
                        result, detail = "survived", ""
            finally:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original)
        seconds = time.monotonic() - started
        rows.append((m["name"], m["file"], m.get("tests") or m["suites"], result, detail))
        print(f"{m['name']}: {result} ({seconds:.0f} s) {detail}", file=sys.stderr, flush=True)

    subprocess.run(["meson", "compile", "-C", build], capture_output=True)
    print("| mutation | file | suites or tests | result | by |")
    print("| --- | --- | --- | --- | --- |")
    for name, path, suites, result, detail in rows:
        print(f"| {name} | `{os.path.basename(path)}` | {suites} | {result} | {detail} |")
    counts = {}
    for row in rows:
        counts[row[3]] = counts.get(row[3], 0) + 1
    print()
    print(", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    if not opts.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    bad = sum(n for k, n in counts.items() if k in ("survived", "stale", "no-build", "timeout"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
