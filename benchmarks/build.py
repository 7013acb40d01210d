"""Speed benchmark: the build and the preview at scale, this project beside vanilla Pelican on the same content.

    .venv/bin/python benchmarks/build.py [--articles 300 1000] [--rounds 5] [--saves 10]
    .venv/bin/invoke bench [--articles N] [--rounds R]

For each N, a temporary copy of the project gets N copies of the article (each its own title and
slug), and a settings file for vanilla Pelican (built-in theme, no plugins, same content). Then:

- cold build: this project's strict build without a cache (``python -m tools.build --no-cache -e
  SEARCH_INDEX=false``: like for like, vanilla Pelican has no search) and vanilla Pelican
  (``pelican content -s vanillaconf.py``), in alternation, round after round;
- cached rebuild after a one-file change: the same two with their content caches warm and one
  article changed (both with Pelican's generator-layer cache: ``CONTENT_CACHING_LAYER = "generator"``),
  as a share of the cold build;
- with the search index (what ``make build`` does): the cold and the cached build again, with Pagefind
  indexing the site;
- preview: the preview server (``python -m tools.devserver``) runs in the copy; one article's title
  and text are saved `--saves` times, and each time the benchmark measures how long until the
  article, open in a "browser" (listening to /__preview/events), is told to reload ("told"), until the
  preview serves its new text ("served"), until its hub's page shows the new title
  ("hub"), and until the whole build is finished ("finished", from ``/__preview/status``), and the
  server's memory (RSS) after each build ("memory per save": the growth from the first save to the
  last, divided by the saves). ``--rounds 0`` measures only the preview.

Times are wall-clock seconds of the whole command, with the CPU time (user + system, the command
and every process it waited for) beside them; each row gives min / median / max. It reports; it
is not a test: on a shared machine, compare medians of the same run, not single figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from scale import free_port, make_project, start_preview

BIN = Path(sys.executable).parent
VANILLA_SETTINGS = """\
AUTHOR = "Nancy"
SITENAME = "The Energy Healing Site"
PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_EXCLUDES = ["pages", "snippets", "hubs"]  # texts the project's stages read, not articles
STATIC_PATHS = ["images"]
TIMEZONE = "UTC"
PLUGINS = []
"""
ENV = {**os.environ, "COLUMNS": "200"}
POLL = 0.02  # seconds between two requests while waiting for the preview (each request takes its time from the build)
ARTICLE_PAGE = "acupressure-copy-1.html"  # copy-1.md's page
HUB = "natural-pain-relief.html"  # the page of the article's hub (its Category: line), which lists it
WARM = 3  # the preview's memory per save is counted after this many saves (its caches are full by then)


@dataclass
class Runs:
    """Timings of one row: wall and CPU seconds of each run."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)

    @staticmethod
    def spread(values: list[float], unit: str = "s") -> str:
        if not values:
            return "-"
        low, mid, high = min(values), statistics.median(values), max(values)
        return f"{mid:.2f} {unit} ({low:.2f}–{high:.2f})"

    def median(self) -> float:
        return statistics.median(self.wall) if self.wall else float("nan")


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, cpu) seconds of a command that must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def commands() -> dict[str, list[str]]:
    pelican = [str(BIN / "pelican"), "content", "-s", "vanillaconf.py", "--fatal", "errors"]
    vanilla_cache = ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true", 'CONTENT_CACHING_LAYER="generator"']
    vanilla_cache += ["--cache-path", "cache-vanilla"]
    build = [sys.executable, "-m", "tools.build"]
    no_index = ["-e", "SEARCH_INDEX=false"]
    return {
        # like for like with vanilla Pelican, which has no search: the project without its search index
        "project cold": [*build, "--no-cache", "--output", "output-cold", *no_index],
        "vanilla cold": [*pelican, "-o", "vanilla-cold"],
        "project cached": [*build, "--output", "output-cached", *no_index],
        "vanilla cached": [*pelican, "-o", "vanilla-cached", *vanilla_cache],
        # what `make build` does: with the search index
        "project cold, search": [*build, "--no-cache", "--output", "output-cold-search"],
        "project cached, search": [*build, "--output", "output-cached-search"],
    }


def change_one_article(project: Path, marker: str, title: str = "") -> Path:
    """Adds `marker` to copy-1.md's text and, with `title`, gives it that title."""
    article = project / "content" / "copy-1.md"
    lines = article.read_text().splitlines()
    if title:
        lines = [f"Title: {title}" if line.startswith("Title:") else line for line in lines]
    article.write_text("\n".join([*lines, "", marker, ""]))
    return article


def measure_builds(project: Path, rounds: int) -> dict[str, Runs]:
    names = list(commands())
    # the builds with the search index in a copy of their own: a build keeps the content cache of its own
    # settings only, so the two kinds would each start without one
    searching = project.with_name("project-search")
    shutil.copytree(project, searching)
    where = {name: searching if name.endswith("search") else project for name in names}
    runs = {name: Runs() for name in names}
    for name in names:
        if "cached" in name:  # warm the caches (and the file system) once
            timed(commands()[name], where[name])
    for round_number in range(rounds):
        for name in names:
            if "cold" in name:
                runs[name].add(*timed(commands()[name], where[name]))
        for copy in {project, searching}:
            change_one_article(copy, f"A change for round {round_number}.")
        for name in names:
            if "cached" in name:
                runs[name].add(*timed(commands()[name], where[name]))
    return runs


def get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode())
    except OSError:
        return ""


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class PreviewRuns:
    told: list[float] = field(default_factory=list)
    served: list[float] = field(default_factory=list)
    hub: list[float] = field(default_factory=list)
    finished: list[float] = field(default_factory=list)
    memory: list[float] = field(default_factory=list)
    first_build: float = 0.0


def measure_preview(project: Path, saves: int) -> PreviewRuns:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    runs = PreviewRuns()
    server = start_preview(project, port, ENV)
    try:
        started = time.perf_counter()
        deadline = time.monotonic() + 600
        while '"current": "build-' not in get(base + "__preview/status"):
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("the preview did not start")
            time.sleep(0.1)
        runs.first_build = time.perf_counter() - started
        time.sleep(1)  # let the watcher start
        for n in range(saves):
            before = json.loads(get(base + "__preview/status"))["generation"]
            marker, title = f"Saved edit number {n}, to time the preview.", f"Copy 1, edit {n}"
            # the article is open in a "browser": it is told to reload (server-sent events) when its page is ready
            with urllib.request.urlopen(f"{base}__preview/events?page=/{ARTICLE_PAGE}", timeout=120) as events:
                events.readline()  # ": connected"
                saved_at = time.time()
                saved = time.perf_counter()
                change_one_article(project, marker, title)
                while not events.readline().startswith(b"event: reload"):
                    pass
                runs.told.append(time.perf_counter() - saved)
            while marker not in get(base + ARTICLE_PAGE):
                time.sleep(POLL)
            runs.served.append(time.perf_counter() - saved)
            while title not in get(base + HUB):
                time.sleep(POLL)
            runs.hub.append(time.perf_counter() - saved)
            while True:
                state = json.loads(get(base + "__preview/status"))
                if state["generation"] > before and not state["building"]:
                    break
                time.sleep(POLL)
            runs.finished.append(state["finished"] - saved_at)
            runs.memory.append(rss_mib(server.pid))
            time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # as Ctrl-C (SIGINT may be ignored when this runs in the background)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    return runs


def report(articles: int, rounds: int, saves: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder), articles)
        (project / "vanillaconf.py").write_text(VANILLA_SETTINGS)
        builds = measure_builds(project, rounds) if rounds else {}
        preview = measure_preview(project, saves)
    print(f"\n{articles} articles, {rounds} alternating rounds, {saves} preview saves")
    rows = builds_rows(builds) if builds else []
    rows += [
        ("preview: first build", f"{preview.first_build:.2f} s"),
        ("preview: save → that article, open, told to reload", Runs.spread(preview.told)),
        ("preview: save → that article served (the new text)", Runs.spread(preview.served)),
        (f"preview: save (title) → its hub ({HUB}) updated", Runs.spread(preview.hub)),
        ("preview: save → whole build finished", Runs.spread(preview.finished)),
        (
            "preview: memory per save",
            f"{(preview.memory[-1] - preview.memory[WARM]) / max(1, len(preview.memory) - 1 - WARM):+.2f} MiB "
            f"after {WARM} saves (RSS, MiB: {' '.join(f'{rss:.0f}' for rss in preview.memory)})",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}", flush=True)


def builds_rows(builds: dict[str, Runs]) -> list[tuple[str, str]]:
    cold, vanilla = builds["project cold"], builds["vanilla cold"]
    cached, vanilla_cached = builds["project cached"], builds["vanilla cached"]

    def ratio(a: list[float], b: list[float]) -> str:
        return f"{statistics.median(a) / statistics.median(b):.2f}"

    rows = [
        ("cold build, project (no search index)", f"{Runs.spread(cold.wall)}, cpu {Runs.spread(cold.cpu)}"),
        ("cold build, vanilla Pelican", f"{Runs.spread(vanilla.wall)}, cpu {Runs.spread(vanilla.cpu)}"),
        ("  project / vanilla", f"{ratio(cold.wall, vanilla.wall)}× wall, {ratio(cold.cpu, vanilla.cpu)}× cpu"),
        ("cached rebuild, 1 file changed, project", f"{Runs.spread(cached.wall)}, cpu {Runs.spread(cached.cpu)}"),
        ("  share of cold", f"{ratio(cached.wall, cold.wall)} wall, {ratio(cached.cpu, cold.cpu)} cpu"),
        ("cached rebuild, vanilla Pelican", f"{Runs.spread(vanilla_cached.wall)}"),
        ("  share of cold", f"{ratio(vanilla_cached.wall, vanilla.wall)}"),
    ]
    search, search_cached = builds["project cold, search"], builds["project cached, search"]
    rows += [
        ("cold build with the search index", f"{Runs.spread(search.wall)}, cpu {Runs.spread(search.cpu)}"),
        (
            "  the index costs",
            f"{statistics.median(search.wall) - statistics.median(cold.wall):+.2f} s wall, "
            f"{statistics.median(search.cpu) - statistics.median(cold.cpu):+.2f} s cpu",
        ),
        ("cached rebuild with the search index", f"{Runs.spread(search_cached.wall)}"),
        ("  share of cold with the index", f"{ratio(search_cached.wall, search.wall)}"),
    ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of builds (0: the preview only)")
    parser.add_argument("--saves", type=int, default=10, help=f"preview saves (at least {WARM + 2})")
    args = parser.parse_args()
    if args.saves < WARM + 2:
        parser.error(f"--saves must be at least {WARM + 2}: the memory per save is counted after {WARM} saves")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; medians with (min–max)")
    for articles in args.articles:
        report(articles, args.rounds, args.saves)


if __name__ == "__main__":
    main()
