"""The site's Markdown, in one place: every extension and the order in which its steps run.

Python-Markdown runs preprocessors on the source lines, then block processors, then tree
processors on the element tree, each stage by priority (higher first). The site's steps, among
Python-Markdown's own built-ins:

| stage          | priority | step                                                        |
|----------------|----------|-------------------------------------------------------------|
| preprocessor   | 27       | source check: point blocks, step markers, unsafe HTML (lines) |
| block          | 25       | a point's placeholder becomes its slot                      |
| tree           | 8        | attr_list (built-in): {: .steps } and {: #id } on headings  |
| tree           | 7        | figures: picture sizes, captioned figures                   |
| tree           | 5        | heading ids                                                 |
| tree           | 4        | step lists (after the heading has its id and class)         |
| tree           | 3        | point heading levels, from the outline of headings          |
| tree           | 1        | rel="noopener" on links that leave the site                 |

No smarty: Nancy's quotes and dashes stay exactly as she typed them.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.attr_list import AttrListExtension, AttrListTreeprocessor
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

from stages.markup import figures, headings, outline, points, source, steps


class _Found:
    """What attr_list reads of a match: where it starts, and the attribute list's text."""

    def __init__(self, start: int, attributes: str) -> None:
        self._start, self._attributes = start, attributes

    def start(self) -> int:
        return self._start

    def group(self, _: int) -> str:
        return self._attributes


class _TrailingAttributes:
    """attr_list's patterns for ``{: … }`` at the end of a heading (``block=False``: after a space) or on a
    block's last line (``block=True``), found with string methods in one pass. Its regular expressions try
    every position of a run of spaces, in time that grows with the square of the line's length."""

    def __init__(self, block: bool) -> None:
        self.block = block

    def search(self, text: str) -> _Found | None:
        newline = text.rfind("\n")
        if self.block and newline < 0:
            return None
        line = text[newline + 1 :]
        end = len(line.rstrip(" "))
        if not end or line[end - 1] != "}":
            return None
        indent = len(line) - len(line.lstrip(" "))
        opening = (indent if line[indent : indent + 1] == "{" else -1) if self.block else line.find("{")
        while 0 <= opening < end:
            if self.block or (opening and line[opening - 1] == " "):
                colon = line[opening + 1 : opening + 2] == ":"
                at = opening + 1 + colon
                while at < end and line[at] == " ":
                    at += 1
                if not (at < end - 1 and line[at] != "}"):
                    at = opening + 1 if colon and opening + 1 < end - 1 else -1  # the ":" is the list's text
                if at >= 0:
                    start = newline if self.block else newline + 1 + len(line[:opening].rstrip(" "))
                    return _Found(start, line[at : end - 1])
            if self.block:
                return None
            opening = line.find("{", opening + 1)
        return None


class _LinearAttrListTreeprocessor(AttrListTreeprocessor):
    HEADER_RE = _TrailingAttributes(block=False)  # type: ignore[assignment, misc]
    BLOCK_RE = _TrailingAttributes(block=True)  # type: ignore[assignment, misc]


class _LinearAttrListExtension(AttrListExtension):
    """Python-Markdown's attr_list, with its end-of-line patterns found in linear time."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        md.treeprocessors.register(_LinearAttrListTreeprocessor(md), "attr_list", 8)
        md.registerExtension(self)


class OutboundLinkTreeprocessor(Treeprocessor):
    """Every link in content that leaves the site gets rel="noopener"."""

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            if link.get("href", "").lower().startswith(("http://", "https://", "//")):
                rel = set(link.get("rel", "").split()) | {"noopener"}
                link.set("rel", " ".join(sorted(rel)))


class SiteExtension(Extension):
    """The site's own steps (see the table above), registered on one Markdown instance."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        md.preprocessors.register(source.SourceCheckPreprocessor(md), "site_source_check", 27)
        md.parser.blockprocessors.register(points.PointSlotProcessor(md.parser), "point_slot", 25)
        md.treeprocessors.register(figures.FigureTreeprocessor(md), "site_figures", 7)
        md.treeprocessors.register(headings.HeadingIdTreeprocessor(md), "site_heading_ids", 5)
        md.treeprocessors.register(steps.StepListTreeprocessor(md), "site_steps", 4)
        md.treeprocessors.register(outline.PointLevelTreeprocessor(md), "site_point_levels", 3)
        md.treeprocessors.register(OutboundLinkTreeprocessor(md), "site_outbound_links", 1)


def new_markdown() -> Markdown:
    """A Markdown instance with every extension of the site; the reader keeps one and resets it per file."""
    return Markdown(
        extensions=[
            _LinearAttrListExtension(),
            AdmonitionExtension(),
            TableExtension(use_align_attribute=True),  # align=, not style= (the allow-list has no styles)
            # footnotes: text[^1] … [^1]: the source; the way back is a link with words, not an arrow
            FootnoteExtension(BACKLINK_TEXT="back to the text", BACKLINK_TITLE="Back to where footnote %d is used"),
            SiteExtension(),
        ],
        output_format="html",
    )
