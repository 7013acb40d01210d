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

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.tables import TableExtension

from stages.markup import figures, headings, links, outline, points, source, steps


class SiteExtension(Extension):
    """The site's own steps (see the table above), registered on one Markdown instance."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        source.register(md, 27)
        points.register_slots(md, 25)
        figures.register(md, 7)
        headings.register(md, 5)
        steps.register(md, 4)
        outline.register(md, 3)
        links.register(md, 1)


def new_markdown() -> Markdown:
    """A Markdown instance with every extension of the site; the reader keeps one and resets it per file."""
    return Markdown(
        extensions=[AttrListExtension(), AdmonitionExtension(), TableExtension(), SiteExtension()],
        output_format="html",
    )
