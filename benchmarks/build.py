"""Build benchmark: this project's full build against vanilla Pelican on the same content.

    .venv/bin/python benchmarks/build.py [--articles 100 1000] [--rounds 5]
    .venv/bin/invoke bench

For each N, a temporary copy of the project gets N copies of the article (each its own title and
slug). Then, in alternation, round after round:
- project, cold: `invoke build` (strict, all plugins, link guard, staged swap), no cache;
- vanilla, cold: `pelican` with its built-in theme, no plugins, default settings, no cache;
- project, cached: Pelican's content cache warm, one article changed, then the same build;
- vanilla, cached: the same for vanilla Pelican.
It prints each median and the ratios (project / vanilla cold; cached / cold). It reports; it is
not a test: timings on a shared machine are noisy, so compare medians, not single runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FILES = ["content", "theme", "plugins", "tools", "pelicanconf.py", "publishconf.py", "tasks.py"]
BIN = Path(sys.executable).parent
ARTICLE = "acupressure-for-back-pain.md"
VANILLA_SETTINGS = """\
AUTHOR = "Nancy"
SITENAME = "The Energy Healing Site"
PATH = "content"
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
TIMEZONE = "UTC"
PLUGINS = []
"""


def make_project(folder: Path, articles: int) -> Path:
    project = folder / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
    text = (project / "content" / ARTICLE).read_text()
    for n in range(1, articles):
        copy = text.replace(
            "Title: How To Use Acupressure For Back Pain", f"Title: Acupressure For Back Pain, copy {n}"
        )
        copy = copy.replace("Slug: acupressure-for-back-pain", f"Slug: acupressure-copy-{n}")
        (project / "content" / f"copy-{n}.md").write_text(copy)
    (project / "vanillaconf.py").write_text(VANILLA_SETTINGS)
    return project


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def builds(project: Path) -> dict[str, list[str]]:
    cache = ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"]
    pelican = [str(BIN / "pelican"), "content"]
    return {
        "project": [sys.executable, "-m", "invoke", "build"],
        "vanilla": [*pelican, "-s", "vanillaconf.py", "-o", "vanilla-output", "--fatal", "errors"],
        "project, cached": [
            *pelican,
            "-s",
            "pelicanconf.py",
            "-o",
            "cached-output",
            "--fatal",
            "warnings",
            *cache,
            "--cache-path",
            "cache-project",
        ],
        "vanilla, cached": [
            *pelican,
            "-s",
            "vanillaconf.py",
            "-o",
            "vanilla-cached-output",
            "--fatal",
            "errors",
            *cache,
            "--cache-path",
            "cache-vanilla",
        ],
    }


def touch_one_article(project: Path, round_number: int) -> None:
    article = project / "content" / "copy-1.md"
    article.write_text(article.read_text() + f"\nA change for round {round_number}.\n")


def measure(articles: int, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder), articles)
        commands = builds(project)
        # warm the content caches (and the file system) once
        for name in ("project, cached", "vanilla, cached"):
            timed(commands[name], project)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for round_number in range(rounds):
            for name in ("project", "vanilla"):
                for leftover in ("output", "vanilla-output"):
                    shutil.rmtree(project / leftover, ignore_errors=True)
                times[name].append(timed(commands[name], project))
            touch_one_article(project, round_number)
            for name in ("project, cached", "vanilla, cached"):
                times[name].append(timed(commands[name], project))
        return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{'articles':>8}  {'project':>8}  {'vanilla':>8}  {'ratio':>6}  {'project cached':>14}  "
        f"{'cached/cold':>11}  {'vanilla cached':>14}  {'cached/cold':>11}"
    )
    for articles in args.articles:
        m = measure(articles, args.rounds)
        print(
            f"{articles:>8}  {m['project']:>7.2f}s  {m['vanilla']:>7.2f}s  {m['project'] / m['vanilla']:>6.2f}  "
            f"{m['project, cached']:>13.2f}s  {m['project, cached'] / m['project']:>11.2f}  "
            f"{m['vanilla, cached']:>13.2f}s  {m['vanilla, cached'] / m['vanilla']:>11.2f}",
            flush=True,
        )
    print(
        f"medians of {args.rounds} alternating rounds; cold builds without a cache, cached builds after one "
        "article changed"
    )


if __name__ == "__main__":
    main()
