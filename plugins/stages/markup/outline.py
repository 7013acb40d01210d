"""The outline of a page: the level of each point's heading, and where the instructions start.

A point's heading is one level below the heading above it. The page's title is the h1, so a point
after the introduction with no section heading above it gets an h2; under a ``##`` section, an h3;
under a ``###``, an h4 (never deeper than h6). The level is written on the point's slot
(``data-level``) for the point component (``markup.components``). A point's own heading does not
change the level of the points after it: they are its siblings.

Where the instructions start — before the first top-level block that holds a point, or the heading
of the first step list — the HTML gets the comment ``INSTRUCTIONS_MARK``, so that the theme can put
what a reader needs before pressing there (the safety note) without touching the author's words.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

_HEADING = re.compile(r"^h([1-6])$")
PAGE_TITLE_LEVEL = 1  # the page's h1 is its title, written by the theme
INSTRUCTIONS_MARK = "<!-- instructions -->"


class PointLevelTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        level = PAGE_TITLE_LEVEL
        for element in root.iter():  # in the order of the text
            heading = _HEADING.match(element.tag) if isinstance(element.tag, str) else None
            if heading:
                level = int(heading[1])
            elif element.tag == "section" and element.get("data-point-slot"):
                element.set("data-level", str(min(level + 1, 6)))
        self.mark_instructions(root)

    def mark_instructions(self, root: etree.Element) -> None:
        exercises = {exercise["id"] for exercise in self.md.site_exercises if exercise["id"]}  # type: ignore[attr-defined]
        for index, block in enumerate(root):
            is_exercise = _HEADING.match(str(block.tag)) and block.get("id") in exercises
            if is_exercise or block.get("data-point-slot") or block.find(".//section[@data-point-slot]") is not None:
                mark = etree.Comment(INSTRUCTIONS_MARK.removeprefix("<!--").removesuffix("-->"))
                mark.tail = "\n"
                root.insert(index, mark)
                return
