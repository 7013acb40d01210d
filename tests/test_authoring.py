"""Nancy writes, previews and grows the site in Markdown alone: new files, points, steps, the guide's examples,
and a preview that reloads the page."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build, free_port, invoke, make_build, running, served, text_of, with_make

GUIDE = ROOT / "docs" / "AUTHORING.md"
_BLOCK = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
WRAPPER = "Title: Guide example {n}\nSlug: guide-example-{n}\nDate: 2026-11-23\nCategory: Natural Pain Relief\n\n"


# --- invoke new -------------------------------------------------------------------------------

def test_invoke_new_starts_an_article_that_builds_and_appears_in_its_hub(project):
    result = invoke(project, "new", "How To Ease A Stiff Neck")
    assert result.returncode == 0, result.stderr
    source = project / "content" / "how-to-ease-a-stiff-neck.md"
    metadata = dict(line.split(": ", 1) for line in source.read_text().split("\n\n")[0].splitlines())
    assert metadata["Title"] == "How To Ease A Stiff Neck" and metadata["Slug"] == "how-to-ease-a-stiff-neck"
    assert metadata["Category"] == "Natural Pain Relief" and re.fullmatch(r"\d{4}-\d\d-\d\d", metadata["Date"])
    result = build(project, project / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    hub = BeautifulSoup((project / "output" / "natural-pain-relief.html").read_text(), "lxml")
    assert "how-to-ease-a-stiff-neck.html" in [a["href"].lstrip("./") for a in hub.main.find_all("a")]


def test_invoke_new_page_starts_a_page_listed_in_the_navigation(project):
    assert invoke(project, "new", "About Nancy", "--page").returncode == 0
    assert (project / "content" / "pages" / "about-nancy.md").is_file()
    assert build(project, project / "output").returncode == 0
    nav = BeautifulSoup((project / "output" / "index.html").read_text(), "lxml").select_one('nav[aria-label="Site"]')
    assert "About Nancy" in [text_of(a) for a in nav.find_all("a")]


def test_invoke_new_never_overwrites_a_file(project):
    source = project / "content" / "acupressure-for-back-pain.md"
    before = source.read_bytes()
    result = invoke(project, "new", "How To Use Acupressure For Back Pain", "--slug", "acupressure-for-back-pain")
    assert result.returncode == 1
    assert "content/acupressure-for-back-pain.md already exists" in result.stderr
    assert source.read_bytes() == before


# --- points and steps are Markdown features -----------------------------------------------------

NEW_ARTICLE = """Title: Acupressure For A Stiff Neck
Slug: stiff-neck
Date: 2026-11-23
Category: Natural Pain Relief

1.  The first point.

    Point: GB20
    Where: where the first point is
    How: how to press the first point
    Hold: 30 seconds

2.  The second point.

    Point: GB21
    Where: where the second point is
    Hold: about two minutes

## A Short Exercise {: .steps }

1. The first step.
2. The second step.
3. The third step.
"""


def test_a_new_article_with_points_and_steps_gets_ids_quick_reference_timers_and_structured_data(project):
    theme_before = sorted((p.relative_to(project).as_posix(), p.read_bytes()) for p in (project / "theme").rglob("*") if p.is_file())
    (project / "content" / "stiff-neck.md").write_text(NEW_ARTICLE)
    result = build(project, project / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup((project / "output" / "stiff-neck.html").read_text(), "lxml")
    assert page.find(id="gb20")["data-hold-seconds"] == "30"
    assert page.find(id="gb21")["data-hold-seconds"] == "120"
    rows = page.select(".quick-reference tbody tr")
    assert [row.th.a["href"] for row in rows] == ["#gb20", "#gb21"]
    assert [li["id"] for li in page.select("ol.steps > li")] == ["step-1", "step-2", "step-3"]
    assert "site.js" in page.find("script", type="module")["src"]  # the timers' and guide's script
    data = json.loads(page.find("script", type="application/ld+json").string)
    howtos = {node["name"]: node for node in data["@graph"] if node["@type"] == "HowTo"}
    assert [s["text"] for s in howtos["A Short Exercise"]["step"]] == ["The first step.", "The second step.", "The third step."]
    assert [s.get("timeRequired") for s in howtos["Acupressure For A Stiff Neck"]["step"]] == ["PT30S", "PT2M"]
    assert sorted((p.relative_to(project).as_posix(), p.read_bytes()) for p in (project / "theme").rglob("*") if p.is_file()) == theme_before


# --- the author's guide cannot go stale ---------------------------------------------------------

def guide_blocks() -> list[tuple[str, str]]:
    return [(m["info"].strip(), m["body"]) for m in _BLOCK.finditer(GUIDE.read_text())]


def guide_examples() -> list[str]:
    return [body for info, body in guide_blocks() if info == "markdown"]


def guide_mistakes() -> list[tuple[str, list[str]]]:
    blocks = guide_blocks()
    pairs = []
    for (info, body), (next_info, next_body) in zip(blocks, blocks[1:]):
        if info == "markdown mistake":
            assert next_info == "text", "a mistake in the guide is followed by the message it gives"
            pairs.append((body, [line for line in next_body.splitlines() if line.strip()]))
    return pairs


def test_the_guide_has_examples_of_everything_it_teaches():
    examples = "\n".join(guide_examples())
    for feature in ("Title:", "Point:", "Hold:", "{: .steps }", "{static}images/", "{filename}", "{category}"):
        assert feature in examples, feature
    assert len(guide_mistakes()) >= 3


def test_every_example_in_the_guide_builds_cleanly(project):
    pages = []
    for n, example in enumerate(guide_examples(), start=1):
        source = example if example.startswith("Title:") else WRAPPER.format(n=n) + example
        slug = re.search(r"^Slug: (.+)$", source, re.MULTILINE).group(1)
        (project / "content" / f"guide-example-{n}.md").write_text(source)
        pages.append(f"{slug}.html")
    result = build(project, project / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    for page in pages:
        assert (project / "output" / page).is_file(), page


@pytest.mark.parametrize("number", range(len(guide_mistakes())))
def test_every_mistake_in_the_guide_gives_the_message_the_guide_shows(project, number):
    source, message = guide_mistakes()[number]
    name = re.search(r"(content/\S+\.md)", "\n".join(message)).group(1)
    (project / name).write_text(source)
    result = make_build(project)
    assert result.returncode != 0
    shown = result.stderr.splitlines()
    for line in message:
        assert line in shown, f"the guide shows {line!r}; the build says:\n{result.stderr}"


# --- the preview ------------------------------------------------------------------------------

def preview(project: Path, port: int):
    return running(["make", "--no-print-directory", "serve", f"PORT={port}"], with_make(project))


def test_make_serve_reloads_the_open_page_after_an_edit(project, browser):
    port = free_port()
    url = f"http://127.0.0.1:{port}/support.html"
    with preview(project, port) as process:
        served(url, process, "/__preview/reload.js")
        page = browser.new_page()
        page.goto(url)
        assert page.locator('script[src="/__preview/reload.js"]').count() == 1
        page.evaluate("window.__before_reload = true")
        page.wait_for_timeout(300)  # let the page connect to the preview's events
        source = project / "content" / "pages" / "support.md"
        source.write_text(source.read_text() + "\nA sentence added while the preview runs.\n")
        page.get_by_text("A sentence added while the preview runs.").wait_for(timeout=60_000)
        assert page.evaluate("window.__before_reload") is None, "the page was reloaded, not patched"
        page.close()
    assert not list((project / "output").rglob("*.html")) or b"__preview" not in (project / "output" / "support.html").read_bytes()


def test_the_preview_reports_a_content_error_and_keeps_serving(project):
    port = free_port()
    with preview(project, port) as process:
        served(f"http://127.0.0.1:{port}/support.html", process, "Support the site")
        source = project / "content" / "acupressure-for-back-pain.md"
        good = source.read_text()
        source.write_text(good.replace("Hold: about one minute", "Hold: a little while"))
        deadline = time.monotonic() + 60
        while "cannot read a duration" not in "".join(process.log) and time.monotonic() < deadline:
            time.sleep(0.05)
        log = " ".join("".join(process.log).split())
        assert "content/acupressure-for-back-pain.md: cannot read a duration" in log, log
        assert process.poll() is None, "the preview stopped"
        source.write_text(good.replace("Hold: about one minute", "Hold: about two minutes"))
        served(f"http://127.0.0.1:{port}/acupressure-for-back-pain.html", process, "about two minutes")
