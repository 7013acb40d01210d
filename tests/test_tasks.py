"""Nancy's commands work: the invoke tasks build, clean, serve and publish; Pelican's own preview keeps working."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from conftest import ARTICLE, WIDE_LOG_ENV, free_port, invoke, make, running, served

pytestmark = pytest.mark.slow  # each test starts the command line (invoke, make) in a new process


def test_invoke_build_writes_the_site_and_clean_removes_everything_generated(project):
    result = invoke(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "output" / ARTICLE).is_file()
    assert (project / "output" / "natural-pain-relief.html").is_file()
    assert "Built" in result.stdout and "pages into output/" in result.stdout
    (project / ".preview").mkdir()
    result = invoke(project, "clean")
    assert result.returncode == 0
    assert (
        not (project / "output").exists() and not (project / ".preview").exists() and not (project / "cache").exists()
    )


def test_make_clean_is_invoke_clean(project):
    (project / "output").mkdir()
    (project / ".output-new-x").mkdir()
    (project / "nginx.conf").write_text("# the production build's nginx snippet\n")
    assert make(project, "clean").returncode == 0
    assert not [name for name in ("output", ".output-new-x", "nginx.conf") if (project / name).exists()]


def test_invoke_production_builds_the_site_for_its_address(project):
    result = invoke(project, "production", env={**WIDE_LOG_ENV, "SITEURL": "https://example.org/healing"})
    assert result.returncode == 0, result.stdout + result.stderr
    html = (project / "output" / ARTICLE).read_text()
    assert 'href="https://example.org/healing/natural-pain-relief.html"' in html
    assert "location ^~ /healing/ {" in (project / "nginx.conf").read_text()  # beside output/, as README says


def test_invoke_publish_says_which_settings_are_missing_and_publishes_nothing(project):
    result = invoke(project, "publish")
    assert result.returncode == 2
    assert all(name in result.stderr for name in ("SITEURL", "SSH_HOST", "SSH_PATH"))
    assert not (project / "output").exists()


# `invoke serve` is what `make serve` runs: test_devserver.py's preview is that task's smoke test
def test_invoke_production_serve_serves_the_article(project):
    port = free_port()
    with running([sys.executable, "-m", "invoke", "production", "--serve", "--port", str(port)], project) as process:
        body = served(f"http://127.0.0.1:{port}/{ARTICLE}", process, "B23")
    assert 'id="step-8"' in body


def test_pelican_listen_autoreload_still_previews_and_rebuilds(project):
    """The card's own preview command keeps working beside make serve."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "pelican"),
        "content",
        "-s",
        "pelicanconf.py",
        "--listen",
        "--autoreload",
        "--port",
        str(port),
    ]
    with running(command, project) as process:
        served(f"http://127.0.0.1:{port}/{ARTICLE}", process, "B54")
        source = project / "content" / "pages" / "support.md"
        edited = source.read_text() + "\nA sentence added while the preview runs.\n"

        def save_again_every_second():  # an edit made before the watcher starts is not seen
            if time.monotonic() - getattr(save_again_every_second, "last", 0) > 1:
                source.write_text(edited)
                save_again_every_second.last = time.monotonic()

        served(
            f"http://127.0.0.1:{port}/support.html",
            process,
            "A sentence added while the preview runs.",
            while_waiting=save_again_every_second,
        )
