"""One build of the site per test session, with the project's own settings, read the way a browser reads it."""

from __future__ import annotations

import os
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
ARTICLE = "acupressure-for-back-pain.html"
# What a copy of the project needs to build and run its tasks
PROJECT_FILES = ["content", "theme", "plugins", "pelicanconf.py", "publishconf.py", "tasks.py", "preview.py"]
_BASE = "http://site.test/"
# Pelican's log wraps at the terminal's width; a wide one keeps each message on one line to search
WIDE_LOG_ENV = {**os.environ, "COLUMNS": "400"}


def build(project: Path, output: Path, *options: str, settings: str = "pelicanconf.py",
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Pelican on a project's content, warnings as errors, as `make build` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", settings, "-o", str(output), "--fatal", "warnings", *options],
        cwd=project, capture_output=True, text=True, timeout=300, env={**WIDE_LOG_ENV, **(env or {})},
    )


def copy_project(target: Path) -> Path:
    """A copy of the project's sources (not output/ or .venv/) to change and build in a test."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


@dataclass
class Site:
    """A built output folder; pages are parsed once and looked up by their path in the site."""

    root: Path
    result: subprocess.CompletedProcess
    _soups: dict[str, BeautifulSoup] = field(default_factory=dict)

    @property
    def html_pages(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))

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


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    output = tmp_path_factory.mktemp("output")
    result = build(ROOT, output)
    if result.returncode != 0:
        pytest.fail(f"the site does not build:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return Site(output, result)


@pytest.fixture(scope="session")
def production_build(tmp_path_factory: pytest.TempPathFactory):
    """The production build (publishconf.py) for a SITEURL, made once per address per test session."""
    made: dict[str, Site] = {}

    def for_address(siteurl: str) -> Site:
        if siteurl not in made:
            output = tmp_path_factory.mktemp("production")
            result = build(ROOT, output, settings="publishconf.py", env={"SITEURL": siteurl})
            if result.returncode != 0:
                pytest.fail(f"the production site does not build:\n{result.stdout}\n{result.stderr}", pytrace=False)
            made[siteurl] = Site(output, result)
        return made[siteurl]

    return for_address


def text_of(element) -> str:
    """An element's text as a reader sees it: whitespace folded."""
    return " ".join(element.get_text().split())


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's sources to change and build in one test."""
    return copy_project(tmp_path / "project")


def with_make(project: Path) -> Path:
    """Lets `make` run in a copy of the project, with this project's .venv (nothing to install)."""
    for name in ("Makefile", "requirements.txt", "requirements-test.txt"):
        shutil.copy2(ROOT / name, project / name)
    if not (project / ".venv").exists():
        (project / ".venv").symlink_to(ROOT / ".venv")
    return project


def make_build(project: Path) -> subprocess.CompletedProcess:
    """The author's build command, `make build`, in a copy of the project."""
    return subprocess.run(["make", "--no-print-directory", "build"], cwd=with_make(project), capture_output=True,
                          text=True, timeout=300, env=WIDE_LOG_ENV)


ENV_WITHOUT_PUBLISH_SETTINGS = {k: v for k, v in WIDE_LOG_ENV.items() if not k.startswith("SSH_") and k != "SITEURL"}


def invoke(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """An invoke task of a copy of the project, without the publishing settings of this shell."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=project, capture_output=True, text=True, timeout=300,
        env=env or ENV_WITHOUT_PUBLISH_SETTINGS,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(command: list[str], cwd: Path):
    """A server process, stopped (with everything it started) when the block ends."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True, env=ENV_WITHOUT_PUBLISH_SETTINGS, text=True)
    process.log = []  # what it printed so far, read by a thread so that nothing here blocks on it
    threading.Thread(target=lambda: process.log.extend(iter(process.stdout.readline, "")), daemon=True).start()
    try:
        yield process
    finally:
        try:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass  # it had stopped already
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


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
        time.sleep(0.1)
    pytest.fail(f"{url} never served '{contains}'")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output for failures
        pass


@pytest.fixture(scope="session")
def served_site(site: Site):
    """The built site over HTTP on 127.0.0.1, as a static host serves it; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site.root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# Debian's Chromium, as this machine runs it (Playwright cannot download its own browser here)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
