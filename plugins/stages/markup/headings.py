"""Every heading gets an id made from its text, so that each section can be linked to.

The same ids as Python-Markdown's toc extension ("## How To Use Acupressure" becomes
id="how-to-use-acupressure"), without a table of contents the site does not show. An id the author
set (``{: #my-id }``) is kept; a repeated one gets "_1", "_2"… in linear time (toc's counters), so
a page with thousands of equal headings is as quick as any other.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions.toc import slugify, unique
from markdown.treeprocessors import Treeprocessor

_HEADING = re.compile(r"^h[1-6]$")


class HeadingIdTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        used = {element.get("id", "") for element in root.iter() if element.get("id")}
        counters: dict[str, int] = {}
        for element in root.iter():
            if _HEADING.match(element.tag) and not element.get("id"):
                text = "".join(element.itertext()).strip()
                element.set("id", unique(slugify(text, "-"), used, counters))
