"""What the search index costs the build: the strict build with and without SEARCH_INDEX, and the index alone.

    .venv/bin/python benchmarks/search_index.py [--articles 300 1000] [--rounds 3]

For each N, a temporary copy of the project gets N copies of the article (each its own title and slug, as
benchmarks/build.py makes them). Then, round after round: the build (`python -m tools.build --no-cache`) with
the index and without it (-e SEARCH_INDEX=false), and the index alone on the written site
(stages.search.index.write_index). It prints the medians, wall clock and CPU time (which a busy machine
stretches less), what the index adds, and the size of pagefind/. It reports; it is not a test.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from scale import make_project  # noqa: E402

from stages.search.index import write_index  # noqa: E402


def children_cpu() -> float:
    """CPU seconds (user and system) of the finished child processes so far: a busy machine stretches the wall
    clock, much less this."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build(project: Path, *extra: str) -> tuple[float, float]:
    command = [sys.executable, "-m", "tools.build", "--no-cache", "--output", "output", *extra]
    started, cpu = time.perf_counter(), children_cpu()
    result = subprocess.run(command, cwd=project, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, children_cpu() - cpu


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for articles in args.articles:
        with tempfile.TemporaryDirectory() as temporary:
            project = make_project(Path(temporary), articles)
            times: dict[str, list[tuple[float, float]]] = {"with index": [], "without": [], "index alone": []}
            for _ in range(args.rounds):
                times["without"].append(timed_build(project, "-e", "SEARCH_INDEX=false"))
                times["with index"].append(timed_build(project))
                started, cpu = time.perf_counter(), children_cpu()  # Pagefind's binary is a child process
                pages = write_index(project / "output")
                times["index alone"].append((time.perf_counter() - started, children_cpu() - cpu))
            wall = {name: statistics.median(t[0] for t in values) for name, values in times.items()}
            cpu = {name: statistics.median(t[1] for t in values) for name, values in times.items()}
            bundle = project / "output" / "pagefind"
            print(
                f"{articles} articles ({pages} pages indexed), medians of {args.rounds}, wall (CPU) seconds:\n"
                f"  build without the index {wall['without']:.2f} ({cpu['without']:.2f}), "
                f"with it {wall['with index']:.2f} ({cpu['with index']:.2f}): "
                f"+{wall['with index'] - wall['without']:.2f} ({cpu['with index'] - cpu['without']:+.2f}), "
                f"+{100 * (wall['with index'] / wall['without'] - 1):.0f} % wall\n"
                f"  the index alone {wall['index alone']:.2f} ({cpu['index alone']:.2f}); "
                f"pagefind/ {size_of(bundle) / 1e6:.2f} MB in {sum(1 for p in bundle.rglob('*') if p.is_file())} files",
                flush=True,
            )


if __name__ == "__main__":
    main()
