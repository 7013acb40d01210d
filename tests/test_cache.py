"""Pelican's generator cache (tools.build) keeps working as the site grows: a hub of hundreds of articles, linked
by previous/next and related reading, is read from the cache and built the same as without it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import TEST_PREFIX, WIDE_LOG_ENV, add_file, copy_project, snapshot, zq_article


@pytest.mark.slow  # three builds of 500 articles, in new processes
def test_a_hub_of_500_articles_rebuilds_from_the_cache_as_without_it(tmp_path):
    project = copy_project(tmp_path / "project")
    for n in range(500):
        add_file(project, f"content/{TEST_PREFIX}many-{n:03d}.md", zq_article(f"many-{n:03d}", f"Text {n}.\n"))

    def build(*options: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "tools.build", "-e", "SEARCH_INDEX=false", *options]
        return subprocess.run(command, cwd=project, capture_output=True, text=True, env=WIDE_LOG_ENV, timeout=900)

    for run in range(2):  # the second reads all but one file from the cache
        add_file(project, f"content/{TEST_PREFIX}many-000.md", zq_article("many-000", f"Changed {run}.\n"))
        result = build()
        assert result.returncode == 0, result.stderr
    assert build("--no-cache", "--output", str(tmp_path / "fresh")).returncode == 0
    assert snapshot(project / "output") == snapshot(tmp_path / "fresh")
