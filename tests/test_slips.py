"""Nothing silent, nothing wrongly refused: the slips an author makes are each refused with content/FILE:LINE in one
run, or built exactly as meant. One copy of the project gets every slip and is built once; another gets the ways of
writing that must simply work."""

from __future__ import annotations

import struct
import zlib

import pytest

from conftest import TEST_PREFIX, add_file, build, built, copy_project, zq_article

P = TEST_PREFIX


def png(width: int, height: int, body: bytes = b"") -> bytes:
    """A real PNG file (grey pixels), with `body` as an extra chunk to make it as large as a test needs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    extra = chunk(b"zqTe", body) if body else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + extra
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# (what, {file: text or bytes}, what the build prints)
SLIPS = [
    (
        "a hold given as a range",
        {f"content/{P}range.md": zq_article("range", "Point: K1\nWhere: sole\nHold: 1 to 2 minutes\n")},
        f"content/{P}range.md:8: 'Hold: 1 to 2 minutes' gives a range",
    ),
    (
        "a number without its unit",
        {f"content/{P}unit.md": zq_article("unit", "Point: K1\nWhere: sole\nHold: 1 minute 30\n")},
        f"content/{P}unit.md:8: 'Hold: 1 minute 30' has a number without its unit",
    ),
    (
        "a date in the future",
        {f"content/{P}future.md": zq_article("future").replace("Date: 2026-01-02", "Date: 2099-01-02")},
        f"content/{P}future.md:3: 'Date: 2099-01-02' is in the future",
    ),
    (
        "modified before written",
        {f"content/{P}modified.md": zq_article("modified", extra="Modified: 2025-12-01\n")},
        f"content/{P}modified.md:5: 'Modified:' is earlier than 'Date:' (line 3)",
    ),
    (
        "an upper-case .MD",
        {f"content/{P}neck.MD": zq_article("neck")},
        f"content/{P}neck.MD:1: looks like an article (it starts with 'Title:'), but the site reads only Markdown files ending in .md: rename it to {P}neck.md",
    ),
    (
        "an article among the pages",
        {f"content/pages/{P}article.md": zq_article("article")},
        f"content/pages/{P}article.md:4: has a Category: line, but is in content/pages/",
    ),
    (
        "an unknown status, with another mistake",
        {f"content/{P}status.md": zq_article("status", "Piont: K1\nWhere: sole\n", extra="Status: publish\n")},
        f"content/{P}status.md:5: 'Status: publish' is not a status the site knows",
    ),
    ("the other mistake of that file", {}, f"content/{P}status.md:7: 'Piont:' — a point block starts with 'Point:'"),
    (
        "an unclosed comment",
        {f"content/{P}comment.md": zq_article("comment", "Hi.\n\n<!-- note to self\n\nMore.\n")},
        f"content/{P}comment.md:8: a comment starts here ('<!--') but is never closed",
    ),
    (
        "a picture from another site",
        {f"content/{P}remote.md": zq_article("remote", "![A neck](https://example.org/neck.jpg)\n")},
        f"content/{P}remote.md:6: the picture 'https://example.org/neck.jpg' is on another site",
    ),
    (
        "a corrupt PNG",
        {f"content/images/{P}broken.png": png(4, 4)[:40]},
        f"content/images/{P}broken.png: is not a picture that can be shown",
    ),
    (
        "a web page saved as .png",
        {f"content/images/{P}page.png": "<!doctype html><script>alert(1)</script>"},
        f"content/images/{P}page.png: is not a picture that can be shown",
    ),
    (
        "a large photo",
        {f"content/images/{P}large.png": png(8, 8, b"\0" * 1_500_000)},
        f"content/images/{P}large.png: warning: is 1.5 MB: a reader on a phone waits for it",
    ),
    (
        "a slug with spaces",
        {f"content/{P}spaces.md": zq_article("spaces").replace(f"Slug: {P}spaces", "Slug: Easing A Stiff Neck")},
        f"content/{P}spaces.md:2: 'Slug: Easing A Stiff Neck' cannot be an address: use lower-case letters, digits and hyphens, e.g. 'Slug: easing-a-stiff-neck'",
    ),
    (
        "a link from the root",
        {f"content/{P}root.md": zq_article("root", "[The hub](/natural-pain-relief.html)\n")},
        f"content/{P}root.md:6: the link '/natural-pain-relief.html' starts with '/'",
    ),
    (
        "two titles",
        {f"content/{P}titles.md": zq_article("titles", extra="Title: Another\n")},
        f"content/{P}titles.md:5: 'Title:' is given twice (first on line 1); keep one",
    ),
    (
        "an article with no text",
        {f"content/{P}empty.md": zq_article("empty", "")},
        f"content/{P}empty.md:1: the article has no text after its metadata",
    ),
    (
        "a point block in a list, not indented",
        {f"content/{P}list.md": zq_article("list", "1.  First.\n\nPoint: K1\nWhere: sole\n\n2.  Next.\n")},
        f"content/{P}list.md:8: this point block is inside a numbered list",
    ),
    (
        "a missing anchor on another page",
        {
            f"content/{P}anchor.md": zq_article(
                "anchor", "Hi.\n\n[B23]({filename}acupressure-for-back-pain.md#zq-nope)\n"
            )
        },
        f"content/{P}anchor.md:8: link './acupressure-for-back-pain.html#zq-nope': no such anchor",
    ),
    (
        "a hub that does not exist",
        {f"content/{P}hublink.md": zq_article("hublink", "[The hub]({category}Zq No Such Hub)\n")},
        f"content/{P}hublink.md:6: link",
    ),
    (
        "a picture without its description",
        {f"content/{P}alt.md": zq_article("alt", "Hi.\n\n![](images/knee-b54.svg)\n")},
        f"content/{P}alt.md:8: a picture written '![](' has no description",
    ),
    (
        "a file not saved as UTF-8",
        {f"content/{P}latin.md": zq_article("latin", "Caf\u00e9 au lait.\n").encode("latin-1")},
        f"content/{P}latin.md:6: the file is not saved as UTF-8 (the byte 0xE9 on this line is not UTF-8 text)",
    ),
]


@pytest.fixture(scope="module")
def slipped(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("slips") / "project")
    for _, files, _ in SLIPS:
        for name, text in files.items():
            path = project / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text if isinstance(text, bytes) else text.encode())
    snippet = project / "content" / "snippets" / "self-care-safety.md"
    snippet.write_text(snippet.read_text().rstrip("\n") + f"\n\n[More]({P}nowhere.html)\n")
    return build(project, project / "output"), len(snippet.read_text().splitlines())


@pytest.mark.parametrize(("what", "files", "message"), SLIPS, ids=[s[0] for s in SLIPS])
def test_a_slip_is_named_with_its_file_and_line_in_the_one_run(slipped, what, files, message):
    result, _ = slipped
    assert result.returncode == 1
    assert message in result.stderr, result.stderr


def test_a_broken_link_in_a_snippet_is_the_snippets_not_the_themes(slipped):
    result, line = slipped
    assert f"content/snippets/self-care-safety.md:{line}: link '{P}nowhere.html': no such page" in result.stderr


def test_no_message_of_a_failed_build_shows_an_absolute_path_or_a_traceback(slipped):
    result, _ = slipped
    assert "Traceback" not in result.stderr and "Could not process" not in result.stderr
    assert "/tmp/" not in result.stderr and "theme/templates" not in result.stderr


@pytest.fixture(scope="module")
def as_meant(tmp_path_factory):
    """What an author writes that must simply work."""
    root = tmp_path_factory.mktemp("meant")
    project = copy_project(root / "project")
    holds = "".join(
        f"Point: Z{n}\nWhere: here\nHold: {hold}\n\n"
        for n, hold in enumerate(
            ["1.5 minutes", "half a minute", "1 minute 30 seconds", "2 mins", "90 s", "3 deep breaths"]
        )
    )
    add_file(
        project, f"content/{P}holds.md", zq_article("holds", holds).replace("Date: 2026-01-02", "Date: 2026-01-02 9:30")
    )
    add_file(
        project, f"content/{P}notes.md", zq_article("notes", "A claim.[^1] <!-- call 555-0100 -->\n\n[^1]: A source.\n")
    )
    add_file(
        project,
        f"content/pages/{P}page.md",
        f"Title: Zq Page\nSlug: {P}page\n\nSee [the book]({{filename}}pages/chakra-care.md).\n",
    )
    add_file(
        project, f"content/pages/{P}hidden.md", f"Title: Zq Hidden\nSlug: {P}hidden\nStatus: hidden\n\nZq words.\n"
    )
    return built(project, root / "output")


def test_a_hidden_page_is_published_but_not_given_to_the_search_index(as_meant):
    page = as_meant.soup(f"{P}hidden.html")
    assert page.find("article") is not None and page.find(attrs={"data-pagefind-body": True}) is None
    assert as_meant.soup("chakra-care.html").find(attrs={"data-pagefind-body": True}) is not None


def test_every_common_way_to_write_a_hold_gives_the_timer_meant(as_meant):
    points = as_meant.soup(f"{P}holds.html").select("section.point")
    seconds = [point.get("data-hold-seconds") for point in points]
    assert seconds == ["90", "30", "90", "120", "90", None]
    assert "3 deep breaths" in points[-1].get_text()


def test_an_hour_without_its_leading_zero_is_read(as_meant):
    assert as_meant.soup(f"{P}holds.html").find("time", datetime=lambda value: value and value.startswith("2026-01-02"))


def test_footnotes_are_numbered_links_both_ways_and_comments_never_reach_the_page(as_meant):
    page = as_meant.soup(f"{P}notes.html")
    assert page.select_one('a.footnote-ref[href="#fn:1"]') and page.select_one('li#fn\\:1 a[href="#fnref:1"]')
    assert "555-0100" not in (as_meant.root / f"{P}notes.html").read_text()


def test_the_guides_link_to_a_page_works_inside_a_page_too(as_meant):
    link = as_meant.soup(f"{P}page.html").find("a", string="the book")
    assert link["href"].removeprefix("./") == "chakra-care.html"
