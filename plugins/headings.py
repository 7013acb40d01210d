"""Gives every heading in Markdown content an id made from its text, so that each section can be linked to.

The same ids as Python-Markdown's toc extension ("## How To Use Acupressure" becomes
id="how-to-use-acupressure"), without building a table of contents the site does not show.
An id the author set ({: #my-id }) is kept; a repeated one gets "_1", "_2"…
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify, unique
from markdown.treeprocessors import Treeprocessor
from pelican import signals

_HEADING = re.compile(r"^h[1-6]$")


class HeadingIdTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        used = {element.get("id") for element in root.iter() if element.get("id")}
        for element in root.iter():
            if _HEADING.match(element.tag) and not element.get("id"):
                text = "".join(element.itertext()).strip()
                element.set("id", unique(slugify(text, "-"), used))


class HeadingIdExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        # after attr_list (8) has taken the author's own ids and classes off the heading text
        md.treeprocessors.register(HeadingIdTreeprocessor(md), "heading_ids", 5)


def add_extension(pelican: Any) -> None:
    pelican.settings["MARKDOWN"].setdefault("extensions", []).append(HeadingIdExtension())


def register() -> None:
    signals.initialized.connect(add_extension)
