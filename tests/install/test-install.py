#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The installed program, as a person gets it (TAP).

1. `meson install --destdir` into a staging folder, run from there with no
   environment variables: German from its own catalogue, --help and the
   manual page agree, bash completion, and under Xvfb the wizard from the
   desktop file's Exec line and from a mail-tls-check: link opened with
   xdg-open, resolved through the desktop database (checked through AT-SPI).
2. The Debian package, from the `meson dist` tarball: dpkg-buildpackage and
   lintian; then, only as root (it installs a system package) and never over
   an installation of mail-tls-check that was there before, `apt-get install
   ./…deb`, the installed program's smoke test, `apt-get remove`, and nothing
   left behind. What cannot run is skipped with the reason.

  test-install.py --source DIR --build DIR --bindir D --libexecdir D
                  --datadir D --localedir D --mandir D --version V --shots DIR
                  --sanitize B_SANITIZE
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

APP_ID = "io.github.mailtlscheck.MailTlsCheck"

parser = argparse.ArgumentParser()
for option in ("source", "build", "bindir", "libexecdir", "datadir", "localedir", "mandir",
               "version", "shots", "sanitize"):
    parser.add_argument("--" + option, required=True)
args = parser.parse_args()

count = 0


def tap(name, ok, info="", skip=None):
    global count
    count += 1
    if skip is not None:
        print(f"ok {count} - {name} # SKIP {skip}", flush=True)
        return True
    print(f"{'ok' if ok else 'not ok'} {count} - {name}", flush=True)
    if not ok and info:
        for line in str(info).rstrip().splitlines()[-40:]:
            print(f"# {line}", flush=True)
    return ok


def run(command, env=None, timeout=120, **kwargs):
    return subprocess.run(command, env=env, timeout=timeout, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, **kwargs)


def under(root, path):
    """The configured absolute path inside a staging root."""
    return os.path.join(root, path.lstrip("/"))


GERMAN = re.compile(r"\b(Sie|Ihr|Ihre|Ihres|Ihren|nicht|und)\b")
ENGLISH = re.compile(r"\b(your|the|and)\b")


def is_german(text):
    return len(GERMAN.findall(text)) >= 3 and not ENGLISH.search(text)


def man_options(path):
    """The long options of the manual page's OPTIONS section."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    section = text.split(".SH OPTIONS", 1)[1].split("\n.SH ", 1)[0]
    options = set()
    lines = section.splitlines()
    for i, line in enumerate(lines):
        if line == ".TP" and i + 1 < len(lines):
            options.update(re.findall(r"--([a-z][a-z-]*)", lines[i + 1].replace("\\-", "-")))
    return options


def help_options(text):
    return set(re.findall(r"^\s+(?:-\w, )?--([a-z][a-z-]*)", text, re.M))


def complete(bash_env, completion_file, line):
    """COMPREPLY for a command line that ends where the cursor is, split into
    words as bash does (COMP_WORDBREAKS: "=" is a word of its own)."""
    words = []
    for word in line.split():
        words += [w for w in re.split(r"(=)", word) if w]
    if line.endswith(" ") or not words:
        words.append("")
    script = (f'source "{completion_file}"\n'
              'COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))\n'
              'COMP_LINE=$LINE; COMP_POINT=${#LINE}\n'
              '_mail_tls_check\n'
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    env = dict(bash_env, LINE=line)
    result = run(["bash", "--norc", "--noprofile", "-c", script, "bash", *words], env=env, timeout=60)
    return set(w for w in result.stdout.split("\n") if w)


def staging_tests(tmp):
    stage = os.path.join(tmp, "stage")
    result = run(["meson", "install", "-C", args.build, "--no-rebuild", "--destdir", stage], timeout=120)
    if not tap("meson install --destdir into a staging folder", result.returncode == 0, result.stdout):
        return
    # gnome.post_install(): registered, and left to the package manager's
    # triggers (or the test below) when installing into a staging folder.
    skipped = [line for line in result.stdout.splitlines() if "Skipping custom install script" in line]
    tap("meson install runs glib-compile-schemas, gtk-update-icon-cache and update-desktop-database "
        "(not with DESTDIR)",
        all(any(tool in line for line in skipped)
            for tool in ("glib-compile-schemas", "gtk-update-icon-cache", "update-desktop-database")),
        result.stdout)
    bindir = under(stage, args.bindir)
    program = os.path.join(bindir, "mail-tls-check")
    wizard = under(stage, os.path.join(args.libexecdir, "mail-tls-check-wizard"))
    share = under(stage, args.datadir)
    catalogue = os.path.join(under(stage, args.localedir), "de", "LC_MESSAGES", "mail-tls-check.mo")
    desktop = os.path.join(share, "applications", APP_ID + ".desktop")
    man_page = os.path.join(under(stage, args.mandir), "man1", "mail-tls-check.1")
    completion = os.path.join(share, "bash-completion", "completions", "mail-tls-check")
    expected = [program, wizard, catalogue, desktop, man_page, completion,
                os.path.join(share, "doc", "mail-tls-check", "README.md"),
                os.path.join(share, "metainfo", APP_ID + ".metainfo.xml"),
                os.path.join(share, "glib-2.0", "schemas", APP_ID + ".gschema.xml"),
                os.path.join(share, "icons", "hicolor", "scalable", "apps", APP_ID + ".svg"),
                os.path.join(share, "icons", "hicolor", "symbolic", "apps", APP_ID + "-symbolic.svg")]
    missing = [p for p in expected if not os.path.isfile(p)]
    tap("the program, the wizard, translations, desktop file, metainfo, schema, icons, manual page, "
        "completion and README are installed", not missing, "missing: " + " ".join(missing))

    # No environment at all: what a person's fresh login would not set either.
    german = run([program, "--check", "--demo", "--lang", "de"], env={})
    tap("the installed CLI answers --check --demo --lang de in German with no environment variables",
        german.returncode in (0, 1) and is_german(german.stdout), german.stdout)
    # The German must be the staged installation's own, not another one's.
    hidden = catalogue + ".hidden"
    os.rename(catalogue, hidden)
    try:
        without = run([program, "--check", "--demo", "--lang", "de"], env={})
    finally:
        os.rename(hidden, catalogue)
    tap("its German comes from the catalogue installed beside it", not is_german(without.stdout),
        without.stdout)
    version = run([program, "--version"], env={})
    tap("--version names this version", version.stdout.strip() == f"mail-tls-check {args.version}",
        version.stdout)

    # On a desktop too (a display is set), --help lists the terminal's options.
    help_text = run([program, "--help"], env={"DISPLAY": ":65000"}).stdout
    in_help, in_man = help_options(help_text), man_options(man_page)
    tap("--help and the manual page list the same options", in_help == in_man and in_help,
        f"only in --help: {sorted(in_help - in_man)}; only in the manual page: {sorted(in_man - in_help)}\n"
        + help_text)
    rendered = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", man_page],
                              env={"LC_ALL": "C.UTF-8", "MANWIDTH": "80", "PATH": "/usr/bin:/bin"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    tap("the manual page renders without warnings, with every section",
        rendered.returncode == 0 and not rendered.stderr.strip()
        and all(s in rendered.stdout for s in ("OPTIONS", "TARGETS", "EXIT STATUS", "JSON OUTPUT",
                                               "ENVIRONMENT", "EXAMPLES")),
        rendered.stderr + rendered.stdout[:2000])

    completion_tests(stage, bindir, share, completion, program)
    gui_tests(tmp, stage, bindir, share, desktop, wizard)


def completion_tests(stage, bindir, share, completion, program):
    env = {"PATH": f"{bindir}:/usr/bin:/bin", "HOME": "/nonexistent"}
    loader = "/usr/share/bash-completion/bash_completion"
    if os.path.exists(loader):
        script = (f'source {loader}; __load_completion mail-tls-check; complete -p mail-tls-check')
        found = run(["bash", "--norc", "--noprofile", "-c", script],
                    env=dict(env, XDG_DATA_DIRS=f"{share}:/usr/share"), timeout=60)
        tap("bash-completion finds the installed completion by the command's name",
            "_mail_tls_check" in found.stdout, found.stdout)
    else:
        tap("bash-completion finds the installed completion", True,
            skip="bash-completion is not installed (./dev.sh test installs it)")

    options = complete(env, completion, "mail-tls-check --list-")
    tap("completion: options from --help", options == {"--list-clients", "--list-systems"}, sorted(options))
    for option, listing in (("--client", "--list-clients"), ("--system", "--list-systems")):
        ids = {line.split("\t")[0] for line in run([program, listing], env={}).stdout.splitlines() if line}
        got = complete(env, completion, f"mail-tls-check {option} ")
        tap(f"completion: {option} offers the IDs of {listing}", ids and got == ids,
            f"{sorted(got)} != {sorted(ids)}")
    got = complete(env, completion, "mail-tls-check --lang=")
    tap("completion: --lang offers de and en", got == {"de", "en"}, sorted(got))
    got = complete(env, completion, "mail-tls-check --max-connections ")
    tap("completion: --max-connections offers 1 to 4", got == {"1", "2", "3", "4"}, sorted(got))
    providers = {f[:-len(".provider")] for f in os.listdir(os.path.join(args.source, "data", "providers"))
                 if f.endswith(".provider")}
    got = complete(env, completion, "mail-tls-check --provider ")
    tap("completion: --provider offers the built-in provider IDs", providers and providers <= got,
        f"{sorted(got)} lacks {sorted(providers - got)}")
    got = complete(env, completion, "mail-tls-check --check macb")
    tap("completion: a target can be a provider ID", got == {"macbay-v3"}, sorted(got))


def gui_tests(tmp, stage, bindir, share, desktop, wizard):
    names = ["update-desktop-database records the installed desktop file for mail-tls-check: links",
             "xdg-mime and GIO name the installed desktop file as the links' handler",
             "the installed wizard from the Exec line and from xdg-open (AT-SPI)"]
    tools = ("Xvfb", "dbus-run-session", "import", "xdg-open", "xdg-mime", "gio", "update-desktop-database",
             "glib-compile-schemas", "/usr/libexec/at-spi-bus-launcher")
    missing = [t for t in tools if not shutil.which(t)]
    if not missing and run(["/usr/bin/python3", "-c", "import dogtail"]).returncode != 0:
        missing.append("python3-dogtail")
    if missing:
        for name in names:
            tap(name, True, skip=f"{', '.join(missing)} not installed (./dev.sh test installs them)")
        return

    # What gnome.post_install() does in a live prefix (it skips a DESTDIR).
    run(["glib-compile-schemas", os.path.join(share, "glib-2.0", "schemas")])
    home = os.path.join(tmp, "home")
    for d in ("data", "config", "cache", "runtime"):
        os.makedirs(os.path.join(home, d), mode=0o700)
    os.makedirs(args.shots, exist_ok=True)
    env = {
        "PATH": f"{bindir}:/usr/bin:/bin",
        "HOME": home,
        # Private user folders, and the staging tree as the one system data folder
        # besides the system's own: the desktop file, schema and icons come from it.
        "XDG_DATA_HOME": os.path.join(home, "data"),
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "XDG_CACHE_HOME": os.path.join(home, "cache"),
        "XDG_RUNTIME_DIR": os.path.join(home, "runtime"),
        "XDG_DATA_DIRS": f"{share}:/usr/share",
        "XDG_CONFIG_DIRS": os.path.join(home, "config-dirs"),
        # No desktop environment: xdg-open's generic path, which asks xdg-mime,
        # which reads mimeapps.list (none here) and the desktop database.
        "XDG_CURRENT_DESKTOP": "X-Generic",
        "GSETTINGS_BACKEND": "memory",
        "GTK_THEME": "Adwaita",
        "GTK_MODULES": "gail:atk-bridge",
        "NO_AT_BRIDGE": "0",
        "LANG": "C.UTF-8",
    }
    scheme = "x-scheme-handler/mail-tls-check"
    database = os.path.join(os.path.dirname(desktop), "mimeinfo.cache")
    run(["update-desktop-database", os.path.dirname(desktop)])
    recorded = open(database, encoding="utf-8").read() if os.path.exists(database) else ""
    tap(names[0], f"{scheme}={APP_ID}.desktop;" in recorded.splitlines(), recorded)
    xdg_mime = run(["xdg-mime", "query", "default", scheme], env=env).stdout.strip()
    gio = run(["gio", "mime", scheme], env=env).stdout
    tap(names[1], xdg_mime == APP_ID + ".desktop" and f": {APP_ID}.desktop" in gio, xdg_mime + "\n" + gio)

    display = 91
    while os.path.exists(f"/tmp/.X11-unix/X{display}") or os.path.exists(f"/tmp/.X{display}-lock"):
        display += 1
    xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(f"/tmp/.X11-unix/X{display}"):
                break
            time.sleep(0.1)
        env["DISPLAY"] = f":{display}"
        here = os.path.dirname(os.path.abspath(__file__))
        session = ('/usr/libexec/at-spi-bus-launcher --launch-immediately & launcher=$!; sleep 1; '
                   '/usr/bin/python3 "$0" "$1" "$2" "$3"; status=$?; kill $launcher 2>/dev/null; exit $status')
        result = run(["dbus-run-session", "--", "sh", "-c", session, os.path.join(here, "installed-wizard.py"),
                      desktop, wizard, args.shots], env=env, timeout=150)
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
    checks = []
    for line in result.stdout.splitlines():
        try:
            checks.append(json.loads(line))
        except ValueError:
            pass
    if not checks:
        tap(names[2], False, result.stdout)
    for c in checks:
        tap(c["name"], c["ok"], c["info"])


def deb_tests(tmp):
    names = ["meson dist makes the release tarball", "dpkg-buildpackage -b builds the package",
             "lintian: no errors, no unexplained warnings", "apt-get install ./mail-tls-check_*.deb",
             "the installed package's smoke test", "apt-get remove",
             "nothing of the package is left after apt-get remove"]
    # Building and linting need no root (Rules-Requires-Root: no); installing
    # a system package does, and an installation that was there before this
    # test is never touched.
    reason = None
    if any(shutil.which(t) is None for t in ("dpkg-buildpackage", "dh", "lintian")):
        reason = "dpkg-dev, debhelper or lintian is not installed (./dev.sh test installs them)"
    elif not os.path.isdir(os.path.join(args.source, "debian")):
        reason = "this tree has no debian/ folder"
    if reason:
        for name in names:
            tap(name, True, skip=reason)
        return
    install_reason = None
    if os.geteuid() != 0:
        install_reason = "installing a system package needs root (./dev.sh test in CI runs as root)"
    elif shutil.which("apt-get") is None:
        install_reason = "apt-get is not here"
    else:
        status = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", "mail-tls-check"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
        if status not in ("", "not-installed"):
            install_reason = f"mail-tls-check is already installed here ({status}): it is left alone"

    # The release tarball that `meson dist` makes (from the checkout's last
    # commit), so that the package build also shows that the tarball builds
    # and installs; a tree that is not a git checkout is copied as it is.
    src = os.path.join(tmp, "deb", f"mail-tls-check-{args.version}")
    os.makedirs(os.path.dirname(src))
    if os.path.exists(os.path.join(args.source, ".git")):
        dist = run(["meson", "dist", "-C", args.build, "--no-tests", "--allow-dirty", "--formats", "gztar"],
                   timeout=120)
        tarball = os.path.join(args.build, "meson-dist", f"mail-tls-check-{args.version}.tar.gz")
        if not tap("meson dist makes the release tarball", dist.returncode == 0 and os.path.exists(tarball),
                   dist.stdout):
            return
        if "uncommitted changes" in dist.stdout:
            print("# the tarball holds the last commit: uncommitted changes are not in this package", flush=True)
        subprocess.run(["tar", "-xzf", tarball, "-C", os.path.dirname(src)], check=True)
    else:
        tap("meson dist makes the release tarball", True, skip="not a git checkout: the tree is packaged as it is")
        shutil.copytree(args.source, src, symlinks=True, ignore=shutil.ignore_patterns("_build*", "obj-*"))
    # nocheck: the suites that dh_auto_test would run have run in this same
    # test command already; building without them keeps this test short.
    env = dict(os.environ, DEB_BUILD_OPTIONS="nocheck parallel=2", LC_ALL="C.UTF-8")
    started = time.time()
    build = run(["dpkg-buildpackage", "-us", "-uc", "-b"], env=env, cwd=src, timeout=600)
    debs = [os.path.join(tmp, "deb", f) for f in os.listdir(os.path.join(tmp, "deb"))
            if f.startswith("mail-tls-check_") and f.endswith(".deb")]
    if not tap(names[1], build.returncode == 0 and len(debs) == 1, build.stdout):
        return
    print(f"# built in {time.time() - started:.0f} s", flush=True)
    changes = [os.path.join(tmp, "deb", f) for f in os.listdir(os.path.join(tmp, "deb")) if f.endswith(".changes")]
    lint = run(["lintian", "--fail-on", "error,warning", "--pedantic", *changes], timeout=300)
    tap(names[2], lint.returncode == 0, lint.stdout)
    print("".join(f"# lintian: {line}\n" for line in lint.stdout.splitlines()), end="", flush=True)
    if install_reason:
        for name in names[3:]:
            tap(name, True, skip=install_reason)
        return

    deb = debs[0]
    contents = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE, check=True).stdout
    paths = subprocess.run(["tar", "-t"], input=contents, stdout=subprocess.PIPE, check=True).stdout.decode()
    paths = sorted({p[1:].rstrip("/") for p in paths.splitlines() if p.startswith("./") and p != "./"})
    existed = {p for p in paths if os.path.lexists(p)}
    schemas_before = run(["gsettings", "list-schemas"], env={"GSETTINGS_BACKEND": "memory"}).stdout

    apt = ["apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=120", "--no-install-recommends"]
    apt_env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    installed = run([*apt, "install", deb], env=apt_env, timeout=300)
    if not tap(names[3], installed.returncode == 0, installed.stdout):
        return
    try:
        listed = set(subprocess.run(["dpkg", "-L", "mail-tls-check"], stdout=subprocess.PIPE, text=True)
                     .stdout.splitlines())
        smoke = []
        # The package's own smoke test (also its autopkgtest), then what
        # needs the desktop's tools.
        script = run(["sh", os.path.join(src, "debian", "tests", "smoke")], env={"PATH": "/usr/bin:/bin"})
        if script.returncode != 0:
            smoke.append("debian/tests/smoke: " + script.stdout)
        german = run(["/usr/bin/mail-tls-check", "--check", "--demo", "--lang", "de"], env={})
        if not is_german(german.stdout):
            smoke.append("no German report from /usr/bin/mail-tls-check:\n" + german.stdout)
        cache = "/usr/share/applications/mimeinfo.cache"
        entry = f"x-scheme-handler/mail-tls-check={APP_ID}.desktop;"
        if not (os.path.exists(cache) and entry in open(cache, encoding="utf-8").read().splitlines()):
            smoke.append(f"{cache} (updated by the package's trigger) lacks {entry}")
        handler = run(["xdg-mime", "query", "default", "x-scheme-handler/mail-tls-check"],
                      env={"PATH": "/usr/bin:/bin", "HOME": tmp, "XDG_CONFIG_HOME": os.path.join(tmp, "none"),
                           "XDG_DATA_HOME": os.path.join(tmp, "none"), "XDG_CURRENT_DESKTOP": "X-Generic"})
        if shutil.which("xdg-mime") and handler.stdout.strip() != APP_ID + ".desktop":
            smoke.append("the desktop database does not name the wizard for mail-tls-check: links: "
                         + handler.stdout)
        schemas = run(["gsettings", "list-schemas"], env={"GSETTINGS_BACKEND": "memory"}).stdout.split()
        if APP_ID not in schemas:
            smoke.append("the settings schema was not compiled")
        page = run(["man", "-w", "mail-tls-check"])
        if page.stdout.strip() != "/usr/share/man/man1/mail-tls-check.1.gz":
            smoke.append("man -w mail-tls-check: " + page.stdout)
        depends = run(["dpkg-query", "-W", "-f=${Depends}", "mail-tls-check"]).stdout
        if not re.search(r"(^|, )ca-certificates\b", depends):
            smoke.append("the package does not depend on ca-certificates (the trust store): " + depends)
        missing = [p for p in paths if p not in listed]
        if missing:
            smoke.append("dpkg -L lacks: " + " ".join(missing))
        tap(names[4], not smoke, "\n".join(smoke))
    finally:
        removed = run([*apt, "remove", "mail-tls-check"], env=apt_env, timeout=300)
        tap(names[5], removed.returncode == 0, removed.stdout)
    status = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", "mail-tls-check"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    left = [p for p in paths if p not in existed and os.path.lexists(p)]
    problems = []
    if status not in ("", "not-installed"):
        problems.append(f"dpkg still knows the package: {status}")
    if left:
        problems.append("left on disk: " + " ".join(left))
    cache = "/usr/share/applications/mimeinfo.cache"
    if os.path.exists(cache) and "mail-tls-check" in open(cache, encoding="utf-8").read():
        problems.append(f"{cache} still names mail-tls-check")
    schemas_after = run(["gsettings", "list-schemas"], env={"GSETTINGS_BACKEND": "memory"}).stdout
    if APP_ID in schemas_after.split() and APP_ID not in schemas_before.split():
        problems.append("the settings schema is still compiled in")
    tap(names[6], not problems, "\n".join(problems))


def main():
    if args.sanitize not in ("", "none"):
        print("1..0 # SKIP the install test runs in the main build, not under the sanitizers")
        return 0
    tmp = tempfile.mkdtemp(prefix="mtc-install-")
    try:
        staging_tests(tmp)
        deb_tests(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"1..{count}")
    return 0


sys.exit(main())
