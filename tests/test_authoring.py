"""Nancy writes and grows the site in Markdown alone: `invoke new`, the guide's examples, and its promises."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, TEST_PREFIX, build, built, copy_project, invoke, make_build, metadata_of, text_of

GUIDE = ROOT / "docs" / "AUTHORING.md"
_BLOCK = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
WRAPPER = "Title: Zq Guide Example {n}\nSlug: zq-guide-example-{n}\nDate: 2026-11-23\nCategory: Zq Test Hub\n\n"


# --- invoke new -------------------------------------------------------------------------------


@pytest.mark.slow  # starts the command line (make, invoke) in a new process
def test_invoke_new_starts_an_article_that_builds_and_appears_in_its_hub(project, tmp_path):
    result = invoke(project, "new", "Zq Test Easing A Stiff Neck", "--category", "Zq Test Hub")
    assert result.returncode == 0, result.stderr
    source = project / "content" / "zq-test-easing-a-stiff-neck.md"
    metadata = metadata_of(source.read_text())
    assert metadata["title"] == "Zq Test Easing A Stiff Neck" and metadata["slug"] == "zq-test-easing-a-stiff-neck"
    assert metadata["category"] == "Zq Test Hub" and re.fullmatch(r"\d{4}-\d\d-\d\d", metadata["date"])
    assert metadata["status"] == "draft", "a new article starts as a draft"
    assert "delete its 'Status: draft' line" in result.stdout
    source.write_text(source.read_text().replace("Status: draft\n", ""))  # what the guide says to publish it
    site = built(project, tmp_path / "out")
    hub = site.soup("zq-test-hub.html")
    assert "zq-test-easing-a-stiff-neck.html" in [a["href"].removeprefix("./") for a in hub.main.find_all("a")]


@pytest.mark.slow  # starts the command line (make, invoke) in a new process
def test_invoke_new_page_starts_a_draft_page(project, tmp_path):
    result = invoke(project, "new", "Zq Test About", "--page")
    assert result.returncode == 0 and (project / "content" / "pages" / "zq-test-about.md").is_file()
    address = "drafts/pages/zq-test-about.html"
    assert f"the preview shows it at {address}" in result.stdout  # the address it says is the one built
    assert text_of(built(project, tmp_path / "out").soup(address).h1) == "Zq Test About"


@pytest.mark.slow  # starts the command line (make, invoke) in a new process
def test_invoke_new_never_overwrites_a_file(project):
    source = project / "content" / f"{TEST_PREFIX}mine.md"
    source.write_text("Title: Mine\n\nMy words.\n")
    result = invoke(project, "new", "Zq Anything", "--slug", f"{TEST_PREFIX}mine")
    assert result.returncode == 1
    assert f"content/{TEST_PREFIX}mine.md already exists" in result.stderr
    assert source.read_text() == "Title: Mine\n\nMy words.\n"


@pytest.mark.slow  # starts the command line (make, invoke) in a new process
@pytest.mark.parametrize("slug", ["../../zq-escape", "/tmp/zq-escape", "zq/escape", "..", "Zq Test"])
def test_invoke_new_refuses_a_slug_that_would_write_outside_content(project, slug):
    result = invoke(project, "new", "Zq Escape", "--slug", slug)
    assert result.returncode == 2 and "cannot be an address" in result.stderr
    assert not list(project.parent.rglob("zq-escape*")) and not list(Path("/tmp").glob("zq-escape*"))


@pytest.mark.parametrize(
    ("title", "category"),
    [
        ("Hello\nSave_as: x.html", "Natural Pain Relief"),
        ("Zq\u202eTest", "Natural Pain Relief"),
        ("Zq", "Hub\rStatus: x"),
    ],
)
def test_invoke_new_refuses_a_title_or_hub_that_would_write_a_line_of_its_own(title, category, monkeypatch, tmp_path):
    from invoke import Exit

    import tasks

    monkeypatch.setattr(tasks, "CONTENT", tmp_path)
    with pytest.raises(Exit, match="holds a line break or an invisible character"):
        tasks.new.body(None, title, category=category)
    assert list(tmp_path.iterdir()) == []


# --- the author's guide cannot go stale ---------------------------------------------------------


def guide_blocks() -> list[tuple[str, str]]:
    return [(m["info"].strip(), m["body"]) for m in _BLOCK.finditer(GUIDE.read_text())]


def guide_examples(kind: str = "markdown") -> list[str]:
    """The guide's examples of one kind: "markdown" (an article or part of one), "markdown page", "markdown hub"."""
    return [body for info, body in guide_blocks() if info == kind]


def guide_mistakes() -> list[tuple[str, list[str]]]:
    blocks = guide_blocks()
    pairs = []
    for (info, body), (next_info, next_body) in itertools.pairwise(blocks):
        if info == "markdown mistake":
            assert next_info == "text", "a mistake in the guide is followed by the message it gives"
            pairs.append((body, [line for line in next_body.splitlines() if line.strip()]))
    return pairs


def test_the_guide_has_examples_of_everything_it_teaches():
    examples = "\n".join(guide_examples())
    for feature in (
        "Title:",
        "Point:",
        "Hold:",
        "{: .steps }",
        "{static}images/",
        "{filename}",
        "{category}",
        "Status: draft",
    ):
        assert feature in examples, feature
    assert "Menu: yes" in "\n".join(guide_examples("markdown page"))
    assert "Pinned:" in "\n".join(guide_examples("markdown hub"))
    assert len(guide_mistakes()) >= 8


def test_every_example_in_the_guide_builds_cleanly(project, tmp_path):
    """Each example is added as it is written (a whole file) or inside an article of its own."""
    titles = []
    for n, example in enumerate(guide_examples(), start=1):
        if example.startswith("Title:"):
            metadata = metadata_of(example)
            slug = f"zq-guide-example-{n}"
            source = (
                example.replace(f"Slug: {metadata.get('slug', '')}\n", f"Slug: {slug}\n")
                if "slug" in metadata
                else example.replace("\n", f"\nSlug: {slug}\n", 1)
            )
            titles.append(metadata["title"])
        else:
            source = WRAPPER.format(n=n) + example
            titles.append(f"Zq Guide Example {n}")
        (project / "content" / f"zq-guide-example-{n}.md").write_text(source)
    for n, example in enumerate(guide_examples("markdown page"), start=1):
        # under an address of its own: Nancy may have written the guide's "About Nancy" by now
        source = example if "\nSlug:" in example else example.replace("\n", f"\nSlug: zq-guide-page-{n}\n", 1)
        (project / "content" / "pages" / f"zq-guide-page-{n}.md").write_text(source)
        titles.append(metadata_of(example)["title"])
    # a hub's introduction, for a hub of the test's own (its pinned article made to match)
    hubs = []
    for n, example in enumerate(guide_examples("markdown hub"), start=1):
        metadata = metadata_of(example)
        pinned = [slug.strip() for slug in metadata.get("pinned", "").split(",") if slug.strip()]
        hub = f"Zq Guide Hub {n}"
        example = example.replace(f"Title: {metadata['title']}", f"Title: {hub}")
        for slug in pinned:
            example = example.replace(slug, f"zq-guide-pinned-{n}")
            (project / "content" / f"zq-guide-pinned-{n}.md").write_text(
                f"Title: Zq Guide Pinned {n}\nSlug: zq-guide-pinned-{n}\nDate: 2026-01-02\nCategory: {hub}\n\nText.\n"
            )
        (project / "content" / "hubs").mkdir(exist_ok=True)
        (project / "content" / "hubs" / f"zq-guide-hub-{n}.md").write_text(example)
        hubs.append((hub, example))
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    pages = [BeautifulSoup(p.read_text(), "lxml") for p in (tmp_path / "out").rglob("*.html")]
    shown = [text_of(page.h1) for page in pages if page.h1]
    assert all(title in shown for title in titles), (titles, shown)
    assert "warning" not in result.stderr, result.stderr
    for n, (hub, example) in enumerate(hubs, start=1):  # the hub's introduction is on its page, pinned first
        page = BeautifulSoup((tmp_path / "out" / f"zq-guide-hub-{n}.html").read_text(), "lxml")
        assert example.split("\n\n", 1)[1].strip() in text_of(page.main), hub


@pytest.fixture(scope="module")
def guide_mistakes_built(tmp_path_factory):
    """Every mistake the guide shows, each in a file of its own, made in one copy of the project and built once with
    `make build` (so this also shows that one run reports them all). Each file gets a name no author would pick, in
    the folder and with the ending the guide gives; its messages are expected with that name."""
    project = copy_project(tmp_path_factory.mktemp("guide-mistakes") / "project")
    expected = []
    for number, (source, message) in enumerate(guide_mistakes()):
        written = re.search(r"(content/\S+?)\.(md|txt)", "\n".join(message))
        name = f"{written[1].rsplit('/', 1)[0]}/{TEST_PREFIX}guide-mistake-{number}.{written[2]}"
        old_stem, new_stem = Path(written.group(0)).stem, Path(name).stem
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(source.replace(old_stem, new_stem))
        expected.append([line.replace(written.group(0), name).replace(old_stem, new_stem) for line in message])
    return expected, make_build(project)


@pytest.mark.slow  # one `make build`, in a new process
@pytest.mark.parametrize("number", range(len(guide_mistakes())))
def test_every_mistake_in_the_guide_gives_the_message_the_guide_shows(guide_mistakes_built, number):
    expected, result = guide_mistakes_built
    assert result.returncode != 0
    shown = result.stderr.splitlines()
    for line in expected[number]:
        assert line in shown, f"the guide shows {line!r}; the build says:\n{result.stderr}"
