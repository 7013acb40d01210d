"""Preview memory benchmark: does the preview server (make serve) grow with every rebuild?

    .venv/bin/python benchmarks/preview_memory.py [--articles 1000] [--saves 100] [--every 10]

Runs `python -m tools.devserver --port N` in a temporary copy of the project (with N-1 copies of
the article when --articles N is given), saves the article M times (each save a new sentence at
its end), waits for each rebuild through GET /__preview/status ("generation" goes up, "building"
goes false), and reports the server's resident memory (VmRSS of /proc/PID/status, its child
processes included) and Python's live memory blocks (sys.getallocatedblocks(), from the status)
after the first build and after every --every saves, then the growth per 100
rebuilds: from the sample after the first --every saves (the first rebuilds fill caches that are
kept on purpose) to the last, and a least-squares slope over those samples. It reports; it is
not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from scale import ARTICLE, free_port, make_project, start_preview

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, never through a proxy


def status(port: int) -> dict:
    try:
        with _DIRECT.open(f"http://127.0.0.1:{port}/__preview/status", timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return {}


def wait_for_build(port: int, after: int, server: subprocess.Popen, limit: float = 600) -> dict:
    """The status once a build later than generation `after` has finished."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the preview stopped (exit status {server.returncode})")
        state = status(port)
        if state.get("generation", 0) > after and not state.get("building", True):
            return state
        time.sleep(0.05)
    sys.exit(f"no build after generation {after} within {limit} s")


def family(pid: int) -> list[int]:
    """`pid` and all its descendants (from /proc/PID/task/*/children)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                queue += [int(child) for child in (task / "children").read_text().split()]
    return found


def rss_kib(pid: int) -> int:
    """Resident memory of `pid` and its descendants, in KiB (VmRSS)."""
    total = 0
    for member in family(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def slope(points: list[tuple[int, int]]) -> float:
    """Least-squares slope of (x, y) points."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1, help="articles in all (default 1: the shipped content)")
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--every", type=int, default=10, help="report the memory after this many saves")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="preview-memory-") as temporary:
        project = make_project(Path(temporary), args.articles)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "SITEURL"}
        server = start_preview(project, port, env)
        try:
            state = wait_for_build(port, 0, server)
            if not state["ok"]:
                sys.exit("the first build failed:\n" + "\n".join(state["problems"]))
            time.sleep(1)  # the watcher starts after the first build
            first = rss_kib(server.pid)
            samples = [(0, first)]
            blocks = [(0, status(port)["python_blocks"])]
            print(
                f"{args.articles} article(s); after the first build: {first / 1024:.1f} MiB, "
                f"{blocks[0][1]:,} Python blocks",
                flush=True,
            )
            article = project / "content" / ARTICLE
            text = article.read_text()
            generation, seconds = state["generation"], []
            for n in range(1, args.saves + 1):
                started = time.perf_counter()
                article.write_text(text + f"\nA sentence saved for the memory benchmark, number {n}.\n")
                state = wait_for_build(port, generation, server)
                seconds.append(time.perf_counter() - started)
                generation = state["generation"]
                if n % args.every == 0 or n == args.saves:
                    samples.append((n, rss_kib(server.pid)))
                    blocks.append((n, status(port)["python_blocks"]))
                    print(
                        f"after {n:>4} saves ({generation - 1} rebuilds): {samples[-1][1] / 1024:.1f} MiB, "
                        f"{blocks[-1][1]:,} Python blocks "
                        f"(save-to-built median {sorted(seconds)[len(seconds) // 2]:.2f} s)",
                        flush=True,
                    )
        finally:
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    warm = [(n, kib) for n, kib in samples if n >= args.every]
    if len(warm) >= 2:
        (n0, kib0), (n1, kib1) = warm[0], warm[-1]
        print(
            f"growth per 100 rebuilds after the first {args.every}: {(kib1 - kib0) / (n1 - n0) * 100 / 1024:+.2f} MiB "
            f"(end to end); {slope(warm) * 100 / 1024:+.2f} MiB (least squares over {len(warm)} samples); "
            f"from the first build to the last: {(samples[-1][1] - first) / 1024:+.1f} MiB"
        )
        warm_blocks = [(n, count) for n, count in blocks if n >= args.every]
        print(
            f"Python's live blocks per 100 rebuilds after the first {args.every}: "
            f"{slope(warm_blocks) * 100:+,.0f} (least squares; {warm_blocks[0][1]:,} → {warm_blocks[-1][1]:,})"
        )


if __name__ == "__main__":
    main()
