"""Shared fixtures: one build per settings file per test session, made the way `make build` makes it, and
read the way a browser reads it. Tests that need other content build a copy of the project."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
# The seed article, by its file; tests of Nancy's own article read it by this name
ARTICLE_SOURCE = "content/acupressure-for-back-pain.md"
ARTICLE = "acupressure-for-back-pain.html"
# What a copy of the project needs to build and run its tasks
PROJECT_FILES = ["content", "theme", "plugins", "tools", "pelicanconf.py", "publishconf.py", "tasks.py"]
_BASE = "http://site.test/"
# Pelican's log wraps at the terminal's width; a wide one keeps each message on one line to search
WIDE_LOG_ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("SSH_") and k != "SITEURL"},
    "COLUMNS": "400",
}
# Names no author would pick, for content a test adds to a copy of the project
TEST_PREFIX = "zq-test-"
# Pages served in place of another address: the 404 page, and the page the service worker shows offline for a
# page never read (stages.offline). No link leads to them, and they are not in the sitemap.
STAND_IN_PAGES = ("404.html", "offline.html")


# Builds run in this process (tools.build.build, what `make build` calls), several times faster than a new
# Python each time; SITE_TESTS_SUBPROCESS=1 runs each in a process of its own instead, as the command line does.
IN_PROCESS = os.environ.get("SITE_TESTS_SUBPROCESS") != "1"


def build(
    project: Path, output: Path, *extra: str, production: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """The project's strict build (what `make build` runs) of a project's content into `output`."""
    command = [sys.executable, "-m", "tools.build", "--output", str(output), "--no-cache"]
    if production:
        command.append("--production")
    if extra:
        command += ["-e", *extra]
    if IN_PROCESS:
        return build_in_process(project, output, list(extra), production, env or {}, command)
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, timeout=600, env={**WIDE_LOG_ENV, **(env or {})}
    )


def build_in_process(
    project: Path, output: Path, extra: list[str], production: bool, env: dict[str, str], command: list[str]
) -> subprocess.CompletedProcess:
    """tools.build.build for `project`, as `python -m tools.build` would run it there: in its folder, reading its
    own settings files (not those another build loaded), with `env` in the environment."""
    import io

    from tools import build as site_build

    settings = project / ("publishconf.py" if production else "pelicanconf.py")
    saved_env = {name: os.environ.get(name) for name in [*env, "SITEURL"]}
    saved_cwd, saved_path = os.getcwd(), list(sys.path)
    out, err = io.StringIO(), io.StringIO()
    try:
        for name in ("pelicanconf", "publishconf"):
            sys.modules.pop(name, None)  # publishconf imports the pelicanconf beside it, not one read before
        os.environ.pop("SITEURL", None)
        os.environ.update(env)
        os.chdir(project)
        sys.path.insert(0, str(project))
        try:
            code = site_build.build(settings, output, site_build.parse_overrides(extra), cache=False, out=out, err=err)
        except SystemExit as stop:  # a settings file that refuses its settings (publishconf.py's SITEURL check)
            if isinstance(stop.code, str):
                err.write(stop.code + "\n")
            code = 1 if isinstance(stop.code, str) else int(stop.code or 0)
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for name in ("pelicanconf", "publishconf"):
            sys.modules.pop(name, None)
    return subprocess.CompletedProcess(command, code, out.getvalue(), err.getvalue())


def copy_project(target: Path) -> Path:
    """A copy of the project's sources (not output/ or .venv/) to change and build in a test."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
        else:
            shutil.copy2(source, target / name)
    return target


def add_file(project: Path, relative: str, text: str) -> Path:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def zq_article(name: str, body: str = "Some text.\n", category: str = "Zq Test Hub", extra: str = "") -> str:
    """The Markdown of an article no author would write, for tests that add content."""
    return f"Title: Zq Test {name}\nSlug: {TEST_PREFIX}{name}\nDate: 2026-01-02\nCategory: {category}\n{extra}\n{body}"


@dataclass
class Site:
    """A built output folder; pages are parsed once and looked up by their path in the site."""

    root: Path
    result: subprocess.CompletedProcess
    _soups: dict[str, BeautifulSoup] = field(default_factory=dict)

    @property
    def html_pages(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))

    @property
    def public_pages(self) -> list[str]:
        """Pages a reader reaches: not the 404 page or the offline page (STAND_IN_PAGES), not drafts."""
        return [p for p in self.html_pages if p not in STAND_IN_PAGES and not p.startswith("drafts/")]

    def soup(self, page: str) -> BeautifulSoup:
        if page not in self._soups:
            self._soups[page] = BeautifulSoup((self.root / page).read_text(encoding="utf-8"), "lxml")
        return self._soups[page]

    def resolve(self, page: str, url: str) -> tuple[str, str] | None:
        """The site path and fragment a link on `page` leads to, or None if it leaves the site."""
        parts = urlsplit(urljoin(_BASE + page, url))
        if f"{parts.scheme}://{parts.netloc}/" != _BASE:
            return None
        path = parts.path.removeprefix("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        return path, parts.fragment

    def exists(self, path: str) -> bool:
        return (self.root / path).is_file()

    def page_titled(self, title: str) -> str:
        """The page whose main heading is `title` (how a reader finds a page by its name)."""
        found = [p for p in self.html_pages if (h1 := self.soup(p).find("h1")) and text_of(h1) == title]
        assert found, f"no page has the heading {title!r}"
        return found[0]


def built(
    project: Path, output: Path, *extra: str, production: bool = False, env: dict[str, str] | None = None
) -> Site:
    result = build(project, output, *extra, production=production, env=env)
    if result.returncode != 0:
        pytest.fail(f"the site does not build:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return Site(output, result)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The development build of the project as it is (pelicanconf.py)."""
    return built(ROOT, tmp_path_factory.mktemp("site") / "output")


@pytest.fixture(scope="session")
def production_build(tmp_path_factory: pytest.TempPathFactory):
    """The production build (publishconf.py) for a SITEURL, made once per address per test session."""
    made: dict[str, Site] = {}

    def for_address(siteurl: str) -> Site:
        if siteurl not in made:
            made[siteurl] = built(
                ROOT, tmp_path_factory.mktemp("production") / "output", production=True, env={"SITEURL": siteurl}
            )
        return made[siteurl]

    return for_address


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (dotfiles too) with the hash of its bytes."""
    import hashlib

    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def text_of(element) -> str:
    """An element's text as a reader sees it: whitespace folded."""
    return " ".join(element.get_text().split())


def metadata_of(source: str) -> dict[str, str]:
    """A Markdown file's metadata header, keys in lower case."""
    header = source.split("\n\n", 1)[0]
    pairs = [line.split(":", 1) for line in header.splitlines() if re.match(r"^[A-Za-z0-9_-]+:", line)]
    return {key.strip().lower(): value.strip() for key, value in pairs}


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's sources to change and build in one test."""
    return copy_project(tmp_path / "project")


def with_make(project: Path) -> Path:
    """Lets `make` run in a copy of the project, with this project's .venv (nothing to install)."""
    for name in ("Makefile", "requirements.txt", "requirements-test.txt", "pyproject.toml"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, project / name)
    if not (project / ".venv").exists():
        (project / ".venv").symlink_to(ROOT / ".venv")
    return project


def make(project: Path, *targets: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """`make <targets>` in a copy of the project, as the author runs it."""
    return subprocess.run(
        ["make", "--no-print-directory", *targets],
        cwd=with_make(project),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=WIDE_LOG_ENV,
    )


def make_build(project: Path) -> subprocess.CompletedProcess:
    return make(project, "build")


def invoke(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """An invoke task of a copy of the project, without the publishing settings of this shell."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env=env or WIDE_LOG_ENV,
    )


# Records every Content-Security-Policy violation of a page in window.__violations (the browser fires the event)
CSP_RECORDER = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def watch(page, complaints: list[str], label: str = "") -> None:
    """Puts the page's console errors and warnings into `complaints` (after `label`), and records its policy
    violations (CSP_RECORDER) from its next navigation on."""
    page.add_init_script(CSP_RECORDER)
    page.on("console", lambda message: message.type in ("error", "warning") and complaints.append(label + message.text))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(command: list[str], cwd: Path, env: dict[str, str] | None = None):
    """A server process, stopped with Ctrl-C (SIGINT to its group) when the block ends, and killed if it has not
    stopped 5 s later (nothing is asserted here: test_devserver.py and test_output.py test Ctrl-C itself)."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=env or WIDE_LOG_ENV,
        text=True,
    )
    process.log = []  # what it printed so far, read by a thread so that nothing here blocks on it
    threading.Thread(target=lambda: process.log.extend(iter(process.stdout.readline, "")), daemon=True).start()
    try:
        yield process
    finally:
        try:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=5)
        except ProcessLookupError:
            pass  # it had stopped already
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(url: str, timeout: float = 10, method: str = "GET", headers: dict[str, str] | None = None):
    """(status, headers, body) of a request; errors are answers too."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def served(url: str, process: subprocess.Popen, contains: str, limit: float = 120, while_waiting=None) -> str:
    """Polls `url` until its body contains `contains` (the limit only stops a hung server)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if while_waiting:
            while_waiting()
        if process.poll() is not None:
            pytest.fail("the server stopped:\n" + "".join(process.log))
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode()
                if contains in body:
                    return body
        except OSError:
            pass
        time.sleep(0.05)
    pytest.fail(f"{url} never served '{contains}':\n" + "".join(process.log))


def header_rules(path: Path) -> list[tuple[str, list[tuple[str, str]], list[str]]]:
    """A _headers file as its rules in order: (path pattern, [(name, value)], [names detached by "! Name"])."""
    rules: list[tuple[str, list[tuple[str, str]], list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), [], []))
        elif line.strip().startswith("! ") and ":" not in line:
            rules[-1][2].append(line.strip()[2:].strip())
        else:
            name, value = line.split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def _pattern_matches(pattern: str, path: str) -> bool:
    """Whether a _headers path pattern matches a request path: "*" (a splat) matches anything, ":name" one
    segment; Netlify also accepts a trailing slash."""
    regex = "".join(
        ".*" if part == "*" else "[^/]+" if part.startswith(":") else re.escape(part)
        for part in re.split(r"(\*|:[A-Za-z]\w*)", pattern)
    )
    return re.fullmatch(regex + "/?", path, flags=re.IGNORECASE) is not None


def effective_headers(rules, path: str, host: str) -> dict[str, str]:
    """The headers a host sends for `path` from _headers rules (lower-case names), by each host's documented rules.

    - "netlify": every matching rule, in order; a later rule's value of a header replaces an earlier one's
      (Netlify CLI's headersForPath); a line without a colon ("! Name") is not a header and is ignored
      (@netlify/headers-parser); one header twice in one rule is joined with ", ".
    - "cloudflare": every matching rule, in order (Cloudflare's asset worker, attachCustomHeaders): its
      "! Name" lines remove the header, then each header is set, or appended with ", " when a rule
      before set it.
    """
    sent: dict[str, str] = {}
    seen: set[str] = set()
    for pattern, headers, detached in rules:
        if not _pattern_matches(pattern, path):
            continue
        if host == "netlify":
            values: dict[str, str] = {}
            for name, value in headers:
                key = name.lower()
                values[key] = f"{values[key]}, {value}" if key in values else value
            sent.update(values)
        elif host == "cloudflare":
            for name in detached:
                sent.pop(name.lower(), None)
            for name, value in headers:
                key = name.lower()
                sent[key] = f"{sent[key]}, {value}" if key in seen and key in sent else value
                seen.add(key)
        else:
            raise ValueError(host)
    return sent


# The theme's fingerprinted files and the picture folders (STATIC_PATHS), as pelicanconf.py has them, and
# pictures of other kinds and folders that an article may add
THEME_FOLDER = "theme"
PICTURE_FOLDERS = ("images",)
FUTURE_PICTURES = ["/images/zq-test-photo.jpg", "/images/zq-test-sub/zq-test-photo.webp", "/images/zq-test-chart.png"]


def intended_caching(root: Path, future_pictures: bool = True) -> dict[str, str]:
    """{URL path from the site's root: the CACHE_CONTROL kind it is meant to get} for every file of a built site
    ("theme", "images", or "pages" for everything else), the site's root, each root page without its .html
    (hosts with "pretty URLs" serve it there), and (if `future_pictures`) FUTURE_PICTURES."""
    paths = {"/": "pages"}
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = file.relative_to(root).as_posix()
        if relative in ("_headers", ".htaccess"):
            continue
        top = relative.split("/")[0] if "/" in relative else ""
        paths["/" + relative] = "theme" if top == THEME_FOLDER else "images" if top in PICTURE_FOLDERS else "pages"
        if not top and relative.endswith(".html") and relative != "index.html":
            paths["/" + relative.removesuffix(".html")] = "pages"
    if future_pictures:
        paths.update(dict.fromkeys(FUTURE_PICTURES, "images"))
    return paths


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output for failures
        pass


def serving_under(folder: Path, prefix: str, port: int = 0, pretty_urls: bool = False) -> ThreadingHTTPServer:
    """A plain file server that serves `folder` under the URL path `prefix` and nothing else (on `port`, or
    any free one); stop it with shutdown() and server_close(). With `pretty_urls`, it drops ".html" as Cloudflare
    Pages does: x.html is a 308 redirect to x (index.html to its folder), and x serves x.html."""

    class PrefixHandler(QuietHandler):
        def translate_path(self, path: str) -> str:
            if not (path + "/").startswith(prefix + "/") and prefix:
                return str(folder / "\\0not-here")
            found = super().translate_path(path[len(prefix) :] or "/")
            return found + ".html" if pretty_urls and Path(found + ".html").is_file() else found

        def send_head(self):
            path = urlsplit(self.path).path
            if not (pretty_urls and path.endswith(".html")):
                return super().send_head()
            self.send_response(308)
            self.send_header("Location", path.removesuffix(".html").removesuffix("index"))
            self.send_header("Cache-Control", "no-store")  # the browser's cache must not answer for the worker
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None

    server = ThreadingHTTPServer(("127.0.0.1", port), partial(PrefixHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def serving(folder: Path):
    """A plain static file server of `folder` on 127.0.0.1, as a static host serves it; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_site(site: Site):
    with serving(site.root) as url:
        yield url


# Debian's Chromium, as this machine runs it (Playwright cannot download its own browser here)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: make test installs Debian's chromium", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


_BUDGETS: list[str] = []


@pytest.fixture
def budget_report() -> list[str]:
    """Lines of measured figures, printed at the end of the test run (see test_budgets.py)."""
    return _BUDGETS


def pytest_terminal_summary(terminalreporter) -> None:
    if _BUDGETS:
        terminalreporter.section("byte budgets (exact, gzip -9)")
        for line in _BUDGETS:
            terminalreporter.write_line(line)


def pytest_collection_modifyitems(items) -> None:
    """Every test that drives Chromium is marked `browser` (make test-fast leaves them out). Then the modules are
    put in order of their browser and slow tests, most first: `make test` gives each core a whole module at a time,
    in this order (--no-loadscope-reorder), so the long ones start at once and the quick ones fill the cores' ends
    (the longest modules last would leave one core working alone)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    weight: dict[str, int] = {}
    for item in items:
        heavy = item.get_closest_marker("browser") or item.get_closest_marker("slow")
        weight[item.nodeid.split("::")[0]] = weight.get(item.nodeid.split("::")[0], 0) + bool(heavy)
    items.sort(key=lambda item: -weight[item.nodeid.split("::")[0]])  # stable: a module's own order stays
