"""Nothing the author wrote is lost on the way from Markdown to the page."""

import re
import textwrap

import pytest

from conftest import ARTICLE, ARTICLE_SOURCE, CONTENT, ROOT, metadata_of, text_of

# Every Markdown file Nancy has written, whatever it is called; snippets (content/snippets/) are parts
# of other pages, not pages of their own
SNIPPETS = sorted(path.relative_to(CONTENT).as_posix() for path in (CONTENT / "snippets").rglob("*.md"))
SOURCES = sorted(
    path.relative_to(CONTENT).as_posix() for path in CONTENT.rglob("*.md") if path.parent.name != "snippets"
)
_LIST_ITEM = re.compile(r"^(?:\d+\.|[-*+])\s+", re.MULTILINE)
_PICTURE = re.compile(r'!\[(?P<alt>[^\]]*)\]\((?P<src>[^ )]+)(?: "(?P<caption>[^"]*)")?\)')


def metadata_and_blocks(source: str) -> tuple[dict[str, str], list[str]]:
    """A Markdown file's metadata header, then its paragraphs and list items as plain text."""
    _, _, body = source.partition("\n\n")
    metadata = metadata_of(source)
    blocks = []
    for block in re.split(r"\n\s*\n", body):
        block = textwrap.dedent(block).strip()
        if block.startswith("!!!"):  # an admonition (a care card): its marker line is not text, its title is
            marker, _, block = block.partition("\n")
            if marker.count('"') >= 2 and marker.split('"')[1]:
                blocks.append(plain(marker.split('"')[1]))
            block = textwrap.dedent(block).strip()
        if not block or block.lower().startswith("point:"):
            continue  # point blocks are checked field by field in test_points.py
        items = _LIST_ITEM.split(block) if _LIST_ITEM.match(block) else [block]
        blocks.extend(plain(item) for item in items if item.strip())
    return metadata, blocks


def pictures(source: str) -> list[tuple[str, str]]:
    """The (text alternative, caption) of every picture in a Markdown source."""
    return [(m["alt"], m["caption"] or "") for m in _PICTURE.finditer(source)]


def plain(markdown: str) -> str:
    """What a reader sees of a Markdown block: no heading marks, attribute lists, link targets or
    emphasis marks; a picture is its caption (its text alternative is checked apart)."""
    text = _PICTURE.sub(lambda m: m["caption"] or "", markdown)
    text = re.sub(r"^#+\s*", "", text)
    text = re.sub(r"\s*\{:[^}]*\}", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*{1,2}|_{1,2})(\S.*?\S|\S)\1", r"\2", text)
    return " ".join(text.split())


@pytest.mark.parametrize("source", SOURCES)
def test_every_paragraph_and_list_item_of_the_source_is_on_its_page(site, source):
    metadata, blocks = metadata_and_blocks((CONTENT / source).read_text(encoding="utf-8"))
    page = site.soup(site.page_titled(metadata["title"]))  # found as a reader finds it: by its heading
    shown = text_of(page.find("main"))
    missing = [block for block in blocks if block not in shown]
    assert not missing, f"{source}: not on the page:\n" + "\n".join(missing)
    alternatives = [img.get("alt") for img in page.main.find_all("img")]
    for alt, _ in pictures((CONTENT / source).read_text(encoding="utf-8")):
        assert alt in alternatives, f"{source}: no picture with the text alternative '{alt}'"
    assert metadata["title"] in shown
    if "subtitle" in metadata:
        assert metadata["subtitle"] in shown


@pytest.mark.parametrize("source", SNIPPETS)
def test_every_paragraph_and_list_item_of_a_snippet_is_on_every_self_care_article(site, source):
    metadata, blocks = metadata_and_blocks((CONTENT / source).read_text(encoding="utf-8"))
    self_care = [p for p in site.html_pages if site.soup(p).select("main section.point, main ol.steps")]
    assert ARTICLE in self_care
    for page in self_care:
        shown = text_of(site.soup(page).find("main"))
        missing = [block for block in [metadata["title"], *blocks] if block not in shown]
        assert not missing, f"{source}: not on {page}:\n" + "\n".join(missing)


def test_the_article_keeps_nancys_punctuation_as_typed(site):
    """No typographic rewriting: her straight quotes, curly apostrophe and double hyphens stay."""
    shown = text_of(site.soup(ARTICLE).find("main"))
    for typed in ['"tight,"', "as I’ve said", '"cut it down to size" --', "whole body--and", "just ALLOW this"]:
        assert typed in shown


def test_the_source_reader_sees_the_whole_article(site):
    """The check above must be able to fail: it finds every numbered item of the article."""
    _, blocks = metadata_and_blocks((ROOT / ARTICLE_SOURCE).read_text(encoding="utf-8"))
    assert len([b for b in blocks if b.startswith(("Instead of resisting", "Get up and move"))]) == 2
    assert len(blocks) >= 25
    assert any(block.startswith("Return from Acupressure for Back Pain") for block in blocks)
