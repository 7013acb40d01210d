"""Reading on all cores changes nothing but the time: with enough files to start the workers, the build reports the
same problems, with the same files and lines, and writes the same site as when every file is read in one process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import WIDE_LOG_ENV, add_file, zq_article

pytestmark = pytest.mark.slow

MISTAKES = {
    3: "Date: 2026-13-45\n",  # an impossible date, in the header
    7: "\nPoint: K1\nWere: the sole\n",  # an unknown key in a point block
    11: '\n<p onclick="x()">Press</p>\n',  # a script in the page
    19: "\n## Steps {: .step }\n\n1. One.\n",  # a misspelt step marker
}
BUILD = """
import json, sys
from pathlib import Path
from tools.build import DEVELOPMENT, run_pelican, settings_for
settings = settings_for(DEVELOPMENT, Path(sys.argv[1]), {"PARALLEL_READING": sys.argv[2] == "on"}, cache=False)
result = run_pelican(settings)
print(json.dumps({"problems": [str(p) for p in result.problems], "counts": result.counts}))
"""


def run(project, output, parallel: bool) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(output), "on" if parallel else "off"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env=WIDE_LOG_ENV,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_workers_read_as_one_process_does_problems_and_pages_alike(project, tmp_path):
    for n in range(40):
        extra = MISTAKES.get(n, "")
        header, body = (extra, "Some text.\n") if extra.startswith("Date") else ("", f"Some text.\n{extra}")
        text = zq_article(f"parallel-{n:02d}", body)
        if header:
            text = text.replace("Date: 2026-01-02\n", header)
        add_file(project, f"content/zq-test-parallel-{n:02d}.md", text)
    parallel = run(project, tmp_path / "parallel", True)
    serial = run(project, tmp_path / "serial", False)
    assert parallel["counts"]["read_in_parallel"] >= 40 and serial["counts"]["read_in_parallel"] == 0
    assert parallel["problems"] == serial["problems"]
    for n in MISTAKES:
        assert any(f"content/zq-test-parallel-{n:02d}.md:" in p for p in parallel["problems"]), (n, parallel)

    def files(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert files(tmp_path / "parallel") == files(tmp_path / "serial")


HANGING = """
import json, sys, time
from pathlib import Path
from tools.build import DEVELOPMENT, run_pelican, settings_for  # first: it puts plugins/ on the path
from stages.markup import parallel

def hang(paths):  # a worker that never finishes its batch (forked: the workers get this function)
    time.sleep(3600)

parallel._prepare_batch = hang
settings = settings_for(DEVELOPMENT, Path(sys.argv[1]), {"PARALLEL_BATCH_SECONDS": 2}, cache=False)
started = time.monotonic()
result = run_pelican(settings)
print(json.dumps({"problems": [str(p) for p in result.problems], "counts": result.counts,
                  "seconds": time.monotonic() - started}))
"""


def test_a_stuck_worker_is_stopped_and_its_files_are_read_in_the_build(project, tmp_path):
    for n in range(30):
        add_file(project, f"content/zq-test-stuck-{n:02d}.md", zq_article(f"stuck-{n:02d}"))
    result = subprocess.run(
        [sys.executable, "-c", HANGING, str(tmp_path / "stuck")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,  # without the batch timeout the build would wait an hour
        env=WIDE_LOG_ENV,
    )
    assert result.returncode == 0, result.stderr
    built = json.loads(result.stdout.strip().splitlines()[-1])
    assert built["problems"] == [] and built["counts"]["read_in_parallel"] == 0, built
    serial = run(project, tmp_path / "serial", False)
    assert serial["problems"] == []

    def files(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert files(tmp_path / "stuck") == files(tmp_path / "serial")
