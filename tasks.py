"""Invoke tasks for the site, in the style of pelican-quickstart: `invoke --list` shows them.

One word per thing: `build` makes output/ for development, `production` makes it for SITEURL,
`serve` is the development preview (what `make serve` runs), `publish` and `gh-pages` put the
production site online, `clean` removes everything generated.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
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
    """Remove everything generated: output/, caches, the preview's builds, test artifacts"""
    for name in GENERATED:
        shutil.rmtree(ROOT / name, ignore_errors=True)
    for leftover in ROOT.glob(".output-*"):
        shutil.rmtree(leftover, ignore_errors=True)


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
        raise Exit(
            "gh_pages needs SITEURL, the site's address on GitHub Pages, e.g. SITEURL=https://nancy.github.io/healing",
            code=2,
        )
    run_build(PRODUCTION)
    command = [sys.executable, "-m", "ghp_import", "-b", branch, "-m", "Publish the site", "-n"]
    c.run(shlex.join([*command, *(["-p"] if push else []), str(OUTPUT)]))


def safe_slug(slug: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)) and len(slug.encode()) <= 200


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

    slug = slug or slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    if not safe_slug(slug):
        raise Exit(
            f"'{slug}' cannot be an address: use lower-case letters, digits and hyphens (e.g. "
            "--slug easing-a-stiff-neck), at most 200 characters. Nothing was written.",
            code=2,
        )
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
        f"Created {name}, a draft: the preview shows it at drafts/{slug}.html. To publish it, delete its "
        "'Status: draft' line."
    )


@task(
    help={"articles": "how many articles, e.g. --articles 300 (default: 300, then 1000)", "rounds": "rounds per size"}
)
def bench(c, articles=0, rounds=5):
    """Benchmark the build and the preview against vanilla Pelican (benchmarks/build.py)"""
    sizes = [str(articles)] if articles else ["300", "1000"]
    c.run(
        shlex.join(
            [sys.executable, str(ROOT / "benchmarks" / "build.py"), "--articles", *sizes, "--rounds", str(rounds)]
        ),
        pty=False,
    )


@task
def audit(c):
    """Lighthouse scores of every page of the production build, served locally (benchmarks/audit.py)"""
    c.run(shlex.join([sys.executable, str(ROOT / "benchmarks" / "audit.py")]), pty=False)


PUBLISH_ENV = {
    "SITEURL": "the address the site is served from, e.g. https://example.org/healing",
    "SSH_HOST": "the server to publish to, e.g. example.org",
    "SSH_PATH": "the folder on the server that the site is served from, e.g. /var/www/site",
}


@task
def publish(c):
    """Build the production site and copy it to the server with rsync over SSH

    Reads SITEURL, SSH_HOST, SSH_PATH and optionally SSH_USER and SSH_PORT (22) from the environment.
    """
    missing = [name for name in PUBLISH_ENV if not os.environ.get(name)]
    if missing:
        lines = "\n".join(f"  {name}: {PUBLISH_ENV[name]}" for name in missing)
        raise Exit(f"publish needs these environment variables, which are not set:\n{lines}", code=2)
    host = os.environ["SSH_HOST"]
    user = os.environ.get("SSH_USER")
    target = f"{user}@{host}" if user else host
    port = os.environ.get("SSH_PORT", "22")
    run_build(PRODUCTION)
    c.run(
        shlex.join(
            [
                "rsync",
                "--delete",
                "--exclude",
                ".DS_Store",
                "-pthrvz",
                "-c",
                "-e",
                f"ssh -p {port}",
                str(OUTPUT) + "/",
                f"{target}:{os.environ['SSH_PATH']}",
            ]
        )
    )
