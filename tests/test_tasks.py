"""Nancy's commands work: make serve previews and rebuilds, the invoke tasks build, clean, serve and publish."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from conftest import ARTICLE, ENV_WITHOUT_PUBLISH_SETTINGS, free_port, invoke, running, served

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
