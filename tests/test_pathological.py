"""Text no reader would write, but an editor or a paste can make: lists nested hundreds of levels deep, thousands
of equal headings. Each gives a problem with its file and line (never Pelican's bare "Could not process"), and
the rest of the site is still read and checked."""

from __future__ import annotations

import inspect
import re
import sys

import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings

import stages.markup.headings
import stages.markup.reader
from conftest import ROOT, TEST_PREFIX, add_file, build, built, zq_article
from stages.markup.extensions import new_markdown
from stages.markup.reader import STAND_IN, SiteMarkdownReader, convert
from stages.markup.source import MAX_NESTING, SourceState, deepest_nesting

P = TEST_PREFIX
HEADER_LINES = 5  # zq_article's header and the empty line after it


def nested_list(levels: int, indent: str = "    ") -> str:
    return "".join(f"{indent * level}- level {level + 1}\n" for level in range(levels))


def reader() -> SiteMarkdownReader:
    return SiteMarkdownReader(read_settings(str(ROOT / "pelicanconf.py")))


@pytest.mark.parametrize("levels", [330, 1000])
def test_a_list_nested_hundreds_of_levels_deep_is_named_with_its_line_and_the_rest_is_still_checked(
    project, tmp_path, levels
):
    add_file(project, f"content/{P}deep.md", zq_article("deep", "Some text.\n\n" + nested_list(levels)))
    add_file(project, f"content/{P}other.md", zq_article("other", "Point: K1\nWere: sole\n"))
    result = build(project, tmp_path / "out")
    assert result.returncode == 1
    deepest = HEADER_LINES + 2 + levels  # the list starts after "Some text." and an empty line
    assert (
        f"content/{P}deep.md:{deepest}: lists nested {levels} levels deep here, more than the {MAX_NESTING} "
        "levels the site reads; the page's text was not read" in result.stderr
    ), result.stderr
    assert f"content/{P}other.md:7: unknown key 'Were:'" in result.stderr  # the other file was still read
    assert "Could not process" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_list_nested_as_deep_as_the_site_reads_builds(project, tmp_path):
    add_file(project, f"content/{P}deep.md", zq_article("deep", nested_list(MAX_NESTING)))
    site = built(project, tmp_path / "out")
    item = site.soup(f"{P}deep.html").find("li", string=re.compile(f"level {MAX_NESTING}$"))
    assert item is not None and len(item.find_parents("ul")) == MAX_NESTING


@pytest.mark.parametrize(
    ("text", "depth", "line"),
    [
        (nested_list(3), 3, 2),
        (nested_list(4, "\t"), 4, 3),
        ("1. one\n    2. two\n        3. three\n", 3, 2),
        ("> > > quoted three times\n", 3, 0),
        ("> - a\n>     - b\n", 3, 1),
        # code is not nesting: a fence, or lines indented more than one level past the list above
        ("```\n" + nested_list(80) + "```\n", 0, 0),
        ("- a\n\n" + "".join(f"{' ' * (8 + 4 * n)}- code {n}\n" for n in range(80)), 1, 0),
        ("Text.\n\n        - indented code\n", 0, 0),
        ("No list at all.\n", 0, 0),
    ],
)
def test_nesting_is_measured_as_markdown_reads_it(text, depth, line):
    nesting = deepest_nesting(text)
    assert (nesting.depth, nesting.index) == (depth, line)


def test_when_python_markdown_runs_out_of_stack_the_file_and_line_are_named(tmp_path, monkeypatch):
    """Below the site's limit, on a smaller stack: the RecursionError itself is caught and explained."""
    monkeypatch.setattr(stages.markup.reader, "MAX_NESTING", 10_000)
    source = add_file(tmp_path, f"{P}deep.md", zq_article("deep", nested_list(150)))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 250)
    site_reader = reader()
    try:
        content, metadata = site_reader.read(str(source))
    finally:
        sys.setrecursionlimit(limit)
    assert content == STAND_IN
    assert metadata["source_problems"] == [
        (
            HEADER_LINES + 150,
            "the Markdown reader ran out of depth reading this text (the deepest part, lists nested 150 levels "
            "deep, is here); the page's text was not read. Nest lists and quotes less deeply",
        )
    ]
    # the same reader reads the next file as usual
    assert site_reader.read(str(add_file(tmp_path, f"{P}fine.md", zq_article("fine"))))[0] == "<p>Some text.</p>"


def test_any_other_failure_of_python_markdown_is_named_with_the_file(tmp_path, monkeypatch):
    def fail(*_):
        raise ValueError("zq simulated fault")

    monkeypatch.setattr(stages.markup.headings.HeadingIdTreeprocessor, "run", fail)
    source = add_file(tmp_path, f"{P}faulty.md", zq_article("faulty", "## A heading\n"))
    content, metadata = reader().read(str(source))
    assert content == STAND_IN
    [(line, message)] = metadata["source_problems"]
    assert line == HEADER_LINES + 1
    assert message.startswith(
        "the Markdown reader stopped on this file (ValueError: zq simulated fault, at test_pathological.py:"
    )


def test_thousands_of_equal_headings_get_unique_ids_in_order():
    """Correctness only: benchmarks/headings.py measures the time at 10,000 and 20,000."""
    count = 3000
    html = convert(new_markdown(), "## Step\n\nText.\n\n" * count, SourceState())
    ids = [h2["id"] for h2 in BeautifulSoup(html, "lxml").find_all("h2")]
    assert ids == ["step"] + [f"step_{n}" for n in range(1, count)]


def test_an_id_the_author_set_is_kept_and_never_given_twice():
    html = convert(new_markdown(), "## Step {: #step_1 }\n\n## Step\n\n## Step\n\n## Step\n", SourceState())
    ids = [h2["id"] for h2 in BeautifulSoup(html, "lxml").find_all("h2")]
    assert ids[0] == "step_1" and len(set(ids)) == 4 and ids[1] == "step"
