"""What the benchmarks share: a copy of the project grown to N articles, and a free port for a preview.

The copies are the shipped article with its own title and slug (``copy-N.md``), so every benchmark
measures the same site at the same size.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FILES = ["content", "theme", "plugins", "tools", "pelicanconf.py", "publishconf.py", "tasks.py"]
ARTICLE = "acupressure-for-back-pain.md"


def make_project(folder: Path, articles: int) -> Path:
    """`folder`/project: the project's sources with `articles` articles in all (the article and its copies)."""
    project = folder / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
        else:
            shutil.copy2(source, project / name)
    text = (project / "content" / ARTICLE).read_text()
    for n in range(1, articles):
        copy = text.replace(
            "Title: How To Use Acupressure For Back Pain", f"Title: Acupressure For Back Pain, copy {n}"
        ).replace("Slug: acupressure-for-back-pain", f"Slug: acupressure-copy-{n}")
        (project / "content" / f"copy-{n}.md").write_text(copy)
    return project


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_preview(project: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The preview server (`make serve`) of `project` on `port`, in a session of its own (stop it with SIGTERM
    to its process group), its output dropped."""
    return subprocess.Popen(
        [sys.executable, "-m", "tools.devserver", "--port", str(port)],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
    )
