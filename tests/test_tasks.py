"""Nancy's commands work: make serve previews and rebuilds, the invoke tasks build, clean, serve and publish."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ARTICLE, ROOT, WIDE_LOG_ENV, copy_project

ENV_WITHOUT_PUBLISH_SETTINGS = {k: v for k, v in WIDE_LOG_ENV.items() if not k.startswith("SSH_") and k != "SITEURL"}


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def invoke(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
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


def test_invoke_build_writes_the_site_and_clean_empties_it(project):
    result = invoke(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "output" / ARTICLE).is_file()
    assert (project / "output" / "natural-pain-relief.html").is_file()
    result = invoke(project, "clean")
    assert result.returncode == 0 and list((project / "output").iterdir()) == []


def test_invoke_build_refuses_a_broken_link(project):
    with (project / "content" / "pages" / "support.md").open("a") as source:
        source.write("\n[Somewhere]({filename}no-such-page.md)\n")
    result = invoke(project, "build")
    assert result.returncode != 0
    assert "no-such-page.md" in result.stdout + result.stderr


def test_invoke_preview_builds_the_production_site_for_its_address(project):
    result = invoke(project, "preview", env={**ENV_WITHOUT_PUBLISH_SETTINGS, "SITEURL": "https://example.org/healing"})
    assert result.returncode == 0, result.stdout + result.stderr
    html = (project / "output" / ARTICLE).read_text()
    assert 'href="https://example.org/healing/natural-pain-relief.html"' in html


def test_invoke_publish_says_which_settings_are_missing_and_publishes_nothing(project):
    result = invoke(project, "publish")
    assert result.returncode == 2
    assert all(name in result.stderr for name in ("SITEURL", "SSH_HOST", "SSH_PATH"))
    assert not (project / "output").exists()


@pytest.mark.parametrize("task", [["serve"], ["livereload"], ["preview", "--serve"]], ids=" ".join)
def test_every_serving_task_serves_the_article(project, task):
    if task[0] == "serve":
        assert invoke(project, "build").returncode == 0
    port = free_port()
    with running([sys.executable, "-m", "invoke", *task, "--port", str(port)], project) as process:
        body = served(f"http://127.0.0.1:{port}/{ARTICLE}", process, "B23")
    assert 'id="step-8"' in body


def test_pelican_listen_autoreload_still_previews_and_rebuilds(project):
    """The card's own preview command keeps working beside make serve."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "pelican"), "content", "-s", "pelicanconf.py",
               "--listen", "--autoreload", "--port", str(port)]
    with running(command, project) as process:
        served(f"http://127.0.0.1:{port}/{ARTICLE}", process, "B54")
        source = project / "content" / "pages" / "support.md"
        edited = source.read_text() + "\nA sentence added while the preview runs.\n"

        def save_again_every_second():  # an edit made before the watcher starts is not seen
            if time.monotonic() - getattr(save_again_every_second, "last", 0) > 1:
                source.write_text(edited)
                save_again_every_second.last = time.monotonic()

        served(f"http://127.0.0.1:{port}/support.html", process, "A sentence added while the preview runs.",
               while_waiting=save_again_every_second)
