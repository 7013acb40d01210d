"""Invoke tasks for the site, in the style of pelican-quickstart: `invoke --list` shows them."""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

import pelican

from invoke import Exit, task
from pelican import main as pelican_main
from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

ROOT = Path(__file__).resolve().parent
SETTINGS_FILE_BASE = str(ROOT / "pelicanconf.py")
SETTINGS = {**DEFAULT_CONFIG, **get_settings_from_file(SETTINGS_FILE_BASE)}

CONFIG = {
    "settings_base": SETTINGS_FILE_BASE,
    "settings_publish": str(ROOT / "publishconf.py"),
    "content": str(ROOT / SETTINGS["PATH"]),
    "deploy_path": str(ROOT / SETTINGS["OUTPUT_PATH"]),
    # Where `serve`, `preview` and `livereload` listen (loopback only)
    "host": "127.0.0.1",
    "port": 8000,
}


class AuthorLogHandler(logging.Handler):
    """Prints Pelican's warnings and errors as plain lines for the author, without tracebacks.

    With --fatal warnings Pelican stops at the first problem and then logs the RuntimeError it
    raised to stop; that record, and the consequences logged while stopping, are not shown.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.problems = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.CRITICAL and "Warning or error encountered" in message:
            return
        if self.problems and record.levelno < logging.CRITICAL:
            return  # what Pelican logs while unwinding from the first problem
        self.problems += 1
        label = "warning" if record.levelno == logging.WARNING else "error"
        sys.stderr.write(f"{label}: {message}\n")


def pelican_run(*args: str, output: str | None = None) -> None:
    """Run Pelican on the content with the given options; a failed build stops the task."""
    os.chdir(ROOT)  # settings and plugins are found relative to the project
    try:
        pelican_main([CONFIG["content"], "-o", output or CONFIG["deploy_path"], *args])
    except SystemExit as stop:
        if stop.code:
            raise Exit(code=stop.code) from None


def strict_build(settings_file: str) -> None:
    """Build with warnings as errors (Pelican's --fatal warnings) into a new folder, and only
    when the whole build succeeded replace output/ with it: a failed build leaves output/ as it was."""
    deploy = Path(CONFIG["deploy_path"])
    staging = Path(tempfile.mkdtemp(prefix=f".{deploy.name}-new-", dir=deploy.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read it
    pelican.LOG_HANDLERS["author"] = AuthorLogHandler()
    try:
        pelican_run("-s", settings_file, "--fatal", "warnings", "--log-handler", "author", output=str(staging))
    except Exit:
        shutil.rmtree(staging, ignore_errors=True)
        raise Exit(f"The build failed: nothing was published, and {deploy.name}/ was left as it was.", code=1)
    previous = deploy.with_name(f".{deploy.name}-old-{staging.name.rsplit('-', 1)[-1]}")
    if deploy.exists():
        deploy.rename(previous)
    staging.rename(deploy)
    shutil.rmtree(previous, ignore_errors=True)


@task
def clean(c):
    """Remove generated files"""
    if os.path.isdir(CONFIG["deploy_path"]):
        shutil.rmtree(CONFIG["deploy_path"])
        os.makedirs(CONFIG["deploy_path"])


@task
def build(c):
    """Build the local version of the site into output/ (warnings are errors)"""
    strict_build(CONFIG["settings_base"])


@task
def rebuild(c):
    """`clean`, then `build`"""
    clean(c)
    build(c)


@task
def regenerate(c):
    """Rebuild the site whenever a file changes"""
    pelican_run("-s", CONFIG["settings_base"], "--autoreload")


def _serve(port: int) -> None:
    from preview import serve_until_stopped

    class AddressReuseTCPServer(RootedHTTPServer):
        allow_reuse_address = True

    server = AddressReuseTCPServer(CONFIG["deploy_path"], (CONFIG["host"], port), ComplexHTTPRequestHandler)
    sys.stderr.write(f"Serving {CONFIG['deploy_path']} at http://{CONFIG['host']}:{port}/ (Ctrl-C stops)\n")
    serve_until_stopped(server)


@task(help={"port": "port to listen on (default 8000)"})
def serve(c, port=CONFIG["port"]):
    """Serve output/ at http://127.0.0.1:8000/"""
    _serve(int(port))


@task(help={"port": "port to listen on (default 8000)"})
def reserve(c, port=CONFIG["port"]):
    """`build`, then `serve`"""
    build(c)
    serve(c, port)


@task(help={"port": "port to listen on (default 8000)", "serve": "serve the build after making it"})
def preview(c, port=CONFIG["port"], serve=False):
    """Build the production version of the site (publishconf.py); --serve also serves it

    Its addresses are those of SITEURL, or of this preview when SITEURL is not set.
    """
    os.environ.setdefault("SITEURL", f"http://{CONFIG['host']}:{port}")
    strict_build(CONFIG["settings_publish"])
    if serve:
        _serve(int(port))


@task(help={"port": "port to listen on (default 8000)"})
def livereload(c, port=CONFIG["port"]):
    """Preview: serve the site, rebuild on every change and reload the open page (what make serve runs)"""
    import preview

    os.chdir(ROOT)
    preview.serve(ROOT, Path(CONFIG["settings_base"]), CONFIG["host"], int(port))


@task(help={"branch": "the branch GitHub Pages serves (default gh-pages)", "push": "push the branch to origin"})
def gh_pages(c, branch="gh-pages", push=False):
    """Build the production site and commit it to the gh-pages branch with ghp-import; --push publishes it

    Reads SITEURL, the address GitHub Pages serves the site at, e.g. https://nancy.github.io/healing.
    """
    if not os.environ.get("SITEURL"):
        raise Exit("gh_pages needs SITEURL, the site's address on GitHub Pages, e.g. "
                   "SITEURL=https://nancy.github.io/healing", code=2)
    strict_build(CONFIG["settings_publish"])
    command = [sys.executable, "-m", "ghp_import", "-b", branch, "-m", "Publish the site", "-n"]
    c.run(shlex.join([*command, *(["-p"] if push else []), CONFIG["deploy_path"]]))


@task(help={"title": "the title, in quotes", "page": "a page (content/pages/) instead of an article",
            "category": "the article's hub (default: Natural Pain Relief)", "slug": "the file and address name"})
def new(c, title, page=False, category="Natural Pain Relief", slug=""):
    """Start a new article (or --page) with its metadata, e.g. invoke new "How To Ease A Stiff Neck" """
    from datetime import date

    from pelican.utils import slugify

    slug = slug or slugify(title, regex_subs=SETTINGS["SLUG_REGEX_SUBSTITUTIONS"])
    folder = Path(CONFIG["content"]) / ("pages" if page else "")
    path = folder / f"{slug}.md"
    name = path.relative_to(ROOT).as_posix()
    metadata = [f"Title: {title}", f"Slug: {slug}"]
    if not page:
        metadata += [f"Date: {date.today().isoformat()}", f"Category: {category}"]
    body = "Write here, in Markdown. docs/AUTHORING.md shows how to add points, steps and diagrams."
    try:
        with path.open("x", encoding="utf-8") as source:  # "x": never overwrite
            source.write("\n".join(metadata) + f"\n\n{body}\n")
    except FileExistsError:
        raise Exit(f"{name} already exists, and was left as it is. Give another title or --slug.", code=1) from None
    print(f"Created {name}: it will be at {slug}.html")


@task(help={"articles": "how many articles, e.g. --articles 100 (default: 100, then 1000)", "rounds": "rounds per size"})
def bench(c, articles=0, rounds=5):
    """Benchmark the build against vanilla Pelican with N copies of the article (benchmarks/build.py)"""
    sizes = [str(articles)] if articles else ["100", "1000"]
    c.run(shlex.join([sys.executable, str(ROOT / "benchmarks" / "build.py"), "--articles", *sizes,
                      "--rounds", str(rounds)]), pty=False)


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
    strict_build(CONFIG["settings_publish"])
    c.run(
        shlex.join([
            "rsync", "--delete", "--exclude", ".DS_Store", "-pthrvz", "-c",
            "-e", f"ssh -p {port}",
            CONFIG["deploy_path"].rstrip("/") + "/",
            f"{target}:{os.environ['SSH_PATH']}",
        ])
    )
