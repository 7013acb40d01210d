"""A reader finds each acupressure point once, compact: its label, name and code, where it is and how long; the
summary and the hold sequence take them in the order Nancy does them; a point's heading follows the outline."""

from __future__ import annotations

import re
import textwrap

import pytest

from conftest import ARTICLE, ARTICLE_SOURCE, ROOT, add_file, build, built, text_of, zq_article
from stages.markup.points import parse_block

SOURCE = (ROOT / ARTICLE_SOURCE).read_text(encoding="utf-8")


def point_blocks(source: str) -> list[dict[str, str]]:
    """The article's point blocks as the author wrote them, in the order of the text."""
    blocks = []
    for block in re.split(r"\n\s*\n", source):
        block = textwrap.dedent(block).strip()
        if block.startswith("Point:"):
            point, errors = parse_block(list(enumerate(block.splitlines(), start=1)))
            assert point is not None and not errors, block
            blocks.append(point)
    return blocks


BLOCKS = point_blocks(SOURCE)


@pytest.fixture(scope="module")
def article(site):
    return site.soup(ARTICLE)


def field(section, name):
    return section.select_one(f'dd[data-field="{name}"]')


def test_the_seed_has_the_four_points_in_nancys_order():
    """She starts with B47 ("Then switch to B23"), then the knee, then the sacrum."""
    assert [b["label"] for b in BLOCKS] == ["B47", "B23", "B54", "B48"]
    assert "Quick_reference:" not in SOURCE and "Order:" not in SOURCE


@pytest.mark.parametrize("block", BLOCKS, ids=[b["label"] for b in BLOCKS])
def test_every_point_is_a_compact_box_with_its_label_name_code_where_and_time(article, block):
    sections = article.find_all(id=block["id"])
    assert len(sections) == 1, f"#{block['id']} is on the page {len(sections)} times"
    section = sections[0]
    assert section.name == "section" and "point" in section["class"]
    heading = section.find(re.compile(r"^h[2-6]$"))
    assert section["aria-labelledby"] == heading["id"]
    assert text_of(heading).startswith(block["label"]) and block["name"] in text_of(heading)
    assert text_of(field(section, "where")) == block["where"]
    labels = [text_of(dt) for dt in section.find_all("dt")]
    # How and Helps only where the block gives them (the seed's paragraphs say how; its blocks do not)
    expected = ["Where", *(["How to press"] if block["how"] else []), "How long"]
    assert labels == expected + (["Helps with"] if block["helps"] else [])
    time = field(section, "hold").find("time")
    if block["hold"]:
        assert time["datetime"] == block["duration"] and text_of(time) == block["hold"]
        assert section["data-hold-seconds"] == str(block["seconds"])
    else:  # the text gives no time: the page says so and never makes one up
        assert time is None and text_of(field(section, "hold")) == "No time given"
        assert not section.has_attr("data-hold-seconds")


def test_each_field_is_a_short_label_not_a_stitched_quote(article):
    for dd in article.select("section.point dd"):
        assert "…" not in dd.get_text() and len(text_of(dd).split()) <= 16, text_of(dd)
    assert "…" not in SOURCE, "no point field is stitched from fragments with '…'"


def sentences(markdown: str) -> list[str]:
    """Nancy's prose (not point blocks, pictures or links' targets), split into sentences."""
    prose = []
    for block in re.split(r"\n\s*\n", markdown.split("\n\n", 1)[1]):
        block = textwrap.dedent(block).strip()
        if block.startswith(("Point:", "![", "[")):
            continue
        block = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", block)
        block = re.sub(r"^(#+\s*|\d+\.\s+)", "", block, flags=re.MULTILINE)
        block = re.sub(r"\s*\{:[^}]*\}", "", block).replace("*", "")
        prose += [s.strip() for s in re.split(r"(?<=[.?!])\s+(?=[A-Z(\"])", " ".join(block.split()))]
    return [s for s in prose if len(s.split()) >= 4]


def test_no_sentence_of_nancys_is_shown_more_than_twice_and_none_is_cut(site):
    said = sentences(SOURCE)
    assert len(said) > 40, "the check must see her whole article"
    body = site.soup(ARTICLE).body.__copy__()
    for hidden in body.find_all(["script", "style", "template"]):
        hidden.decompose()
    shown = " ".join(body.get_text().split())
    counts = {sentence: shown.count(sentence) for sentence in said}
    assert all(count >= 1 for count in counts.values()), [s for s, n in counts.items() if n == 0]
    assert max(counts.values()) <= 2, {s: n for s, n in counts.items() if n > 2}
    assert "…" not in shown


def test_standard_codes_are_shown_only_where_sources_agree(article):
    codes = {b["label"]: text_of(article.find(id=b["id"]).select_one(".point-also")) for b in BLOCKS}
    assert "BL52" in codes["B47"] and "BL23" in codes["B23"] and "BL40" in codes["B54"]
    assert "BL" not in codes["B48"], "B48's standard code is disputed between sources: it is left out"


def test_no_id_is_used_twice_on_the_page(article):
    ids = [element["id"] for element in article.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_the_seed_points_are_h2_under_the_title(article):
    """The seed's first heading repeated the title word for word; it is gone, so its points sit under the h1."""
    assert [h.name for h in article.select("section.point .point-heading")] == ["h2"] * 4
    title = text_of(article.h1)
    assert all(text_of(h) != title for h in article.find_all(["h2", "h3", "h4"]))


# --- in a copy of the project: other articles, the outline, the order ---------------------------


OUTLINE = (
    "An introduction.\n\n"
    "Point: K1\nName: Bubbling Spring\nWhere: the sole\nHold: 30 seconds\n\n"
    "## Zq Section\n\nSome text.\n\n"
    "Point: K3\nWhere: behind the ankle\nHow: press with a thumb\nHelps: tired feet\n\n"
    "### Zq Subsection\n\n"
    "Point: K6\nWhere: below the ankle\nHold: one minute\n"
)


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A copy of the project with an article whose points sit at three depths, and one with an Order: line."""
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("points") / "project")
    add_file(project, "content/zq-test-outline.md", zq_article("outline", OUTLINE))
    add_file(project, "content/zq-test-order.md", zq_article("order", OUTLINE, extra="Order: K6, K1, K3\n"))
    add_file(
        project,
        "content/zq-test-old-order.md",
        zq_article("old-order", OUTLINE, extra="Quick_reference: K3, K6, K1\n"),
    )
    return built(project, project / "output")


def test_a_points_heading_is_one_level_below_the_heading_above_it(grown):
    page = grown.soup("zq-test-outline.html")
    levels = {s["id"]: s.select_one(".point-heading").name for s in page.select("section.point")}
    assert levels == {"k1": "h2", "k3": "h3", "k6": "h4"}


def test_a_point_shows_how_and_helps_when_its_block_gives_them(grown):
    k3 = grown.soup("zq-test-outline.html").find(id="k3")
    assert text_of(field(k3, "how")) == "press with a thumb" and text_of(field(k3, "helps")) == "tired feet"
    assert text_of(field(k3, "hold")) == "No time given"


@pytest.mark.parametrize(
    ("page", "order"),
    [
        ("zq-test-outline.html", ["k1", "k3", "k6"]),
        ("zq-test-order.html", ["k6", "k1", "k3"]),
        ("zq-test-old-order.html", ["k3", "k6", "k1"]),
    ],
)
def test_the_summary_follows_the_text_or_the_order_line(grown, page, order):
    soup = grown.soup(page)
    assert [li["data-for"] for li in soup.select(".glance-points > li")] == order
    assert [a["href"] for a in soup.select(".glance-points a")] == [f"#{pid}" for pid in order]
    # the points stay where the author wrote them
    assert [s["id"] for s in soup.select("section.point")] == ["k1", "k3", "k6"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Order: K1, K9, K3, K6", "the Order: line names K9, but the article has no 'Point: K9' block"),
        ("Order: K1, K3", "the Order: line leaves out K6; name every point of the article once"),
        ("Order: K1, K3, K1, K6", "the Order: line names K1 twice; name each point once"),
    ],
)
def test_an_order_line_that_does_not_name_each_point_once_is_refused_with_its_line(project, line, message):
    add_file(project, "content/zq-test-bad-order.md", zq_article("bad-order", OUTLINE, extra=line + "\n"))
    result = build(project, project / "output")
    assert result.returncode == 1
    assert f"content/zq-test-bad-order.md:5: {message}" in result.stderr, result.stderr


def test_axe_finds_the_heading_order_right_wherever_a_point_sits(grown, browser):
    """Issue 10: a point after the introduction (no heading above it) failed heading-order as an h3 under the h1;
    the levels themselves are checked above, and here axe reads the whole outline, summary and note included."""
    from axe_playwright_python.sync_playwright import Axe

    from conftest import serving

    with serving(grown.root) as url:
        page = browser.new_page()
        try:
            for path in ("zq-test-outline.html", ARTICLE):
                page.goto(url + path, wait_until="networkidle")
                results = Axe().run(page, options={"runOnly": ["heading-order", "page-has-heading-one"]})
                assert results.violations_count == 0, results.generate_report()
                assert results.response["passes"], "axe checked the headings"
        finally:
            page.close()
