"""Invoke tasks for the site, in the style of pelican-quickstart: `invoke --list` shows them.

One word per thing: `build` makes output/ for development, `production` makes it for SITEURL,
`serve` is the development preview (what `make serve` runs), `publish` and `gh-pages` put the
production site online, `clean` removes everything generated; `new` starts an article, `import` brings
pages saved from the old site.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

from invoke import Exit, task

from tools.build import DEVELOPMENT, PRODUCTION
from tools.build import build as strict_build

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
CONTENT = ROOT / "content"
HOST, PORT = "127.0.0.1", 8000  # the preview listens on this machine only
GENERATED = ["output", "cache", ".preview", "test-artifacts", ".pytest_cache", ".ruff_cache", ".mypy_cache"]


def run_build(settings_file: Path) -> None:
    try:
        code = strict_build(settings_file, OUTPUT)
    except KeyboardInterrupt:
        raise Exit("\nStopped: nothing was published, and output/ was left as it was.", code=130) from None
    if code:
        raise Exit(code=code)


@task
def clean(c):
    """Remove everything generated: output/, nginx.conf, caches, the preview's builds, test artifacts"""
    for name in GENERATED:
        shutil.rmtree(ROOT / name, ignore_errors=True)
    for leftover in ROOT.glob(".output-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    (ROOT / "nginx.conf").unlink(missing_ok=True)  # the production build's nginx snippet


@task
def build(c):
    """Build the development site into output/ (every problem is reported; a failed build publishes nothing)"""
    run_build(DEVELOPMENT)


@task(help={"serve": "serve the result at http://127.0.0.1:8000 afterwards", "port": "port for --serve"})
def production(c, serve=False, port=PORT):
    """Build the production site (publishconf.py) into output/ for SITEURL (default: http://127.0.0.1:8000)"""
    os.environ.setdefault("SITEURL", f"http://{HOST}:{port}")
    run_build(PRODUCTION)
    if serve:
        from tools.devserver import serve as serve_folder

        raise Exit(code=serve_folder(int(port), HOST, static=OUTPUT))


@task(help={"port": "port to listen on (default 8000)"})
def serve(c, port=PORT):
    """The development preview: build, serve at http://127.0.0.1:8000, rebuild and reload on every save"""
    from tools.devserver import serve as preview

    raise Exit(code=preview(int(port), HOST))


@task(help={"branch": "the branch GitHub Pages serves (default gh-pages)", "push": "push the branch to origin"})
def gh_pages(c, branch="gh-pages", push=False):
    """Build the production site and commit it to the gh-pages branch with ghp-import; --push publishes it

    Reads SITEURL, the address GitHub Pages serves the site at, e.g. https://nancy.github.io/healing.
    """
    if not os.environ.get("SITEURL"):
        message = (
            "gh_pages needs SITEURL, the site's address on GitHub Pages, e.g. SITEURL=https://nancy.github.io/healing"
        )
        raise Exit(message, code=2)
    run_build(PRODUCTION)
    command = [sys.executable, "-m", "ghp_import", "-b", branch, "-m", "Publish the site", "-n"]
    c.run(shlex.join([*command, *(["-p"] if push else []), str(OUTPUT)]))


def safe_slug(slug: str) -> bool:
    from stages.markup.reader import SLUG  # importing tools put plugins/ on the path

    return bool(SLUG.fullmatch(slug)) and len(slug.encode()) <= 200


@task(
    help={
        "title": "the title, in quotes",
        "page": "a page (content/pages/) instead of an article",
        "category": "the article's hub (default: Natural Pain Relief)",
        "slug": "the file and address name",
    }
)
def new(c, title, page=False, category="Natural Pain Relief", slug=""):
    """Start a new article (or --page) with its metadata, e.g. invoke new "How To Ease A Stiff Neck" """
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    for name, value in (("title", title), ("category", category)):
        if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in value):
            message = f"The {name} {value!r} holds a line break or an invisible character: give it on one line, in plain text. Nothing was written."
            raise Exit(message, code=2)
    slug = slug or slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    if not safe_slug(slug):
        message = f"'{slug}' cannot be an address: use lower-case letters, digits and hyphens (e.g. --slug easing-a-stiff-neck), at most 200 characters. Nothing was written."
        raise Exit(message, code=2)
    folder = CONTENT / ("pages" if page else "")
    path = folder / f"{slug}.md"
    name = path.relative_to(ROOT).as_posix()
    metadata = [f"Title: {title}", f"Slug: {slug}"]
    if not page:
        metadata += [f"Date: {date.today().isoformat()}", f"Category: {category}"]
    metadata.append("Status: draft")  # shown by the preview, never published: delete this line to publish
    body = "Write here, in Markdown. docs/AUTHORING.md shows how to add points, steps and diagrams."
    try:
        with path.open("x", encoding="utf-8") as source:  # "x": never overwrite
            source.write("\n".join(metadata) + f"\n\n{body}\n")
    except FileExistsError:
        raise Exit(f"{name} already exists, and was left as it is. Give another title or --slug.", code=1) from None
    print(
        f"Created {name}, a draft: the preview shows it at drafts/{'pages/' if page else ''}{slug}.html. To publish it, delete its 'Status: draft' line."
    )


@task(
    name="import",
    help={
        "path": "a page saved from the old site (NAME.html, its pictures in NAME_files/), or a folder of them",
        "category": "the hub of a page that has no 'Return from … to HUB' link",
    },
)
def import_(c, path, category=""):
    """Make articles of pages saved from the old site ("Save page as… complete"); never overwrites a file"""
    from tools.importer import main

    code = main([*(["--category", category] if category else []), "--", path])
    if code:
        raise Exit(code=code)


@task(
    help={"articles": "how many articles, e.g. --articles 300 (default: 300, then 1000)", "rounds": "rounds per size"}
)
def bench(c, articles=0, rounds=5):
    """Benchmark the build and the preview against vanilla Pelican (benchmarks/build.py)"""
    sizes = [str(articles)] if articles else ["300", "1000"]
    script = str(ROOT / "benchmarks" / "build.py")
    c.run(shlex.join([sys.executable, script, "--articles", *sizes, "--rounds", str(rounds)]), pty=False)


@task
def audit(c):
    """Lighthouse scores of every page of the production build, served locally (benchmarks/audit.py)"""
    c.run(shlex.join([sys.executable, str(ROOT / "benchmarks" / "audit.py")]), pty=False)


PUBLISH_ENV = {
    "SITEURL": "the address the site is served from, e.g. https://example.org/healing",
    "SSH_HOST": "the server to publish to, e.g. example.org",
    "SSH_PATH": "the folder on the server that the site is served from, e.g. /var/www/site",
}
# What each publishing setting may hold: each goes to rsync and ssh as one argument, never through a
# shell, but a value that looks like an option ("-oProxyCommand=…") or holds shell syntax is refused
# all the same, before anything is built
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
_USER = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,31}")
_PATH = re.compile(r"[A-Za-z0-9_./+,=@%][A-Za-z0-9_./+,=@%-]{0,1023}")
SETTING_RULES = {
    "SSH_HOST": "a plain host name or IP address: letters, digits, dots and hyphens, not starting with a hyphen "
    "(no user@, no spaces, no options), e.g. SSH_HOST=example.org",
    "SSH_USER": "a plain user name: letters, digits, '_', '.' and '-', starting with a letter or '_', e.g. "
    "SSH_USER=nancy",
    "SSH_PORT": "a port number from 1 to 65535, e.g. SSH_PORT=22",
    "SSH_PATH": "a folder path of letters, digits and / . _ - + , = @ %, not starting with '-' (no spaces, "
    "':', quotes, ';', '$', '~', '*' or other shell syntax), e.g. SSH_PATH=/var/www/site",
}


# Folders of a server's system, and where users' homes are: never a site's folder (rsync --delete empties it)
_SYSTEM = "bin boot dev etc home lib lib32 lib64 libx32 media mnt opt proc root run sbin snap sys tmp usr var"
SYSTEM_FOLDERS = frozenset(f"{_SYSTEM} Applications Library System Users Volumes private".split())


def canonical_path(value: str) -> str:
    """The folder path as rsync should get it: repeated slashes and '.' parts removed."""
    parts = [part for part in value.split("/") if part not in ("", ".")]
    return ("/" if value.startswith("/") else "") + "/".join(parts)


def path_refusal(value: str) -> str:
    """Why SSH_PATH cannot be the folder rsync --delete replaces, or ""."""
    parts = canonical_path(value).strip("/").split("/")
    if ".." in parts:
        return "holds '..', which leaves the folder it names"
    if len(parts) < 2 or parts == [""]:
        return "is the server's root, a home folder or a system folder (at least two folder names are needed)"
    if value.startswith("/") and parts[0] in SYSTEM_FOLDERS and len(parts) < 3:
        return f"is a system folder or a home folder (/{parts[0]}/…): rsync --delete would remove everything else in it"
    return ""


def publish_settings(environ: dict[str, str]) -> dict[str, str]:
    """SSH_HOST, SSH_USER, SSH_PORT and SSH_PATH from `environ`, checked; raises Exit (code 2) naming the first
    setting that is missing or wrong and what it must be."""
    missing = [name for name in PUBLISH_ENV if not environ.get(name)]
    if missing:
        lines = "\n".join(f"  {name}: {PUBLISH_ENV[name]}" for name in missing)
        raise Exit(f"publish needs these environment variables, which are not set:\n{lines}", code=2)
    settings = {
        "SSH_HOST": environ["SSH_HOST"],
        "SSH_USER": environ.get("SSH_USER", ""),
        "SSH_PORT": environ.get("SSH_PORT") or "22",
        "SSH_PATH": environ["SSH_PATH"],
    }
    good = {
        "SSH_HOST": bool(_HOST.fullmatch(settings["SSH_HOST"])) and ".." not in settings["SSH_HOST"],
        "SSH_USER": not settings["SSH_USER"] or bool(_USER.fullmatch(settings["SSH_USER"])),
        "SSH_PORT": settings["SSH_PORT"].isascii()
        and settings["SSH_PORT"].isdigit()
        and 1 <= int(settings["SSH_PORT"]) <= 65535,
        "SSH_PATH": bool(_PATH.fullmatch(settings["SSH_PATH"])),
    }
    wrong = [f"  {name}={value!r} is not {SETTING_RULES[name]}" for name, value in settings.items() if not good[name]]
    if good["SSH_PATH"] and (refusal := path_refusal(path := settings["SSH_PATH"])):
        wrong.append(f"  SSH_PATH={path!r} {refusal}; name the site's own folder, e.g. SSH_PATH=/var/www/site")
    if wrong:
        raise Exit("publish refuses these settings (nothing was built or sent):\n" + "\n".join(wrong), code=2)
    return settings | {"SSH_PATH": canonical_path(settings["SSH_PATH"])}


def rsync_command(settings: dict[str, str], output: Path) -> list[str]:
    """rsync's arguments, one value each: no shell reads them."""
    host = settings["SSH_HOST"]
    target = f"{settings['SSH_USER']}@{host}" if settings["SSH_USER"] else host
    # -s: the remote path is sent to the remote rsync as it is, not through the remote shell
    # (--protect-args; rsync 3.3 calls it --secluded-args, and -s is both)
    options = ["--delete", "--exclude", ".DS_Store", "-pthrvz", "-c", "-s", "-e", f"ssh -p {int(settings['SSH_PORT'])}"]
    return ["rsync", *options, "--", str(output) + "/", f"{target}:{settings['SSH_PATH']}"]


@task
def publish(c):
    """Build the production site and copy it to the server with rsync over SSH

    Reads SITEURL, SSH_HOST, SSH_PATH and optionally SSH_USER and SSH_PORT (22) from the environment.
    """
    settings = publish_settings(dict(os.environ))
    if shutil.which("rsync") is None:
        raise Exit("publish needs rsync, which is not installed (e.g. apt install rsync). Nothing was built.", code=2)
    run_build(PRODUCTION)
    command = rsync_command(settings, OUTPUT)
    print(shlex.join(command), flush=True)
    code = subprocess.run(command, check=False).returncode
    if code:
        message = f"rsync failed (exit status {code}; see its messages above): the site on {settings['SSH_HOST']} may be only partly updated. Fix the problem and run invoke publish again."
        raise Exit(message, code=1)
