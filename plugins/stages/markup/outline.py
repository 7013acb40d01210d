"""A point's heading takes its level from the outline it is in: one level below the heading above it.

The page's title is the h1, so a point after the introduction with no section heading above it gets
an h2; under a ``##`` section, an h3; under a ``###``, an h4 (never deeper than h6). The level is
written on the point's slot (``data-level``) for the point component (``markup.components``).
A point's own heading does not change the level of the points after it: they are its siblings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

_HEADING = re.compile(r"^h([1-6])$")
PAGE_TITLE_LEVEL = 1  # the page's h1 is its title, written by the theme


class PointLevelTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        level = PAGE_TITLE_LEVEL
        for element in root.iter():  # in the order of the text
            heading = _HEADING.match(element.tag)
            if heading:
                level = int(heading[1])
            elif element.tag == "section" and element.get("data-point-slot"):
                element.set("data-level", str(min(level + 1, 6)))


def register(md: Markdown, priority: int) -> None:
    md.treeprocessors.register(PointLevelTreeprocessor(md), "site_point_levels", priority)
