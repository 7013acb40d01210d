"""Measures the preview's edit-to-served time: how long after a Markdown file is saved the preview
server (make serve / invoke serve) serves the changed page.

    .venv/bin/python benchmarks/preview_latency.py [--edits 20]

Runs the preview in a temporary copy of the project, saves an edit to the article N times, polls
the served page until the edit is there, and prints the times. It reports; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FILES = ["content", "theme", "plugins", "tools", "pelicanconf.py", "publishconf.py", "tasks.py"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for name in PROJECT_FILES:
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
        port = free_port()
        url = f"http://127.0.0.1:{port}/acupressure-for-back-pain.html"
        server = subprocess.Popen(
            [sys.executable, "-m", "invoke", "serve", "--port", str(port)],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while "B23" not in page(url):
                if time.monotonic() > deadline:
                    sys.exit("the preview did not start")
                time.sleep(0.1)
            time.sleep(1)  # let the watcher start
            article = project / "content" / "acupressure-for-back-pain.md"
            text = article.read_text()
            times = []
            for n in range(args.edits):
                marker = f"Edit number {n} to measure the preview."
                started = time.perf_counter()
                article.write_text(text + f"\n{marker}\n")
                while marker not in page(url):
                    time.sleep(0.002)
                times.append((time.perf_counter() - started) * 1000)
                time.sleep(0.3)
        finally:
            os.killpg(server.pid, signal.SIGINT)
            server.wait(timeout=10)
    print(
        f"edit-to-served over {len(times)} edits of the article: median {statistics.median(times):.0f} ms, "
        f"min {min(times):.0f} ms, max {max(times):.0f} ms"
    )


if __name__ == "__main__":
    main()
