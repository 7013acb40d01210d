"""The preview's incremental builds give exactly what a full build gives: after each kind of edit an author makes
(a body, a title, a date, a hub, a tag, a slug, a deleted or added file, a menu page, the support page, a template,
the settings), the preview's current build folder is compared, byte for byte, with a clean full build of the same
sources (`python -m tools.build --no-cache`, with the preview's own settings: no search index, no service worker)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitegen import generate, png

from conftest import TEST_PREFIX, add_file, build, copy_project, fetch, free_port, running, served
from tools.devserver import OVERRIDES

# what the preview builds differently from `make build`, as -e NAME=VALUE
PREVIEW_SETTINGS = [f"{name}={json.dumps(value)}" for name, value in OVERRIDES.items()]

pytestmark = pytest.mark.slow

LINKER = f"content/{TEST_PREFIX}linker.md"


def article(n: int) -> str:
    return f"content/{TEST_PREFIX}article-{n:04d}.md"


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(project: Path, relative: str, text: str) -> None:
    with (project / relative).open("a", encoding="utf-8") as file:
        file.write(text)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Preview:
    def __init__(self, project: Path, process, port: int) -> None:
        self.project, self.process, self.port = project, process, port

    def status(self) -> dict:
        return json.loads(fetch(f"http://127.0.0.1:{self.port}/__preview/status")[2])

    def settled(self, before: int) -> dict:
        """Waits until the preview has built after generation `before` and stays idle."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = self.status()
            if state["generation"] > before and not state["building"]:
                time.sleep(0.6)  # a save seen twice builds twice: wait for the last
                again = self.status()
                if again["generation"] == state["generation"] and not again["building"]:
                    return again
                continue
            time.sleep(0.05)
        pytest.fail("the preview never finished building:\n" + "".join(self.process.log))


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("incremental") / "project")
    generate(project, articles=70, hubs=5, big_hub=35, drafts=2, pages=6, menu_pages=2)
    add_file(
        project,
        LINKER,
        f"Title: Zq Test Linker\nSlug: {TEST_PREFIX}linker\nDate: 2025-06-01\nCategory: Zq Test Hub 02\n\n"
        f"See [the forty-fifth]({{filename}}{TEST_PREFIX}article-0045.md) and "
        f"[the exercise of the forty-sixth]({{filename}}{TEST_PREFIX}article-0046.md#step-1).\n",
    )
    port = free_port()
    command = [sys.executable, "-m", "tools.devserver", "--port", str(port)]
    with running(command, project) as process:
        served(f"http://127.0.0.1:{port}/__preview/status", process, '"current": "build-')
        yield Preview(project, process, port)


def assert_same_as_a_full_build(preview: Preview, tmp_path: Path, name: str) -> dict:
    state = preview.status()
    assert state["ok"], state["problems"]
    current = preview.project / ".preview" / state["current"]
    full = tmp_path / f"full-{name}"
    result = build(preview.project, full, *PREVIEW_SETTINGS)
    assert result.returncode == 0, result.stderr
    incremental, expected = files(current), files(full)
    missing = sorted(set(expected) - set(incremental))
    extra = sorted(set(incremental) - set(expected))
    different = sorted(page for page in set(expected) & set(incremental) if expected[page] != incremental[page])
    assert not (missing or extra or different), f"{name}: missing {missing}, extra {extra}, different {different}"
    return state


STEPS = [
    ("body", lambda p: edit(p, article(40), "Pressing gently can help.", "Pressing gently can help a lot.")),
    ("title", lambda p: edit(p, article(41), "Title: Zq Test Article 0041", "Title: Zq Test Article Forty-One")),
    ("date", lambda p: edit(p, article(42), "Date: 2025-02-12", "Date: 2026-03-01")),
    ("hub", lambda p: edit(p, article(43), "Category: Zq Test Hub 04", "Category: Zq Test Hub 01")),
    ("tag", lambda p: edit(p, article(44), "Tags: zq-tag-2, zq-tag-7", "Tags: zq-tag-2, zq-tag-7, zq-tag-new")),
    ("slug", lambda p: edit(p, article(45), f"Slug: {TEST_PREFIX}article-0045", f"Slug: {TEST_PREFIX}renamed-45")),
    ("anchor gone", lambda p: edit(p, article(46), "## A Short Exercise {: .steps }\n", "## A Short Exercise\n")),
    ("anchor restored", lambda p: edit(p, article(46), "## A Short Exercise\n", "## A Short Exercise {: .steps }\n")),
    ("delete", lambda p: (p / article(47)).unlink()),
    (
        "add",
        lambda p: add_file(
            p,
            f"content/{TEST_PREFIX}added.md",
            f"Title: Zq Test Added\nSlug: {TEST_PREFIX}added\nDate: 2026-06-01\nCategory: Zq Test Hub 03\n"
            "Tags: zq-tag-3\n\nA new article.\n",
        ),
    ),
    ("draft published", lambda p: edit(p, f"content/{TEST_PREFIX}draft-0.md", "Status: draft\n", "")),
    (
        "menu page",
        lambda p: edit(
            p, f"content/pages/{TEST_PREFIX}page-00.md", "Title: Zq Test Page 00", "Title: Zq Test Page Zero"
        ),
    ),
    (
        "hub introduction",
        lambda p: edit(p, f"content/hubs/{TEST_PREFIX}hub-02.md", "first sentence.", "opening words."),
    ),
    (
        "support page",
        lambda p: edit(p, "content/pages/support.md", "\n\n", "\n\nZq: a sentence added to the appeal.\n\n"),
    ),
    # what a reading or a page takes from another file: a picture's size, the safety note, the stylesheet's hash
    ("picture size", lambda p: (p / f"content/images/{TEST_PREFIX}hand.png").write_bytes(png(80, 61))),
    ("snippet", lambda p: edit(p, "content/snippets/self-care-safety.md", "Stop if", "Zq: stop if")),
    ("stylesheet", lambda p: append(p, "theme/static/css/site.css", "\n/* zq */\n")),
    (
        "template",
        lambda p: edit(
            p, "theme/templates/article.html", "{% block content %}", "{% block content %}\n    <!-- zq -->"
        ),
    ),
    ("settings", lambda p: edit(p, "pelicanconf.py", 'SITENAME = "The Energy Healing Site"', 'SITENAME = "Zq Site"')),
]


def test_the_first_build_is_a_full_build(preview, tmp_path):
    assert_same_as_a_full_build(preview, tmp_path, "first")


@pytest.mark.parametrize("step", [name for name, _ in STEPS])
def test_after_each_edit_the_preview_equals_a_full_build(preview, tmp_path, step):
    change = dict(STEPS)[step]
    before = preview.status()["generation"]
    change(preview.project)
    state = preview.settled(before)
    if step == "anchor gone":
        # zq-test-linker.html is not rendered again, but it links to #step-1 of the article that lost its
        # steps: the link check finds it there, as a full build does
        assert not state["ok"] and state["last_build"]["reused"] > 0, state
        assert any("#step-1" in problem and "no such anchor" in problem for problem in state["problems"]), state
        full = build(preview.project, tmp_path / "full", *PREVIEW_SETTINGS)
        assert full.returncode == 1 and "#step-1' (on zq-test-linker.html): no such anchor" in full.stderr
        return
    state = assert_same_as_a_full_build(preview, tmp_path, step.replace(" ", "-"))
    last = state["last_build"]
    pages = len(list((preview.project / ".preview" / state["current"]).rglob("*.html")))
    if step in ("template", "settings", "stylesheet"):
        assert last["reused"] == 0 and last["rendered"] == pages, last
    elif step == "body":
        # the article itself and the pages that list it (hub, home, related), not the whole site
        assert 1 <= last["rendered"] <= 15 and last["reused"] >= pages - 15 and last["read"] == 1, last
        assert last["checked"] < pages, last


def test_a_cached_make_build_sees_a_picture_the_safety_note_and_the_stylesheet_change(tmp_path):
    """`make build` keeps Pelican's content cache, Jinja's compiled templates and the previous build's pages: after
    a picture's size, the snippet and the stylesheet change, it writes what a build without any cache writes."""
    project = copy_project(tmp_path / "project")

    def make_build(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tools.build", "--output", "output", *extra],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=600,
        )

    assert make_build().returncode == 0
    edit(project, "content/images/knee-b54.svg", 'width="360" height="252" role', 'width="480" height="336" role')
    edit(project, "content/snippets/self-care-safety.md", "Stop if", "Zq: stop if")
    append(project, "theme/static/css/site.css", "\n/* zq */\n")
    cached = make_build()
    assert cached.returncode == 0, cached.stderr
    full = make_build("--no-cache", "--output", str(tmp_path / "full"))
    assert full.returncode == 0, full.stderr
    incremental, expected = files(project / "output"), files(tmp_path / "full")
    different = sorted(page for page in set(expected) | set(incremental) if expected.get(page) != incremental.get(page))
    assert not different, f"the cached build differs from a full one in {different}"
    assert (
        'height="336" loading="lazy" src="./images/knee-b54.svg" width="480"'
        in (project / "output" / "acupressure-for-back-pain.html").read_text()
    )
