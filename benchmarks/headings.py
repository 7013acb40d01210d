"""Heading-id benchmark: an article with thousands of identical "## Step" headings builds in linear time.

    .venv/bin/python benchmarks/headings.py [--headings 5000 10000 20000] [--rounds 3]

For each N: the site's Markdown conversion of N "## Step" sections (ids step, step_1, step_2…),
and the strict build (`python -m tools.build --no-cache`) of a temporary copy of the project with
one article of N such sections. It prints the best of the rounds (the least disturbed by other work
on the machine), the time per heading, and the ratio of
each size's time to the first size's (linear: the ratio of the sizes, e.g. 2.0 from 10,000 to
20,000; quadratic would be 4.0). It reports; it is not a test (tests/test_pathological.py checks
that the ids are right).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from stages.markup.extensions import new_markdown  # noqa: E402
from stages.markup.reader import convert  # noqa: E402
from stages.markup.source import SourceState  # noqa: E402

PROJECT_FILES = ["content", "theme", "plugins", "tools", "pelicanconf.py", "publishconf.py", "tasks.py"]
ARTICLE = "Title: Many Steps\nSlug: many-steps\nDate: 2026-01-02\nCategory: Benchmarks\n\n"


def body(headings: int) -> str:
    return "## Step\n\nDo the next thing.\n\n" * headings


def convert_seconds(headings: int) -> float:
    text = body(headings)
    md = new_markdown()
    started = time.perf_counter()
    html = convert(md, text, SourceState())
    seconds = time.perf_counter() - started
    last = f'id="step_{headings - 1}"' if headings > 1 else 'id="step"'
    if last not in html or html.count("<h2") != headings:
        sys.exit(f"{headings} headings: the ids are not step, step_1 … step_{headings - 1}")
    return seconds


def build_seconds(folder: Path, headings: int) -> float:
    project = folder / f"project-{headings}"
    if not project.exists():
        project.mkdir()
        for name in PROJECT_FILES:
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
        (project / "content" / "many-steps.md").write_text(ARTICLE + body(headings))
    output = folder / f"output-{headings}"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "tools.build", "--no-cache", "--output", str(output)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{headings} headings: the build failed:\n{result.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--headings", type=int, nargs="+", default=[5000, 10000, 20000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        for headings in args.headings:
            converted = min(convert_seconds(headings) for _ in range(args.rounds))
            built = min(build_seconds(Path(temporary), headings) for _ in range(args.rounds))
            rows.append((headings, converted, built))
    first, first_convert, first_build = rows[0]
    print(f"{'headings':>9} {'convert s':>10} {'µs/heading':>11} {'ratio':>6} {'build s':>8} {'ratio':>6}")
    for headings, converted, built in rows:
        print(
            f"{headings:>9} {converted:>10.2f} {converted / headings * 1e6:>11.1f} {converted / first_convert:>6.2f}"
            f" {built:>8.2f} {built / first_build:>6.2f}   (size ratio {headings / first:.2f})"
        )


if __name__ == "__main__":
    main()
